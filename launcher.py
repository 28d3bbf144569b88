"""The frozen app's entry point (build_windows.spec): `LapTune` is `laptune` with a window by default.
From source, `python launcher.py --selftest` runs exactly what the frozen app runs.

    LapTune                  the desktop app
    LapTune --selftest       check the installation, one line per check (also in <data>/logs/selftest.log)
    LapTune detect | train | ...   the command line, as `laptune`

A windowed Windows build has no console: sys.stdout and sys.stderr are None, and the first library
that writes to them (tqdm, logging, warnings) raises. With arguments we attach to the console of the
program that started us (cmd, PowerShell); otherwise output goes to <data>/logs/app.log.
"""
from __future__ import annotations

import multiprocessing
import sys


def _give_streams() -> None:
    if sys.stdout is not None and sys.stderr is not None:
        return
    if len(sys.argv) > 1:
        from core.cli.selftest import attach_parent_console

        if attach_parent_console():
            return
    from core.config.paths import logs_dir

    try:
        folder = logs_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stream = open(folder / "app.log", "a", encoding="utf-8", errors="replace", buffering=1)  # noqa: SIM115 - process lifetime
    except OSError:
        import os

        stream = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stdout is None:
        sys.stdout = stream
    if sys.stderr is None:
        sys.stderr = stream


def main() -> int:
    # torch DataLoader workers and torchrun re-launch this executable; this turns those launches into workers.
    multiprocessing.freeze_support()
    _give_streams()
    from gui.entry import main as entry_main

    # The same entry as the `laptune` console script: core never imports gui, gui.entry wires them.
    return entry_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
