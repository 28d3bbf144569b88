"""Screenshots of the main window after a finished run that the guard paused on the way, at 1366x768, in
English and Chinese (run-finished-en.png, run-finished-zh.png): status line, log, hardware panel, run history
and plots as a user sees them once training is done.

Run under a display (a real one or Xvfb), or offscreen (the window renders itself):
    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_finished_screenshots.py
The hardware is the fake RTX 4060 laptop profile; the run is the CPU demo with the replayed sensor trace
docs/screenshots/demo_trace.jsonl, which heats the GPU past 85 °C 8 s in.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from make_screenshots import per_language, pump, wait_for  # noqa: E402


def shoot(language: str) -> None:
    from core.machine.fakes import fake_probe
    from gui.app import build_main_window

    suffix = "en" if language == "en" else "zh"
    window = build_main_window(fake_probe("laptop-4060-8gb"), language=language)
    window.wizard_defaults = {"initial_preset": "demo", "sensor_trace": str(HERE / "demo_trace.jsonl"),
                              "extra_overrides": {"training.max_steps": 1000, "training.logging_steps": 10,
                                                  "training.eval_steps": 100, "training.save_steps": 300}}
    window.setGeometry(0, 0, 1366, 768)
    window.show()
    pump(1.0)
    window.open_wizard()
    plan = window.wizard.make_plan()
    window.wizard.reject()
    window.plan = plan
    window.start_plan(plan)
    if not wait_for(lambda: window.controller.thread is None and window.state == "idle", 300):
        raise SystemExit("the run did not finish within 300 s")
    if not window._plots.pause_regions:
        raise SystemExit("the guard did not pause the run: no screenshot of a guarded run")
    pump(1.5)
    window.grab().save(str(HERE / f"run-finished-{suffix}.png"))
    window.close()
    print(f"{language}: saved", file=sys.stderr)


def main() -> int:
    return per_language(__file__, shoot)


if __name__ == "__main__":
    sys.exit(main())
