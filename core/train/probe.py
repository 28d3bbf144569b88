"""The probe: a few real steps at the data set's LONGEST samples before a long run.

The estimate says what should fit; the probe checks it on this machine: it trains 3-5 micro-steps
on the longest sequences (the ones that run out of memory hours in), measures peak memory
(max_memory_reserved on CUDA, RSS growth on the CPU), and times the steps to turn them into a time
per epoch and a total. If the probe runs out of memory it searches the micro-batch downwards (keeping
the effective batch, like Lightning's batch-size finder but never changing what is learned).
"""
from __future__ import annotations

import math
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from core.config.schema import RunConfig
from core.record.events import Emit, Status


class ProbeOOM(Exception):
    """A micro-batch did not fit."""


@dataclass
class ProbeStep:
    batch_size: int
    fits: bool
    peak_bytes: int | None = None
    seconds_per_micro_step: float | None = None


@dataclass
class ProbeResult:
    batch_size: int                      # the largest micro-batch that fit (0: none)
    grad_accum: int
    device: str
    peak_bytes: int | None
    estimate_bytes: int | None
    seconds_per_optimizer_step: float | None
    steps_per_epoch: int
    seconds_per_epoch: float | None
    seconds_total: float | None
    tried: list[ProbeStep] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        def gib(b: int | None) -> str:
            return f"{b / 1024**3:.2f} GiB" if b is not None else "-"

        out = [f"probe on {self.device}: micro-batch {self.batch_size} x accumulation {self.grad_accum}",
               f"  measured peak {gib(self.peak_bytes)}, estimated {gib(self.estimate_bytes)}"]
        if self.seconds_per_epoch is not None:
            out.append(f"  {self.seconds_per_optimizer_step:.2f} s per optimizer step at the longest samples; "
                       f"about {self.seconds_per_epoch / 60:.1f} min per epoch, {self.seconds_total / 60:.1f} min in total")
        return out + [f"  {n}" for n in self.notes]


def divisors_below(effective: int, start: int) -> list[int]:
    """Micro-batches that divide the effective batch, from `start` down to 1."""
    return [b for b in range(min(start, effective), 0, -1) if effective % b == 0]


def search_batch(try_batch: Callable[[int], ProbeStep], effective: int, start: int) -> tuple[int, list[ProbeStep]]:
    """Largest micro-batch <= start dividing `effective` that fits: halve until one fits, then bisect
    between it and the smallest failure. `try_batch` raises ProbeOOM when a batch does not fit."""
    candidates = divisors_below(effective, start)
    tried: list[ProbeStep] = []

    def attempt(b: int) -> bool:
        try:
            tried.append(try_batch(b))
            return True
        except ProbeOOM:
            tried.append(ProbeStep(b, False))
            return False

    hi = 0                     # index into candidates (descending): candidates[hi] failed or is untested
    lo = None
    i = 0
    while i < len(candidates):
        if attempt(candidates[i]):
            lo = i
            break
        hi = i
        # Halve: jump to the largest candidate at most half of the failed one.
        half = candidates[i] // 2
        i = next((j for j in range(i + 1, len(candidates)) if candidates[j] <= half), len(candidates))
    if lo is None:
        return 0, tried
    # Bisect between the last failure (hi) and the first success (lo) for a larger fitting batch.
    while lo - hi > 1 and not tried[0].fits:
        mid = (hi + lo) // 2
        if attempt(candidates[mid]):
            lo = mid
        else:
            hi = mid
    return candidates[lo], tried


