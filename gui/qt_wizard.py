"""The preset wizard (`presetWizard`): hardware -> task and model -> data -> settings -> guard -> review.

Every page reads and changes one thing, the wizard's overrides ({dotted field: value}); the config is
always `core.config.presets.resolve(preset, overrides=...)`, so the wizard never decides anything the core
would decide differently. Page 3 (data) lives in gui/qt_wizard_data.py, pages 4-5 in gui/qt_wizard_settings.py, page 6 in gui/qt_wizard_review.py, the start page
(a run from the data) in gui/qt_data_start.py.
"""
from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QPushButton, QVBoxLayout, QWidget, QWizard, QWizardPage)

from gui.qt_core_text import core_text, preset_description

TASKS = ("classify", "ner", "sft")


@dataclass
class RunPlan:
    """What Finish hands to the main window: a resolved config and how it was made."""
    preset: str
    preset_path: Path | None
    config: Any
    sources: dict[str, str]
    overrides: dict[str, Any]
    probe_first: bool = False
    sensor_trace: str | None = None
    run_dir: Path | None = None
    sets: list[str] = field(default_factory=list)

    def command(self) -> str:
        """The equivalent `laptune train` command line."""
        args = ["laptune", "train", "--preset", self.preset]
        rest = dict(self.overrides)
        for key, flag in (("data.train", "--data"), ("data.eval", "--eval-data"), ("model.name_or_path", "--model")):
            if rest.get(key) is not None:
                args += [flag, str(rest.pop(key))]
        for key, value in rest.items():
            text = "null" if value is None else ("true" if value is True else "false" if value is False else str(value))
            args += ["--set", f"{key}={text}"]
        if self.probe_first:
            args += ["--probe"]
        if self.sensor_trace:
            args += ["--simulate-sensors", self.sensor_trace]
        return " ".join(shlex.quote(a) for a in args)


def read_model_info(name_or_path: str, preset_dir: Path | None, config_file: str | None) -> tuple[dict | None, str | None]:
    """(model config.json, None) or (None, why it cannot be read) -- offline only."""
    from core.memory.model_arch import ModelConfigError, load_model_config
    from core.train.modeling import ModelError, resolve_model_path

    try:
        path = resolve_model_path(name_or_path, preset_dir)
        return load_model_config(path, config_file), None
    except (ModelError, ModelConfigError, OSError, ValueError) as exc:
        return None, str(getattr(exc, "message", None) or exc)


# ---------------------------------------------------------------------------- 1. hardware
class HardwarePage(QWizardPage):
    def __init__(self, wizard: PresetWizard) -> None:
        super().__init__()
        self.setObjectName("hardwarePage")
        self.wiz = wizard
        self.setTitle(self.tr("Your hardware"))
        self.setSubTitle(self.tr("What LapTune found, and which GPU it will train on."))
        layout = QVBoxLayout(self)
        self.choice = QLabel()
        self.choice.setWordWrap(True)
        self.choice.setObjectName("gpuChoice")
        layout.addWidget(self.choice)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setObjectName("hardwareDetails")
        layout.addWidget(self.details)

    def initializePage(self) -> None:
        from core.machine.hardware import choose_gpu
        from core.memory.recommend import hardware_tier

        hw = self.wiz.hw
        gpu, why = choose_gpu(hw)
        tier, tier_reason = hardware_tier(hw)
        lead = self.tr("Training will run on: {device}").format(
            device=gpu.short_name if gpu is not None else self.tr("the CPU (no NVIDIA GPU found)"))
        tier_text = self.tr("Tier: {tier} — {reason}").format(tier=tier, reason=core_text(tier_reason))
        self.choice.setText(f"<b>{lead}</b><br>{core_text(why)}<br>{tier_text}")
        self.details.setPlainText("\n".join(core_text(line) for line in hw.summary_lines()))


