"""Plain words for what the core reports: log lines, guard decisions and failures, in the user's language.

The core writes its messages in English (they also go to events.jsonl and the CLI). Guard decisions
carry their rule, reading and threshold, so they are rebuilt here from translated templates; other
core messages keep their English detail after a translated lead-in.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QLocale

if TYPE_CHECKING:
    from core.record.events import Event, GuardAction, Status

GIB = 1024**3


def tr(text: str) -> str:
    # lupdate files module-level tr("...") calls under the empty context.
    return QCoreApplication.translate("", text)


def is_english() -> bool:
    return QLocale().language() != QLocale.Language.Chinese


def colon() -> str:
    """': ' in English, the full-width '：' in Chinese."""
    return ": " if is_english() else "："


def fmt_bytes(n: float | None) -> str:
    return "-" if n is None else f"{n / GIB:.1f} GiB"


def fmt_num(value: float, decimals: int = 2) -> str:
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_duration(seconds: float) -> str:
    seconds = int(max(0, seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def fmt_metrics(metrics: dict[str, float]) -> str:
    keys = [k for k in metrics if k.startswith("eval_") and not k.endswith(("runtime", "per_second"))]
    return ", ".join(f"{k[5:]} {metrics[k]:.4g}" for k in keys)


def _pair(value: float, threshold: float, below: bool) -> tuple[str, str]:
    """The reading with as few decimals as keep the shown comparison true ('74.6 < 75', not '75 < 75')."""
    for decimals in (0, 1, 2):
        shown = fmt_num(value, decimals)
        if (float(shown) < threshold) if below else (float(shown) >= threshold):
            return shown, fmt_num(threshold)
    return fmt_num(value, 3), fmt_num(threshold)


def _rules() -> dict[str, tuple[str, float, str]]:
    """rule -> (label, scale, unit)."""
    return {"gpu_temp": (tr("GPU"), 1.0, "°C"), "gpu_temp_critical": (tr("GPU"), 1.0, "°C"),
            "vram": (tr("VRAM"), 100.0, "%"), "ram": (tr("RAM"), 100.0, "%"), "ram_critical": (tr("RAM"), 100.0, "%")}


def _resume_threshold(rule: str, guard: Any) -> float | None:
    if guard is None:
        return None
    return {"gpu_temp": guard.gpu_temp_resume_c, "vram": guard.vram_resume_frac * 100,
            "ram": guard.ram_resume_frac * 100}.get(rule)


def guard_text(action: GuardAction, guard: Any = None) -> str:
    """One guard decision in plain words, e.g. 'GPU 88 °C ≥ 85 °C: paused; resumes below 75 °C'."""
    if is_english():
        return action.message
    rules = _rules()
    if action.value is None or action.threshold is None:
        if action.rule == "on_battery":
            return tr("On battery: keep the charger connected; a laptop on battery throttles and may shut down")
        return _core(action.message)
    if action.rule in rules:
        label, scale, unit = rules[action.rule]
        value, threshold = action.value * scale, action.threshold * scale
        if action.action == "pause":
            shown, limit = _pair(value, threshold, below=False)
            resume = _resume_threshold(action.rule, guard)
            text = tr("{label} {value} {unit} ≥ {limit} {unit}: paused").format(label=label, value=shown, limit=limit, unit=unit)
            if resume is not None:
                text += tr("; resumes below {resume} {unit}").format(resume=fmt_num(resume), unit=unit)
            return text
        if action.action == "resume":
            shown, limit = _pair(value, threshold, below=True)
            return tr("{label} back to {value} {unit} < {limit} {unit}: resumed").format(
                label=label, value=shown, limit=limit, unit=unit)
        if action.action == "stop":
            shown, limit = _pair(value, threshold, below=False)
            return tr("{label} {value} {unit} ≥ {limit} {unit}: critical; saving a checkpoint and stopping").format(
                label=label, value=shown, limit=limit, unit=unit)
    if action.rule == "battery":
        shown, limit = _pair(action.value, action.threshold, below=True)
        return tr("Battery {value} % < {limit} %: saving a checkpoint and stopping").format(value=shown, limit=limit)
    if action.rule == "max_pause":
        return tr("Paused for {value} min (maximum {limit} min): saving a checkpoint and stopping").format(
            value=fmt_num(action.value, 0), limit=fmt_num(action.threshold))
    if action.rule == "disk":
        free = fmt_num(action.value / 1e9, 2) + " GB"
        text = {"pause": tr("Disk nearly full: {free} free, not enough for the next checkpoint: paused; free space and "
                            "the run resumes"),
                "resume": tr("Disk space freed ({free} free): resumed"),
                "warn": tr("Disk space is low: {free} free; free space or keep fewer checkpoints")}.get(action.action)
        return text.format(free=free) if text else _core(action.message)
    if action.rule == "swap":
        return tr("Swap use grew by {value} MiB: memory pressure; close other programs or lower the batch size").format(
            value=fmt_num(action.value / 1024**2, 0))
    return _core(action.message)


def event_line(event: Event, guard: Any = None) -> str | None:
    """The log panel's line for an event (None: not worth a line, e.g. sensor samples)."""
    from core.record.events import Backoff, Checkpoint, Eval, GuardAction, Log, Status

    stamp = time.strftime("%H:%M:%S", time.localtime(event.t))
    text: str | None = None
    if isinstance(event, Log) and event.loss is not None:
        text = tr("Step {step}: training loss {loss:.4f}").format(step=event.step, loss=event.loss)
    elif isinstance(event, Eval):
        text = tr("Evaluation at step {step}: {metrics}").format(step=event.step, metrics=fmt_metrics(event.metrics))
        if event.generation:
            text += "\n    " + tr("Sample output: {text}").format(text=event.generation)
    elif isinstance(event, GuardAction):
        kind = {"pause": tr("Guard paused the run"), "resume": tr("Guard resumed the run"),
                "stop": tr("Guard stopped the run"), "warn": tr("Guard warning")}.get(event.action, tr("Guard"))
        text = f"{kind}{colon()}{guard_text(event, guard)}"
    elif isinstance(event, Checkpoint):
        text = tr("Checkpoint saved at step {step}: {path}").format(step=event.step, path=event.path)
    elif isinstance(event, Backoff):
        lead = {"oom": tr("Out of memory: continuing with smaller settings"),
                "eval_oom": tr("Out of memory during evaluation: continuing with smaller settings"),
                "nan": tr("The loss became invalid (NaN): rolled back"),
                "probe": tr("Probe: the micro-batch was changed to fit")}.get(event.reason, tr("Recovered"))
        text = f"{lead}{'. ' if is_english() else '。'}{_core(event.message)}"
    elif isinstance(event, Status):
        text = status_text(event)
    return None if text is None else f"{stamp}  {text}"


