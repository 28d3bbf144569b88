"""Try it and Compare driven with pytest-qt on tiny trained runs: inference on the worker thread, results in the
widgets, a chat that streams without stalling the GUI thread, Stop, and the main window's hook."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from core.use.load import load_for_inference, resolve_checkpoint
from core.use.predict import predict_text
from gui.qt_try import TryDialog
from tests.use.conftest import chatty_llama, runs  # noqa: F401 - shared fixtures (trained once per session)


@pytest.fixture
def open_dialog(qtbot):
    dialogs = []

    def make(path: Path, **kwargs) -> TryDialog:
        dialog = TryDialog(str(path), **kwargs)
        qtbot.addWidget(dialog)
        dialogs.append(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.task is not None or "Could not" in dialog.status.text(), timeout=60_000)
        return dialog

    yield make
    for dialog in dialogs:
        dialog.shutdown()


def test_ner_highlights_entities(open_dialog, qtbot, runs) -> None:  # noqa: F811
    dialog = open_dialog(runs["ner"])
    assert dialog.task == "ner" and dialog.entityView.isVisible() and not dialog.chatView.isVisible()
    assert dialog.deviceLabel.text() == "Running on the CPU."
    dialog.inputEdit.setPlainText("华为公司位于杭州。")
    dialog.predictButton.click()
    qtbot.waitUntil(lambda: not dialog.busy and "entities" in dialog.status.text(), timeout=30_000)
    html = dialog.entityView.toHtml()
    assert "华为公司" in html and "ORG" in html and "background-color" in html
    assert dialog.status.text().startswith("1 entities") or "entities" in dialog.status.text()


def test_classification_probability_bars(open_dialog, qtbot, runs) -> None:  # noqa: F811
    dialog = open_dialog(runs["cls"], training_active=True)
    assert "training run is using the GPU" in dialog.deviceLabel.text()   # the run keeps the GPU
    dialog.inputEdit.setPlainText("今天下雨刮风")
    dialog.predictButton.click()
    qtbot.waitUntil(lambda: not dialog.busy and "Predicted" in dialog.status.text(), timeout=30_000)
    expected = predict_text(load_for_inference(resolve_checkpoint(runs["cls"])), "今天下雨刮风")["probabilities"]
    assert set(dialog.bars) == set(expected)
    for label, p in expected.items():
        assert dialog.bars[label].value() == round(p * 1000)
    assert sum(b.value() for b in dialog.bars.values()) == pytest.approx(1000, abs=3)


def test_chat_streams_without_stalling_the_gui(open_dialog, qtbot, chatty_llama) -> None:  # noqa: F811
    dialog = open_dialog(chatty_llama)
    assert dialog.task == "sft" and dialog.chatView.isVisible() and not dialog.tabs.isTabEnabled(1)
    dialog.worker.chat.max_new_tokens = 120
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(5)
    pieces: list[str] = []
    dialog.worker.piece.connect(pieces.append)
    dialog.messageEdit.setText("reverse abcd")
    dialog.sendButton.click()
    assert dialog.busy and dialog.stopButton.isEnabled()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    timer.stop()
    assert len(pieces) > 10 and dialog.reply == "".join(pieces)
    assert "reverse abcd" in dialog.chatView.toPlainText() and dialog.reply.strip()[:10] in dialog.chatView.toPlainText()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert max(gaps) < 0.050, f"GUI thread stalled {max(gaps) * 1000:.0f} ms while the chat streamed"
    assert len(dialog.worker.chat.history) == 2
    # Stop: a long reply ends after a few tokens.
    dialog.worker.chat.max_new_tokens = 5000
    dialog.messageEdit.setText("upper cgd")
    dialog.sendButton.click()
    qtbot.waitUntil(lambda: len(dialog.reply) > 3, timeout=30_000)
    dialog.stopButton.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
    assert dialog.worker.chat.last_tokens < 1000
    dialog.resetButton.click()
    qtbot.waitUntil(lambda: dialog.worker.chat.history == [], timeout=5_000)
    assert dialog.chatView.toPlainText() == ""


def test_compare_tab(open_dialog, qtbot, runs) -> None:  # noqa: F811
    from core.use.compare import checkpoint_table, default_pair

    dialog = open_dialog(runs["ner"])
    table = checkpoint_table(runs["ner"])
    a, b = default_pair(table)
    assert (dialog.compareA.currentData(), dialog.compareB.currentData()) == (a, b)
    assert dialog.metricsTable.rowCount() == len(table.rows)
    marked = [dialog.metricsTable.item(i, 0).text() for i in range(dialog.metricsTable.rowCount())
              if "★" in dialog.metricsTable.item(i, 0).text()]
    assert marked == [next(r.name for r in table.rows if r.best) + " ★"]
    dialog.tabs.setCurrentIndex(1)
    dialog.compareInput.setText("华为公司位于杭州。")
    dialog.compareButton.click()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.status.text() == "Compared.", timeout=60_000)
    assert a in dialog.answerA.toPlainText() and b in dialog.answerB.toPlainText()
    assert "华为公司" in dialog.answerA.toHtml() and "华为公司" in dialog.answerB.toHtml()


def test_main_window_opens_try_for_the_selected_run(make_window, qtbot, runs) -> None:  # noqa: F811
    window = make_window()
    window.runsView.reload(runs["cls"].parent)
    item = next(window.runsView.topLevelItem(i) for i in range(window.runsView.topLevelItemCount())
                if Path(window.runsView.topLevelItem(i).data(0, 256)) == runs["cls"])
    window.runsView.setCurrentItem(item)
    window.findChild(type(window.buttons["openRunButton"]), "tryButton").click()
    dialog = window.findChild(TryDialog)
    assert dialog is not None and dialog.run_path == str(runs["cls"])
    qtbot.waitUntil(lambda: dialog.task == "classify", timeout=60_000)
    dialog.close()


def test_score_on_ifeval_from_compare(open_dialog, qtbot, runs) -> None:  # noqa: F811
    pytest.importorskip("lm_eval", reason="IFEval scoring needs lm-eval (pip install 'laptune[eval]')")
    sample = Path(__file__).resolve().parents[1] / "use" / "ifeval_sample.jsonl"
    dialog = open_dialog(runs["sft"], training_active=True, in_progress=True)
    assert dialog.checkpointCombo.itemData(0) == "latest"   # the run in progress: its latest checkpoint
    dialog.tabs.setCurrentIndex(1)
    assert dialog.benchRow.isVisible()
    dialog.eval_limit, dialog.eval_max_tokens = 2, 4
    dialog.promptsEdit.setText(str(sample))
    dialog.evalButton.click()
    assert dialog.evalProgressBar.isVisible() and dialog.cancelEvalButton.isVisible()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=120_000)
    assert "IFEval scores" in dialog.status.text(), dialog.status.text()
    headers = [dialog.metricsTable.horizontalHeaderItem(j).text() for j in range(dialog.metricsTable.columnCount())]
    assert headers[-1] == "ifeval prompt_level_strict_acc"
    names = [dialog.metricsTable.item(i, 0).text() for i in range(dialog.metricsTable.rowCount())]
    assert sum("☆" in n for n in names) == 1
    # Cancel: stops before the next batch; what finished stays.
    dialog.evalButton.click()
    dialog.cancelEvalButton.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=120_000)
    assert "cancelled" in dialog.status.text()
