"""Wizard page 3: the training and evaluation files, checked with the core's lenient readers; counts, a
preview (NER entities highlighted, chat turns), every problem with its line, and "Save an example file"."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QListWidget, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWizard, QWizardPage)

from gui.qt_core_text import core_text


# ---------------------------------------------------------------------------- 3. data
class DataPage(QWizardPage):
    def __init__(self, wizard: QWizard) -> None:
        super().__init__()
        self.setObjectName("dataPage")
        self.wiz = wizard
        self.setTitle(self.tr("Data"))
        self.setSubTitle(self.tr("Training and evaluation files, checked before anything starts."))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.trainEdit = QLineEdit()
        self.trainEdit.setObjectName("trainEdit")
        self.evalEdit = QLineEdit()
        self.evalEdit.setObjectName("evalEdit")
        self.evalEdit.setPlaceholderText(self.tr("optional: a share of the training data is held out"))
        for label, edit in ((self.tr("Training file"), self.trainEdit), (self.tr("Evaluation file"), self.evalEdit)):
            row = QHBoxLayout()
            row.addWidget(edit)
            button = QPushButton(self.tr("Browse..."))
            button.clicked.connect(lambda _=False, e=edit: self._browse(e))
            row.addWidget(button)
            if edit is self.trainEdit:
                folder = QPushButton(self.tr("Folder..."))
                folder.setObjectName("dataFolderButton")
                folder.clicked.connect(self._browse_folder)
                row.addWidget(folder)
            form.addRow(label, row)
            edit.textChanged.connect(self._schedule)
        layout.addLayout(form)
        example_row = QHBoxLayout()
        self.exampleButton = QPushButton(self.tr("Save an example file..."))
        self.exampleButton.setObjectName("saveExampleButton")
        self.exampleButton.setToolTip(self.tr("Write a small valid file for this task, to see the shape your data should have."))
        self.exampleButton.clicked.connect(self.save_example)
        example_row.addWidget(self.exampleButton)
        self.exampleStatus = QLabel()
        self.exampleStatus.setObjectName("exampleStatus")
        self.exampleStatus.setWordWrap(True)
        example_row.addWidget(self.exampleStatus, 1)
        layout.addLayout(example_row)
        self.summary = QLabel()
        self.summary.setObjectName("dataSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.preview = QTableWidget(0, 0)
        self.preview.setObjectName("dataPreview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.preview, 2)
        layout.addWidget(QLabel(self.tr("Problems found:")))
        self.problemList = QListWidget()
        self.problemList.setObjectName("problemList")
        self.problemList.setWordWrap(True)
        layout.addWidget(self.problemList, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.check)
        self.reports: dict[str, Any] = {}
        self._task: str | None = None
        self._preset: str | None = None
        self._preset_has_eval = False
        self._initial: dict[str, str] = {}

    def initializePage(self) -> None:
        resolved = self.wiz.resolved_or_none()
        if resolved is None:
            return
        if self._preset == self.wiz.preset and self._task == resolved.config.task:
            return
        self._preset, self._task = self.wiz.preset, resolved.config.task
        base = resolved.preset_path.parent if resolved.preset_path else Path.cwd()
        self._preset_has_eval = bool(resolved.config.data.eval)
        self._initial = {}
        for key, edit, value in (("train", self.trainEdit, resolved.config.data.train),
                                 ("eval", self.evalEdit, resolved.config.data.eval)):
            self._initial[key] = str(_resolve_data_path(value, base)) if value else ""
            edit.blockSignals(True)
            edit.setText(self._initial[key])
            edit.blockSignals(False)
        self.check()

    def _browse(self, edit: QLineEdit) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Data file"), edit.text(),
            self.tr("Data (*.csv *.tsv *.jsonl *.json *.txt *.conll *.bio *.xlsx *.parquet *.arrow);;All files (*)"))
        if path:
            edit.setText(path)

    def _browse_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Data folder (datasets save_to_disk, or one sub-folder per class)"),
                                                  self.trainEdit.text())
        if folder:
            self.trainEdit.setText(folder)

    def save_example(self) -> Path | None:
        """Write a small valid file for this task, so the user sees the shape to convert to."""
        from core.data.examples import DEFAULT_FORM, SUFFIX, write_example

        task = self._task or "classify"
        suggested = str(Path.home() / f"example_{task}{SUFFIX[DEFAULT_FORM[task]]}")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save an example file"), suggested,
                                              self.tr("Data (*.csv *.tsv *.jsonl *.json *.txt *.xlsx);;All files (*)"))
        if not path:
            return None
        written = write_example(task, path)
        self.exampleStatus.setText(self.tr("Wrote {file}: open it to see the shape, or train on it as a try.").format(
            file=written))
        return written

    @Slot()
    def _schedule(self) -> None:
        self._timer.start()

    @Slot()
    def check(self) -> None:
        """Run the core's lenient readers on both files; show counts, a preview and every problem."""
        from core.data import check_data

        self._timer.stop()
        task = self._task or "classify"
        self.reports = {}
        lines: list[str] = []
        self.problemList.clear()
        for key, edit in (("train", self.trainEdit), ("eval", self.evalEdit)):
            text = edit.text().strip()
            if text == self._initial.get(key):
                self.wiz.set_override("data", f"data.{key}", None)       # the preset's own file
            else:
                # An emptied eval field means "no eval file", even where the preset names one.
                self.wiz.set_override("data", f"data.{key}", str(Path(text).resolve()) if text else None,
                                      explicit_none=key == "eval" and self._preset_has_eval)
            if not text:
                continue
            report = check_data(task, text)
            self.reports[key] = report
            from core.data.text import encoding_name

            lines.append(self.tr("{file}: {n} examples ({format}, {encoding})").format(
                file=Path(report.file).name, n=report.n_examples, format=core_text(report.shape()),
                encoding=encoding_name(report.encoding) or "-"))
            if report.labels:
                shown = ", ".join(f"{k} {v}" for k, v in list(report.labels.items())[:12])
                lines.append(self.tr("Labels: {labels}").format(labels=shown))
            for note in report.notes:
                self.problemList.addItem(f"{self.tr('Note')}: {core_text(note)}")
            for problem in report.problems:
                self.problemList.addItem(core_text(str(problem)))
        if "train" not in self.reports:
            lines.append(self.tr("Choose a training file."))
        elif not self.reports.get("train").problems and not any(r.problems for r in self.reports.values()):
            lines.append(self.tr("No problems found."))
        self.summary.setText("\n".join(lines))
        self._fill_preview(self.reports.get("train"))
        self.completeChanged.emit()

    def _fill_preview(self, report: Any) -> None:
        rows = report.preview if report is not None else []
        if rows and report.task in ("ner", "sft"):
            self._fill_rich_preview(report.task, rows)
            return
        columns = [k for k in (rows[0].keys() if rows else []) if any(r.get(k) not in (None, "", []) for r in rows)]
        self.preview.clear()
        self.preview.setColumnCount(len(columns))
        self.preview.setRowCount(len(rows))
        self.preview.setHorizontalHeaderLabels(columns)
        for r, row in enumerate(rows):
            for c, key in enumerate(columns):
                value = row.get(key)
                text = " ".join(map(str, value)) if isinstance(value, list) else ("" if value is None else str(value))
                self.preview.setItem(r, c, QTableWidgetItem(text[:200]))

    def _fill_rich_preview(self, task: str, rows: list[dict[str, Any]]) -> None:
        """NER: the text with each entity highlighted and labelled; chat: the turns, role by role."""
        self.preview.clear()
        self.preview.setColumnCount(1)
        self.preview.setRowCount(len(rows))
        self.preview.setHorizontalHeaderLabels([self.tr("Sentence") if task == "ner" else self.tr("Conversation")])
        for r, row in enumerate(rows):
            from gui.qt_data_preview import chat_html, entity_html

            html = entity_html(row["tokens"], row["labels"]) if task == "ner" else chat_html(row["messages"])
            label = QLabel(html)
            label.setObjectName("previewCell")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            self.preview.setCellWidget(r, 0, label)
        self.preview.resizeRowsToContents()

    def isComplete(self) -> bool:
        train = self.reports.get("train")
        return train is not None and train.ok and all(r.ok for r in self.reports.values())


def _resolve_data_path(value: str, preset_dir: Path) -> Path:
    candidate = Path(value)
    if not candidate.is_absolute() and (preset_dir / candidate).exists():
        return (preset_dir / candidate).resolve()
    return candidate.resolve() if candidate.exists() else candidate
