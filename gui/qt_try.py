"""Try it and Compare: a trained model answering in the app (core/use), for any run in the history and for the
run in progress (its latest checkpoint).

- NER: the text with its entities highlighted; classification: a probability bar per label; SFT: a chat
  view with tokens streaming in, Stop and New conversation.
- Compare: two checkpoints (best and last pre-selected) answer the same input side by side, above a table of
  every checkpoint's eval metrics with the best marked (and the best by benchmark, when one was run).

Loading and inference run on an InferenceWorker living on its own QThread, never on the GUI thread. While a
training run holds the GPU, trying runs on the CPU: the guard's memory budget belongs to the run, and the
panel says so.
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThread, Signal, Slot
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QGridLayout, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPlainTextEdit, QProgressBar, QPushButton, QTableWidget, QTableWidgetItem,
                               QTabWidget, QTextBrowser, QVBoxLayout, QWidget)

from gui.qt_try_worker import InferenceWorker, error_text, entity_html

class TryDialog(QDialog):
    """One run: Try it and Compare tabs. Non-modal; closing it ends its worker thread."""

    requestLoad = Signal(str, str, bool)
    requestPredict = Signal(str)
    requestSend = Signal(str)
    requestReset = Signal()
    requestCompare = Signal(str, str, str)
    requestEvaluate = Signal(str, str, int, int)

    def __init__(self, run_path: str, training_active: bool = False, in_progress: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tryDialog")
        self.run_path = run_path
        self.training_active = training_active
        self.task: str | None = None
        self.labels: list[str] = []
        self.busy = False
        self.setWindowTitle(self.tr("Try it: %1").replace("%1", Path(run_path).name))
        self.resize(860, 600)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Checkpoint:")))
        self.checkpointCombo = QComboBox()
        self.checkpointCombo.setObjectName("checkpointCombo")
        top.addWidget(self.checkpointCombo, 1)
        layout.addLayout(top)
        self.deviceLabel = QLabel()
        self.deviceLabel.setObjectName("deviceLabel")
        self.deviceLabel.setWordWrap(True)
        layout.addWidget(self.deviceLabel)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tryTabs")
        layout.addWidget(self.tabs, 1)
        self.status = QLabel()
        self.status.setObjectName("tryStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self._build_try_tab()
        self._build_compare_tab()
        self._fill_checkpoints(in_progress)
        self._start_worker()
        self.checkpointCombo.currentIndexChanged.connect(self._load)
        self._load()

    # ------------------------------------------------------------ building
    def _build_try_tab(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        self.inputEdit = QPlainTextEdit()
        self.inputEdit.setObjectName("tryInput")
        self.inputEdit.setPlaceholderText(self.tr("Type a sentence to try the model on"))
        self.inputEdit.setMaximumHeight(90)
        v.addWidget(self.inputEdit)
        row = QHBoxLayout()
        self.predictButton = QPushButton(self.tr("Predict"))
        self.predictButton.setObjectName("predictButton")
        self.predictButton.clicked.connect(self._predict)
        row.addWidget(self.predictButton)
        row.addStretch(1)
        v.addLayout(row)
        self.entityView = QTextBrowser()
        self.entityView.setObjectName("entityView")
        v.addWidget(self.entityView, 1)
        self.barsHost = QWidget()
        self.barsHost.setObjectName("probabilityBars")
        self.barsLayout = QGridLayout(self.barsHost)
        v.addWidget(self.barsHost, 1)
        self.bars: dict[str, QProgressBar] = {}
        # SFT: a chat view, a message line, Send / Stop / New conversation.
        self.chatView = QTextBrowser()
        self.chatView.setObjectName("chatView")
        v.addWidget(self.chatView, 1)
        chat_row = QHBoxLayout()
        self.messageEdit = QLineEdit()
        self.messageEdit.setObjectName("messageEdit")
        self.messageEdit.setPlaceholderText(self.tr("Message the model and press Enter"))
        self.messageEdit.returnPressed.connect(self._send)
        chat_row.addWidget(self.messageEdit, 1)
        self.sendButton = QPushButton(self.tr("Send"))
        self.sendButton.setObjectName("sendButton")
        self.sendButton.clicked.connect(self._send)
        self.stopButton = QPushButton(self.tr("Stop"))
        self.stopButton.setObjectName("stopChatButton")
        self.stopButton.clicked.connect(self._stop)
        self.resetButton = QPushButton(self.tr("New conversation"))
        self.resetButton.setObjectName("resetChatButton")
        self.resetButton.clicked.connect(self._reset)
        for w in (self.sendButton, self.stopButton, self.resetButton):
            chat_row.addWidget(w)
        self.chatRow = QWidget()
        self.chatRow.setLayout(chat_row)
        v.addWidget(self.chatRow)
        self.tabs.addTab(page, self.tr("Try it"))

    def _build_compare_tab(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        pick = QHBoxLayout()
        pick.addWidget(QLabel(self.tr("A:")))
        self.compareA = QComboBox()
        self.compareA.setObjectName("compareA")
        pick.addWidget(self.compareA, 1)
        pick.addWidget(QLabel(self.tr("B:")))
        self.compareB = QComboBox()
        self.compareB.setObjectName("compareB")
        pick.addWidget(self.compareB, 1)
        v.addLayout(pick)
        self.compareInput = QLineEdit()
        self.compareInput.setObjectName("compareInput")
        self.compareInput.setPlaceholderText(self.tr("The same input goes to both checkpoints"))
        v.addWidget(self.compareInput)
        self.compareButton = QPushButton(self.tr("Compare"))
        self.compareButton.setObjectName("compareButton")
        self.compareButton.clicked.connect(self._compare)
        v.addWidget(self.compareButton)
        sides = QHBoxLayout()
        self.answerA = QTextBrowser()
        self.answerA.setObjectName("answerA")
        self.answerB = QTextBrowser()
        self.answerB.setObjectName("answerB")
        sides.addWidget(self.answerA)
        sides.addWidget(self.answerB)
        v.addLayout(sides, 1)
        bench = QHBoxLayout()
        self.promptsEdit = QLineEdit()
        self.promptsEdit.setObjectName("ifevalPrompts")
        self.promptsEdit.setPlaceholderText(self.tr("IFEval prompts: a local JSONL file, or empty to download google/IFEval"))
        bench.addWidget(self.promptsEdit, 1)
        self.evalButton = QPushButton(self.tr("Score all on IFEval"))
        self.evalButton.setObjectName("ifevalButton")
        self.evalButton.setToolTip(self.tr("Every checkpoint answers the IFEval prompts; lm-eval's checkers score them"))
        self.evalButton.clicked.connect(self._evaluate)
        bench.addWidget(self.evalButton)
        self.evalProgressBar = QProgressBar()
        self.evalProgressBar.setObjectName("ifevalProgress")
        self.evalProgressBar.setVisible(False)
        bench.addWidget(self.evalProgressBar)
        self.cancelEvalButton = QPushButton(self.tr("Cancel"))
        self.cancelEvalButton.setObjectName("ifevalCancel")
        self.cancelEvalButton.setVisible(False)
        self.cancelEvalButton.clicked.connect(self._cancel_evaluate)
        bench.addWidget(self.cancelEvalButton)
        self.benchRow = QWidget()
        self.benchRow.setLayout(bench)
        v.addWidget(self.benchRow)
        self.eval_limit, self.eval_max_tokens = 0, 1280   # all prompts, IFEval's own answer length
        self.metricsTable = QTableWidget(0, 0)
        self.metricsTable.setObjectName("metricsTable")
        self.metricsTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.metricsTable.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        v.addWidget(self.metricsTable, 1)
        self.compareNote = QLabel(self.tr("★ best by the evaluation metric; ☆ best by benchmark. The last checkpoint is not always the best."))
        self.compareNote.setWordWrap(True)
        v.addWidget(self.compareNote)
        self.tabs.addTab(page, self.tr("Compare"))

    def _fill_checkpoints(self, in_progress: bool) -> None:
        from core.use.compare import checkpoint_table, default_pair

        self.table = None
        if not (Path(self.run_path) / "run.yaml").exists():   # a model folder: one model, nothing to compare
            self.checkpointCombo.addItem(Path(self.run_path).name, "")
            self.tabs.setTabEnabled(1, False)
            return
        try:
            self.table = checkpoint_table(self.run_path)
        except Exception as exc:  # noqa: BLE001 - a run folder that cannot be read: say so
            self.status.setText(error_text(exc))
            return
        if in_progress:
            self.checkpointCombo.addItem(self.tr("latest checkpoint (run in progress)"), "latest")
        self.checkpointCombo.addItem(self.tr("best"), "best")
        for row in self.table.rows:
            if row.complete:
                mark = " ★" if row.best else ""
                self.checkpointCombo.addItem(row.name + mark, row.name)
                for combo in (self.compareA, self.compareB):
                    combo.addItem(row.name + mark, row.name)
        a, b = default_pair(self.table)
        self.compareA.setCurrentIndex(max(0, self.compareA.findData(a)))
        self.compareB.setCurrentIndex(max(0, self.compareB.findData(b)))
        self._fill_metrics()

    def _fill_metrics(self) -> None:
        table = self.table
        if table is None:
            return
        metrics = [m for m in ("eval_loss", "eval_f1", "eval_accuracy", "eval_macro_f1", "eval_perplexity")
                   if any(m in r.metrics for r in table.rows)]
        headers = [self.tr("Checkpoint"), self.tr("Train loss")] + [m[5:] for m in metrics]
        if table.benchmark:
            headers.append(f"{table.benchmark} {table.benchmark_metric}")
        self.metricsTable.setColumnCount(len(headers))
        self.metricsTable.setHorizontalHeaderLabels(headers)
        self.metricsTable.setRowCount(len(table.rows))
        for i, r in enumerate(table.rows):
            name = r.name + (" ★" if r.best else "") + (" ☆" if r.best_benchmark else "")
            cells = [name, f"{r.train_loss:.4f}" if r.train_loss is not None else "-"]
            cells += [f"{r.metrics[m]:.4g}" if m in r.metrics else "-" for m in metrics]
            if table.benchmark:
                score = r.benchmarks.get(table.benchmark, {}).get(table.benchmark_metric)
                cells.append(f"{score:.4f}" if score is not None else "-")
            for j, cell in enumerate(cells):
                self.metricsTable.setItem(i, j, QTableWidgetItem(cell))

    # ------------------------------------------------------------ the worker
    def _start_worker(self) -> None:
        self.thread_ = QThread()
        self.thread_.setObjectName("laptune-try")
        self.worker = InferenceWorker()
        self.worker.moveToThread(self.thread_)
        self.requestLoad.connect(self.worker.load)
        self.requestPredict.connect(self.worker.predict)
        self.requestSend.connect(self.worker.send)
        self.requestReset.connect(self.worker.reset)
        self.requestCompare.connect(self.worker.compare)
        self.requestEvaluate.connect(self.worker.evaluate)
        self.worker.evalProgress.connect(self._on_eval_progress)
        self.worker.evalDone.connect(self._on_eval_done)
        self.worker.loaded.connect(self._on_loaded)
        self.worker.result.connect(self._on_result)
        self.worker.piece.connect(self._on_piece)
        self.worker.replyDone.connect(self._on_reply_done)
        self.worker.compared.connect(self._on_compared)
        self.worker.failed.connect(self._on_failed)
        self.thread_.start()

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        for w in (self.predictButton, self.sendButton, self.compareButton, self.checkpointCombo, self.resetButton,
                  self.evalButton):
            w.setEnabled(not busy)
        self.stopButton.setEnabled(busy and self.task == "sft")
        if text:
            self.status.setText(text)

    @Slot()
    def _load(self) -> None:
        self.task = None
        self._show_task_widgets()
        self._set_busy(True, self.tr("Loading the model..."))
        choice = self.checkpointCombo.currentData()
        self.requestLoad.emit(self.run_path, "best" if choice is None else choice, self.training_active)

    def _show_task_widgets(self) -> None:
        task = self.task
        self.inputEdit.setVisible(task in ("ner", "classify"))
        self.predictButton.setVisible(task in ("ner", "classify"))
        self.entityView.setVisible(task == "ner")
        self.barsHost.setVisible(task == "classify")
        self.chatView.setVisible(task == "sft")
        self.chatRow.setVisible(task == "sft")
        self.benchRow.setVisible(task == "sft" and self.table is not None)

    @Slot(object)
    def _on_loaded(self, info: tuple) -> None:
        description, self.task, self.labels, device = info
        self._show_task_widgets()
        if self.training_active:
            self.deviceLabel.setText(self.tr("Running on the CPU: a training run is using the GPU, and its memory budget "
                                             "belongs to the run. Answers come slower than on the GPU."))
        elif device == "cpu":
            self.deviceLabel.setText(self.tr("Running on the CPU."))
        else:
            self.deviceLabel.setText(self.tr("Running on the GPU."))
        if self.task == "classify":
            self._build_bars()
        self._set_busy(False, self.tr("Loaded %1.").replace("%1", description))

    def _build_bars(self) -> None:
        while self.barsLayout.count():
            item = self.barsLayout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.bars = {}
        for i, label in enumerate(self.labels):
            self.barsLayout.addWidget(QLabel(label), i, 0)
            bar = QProgressBar()
            bar.setRange(0, 1000)
            bar.setValue(0)
            bar.setFormat("-")
            self.barsLayout.addWidget(bar, i, 1)
            self.bars[label] = bar
        self.barsLayout.setRowStretch(len(self.labels), 1)   # the bars stay together at the top

    @Slot()
    def _predict(self) -> None:
        text = self.inputEdit.toPlainText().strip()
        if not text or self.busy:
            return
        self._last_text = text
        self._set_busy(True, self.tr("Predicting..."))
        self.requestPredict.emit(text)

    @Slot(object)
    def _on_result(self, result: dict) -> None:
        if self.task == "ner":
            self.entityView.setHtml(entity_html(self._last_text, result["entities"], self.labels))
            self.status.setText(self.tr("%1 entities; CRF path score %2").replace("%1", str(len(result["entities"])))
                                .replace("%2", f"{result['score']:.2f}"))
        else:
            for label, p in result["probabilities"].items():
                bar = self.bars.get(label)
                if bar is not None:
                    bar.setValue(round(p * 1000))
                    bar.setFormat(f"{p:.1%}")
            self.status.setText(self.tr("Predicted: %1").replace("%1", result["label"]))
        self._set_busy(False)

    @Slot()
    def _send(self) -> None:
        text = self.messageEdit.text().strip()
        if not text or self.busy or self.task != "sft":
            return
        self.messageEdit.clear()
        you, model = self.tr("You"), self.tr("Model")
        self.chatView.append(f"<p><b>{html.escape(you)}:</b> {html.escape(text)}</p>")
        self.chatView.append(f"<b>{html.escape(model)}:</b> ")
        self.reply = ""
        self._set_busy(True, self.tr("Generating..."))
        self.requestSend.emit(text)

    @Slot(str)
    def _on_piece(self, piece: str) -> None:
        self.reply += piece
        cursor = self.chatView.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        cursor.insertText(piece)
        self.chatView.setTextCursor(cursor)

    @Slot(object)
    def _on_reply_done(self, info: tuple) -> None:
        first, tokens = info
        self._set_busy(False, self.tr("%1 tokens; first token after %2 ms").replace("%1", str(tokens))
                       .replace("%2", f"{first * 1000:.0f}" if first is not None else "-"))

    @Slot()
    def _stop(self) -> None:
        self.worker.stop()

    @Slot()
    def _reset(self) -> None:
        self.chatView.clear()
        self.requestReset.emit()

    @Slot()
    def _compare(self) -> None:
        text = self.compareInput.text().strip()
        if not text or self.busy:
            return
        self._compare_text = text
        self._set_busy(True, self.tr("Both checkpoints are answering..."))
        self.requestCompare.emit(self.compareA.currentData(), self.compareB.currentData(), text)

    @Slot(object)
    def _on_compared(self, rows: list) -> None:
        text, a, b = rows[0]
        for view, result, name in ((self.answerA, a, self.compareA.currentText()), (self.answerB, b, self.compareB.currentText())):
            view.setHtml(f"<p><b>{html.escape(name)}</b></p>" + self._result_html(text, result))
        self._set_busy(False, self.tr("Compared."))

    def _result_html(self, text: str, result: dict) -> str:
        if self.task == "ner":
            return entity_html(text, result["entities"], self.labels)
        if self.task == "classify":
            rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{v:.1%}</td></tr>"
                           for k, v in sorted(result["probabilities"].items(), key=lambda kv: -kv[1]))
            return f"<p><b>{html.escape(result['label'])}</b></p><table>{rows}</table>"
        return f"<p>{html.escape(result['text'])}</p>"

    @Slot()
    def _evaluate(self) -> None:
        if self.busy or self.task != "sft":
            return
        self._set_busy(True, self.tr("Scoring the checkpoints on IFEval..."))
        self.evalProgressBar.setValue(0)
        self.evalProgressBar.setVisible(True)
        self.cancelEvalButton.setVisible(True)
        self.worker.cancel_eval.clear()   # here, not on the worker: a Cancel clicked before it starts must count
        self.requestEvaluate.emit(self.promptsEdit.text().strip(), "all", self.eval_limit, self.eval_max_tokens)

    @Slot()
    def _cancel_evaluate(self) -> None:
        self.worker.cancel_eval.set()   # a threading.Event: the worker stops before its next batch

    @Slot(str, int, int)
    def _on_eval_progress(self, name: str, done: int, total: int) -> None:
        self.evalProgressBar.setRange(0, total)
        self.evalProgressBar.setValue(done)
        self.evalProgressBar.setFormat(f"{name} %v/%m")

    @Slot(object)
    def _on_eval_done(self, results: dict) -> None:
        from core.use.compare import checkpoint_table

        self.evalProgressBar.setVisible(False)
        self.cancelEvalButton.setVisible(False)
        self.table = checkpoint_table(self.run_path)
        self._fill_metrics()
        text = self.tr("IFEval cancelled; finished checkpoints are saved.") if results.get("cancelled") else \
            self.tr("IFEval scores are in the table (☆ best).")
        self._set_busy(False, text)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.evalProgressBar.setVisible(False)
        self.cancelEvalButton.setVisible(False)
        self._set_busy(False, self.tr("Could not do it: %1").replace("%1", message))

    # ------------------------------------------------------------ closing
    def done(self, result: int) -> None:
        self.shutdown()
        super().done(result)

    def closeEvent(self, event: Any) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop a reply or a scoring in progress, then end the worker thread (it finishes the current request first)."""
        if getattr(self, "thread_", None) is None:
            return
        self.worker.stop()
        self.worker.cancel_eval.set()
        self.thread_.quit()
        self.thread_.wait(30000)
        self.worker.deleteLater()
        self.thread_ = None


