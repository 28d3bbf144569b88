"""What a run tries again after what usually kills it, and the faults that exercise those paths.

- `backoff_plan`: after a CUDA out-of-memory error, the next smaller setting that keeps the effective
  batch (halve the micro-batch and double accumulation, then halve the sequence length, then turn
  gradient checkpointing on);
- `Attempt`: one try of a run (its settings, the checkpoint it starts from, the back-offs and NaN
  rollbacks so far); `NAN_ADVICE`: what a user can change when the loss keeps becoming non-finite;
- `Faults`: fault injection (`--simulate-oom-at-step` and friends) so these paths run on a CPU.

core/train/session.py carries them out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.config.schema import RunConfig


@dataclass
class Faults:
    """Fault injection for tests and for trying the recovery paths (--simulate-oom-at-step and friends)."""
    oom_at_step: int | None = None
    nan_at_step: int | None = None
    eval_oom: bool = False
    sensor_trace: str | None = None
    disk_full_at_step: int | None = None   # the checkpoint save at or after this step fails as on a full disk

    def as_trainer_faults(self) -> dict[str, int]:
        faults = {"oom": self.oom_at_step, "nan": self.nan_at_step, "eval_oom": 1 if self.eval_oom else None,
                  "disk_full": self.disk_full_at_step}
        return {k: v for k, v in faults.items() if v is not None}


@dataclass
class Attempt:
    config: RunConfig
    resume_from: str | None
    nan_rollbacks: int = 0
    backoffs: list[dict[str, Any]] = field(default_factory=list)


def backoff_plan(cfg: RunConfig) -> tuple[RunConfig, dict[str, list[Any]], str] | None:
    """The next smaller setting after an out-of-memory error, keeping the effective batch the same."""
    t, m = cfg.training, cfg.memory
    if t.batch_size > 1:
        new_bs = t.batch_size // 2 if t.batch_size % 2 == 0 else 1
        new_acc = t.grad_accum * t.batch_size // new_bs
        changes = {"batch_size": [t.batch_size, new_bs], "grad_accum": [t.grad_accum, new_acc]}
        new = cfg.model_copy(update={"training": t.model_copy(update={"batch_size": new_bs, "grad_accum": new_acc})})
        return new, changes, (f"micro-batch {t.batch_size} -> {new_bs}, accumulation {t.grad_accum} -> {new_acc} "
                              f"(effective batch stays {cfg.effective_batch})")
    if t.max_seq_length >= 64:
        new_len = t.max_seq_length // 2
        new = cfg.model_copy(update={"training": t.model_copy(update={"max_seq_length": new_len})})
        return new, {"max_seq_length": [t.max_seq_length, new_len]}, (
            f"already at batch 1: sequence length {t.max_seq_length} -> {new_len} (longer samples are cut)")
    if not m.gradient_checkpointing:
        new = cfg.model_copy(update={"memory": m.model_copy(update={"gradient_checkpointing": True})})
        return new, {"gradient_checkpointing": [False, True]}, "gradient checkpointing on (slower, much less memory)"
    return None


NAN_ADVICE = ("lower the head/CRF learning rate (e.g. --set crf_learning_rate=1e-3), turn fp16 off "
              "(--set precision=fp32), and check the data (seed 000's advice)")