def run_probe(cfg: RunConfig, preset_dir: Path | None, emit: Emit | None = None, steps: int = 3,
              hardware: Any = None) -> ProbeResult:
    """Train `steps` micro-steps on the longest samples at the config's micro-batch (smaller if it OOMs)."""
    import psutil
    import torch
    import transformers

    from core.train.setup import build_task, choose_device, training_arguments
    from core.train.trainer import LapTuneTrainer, free_memory, is_oom

    emit = emit or (lambda event: None)
    device = choose_device(cfg, hardware)
    transformers.set_seed(cfg.training.seed)
    transformers.utils.logging.disable_progress_bar()
    bundle = build_task(cfg, device, preset_dir)
    dataset = bundle.train_dataset
    order = sorted(range(len(dataset)), key=lambda i: -dataset.lengths[i])
    effective = cfg.effective_batch
    process = psutil.Process()

    def try_batch(b: int) -> ProbeStep:
        from torch.utils.data import Subset

        longest = Subset(dataset, order[: b * steps])
        cfg_b = cfg.model_copy(update={"training": cfg.training.model_copy(update={
            "batch_size": b, "grad_accum": 1, "max_steps": steps, "save_steps": None, "eval_steps": None})})
        with tempfile.TemporaryDirectory() as tmp:
            args = training_arguments(cfg_b, device, Path(tmp), bundle)
            args.save_strategy = "no"
            args.eval_strategy = "no"
            trainer = LapTuneTrainer(model=bundle.model, args=args, train_dataset=longest, data_collator=bundle.collator,
                                     emit=emit, head_parameters=bundle.head_parameters,
                                     head_learning_rate=cfg.training.head_learning_rate, group_by_length=False, faults={})
            free_memory()
            if device.kind == "cuda":
                torch.cuda.reset_peak_memory_stats()
            rss_before = process.memory_info().rss
            started = time.perf_counter()
            try:
                trainer.train()
            except Exception as exc:
                if is_oom(exc):
                    free_memory()
                    raise ProbeOOM() from exc
                raise
            elapsed = time.perf_counter() - started
        peak = torch.cuda.max_memory_reserved() if device.kind == "cuda" else process.memory_info().rss - rss_before
        emit(Status(status="probing", message=f"probe: micro-batch {b} fits, {elapsed / steps:.2f} s per step"))
        return ProbeStep(b, True, int(peak), elapsed / steps)

    emit(Status(status="probing", message=f"probing {steps} steps at the longest samples "
                                          f"({dataset.lengths[order[0]]} tokens) on {device.kind}"))
    initial = {k: v.detach().clone() for k, v in bundle.model.state_dict().items()}
    best, tried = search_batch(try_batch, effective, cfg.training.batch_size)
    bundle.model.load_state_dict(initial)   # the probe must not leave its updates in the model
    estimate_bytes = None
    try:
        from core.memory.estimate import estimate_config

        estimate_bytes = estimate_config(cfg, device=device.kind).peak_bytes
    except Exception as exc:  # noqa: BLE001 - an estimate that cannot be made is reported, not fatal
        tried_note = f"no estimate to compare: {exc}"
    else:
        tried_note = None
    fit_step = next((t for t in reversed(tried) if t.fits and t.batch_size == best), None)
    accum = effective // best if best else cfg.training.grad_accum
    steps_per_epoch = math.ceil(len(dataset) / effective) if effective else 0
    per_opt = fit_step.seconds_per_micro_step * accum if fit_step else None
    epochs = cfg.training.num_epochs
    total_steps = cfg.training.max_steps if cfg.training.max_steps > 0 else math.ceil(steps_per_epoch * epochs)
    result = ProbeResult(batch_size=best, grad_accum=accum, device=device.kind, peak_bytes=fit_step.peak_bytes if fit_step else None,
                         estimate_bytes=estimate_bytes, seconds_per_optimizer_step=per_opt, steps_per_epoch=steps_per_epoch,
                         seconds_per_epoch=per_opt * steps_per_epoch if per_opt else None,
                         seconds_total=per_opt * total_steps if per_opt else None, tried=tried)
    if tried_note:
        result.notes.append(tried_note)
    if best == 0:
        result.notes.append("even micro-batch 1 ran out of memory at the longest samples: shorten max_seq_length, "
                            "enable gradient checkpointing or use a smaller model")
    elif best != cfg.training.batch_size:
        result.notes.append(f"micro-batch {cfg.training.batch_size} did not fit; {best} x {accum} keeps the effective batch {effective}")
    result.notes.append("times are measured at the longest samples, so the epoch time is an upper bound")
    emit(Status(status="probing", message="; ".join(result.lines())))
    return result
