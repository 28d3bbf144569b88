"""The double-click app: `laptune --selftest` from source (fast) and the PyInstaller build (slow).

`make test-package` runs the slow one: it builds build_windows.spec into a temporary folder (~3-5 min
and ~1.5 GB on Linux with CPU torch) and runs the frozen `LapTune --selftest`.
"""
from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.cli import selftest, selftest_checks
ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^(PASS|FAIL) (.+?) \((\d+\.\d) s\)(?:: (.*))?$")
CHECK_NAMES = [name for name, _ in selftest_checks.CHECKS]


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"LAPTUNE_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "HF_HUB_OFFLINE": "1"})
    for name in ("BATCH_SIZE", "FP16", "MAX_LENGTH", "GPU_ID", "GRADIENT_CHECKPOINTING"):   # presets read these
        env.pop(name, None)
    return env


def _check_lines(text: str) -> dict[str, tuple[str, str]]:
    """{check name: (PASS|FAIL, detail)} from the lines that look like check results."""
    found = {}
    for line in text.splitlines():
        match = LINE.match(line.strip())
        if match:
            found[match.group(2)] = (match.group(1), match.group(4) or "")
    return found


# ---------------------------------------------------------------- fast
def test_result_line_format() -> None:
    assert selftest.Result("imports", True, 3.14, "torch 2").line() == "PASS imports (3.1 s): torch 2"
    assert selftest.Result("main window", False, 0.0, "no gui").line() == "FAIL main window (0.0 s): no gui"


def test_a_crashing_check_fails_and_the_rest_still_run() -> None:
    def ok(ctx: selftest_checks.Context) -> str:
        return "fine"

    def broken(ctx: selftest_checks.Context) -> str:
        raise RuntimeError("boom\nsecond line")

    def expected(ctx: selftest_checks.Context) -> str:
        raise selftest_checks.CheckFailed("the reason")

    reported: list[str] = []
    results = selftest.run_checks((("a", ok), ("b", broken), ("c", expected), ("d", ok)),
                                  report=lambda r: reported.append(r.line()))
    assert [(r.name, r.ok) for r in results] == [("a", True), ("b", False), ("c", False), ("d", True)]
    assert results[1].detail == "RuntimeError: boom"
    assert results[2].detail == "the reason"
    assert len(reported) == 4


def test_icon_files_are_a_png_and_a_multi_size_ico() -> None:
    png = (ROOT / "resources" / "icons" / "laptune.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    ico = (ROOT / "resources" / "icons" / "laptune.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind) == (0, 1)
    sizes = {struct.unpack_from("<B", ico, 6 + 16 * i)[0] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= sizes


def test_window_check_without_a_builder_fails_with_the_reason() -> None:
    """core never imports gui: an entry point that passes no window builder gets a FAIL that says so."""
    (result,) = selftest.run_checks((("main window", selftest_checks.check_main_window),))
    assert not result.ok and "builder" in result.detail


def test_selftest_from_source_end_to_end(tmp_path: Path) -> None:
    """`python launcher.py --selftest`, the frozen app's entry point run from source: every check
    reports, in order, all pass, exit 0, and the log file holds the same lines."""
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "launcher.py", "--selftest"], cwd=ROOT, env=_env(tmp_path / "home"),
                          capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=300)
    elapsed = time.monotonic() - started
    results = _check_lines(proc.stdout)
    assert list(results) == CHECK_NAMES, proc.stdout + proc.stderr
    failed = {name: detail for name, (status, detail) in results.items() if status != "PASS"}
    assert not failed, proc.stdout + proc.stderr
    assert proc.returncode == 0
    log = (tmp_path / "home" / "logs" / "selftest.log").read_text(encoding="utf-8")
    assert _check_lines(log) == results
    assert "source" in log.splitlines()[0]
    assert elapsed < 180, f"the self-test took {elapsed:.0f} s"


# ---------------------------------------------------------------- slow: the PyInstaller build
@pytest.mark.slow
def test_frozen_build_passes_its_selftest(tmp_path_factory: pytest.TempPathFactory) -> None:
    pytest.importorskip("PyInstaller", reason="PyInstaller is in the dev extras: pip install -e '.[dev]'")
    base = tmp_path_factory.mktemp("frozen")
    dist, work, home = base / "dist", base / "build", base / "home"
    started = time.monotonic()
    build = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                            "--distpath", str(dist), "--workpath", str(work), str(ROOT / "build_windows.spec")],
                           cwd=ROOT, capture_output=True, text=True, timeout=3600)
    build_s = time.monotonic() - started
    assert build.returncode == 0, build.stdout[-5000:] + build.stderr[-5000:]
    shutil.rmtree(work, ignore_errors=True)
    app = dist / "LapTune" / ("LapTune.exe" if sys.platform.startswith("win") else "LapTune")
    assert app.is_file()
    size = sum(f.stat().st_size for f in (dist / "LapTune").rglob("*") if f.is_file() and not f.is_symlink())
    print(f"\nbuild {build_s:.0f} s, folder {size / 1e9:.2f} GB ({dist / 'LapTune'})")

    proc = subprocess.run([str(app), "--selftest"], cwd=base, env=_env(home), capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=600)
    print(proc.stdout)
    # A windowed Windows build may have no stdout to give us: the log file has the same lines.
    log = (home / "logs" / "selftest.log").read_text(encoding="utf-8")
    results = _check_lines(log)
    assert list(results) == CHECK_NAMES, log + proc.stderr[-5000:]
    failed = {name: detail for name, (status, detail) in results.items() if status != "PASS"}
    assert not failed, log + proc.stderr[-5000:]
    assert proc.returncode == 0, proc.stderr[-5000:]
    assert "frozen" in log.splitlines()[0]
