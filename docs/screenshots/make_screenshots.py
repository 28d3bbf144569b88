"""Screenshots of the app at 1366x768 for the README: the data-first start page and its short review, each
wizard page and a run in progress, in English and Chinese.

Run under a display (a real one or Xvfb):
    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_screenshots.py
The hardware is the fake RTX 4060 laptop profile; the run is the CPU demo with a replayed sensor trace
(docs/screenshots/demo_trace.jsonl) so the guard pause and the temperature plot have something to show.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))


def pump(seconds: float) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def wait_for(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        pump(0.1)
        if predicate():
            return True
    return False


def shoot(language: str) -> None:
    from core.machine.fakes import fake_probe
    from gui.app import build_main_window, ensure_app

    app = ensure_app()
    suffix = "en" if language == "en" else "zh"
    window = build_main_window(fake_probe("laptop-4060-8gb"), language=language)
    window.wizard_defaults = {"initial_preset": "demo", "sensor_trace": str(HERE / "demo_trace.jsonl"),
                              "extra_overrides": {"training.max_steps": 1500, "training.logging_steps": 1,
                                                  "training.eval_steps": 50, "training.save_steps": 500}}
    window.setGeometry(0, 0, 1366, 768)
    window.show()
    pump(2.5)
    window.grab().save(str(HERE / f"main-idle-{suffix}.png"))
    # A new run starts from the data: the start page with a file, then Next straight to the short review.
    window.open_wizard(initial_data=str(ROOT / "resources" / "demo" / "cls_train.csv"))
    wizard = window.wizard
    wizard.setStartId(wizard.start_id)
    wizard.restart()
    wizard.move(200, 40)
    wait_for(lambda: wizard.startPage.report is not None, 30)
    pump(0.6)
    wizard.grab().save(str(HERE / f"wizard-0-start-{suffix}.png"))
    wizard.next()
    pump(0.6)
    wizard.grab().save(str(HERE / f"wizard-0-review-{suffix}.png"))
    wizard.reject()
    pump(0.5)
    window.open_wizard()
    wizard = window.wizard
    wizard.move(200, 40)
    for index, page in enumerate(wizard.pages, 1):
        pump(0.6)
        if page.objectName() == "settingsPage":
            page.autoFitButton.click()
            pump(0.3)
        wizard.grab().save(str(HERE / f"wizard-{index}-{page.objectName().removesuffix('Page')}-{suffix}.png"))
        if index < len(wizard.pages):
            wizard.next()
    wizard.accept()
    # The trace heats the GPU past 85 °C 8 s into training: the shot shows the guard's pause.
    if not wait_for(lambda: window._plots is not None and window._plots.pause_regions and window.state == "paused", 120):
        raise SystemExit("the guard did not pause the run within 120 s: no screenshot of a pause")
    pump(1.0)
    app.primaryScreen().grabWindow(0).save(str(HERE / f"run-{suffix}.png"))
    window.grab().save(str(HERE / f"run-window-{suffix}.png"))
    window.request_stop()
    wait_for(lambda: window.state == "idle", 120)
    window.close()
    print(f"{language}: saved", file=sys.stderr)


def per_language(script: str, shoot) -> int:
    """`script LANGUAGE` shoots one language in a fresh data folder; bare, it runs itself once per language
    (one process each: a clean app per language)."""
    if len(sys.argv) > 1:
        os.environ["LAPTUNE_HOME"] = tempfile.mkdtemp(prefix="laptune-shots-")
        shoot(sys.argv[1])
        return 0
    for language in ("en", "zh_CN"):
        subprocess.run([sys.executable, script, language], check=True, cwd=ROOT)
    return 0


def main() -> int:
    return per_language(__file__, shoot)


if __name__ == "__main__":
    sys.exit(main())
