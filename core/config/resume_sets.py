"""`laptune resume RUN_DIR --set key=value`: the settings a resume may change without breaking an exact resume.

A checkpoint holds the weights, the optimizer and scheduler state, the RNG states and the position in the data
order. Settings that only decide when to save, evaluate or log, how many checkpoints to keep, and when the
guard pauses leave all of that alone, so the resumed run still ends exactly as an uninterrupted one would.
Anything else would continue a different run from a state made for this one: refused, with the reason.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.config.presets import PresetError, _parse_value, _set_path, config_from_dict, normalise_key
from core.config.schema import GuardSection, RunConfig

RESUMABLE = ("training.save_steps", "training.eval_steps", "training.logging_steps", "training.save_total_limit",
             *(f"guard.{name}" for name in GuardSection.model_fields))

_REASONS = (
    (("training.batch_size", "training.grad_accum", "training.max_seq_length", "training.group_by_length",
      "training.dynamic_padding", "training.seed", "training.num_workers"),
     "it changes which samples make up each step, so the data position saved in the checkpoint would no longer match"),
    (("training.learning_rate", "training.head_learning_rate", "training.lr_scheduler", "training.warmup_ratio",
      "training.num_epochs", "training.max_steps", "training.weight_decay", "training.optimizer", "training.max_grad_norm"),
     "the learning-rate schedule, the step count and the optimizer are part of the checkpoint's saved state"),
    (("model.", "lora.", "memory.", "ner.", "classify.", "task"),
     "the checkpoint's weights and optimizer state belong to this model and these memory settings"),
    (("data.",), "the checkpoint's position in the data belongs to this data"),
)


def refusal_reason(path: str) -> str:
    for prefixes, reason in _REASONS:
        if path.startswith(prefixes):
            return reason
    return "it changes what is trained, so the run would no longer continue exactly where it stopped"


def apply_resume_sets(config: RunConfig, sets: Iterable[str]) -> tuple[RunConfig, dict[str, list[Any]]]:
    """The config with `sets` applied, and {dotted key: [old, new]}; a PresetError for a setting a resume refuses."""
    items = list(sets)
    if not items:
        return config, {}
    data = config.model_dump(mode="python")
    changes: dict[str, list[Any]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        try:
            path = normalise_key(key)
        except PresetError as exc:
            raise PresetError(exc.message, file="--set", field=key, fix=exc.fix) from None
        if not sep:
            raise PresetError(f"--set needs key=value, got '{item}'", file="--set", field=key, fix="e.g. --set save_total_limit=1")
        if path not in RESUMABLE:
            raise PresetError(
                f"'{path}' cannot change when resuming: {refusal_reason(path)}", file="--set", field=path,
                fix=f"start a new run with `laptune train ... --set {key}=...`; a resume accepts {', '.join(RESUMABLE[:4])} "
                    "and the guard.* thresholds")
        section, name = path.split(".", 1)
        old = data[section][name]
        value = _parse_value(raw)
        _set_path(data, path, value)
        changes[path] = [old, value]
    return config_from_dict(data, file="--set"), changes
