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
