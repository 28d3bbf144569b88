"""The run directory: everything a run leaves behind, readable without LapTune running.

    runs/<timestamp>-<preset>/
      run.yaml          resolved config, where each value came from, the hardware snapshot
      events.jsonl      one event a line, flushed as written (docs/events.md)
      checkpoints/      standard HF checkpoints (checkpoint-N/), each renamed into place when whole
      final/            model, tokenizer, label map
      tensorboard/      TensorBoard event files of the same events (core/record/tboard.py)
      summary.json      status, steps, losses, best checkpoint, wall time, peak memory
"""
from __future__ import annotations

import json
import math
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from core.config.schema import RunConfig
from core.record.events import Event, Sample
from core.config.paths import default_runs_dir


COMPLETE_MARK = "laptune_complete"   # written last into a checkpoint folder, before it is renamed into place


class RunError(ValueError):
    def __init__(self, message: str, fix: str | None = None) -> None:
        self.message, self.fix = message, fix
        super().__init__(f"{message} Fix: {fix}" if fix else message)


@dataclass
class CheckpointInfo:
    step: int
    path: Path
    complete: bool
    train_loss: float | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    best: bool = False


def best_checkpoint(checkpoints: list[CheckpointInfo], metric: str = "eval_loss",
                    greater_is_better: bool = False) -> CheckpointInfo | None:
    """The complete checkpoint with the best `metric`; ties (accuracy 1.0 at several checkpoints) go to
    the lower eval loss, not the earliest. None when no complete checkpoint has the metric."""
    scored = [c for c in checkpoints if c.complete and metric in c.metrics]

    def rank(c: CheckpointInfo) -> tuple[float, float]:
        primary = c.metrics[metric] if greater_is_better else -c.metrics[metric]
        loss = c.metrics.get("eval_loss")
        tie = -loss if isinstance(loss, (int, float)) and math.isfinite(loss) and metric != "eval_loss" else float("-inf")
        return primary, tie

    return max(scored, key=rank) if scored else None


def is_rank_zero() -> bool:
    return int(os.environ.get("RANK", "0")) == 0


def new_run_path(preset: str, base: Path | None = None) -> Path:
    base = base or default_runs_dir()
    run_id = os.environ.get("TORCHELASTIC_RUN_ID")
    if int(os.environ.get("WORLD_SIZE", "1")) > 1 and run_id:
        return base / f"ddp-{run_id}-{preset}"   # every rank must agree on the folder without talking
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = base / f"{stamp}-{preset}"
    n = 1
    while path.exists():
        n += 1
        path = base / f"{stamp}-{preset}-{n}"
    return path


