"""The guard: sensor readings in, RUN / PAUSE / STOP decisions out. Pure logic: no threads, no I/O.

``Guard.observe(sample)`` returns the decisions one reading causes, as ``GuardAction`` events with the
rule, the reading, the threshold and a plain-words message. The caller acts on them and fills in
``step``: ``pause`` -> ``Control.pause`` (for rule ``vram`` also free the CUDA cache), ``resume`` ->
``Control.resume``, ``stop`` -> save a checkpoint and ``Control.stop``, ``warn`` -> show it.

Rules (thresholds from ``GuardSection``; a trigger is "reading ≥ threshold", a resume "reading < threshold"):

- ``gpu_temp``: pause at ``gpu_temp_pause_c``, resume below ``gpu_temp_resume_c``.
- ``gpu_temp_critical``: stop at ``gpu_temp_stop_c``.
- ``vram``: pause at ``vram_pause_frac`` of VRAM used, resume below ``vram_resume_frac``. "Used" leaves out
  the blocks this run's CUDA allocator keeps cached for reuse (see ``_VramInUse``).
- ``ram``: pause at ``ram_pause_frac``, resume below ``ram_resume_frac``; ``ram_critical``: stop at ``ram_stop_frac``.
- ``battery``: on battery with charge below ``battery_stop_pct``: stop.
- ``on_battery``: warn when the charger is unplugged; again after each re-plug and unplug.
- ``swap``: warn once when swap use grows more than 256 MiB above its level at the first reading.
- ``max_pause``: a pause longer than ``max_pause_minutes``: stop.
- ``disk``: free space on the run's disk against ``disk_needed_bytes`` (one checkpoint, set by the session):
  warn below ``disk_warn_saves`` checkpoints' worth, pause below ``disk_pause_saves`` (the next save would not
  fit), resume at ``disk_resume_saves`` or more, once the user has freed space.

Several pause rules can be active at once; the run resumes only when every one of them has cleared,
with one ``resume`` action. A second rule triggering during a pause gives another ``pause`` action
(the caller treats pause as idempotent); a rule clearing while another still holds gives no action.
A missing reading (None, or NaN) never triggers and never clears a rule. After a stop the guard is
finished: ``state`` stays "stopped" and ``observe`` returns nothing.
"""
from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass
from typing import Callable, Literal

from core.config.schema import GuardSection
from core.record.events import GuardAction, Sample

MIB = 1024**2
SWAP_GROWTH_WARN_BYTES = 256 * MIB

State = Literal["run", "paused", "stopped"]
_STOPPING = "saving a checkpoint and stopping"


@dataclass(frozen=True)
class _Metric:
    label: str          # "GPU", "VRAM", "RAM"
    field: str          # the Sample attribute
    unit: str           # "°C" or "%"
    scale: float        # 100 for fractions shown as percent

    def read(self, sample: Sample) -> float | None:
        value = getattr(sample, self.field)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        return float(value)


@dataclass(frozen=True)
class _VramInUse(_Metric):
    """VRAM used (NVML), less what this run's CUDA caching allocator holds free for its own reuse.

    After a step the allocator keeps the freed activations' blocks reserved, so NVML can show a run that
    fits comfortably at 97 % "used". Counting that cache as pressure made the vram rule pause, free the
    cache (used drops), resume, refill it in the next step and pause again, every step. Memory the
    run can reuse is not pressure; other programs' memory and our live tensors are. Replayed readings
    (``--simulate-sensors``) are taken as they are, and so is a reading without the allocator's figures."""

    def read(self, sample: Sample) -> float | None:
        used = super().read(sample)
        reserved, allocated, total = sample.torch_reserved_bytes, sample.torch_allocated_bytes, sample.vram_total_bytes
        if used is None or self.field in sample.simulated or reserved is None or allocated is None or not total:
            return used
        return max(0.0, used - max(0, reserved - allocated) / total)


_GPU = _Metric("GPU", "gpu_temp_c", "°C", 1.0)
_VRAM = _Metric("VRAM", "vram_used_frac", "%", 100.0)
_VRAM_IN_USE = _VramInUse("VRAM", "vram_used_frac", "%", 100.0)
_RAM = _Metric("RAM", "ram_used_frac", "%", 100.0)


@dataclass(frozen=True)
class _PauseRule:
    name: str
    metric: _Metric
    pause_at: float
    resume_below: float
    verb: str = "paused"


@dataclass(frozen=True)
class _StopRule:
    name: str
    metric: _Metric
    stop_at: float