def install(window: Any) -> None:
    """Hooks into the main window: a Try it... button and menu entry, and the run history's context menu."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu

    from gui.qt_text import tr

    def open_try(path: str | None = None) -> None:
        path = path or window.runsView.selected_path() or window.current_run
        if not path:
            window.set_status(tr("Choose a run in the history first, then Try it..."))
            return
        active = window.controller.active
        in_progress = active and window.current_run is not None and Path(window.current_run) == Path(path)
        from PySide6.QtCore import Qt

        dialog = TryDialog(path, training_active=active, in_progress=in_progress, parent=window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    button = QPushButton(tr("Try it..."))
    button.setObjectName("tryButton")
    button.setToolTip(tr("Try a trained model: type a sentence, chat, or compare two checkpoints"))
    button.clicked.connect(lambda: open_try())
    anchor = window.buttons["openRunButton"]
    for layout in anchor.parentWidget().findChildren(QHBoxLayout):
        if layout.indexOf(anchor) >= 0:
            layout.insertWidget(layout.indexOf(anchor) + 1, button)
            break
    window.buttons_try = button
    action = QAction(tr("Try it..."), window)
    action.triggered.connect(lambda: open_try())
    run_menu = window.menuBar().actions()[0].menu()
    run_menu.insertAction(run_menu.actions()[3], action)
    view = window.runsView
    from PySide6.QtCore import Qt

    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def context_menu(pos: Any) -> None:
        item = view.itemAt(pos)
        if item is None:
            return
        menu = QMenu(view)
        menu.addAction(tr("Try it..."), lambda: open_try(item.data(0, 256)))
        menu.exec(view.viewport().mapToGlobal(pos))

    view.customContextMenuRequested.connect(context_menu)
    window.open_try = open_try
    shutdown = window.shutdown

    def shutdown_with_try() -> None:   # no worker thread may outlive the window (PLATFORM-NOTES)
        for dialog in window.findChildren(TryDialog):
            dialog.shutdown()
        shutdown()

    window.shutdown = shutdown_with_try
