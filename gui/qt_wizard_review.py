"""Wizard page 6: the review of what will run, all resolved settings, and the same run as a command line."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWizard, QWizardPage

from gui.qt_core_text import preset_description

# The page gets the wizard that owns it (gui/qt_wizard.py's PresetWizard); typed as QWizard so this module
# does not import the one that imports it.

# Settings that only one task reads; the others' are left out of "Show all settings".
_TASK_ONLY = {"ner.": "ner", "classify.": "classify", "sft.": "sft", "lora.": "sft", "memory.load_in_4bit": "sft",
              "memory.load_in_8bit": "sft", "data.max_rounds": "sft", "data.text_column": "classify",
              "data.label_column": "classify", "data.text_pair_column": "classify", "training.head_learning_rate": "ner"}


def task_lines(lines: list[str], task: str) -> list[str]:
    """The resolved settings (`key = value  (source)` lines) that the task uses."""
    def used(line: str) -> bool:
        key = line.split(" ", 1)[0]
        owner = next((t for prefix, t in _TASK_ONLY.items() if key.startswith(prefix)), None)
        return owner is None or owner == task
    return [line for line in lines if used(line)]


class ReviewPage(QWizardPage):
    def __init__(self, wizard: QWizard) -> None:
        super().__init__()
        self.setObjectName("reviewPage")
        self.wiz = wizard
        self.setTitle(self.tr("Review"))
        self.setSubTitle(self.tr("What will run. Start training runs exactly this."))
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("reviewSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.summary)
        self.showAll = QPushButton(self.tr("Show all settings"))
        self.showAll.setObjectName("showAllSettings")
        self.showAll.setCheckable(True)
        self.showAll.toggled.connect(self._toggle)
        layout.addWidget(self.showAll)
        self.configView = QPlainTextEdit()
        self.configView.setObjectName("reviewConfig")
        self.configView.setReadOnly(True)
        self.configView.hide()
        layout.addWidget(self.configView, 1)
        layout.addStretch(0)
        layout.addWidget(QLabel(self.tr("The same run from a terminal:")))
        row = QHBoxLayout()
        self.commandLine = QPlainTextEdit()
        self.commandLine.setObjectName("commandLine")
        self.commandLine.setReadOnly(True)
        self.commandLine.setMaximumHeight(64)
        row.addWidget(self.commandLine, 1)
        self.copyButton = QPushButton(self.tr("Copy"))
        self.copyButton.setObjectName("copyCommandButton")
        self.copyButton.clicked.connect(self.copy)
        row.addWidget(self.copyButton)
        layout.addLayout(row)

    @Slot(bool)
    def _toggle(self, on: bool) -> None:
        self.configView.setVisible(on)
        self.showAll.setText(self.tr("Hide all settings") if on else self.tr("Show all settings"))

    def nextId(self) -> int:
        return -1                      # the last page, whatever ids the wizard gave its pages

    def initializePage(self) -> None:
        from core.config.presets import PresetError

        try:
            resolved = self.wiz.resolve()
        except PresetError as exc:
            self.summary.setText(str(exc))
            self.configView.setPlainText(str(exc))
            return
        self.configView.setPlainText("\n".join(task_lines(resolved.describe(), resolved.config.task)))
        self.summary.setText(self.summary_html(resolved))
        self.commandLine.setPlainText(self.wiz.make_plan(probe_first=self.wiz.pages[3].probeFirst.isChecked()).command())

    def summary_html(self, resolved: Any) -> str:
        """Model and its source, data and counts, epochs and steps, effective batch, memory and time, guard."""
        from html import escape

        from core.hub import find_cached, is_hub_id
        from gui.qt_core_text import core_text

        cfg = resolved.config
        base = resolved.preset_path.parent if resolved.preset_path else None
        name = str(cfg.model.name_or_path)
        if not is_hub_id(name, base):
            where = self.tr("a folder on this computer")
        elif find_cached(name) is not None:
            where = self.tr("in the local cache")
        else:
            where = self.tr("from the Hugging Face hub when training starts (needs internet, or a mirror)")
        rows = [(self.tr("Preset"), f"{escape(self.wiz.preset or '')} — {escape(preset_description(cfg))}"),
                (self.tr("Model"), f"{escape(Path(str(cfg.model.name_or_path)).name or str(cfg.model.name_or_path))} "
                                   f"({where})")]
        train = self.wiz.data_report("train")
        data = escape(Path(str(cfg.data.train)).name) if cfg.data.train else "-"
        if train is not None:
            data += " — " + self.tr("{n} examples ({shape})").format(n=train.n_examples, shape=escape(train.shape()))
        held = self.tr("evaluation: {file}").format(file=escape(Path(str(cfg.data.eval)).name)) if cfg.data.eval else \
            self.tr("evaluation: {pct} % held out").format(pct=f"{cfg.data.eval_fraction * 100:g}")
        rows.append((self.tr("Data"), f"{data}; {held}"))
        t = cfg.training
        rows.append((self.tr("Training"), self.tr("{epochs:g} epochs, effective batch {eff} ({b} × {acc} accumulation)").format(
            epochs=t.num_epochs, eff=t.batch_size * t.grad_accum, b=t.batch_size, acc=t.grad_accum)))
        settings = self.wiz.pages[3]
        try:
            settings.initializePage()     # the estimates, also when the settings page was skipped
            rows.append((self.tr("Memory"), escape(settings.vramBar.format())))
            rows.append((self.tr("Time"), escape(settings.timeLabel.text())))
        except Exception as exc:  # an estimate must never block the review
            rows.append((self.tr("Memory"), escape(self.tr("estimate unavailable: {error}").format(error=exc))))
        g = cfg.guard
        guard = (self.tr("on: pause at GPU {t} °C, RAM {ram} %, VRAM {vram} %; save and stop at battery {bat} %").format(
            t=f"{g.gpu_temp_pause_c:g}", ram=f"{g.ram_pause_frac * 100:g}", vram=f"{g.vram_pause_frac * 100:g}",
            bat=f"{g.battery_stop_pct:g}") if g.enabled else self.tr("off"))
        rows.append((self.tr("Guard"), guard))
        return "<table cellspacing='4'>" + "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows) + "</table>"

    @Slot()
    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.commandLine.toPlainText())
