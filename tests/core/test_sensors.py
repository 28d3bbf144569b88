"""Sensor readings, replay traces and the sampling loop, on a CPU-only machine with fake NVML readings."""
from __future__ import annotations

import pickle
import subprocess
import sys
import threading
import types
from collections import namedtuple
from pathlib import Path
from typing import Any

import psutil
import pytest

import core.machine.hardware
from core.config.schema import GuardSection
from core.record.events import Sample
from core.machine.guard import Guard
from core.machine.sensors import (TRACE_FIELDS, SensorLoop, SensorTrace, Thinner, TraceError, load_trace,
                          parse_trace, read_once, scaled_clock)

TRACES = Path(__file__).resolve().parents[1] / "fixtures" / "traces"
REPO = Path(__file__).resolve().parents[2]
GIB = 1024**3
Temp = namedtuple("Temp", "label current high critical")
Battery = namedtuple("Battery", "percent secsleft power_plugged")


def write(tmp_path: Path, text: str, name: str = "trace.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


class StepClock:
    """Each call moves time on by ``step`` seconds: the loop reads the clock once per sample."""

    def __init__(self, step: float) -> None:
        self.step = step
        self.t = -step
        self.lock = threading.Lock()

    def __call__(self) -> float:
        with self.lock:
            self.t += self.step
            return self.t


class Collector:
    def __init__(self, want: int) -> None:
        self.samples: list[Sample] = []
        self.want = want
        self.enough = threading.Event()

    def __call__(self, sample: Sample) -> None:
        self.samples.append(sample)
        if len(self.samples) >= self.want:
            self.enough.set()


def fake_nvml(readings: list[dict[str, Any]]) -> Any:
    """A stand-in for hardware.read_gpu_sensors with NVML's types: ints for bytes/temp/util, W as float;
    the last reading repeats."""
    calls: list[int] = []

    def read_gpu_sensors(index: int) -> dict[str, float | int | None]:
        reading = readings[min(len(calls), len(readings) - 1)]
        calls.append(index)
        out: dict[str, float | int | None] = dict.fromkeys(
            ("vram_used_bytes", "vram_total_bytes", "gpu_temp_c", "gpu_util_pct", "power_w"))
        out.update(reading)
        return out

    read_gpu_sensors.calls = calls  # type: ignore[attr-defined]
    return read_gpu_sensors


# ---------------------------------------------------------------------- trace parsing
def test_trace_holds_last_values_until_the_next_line_that_has_them(tmp_path: Path) -> None:
    trace = load_trace(write(tmp_path, '{"t": 5, "gpu_temp_c": 70, "on_ac": true}\n'
                                       '\n'
                                       '{"t": 10, "vram_used_frac": 0.5}\n'
                                       '{"t": 20.5, "gpu_temp_c": 88, "on_ac": false, "battery_pct": 64}\n'))
    assert trace.at(0) == {}                                   # before the first line: real readings
    assert trace.at(5) == {"gpu_temp_c": 70, "on_ac": True}
    assert trace.at(12) == {"gpu_temp_c": 70, "on_ac": True, "vram_used_frac": 0.5}
    assert trace.at(20.5) == {"gpu_temp_c": 88, "on_ac": False, "vram_used_frac": 0.5, "battery_pct": 64}
    assert trace.at(1e6) == trace.at(20.5)                     # the last values hold for ever
    assert trace.duration == 20.5
    assert trace.fields == {"gpu_temp_c", "on_ac", "vram_used_frac", "battery_pct"}
    trace.at(12)["gpu_temp_c"] = 0                             # at() hands out copies
    assert trace.at(12)["gpu_temp_c"] == 70


def test_null_simulates_a_missing_reading() -> None:
    trace = parse_trace(['{"t": 0, "gpu_temp_c": 80}', '{"t": 1, "gpu_temp_c": null}'])
    assert trace.at(2) == {"gpu_temp_c": None}


def test_replay_yields_samples_at_each_step() -> None:
    trace = parse_trace(['{"t": 0, "gpu_temp_c": 80}', '{"t": 1, "ram_used_frac": 0.5}'])
    got = [(t, s.gpu_temp_c, s.ram_used_frac, s.simulated) for t, s in trace.replay(0.5)]
    assert got == [(0.0, 80, None, ["gpu_temp_c"]), (0.5, 80, None, ["gpu_temp_c"]),
                   (1.0, 80, 0.5, ["gpu_temp_c", "ram_used_frac"])]


@pytest.mark.parametrize("name", ["hot_gpu.jsonl", "vram_full.jsonl", "ram_full.jsonl", "on_battery.jsonl",
                                  "critical_heat.jsonl", "long_pause.jsonl"])
def test_fixture_traces_load(name: str) -> None:
    trace = load_trace(TRACES / name)
    assert trace.fields and trace.fields <= set(TRACE_FIELDS)


def test_hot_gpu_fixture_rises_to_88_and_cools_to_70() -> None:
    trace = load_trace(TRACES / "hot_gpu.jsonl")
    temps = [state["gpu_temp_c"] for state in trace.states]
    assert max(temps) == 88 and temps[-1] == 70


@pytest.mark.parametrize("text, line, field, words", [
    ('{"t": 0, "gpu_temp_c": 70}\n{"t": 1, "gpu_temp_c": 7', 2, None, "not valid JSON"),
    ('{"t": 0, "gpu_temp": 70}', 1, "gpu_temp", "did you mean 'gpu_temp_c'?"),
    ('{"t": 0, "vram_frac": 0.5}', 1, "vram_frac", "did you mean 'vram_used_frac'?"),
    ('{"t": 0, "colour": "red"}', 1, "colour", "known fields: t, gpu_temp_c"),
    ('{"t": 0}\n\n{"t": 5}\n{"t": 5}', 4, "t", "t = 5 is not after the previous line's t = 5"),
    ('{"t": 3}\n{"t": 1}', 2, "t", "increasing time order"),
    ('{"gpu_temp_c": 70}', 1, None, 'missing "t"'),
    ('{"t": "0"}', 1, "t", 'got "0"'),
    ('{"t": -1}', 1, "t", "≥ 0"),
    ('{"t": 0, "gpu_temp_c": "hot"}', 1, "gpu_temp_c", 'must be a number (or null for no reading), got "hot"'),
    ('{"t": 0, "gpu_temp_c": true}', 1, "gpu_temp_c", "must be a number"),
    ('{"t": 0, "on_ac": 1}', 1, "on_ac", "must be true or false, got 1"),
    ('{"t": 0, "ram_used_frac": 91}', 1, "ram_used_frac", "between 0 and 1 (0.91 for 91 %)"),
    ('{"t": 0, "battery_pct": 120}', 1, "battery_pct", "between 0 and 100"),
    ('[0, 70]', 1, None, "expected a JSON object, got list"),
])
def test_trace_errors_name_file_line_and_field(tmp_path: Path, text: str, line: int, field: str | None,
                                               words: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(TraceError) as info:
        load_trace(path)
    err = info.value
    assert (err.file, err.line, err.field) == (str(path), line, field)
    assert str(err).startswith(f"{path}, line {line}")
    assert words in str(err)
    assert isinstance(err, ValueError)


def test_empty_and_missing_trace_files(tmp_path: Path) -> None:
    with pytest.raises(TraceError, match="has no readings"):
        load_trace(write(tmp_path, "\n\n"))
    missing = tmp_path / "nope.jsonl"
    with pytest.raises(TraceError, match="no such file") as info:
        load_trace(missing)
    assert info.value.file == str(missing)


def test_trace_error_survives_pickling() -> None:
    err = TraceError("bad", file="a.jsonl", line=3, field="t")
    again = pickle.loads(pickle.dumps(err))
    assert (again.file, again.line, again.field, str(again)) == ("a.jsonl", 3, "t", "a.jsonl, line 3, field 't': bad")


# ---------------------------------------------------------------------- one-off readings
def test_read_once_without_a_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(psutil, "sensors_temperatures", lambda: {}, raising=False)
    monkeypatch.setattr(psutil, "sensors_battery", lambda: None, raising=False)
    sample = read_once(None)
    assert sample.gpu_index is None
    assert [sample.vram_used_bytes, sample.vram_total_bytes, sample.vram_used_frac, sample.gpu_temp_c,
            sample.gpu_util_pct, sample.power_w] == [None] * 6
    assert [sample.torch_allocated_bytes, sample.torch_reserved_bytes, sample.torch_peak_reserved_bytes] == [None] * 3
    assert 0 < sample.ram_used_frac <= 1
    assert sample.cpu_temp_c is None
    assert (sample.battery_pct, sample.on_ac) == (None, None)
    assert sample.simulated == []


def test_read_once_on_this_machine_asks_nvml_without_failing() -> None:
    sample = read_once(0)   # no NVIDIA driver here: the hardware module answers None for everything
    assert sample.gpu_index == 0
    assert 0 < sample.ram_used_frac <= 1


def test_cpu_temperature_is_none_where_psutil_has_no_sensors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(psutil, "sensors_temperatures", raising=False)   # as on Windows and macOS
    assert read_once(None).cpu_temp_c is None


@pytest.mark.parametrize("chips, expected", [
    ({"coretemp": [Temp("Core 0", 61.0, 100, 100), Temp("Package id 0", 64.0, 100, 100),
                   Temp("Core 1", 66.0, 100, 100)]}, 64.0),
    ({"k10temp": [Temp("Tctl", 71.5, None, None)]}, 71.5),
    ({"coretemp": [Temp("Core 0", 61.0, None, None), Temp("Core 1", 66.0, None, None)]}, 66.0),
    ({"nvme": [Temp("Composite", 40.0, None, None)], "amdgpu": [Temp("edge", 55.0, None, None)]}, None),
    ({"coretemp": [Temp("Package id 0", 0.0, None, None)]}, None),   # 0 means the driver gave nothing
])
def test_cpu_temperature_comes_only_from_cpu_sensors(monkeypatch: pytest.MonkeyPatch, chips: dict[str, Any],
                                                     expected: float | None) -> None:
    monkeypatch.setattr(psutil, "sensors_temperatures", lambda: chips, raising=False)
    assert read_once(None).cpu_temp_c == expected


def test_sensor_read_errors_give_none(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise OSError("no /sys here")
    monkeypatch.setattr(psutil, "sensors_temperatures", broken, raising=False)
    monkeypatch.setattr(psutil, "sensors_battery", broken, raising=False)
    monkeypatch.setattr(psutil, "swap_memory", broken)
    sample = read_once(None)
    assert (sample.cpu_temp_c, sample.battery_pct, sample.on_ac, sample.swap_used_bytes) == (None,) * 4


def test_battery_and_charger(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(psutil, "sensors_battery", lambda: Battery(64, 3600, False), raising=False)
    sample = read_once(None)
    assert (sample.battery_pct, sample.on_ac) == (64.0, False)


def test_gpu_readings_from_hardware(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = fake_nvml([{"vram_used_bytes": 6 * GIB, "vram_total_bytes": 8 * GIB, "gpu_temp_c": 71,
                       "gpu_util_pct": 97, "power_w": 41.25}])
    monkeypatch.setattr(core.machine.hardware, "read_gpu_sensors", fake)
    sample = read_once(1)
    assert fake.calls == [1]
    assert (sample.gpu_index, sample.vram_used_bytes, sample.vram_total_bytes) == (1, 6 * GIB, 8 * GIB)
    assert (sample.vram_used_frac, sample.gpu_temp_c, sample.gpu_util_pct, sample.power_w) == (0.75, 71.0, 97.0, 41.25)


def test_gpu_readings_missing_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    # A laptop GPU: power is Not Supported, memory reads failed: None, never a guessed share.
    monkeypatch.setattr(core.machine.hardware, "read_gpu_sensors", fake_nvml([{"gpu_temp_c": 60, "vram_total_bytes": 0}]))
    sample = read_once(0)
    assert (sample.gpu_temp_c, sample.power_w, sample.vram_used_frac) == (60.0, None, None)


def test_hardware_module_without_sensor_support_means_no_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(core.machine.hardware, "read_gpu_sensors")
    sample = read_once(0)
    assert (sample.gpu_temp_c, sample.vram_used_frac) == (None, None)


def test_torch_allocator_is_read_only_when_torch_runs_cuda(monkeypatch: pytest.MonkeyPatch) -> None:
    cuda = types.SimpleNamespace(
        is_initialized=lambda: True, device_count=lambda: 1,
        memory_allocated=lambda i: 3 * GIB, memory_reserved=lambda i: 4 * GIB,
        max_memory_reserved=lambda i: 5 * GIB)
    monkeypatch.setitem(sys.modules, "torch", types.SimpleNamespace(cuda=cuda))
    sample = read_once(None)
    assert (sample.torch_allocated_bytes, sample.torch_reserved_bytes, sample.torch_peak_reserved_bytes) == \
        (3 * GIB, 4 * GIB, 5 * GIB)

    cuda.is_initialized = lambda: False    # imported but CUDA not started: do not start it
    cuda.memory_allocated = None           # would fail if called
    assert read_once(None).torch_allocated_bytes is None


def test_sensors_never_import_torch() -> None:
    code = ("import sys, core.machine.sensors as s; s.read_once(0); "
            "sys.exit(int('torch' in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO, timeout=60).returncode == 0


# ---------------------------------------------------------------------- the loop
def test_loop_overlays_the_trace_on_this_cpu_machine() -> None:
    trace = parse_trace(['{"t": 0, "vram_used_frac": 0.5, "gpu_temp_c": 60}',
                         '{"t": 2, "vram_used_frac": 0.97}',
                         '{"t": 4, "gpu_temp_c": 88, "on_ac": false}'])
    collect = Collector(want=6)
    loop = SensorLoop(collect, gpu_index=None, interval_s=0.001, trace=trace, clock=StepClock(1.0))
    with loop:
        assert collect.enough.wait(10)
    assert not loop.running and loop._thread is not None and not loop._thread.is_alive()
    got = [(s.vram_used_frac, s.gpu_temp_c, s.on_ac, s.simulated) for s in collect.samples[:6]]
    # start() reads the clock once (t0 = 0), then each sample once: the samples are at t = 1, 2, ... 6.
    assert got == [
        (0.5, 60, None, ["gpu_temp_c", "vram_used_frac"]),     # t = 1
        (0.97, 60, None, ["gpu_temp_c", "vram_used_frac"]),    # t = 2: the new share, the old temperature
        (0.97, 60, None, ["gpu_temp_c", "vram_used_frac"]),    # t = 3
        (0.97, 88, False, ["gpu_temp_c", "on_ac", "vram_used_frac"]),
        (0.97, 88, False, ["gpu_temp_c", "on_ac", "vram_used_frac"]),
        (0.97, 88, False, ["gpu_temp_c", "on_ac", "vram_used_frac"]),
    ]
    assert all(0 < s.ram_used_frac <= 1 for s in collect.samples)   # real readings underneath
    assert all(s.gpu_index is None and s.vram_used_bytes is None for s in collect.samples)


def test_simulated_vram_share_keeps_bytes_consistent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core.machine.hardware, "read_gpu_sensors",
                        fake_nvml([{"vram_used_bytes": 2 * GIB, "vram_total_bytes": 8 * GIB, "gpu_temp_c": 50}]))
    loop = SensorLoop(lambda s: None, gpu_index=0, trace=parse_trace(['{"t": 0, "vram_used_frac": 0.96}']))
    sample = loop.read()
    assert (sample.vram_used_frac, sample.vram_used_bytes, sample.gpu_temp_c) == (0.96, round(0.96 * 8 * GIB), 50)
    assert sample.simulated == ["vram_used_bytes", "vram_used_frac"]


def test_loop_with_real_clock_and_no_trace() -> None:
    collect = Collector(want=3)
    loop = SensorLoop(collect, interval_s=0.01).start()
    assert collect.enough.wait(10)
    loop.stop()
    loop.stop()   # twice is fine
    assert not loop.running
    assert all(s.simulated == [] for s in collect.samples)


def test_scripted_nvml_readings_drive_the_guard_through_the_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    temps = [70, 84, 86, 88, 80, 76, 74, 72]
    fake = fake_nvml([{"vram_used_bytes": 5 * GIB, "vram_total_bytes": 8 * GIB, "gpu_temp_c": temp,
                       "gpu_util_pct": 99, "power_w": 80.0} for temp in temps])
    monkeypatch.setattr(core.machine.hardware, "read_gpu_sensors", fake)
    guard = Guard(GuardSection(), clock=StepClock(0.5))
    decisions: list[tuple[float | None, str, str]] = []
    collect = Collector(want=len(temps))

    def on_sample(sample: Sample) -> None:
        if len(collect.samples) < len(temps):
            decisions.extend((sample.gpu_temp_c, a.action, a.rule) for a in guard.observe(sample))
        collect(sample)

    with SensorLoop(on_sample, gpu_index=0, interval_s=0.001):
        assert collect.enough.wait(10)
    assert [s.gpu_temp_c for s in collect.samples[:len(temps)]] == temps
    assert all(s.vram_used_frac == 0.625 and s.simulated == [] for s in collect.samples)
    assert decisions == [(86, "pause", "gpu_temp"), (74, "resume", "gpu_temp")]
    assert set(fake.calls) == {0}


def test_simulated_vram_drives_the_guard_without_a_gpu() -> None:
    guard = Guard(GuardSection(), clock=StepClock(0.0))
    trace = parse_trace(['{"t": 0, "vram_used_frac": 0.97}'])
    actions = guard.observe(SensorLoop(lambda s: None, gpu_index=None, trace=trace).read())
    assert [(a.action, a.rule) for a in actions] == [("pause", "vram")]


def test_an_error_in_on_sample_ends_the_loop_and_is_not_lost() -> None:
    def boom(sample: Sample) -> None:
        raise KeyError("bug in the callback")

    loop = SensorLoop(boom, interval_s=0.001).start()
    assert loop._thread is not None
    loop._thread.join(10)
    assert not loop.running
    with pytest.raises(KeyError, match="bug in the callback"):
        loop.stop()
    loop.stop()   # reported once

    seen: list[BaseException] = []
    loop = SensorLoop(boom, interval_s=0.001, on_error=seen.append).start()
    loop._thread.join(10)  # type: ignore[union-attr]
    loop.stop()
    assert len(seen) == 1 and isinstance(seen[0], KeyError)


def test_stop_from_inside_on_sample() -> None:
    holder: dict[str, SensorLoop] = {}
    count: list[int] = []

    def on_sample(sample: Sample) -> None:
        count.append(1)
        holder["loop"].stop()

    holder["loop"] = loop = SensorLoop(on_sample, interval_s=0.001).start()
    loop._thread.join(10)  # type: ignore[union-attr]
    assert not loop.running and count == [1]


def test_loop_can_not_start_twice_and_rejects_bad_interval() -> None:
    with pytest.raises(ValueError):
        SensorLoop(lambda s: None, interval_s=0)
    with SensorLoop(lambda s: None, interval_s=0.01) as loop:
        with pytest.raises(RuntimeError, match="already running"):
            loop.start()


# ---------------------------------------------------------------------- thinning and clocks
def test_thinner_keeps_at_most_one_sample_per_second() -> None:
    thin = Thinner()
    times = [0.0, 0.5, 0.99, 1.0, 1.5, 2.2, 2.7, 3.2, 10.0]
    assert [t for t in times if thin.keep(Sample(t=t))] == [0.0, 1.0, 2.2, 3.2, 10.0]
    slow = Thinner(min_interval_s=5.0)
    assert [t for t in times if slow.keep(Sample(t=t))] == [0.0, 10.0]


def test_scaled_clock() -> None:
    base = [100.0]
    clock = scaled_clock(60, base=lambda: base[0])
    assert clock() == 100.0
    base[0] = 101.5
    assert clock() == 190.0
    with pytest.raises(ValueError):
        scaled_clock(0)


def test_sample_trace_is_plain_data() -> None:
    trace = SensorTrace(source="x", times=(0.0,), states=({"gpu_temp_c": 70.0},))
    assert trace.at(0) == {"gpu_temp_c": 70.0}
