"""Runs driven through the window: the demo preset on the CPU with a handful of steps."""
from __future__ import annotations

from pathlib import Path

from tests.gui.conftest import DEMO_OVERRIDES

TRACES = Path(__file__).resolve().parents[1] / "fixtures" / "traces"
LONG = 120_000   # ms; the first run in a process imports torch and transformers


def _walk_and_finish(window, qtbot) -> None:
    window.buttons["newRunButton"].click()
    wizard = window.wizard
    while wizard.currentPage() is not wizard.pages[-1]:
        assert wizard.currentPage().isComplete(), wizard.currentPage().objectName()
        wizard.next()
    assert "--set training.max_steps=12" in wizard.pages[-1].commandLine.toPlainText()
    wizard.accept()                          # Finish: starts the run


def test_start_pause_resume_stop_resume_from_checkpoint_finish(make_window, qtbot, tmp_path):
    window = make_window("cpu-only", initial_preset="demo", extra_overrides=dict(DEMO_OVERRIDES))
    window.show()
    _walk_and_finish(window, qtbot)
    assert window.state == "starting" and not window.buttons["startButton"].isEnabled()
    plots = window.ensure_plots()
    qtbot.waitUntil(lambda: plots.series["loss"].n > 0 and window.state == "running", timeout=LONG)
    plots.refresh()
    assert len(plots.curves["loss"].getData()[0]) > 0             # the loss plot received points
    assert plots.plots["lossPlot"].objectName() == "lossPlot"

    window.buttons["pauseButton"].click()
    qtbot.waitUntil(lambda: window.state == "paused", timeout=30_000)
    assert "Paused" in window.statusLine.text()
    assert window.buttons["resumeButton"].isEnabled() and not window.buttons["pauseButton"].isEnabled()
    qtbot.waitUntil(lambda: bool(plots.pause_regions) and all(r.getViewBox() is not None for r in plots.pause_regions),
                    timeout=5_000)                                  # the pause is shaded on the time plots
    window.buttons["resumeButton"].click()
    qtbot.waitUntil(lambda: window.state == "running", timeout=30_000)

    window.buttons["stopButton"].click()
    assert window.state == "stopping"
    qtbot.waitUntil(lambda: window.controller.thread is None and window.state == "idle", timeout=60_000)
    from core.record.runs import RunDir

    rd = RunDir.open(window.current_run)
    assert rd.read_summary()["status"] == "stopped"
    stopped_at = rd.read_summary()["global_step"]
    assert stopped_at < 12 and any(c.step == stopped_at and c.complete for c in rd.checkpoints())
    assert any("stopped" in title for title, _ in window.notifier.sent)
    loss_points = plots.series["loss"].n

    window.buttons["resumeCheckpointButton"].click()
    dialog = window.resumeDialog
    assert dialog.objectName() == "resumeDialog" and dialog.table.rowCount() >= 1
    dialog.select_step(stopped_at)
    assert dialog.selected() == (str(rd.path), stopped_at)
    dialog.accept()
    qtbot.waitUntil(lambda: window.state in ("running", "idle") and plots.series["loss"].n > loss_points, timeout=LONG)
    qtbot.waitUntil(lambda: window.controller.thread is None and window.state == "idle", timeout=LONG)
    summary = rd.read_summary()
    assert summary["status"] == "completed" and summary["global_step"] == 12
    steps = plots.series["loss"].data()[0]
    assert steps[0] == 1 and steps[-1] == 12 and (steps[1:] > steps[:-1]).all()   # the plot continued
    assert any("finished" in title for title, _ in window.notifier.sent)
    assert "Finished" in window.statusLine.text()

    # history, export
    assert window.runsView.topLevelItemCount() >= 1
    plots.export_png("lossPlot", tmp_path / "loss.png")
    plots.export_csv(tmp_path / "metrics.csv")
    assert (tmp_path / "loss.png").stat().st_size > 1000
    rows = (tmp_path / "metrics.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("step,loss,loss_smoothed,learning_rate") and len(rows) == 13
    window.open_run(str(rd.path))
    assert plots.series["loss"].n == 12 and "Showing run" in window.statusLine.text()
    import gc
    # The preload froze the training stack out of the collector's way (gui/qt_preload.py); the runs left it
    # frozen and collection on (core/train/collector.py).
    assert gc.isenabled() and gc.get_freeze_count() > 0


def test_guard_pause_from_a_sensor_trace_and_close_during_run(make_window, qtbot):
    window = make_window("cpu-only", initial_preset="demo", sensor_trace=str(TRACES / "hot_gpu_fast.jsonl"),
                         extra_overrides={**DEMO_OVERRIDES, "training.max_steps": 2000, "training.eval_steps": None,
                                          "training.save_steps": None})
    window.show()
    window.open_wizard()
    plan = window.wizard.make_plan()
    window.wizard.reject()
    window.plan = plan
    window.start_plan(plan)
    plots = window.ensure_plots()
    qtbot.waitUntil(lambda: "Paused by the guard" in window.statusLine.text(), timeout=LONG)
    assert "GPU 88 °C ≥ 85 °C: paused; resumes below 75 °C" in window.statusLine.text()
    assert "GPU 88 °C ≥ 85 °C" in window.logPanel.toPlainText()
    qtbot.waitUntil(lambda: bool(plots.pause_regions) and all(r.getViewBox() is not None for r in plots.pause_regions),
                    timeout=30_000)                                 # ... and on the plots
    assert plots.series["gpu_temp"].n > 0
    assert any("paused" in title for title, _ in window.notifier.sent)
    qtbot.waitUntil(lambda: "resumed" in window.logPanel.toPlainText(), timeout=30_000)

    # Closing during a run asks; "stop" saves a checkpoint and closes once it is saved.
    window.close()
    assert window.dialogs.close_asked == 1 and window.isVisible() and window.state == "stopping"
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=60_000)
    from core.record.runs import RunDir

    rd = RunDir.open(window.current_run)
    assert rd.read_summary()["status"] == "stopped" and rd.latest_checkpoint() is not None


def test_a_failed_run_shows_one_clear_dialog(make_window, qtbot, tmp_path):
    window = make_window("cpu-only", initial_preset="demo", extra_overrides=dict(DEMO_OVERRIDES))
    window.open_wizard()
    plan = window.wizard.make_plan()
    window.wizard.reject()
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\n,天气\n", encoding="utf-8")
    plan.config = plan.config.model_copy(update={"data": plan.config.data.model_copy(update={"train": str(bad)})})
    window.start_plan(plan)
    qtbot.waitUntil(lambda: window.controller.thread is None and window.state == "idle", timeout=LONG)
    assert len(window.dialogs.failures) == 1
    failure = window.dialogs.failures[0]
    assert failure.error_type == "DataError" and "empty text" in failure.message
    assert "Traceback" not in failure.message and Path(failure.log_path).exists()
    assert "failed" in window.statusLine.text()