def _known_phrases() -> dict[str, str]:
    """The core's fixed status messages, in the user's language (the rest keep their English detail)."""
    return {"training finished": tr("training finished"), "stopped by the user": tr("stopped by the user"),
            "paused by the user": tr("paused by the user"), "interrupted": tr("interrupted")}


def _core(text: str) -> str:
    """A core sentence in the user's language, where a template for it is known (gui/qt_core_text.py)."""
    from gui.qt_core_text import core_text

    return core_text(text) if text and not is_english() else text


def status_text(event: Status) -> str | None:
    message = _known_phrases().get(event.message, event.message) if event.message else ""
    if event.status == "probing" and message:
        message = "; ".join(_core(part) for part in message.split("; "))
    else:
        message = _core(message)
    detail = f"{colon()}{message}" if message else ""
    if event.status in ("paused", "resumed") and not is_english():
        detail = ""        # the core's English reason; the guard's line just before says it in words
    lead = {
        "started": tr("Training started"), "note": tr("Note"), "paused": tr("Paused"), "resumed": tr("Resumed"),
        "completed": tr("Finished"), "stopped": tr("Stopped (a checkpoint was saved)"), "failed": tr("Failed"),
        "warning": tr("Warning"), "probing": tr("Probing memory"),
    }.get(event.status)
    if lead is None:
        return f"{event.status}{detail}"
    if event.status == "started" and event.run_dir:
        return f"{lead}{detail}\n    " + tr("Run folder: {path}").format(path=event.run_dir)
    return f"{lead}{detail}"


def failure_texts(error_type: str) -> tuple[str, str]:
    """(title, what to do when the error carries no fix of its own) for the failure dialog."""
    table = {
        "PresetError": (tr("The settings have a problem"), tr("Correct the setting named above in the wizard, then start again.")),
        "DataError": (tr("The data file has a problem"), tr("Fix the file at the line shown, or choose another file in the wizard.")),
        "ModelError": (tr("The model could not be loaded"), tr("Check the model id or folder on the wizard's Task and model page.")),
        "RunError": (tr("The run folder has a problem"), tr("Free disk space or choose another folder, then start again.")),
        "SessionError": (tr("The run cannot start with these settings"), tr("Change the settings as suggested, then start again.")),
        "TraceError": (tr("The sensor trace has a problem"), tr("Fix the trace file at the line shown.")),
        "OutOfMemoryError": (tr("Out of memory"), tr("Use Auto-fit in the wizard, or a smaller model or batch.")),
    }
    return table.get(error_type, (tr("Training stopped because of an error"),
                                  tr("Try again; if it happens again, send us the log file named below.")))
