"""The tray on a desktop that has one: notifications at a guard pause and at the end, keep-running-in-the-tray on close.

Offscreen Qt and a bare Xvfb have no system tray, so the tests check what the app *sends* (Notifier.sent).
This script checks what a user *sees*, on an X11 desktop with a real XEmbed tray (trayer):

    Xvfb :77 -screen 0 1366x768x24 &  DISPLAY=:77 trayer --edge bottom --align right --width 120 \\
        --widthtype pixel --height 28 &
    DISPLAY=:77 .venv/bin/python docs/screenshots/check_tray.py [--out FOLDER] [--language zh_CN]

It runs the CPU demo with a replayed hot-GPU trace, screenshots the whole screen when the guard's pause
balloon is up (tray-paused-en.png), closes the window choosing "keep running in the tray" (the window must
hide, the icon stay, a balloon say training goes on: tray-hidden-en.png), clicks the icon with xdotool
(the window must come back), and waits for the run to finish (tray-finished-en.png). Prints each check; exits 1 if one fails.
Screenshots go to docs/screenshots/ unless --out names another folder (tests/gui/test_tray_desktop.py).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
TRACE = ROOT / "tests" / "fixtures" / "traces" / "hot_gpu_fast.jsonl"

from make_screenshots import pump, wait_for  # noqa: E402  (the same event-loop helpers)


def main() -> int:
    out = Path(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv else HERE
    language = sys.argv[sys.argv.index("--language") + 1] if "--language" in sys.argv else "en"
    suffix = "en" if language == "en" else "zh"
    os.environ.setdefault("LAPTUNE_HOME", tempfile.mkdtemp(prefix="laptune-tray-"))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QSystemTrayIcon

    from core.machine.fakes import fake_probe
    from gui.app import build_main_window, ensure_app

    app = ensure_app()
    failures: list[str] = []

    def check(ok: bool, what: str) -> None:
        print(("PASS " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    def screen(name: str) -> None:
        app.primaryScreen().grabWindow(0).save(str(out / name))
        print(f"     saved {out / name}")

    check(QSystemTrayIcon.isSystemTrayAvailable(), "the desktop has a system tray")
    window = build_main_window(fake_probe("laptop-4060-8gb"), language=language)
    window.wizard_defaults = {"initial_preset": "demo", "sensor_trace": str(TRACE),
                              "extra_overrides": {"training.max_steps": 400, "training.logging_steps": 1,
                                                  "training.eval_steps": 100, "training.save_steps": 100}}
    window.setGeometry(0, 0, 1100, 700)
    window.show()
    pump(2.0)
    check(window.notifier.tray is not None and window.notifier.tray.isVisible(), "the tray icon shows once the window is up")
    window.open_wizard()
    plan = window.wizard.make_plan()
    window.wizard.reject()
    window.plan = plan
    window.start_plan(plan)

    def sent(title: str) -> bool:    # the window's own (translated) notification title
        return any(t == window.tr(title) for t, _ in window.notifier.sent)

    paused = wait_for(lambda: sent("LapTune paused training"), 180)
    check(paused, "a guard pause sends a tray notification")
    pump(1.0)
    screen(f"tray-paused-{suffix}.png")

    # Close during the run: the question appears; click "Keep training in the background" as a user would.
    def answer() -> None:
        box = app.activeModalWidget()
        check(box is not None and box.objectName() == "closeDialog", "closing during a run asks first")
        if box is not None:
            screen(f"tray-close-question-{suffix}.png")
            keep = [b for b in box.buttons() if b.text() == window.dialogs.tr("Keep training in the background")]
            (keep[0] if keep else box.buttons()[-1]).click()

    QTimer.singleShot(800, answer)
    window.close()
    pump(1.0)
    check(not window.isVisible() and window.controller.active, "closing with 'keep running' hides the window; training goes on")
    check(sent("LapTune keeps training"), "a notification says training goes on")
    screen(f"tray-hidden-{suffix}.png")

    # Click the icon in the tray with the X server's pointer (xdotool), as a user would.
    where = window.notifier.tray.geometry().center()
    clicked = shutil.which("xdotool") is not None and subprocess.run(
        ["xdotool", "mousemove", str(where.x()), str(where.y()), "click", "1"], check=False).returncode == 0
    if not clicked:
        print("     (no xdotool: activating the icon through its signal instead)")
        window.notifier.tray.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    pump(1.0)
    check(window.isVisible(), "clicking the tray icon brings the window back")

    finished = wait_for(lambda: not window.controller.active, 300)
    check(finished and sent("LapTune finished training"), "the end of the run sends a notification")
    pump(1.0)
    screen(f"tray-finished-{suffix}.png")
    print("notifications sent:", *[f"  {title}: {text}" for title, text in window.notifier.sent], sep="\n")
    window.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
