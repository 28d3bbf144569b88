"""The wizard's data page with the new forms: detected shapes in the summary, NER entities
highlighted in the preview, chat turns, and "Save an example file"."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from core.data.examples import write_example


def _data_page(make_window, preset: str):
    window = make_window(initial_preset=preset)
    window.open_wizard()
    wizard = window.wizard
    for _ in range(2):
        wizard.next()
    page = wizard.pages[2]
    assert page.objectName() == "dataPage"
    return wizard, page


def test_cluener_file_previews_entities_highlighted(make_window, qtbot, tmp_path: Path):
    wizard, page = _data_page(make_window, "demo-ner")
    data = write_example("ner", tmp_path / "train.json", form="cluener")
    page.trainEdit.setText(str(data))
    page.check()
    assert "train.json: 3 examples (CLUENER JSON, UTF-8)" in page.summary.text()
    assert page.isComplete()
    cell = page.preview.cellWidget(0, 0)
    assert 'background-color' in cell.text() and "<sub>PER</sub>" in cell.text() and "李华" in cell.text()
    assert any("inclusive" in page.problemList.item(i).text() for i in range(page.problemList.count()))
    wizard.reject()


def test_wrong_task_file_says_which_task_it_fits(make_window, qtbot, tmp_path: Path):
    wizard, page = _data_page(make_window, "demo")            # classification
    data = write_example("ner", tmp_path / "train.txt", form="conll")
    page.trainEdit.setText(str(data))
    page.check()
    assert not page.isComplete()
    assert "--task ner" in page.problemList.item(0).text()
    wizard.reject()


def test_save_an_example_file(make_window, qtbot, tmp_path: Path, monkeypatch):
    wizard, page = _data_page(make_window, "demo-sft")
    target = tmp_path / "mine.jsonl"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    written = page.save_example()
    assert written == target and target.exists()
    page.trainEdit.setText(str(target))
    page.check()
    assert page.isComplete()
    assert "<b>assistant</b>" in page.preview.cellWidget(0, 0).text()
    assert str(target) in page.exampleStatus.text()
    wizard.reject()


def test_four_clicks_from_a_data_file_to_a_guarded_run(make_window, qtbot, tmp_path: Path, monkeypatch):
    """New run, Choose data file (the file dialog answers), Next, Start training: a running run with the
    guard on. The recommended CPU preset's model (bert-base-chinese) is not on a test machine, so the
    bundled tiny BERT stands in through the wizard's extra overrides, with the demo's few steps."""
    from tests.gui.conftest import DEMO_OVERRIDES

    root = Path(__file__).resolve().parents[2]
    data = root / "resources" / "demo" / "cls_train.csv"
    extra = {**DEMO_OVERRIDES, "model.name_or_path": str(root / "resources" / "demo" / "bert-tiny"),
             "model.init_from_scratch": True, "training.max_seq_length": 32, "training.batch_size": 8}
    window = make_window("cpu-only", extra_overrides=extra)
    window.show()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(data), ""))
    clicks = 0

    def click(button) -> None:
        nonlocal clicks
        assert button.isEnabled() and button.isVisible(), button.text()
        clicks += 1
        button.click()

    click(window.buttons["newRunButton"])
    wizard = window.wizard
    start = wizard.currentPage()
    assert start.objectName() == "startPage"
    click(start.chooseButton)
    assert start.taskCombo.currentData() == "classify" and start.presetCombo.currentData() == "cls-cpu"
    assert "Recommended for this computer" in start.reason.text()
    assert "classification, CSV (sure" in start.recognised.text()
    from PySide6.QtWidgets import QWizard

    click(wizard.button(QWizard.WizardButton.NextButton))
    review = wizard.currentPage()
    assert review.objectName() == "reviewPage"
    summary = review.summary.text()
    assert "480 examples" in summary and "effective batch" in summary and "pause at GPU" in summary
    assert "bert-tiny (a folder on this computer)" in summary
    assert not review.configView.isVisible() and "ner." not in review.configView.toPlainText()
    assert "classify." in review.configView.toPlainText()
    click(wizard.button(QWizard.WizardButton.FinishButton))
    assert clicks == 4
    assert window.plan is not None and window.plan.config.guard.enabled
    assert window.plan.config.data.train == str(data)
    qtbot.waitUntil(lambda: window.state == "running", timeout=120_000)


def test_customise_goes_through_every_page(make_window, qtbot, tmp_path: Path):
    window = make_window("cpu-only")
    window.open_wizard(initial_data=str(write_example("ner", tmp_path / "a.json", form="cluener")))
    wizard = window.wizard
    start = wizard.currentPage()
    qtbot.waitUntil(lambda: start.report is not None)
    assert start.taskCombo.currentData() == "ner" and start.isComplete()
    start.customise.setChecked(True)
    names = []
    while wizard.currentPage() is not wizard.pages[-1]:
        wizard.next()
        names.append(wizard.currentPage().objectName())
    assert names == ["hardwarePage", "taskModelPage", "dataPage", "settingsPage", "guardPage", "reviewPage"]
    assert wizard.pages[1].presetCombo.currentData() == start.presetCombo.currentData()
    assert "a.json: 3 examples (CLUENER JSON" in wizard.pages[2].summary.text()
    wizard.reject()


def test_a_file_dropped_on_the_main_window_starts_a_run_from_it(make_window, qtbot, tmp_path: Path):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    data = write_example("sft", tmp_path / "chat.json", form="alpaca")
    window = make_window("cpu-only")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(data))])
    enter = QDragEnterEvent(QPointF(10, 10).toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    window.dropEvent(QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier))
    wizard = window.wizard
    start = wizard.currentPage()
    assert start.objectName() == "startPage"
    qtbot.waitUntil(lambda: start.report is not None)
    assert start.taskCombo.currentData() == "sft" and start.report.form == "alpaca" and start.isComplete()
    wizard.reject()


def test_start_page_saves_an_example_of_the_chosen_task_and_reads_it(make_window, qtbot, tmp_path: Path, monkeypatch):
    window = make_window("cpu-only")
    window.open_wizard()
    start = window.wizard.currentPage()
    start.taskCombo.setCurrentIndex(start.taskCombo.findData("ner"))
    target = tmp_path / "mine.txt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert start.save_example() == target
    assert start.report is not None and start.report.task == "ner" and start.report.form == "conll"
    assert start.isComplete()
    window.wizard.reject()
