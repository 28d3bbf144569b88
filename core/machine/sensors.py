"""Sensor readings for the guard and the plots: one sampling loop, one-off reads, replay traces.

``SensorLoop`` reads, on its own thread every ``interval_s`` (GuardSection.sample_interval_s): the
chosen GPU's VRAM, temperature, utilisation and power (core.machine.hardware, NVML); this process's CUDA
allocator (only when the training code has already imported torch and initialised CUDA: we never
import torch here, it costs seconds); system RAM and swap; CPU temperature (psutil, Linux only);
battery and charger. Each reading is a ``core.record.events.Sample`` handed to ``on_sample``. A value that
cannot be read is None, never a guess.

A replay trace (``load_trace``) overlays scripted values, so the guard can be tried on any machine,
a CPU-only one included: see docs/events.md, "Replay traces". ``Thinner`` keeps at most one sample
per second for events.jsonl. ``read_once`` is the GUI's idle hardware panel.
"""
from __future__ import annotations

import bisect
import difflib
import json
import math
import sys
import threading
import time
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Union

import psutil

from core.record.events import Sample

PathArg = Union[str, "PathLike[str]"]
TraceValue = Union[float, bool, None]
Clock = Callable[[], float]

_GPU_KEYS = ("vram_used_bytes", "vram_total_bytes", "gpu_temp_c", "gpu_util_pct", "power_w")
_TORCH_KEYS = ("torch_allocated_bytes", "torch_reserved_bytes", "torch_peak_reserved_bytes")
# psutil chip names that are the CPU package (others: nvme, wifi, amdgpu, acpitz are not the CPU).
_CPU_CHIPS = ("coretemp", "k10temp", "zenpower", "cpu_thermal", "cpu-thermal", "soc_thermal")
_CPU_PACKAGE_LABELS = ("Package id 0", "Tctl", "Tdie")
# psutil raises these when a sensor file is missing or unreadable (containers, odd drivers).
_READ_ERRORS = (OSError, RuntimeError, psutil.Error)


# ---------------------------------------------------------------------- reading the hardware
def read_once(gpu_index: int | None) -> Sample:
    """One reading of every sensor, no trace: for the GUI's idle hardware panel."""
    return Sample(gpu_index=gpu_index, **_read_all(gpu_index))


def _read_all(gpu_index: int | None, disk_path: PathArg | None = None) -> dict[str, Any]:
    values = _read_gpu(gpu_index)
    values.update(_read_torch())
    values.update(_read_system())
    values["disk_free_bytes"] = _disk_free(disk_path)
    return values


def _disk_free(path: PathArg | None) -> int | None:
    if path is None:
        return None
    try:
        return int(psutil.disk_usage(str(path)).free)
    except _READ_ERRORS:
        return None


def _read_gpu(index: int | None) -> dict[str, Any]:
    out: dict[str, Any] = dict.fromkeys(_GPU_KEYS + ("vram_used_frac",))
    if index is None:
        return out
    try:
        from core.machine import hardware  # lazily: the GUI panel and tests need no NVML
        read = hardware.read_gpu_sensors
    except (ImportError, AttributeError):
        return out  # hardware support not available: the same as no GPU
    raw = read(index)
    for key in ("vram_used_bytes", "vram_total_bytes"):
        out[key] = None if raw.get(key) is None else int(raw[key])
    for key in ("gpu_temp_c", "gpu_util_pct", "power_w"):
        out[key] = None if raw.get(key) is None else float(raw[key])
    used, total = out["vram_used_bytes"], out["vram_total_bytes"]
    if used is not None and total:
        out["vram_used_frac"] = used / total
    return out


