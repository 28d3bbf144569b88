"""TensorBoard event files beside events.jsonl, so `tensorboard --logdir runs/` shows every run.

    runs/<id>/tensorboard/events.out.tfevents.*

Written from the same events as events.jsonl (one writer, whatever the task), with tensorboardX: it
needs only protobuf and numpy, where torch.utils.tensorboard would pull the whole tensorboard package
(a web server and its dependencies) into the frozen app.

    train/loss, train/learning_rate, train/grad_norm, train/epoch      x = optimizer step
    eval/<metric> (eval/loss, eval/f1, ...), eval/sample (text, SFT)   x = optimizer step
    system/<reading> (vram_used_gb, gpu_temp_c, ram_used_frac, ...)    x = seconds since the run started
    guard/paused (1 while the guard holds the run), guard (text),
    status (text: started, paused, resumed, completed, ...), backoff (text)

System readings use seconds on the x axis because they keep coming while a run is paused at one step.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from core.record.events import Backoff, Checkpoint, Eval, Event, GuardAction, Log, Sample, Status

SYSTEM_FIELDS = {"vram_used_bytes": ("vram_used_gb", 1e-9), "vram_used_frac": ("vram_used_frac", 1.0),
                 "gpu_temp_c": ("gpu_temp_c", 1.0), "gpu_util_pct": ("gpu_util_pct", 1.0), "power_w": ("power_w", 1.0),
                 "torch_allocated_bytes": ("torch_allocated_gb", 1e-9), "torch_reserved_bytes": ("torch_reserved_gb", 1e-9),
                 "ram_used_frac": ("ram_used_frac", 1.0), "swap_used_bytes": ("swap_used_gb", 1e-9),
                 "cpu_temp_c": ("cpu_temp_c", 1.0), "battery_pct": ("battery_pct", 1.0)}
TRAIN_FIELDS = ("loss", "learning_rate", "grad_norm", "epoch", "samples_per_second")
FOLDER = "tensorboard"


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


class TensorBoardLog:
    """An event sink: `log(event)`; `close()` at the end. Never raises into training."""

    def __init__(self, folder: Path, flush_secs: int = 10) -> None:
        from tensorboardX import SummaryWriter

        self.writer = SummaryWriter(logdir=str(folder), flush_secs=flush_secs)
        self.started: float | None = None
        self.paused = False

    @classmethod
    def open(cls, run_path: Path) -> TensorBoardLog | None:
        try:
            return cls(run_path / FOLDER)
        except (ImportError, OSError):  # no tensorboardX, or an unwritable folder: the run goes on without it
            return None

    def __call__(self, event: Event) -> None:
        if self.writer is None:
            return
        try:
            self._write(event)
        except OSError:  # a full or vanished disk: the run's own stop handling reports it; stop writing here
            self.writer = None

    def _write(self, event: Event) -> None:
        w, step, t = self.writer, event.step, event.t
        if self.started is None:
            self.started = t
        if isinstance(event, Log):
            for name in TRAIN_FIELDS:
                value = _number(getattr(event, name))
                if value is not None:
                    w.add_scalar(f"train/{name}", value, step, walltime=t)
        elif isinstance(event, Eval):
            for key, value in event.metrics.items():
                number = _number(value)
                if number is not None and not key.endswith(("_runtime", "_per_second")):
                    w.add_scalar(f"eval/{key[5:] if key.startswith('eval_') else key}", number, step, walltime=t)
            if event.generation:
                w.add_text("eval/sample", event.generation, step, walltime=t)
        elif isinstance(event, Sample):
            seconds = int(round(t - self.started))
            for name, (tag, scale) in SYSTEM_FIELDS.items():
                value = _number(getattr(event, name))
                if value is not None:
                    w.add_scalar(f"system/{tag}", value * scale, seconds, walltime=t)
        elif isinstance(event, GuardAction):
            detail = f" ({event.rule} {event.value:g} / {event.threshold:g})" if event.value is not None and event.threshold is not None else ""
            w.add_text("guard", f"{event.action}{detail}: {event.message}", step, walltime=t)
            if event.action in ("pause", "resume"):
                self.paused = event.action == "pause"
                w.add_scalar("guard/paused", 1.0 if self.paused else 0.0, step, walltime=t)
        elif isinstance(event, Status):
            w.add_text("status", f"{event.status}: {event.message}" if event.message else event.status, step, walltime=t)
        elif isinstance(event, Backoff):
            w.add_text("backoff", f"{event.reason}: {event.message}", step, walltime=t)
        elif isinstance(event, Checkpoint):
            w.add_text("checkpoint", event.path.rsplit("/", 1)[-1], step, walltime=t)

    def close(self) -> None:
        if self.writer is None:
            return
        try:
            self.writer.close()
        except OSError:  # the last flush on a full disk: the events are in events.jsonl anyway
            pass
        self.writer = None
