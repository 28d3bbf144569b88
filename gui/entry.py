"""The `laptune` console script: the command line of core/, plus the desktop app when called bare.

core/ never imports gui/ (a test checks it), so this thin entry hands core.cli.main a way to start the app.
Nothing here imports Qt until the app is actually started.
"""
from __future__ import annotations

import sys


def launch_app(argv: list[str]) -> int:
    from gui.app import main as app_main

    return app_main(argv)


def build_window():
    """The main window, unshown: the self-test's window check builds it offscreen."""
    from gui.app import build_main_window

    return build_main_window()


def main(argv: list[str] | None = None) -> int:
    from core.cli.main import main as cli_main

    code = cli_main(sys.argv[1:] if argv is None else argv, app_launcher=launch_app, window_builder=build_window,
                    own_process=True)
    from core.train import lean

    if lean.is_enabled():   # a `laptune train`/`resume` process: its run is saved, skip the interpreter's teardown
        lean.leave(code)
    return code


if __name__ == "__main__":
    sys.exit(main())