# ---------------------------------------------------------------------------- 2. task and model
class TaskModelPage(QWizardPage):
    def __init__(self, wizard: PresetWizard) -> None:
        super().__init__()
        self.setObjectName("taskModelPage")
        self.wiz = wizard
        self.setTitle(self.tr("Task and model"))
        self.setSubTitle(self.tr("Choose what to train; the preset that fits your hardware is pre-selected."))
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.taskCombo = QComboBox()
        self.taskCombo.setObjectName("taskCombo")
        names = {"classify": self.tr("Text classification"), "ner": self.tr("Named entities (NER)"),
                 "sft": self.tr("Chat fine-tuning (SFT)")}
        for task in TASKS:
            self.taskCombo.addItem(names[task], task)
        form.addRow(self.tr("Task"), self.taskCombo)
        self.presetCombo = QComboBox()
        self.presetCombo.setObjectName("presetCombo")
        form.addRow(self.tr("Preset"), self.presetCombo)
        self.reason = QLabel()
        self.reason.setObjectName("presetReason")
        self.reason.setWordWrap(True)
        form.addRow("", self.reason)
        self.modelEdit = QLineEdit()
        self.modelEdit.setObjectName("modelEdit")
        browse = QPushButton(self.tr("Folder..."))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.modelEdit)
        row.addWidget(browse)
        form.addRow(self.tr("Model (hub id or folder)"), row)
        self.modelStatus = QLabel()
        self.modelStatus.setObjectName("modelStatus")
        self.modelStatus.setWordWrap(True)
        form.addRow("", self.modelStatus)
        from gui.qt_download import DownloadPanel   # "in cache" / "to download: X GB from <source>", Download now

        self.downloadPanel = DownloadPanel()
        self.downloadPanel.downloaded.connect(self._model_changed)   # its config is readable now
        form.addRow("", self.downloadPanel)
        self.trustBox = QCheckBox(self.tr("Trust the model's own code (trust_remote_code)"))
        self.trustBox.setObjectName("trustRemoteCode")
        form.addRow("", self.trustBox)
        self.trustWarning = QLabel(self.tr("Warning: this runs Python code that comes with the model, with your "
                                           "permissions. Tick it only for a model from a source you trust."))
        self.trustWarning.setWordWrap(True)
        self.trustWarning.setStyleSheet("color: #a15c00;")
        form.addRow("", self.trustWarning)
        self.infos: list[Any] = []
        self.model_ok = False
        self.needs_remote_code = False
        self.taskCombo.currentIndexChanged.connect(self._fill_presets)
        self.presetCombo.currentIndexChanged.connect(self._preset_changed)
        self.modelEdit.editingFinished.connect(self._model_changed)
        self.trustBox.toggled.connect(self._trust_changed)
        self._filled = False

    def initializePage(self) -> None:
        if self._filled:
            return
        from core.config.presets import list_presets
        from core.memory.recommend import recommend_all

        self.infos = [i for i in list_presets() if i.config is not None]
        self.recs = recommend_all(self.wiz.hw, self.infos)
        self._filled = True
        wanted = self.wiz.initial_preset or self.wiz.preset
        task = next((i.config.task for i in self.infos if i.name == wanted), None) if wanted else None
        if task is None:
            task = next((t for t in TASKS if self.recs.get(t)), "classify")
        self.taskCombo.setCurrentIndex(self.taskCombo.findData(task))
        self._fill_presets()
        if wanted:
            self.select_preset(wanted)

    def select_preset(self, name: str) -> None:
        index = self.presetCombo.findData(name)
        if index >= 0:
            self.presetCombo.setCurrentIndex(index)

    @Slot()
    def _fill_presets(self) -> None:
        task = self.taskCombo.currentData()
        rec = self.recs.get(task) if hasattr(self, "recs") else None
        self.presetCombo.blockSignals(True)
        self.presetCombo.clear()
        for info in self.infos:
            if info.config.task != task:
                continue
            label = info.name
            if rec is not None and info.name == rec.preset:
                label = "★ " + label + " " + self.tr("(recommended)")
            elif info.config.tier == "demo":
                label += " " + self.tr("(demo, CPU)")
            self.presetCombo.addItem(label, info.name)
            self.presetCombo.setItemData(self.presetCombo.count() - 1, preset_description(info.config),
                                         Qt.ItemDataRole.ToolTipRole)
        self.presetCombo.blockSignals(False)
        index = self.presetCombo.findData(rec.preset) if rec is not None else 0
        self.presetCombo.setCurrentIndex(max(0, index))
        self._preset_changed()

    @Slot()
    def _preset_changed(self) -> None:
        name = self.presetCombo.currentData()
        if name is None:
            return
        info = next(i for i in self.infos if i.name == name)
        rec = self.recs.get(info.config.task)
        if rec is not None and rec.preset == name:
            why = self.tr("Recommended: {reason}").format(reason=core_text(rec.reason))
        else:
            from core.memory.recommend import unmet_requirements

            missing = unmet_requirements(info.config, self.wiz.hw)
            why = (self.tr("Does not fit this machine: {why}").format(why="; ".join(map(core_text, missing))) if missing
                   else self.tr("Fits this machine ({needs}).").format(needs=info.needs()))
        self.reason.setText(f"{preset_description(info.config)}\n{why}")
        self.wiz.set_preset(name, info.path)
        self.modelEdit.setText(info.config.model.name_or_path)
        self.trustBox.blockSignals(True)
        self.trustBox.setChecked(info.config.model.trust_remote_code)
        self.trustBox.blockSignals(False)
        self._model_changed()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Model folder"))
        if folder:
            self.modelEdit.setText(folder)
            self._model_changed()

    @Slot()
    def _model_changed(self) -> None:
        info = next((i for i in self.infos if i.name == self.wiz.preset), None)
        text = self.modelEdit.text().strip()
        if info is None:
            return
        if text != info.config.model.name_or_path:
            self.wiz.set_override("model", "model.name_or_path", text)
        else:
            self.wiz.set_override("model", "model.name_or_path", None)
        model_cfg, error = read_model_info(text, info.path.parent, info.config.model.config_file) if text else (None, self.tr("empty"))
        self.downloadPanel.set_model(text, info.path.parent)
        self.needs_remote_code = bool(model_cfg and model_cfg.get("auto_map"))
        if model_cfg is not None:
            arch = model_cfg.get("model_type", "?")
            layers = model_cfg.get("num_hidden_layers") or model_cfg.get("n_layer") or "?"
            self.modelStatus.setText(self.tr("Model config readable: {arch}, {layers} layers.").format(arch=arch, layers=layers)
                                     + (" " + self.tr("This model ships its own code: tick the box below to use it.")
                                        if self.needs_remote_code else ""))
            self.modelStatus.setStyleSheet("color: #1a7f37;" if not self.needs_remote_code else "color: #a15c00;")
            self.model_ok = True
        else:
            self.modelStatus.setText(self.tr("Cannot read the model's config: {error}").format(error=error))
            self.modelStatus.setStyleSheet("color: #b00020;")
            self.model_ok = False
        self.completeChanged.emit()

    @Slot(bool)
    def _trust_changed(self, on: bool) -> None:
        info = next((i for i in self.infos if i.name == self.wiz.preset), None)
        default = info.config.model.trust_remote_code if info is not None else False
        self.wiz.set_override("model", "model.trust_remote_code", on if on != default else None)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.model_ok and (self.trustBox.isChecked() or not self.needs_remote_code)