class Guard:
    """Thresholds with hysteresis over a stream of ``Sample``s. See the module docstring for the rules."""

    def __init__(self, cfg: GuardSection, clock: Callable[[], float] = time.monotonic,
                 platform: str = sys.platform) -> None:
        self.cfg = cfg
        self._clock = clock
        self._windows = platform == "win32"
        self._pause_rules = (
            _PauseRule("gpu_temp", _GPU, cfg.gpu_temp_pause_c, cfg.gpu_temp_resume_c),
            _PauseRule("vram", _VRAM_IN_USE, cfg.vram_pause_frac, cfg.vram_resume_frac,
                       verb="paused and freeing the CUDA cache"),
            _PauseRule("ram", _RAM, cfg.ram_pause_frac, cfg.ram_resume_frac),
        )
        self._stop_rules = (
            _StopRule("gpu_temp_critical", _GPU, cfg.gpu_temp_stop_c),
            _StopRule("ram_critical", _RAM, cfg.ram_stop_frac),
        )
        self._state: State = "run"
        self._active: list[str] = []            # pause rules holding the run, in the order they fired
        self._paused_since: float | None = None
        self._battery_warned = False             # reset when the charger is seen connected again
        self._swap_baseline: int | None = None
        self._swap_warned = False
        self.disk_needed_bytes: int | None = None   # one checkpoint's size; the disk rule sleeps until it is known
        self._disk_warned = False

    # ------------------------------------------------------------------ state
    @property
    def state(self) -> State:
        return self._state

    @property
    def paused_since(self) -> float | None:
        """The clock reading when the current pause began; None unless paused."""
        return self._paused_since

    @property
    def active_pause_rules(self) -> tuple[str, ...]:
        return tuple(self._active)

    # ------------------------------------------------------------------ decisions
    def observe(self, sample: Sample) -> list[GuardAction]:
        """The decisions this reading causes, in order (possibly none)."""
        if self._state == "stopped" or not self.cfg.enabled:
            return []
        stop = self._check_stops(sample)
        if stop is not None:
            return [self._stop(stop)]
        actions = self._check_warnings(sample)
        actions += self._check_pauses(sample)
        actions += self._check_disk(sample)
        if self._state == "paused":
            assert self._paused_since is not None
            paused_min = (self._clock() - self._paused_since) / 60.0
            if paused_min >= self.cfg.max_pause_minutes:
                limit = self.cfg.max_pause_minutes
                actions.append(self._stop(GuardAction(
                    action="stop", rule="max_pause", value=paused_min, threshold=limit,
                    message=f"Paused for {_num(paused_min, 0)} min (maximum {_num(limit)} min): {_STOPPING}")))
        return actions

    def _stop(self, action: GuardAction) -> GuardAction:
        self._state = "stopped"
        self._active.clear()
        self._paused_since = None
        return action

    def _check_stops(self, sample: Sample) -> GuardAction | None:
        for rule in self._stop_rules:
            value = rule.metric.read(sample)
            if value is not None and value >= rule.stop_at:
                m = rule.metric
                shown, limit = _pair(value * m.scale, rule.stop_at * m.scale, ">=")
                return GuardAction(action="stop", rule=rule.name, value=value, threshold=rule.stop_at,
                                   message=f"{m.label} {shown} {m.unit} ≥ {limit} {m.unit}: critical; {_STOPPING}")
        pct = _finite(sample.battery_pct)
        # Only a known "on battery" counts: a desktop reports on_ac None and must never stop here.
        if sample.on_ac is False and pct is not None and pct < self.cfg.battery_stop_pct:
            shown, limit = _pair(pct, self.cfg.battery_stop_pct, "<")
            return GuardAction(action="stop", rule="battery", value=pct, threshold=self.cfg.battery_stop_pct,
                               message=f"Battery {shown} % < {limit} %: {_STOPPING}")
        return None

    def _check_pauses(self, sample: Sample) -> list[GuardAction]:
        held_before = list(self._active)
        actions: list[GuardAction] = []
        for rule in self._pause_rules:
            value = rule.metric.read(sample)
            if rule.name in self._active or value is None or value < rule.pause_at:
                continue
            m = rule.metric
            shown, limit = _pair(value * m.scale, rule.pause_at * m.scale, ">=")
            resume = _num(rule.resume_below * m.scale)
            actions.append(GuardAction(
                action="pause", rule=rule.name, value=value, threshold=rule.pause_at,
                message=f"{m.label} {shown} {m.unit} ≥ {limit} {m.unit}: {rule.verb}; resumes below {resume} {m.unit}"))
            self._active.append(rule.name)
        if actions and self._state == "run":
            self._state = "paused"
            self._paused_since = self._clock()

        cleared: list[tuple[_PauseRule, float]] = []
        for rule in self._pause_rules:
            value = rule.metric.read(sample)
            if rule.name in held_before and value is not None and value < rule.resume_below:
                self._active.remove(rule.name)
                cleared.append((rule, value))
        if self._active or not cleared:
            return actions  # still held by a rule (or nothing changed): no resume to report
        self._state = "run"
        self._paused_since = None
        parts = []
        for rule, value in cleared:
            m = rule.metric
            shown, limit = _pair(value * m.scale, rule.resume_below * m.scale, "<")
            parts.append(f"{m.label} back to {shown} {m.unit} < {limit} {m.unit}")
        first_rule, first_value = cleared[0]
        return [GuardAction(action="resume", rule=first_rule.name, value=first_value,
                            threshold=first_rule.resume_below, message="; ".join(parts) + ": resumed")]

    def _check_disk(self, sample: Sample) -> list[GuardAction]:
        """The disk rule: checkpoints' worth of free space, warn / pause / resume (module docstring)."""
        free, need = _finite(sample.disk_free_bytes), self.disk_needed_bytes
        if free is None or not need:
            return []
        fits, cfg = free / need, self.cfg
        have = f"{_bytes(free)} free on the run's disk, a checkpoint needs {_bytes(need)}"
        actions: list[GuardAction] = []
        if fits >= cfg.disk_warn_saves:
            self._disk_warned = False
        elif not self._disk_warned and fits >= cfg.disk_pause_saves:
            self._disk_warned = True
            actions.append(GuardAction(action="warn", rule="disk", value=free, threshold=need * cfg.disk_warn_saves,
                                       message=f"Disk space is low: {have}; free space or lower save_total_limit"))
        if "disk" not in self._active and fits < cfg.disk_pause_saves:
            self._active.append("disk")
            if self._state == "run":
                self._state = "paused"
                self._paused_since = self._clock()
            actions.append(GuardAction(action="pause", rule="disk", value=free, threshold=need * cfg.disk_pause_saves,
                                       message=f"Disk nearly full: {have}: paused before the next save fails; free space "
                                               f"(resumes at {_bytes(need * cfg.disk_resume_saves)} free)"))
        elif "disk" in self._active and fits >= cfg.disk_resume_saves:
            self._active.remove("disk")
            if not self._active:
                self._state = "run"
                self._paused_since = None
                actions.append(GuardAction(action="resume", rule="disk", value=free, threshold=need * cfg.disk_resume_saves,
                                           message=f"Disk space freed: {have}: resumed"))
        return actions

    def _check_warnings(self, sample: Sample) -> list[GuardAction]:
        actions: list[GuardAction] = []
        if sample.on_ac is True:
            self._battery_warned = False
        elif sample.on_ac is False and self.cfg.warn_on_battery and not self._battery_warned:
            self._battery_warned = True
            pct = _finite(sample.battery_pct)
            where = "On battery" if pct is None else f"On battery ({_num(pct, 0)} %)"
            actions.append(GuardAction(
                action="warn", rule="on_battery", value=pct, threshold=None,
                message=f"{where}: keep the charger connected; a laptop on battery throttles and may shut down"))

        swap = sample.swap_used_bytes
        if swap is not None:
            if self._swap_baseline is None:
                self._swap_baseline = swap
            growth = swap - self._swap_baseline
            if growth > SWAP_GROWTH_WARN_BYTES and not self._swap_warned:
                self._swap_warned = True
                actions.append(GuardAction(action="warn", rule="swap", value=float(growth),
                                           threshold=float(SWAP_GROWTH_WARN_BYTES),
                                           message=self._swap_message(growth, sample)))
        return actions

    def _swap_message(self, growth: int, sample: Sample) -> str:
        grown = f"Swap use grew by {growth / MIB:.0f} MiB since the start"
        vram = _VRAM.read(sample)
        if self._windows and vram is not None and vram >= self.cfg.vram_resume_frac:
            # Windows lets CUDA spill into "shared GPU memory" (system RAM) instead of failing with OOM.
            return (f"{grown} while VRAM is {_num(vram * 100, 0)} % full: memory pressure; Windows may be "
                    "spilling VRAM into shared system memory, which makes training up to 100x slower; "
                    "lower the batch size or the sequence length")
        return (f"{grown}: memory pressure; the system is short of RAM and training will slow down; "
                "close other programs or lower the batch size")


# ---------------------------------------------------------------------- number formatting
def _finite(value: float | None) -> float | None:
    if value is None or math.isnan(value):
        return None
    return float(value)


def _bytes(n: float) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} bytes"


def _num(value: float, max_decimals: int = 2) -> str:
    """85.0 -> '85', 85.5 -> '85.5': thresholds as the user wrote them."""
    text = f"{value:.{max_decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _pair(value: float, threshold: float, relation: str) -> tuple[str, str]:
    """The reading with as few decimals as keep the shown comparison true ('74.6 < 75', not '75 < 75')."""
    limit = _num(threshold)
    for decimals in (0, 1, 2):
        shown = _num(value, decimals)
        ok = float(shown) >= threshold if relation == ">=" else float(shown) < threshold
        if ok:
            return shown, limit
    return _num(value, 3), limit