def _read_torch() -> dict[str, Any]:
    """This process's CUDA allocator, summed over devices; None unless torch already runs CUDA."""
    out: dict[str, Any] = dict.fromkeys(_TORCH_KEYS)
    torch = sys.modules.get("torch")
    cuda = getattr(torch, "cuda", None)  # None too while another thread is still importing torch
    is_initialized = getattr(cuda, "is_initialized", None)
    # is_initialized() is False until the training code touches CUDA; asking any earlier would
    # create a CUDA context (hundreds of MiB of VRAM) on this thread.
    if is_initialized is None or not is_initialized():
        return out
    devices = range(cuda.device_count())
    out["torch_allocated_bytes"] = sum(int(cuda.memory_allocated(i)) for i in devices)
    out["torch_reserved_bytes"] = sum(int(cuda.memory_reserved(i)) for i in devices)
    out["torch_peak_reserved_bytes"] = sum(int(cuda.max_memory_reserved(i)) for i in devices)
    return out


def _read_system() -> dict[str, Any]:
    vm = psutil.virtual_memory()
    out: dict[str, Any] = {
        "ram_used_frac": (vm.total - vm.available) / vm.total if vm.total else None,
        "swap_used_bytes": None, "cpu_temp_c": _cpu_temp(), "battery_pct": None, "on_ac": None,
    }
    try:
        out["swap_used_bytes"] = int(psutil.swap_memory().used)
    except _READ_ERRORS:
        pass  # some containers hide /proc/vmstat: swap stays None
    read_battery = getattr(psutil, "sensors_battery", None)  # absent on some platforms
    try:
        battery = read_battery() if read_battery is not None else None
    except _READ_ERRORS:
        battery = None
    if battery is not None:
        out["battery_pct"] = float(battery.percent)
        out["on_ac"] = battery.power_plugged  # None when the OS cannot tell
    return out


def _cpu_temp() -> float | None:
    read = getattr(psutil, "sensors_temperatures", None)  # Linux and FreeBSD only
    if read is None:
        return None
    try:
        chips = read()
    except _READ_ERRORS:
        return None
    for chip in _CPU_CHIPS:
        # Some drivers report 0 for a sensor they cannot read: that is no reading, not 0 °C.
        entries = [e for e in chips.get(chip, ()) if e.current is not None and math.isfinite(e.current)
                   and e.current > 0]
        if not entries:
            continue
        for label in _CPU_PACKAGE_LABELS:
            for entry in entries:
                if entry.label == label:
                    return float(entry.current)
        return float(max(e.current for e in entries))  # per-core readings: the hottest core
    return None


# ---------------------------------------------------------------------- replay traces
class TraceError(ValueError):
    """A problem in a replay trace: the file, the 1-based line and the field, then what to do."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.field = field

    def __str__(self) -> str:
        where = [part for part in (self.file, self.line and f"line {self.line}",
                                   self.field and f"field '{self.field}'") if part]
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_trace_error, (self.message, self.file, self.line, self.field))


def _rebuild_trace_error(message: str, file: str | None, line: int | None, field: str | None) -> TraceError:
    return TraceError(message, file=file, line=line, field=field)


# field -> (kind, lowest, highest); kinds: "number" (a reading) or "bool".
TRACE_FIELDS: dict[str, tuple[str, float, float]] = {
    "gpu_temp_c": ("number", -50.0, 150.0),
    "vram_used_frac": ("number", 0.0, 1.0),
    "ram_used_frac": ("number", 0.0, 1.0),
    "cpu_temp_c": ("number", -50.0, 150.0),
    "battery_pct": ("number", 0.0, 100.0),
    "on_ac": ("bool", 0.0, 0.0),
    "disk_free_bytes": ("number", 0.0, 1e18),
}


@dataclass(frozen=True)
class SensorTrace:
    """Scripted readings over time. A field holds its last value until the next line that has it."""

    source: str
    times: tuple[float, ...]
    states: tuple[Mapping[str, TraceValue], ...]  # all values in force from times[i] on

    def at(self, t: float) -> dict[str, TraceValue]:
        """The overlay at ``t`` seconds since the run started: {} before the first line."""
        i = bisect.bisect_right(self.times, t) - 1
        return dict(self.states[i]) if i >= 0 else {}

    @property
    def duration(self) -> float:
        """The time of the last line; its values hold for ever after."""
        return self.times[-1]

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(self.states[-1])

    def replay(self, step_s: float = 0.5, until: float | None = None) -> Iterator[tuple[float, Sample]]:
        """(t, Sample of the trace values) every ``step_s`` from 0 to ``until`` (default: the last line):
        tries guard settings in no time, without the real sensors (give the Guard a clock that returns t)."""
        if step_s <= 0:
            raise ValueError("step_s must be positive")
        end = self.duration if until is None else until
        for i in range(int(end / step_s + 1e-9) + 1):
            t = i * step_s
            values = self.at(t)
            yield t, Sample(**values, simulated=sorted(values))


def load_trace(path: PathArg) -> SensorTrace:
    """Read a replay trace (JSON lines); every problem is a TraceError naming the file and line."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TraceError("no such file; give the path of a .jsonl replay trace", file=name) from None
    except UnicodeDecodeError as exc:
        raise TraceError(f"not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8",
                         file=name) from None
    except OSError as exc:
        raise TraceError(f"cannot be read ({exc.strerror or exc})", file=name) from None
    return parse_trace(text.splitlines(), source=name)


