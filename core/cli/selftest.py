"""`laptune --selftest` (frozen: `LapTune --selftest`): does everything the app needs work here?

One line per check on stdout, `PASS name (1.2 s): detail` or `FAIL name (1.2 s): why`; exit 0 only if
every check passes. The same lines go to <user data>/logs/selftest.log, because a windowed Windows
build has no stdout: there we attach to the parent console when there is one (cmd, PowerShell) and
the log file is the fallback. Library chatter (bitsandbytes' CPU warning, Trainer notes) goes to
stderr so stdout holds only the check lines.

The checks themselves, in order, are in core/cli/selftest_checks.py.

Nothing here touches the network (HF_HUB_OFFLINE=1) and runs go to a temporary folder. core never
imports gui: the entry point passes `build_window` through core.cli.main.main(window_builder=...)
(launcher.py, the frozen app's entry, does); without one the main-window check fails and says so.
Qt and pyqtgraph are imported only by name inside the imports check, which is there to prove they load.
"""
from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TextIO

from core.cli.selftest_checks import CHECKS, CheckFailed, Context, first_line


@dataclass
class Result:
    name: str
    ok: bool
    seconds: float
    detail: str = ""

    def line(self) -> str:
        head = f"{'PASS' if self.ok else 'FAIL'} {self.name} ({self.seconds:.1f} s)"
        return f"{head}: {self.detail}" if self.detail else head


# ---------------------------------------------------------------- running and reporting
def run_checks(checks: tuple[tuple[str, Callable[[Context], str]], ...] = CHECKS,
               report: Callable[[Result], None] = lambda r: None,
               build_window: Callable[[], Any] | None = None) -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory(prefix="laptune-selftest-", ignore_cleanup_errors=True) as tmp:
        ctx = Context(work=Path(tmp), build_window=build_window)
        for name, check in checks:
            started = time.perf_counter()
            try:
                with contextlib.redirect_stdout(sys.stderr or _devnull()):
                    detail = check(ctx)
                result = Result(name, True, time.perf_counter() - started, detail)
            except CheckFailed as exc:
                result = Result(name, False, time.perf_counter() - started, str(exc))
            except BaseException as exc:  # noqa: BLE001 - a crashing check is a failed check; the next ones still run
                if isinstance(exc, KeyboardInterrupt):
                    raise
                result = Result(name, False, time.perf_counter() - started, f"{type(exc).__name__}: {first_line(exc)}")
            results.append(result)
            report(result)
    return results


def attach_parent_console() -> bool:
    """A windowed (console-less) Windows build starts with sys.stdout None. Attach to the console of
    the program that started us (cmd, PowerShell) so `LapTune.exe --selftest` prints there."""
    if sys.platform != "win32" or sys.stdout is not None:
        return False
    import ctypes

    if not ctypes.windll.kernel32.AttachConsole(-1):   # ATTACH_PARENT_PROCESS; fails when started by a double-click
        return False
    sys.stdout = open("CONOUT$", "w", encoding="utf-8", errors="replace", buffering=1)  # noqa: SIM115 - lives as long as the process
    sys.stderr = open("CONOUT$", "w", encoding="utf-8", errors="replace", buffering=1)  # noqa: SIM115
    print()   # cmd already printed its prompt: start on a fresh line
    return True


def prepare_environment() -> None:
    """No network, and an offscreen Qt where there is no display (a Linux server, CI)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    headless = sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str] | None = None, build_window: Callable[[], Any] | None = None) -> int:
    """Run every check; 0 only if all pass. `build_window() -> QWidget` comes from the entry point."""
    from core.config.paths import logs_dir

    attach_parent_console()
    out: TextIO = sys.stdout or _devnull()
    err: TextIO = sys.stderr or out
    prepare_environment()
    log_path = logs_dir() / "selftest.log"
    log: TextIO | None = None
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        print(f"note: cannot write {log_path}: {exc}", file=err)
    header = (f"LapTune {_version()} self-test: {'frozen' if getattr(sys, 'frozen', False) else 'source'}, "
              f"{sys.executable}, Python {sys.version.split()[0]}, {sys.platform}, {time.strftime('%Y-%m-%d %H:%M:%S')}")
    print(header, file=err, flush=True)
    if log:
        log.write(f"# {header}\n")

    def report(result: Result) -> None:
        print(result.line(), file=out, flush=True)
        if log:
            log.write(result.line() + "\n")
            log.flush()

    started = time.perf_counter()
    results = run_checks(report=report, build_window=build_window)
    failed = [r.name for r in results if not r.ok]
    verdict = (f"{len(results) - len(failed)} of {len(results)} checks passed in {time.perf_counter() - started:.0f} s"
               + (f"; failed: {', '.join(failed)}" if failed else ""))
    print(verdict, file=err, flush=True)
    if log:
        log.write(f"# {verdict}\n")
        log.close()
        print(f"log: {log_path}", file=err, flush=True)
    return 0 if not failed else 1


# ---------------------------------------------------------------- helpers
_DEVNULL: list[TextIO] = []


def _devnull() -> TextIO:
    """One sink for output where a windowed build has no stream at all."""
    if not _DEVNULL:
        _DEVNULL.append(open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process
    return _DEVNULL[0]


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("laptune")
    except metadata.PackageNotFoundError:
        return "(version unknown)"
