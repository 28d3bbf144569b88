"""The main window and the wizard without training: buttons, wizard pages, bad data, language, startup."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gui.qt_main import BUTTONS

ROOT = Path(__file__).resolve().parents[2]


def test_buttons_exist_and_are_consistent_when_idle(make_window, qtbot):
    window = make_window()
    for name in BUTTONS:
        assert window.findChild(type(window.buttons[name]), name) is not None
    enabled = {name for name, b in window.buttons.items() if b.isEnabled()}
    assert enabled == {"newRunButton", "resumeCheckpointButton", "openRunButton"}   # no plan yet: no Start
    window.set_state("running")
    assert not window.buttons["startButton"].isEnabled() and window.buttons["pauseButton"].isEnabled()
    assert not window.buttons["newRunButton"].isEnabled()
    window.set_state("paused")
    assert window.buttons["resumeButton"].isEnabled() and not window.buttons["pauseButton"].isEnabled()
    window.set_state("idle")


def test_hardware_panel_shows_the_probe_and_live_readings(make_window, qtbot):
    window = make_window("laptop-4060-8gb")
    window.show()
    qtbot.waitUntil(lambda: window.hardware.last_sample is not None, timeout=5000)
    assert "RTX 4060" in window.hardware.gpu.text()
    assert "%" in window.hardware.ram.text()
    assert "battery 55 %" in window.hardware.power.text()
    qtbot.waitUntil(lambda: window._plots is not None, timeout=5000)
    for name in ("lossPlot", "vramPlot", "tempPlot", "ramPlot"):
        assert window._plots.plots[name].objectName() == name


def test_wizard_pages_with_the_demo(make_window, qtbot):
    window = make_window("cpu-only", initial_preset="demo")
    window.buttons["newRunButton"].click()
    wizard = window.wizard
    assert wizard.objectName() == "presetWizard"
    names = []
    while True:
        page = wizard.currentPage()
        names.append(page.objectName())
        assert page.isComplete(), page.objectName()
        if page is wizard.pages[-1]:
            break
        wizard.next()
    assert names == ["hardwarePage", "taskModelPage", "dataPage", "settingsPage", "guardPage", "reviewPage"]
    assert "CPU" in wizard.pages[0].choice.text()
    assert wizard.pages[1].presetCombo.currentData() == "demo"
    assert "cls_train.csv: 480 examples" in wizard.pages[2].summary.text()
    assert wizard.pages[2].preview.rowCount() == 5                     # a preview of the first rows
    settings = wizard.pages[3]
    assert settings.level == "green", settings.vramBar.format()
    assert "runtime" in settings.vramBar.toolTip()      # the breakdown on hover
    assert "optimizer steps" in settings.timeLabel.text()
    assert "per epoch" in settings.timeLabel.text() and "in all" in settings.timeLabel.text()   # core/memory/timing.py
    assert "rough; tick 'probe first' to measure" in settings.timeLabel.text()
    assert "TFLOP per optimizer step" in settings.timeLabel.toolTip() and "CPU" in settings.timeLabel.toolTip()
    command = wizard.pages[5].commandLine.toPlainText()
    assert command.startswith("laptune train --preset demo") and "--data" not in command   # the preset's own data
    wizard.reject()


def test_recommended_preset_is_preselected_with_its_reason(make_window, qtbot):
    window = make_window("laptop-3050-4gb")
    window.open_wizard()
    wizard = window.wizard
    assert wizard.currentPage().objectName() == "startPage"     # a new run starts from the data
    wizard.currentPage().customise.setChecked(True)
    wizard.next()
    wizard.next()
    page = wizard.pages[1]
    assert wizard.currentPage() is page
    assert page.presetCombo.currentText().startswith("★")
    assert "Recommended" in page.reason.text()
    wizard.reject()


def test_settings_page_time_estimate_uses_the_gpu_table(make_window, qtbot):
    window = make_window("laptop-4060-8gb", initial_preset="demo")
    window.open_wizard()
    wizard = window.wizard
    for _ in range(3):
        wizard.next()
    settings = wizard.pages[3]
    assert settings.objectName() == "settingsPage"
    tip = settings.timeLabel.toolTip()
    text = settings.timeLabel.text()
    assert "per epoch" in text or "per optimizer step" in text, text
    assert ("RTX 4060" in tip and "TFLOPS" in tip) or "CPU" in tip, tip
    wizard.reject()


def test_settings_autofit_and_guard_validation(make_window, qtbot):
    window = make_window("laptop-3050-4gb", initial_preset="ner-bert-crf-4gb")
    window.open_wizard()
    wizard = window.wizard
    for _ in range(3):
        wizard.next()
    settings = wizard.currentPage()
    assert settings.objectName() == "settingsPage"
    settings.autoFitButton.click()
    texts = [settings.fitChanges.item(i).text() for i in range(settings.fitChanges.count())]
    assert any("training.batch_size" in t for t in texts), texts
    assert settings.editors["training.batch_size"].value() == wizard.resolve().config.training.batch_size
    wizard.next()
    guard = wizard.currentPage()
    editor = guard.editors["guard.gpu_temp_resume_c"]
    editor.editor.setText("90")
    editor.editor.editingFinished.emit()
    assert not guard.isComplete() and "gpu_temp_resume_c" in guard.error.text()
    editor.editor.setText("70")
    editor.editor.editingFinished.emit()
    assert guard.isComplete()
    wizard.reject()


def test_bad_data_shows_its_problem_on_the_data_page(make_window, qtbot, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\n今天下雨,天气\n,体育\n", encoding="utf-8")
    window = make_window("cpu-only", initial_preset="demo")
    window.open_wizard()
    wizard = window.wizard
    wizard.next()
    wizard.next()
    page = wizard.currentPage()
    assert page.isComplete()
    page.trainEdit.setText(str(bad))
    page.check()
    problems = [page.problemList.item(i).text() for i in range(page.problemList.count())]
    assert any("line 3" in p and "empty text" in p for p in problems), problems
    assert not page.isComplete()
    wizard.reject()


def test_chinese_translation(make_window, qtbot):
    window = make_window(language="zh_CN")
    assert window.buttons["pauseButton"].text() == "暂停"
    assert window.buttons["stopButton"].text() != "Stop (save first)"
    window.open_wizard()
    assert window.wizard.pages[0].title() == "你的硬件"
    window.wizard.reject()
    from gui.app import build_main_window

    english = build_main_window(window.fixed_hw, language="en")   # switching back works
    assert english.buttons["pauseButton"].text() == "Pause"
    english.close()
    english.deleteLater()


def test_guard_messages_in_chinese(make_window):
    from core.config.schema import GuardSection
    from core.record.events import GuardAction
    from gui.qt_text import guard_text

    make_window(language="zh_CN")
    action = GuardAction(action="pause", rule="gpu_temp", value=88.0, threshold=85.0,
                         message="GPU 88 °C ≥ 85 °C: paused; resumes below 75 °C")
    assert guard_text(action, GuardSection()) == "GPU 88 °C ≥ 85 °C：已暂停；降到 75 °C 以下时继续"
    from core.record.events import Status
    from gui.qt_text import status_text

    finished = Status(status="completed", message="training finished")
    assert "训练完成" in status_text(finished) and "training" not in status_text(finished)
    from gui.app import build_main_window

    build_main_window(None, language="en").deleteLater()
    assert guard_text(action, GuardSection()) == action.message
    assert status_text(finished) == "Finished: training finished"


def test_startup_imports_no_torch_and_shows_plots():
    """Entry-point smoke run in a subprocess: the window opens and loads its plots without torch."""
    code = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from gui.app import build_main_window, ensure_app\n"
        "app = ensure_app()\n"
        "w = build_main_window()\n"
        "w.show()\n"
        "QTimer.singleShot(1500, app.quit)\n"
        "app.exec()\n"
        "assert w._plots is not None, 'plots did not load'\n"
        "bad = [m for m in ('torch', 'transformers') if m in sys.modules]\n"
        "assert not bad, bad\n"
        "w.close()\n"
        "print('ok')\n"
    )
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "ok" in out.stdout, out.stderr[-2000:]
