"""The wizard's first page when a run starts from the data: choose or drop a file, and the task, its
shape and the preset recommended for this machine follow from it, with the reasons; all changeable.

Next goes straight to the short Review page (then Start training: four clicks from the main window
with a file), or through every page when "Customise" is ticked.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QFrame, QHBoxLayout, QLabel,
                               QListWidget, QPushButton, QVBoxLayout, QWizardPage)

from gui.qt_core_text import core_text, preset_description

TASKS = ("classify", "ner", "sft")
DATA_FILTER = "*.csv *.tsv *.jsonl *.json *.txt *.conll *.bio *.xlsx *.parquet *.arrow"


def dropped_path(event: Any) -> str | None:
    """The local file or folder in a drag, or None."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return None
    urls = [u for u in mime.urls() if u.isLocalFile()]
    return urls[0].toLocalFile() if urls else None


class StartPage(QWizardPage):
    def __init__(self, wizard: Any) -> None:
        super().__init__()
        self.setObjectName("startPage")
        self.wiz = wizard
        self.setTitle(self.tr("Your data"))
        self.setSubTitle(self.tr("Choose the file or folder to train on, or drop it here. LapTune reads it, "
                                 "recognises the task and picks the preset for this computer."))
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        self.dropZone = QLabel(self.tr("Drop a data file or folder here"))
        self.dropZone.setObjectName("dropZone")
        self.dropZone.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dropZone.setMinimumHeight(70)
        self.dropZone.setFrameShape(QFrame.Shape.StyledPanel)
        self.dropZone.setStyleSheet("QLabel#dropZone { border: 2px dashed #888; border-radius: 6px; color: #555; }")
        layout.addWidget(self.dropZone)
        row = QHBoxLayout()
        self.chooseButton = QPushButton(self.tr("Choose data file..."))
        self.chooseButton.setObjectName("chooseDataButton")
        self.chooseButton.clicked.connect(self.choose_file)
        row.addWidget(self.chooseButton)
        self.folderButton = QPushButton(self.tr("Folder..."))
        self.folderButton.setObjectName("chooseDataFolderButton")
        self.folderButton.clicked.connect(self.choose_folder)
        row.addWidget(self.folderButton)
        self.exampleButton = QPushButton(self.tr("Save an example file..."))
        self.exampleButton.setObjectName("startExampleButton")
        self.exampleButton.setToolTip(self.tr("Write a small valid file for the chosen task, to see the shape your data "
                                              "should have."))
        self.exampleButton.clicked.connect(self.save_example)
        row.addWidget(self.exampleButton)
        self.pathLabel = QLabel()
        self.pathLabel.setObjectName("dataPathLabel")
        self.pathLabel.setWordWrap(True)
        row.addWidget(self.pathLabel, 1)
        layout.addLayout(row)
        form = QFormLayout()
        self.recognised = QLabel()
        self.recognised.setObjectName("recognisedLabel")
        self.recognised.setWordWrap(True)
        form.addRow(self.tr("Recognised"), self.recognised)
        self.taskCombo = QComboBox()
        self.taskCombo.setObjectName("startTaskCombo")
        names = {"classify": self.tr("Text classification"), "ner": self.tr("Named entities (NER)"),
                 "sft": self.tr("Chat fine-tuning (SFT)")}
        for task in TASKS:
            self.taskCombo.addItem(names[task], task)
        form.addRow(self.tr("Task"), self.taskCombo)
        self.presetCombo = QComboBox()
        self.presetCombo.setObjectName("startPresetCombo")
        form.addRow(self.tr("Preset"), self.presetCombo)
        self.reason = QLabel()
        self.reason.setObjectName("startReason")
        self.reason.setWordWrap(True)
        form.addRow("", self.reason)
        layout.addLayout(form)
        self.problemList = QListWidget()
        self.problemList.setObjectName("startProblems")
        self.problemList.setWordWrap(True)
        layout.addWidget(self.problemList, 1)
        self.customise = QCheckBox(self.tr("Customise: go through hardware, model, data, settings and guard pages"))
        self.customise.setObjectName("customiseBox")
        self.customise.toggled.connect(lambda _on: self.completeChanged.emit())
        layout.addWidget(self.customise)
        self.report: Any = None
        self.path: str | None = None
        self.infos: list[Any] = []
        self.recs: dict[str, Any] = {}
        self.taskCombo.currentIndexChanged.connect(self._task_changed)
        self.presetCombo.currentIndexChanged.connect(self._preset_changed)
        self.taskCombo.setEnabled(False)
        self.presetCombo.setEnabled(False)

    # ------------------------------------------------------------ choosing the data
    def initializePage(self) -> None:
        if not self.infos:
            from core.config.presets import list_presets
            from core.memory.recommend import recommend_all

            self.infos = [i for i in list_presets() if i.config is not None]
            self.recs = recommend_all(self.wiz.hw, self.infos)
        if self.wiz.initial_data and self.path is None:
            QTimer.singleShot(0, lambda: self.set_data(self.wiz.initial_data))

    @Slot()
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Data file"), self.path or str(Path.home()),
                                              self.tr("Data ({patterns});;All files (*)").format(patterns=DATA_FILTER))
        if path:
            self.set_data(path)

    @Slot()
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Data folder (datasets save_to_disk, or one sub-folder per class)"),
                                                  self.path or str(Path.home()))
        if folder:
            self.set_data(folder)

    @Slot()
    def save_example(self) -> Path | None:
        """A small valid file of the chosen task, written where the user says, then read as the data."""
        from core.data.examples import DEFAULT_FORM, SUFFIX, write_example

        task = self.taskCombo.currentData()
        suggested = str(Path.home() / f"example_{task}{SUFFIX[DEFAULT_FORM[task]]}")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save an example file"), suggested,
                                              self.tr("Data ({patterns});;All files (*)").format(patterns=DATA_FILTER))
        if not path:
            return None
        written = write_example(task, path)
        self.set_data(str(written))
        return written

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_path(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_path(event)
        if path:
            event.acceptProposedAction()
            self.set_data(path)

    def set_data(self, path: str) -> None:
        """Detect the task of `path`, pick the recommended preset, check the data."""
        from core.data import DataError, detect

        if not self.infos:
            self.initializePage()
        self.path = str(Path(path).resolve())
        self.pathLabel.setText(self.path)
        try:
            found = detect(self.path)
        except DataError as exc:
            found = None
            self.recognised.setText(core_text(str(exc)))
        if found is not None:
            sure = {"sure": self.tr("sure"), "likely": self.tr("likely"), "unsure": self.tr("unsure")}[found.sureness]
            self.recognised.setText(self.tr("{what} ({sure}: {pct} of the sampled records fit)").format(
                what=core_text(found.title()), sure=sure, pct=f"{found.confidence:.0%}")
                if found.task else self.tr("not recognised: {why}").format(why="; ".join(map(core_text, found.near_misses))))
        self.taskCombo.setEnabled(True)
        self.presetCombo.setEnabled(True)
        task = found.task if found is not None and found.task else self.taskCombo.currentData()
        if task == self.taskCombo.currentData():
            self._task_changed()
        else:
            self.taskCombo.setCurrentIndex(self.taskCombo.findData(task))

    @Slot()
    def _task_changed(self) -> None:
        task = self.taskCombo.currentData()
        rec = self.recs.get(task)
        self.presetCombo.blockSignals(True)
        self.presetCombo.clear()
        for info in self.infos:
            if info.config.task != task:
                continue
            label = info.name
            if rec is not None and info.name == rec.preset:
                label = "★ " + label + " " + self.tr("(recommended)")
            self.presetCombo.addItem(label, info.name)
            self.presetCombo.setItemData(self.presetCombo.count() - 1, preset_description(info.config),
                                         Qt.ItemDataRole.ToolTipRole)
        index = self.presetCombo.findData(rec.preset) if rec is not None else 0
        self.presetCombo.setCurrentIndex(max(0, index))
        self.presetCombo.blockSignals(False)
        self._preset_changed()

    @Slot()
    def _preset_changed(self) -> None:
        name = self.presetCombo.currentData()
        info = next((i for i in self.infos if i.name == name), None)
        if info is None:
            return
        self.wiz.set_preset(info.name, info.path)
        self.wiz.set_override("start", "data.train", self.path)
        # The file holds all the data: do not also evaluate on the preset's own eval file.
        self.wiz.set_override("start", "data.eval", None, explicit_none=bool(info.config.data.eval))
        rec = self.recs.get(info.config.task)
        if rec is not None and rec.preset == name:
            why = self.tr("Recommended for this computer: {reason}").format(reason=core_text(rec.reason))
        else:
            from core.memory.recommend import unmet_requirements

            missing = unmet_requirements(info.config, self.wiz.hw)
            why = (self.tr("Does not fit this machine: {why}").format(why="; ".join(map(core_text, missing))) if missing
                   else self.tr("Fits this machine ({needs}).").format(needs=info.needs()))
        self.reason.setText(f"{preset_description(info.config)}\n{core_text(why)}")
        self._check()

    def _check(self) -> None:
        from core.data import check_data

        self.problemList.clear()
        self.report = None
        if self.path is None:
            self.completeChanged.emit()
            return
        report = check_data(self.taskCombo.currentData(), self.path)
        self.report = report
        from core.data.text import encoding_name

        self.problemList.addItem(self.tr("{file}: {n} examples ({format}, {encoding})").format(
            file=Path(report.file).name, n=report.n_examples, format=core_text(report.shape()),
            encoding=encoding_name(report.encoding) or "-"))
        if report.labels:
            shown = ", ".join(f"{k} {v}" for k, v in list(report.labels.items())[:12])
            self.problemList.addItem(self.tr("Labels: {labels}").format(labels=shown))
        for note in report.notes:
            self.problemList.addItem(f"{self.tr('Note')}: {core_text(note)}")
        for problem in report.problems:
            self.problemList.addItem(core_text(str(problem)))
        self.completeChanged.emit()

    # ------------------------------------------------------------ navigation
    def isComplete(self) -> bool:
        return self.report is not None and self.report.ok and self.wiz.preset is not None

    def nextId(self) -> int:
        if self.customise.isChecked():
            return self.wiz.pageIds()[0] if self.wiz.pageIds() else -1
        return self.wiz.review_id