def parse_trace(lines: Iterable[str], source: str = "<trace>") -> SensorTrace:
    """Parse trace lines (the body of ``load_trace``); blank lines are skipped."""
    times: list[float] = []
    states: list[dict[str, TraceValue]] = []
    state: dict[str, TraceValue] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = {"file": source, "line": number}
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TraceError(f"not valid JSON ({exc.msg}, column {exc.colno}); each line is one JSON object "
                             'like {"t": 0, "gpu_temp_c": 70}', **where) from None
        if not isinstance(row, dict):
            raise TraceError(f"expected a JSON object, got {type(row).__name__}; each line is one object "
                             'like {"t": 0, "gpu_temp_c": 70}', **where)
        t = _trace_time(row, times, where)
        for key, value in row.items():
            if key != "t":
                state[key] = _trace_value(key, value, where)
        times.append(t)
        states.append(dict(state))
    if not times:
        raise TraceError('has no readings; write one JSON object a line, like {"t": 0, "gpu_temp_c": 70}',
                         file=source)
    return SensorTrace(source=source, times=tuple(times), states=tuple(states))


def _trace_time(row: dict[str, Any], times: list[float], where: dict[str, Any]) -> float:
    if "t" not in row:
        raise TraceError('missing "t" (seconds since the run started)', **where)
    t = row["t"]
    if isinstance(t, bool) or not isinstance(t, (int, float)) or not math.isfinite(t) or t < 0:
        raise TraceError(f"t must be a number of seconds ≥ 0, got {json.dumps(t)}", field="t", **where)
    if times and t <= times[-1]:
        raise TraceError(f"t = {t:g} is not after the previous line's t = {times[-1]:g}; "
                         "lines must be in increasing time order", field="t", **where)
    return float(t)


