"""Export dialog: the choices of `laptune export` (checkpoint, format, precision, output folder), a progress
bar and Cancel. The export runs on an ExportWorker on its own QThread; Cancel sets a flag the export polls
between steps and while it writes tensors, and core/use/export.py removes the half-written output, so a
cancelled export never leaves a folder that looks complete.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QProgressBar, QPushButton, QVBoxLayout, QWidget)

# Precisions offered per format; the first is the default ("" = the base model's own half precision).
PRECISIONS = {"hf": ("", "f16", "bf16"), "merged": ("", "f16", "bf16"), "gguf": ("f16", "bf16", "q8_0"),
              "ollama": ("q8_0", "f16", "bf16")}


class ExportWorker(QObject):
    """Lives on the dialog's QThread; the export's progress and outcome leave as signals."""

    progressed = Signal(float, str)
    done = Signal(object)          # core.use.export.ExportResult
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.cancel_requested = threading.Event()

    @Slot(object)
    def run(self, request: Any) -> None:
        from core.use.export import ExportCancelled, ExportError, export

        self.cancel_requested.clear()
        try:
            result = export(request, progress=lambda frac, msg: self.progressed.emit(frac, msg),
                            cancelled=self.cancel_requested.is_set)
        except ExportCancelled:
            self.cancelled.emit()
        except ExportError as exc:
            self.failed.emit(exc.message + (f"\n{exc.fix}" if exc.fix else ""))
        except Exception as exc:   # an unexpected error still ends as a message, never a dead dialog
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.done.emit(result)


class ExportDialog(QDialog):
    requested = Signal(object)

    def __init__(self, run_path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export model"))
        self.run_path = run_path
        self.running = False
        self.result: Any = None
        self._out_edited = False

        self.checkpointBox = QComboBox(objectName="exportCheckpoint")
        self.checkpointBox.addItem(self.tr("As Try it uses (best, else final)"), None)
        self.checkpointBox.addItem(self.tr("Final model"), "final")
        self.checkpointBox.addItem(self.tr("Latest checkpoint"), "latest")
        for step in self._steps():
            self.checkpointBox.addItem(f"checkpoint-{step}", str(step))
        self.formatBox = QComboBox(objectName="exportFormat")
        for fmt, text in (("hf", self.tr("Hugging Face folder + model card")),
                          ("merged", self.tr("LoRA merged into the weights (no peft needed)")),
                          ("gguf", self.tr("GGUF file (llama.cpp, LM Studio)")),
                          ("ollama", self.tr("Ollama (GGUF + Modelfile)"))):
            self.formatBox.addItem(text, fmt)
        self.precisionBox = QComboBox(objectName="exportPrecision")
        self.outEdit = QLineEdit(objectName="exportOut")
        self.outEdit.textEdited.connect(self._out_typed)
        browse = QPushButton(self.tr("Browse..."))
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.outEdit, 1)
        out_row.addWidget(browse)

        form = QFormLayout()
        form.addRow(self.tr("Run:"), QLabel(str(run_path), wordWrap=True))
        form.addRow(self.tr("Checkpoint:"), self.checkpointBox)
        form.addRow(self.tr("Format:"), self.formatBox)
        form.addRow(self.tr("Precision:"), self.precisionBox)
        form.addRow(self.tr("Save to:"), out_row)

        self.progressBar = QProgressBar(objectName="exportProgress")
        self.progressBar.setRange(0, 1000)
        self.progressBar.setValue(0)
        self.statusLabel = QLabel("", objectName="exportStatus", wordWrap=True)
        self.resultText = QPlainTextEdit(objectName="exportResult", readOnly=True)
        self.resultText.setMaximumHeight(150)
        self.resultText.hide()
        self.exportButton = QPushButton(self.tr("Export"), objectName="exportButton")
        self.exportButton.clicked.connect(self.start)
        self.cancelButton = QPushButton(self.tr("Close"), objectName="exportCancel")
        self.cancelButton.clicked.connect(self.cancel_or_close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.exportButton)
        buttons.addWidget(self.cancelButton)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progressBar)
        layout.addWidget(self.statusLabel)
        layout.addWidget(self.resultText)
        layout.addLayout(buttons)

        self.thread = QThread(self)
        self.worker = ExportWorker()
        self.worker.moveToThread(self.thread)
        self.requested.connect(self.worker.run)
        self.worker.progressed.connect(self.on_progress)
        self.worker.done.connect(self.on_done)
        self.worker.failed.connect(self.on_failed)
        self.worker.cancelled.connect(self.on_cancelled)
        self.thread.start()

        self.formatBox.currentIndexChanged.connect(self._format_changed)
        self.precisionBox.currentIndexChanged.connect(self._update_out)
        self.checkpointBox.currentIndexChanged.connect(self._update_out)
        self._format_changed()
        self.resize(560, self.sizeHint().height())

    # ------------------------------------------------------------ choices
    def _steps(self) -> list[int]:
        try:
            from core.record.runs import RunDir

            return [c.step for c in RunDir(Path(self.run_path)).checkpoints() if c.complete]
        except Exception:   # a folder that is not a run: the default choice still works
            return []

    def _format_changed(self) -> None:
        fmt = self.formatBox.currentData()
        self.precisionBox.blockSignals(True)
        self.precisionBox.clear()
        for quant in PRECISIONS[fmt]:
            self.precisionBox.addItem(quant or self.tr("as the base model (f16 or bf16)"), quant or None)
        self.precisionBox.blockSignals(False)
        self._update_out()

    def _update_out(self) -> None:
        if self._out_edited:
            return
        from core.use.export import ExportError, default_out, resolve_source

        try:
            source = resolve_source(self.run_path, self.checkpointBox.currentData())
        except ExportError as exc:
            self.statusLabel.setText(exc.message)
            self.exportButton.setEnabled(False)
            return
        self.exportButton.setEnabled(not self.running)
        self.statusLabel.setText(self.tr("Exports %1").replace("%1", source.folder.name))
        self.outEdit.setText(str(default_out(source, self.formatBox.currentData(), self.precisionBox.currentData())))

    def _out_typed(self, _text: str) -> None:
        self._out_edited = True

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export into which folder?"), str(Path(self.run_path)))
        if folder:
            self._out_edited = True
            name = Path(self.outEdit.text()).name or "export"
            self.outEdit.setText(str(Path(folder) / name))

    def request(self) -> Any:
        from core.use.export import ExportRequest

        return ExportRequest(run_dir=Path(self.run_path), format=self.formatBox.currentData(),
                             checkpoint=self.checkpointBox.currentData(), out=Path(self.outEdit.text()),
                             quant=self.precisionBox.currentData())

    # ------------------------------------------------------------ running
    @Slot()
    def start(self) -> None:
        if self.running:
            return
        self.running = True
        self.result = None
        for box in (self.checkpointBox, self.formatBox, self.precisionBox, self.outEdit, self.exportButton):
            box.setEnabled(False)
        self.cancelButton.setText(self.tr("Cancel"))
        self.progressBar.setValue(0)
        self.resultText.hide()
        self.statusLabel.setText(self.tr("Starting the export..."))
        self.requested.emit(self.request())

    @Slot()
    def cancel_or_close(self) -> None:
        if self.running:
            self.worker.cancel_requested.set()   # a threading.Event: safe from this thread
            self.cancelButton.setEnabled(False)
            self.statusLabel.setText(self.tr("Cancelling: removing what was written..."))
        else:
            self.close()

    @Slot(float, str)
    def on_progress(self, fraction: float, message: str) -> None:
        self.progressBar.setValue(int(fraction * 1000))
        if message:
            self.statusLabel.setText(message)

    def _finished(self, text: str) -> None:
        self.running = False
        for box in (self.checkpointBox, self.formatBox, self.precisionBox, self.outEdit, self.exportButton):
            box.setEnabled(True)
        self.cancelButton.setEnabled(True)
        self.cancelButton.setText(self.tr("Close"))
        self.statusLabel.setText(text)

    @Slot(object)
    def on_done(self, result: Any) -> None:
        self.result = result
        self.progressBar.setValue(1000)
        self._finished(self.tr("Exported to %1 in %2 s").replace("%1", str(result.out))
                       .replace("%2", f"{result.seconds:.1f}"))
        self.resultText.setPlainText("\n".join(result.lines()))
        self.resultText.setMinimumHeight(110)
        self.resultText.show()
        self.resize(max(self.width(), 560), max(self.height(), self.sizeHint().height()))

    @Slot(str)
    def on_failed(self, message: str) -> None:
        self.progressBar.setValue(0)
        self._finished(self.tr("Export failed: %1").replace("%1", message))

    @Slot()
    def on_cancelled(self) -> None:
        self.progressBar.setValue(0)
        self._finished(self.tr("Export cancelled; nothing was left in the output folder."))

    # ------------------------------------------------------------ closing
    def shutdown(self) -> None:
        """Cancels a running export and stops the worker thread (no thread may outlive the window)."""
        self.worker.cancel_requested.set()
        self.thread.quit()
        self.thread.wait(30000)

    def closeEvent(self, event: Any) -> None:
        self.shutdown()
        super().closeEvent(event)


def install(window: Any) -> None:
    """Hooks into the main window: an Export... button after Try it, a Run menu entry, the history's context menu."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction

    from gui.qt_text import tr

    def open_export(path: str | None = None) -> None:
        path = path or window.runsView.selected_path() or window.current_run
        if not path:
            window.set_status(tr("Choose a run in the history first, then Export..."))
            return
        dialog = ExportDialog(path, parent=window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        window.export_dialog = dialog

    button = QPushButton(tr("Export..."))
    button.setObjectName("exportRunButton")
    button.setToolTip(tr("Export a trained model: Hugging Face folder, merged LoRA, GGUF or Ollama"))
    button.clicked.connect(lambda: open_export())
    anchor = getattr(window, "buttons_try", None) or window.buttons["openRunButton"]
    for layout in anchor.parentWidget().findChildren(QHBoxLayout):
        if layout.indexOf(anchor) >= 0:
            layout.insertWidget(layout.indexOf(anchor) + 1, button)
            break
    window.buttons_export = button
    action = QAction(tr("Export..."), window)
    action.triggered.connect(lambda: open_export())
    run_menu = window.menuBar().actions()[0].menu()
    run_menu.insertAction(run_menu.actions()[4] if len(run_menu.actions()) > 4 else None, action)
    view = window.runsView

    def context_menu_export(pos: Any) -> None:
        item = view.itemAt(pos)
        if item is not None:
            from PySide6.QtWidgets import QMenu

            menu = QMenu(view)
            menu.addAction(tr("Export..."), lambda: open_export(item.data(0, 256)))
            menu.exec(view.viewport().mapToGlobal(pos))

    if view.contextMenuPolicy() != Qt.ContextMenuPolicy.CustomContextMenu:
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(context_menu_export)
    window.open_export = open_export
    shutdown = window.shutdown

    def shutdown_with_export() -> None:
        for dialog in window.findChildren(ExportDialog):
            dialog.shutdown()
        shutdown()

    window.shutdown = shutdown_with_export
