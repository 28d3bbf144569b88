"""The resume-from-checkpoint picker: a run's checkpoints with step, train loss, eval metric, best marked, and the
settings a resume may change without breaking it (checkpoint interval and limit, evaluation and logging interval).
A run with no complete checkpoint (stopped before its first save) can be resumed too: it starts again from step 0."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHeaderView, QLabel,
                               QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from gui.qt_runs import metric_text


class ResumeDialog(QDialog):
    """Pick a run and one of its checkpoints (step, train loss, eval metric, best marked)."""

    def __init__(self, runs: list[dict[str, Any]], current: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resumeDialog")
        self.setWindowTitle(self.tr("Resume from a checkpoint"))
        self.resize(640, 360)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Run:")))
        self.runCombo = QComboBox()
        self.runCombo.setObjectName("runCombo")
        for row in runs:
            self.runCombo.addItem(f"{Path(row['path']).name} ({row['preset']})", str(row["path"]))
        if current is not None:
            index = self.runCombo.findData(str(current))
            if index >= 0:
                self.runCombo.setCurrentIndex(index)
        layout.addWidget(self.runCombo)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("checkpointTable")
        self.table.setHorizontalHeaderLabels([self.tr("Step"), self.tr("Train loss"), self.tr("Eval metric"), self.tr("Best")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        self.note = QLabel(self.tr("The best checkpoint by the evaluation metric is marked ★; the last one is not always the best."))
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        form = QFormLayout()
        self.settingBoxes: dict[str, QSpinBox] = {}
        for key, label, zero in (("training.save_steps", self.tr("Save a checkpoint every (steps):"), self.tr("each epoch")),
                                 ("training.save_total_limit", self.tr("Keep at most (checkpoints):"), self.tr("all")),
                                 ("training.eval_steps", self.tr("Evaluate every (steps):"), self.tr("each epoch")),
                                 ("training.logging_steps", self.tr("Log the loss every (steps):"), self.tr("automatic"))):
            box = QSpinBox()
            box.setObjectName("resume_" + key.split(".")[1])
            box.setRange(0, 1_000_000)
            box.setSpecialValueText(zero)   # 0 shows as "each epoch" / "all" / "automatic": the setting unset
            form.addRow(label, box)
            self.settingBoxes[key] = box
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Resume"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.runCombo.currentIndexChanged.connect(self._load)
        self.table.itemSelectionChanged.connect(self._update_ok)
        self.checkpoints: list[Any] = []
        self._load()

    @Slot()
    def _load(self) -> None:
        from core.record.runs import RunDir, RunError

        self.table.setRowCount(0)
        path = self.runCombo.currentData()
        self.config: Any = None
        try:
            rd = RunDir.open(path) if path else None
            self.checkpoints = rd.checkpoints() if rd else []
            self.config = rd.read_config() if rd else None
        except (RunError, OSError, ValueError):
            self.checkpoints = []
        for key, box in self.settingBoxes.items():
            section, name = key.split(".")
            value = getattr(getattr(self.config, section), name) if self.config is not None else None
            box.setValue(value or 0)
            box.setProperty("original", value or 0)
        for info in self.checkpoints:
            row = self.table.rowCount()
            self.table.insertRow(row)
            loss = "-" if info.train_loss is None else f"{info.train_loss:.4f}"
            cells = [str(info.step), loss, metric_text(info.metrics) or "-",
                     "★" if info.best else ("" if info.complete else self.tr("incomplete"))]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not info.complete:
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
                self.table.setItem(row, col, item)
        best = [i for i, c in enumerate(self.checkpoints) if c.best and c.complete]
        complete = [i for i, c in enumerate(self.checkpoints) if c.complete]
        pick = best or complete[-1:]
        if pick:
            self.table.selectRow(pick[0])
        if self.config is not None and not complete:
            self.note.setText(self.tr("This run stopped before its first checkpoint: it starts again from step 0 in "
                                      "the same folder, with its saved settings."))
        else:
            self.note.setText(self.tr("The best checkpoint by the evaluation metric is marked ★; the last one is not always the best."))
        self._update_ok()

    @Slot()
    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.selected() is not None)

    def select_step(self, step: int) -> None:
        for row, info in enumerate(self.checkpoints):
            if info.step == step:
                self.table.selectRow(row)

    def selected(self) -> tuple[str, int | None] | None:
        """(run folder, checkpoint step), or (run folder, None) for a run with no complete checkpoint yet."""
        if self.config is not None and not any(c.complete for c in self.checkpoints):
            return self.runCombo.currentData(), None
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        info = self.checkpoints[rows[0].row()]
        return (self.runCombo.currentData(), info.step) if info.complete else None

    def settings(self) -> list[str]:
        """The changed settings as `laptune resume --set` takes them (0 means unset, where that is allowed)."""
        out = []
        for key, box in self.settingBoxes.items():
            if box.value() != box.property("original"):
                value = box.value()
                out.append(f"{key}={value if value else 'null'}")
        return out
