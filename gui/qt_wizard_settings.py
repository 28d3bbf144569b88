"""Wizard pages 4-5: settings with the VRAM bar and Auto-fit, and the guard thresholds (the review: qt_wizard_review.py)."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import (QCheckBox, QFormLayout, QHBoxLayout, QLabel, QListWidget, QProgressBar, QPushButton,
                               QScrollArea, QVBoxLayout, QWidget, QWizard, QWizardPage)

from gui.qt_core_text import core_text, estimate_text, suggestion_text
from gui.qt_fields import FieldEditor, get_value
from gui.qt_text import fmt_bytes

# The pages get the wizard that owns them (gui/qt_wizard.py's PresetWizard, with its shared `state`); typed as
# QWizard so this module does not import the one that imports it.

BAR_COLORS = {"green": "#2e9e44", "amber": "#e0a100", "red": "#d0312d"}


def with_local_model(config: Any, preset_path: Path | None) -> Any:
    """The config with a relative model folder made absolute (the estimator reads config.json from it)."""
    from core.train.modeling import ModelError, resolve_model_path

    try:
        path = resolve_model_path(config.model.name_or_path, preset_path.parent if preset_path else None)
    except ModelError:
        return config
    return config.model_copy(update={"model": config.model.model_copy(update={"name_or_path": path})})


def _scroll(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


class _ConfigPage(QWizardPage):
    """A page of FieldEditors whose edits become the wizard's overrides of one group."""

    group = ""

    def __init__(self, wizard: QWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.editors: dict[str, FieldEditor] = {}
        self.error = QLabel()
        self.error.setObjectName(f"{self.group}Error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.resolved: Any = None

    def _editor(self, dotted: str) -> FieldEditor:
        editor = FieldEditor(dotted, none_text=self.tr("auto"))
        editor.changed.connect(self._changed)
        self.editors[dotted] = editor
        return editor

    def load(self) -> None:
        self.resolved = self.wiz.resolved_or_none()
        if self.resolved is not None:
            for dotted, editor in self.editors.items():
                editor.set_value(get_value(self.resolved.config, dotted))
        self.update_view()

    @Slot(str, object)
    def _changed(self, dotted: str, value: Any) -> None:
        from core.config.presets import PresetError

        self.wiz.set_override(self.group, dotted, value, explicit_none=True)
        try:
            self.resolved = self.wiz.resolve()
            self.error.setText("")
        except PresetError as exc:
            self.resolved = None
            self.error.setText(str(exc))
        self.update_view()
        self.completeChanged.emit()

    def update_view(self) -> None:
        pass

    def isComplete(self) -> bool:
        return self.resolved is not None


# ---------------------------------------------------------------------------- 4. settings
class SettingsPage(_ConfigPage):
    group = "settings"

    def __init__(self, wizard: QWizard) -> None:
        super().__init__(wizard)
        self.setObjectName("settingsPage")
        self.setTitle(self.tr("Settings"))
        self.setSubTitle(self.tr("The preset's values; change any. The bar shows the estimated peak memory."))
        layout = QVBoxLayout(self)
        self.vramBar = QProgressBar()
        self.vramBar.setObjectName("vramBar")
        self.vramBar.setRange(0, 1000)
        self.vramBar.setTextVisible(True)
        self.vramBar.setMinimumHeight(24)
        layout.addWidget(self.vramBar)
        self.timeLabel = QLabel()
        self.timeLabel.setObjectName("timeEstimate")
        self.timeLabel.setWordWrap(True)
        layout.addWidget(self.timeLabel)
        row = QHBoxLayout()
        self.autoFitButton = QPushButton(self.tr("Auto-fit"))
        self.autoFitButton.setObjectName("autoFitButton")
        self.autoFitButton.setToolTip(self.tr("Choose the fastest settings whose estimated memory fits this machine"))
        self.autoFitButton.clicked.connect(self.auto_fit)
        row.addWidget(self.autoFitButton)
        self.probeFirst = QCheckBox(self.tr("Probe first: run a few steps to measure memory and speed before the run"))
        self.probeFirst.setObjectName("probeFirst")
        row.addWidget(self.probeFirst, 1)
        layout.addLayout(row)
        self.fitChanges = QListWidget()
        self.fitChanges.setObjectName("fitChanges")
        self.fitChanges.setMaximumHeight(64)
        self.fitChanges.setWordWrap(True)
        self.fitChanges.hide()
        layout.addWidget(self.fitChanges)
        self.formHost = QWidget()
        self.form = QFormLayout(self.formHost)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addWidget(_scroll(self.formHost), 1)
        layout.addWidget(self.error)
        self.level = "unknown"
        self.estimate: Any = None
        self._task: str | None = None

    def labels(self) -> dict[str, tuple[str, str]]:
        """dotted -> (label, one sentence of help, incl. which way memory moves)."""
        return {
            "training.num_epochs": (self.tr("Epochs"), self.tr("Passes over the training data.")),
            "training.max_steps": (self.tr("Max steps"), self.tr("Stop after this many optimizer steps; 'auto' runs all epochs.")),
            "training.batch_size": (self.tr("Micro-batch"), self.tr("Samples per forward pass. Memory: up, roughly linearly.")),
            "training.grad_accum": (self.tr("Accumulation"), self.tr("Micro-batches per optimizer step; the effective batch is micro-batch × accumulation. Memory: none.")),
            "training.max_seq_length": (self.tr("Max sequence length"), self.tr("Tokens per sample; longer samples are cut. Memory: up, linear to quadratic.")),
            "training.learning_rate": (self.tr("Learning rate"), self.tr("Step size of the optimizer.")),
            "training.head_learning_rate": (self.tr("Head/CRF learning rate"), self.tr("A separate, usually larger, learning rate for the task head and CRF.")),
            "training.optimizer": (self.tr("Optimizer"), self.tr("adamw keeps two fp32 states per trainable weight; 8-bit keeps two bytes; sgd none. Memory: adamw > 8-bit > adafactor > sgd.")),
            "training.eval_steps": (self.tr("Evaluate every"), self.tr("Steps between evaluations; 'auto' evaluates once per epoch.")),
            "training.save_steps": (self.tr("Save every"), self.tr("Steps between checkpoints; 'auto' saves once per epoch.")),
            "memory.precision": (self.tr("Precision"), self.tr("fp16/bf16 halve activation memory on a GPU; on the CPU, auto trains in bf16 where the CPU has it (faster), else fp32.")),
            "memory.gradient_checkpointing": (self.tr("Gradient checkpointing"), self.tr("Recompute activations in the backward pass. Memory: down 30-50 %; time: up 20-30 %.")),
            "memory.freeze_layers": (self.tr("Frozen layers"), self.tr("Freeze the embeddings and the first N layers. Memory: down (no gradients or optimizer state for them).")),
            "memory.load_in_4bit": (self.tr("4-bit weights (QLoRA)"), self.tr("NF4 weights through bitsandbytes, CUDA only. Memory: down about 4x for the weights.")),
            "lora.enabled": (self.tr("LoRA adapters"), self.tr("Train small adapters instead of all weights. Memory: down.")),
            "lora.rank": (self.tr("LoRA rank"), self.tr("Adapter size. Memory: up, slightly.")),
        }

    def fields_for(self, task: str) -> list[str]:
        common = ["training.num_epochs", "training.max_steps", "training.batch_size", "training.grad_accum",
                  "training.max_seq_length", "training.learning_rate", "training.optimizer", "memory.precision",
                  "memory.gradient_checkpointing", "training.eval_steps", "training.save_steps"]
        extra = {"ner": ["training.head_learning_rate", "memory.freeze_layers"], "classify": ["memory.freeze_layers"],
                 "sft": ["lora.enabled", "lora.rank", "memory.load_in_4bit"]}
        return common + extra.get(task, [])

    def initializePage(self) -> None:
        resolved = self.wiz.resolved_or_none()
        task = resolved.config.task if resolved is not None else "classify"
        if task != self._task:
            self._task = task
            while self.form.rowCount():
                self.form.removeRow(0)
            self.editors = {}
            labels = self.labels()
            for dotted in self.fields_for(task):
                label, help_text = labels[dotted]
                editor = self._editor(dotted)
                editor.setToolTip(help_text)
                title = QLabel(label)
                title.setToolTip(help_text)
                self.form.addRow(title, editor)
        self.load()

    def update_view(self) -> None:
        self._update_bar()
        self._update_time()

    def _capacity(self) -> tuple[str, int | None, str]:
        from core.machine.hardware import choose_gpu

        cfg = self.resolved.config
        gpu, _ = choose_gpu(self.wiz.hw, cfg.device.gpu_id)
        if gpu is None or cfg.device.use_cpu:
            return "cpu", self.wiz.hw.system.ram_available_bytes, self.tr("of available RAM")
        return "cuda", gpu.total_bytes, self.tr("of {gpu}'s memory").format(gpu=gpu.short_name)

    def _update_bar(self) -> None:
        self.estimate = None
        if self.resolved is None:
            self._paint("unknown", 0, self.tr("estimate unavailable: the settings are invalid"), "")
            return
        try:
            from core.memory.estimate import estimate_config
        except ImportError:
            self._paint("unknown", 0, self.tr("estimate unavailable"), "")
            return
        device, capacity, where = self._capacity()
        try:
            est = estimate_config(with_local_model(self.resolved.config, self.resolved.preset_path), device)
        except (ValueError, OSError, KeyError) as exc:
            self._paint("unknown", 0, self.tr("estimate unavailable"), str(exc))
            return
        self.estimate = est
        frac = est.peak_bytes / capacity if capacity else 1.0
        level = "green" if frac < 0.75 else "amber" if frac < 0.9 else "red"
        text = self.tr("Estimated peak {peak} {where} ({total}): {pct} %").format(
            peak=fmt_bytes(est.peak_bytes), where=where, total=fmt_bytes(capacity), pct=f"{100 * frac:.0f}")
        self._paint(level, int(min(frac, 1.0) * 1000), text, estimate_text(est.lines()))

    def _paint(self, level: str, value: int, text: str, tooltip: str) -> None:
        self.level = level
        self.vramBar.setValue(value)
        self.vramBar.setFormat(text)
        self.vramBar.setToolTip(tooltip)
        color = BAR_COLORS.get(level, "#999999")
        self.vramBar.setStyleSheet(f"QProgressBar {{ border: 1px solid #888; border-radius: 3px; text-align: center; }}"
                                   f"QProgressBar::chunk {{ background-color: {color}; }}")

    def _update_time(self) -> None:
        if self.resolved is None:
            self.timeLabel.setText("")
            self.timeLabel.setToolTip("")
            return
        t = self.resolved.config.training
        effective = t.batch_size * t.grad_accum
        report = self.wiz.data_report("train")
        n: int | None = None
        if report is not None and report.n_examples:
            n = report.n_examples if self.resolved.config.data.eval or self.wiz.data_report("eval") is not None \
                else int(report.n_examples * (1 - self.resolved.config.data.eval_fraction))
        if t.max_steps and t.max_steps > 0:
            how = self.tr("{steps} optimizer steps (max steps)").format(steps=t.max_steps)
        elif n:
            steps = math.ceil(n / effective) * t.num_epochs
            how = self.tr("about {steps} optimizer steps ({epochs:g} epochs × {n} examples ÷ effective batch {b})").format(
                steps=int(steps), epochs=t.num_epochs, n=n, b=effective)
        else:
            how = self.tr("unknown number of steps")
        rough, tooltip = self._rough_time(n)
        self.timeLabel.setText(self.tr("Estimated time: {rough}{how}.").format(rough=rough, how=how))
        self.timeLabel.setToolTip(tooltip)

    def _throughput(self, device: str) -> Any:
        """The device's effective FLOP/s (core/memory/timing.py): a GPU by name, the CPU measured if torch is loaded."""
        from core.memory import timing
        if device == "cuda":
            from core.machine.hardware import choose_gpu

            gpu, _ = choose_gpu(self.wiz.hw, self.resolved.config.device.gpu_id)
            return timing.gpu_throughput(gpu.name, self.resolved.config.memory.precision)
        if self.wiz.cpu_gflops is None:
            # 40 ms of matmuls, only when a run already imported torch (never imported here: it takes seconds).
            self.wiz.cpu_gflops = timing.measure_cpu_gflops(0.04) or 0.0
        return timing.cpu_throughput(self.wiz.hw.system.cpu_physical_cores, self.wiz.cpu_gflops or None)

    def _rough_time(self, train_examples: int | None) -> tuple[str, str]:
        """('about 12 min per epoch, 0.6 h in all (rough; ...). ', tooltip), or ('', why not) when it cannot say."""
        from core.memory.model_arch import ModelConfigError
        from core.memory.timing import estimate_time

        device, _, _ = self._capacity()
        try:
            est = estimate_time(with_local_model(self.resolved.config, self.resolved.preset_path),
                                self._throughput(device), train_examples=train_examples)
        except (ModelConfigError, ValueError, OSError, KeyError) as exc:
            return "", self.tr("No time estimate: {error}").format(error=exc)
        parts = []
        if est.seconds_per_epoch is not None:
            parts.append(self.tr("{t} per epoch").format(t=_span(est.seconds_per_epoch)))
        if est.seconds_total is not None:
            parts.append(self.tr("{t} in all").format(t=_span(est.seconds_total)))
        if not parts:
            parts.append(self.tr("about {t} s per optimizer step").format(t=f"{est.seconds_per_step:.2g}"))
        text = self.tr("{parts} (rough; tick 'probe first' to measure); ").format(parts=", ".join(parts))
        tooltip = self.tr("{flops:.3g} TFLOP per optimizer step ({tokens} tokens, counted at max sequence length) "
                          "÷ {rate:.3g} TFLOPS effective + {overhead:g} s fixed cost per micro-batch = {sec:.3g} s per step.\n"
                          "{source}").format(
            flops=est.flops_per_step / 1e12, tokens=est.tokens_per_step, rate=est.throughput.flops_per_s / 1e12,
            overhead=est.throughput.overhead_s, sec=est.seconds_per_step, source=est.throughput.source)
        return text, tooltip

    @Slot()
    def auto_fit(self) -> None:
        """Apply core.memory.fit's fastest config that fits, and list what it changed and why."""
        self.fitChanges.clear()
        self.fitChanges.show()
        if self.resolved is None:
            self.fitChanges.addItem(self.tr("Fix the settings first."))
            return
        try:
            from core.memory.fit import fit
        except ImportError:
            self.fitChanges.addItem(self.tr("Auto-fit is unavailable in this version."))
            return
        try:
            result = fit(with_local_model(self.resolved.config, self.resolved.preset_path), self.wiz.hw)
        except (ValueError, OSError) as exc:
            self.fitChanges.addItem(self.tr("Auto-fit could not estimate this model: {error}").format(error=exc))
            return
        for change in result.changes:
            if change.field == "model.name_or_path":
                continue
            self.wiz.set_override(self.group, change.field, change.new, explicit_none=True)
            self.fitChanges.addItem(f"{change.field}: {change.old} → {change.new} ({core_text(change.why)})")
        if not result.changes:
            self.fitChanges.addItem(self.tr("No changes: the settings already fit."))
        if not result.fits:
            self.fitChanges.addItem(self.tr("Even the smallest settings do not fit. What would fit:"))
            for suggestion in result.suggestions:
                self.fitChanges.addItem(f"  - {suggestion_text(suggestion)}")
        self.load()
        self.completeChanged.emit()


def _span(seconds: float) -> str:
    """A rough duration in words: 'under a minute', 'about 12 min', 'about 3.4 h'.

    Outside a class, lupdate would file `page.tr(...)` under a context named "page", which no
    translation lookup uses: the context is spelled out."""
    if seconds < 60:
        return QCoreApplication.translate("SettingsPage", "under a minute")
    if seconds < 3600:
        return QCoreApplication.translate("SettingsPage", "about {n} min").format(n=round(seconds / 60))
    return QCoreApplication.translate("SettingsPage", "about {n} h").format(n=f"{seconds / 3600:.1f}")


# ---------------------------------------------------------------------------- 5. guard
class GuardPage(_ConfigPage):
    group = "guard"

    def __init__(self, wizard: QWizard) -> None:
        super().__init__(wizard)
        self.setObjectName("guardPage")
        self.setTitle(self.tr("Guard"))
        self.setSubTitle(self.tr("When to pause, resume or save and stop, so the laptop survives the run."))
        layout = QVBoxLayout(self)
        host = QWidget()
        form = QFormLayout(host)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for dotted, label, why in self.rows():
            editor = self._editor(dotted)
            cell = QWidget()
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 4)
            box.addWidget(editor)
            note = QLabel(why)
            note.setWordWrap(True)
            note.setStyleSheet("color: #555;")
            box.addWidget(note)
            form.addRow(label, cell)
        layout.addWidget(_scroll(host), 1)
        layout.addWidget(self.error)

    def rows(self) -> list[tuple[str, str, str]]:
        return [
            ("guard.enabled", self.tr("Guard on"), self.tr("Watches the sensors and pauses or stops before the hardware suffers.")),
            ("guard.gpu_temp_pause_c", self.tr("Pause at GPU °C"), self.tr("Laptop GPUs throttle in the high 80s; pausing lets the fans catch up.")),
            ("guard.gpu_temp_resume_c", self.tr("Resume below GPU °C"), self.tr("Well below the pause point, so the run does not pause and resume in a loop.")),
            ("guard.gpu_temp_stop_c", self.tr("Save and stop at GPU °C"), self.tr("Near the shutdown limit: save the work before the laptop switches off.")),
            ("guard.vram_pause_frac", self.tr("Pause at VRAM share"), self.tr("Above this share another program may push training into out-of-memory (0.95 = 95 %).")),
            ("guard.vram_resume_frac", self.tr("Resume below VRAM share"), self.tr("Resume once the other program has let go of its memory.")),
            ("guard.ram_pause_frac", self.tr("Pause at RAM share"), self.tr("A full RAM makes the system swap, and everything slows to a crawl.")),
            ("guard.ram_resume_frac", self.tr("Resume below RAM share"), self.tr("Resume when memory has been freed.")),
            ("guard.ram_stop_frac", self.tr("Save and stop at RAM share"), self.tr("Just before the system would kill the process for lack of memory.")),
            ("guard.battery_stop_pct", self.tr("Save and stop below battery %"), self.tr("On battery, save the work before the laptop runs flat.")),
            ("guard.warn_on_battery", self.tr("Warn when unplugged"), self.tr("A laptop on battery throttles its GPU, and the run slows down.")),
            ("guard.max_pause_minutes", self.tr("Longest pause (minutes)"), self.tr("A pause this long means something is wrong: save and stop instead of waiting for ever.")),
        ]

    def initializePage(self) -> None:
        self.load()