class RunDir:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.checkpoints_dir = self.path / "checkpoints"
        self.final_dir = self.path / "final"
        self.events_path = self.path / "events.jsonl"
        self.summary_path = self.path / "summary.json"
        self.run_yaml = self.path / "run.yaml"

    @classmethod
    def create(cls, path: Path) -> RunDir:
        rd = cls(path)
        try:
            rd.checkpoints_dir.mkdir(parents=True, exist_ok=True)
            probe = rd.path / ".write-test"
            probe.write_text("ok", encoding="utf-8")
            probe.unlink()
        except OSError as exc:
            raise RunError(f"cannot write to the run folder {rd.path}: {exc.strerror or exc}",
                           fix="choose another folder with --out, or free space / fix permissions") from exc
        return rd

    @classmethod
    def open(cls, path: Path | str) -> RunDir:
        rd = cls(Path(path))
        if not rd.run_yaml.exists():
            raise RunError(f"{rd.path} is not a LapTune run folder (no run.yaml)", fix="pass a folder under runs/")
        return rd

    # ------------------------------------------------------------ run.yaml
    def write_run_yaml(self, config: RunConfig, **extra: Any) -> None:
        data = {"config": config.model_dump(mode="json"), **extra}
        tmp = self.run_yaml.with_suffix(".tmp")
        tmp.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        os.replace(tmp, self.run_yaml)

    def read_run_yaml(self) -> dict[str, Any]:
        return yaml.safe_load(self.run_yaml.read_text(encoding="utf-8")) or {}

    def read_config(self) -> RunConfig:
        return RunConfig.model_validate(self.read_run_yaml()["config"])

    # ------------------------------------------------------------ events
    def read_events(self) -> list[dict[str, Any]]:
        if not self.events_path.exists():
            return []
        events = []
        for line in self.events_path.read_text(encoding="utf-8").splitlines():
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                continue   # the last line of a killed run may be cut short
        return events

    # ------------------------------------------------------------ checkpoints
    def checkpoints(self) -> list[CheckpointInfo]:
        infos: list[CheckpointInfo] = []
        summary = self.read_summary()
        best = summary.get("best_checkpoint")
        for folder in sorted(self.checkpoints_dir.glob("checkpoint-*"), key=lambda p: _step_of(p)):
            step = _step_of(folder)
            if step < 0:
                continue
            info = CheckpointInfo(step=step, path=folder, complete=(folder / COMPLETE_MARK).exists())
            state_file = folder / "trainer_state.json"
            if state_file.exists():
                history = json.loads(state_file.read_text(encoding="utf-8")).get("log_history", [])
                losses = [h["loss"] for h in history if "loss" in h and h.get("step", 0) <= step]
                info.train_loss = losses[-1] if losses else None
                evals = [h for h in history if h.get("step") == step and any(k.startswith("eval_") for k in h)]
                if evals:
                    info.metrics = {k: v for k, v in evals[-1].items() if k.startswith("eval_")}
            info.best = best is not None and Path(best).name == folder.name
            infos.append(info)
        return infos

    def latest_checkpoint(self) -> CheckpointInfo | None:
        complete = [c for c in self.checkpoints() if c.complete]
        return complete[-1] if complete else None

    def checkpoint(self, step: int) -> CheckpointInfo:
        for info in self.checkpoints():
            if info.step == step:
                if not info.complete:
                    raise RunError(f"checkpoint-{step} in {self.path} is incomplete (the save was interrupted)",
                                   fix="resume from another checkpoint; `laptune runs RUN_DIR` lists them")
                return info
        raise RunError(f"no checkpoint-{step} in {self.path}", fix="`laptune runs RUN_DIR` lists the checkpoints")

    # ------------------------------------------------------------ summary
    def write_summary(self, summary: dict[str, Any]) -> None:
        tmp = self.summary_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.summary_path)

    def read_summary(self) -> dict[str, Any]:
        if not self.summary_path.exists():
            return {}
        return json.loads(self.summary_path.read_text(encoding="utf-8"))

    def check_free_space(self, needed_bytes: int) -> None:
        free = shutil.disk_usage(self.path).free
        if free < needed_bytes:
            raise RunError(f"not enough disk space in {self.path}: {free / 1e9:.1f} GB free, a checkpoint needs about "
                           f"{needed_bytes / 1e9:.1f} GB (two are kept while the newer one is written)",
                           fix="free disk space, lower save_total_limit, or choose another folder with --out")


def _step_of(folder: Path) -> int:
    try:
        return int(folder.name.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return -1


class EventLog:
    """Writes events.jsonl (samples thinned to one a second) and forwards every event to `emit`."""

    def __init__(self, path: Path | None, forward: Any = None, sample_interval_s: float = 1.0,
                 tensorboard: bool = False) -> None:
        self._file = open(path, "a", encoding="utf-8") if path is not None and is_rank_zero() else None
        self._tb: Any = None
        if tensorboard and self._file is not None and path is not None:
            from core.record.tboard import TensorBoardLog

            self._tb = TensorBoardLog.open(Path(path).parent)   # the same events, for `tensorboard --logdir runs/`
        self._forward = forward
        self._lock = threading.Lock()   # the sensor thread and the training thread both emit
        self._last_sample = -1e18
        self._interval = sample_interval_s
        self.step = 0

    def __call__(self, event: Event) -> None:
        if not event.step:
            event.step = self.step
        with self._lock:
            if self._file is not None:
                write = True
                if isinstance(event, Sample):
                    write = event.t - self._last_sample >= self._interval
                    if write:
                        self._last_sample = event.t
                if write:
                    self._file.write(event.to_json() + "\n")
                    self._file.flush()
                    if self._tb is not None:
                        self._tb(event)
        if self._forward is not None and is_rank_zero():
            self._forward(event)

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None
            if self._tb is not None:
                self._tb.close()
                self._tb = None
