"""Typed events the core emits, and the control flags it reads.

The core reports through one plain callback, ``emit(event)``. The CLI prints them, the run directory
writes them to events.jsonl (a public format, docs/events.md), and the GUI's single bridge turns them
into Qt signals. ``Control`` carries pause/stop requests as threading.Events the training loop reads
between optimizer steps; nothing ever kills a training thread.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Callable, ClassVar


@dataclass
class Event:
    type: ClassVar[str] = "event"
    step: int = 0
    t: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["type"] = self.type
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, default=str)


@dataclass
class Log(Event):
    type: ClassVar[str] = "log"
    loss: float | None = None
    learning_rate: float | None = None
    grad_norm: float | None = None
    epoch: float | None = None
    samples_per_second: float | None = None


@dataclass
class Eval(Event):
    type: ClassVar[str] = "eval"
    metrics: dict[str, float] = field(default_factory=dict)   # eval_* keys as Trainer reports them
    checkpoint: str | None = None
    generation: str | None = None                               # SFT: a short sample at this evaluation


@dataclass
class Sample(Event):
    """One sensor reading. None means "not available here", never a guess."""
    type: ClassVar[str] = "sample"
    gpu_index: int | None = None
    vram_used_bytes: int | None = None
    vram_total_bytes: int | None = None
    vram_used_frac: float | None = None
    gpu_temp_c: float | None = None
    gpu_util_pct: float | None = None
    power_w: float | None = None
    torch_allocated_bytes: int | None = None
    torch_reserved_bytes: int | None = None
    torch_peak_reserved_bytes: int | None = None
    ram_used_frac: float | None = None
    swap_used_bytes: int | None = None
    cpu_temp_c: float | None = None
    battery_pct: float | None = None
    on_ac: bool | None = None
    disk_free_bytes: int | None = None                          # free space on the run's disk
    simulated: list[str] = field(default_factory=list)          # fields that came from a replay trace


@dataclass
class GuardAction(Event):
    type: ClassVar[str] = "guard"
    action: str = "warn"          # pause | resume | stop | warn
    rule: str = ""                # gpu_temp | gpu_temp_critical | vram | ram | ram_critical | battery | on_battery | max_pause | swap
    value: float | None = None
    threshold: float | None = None
    message: str = ""


@dataclass
class Checkpoint(Event):
    type: ClassVar[str] = "checkpoint"
    path: str = ""
    train_loss: float | None = None
    metrics: dict[str, float] = field(default_factory=dict)


@dataclass
class Backoff(Event):
    type: ClassVar[str] = "backoff"
    reason: str = ""              # oom | eval_oom | nan
    changes: dict[str, Any] = field(default_factory=dict)   # field -> [old, new]
    message: str = ""


@dataclass
class Status(Event):
    type: ClassVar[str] = "status"
    status: str = "started"       # started | probing | paused | resumed | completed | stopped | failed
    message: str = ""
    run_dir: str | None = None
    total_steps: int | None = None
    error_type: str | None = None


def fmt_eta(seconds: float | None) -> str:
    """A download's time left as the CLI bar and the GUI show it: mm:ss, h:mm:ss, --:-- when unknown."""
    if seconds is None:
        return "--:--"
    seconds = int(seconds)
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


@dataclass
class Download(Event):
    """Getting a model before training (core/hub): bytes so far of the whole download, never a token."""
    type: ClassVar[str] = "download"
    status: str = "downloading"   # planning | cached | downloading | verifying | done | cancelled | failed
    repo_id: str = ""
    source: str = ""              # hf | mirror | modelscope (the endpoint's host, never credentials)
    file: str = ""                # the file being fetched now
    bytes_done: int = 0           # monotonic; starts at what an earlier attempt already left (resume)
    bytes_total: int = 0
    speed_bps: float | None = None
    eta_s: float | None = None
    message: str = ""


EVENT_TYPES: dict[str, type[Event]] = {cls.type: cls for cls in (Log, Eval, Sample, GuardAction, Checkpoint, Backoff, Status, Download)}


def event_from_dict(data: dict[str, Any]) -> Event:
    """Rebuild an event from an events.jsonl line; unknown keys (from newer versions) are ignored."""
    cls = EVENT_TYPES.get(data.get("type", ""))
    if cls is None:
        raise ValueError(f"unknown event type {data.get('type')!r}")
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


Emit = Callable[[Event], None]


class Control:
    """Requests from a button, Ctrl-C or the guard. Read by the training loop between steps."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._pause = threading.Event()
        self._save = threading.Event()
        self._pause_latch = threading.Event()   # a pause that was lifted before the loop saw it still happens
        self.stop_reason = ""
        self.pause_reason = ""

    def stop(self, reason: str = "stopped by the user") -> None:
        self.stop_reason = reason
        self._stop.set()
        self._pause.clear()

    def pause(self, reason: str = "paused by the user") -> None:
        self.pause_reason = reason
        self._pause.set()
        self._pause_latch.set()

    def resume(self) -> None:
        self._pause.clear()   # pause_reason stays: a latched pause still reports why it happened

    def request_checkpoint(self) -> None:
        self._save.set()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    @property
    def pause_requested(self) -> bool:
        return self._pause.is_set()

    def take_pause_request(self) -> bool:
        """True once for every pause() since the last call, even if resume() came in between."""
        if self._pause_latch.is_set():
            self._pause_latch.clear()
            return not self._stop.is_set()
        return False

    def take_checkpoint_request(self) -> bool:
        if self._save.is_set():
            self._save.clear()
            return True
        return False

    def wait_while_paused(self, poll_s: float = 0.1) -> None:
        while self._pause.is_set() and not self._stop.is_set():
            self._stop.wait(poll_s)
