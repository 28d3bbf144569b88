"""The Export dialog driven with pytest-qt: opened from the main window for the selected run, an hf export
on the worker thread with its progress and result, and Cancel during a long export leaving nothing behind."""
from __future__ import annotations

import threading
from pathlib import Path

from gui.qt_export import ExportDialog
from tests.use.conftest import runs  # noqa: F401 - shared fixture (trained once per session)


def _select(window, run: Path) -> None:
    window.runsView.reload(run.parent)
    item = next(window.runsView.topLevelItem(i) for i in range(window.runsView.topLevelItemCount())
                if Path(window.runsView.topLevelItem(i).data(0, 256)) == run)
    window.runsView.setCurrentItem(item)


def test_export_dialog_from_the_main_window(make_window, qtbot, runs, tmp_path) -> None:  # noqa: F811
    window = make_window()
    _select(window, runs["cls"])
    window.findChild(type(window.buttons["openRunButton"]), "exportRunButton").click()
    dialog = window.findChild(ExportDialog)
    assert dialog is not None and dialog.run_path == str(runs["cls"])
    formats = [dialog.formatBox.itemData(i) for i in range(dialog.formatBox.count())]
    assert formats == ["hf", "merged", "gguf", "ollama"]
    dialog.formatBox.setCurrentIndex(formats.index("gguf"))
    assert [dialog.precisionBox.itemData(i) for i in range(dialog.precisionBox.count())] == ["f16", "bf16", "q8_0"]
    assert dialog.outEdit.text().endswith("gguf-f16")
    dialog.formatBox.setCurrentIndex(formats.index("hf"))
    assert dialog.outEdit.text() == str(runs["cls"] / "export" / "hf")
    out = tmp_path / "cls-hf"
    dialog.outEdit.setText(str(out))
    seen: list[int] = []
    dialog.progressBar.valueChanged.connect(seen.append)
    dialog.exportButton.click()
    assert dialog.running and not dialog.exportButton.isEnabled() and dialog.cancelButton.text() == "Cancel"
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    assert dialog.result is not None, dialog.statusLabel.text()
    assert (out / "README.md").exists() and (out / "config.json").exists()
    assert dialog.progressBar.value() == 1000 and len(set(seen)) > 2   # it moved through the steps
    assert str(out) in dialog.resultText.toPlainText() and dialog.resultText.isVisible()
    assert dialog.cancelButton.text() == "Close"
    dialog.cancelButton.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)


def test_cancel_during_a_long_export_leaves_nothing(qtbot, runs, tmp_path, monkeypatch) -> None:  # noqa: F811
    import core.use.load as load

    real = load.load_for_inference
    loading = threading.Event()

    def slow_load(*args, **kwargs):   # a long export: loading holds until the user has pressed Cancel
        loading.set()
        deadline = threading.Event()
        while not dialog.worker.cancel_requested.is_set():
            deadline.wait(0.05)
        return real(*args, **kwargs)

    monkeypatch.setattr(load, "load_for_inference", slow_load)
    dialog = ExportDialog(str(runs["cls"]))
    qtbot.addWidget(dialog)
    dialog.show()
    out = tmp_path / "cancelled"
    dialog.outEdit.setText(str(out))
    dialog.exportButton.click()
    qtbot.waitUntil(loading.is_set, timeout=30_000)
    dialog.cancelButton.click()
    assert "Cancelling" in dialog.statusLabel.text()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    assert dialog.result is None and "cancelled" in dialog.statusLabel.text()
    assert not out.exists() and list(tmp_path.glob(".cancelled.partial-*")) == []
    assert dialog.exportButton.isEnabled() and dialog.cancelButton.text() == "Close"
    dialog.shutdown()
