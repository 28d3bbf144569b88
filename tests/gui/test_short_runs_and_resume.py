"""A short run's plots draw every point (markers while a curve has few), and the resume dialog: the settings a
resume may change, and a run that stopped before its first checkpoint."""
from __future__ import annotations

import json

import pytest


@pytest.fixture
def panel(qtbot):
    from gui.qt_plots import PlotPanel

    widget = PlotPanel()
    widget._timer.stop()
    qtbot.addWidget(widget)
    widget.resize(900, 450)
    widget.show()
    return widget


def test_a_single_logged_point_is_drawn_and_markers_go_once_the_line_is_long(panel):
    from gui.qt_plots import FEW_POINTS

    panel.add_log(1, 2.5, 1e-3, t=0.0)
    panel.refresh()
    for key in ("loss", "lr"):
        curve = panel.curves[key]
        assert curve.opts["symbol"] == "o" and len(curve.scatter.data) == 1, key   # one point: a marker, not nothing
    assert panel.curves["loss"].opts["symbolBrush"].color().name() == panel.curves["loss"].opts["pen"].color().name()
    for step in range(2, FEW_POINTS + 5):
        panel.add_log(step, 2.5 / step, 1e-3, t=float(step))
    panel.refresh()
    assert panel.curves["loss"].opts["symbol"] is None and panel.curves["lr"].opts["symbol"] is None
    assert panel.curves["eval_loss"].opts["symbol"] == "o"   # eval points keep their own markers


def _run_folder(base, name, steps):
    from core.config.presets import load_preset
    from core.record.runs import COMPLETE_MARK, RunDir

    rd = RunDir.create(base / name)
    rd.write_run_yaml(load_preset("demo"), preset=None, preset_dir=None, sources={}, hardware={}, faults={})
    for step in steps:
        folder = rd.checkpoints_dir / f"checkpoint-{step}"
        folder.mkdir()
        (folder / "trainer_state.json").write_text(json.dumps({"log_history": [{"step": step, "loss": 1.0}]}))
        (folder / COMPLETE_MARK).write_text("ok")
    return rd.path


def test_resume_dialog_changes_only_resumable_settings_and_resumes_a_never_saved_run(qtbot, tmp_path):
    from gui.qt_resume import ResumeDialog

    saved = _run_folder(tmp_path, "saved", [10, 20])
    never = _run_folder(tmp_path, "never", [])
    runs = [{"path": saved, "preset": "demo"}, {"path": never, "preset": "demo"}]
    dialog = ResumeDialog(runs, current=str(saved))
    qtbot.addWidget(dialog)
    assert dialog.selected() == (str(saved), 20) and dialog.settings() == []
    boxes = dialog.settingBoxes
    assert boxes["training.save_total_limit"].value() == 3 and boxes["training.save_steps"].value() == 30
    boxes["training.save_total_limit"].setValue(1)
    boxes["training.eval_steps"].setValue(0)    # "each epoch"
    assert dialog.settings() == ["training.save_total_limit=1", "training.eval_steps=null"]
    from core.config.presets import load_preset
    from core.config.resume_sets import apply_resume_sets

    new, _ = apply_resume_sets(load_preset("demo"), dialog.settings())   # what the dialog gives, the core takes
    assert new.training.save_total_limit == 1 and new.training.eval_steps is None

    dialog.runCombo.setCurrentIndex(1)
    assert dialog.selected() == (str(never), None)
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    assert "starts again from step 0" in dialog.note.text()


def test_the_disk_rule_speaks_chinese(make_window):
    from core.record.events import GuardAction
    from gui.qt_text import guard_text

    make_window(language="zh_CN")
    pause = GuardAction(action="pause", rule="disk", value=1.1e9, threshold=1.2e9,
                        message="Disk nearly full: 1.1 GB free on the run's disk, a checkpoint needs 1.0 GB: paused")
    assert guard_text(pause) == "磁盘快满了：只剩 1.1 GB，不够保存下一个检查点：已暂停；腾出空间后训练会自动继续"
    resume = GuardAction(action="resume", rule="disk", value=2.5e9, threshold=2.0e9, message="Disk space freed")
    assert guard_text(resume) == "磁盘空间已腾出（剩余 2.5 GB）：已继续"
    make_window(language="en")   # back to English for the tests that follow