# ---------------------------------------------------------------------------- the wizard
class PresetWizard(QWizard):
    def __init__(self, hw: Any, parent: QWidget | None = None, initial_preset: str | None = None,
                 extra_overrides: dict[str, Any] | None = None, sensor_trace: str | None = None,
                 initial_data: str | None = None) -> None:
        super().__init__(parent)
        from gui.qt_data_start import StartPage
        from gui.qt_wizard_data import DataPage
        from gui.qt_wizard_review import ReviewPage
        from gui.qt_wizard_settings import GuardPage, SettingsPage

        self.setObjectName("presetWizard")
        self.setWindowTitle(self.tr("New run"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.resize(960, 680)
        self.hw = hw
        self.cpu_gflops: float | None = None   # measured once by the settings page (0.0: could not)
        self.initial_preset = initial_preset
        self.initial_data = initial_data
        self.sensor_trace = sensor_trace
        self.preset: str | None = None
        self.preset_path: Path | None = None
        # "start": the data chosen on the start page; the data page's own changes go on top of it.
        self._overrides: dict[str, dict[str, Any]] = {"start": {}, "model": {}, "data": {}, "settings": {},
                                                      "guard": {}, "extra": dict(extra_overrides or {})}
        self.plan: RunPlan | None = None
        if initial_preset:
            from core.config.presets import find_preset

            self.set_preset(initial_preset, find_preset(initial_preset))
        self.pages = [HardwarePage(self), TaskModelPage(self), DataPage(self), SettingsPage(self), GuardPage(self),
                      ReviewPage(self)]
        for page in self.pages:
            self.addPage(page)
        self.review_id = self.pageIds()[-1]
        # A run starts from the data (the start page first) unless a preset was chosen beforehand.
        self.startPage = StartPage(self)
        self.start_id = self.addPage(self.startPage)
        if initial_preset is None or initial_data is not None:
            self.setStartId(self.start_id)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Start training"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< Back"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Cancel"))

    def set_preset(self, name: str, path: Path) -> None:
        if name != self.preset:
            for group in ("model", "data", "settings", "guard"):  # not "start": the data stays
                self._overrides[group] = {}
        self.preset, self.preset_path = name, path

    def data_report(self, key: str) -> Any:
        """The check of the training ("train") or evaluation ("eval") data: the data page's, else the start page's."""
        report = self.pages[2].reports.get(key)
        if report is None and key == "train" and self.startPage.path is not None:
            report = self.startPage.report
        return report

    def set_override(self, group: str, dotted: str, value: Any, explicit_none: bool = False) -> None:
        """Record a change; None removes it (the preset's value holds) unless explicit_none."""
        if value is None and not explicit_none:
            self._overrides[group].pop(dotted, None)
        else:
            self._overrides[group][dotted] = value

    def clear_group(self, group: str) -> None:
        self._overrides[group] = {}

    def overrides(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for group in ("start", "model", "data", "settings", "guard", "extra"):
            merged.update(self._overrides[group])
        return merged

    def resolve(self) -> Any:
        """The config as the core resolves it: defaults < preset < .env/env < the wizard's overrides."""
        from core.config.presets import resolve

        return resolve(str(self.preset_path), overrides=self.overrides())

    def resolved_or_none(self) -> Any:
        from core.config.presets import PresetError

        try:
            return self.resolve()
        except PresetError:
            return None

    def make_plan(self, probe_first: bool = False) -> RunPlan:
        resolved = self.resolve()
        return RunPlan(preset=self.preset or "demo", preset_path=resolved.preset_path, config=resolved.config,
                       sources=resolved.sources, overrides=self.overrides(), probe_first=probe_first,
                       sensor_trace=self.sensor_trace)

    def accept(self) -> None:
        self.plan = self.make_plan(probe_first=self.pages[3].probeFirst.isChecked())
        super().accept()
