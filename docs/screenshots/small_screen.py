"""The app on a 1280x720 logical screen (Windows' 1920x1080 at 150 %, less a 40-pixel taskbar), in English and
Chinese: the first window sized from the available area, idle and during a short run with its plots.

    xvfb-run -s "-screen 0 1280x720x24" .venv/bin/python docs/screenshots/small_screen.py

Saves small-screen-idle-{en,zh}.png and small-screen-run-{en,zh}.png (the whole screen) and prints the window's
frame against the available area; it exits non-zero when the window does not fit.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

TASKBAR = 40


def shoot(language: str) -> int:
    from PySide6.QtCore import QRect

    from core.machine.fakes import fake_probe
    from gui.app import build_main_window, ensure_app
    from make_screenshots import pump, wait_for

    app = ensure_app()
    screen = app.primaryScreen()
    full = screen.geometry()
    # No window manager here, so no taskbar: leave its strip out of the area the window may use, as Windows does.
    from gui import qt_geometry
    qt_geometry.available_area = lambda window: QRect(0, 0, full.width(), full.height() - TASKBAR)
    suffix = "en" if language == "en" else "zh"
    window = build_main_window(fake_probe("laptop-4060-8gb"), language=language)
    window.wizard_defaults = {"initial_preset": "demo", "sensor_trace": str(HERE / "demo_trace.jsonl"),
                              "extra_overrides": {"training.max_steps": 300, "training.eval_steps": 20,
                                                  "training.save_steps": 500}}
    window.show()
    wait_for(lambda: window._plots is not None, 30)   # the plots load just after the window shows
    pump(1.0)
    frame = window.frameGeometry()
    area = qt_geometry.available_area(window)
    fits = area.contains(frame)
    print(f"{language}: window {frame.width()}x{frame.height()} at ({frame.x()},{frame.y()}), available "
          f"{area.width()}x{area.height()}: {'fits' if fits else 'DOES NOT FIT'}", file=sys.stderr)
    screen.grabWindow(0).save(str(HERE / f"small-screen-idle-{suffix}.png"))
    window.open_wizard()
    window.wizard.accept()
    wait_for(lambda: window._plots is not None and window.state in ("running", "paused")
             and window._plots.series["loss"].n >= 12, 180)
    pump(1.5)
    screen.grabWindow(0).save(str(HERE / f"small-screen-run-{suffix}.png"))
    window.request_stop()
    wait_for(lambda: window.state == "idle", 120)
    window.close()
    return 0 if fits else 1


def main() -> int:
    if len(sys.argv) > 1:
        os.environ["LAPTUNE_HOME"] = tempfile.mkdtemp(prefix="laptune-small-")
        return shoot(sys.argv[1])
    codes = [subprocess.run([sys.executable, __file__, language], cwd=ROOT).returncode for language in ("en", "zh_CN")]
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