def _trace_value(key: str, value: Any, where: dict[str, Any]) -> TraceValue:
    spec = TRACE_FIELDS.get(key)
    if spec is None:
        close = difflib.get_close_matches(key, list(TRACE_FIELDS) + ["t"], n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise TraceError(f"unknown field; {hint}known fields: t, {', '.join(TRACE_FIELDS)}", field=key, **where)
    if value is None:
        return None  # simulates a sensor that gives no reading
    kind, low, high = spec
    if kind == "bool":
        if not isinstance(value, bool):
            raise TraceError(f"must be true or false, got {json.dumps(value)}", field=key, **where)
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TraceError(f"must be a number (or null for no reading), got {json.dumps(value)}", field=key, **where)
    if not low <= value <= high:
        hint = f" ({value / 100:g} for {value:g} %)" if high == 1.0 and 1 < value <= 100 else ""
        raise TraceError(f"must be between {low:g} and {high:g}{hint}, got {value:g}", field=key, **where)
    return float(value)


def _apply_overlay(values: dict[str, Any], overlay: Mapping[str, TraceValue]) -> list[str]:
    """Put the trace values over the real ones; return the simulated field names."""
    simulated = set(overlay)
    values.update(overlay)
    frac, total = overlay.get("vram_used_frac"), values.get("vram_total_bytes")
    if frac is not None and total:
        values["vram_used_bytes"] = round(float(frac) * total)  # keep bytes and share consistent
        simulated.add("vram_used_bytes")
    return sorted(simulated)


# ---------------------------------------------------------------------- the loop
class SensorLoop:
    """Reads the sensors every ``interval_s`` on its own thread and calls ``on_sample(sample)`` there.

    With a ``trace``, its values at ``clock() - start time`` replace the real readings and are listed
    in ``Sample.simulated``. If ``on_sample`` raises, the loop ends and calls ``on_error(exc)``; without
    ``on_error`` the exception is raised again by ``stop()``. Use as a context manager, or start()/stop().
    """

    def __init__(self, on_sample: Callable[[Sample], None], *, gpu_index: int | None = None,
                 interval_s: float = 0.5, trace: SensorTrace | None = None, clock: Clock = time.monotonic,
                 on_error: Callable[[BaseException], None] | None = None, disk_path: PathArg | None = None) -> None:
        if interval_s <= 0:
            raise ValueError("interval_s must be positive")
        self.on_sample = on_sample
        self.gpu_index = gpu_index
        self.interval_s = interval_s
        self.trace = trace
        self.disk_path = disk_path   # free space on this path's disk is read too (the run's checkpoints)
        self._clock = clock
        self._on_error = on_error
        self._stop_event = threading.Event()
        self._thread: threading.Thread | None = None
        self._t0 = 0.0
        self.error: BaseException | None = None
        self._error_raised = False

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> SensorLoop:
        if self.running:
            raise RuntimeError("the sensor loop is already running")
        self._stop_event.clear()
        self.error, self._error_raised = None, False
        self._t0 = self._clock()
        self._thread = threading.Thread(target=self._run, name="laptune-sensors", daemon=True)
        self._thread.start()
        return self

    def restart_trace_clock(self) -> None:
        """Count the trace's `t` from now: the session calls this when training begins, after the
        model has loaded, so a trace means the same thing for a tiny model and a 7B one."""
        self._t0 = self._clock()

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop and join the thread (safe to call twice, or from ``on_sample`` itself)."""
        self._stop_event.set()
        thread = self._thread
        if thread is None or thread is threading.current_thread():
            return
        thread.join(timeout_s)
        if thread.is_alive():
            raise RuntimeError(f"the sensor loop did not stop within {timeout_s:g} s (on_sample is blocked)")
        if self.error is not None and self._on_error is None and not self._error_raised:
            self._error_raised = True
            raise self.error

    def __enter__(self) -> SensorLoop:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def read(self) -> Sample:
        """One reading now, with the trace overlay; the loop calls this every interval."""
        values = _read_all(self.gpu_index, self.disk_path)
        simulated: list[str] = []
        if self.trace is not None:
            simulated = _apply_overlay(values, self.trace.at(self._clock() - self._t0))
        return Sample(gpu_index=self.gpu_index, simulated=simulated, **values)

    def _run(self) -> None:
        try:
            while not self._stop_event.is_set():
                self.on_sample(self.read())
                self._stop_event.wait(self.interval_s)
        except Exception as exc:  # handed over, never swallowed: on_error, or stop() raises it
            self.error = exc
            if self._on_error is not None:
                self._on_error(exc)


class Thinner:
    """Keeps at most one sample per ``min_interval_s`` (by ``Sample.t``) for events.jsonl."""

    def __init__(self, min_interval_s: float = 1.0) -> None:
        self.min_interval_s = min_interval_s
        self._last: float | None = None

    def keep(self, sample: Sample) -> bool:
        if self._last is not None and sample.t - self._last < self.min_interval_s:
            return False
        self._last = sample.t
        return True


def scaled_clock(speed: float, base: Clock = time.monotonic) -> Clock:
    """A clock running ``speed`` times faster than ``base``: give the same one to the SensorLoop and
    the Guard to play a 15-minute trace in a minute (speed 15)."""
    if speed <= 0:
        raise ValueError("speed must be positive")
    start = base()
    return lambda: start + (base() - start) * speed
