"""Tests for core.machine.hardware: the real probe on this (GPU-less) machine, NVML failures, and a faked pynvml
that drives the real probe code path through two GPUs."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import types
from collections import namedtuple
from types import SimpleNamespace
from typing import Any

import psutil
import pynvml
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.machine import hardware
from core.machine.hardware import choose_gpu, nvml_available, probe, read_gpu_sensors
from core.machine.snapshot import CPU_ONLY_REASON, GIB, GpuInfo, GpuProcess, HardwareSnapshot, SystemInfo
from core.machine.fakes import FAKE_PROFILES, fake_probe

MIB = 1024**2


@pytest.fixture(autouse=True)
def fresh_nvml(monkeypatch: pytest.MonkeyPatch):
    # The module remembers NVML's first answer; each test starts from scratch and leaves nothing behind
    # (a faked "NVML works" state must not leak into other test modules).
    hardware._reset_nvml_state()
    # Whether torch happens to be imported depends on test order; the torch path has its own tests.
    monkeypatch.setattr(hardware, "_torch_already_imported", lambda: False)
    yield
    hardware._reset_nvml_state()


# --------------------------------------------------------------------------- a fake pynvml
class FakeNvml:
    """Two GPUs as the real driver would report them (same return types, same exceptions)."""

    def __init__(self) -> None:
        self.init_calls = 0
        self.gpus: list[dict[str, Any]] = [
            dict(name="NVIDIA GeForce RTX 4090", uuid="GPU-aaaa-0000", total=24564 * MIB, free=int(3.5 * GIB),
                 temp=71, power_mw=312_500, limit_mw=450_000, util=97, cc=(8, 9),
                 compute=[SimpleNamespace(pid=101, usedGpuMemory=18 * GIB)],
                 graphics=[SimpleNamespace(pid=101, usedGpuMemory=18 * GIB),
                           SimpleNamespace(pid=202, usedGpuMemory=None)]),
            dict(name=b"NVIDIA GeForce RTX 3050 Laptop GPU", uuid="GPU-bbbb-1111", total=4096 * MIB,
                 free=int(3.7 * GIB), temp=48, power_mw=None, limit_mw=None, util=3, cc=(8, 6),
                 compute=[], graphics=[]),
        ]
        self.process_names = {101: "/usr/bin/python3.11", 202: b"C:\\Windows\\explorer.exe"}

    # Each fake raises what the real binding raises when the driver says no.
    def _gpu(self, handle: Any) -> dict[str, Any]:
        if not isinstance(handle, tuple) or handle[0] != "handle":
            raise pynvml.NVMLError_InvalidArgument()
        return self.gpus[handle[1]]

    def _field(self, handle: Any, key: str) -> Any:
        value = self._gpu(handle)[key]
        if value is None:
            raise pynvml.NVMLError_NotSupported()
        if isinstance(value, Exception):
            raise value
        return value

    def install(self, monkeypatch: pytest.MonkeyPatch) -> FakeNvml:
        def init() -> None:
            self.init_calls += 1

        def handle_by_index(index: int) -> tuple[str, int]:
            if not 0 <= index < len(self.gpus):
                raise pynvml.NVMLError_InvalidArgument()
            return ("handle", index)

        def memory(handle: Any, version: Any = None) -> SimpleNamespace:
            g = self._gpu(handle)
            if isinstance(g["total"], Exception):
                raise g["total"]
            return SimpleNamespace(total=g["total"], free=g["free"], used=g["total"] - g["free"])

        def process_name(pid: int) -> Any:
            if pid not in self.process_names:
                raise pynvml.NVMLError_NotFound()
            return self.process_names[pid]

        fakes = {
            "nvmlInit": init,
            "nvmlDeviceGetCount": lambda: len(self.gpus),
            "nvmlDeviceGetHandleByIndex": handle_by_index,
            "nvmlDeviceGetName": lambda h: self._field(h, "name"),
            "nvmlDeviceGetUUID": lambda h: self._field(h, "uuid"),
            "nvmlDeviceGetMemoryInfo": memory,
            "nvmlDeviceGetTemperature": lambda h, sensor: self._field(h, "temp"),
            "nvmlDeviceGetPowerUsage": lambda h: self._field(h, "power_mw"),
            "nvmlDeviceGetEnforcedPowerLimit": lambda h: self._field(h, "limit_mw"),
            "nvmlDeviceGetUtilizationRates": lambda h: SimpleNamespace(gpu=self._field(h, "util"), memory=10),
            "nvmlDeviceGetCudaComputeCapability": lambda h: self._field(h, "cc"),
            "nvmlSystemGetDriverVersion": lambda: "550.54.14",
            "nvmlDeviceGetComputeRunningProcesses": lambda h: self._field(h, "compute"),
            "nvmlDeviceGetGraphicsRunningProcesses": lambda h: self._field(h, "graphics"),
            "nvmlSystemGetProcessName": process_name,
        }
        # What the plain names call on a current driver; older drivers only have _v2.
        fakes["nvmlDeviceGetComputeRunningProcesses_v2"] = fakes["nvmlDeviceGetComputeRunningProcesses"]
        fakes["nvmlDeviceGetGraphicsRunningProcesses_v2"] = fakes["nvmlDeviceGetGraphicsRunningProcesses"]
        for name, fn in fakes.items():
            assert hasattr(pynvml, name), f"pynvml has no {name}: the fake would not match the real API"
            monkeypatch.setattr(pynvml, name, fn)
        return self


@pytest.fixture
def fake_nvml(monkeypatch: pytest.MonkeyPatch) -> FakeNvml:
    return FakeNvml().install(monkeypatch)


def _raise(exc: Exception):
    def fn(*args: Any, **kwargs: Any) -> Any:
        raise exc
    return fn


# --------------------------------------------------------------------------- the real probe here
def test_real_probe_does_not_raise_and_reads_the_system() -> None:
    snap = probe()
    s = snap.system
    assert s.ram_total_bytes > 0 and 0 < s.ram_available_bytes <= s.ram_total_bytes
    assert s.cpu_logical_cores and s.cpu_logical_cores >= 1
    assert s.cpu_model and s.os
    assert snap.source == "probe" and snap.taken_at > 0


def test_real_probe_is_cpu_only_with_a_note_on_a_machine_without_nvidia() -> None:
    if nvml_available():
        pytest.skip("this machine has an NVIDIA driver")
    hardware._reset_nvml_state()
    snap = probe()
    assert snap.cpu_only and snap.gpus == () and not snap.cuda_available
    assert any("CPU only" in n for n in snap.notes)
    assert snap.driver_version is None
    assert read_gpu_sensors(0) == dict.fromkeys(
        ["vram_used_bytes", "vram_total_bytes", "gpu_temp_c", "gpu_util_pct", "power_w"])
    assert choose_gpu(snap) == (None, CPU_ONLY_REASON)


def test_real_probe_with_torch_does_not_raise() -> None:
    snap = probe(with_torch=True)
    if snap.cpu_only:
        assert not snap.cuda_available


def test_importing_hardware_imports_neither_torch_nor_qt() -> None:
    code = ("import sys, core.machine.hardware; bad = [m for m in ('torch', 'PySide6', 'PyQt5', 'PyQt6') "
            "if m in sys.modules]; assert not bad, bad")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


# --------------------------------------------------------------------------- NVML failures
@pytest.mark.parametrize("error, words", [
    (pynvml.NVMLError_LibraryNotFound(), "No NVIDIA driver found (NVML library missing): CPU only."),
    (pynvml.NVMLError_DriverNotLoaded(), "not loaded"),
    (pynvml.NVMLError_NoPermission(), "No permission"),
    (pynvml.NVMLError(pynvml.NVML_ERROR_UNKNOWN), "could not be queried (Unknown Error)"),
])
def test_nvml_init_failure_gives_cpu_only_with_the_reason(monkeypatch, error, words) -> None:
    calls = []
    monkeypatch.setattr(pynvml, "nvmlInit", lambda: (calls.append(1), _raise(error)())[1])
    snap = probe()
    assert snap.cpu_only and not snap.cuda_available and snap.driver_version is None
    assert any(words in n for n in snap.notes), snap.notes
    assert not nvml_available()
    assert read_gpu_sensors(0)["vram_total_bytes"] is None
    assert len(calls) == 1, "a failed NVML init is remembered, not retried every call"


def test_missing_nvidia_ml_py_package_gives_cpu_only(monkeypatch) -> None:
    monkeypatch.setattr(hardware, "pynvml", None)
    snap = probe()
    assert snap.cpu_only and "nvidia-ml-py" in snap.notes[0]


def test_driver_without_gpus_gives_cpu_only(fake_nvml, monkeypatch) -> None:
    monkeypatch.setattr(pynvml, "nvmlDeviceGetCount", lambda: 0)
    snap = probe()
    assert snap.cpu_only and snap.driver_version == "550.54.14"
    assert snap.notes == ("The NVIDIA driver is present but reports no GPU: CPU only.",)


# --------------------------------------------------------------------------- the probe through fake NVML
def test_fake_nvml_gives_two_gpus_with_the_expected_values(fake_nvml) -> None:
    snap = probe()
    assert not snap.cpu_only and snap.cuda_available and snap.driver_version == "550.54.14"
    big, small = snap.gpus
    assert big == GpuInfo(
        index=0, name="NVIDIA GeForce RTX 4090", total_bytes=24564 * MIB, free_bytes=int(3.5 * GIB),
        used_bytes=24564 * MIB - int(3.5 * GIB), temperature_c=71.0, power_w=312.5, power_limit_w=450.0,
        utilization_pct=97.0, compute_capability=(8, 9), bf16_supported=True,
        # pid 101 is in both process lists: reported once; 202's memory is unknown (WDDM)
        processes=(GpuProcess(101, "python3.11", 18 * GIB), GpuProcess(202, "explorer.exe", None)))
    # bytes names (old bindings) are decoded; power Not Supported (laptops) leaves only those fields empty
    assert small.index == 1 and small.name == "NVIDIA GeForce RTX 3050 Laptop GPU"
    assert small.total_bytes == 4096 * MIB and small.temperature_c == 48.0 and small.utilization_pct == 3.0
    assert small.power_w is None and small.power_limit_w is None
    assert small.compute_capability == (8, 6) and small.bf16_supported is True and small.processes == ()
    assert snap.notes == ("GPU 1 (RTX 3050 Laptop GPU): the driver does not report power draw (Not Supported), "
                          "power limit (Not Supported); those readings stay empty.",)
    assert fake_nvml.init_calls == 1


def test_per_field_failures_keep_the_gpu(fake_nvml, monkeypatch) -> None:
    fake_nvml.gpus[0].update(temp=pynvml.NVMLError_GpuIsLost(), cc=None, compute=pynvml.NVMLError_NoPermission())
    fake_nvml.process_names.pop(101)  # NVML cannot name it, and neither can psutil (the process has ended)
    monkeypatch.setattr(psutil, "Process", _raise(psutil.NoSuchProcess(101)))
    snap = probe()
    g = snap.gpus[0]
    assert g.temperature_c is None and g.compute_capability is None and g.bf16_supported is None
    assert g.power_w == 312.5 and g.total_bytes == 24564 * MIB
    names = {p.pid: p.name for p in g.processes}
    assert names == {101: "unknown", 202: "explorer.exe"}
    assert "temperature (GPU is lost)" in snap.notes[0]


def test_old_driver_process_lists_come_from_v2(fake_nvml, monkeypatch) -> None:
    mismatch = pynvml.NVMLLibraryMismatchError("Unversioned function called ...")
    monkeypatch.setattr(pynvml, "nvmlDeviceGetComputeRunningProcesses", _raise(mismatch))
    monkeypatch.setattr(pynvml, "nvmlDeviceGetGraphicsRunningProcesses", _raise(mismatch))
    snap = probe()
    assert [p.pid for p in snap.gpus[0].processes] == [101, 202]
    assert snap.gpus[0].processes[0].used_bytes == 18 * GIB


def test_process_name_falls_back_to_psutil(fake_nvml) -> None:
    me = os.getpid()
    fake_nvml.gpus[1]["compute"] = [SimpleNamespace(pid=me, usedGpuMemory=GIB)]
    snap = probe()
    assert snap.gpus[1].processes == (GpuProcess(me, psutil.Process(me).name(), GIB),)


def test_an_unreadable_gpu_is_left_out_with_a_note(fake_nvml) -> None:
    fake_nvml.gpus[0]["total"] = pynvml.NVMLError_GpuIsLost()
    snap = probe()
    assert [g.index for g in snap.gpus] == [1]
    assert "GPU 0 was found but could not be read" in snap.notes[0]
    fake_nvml.gpus[1]["total"] = pynvml.NVMLError_GpuIsLost()
    hardware._reset_nvml_state()
    snap = probe()
    assert snap.cpu_only and snap.notes[-1] == "No GPU could be read: CPU only."


def test_read_gpu_sensors(fake_nvml) -> None:
    assert nvml_available()
    assert read_gpu_sensors(0) == {"vram_used_bytes": 24564 * MIB - int(3.5 * GIB), "vram_total_bytes": 24564 * MIB,
                                   "gpu_temp_c": 71, "gpu_util_pct": 97, "power_w": 312.5}
    assert read_gpu_sensors(1)["power_w"] is None and read_gpu_sensors(1)["gpu_temp_c"] == 48
    assert set(read_gpu_sensors(7).values()) == {None}
    probe()
    assert fake_nvml.init_calls == 1, "NVML is initialised once for probes and sensor reads"


# --------------------------------------------------------------------------- the torch path (fake torch)
def _fake_torch(available: bool, cuda: str | None, devices: list[tuple[str, str, int, int]]) -> types.ModuleType:
    torch = types.ModuleType("torch")
    torch.__version__ = "2.13.0+cpu" if cuda is None else "2.13.0+cu126"
    torch.version = SimpleNamespace(cuda=cuda)
    props = [SimpleNamespace(name=n, uuid=u, major=ma, minor=mi) for n, u, ma, mi in devices]
    torch.cuda = SimpleNamespace(is_available=lambda: available, device_count=lambda: len(props),
                                 get_device_properties=lambda i: props[i])
    return torch


def test_torch_fills_compute_capability_matched_by_uuid(fake_nvml, monkeypatch) -> None:
    for gpu in fake_nvml.gpus:
        gpu["cc"] = None  # an old driver without nvmlDeviceGetCudaComputeCapability
    # torch lists the devices in the other order (CUDA_DEVICE_ORDER=FASTEST_FIRST): the UUID decides
    torch = _fake_torch(True, "12.6", [("NVIDIA GeForce RTX 4090", "aaaa-0000", 8, 9),
                                       ("NVIDIA GeForce RTX 3050 Laptop GPU", "BBBB-1111", 7, 5)][::-1])
    monkeypatch.setitem(sys.modules, "torch", torch)
    snap = probe(with_torch=True)
    assert [g.compute_capability for g in snap.gpus] == [(8, 9), (7, 5)]
    assert [g.bf16_supported for g in snap.gpus] == [True, False]
    assert snap.cuda_available


def test_cpu_only_torch_build_is_noted(fake_nvml, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", _fake_torch(False, None, []))
    snap = probe(with_torch=True)
    assert not snap.cuda_available and len(snap.gpus) == 2
    assert any("CPU-only build" in n for n in snap.notes)


def test_already_imported_torch_decides_cuda_available_without_with_torch(fake_nvml, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", _fake_torch(False, "12.6", []))
    monkeypatch.setattr(hardware, "_torch_already_imported", lambda: True)
    assert not probe().cuda_available


# --------------------------------------------------------------------------- system details
def test_battery_and_no_battery(monkeypatch) -> None:
    battery = namedtuple("sbattery", "percent secsleft power_plugged")
    monkeypatch.setattr(psutil, "sensors_battery", lambda: battery(42.0, 3600, False))
    s = hardware._probe_system()
    assert (s.battery_present, s.battery_percent, s.on_ac) == (True, 42.0, False)
    monkeypatch.setattr(psutil, "sensors_battery", lambda: None)
    s = hardware._probe_system()
    assert (s.battery_present, s.battery_percent, s.on_ac) == (False, None, None)


def test_cpu_model(monkeypatch) -> None:
    if sys.platform.startswith("linux") and os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo") as fh:
            names = [line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")]
        if names:
            assert hardware._cpu_model() == names[0]
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(hardware.platform, "processor", lambda: "")
    monkeypatch.setattr(hardware.platform, "machine", lambda: "arm64")
    assert hardware._cpu_model() == "arm64"


# --------------------------------------------------------------------------- fake profiles
REQUIRED_PROFILES = ["cpu-only", "laptop-3050-4gb", "laptop-4060-8gb", "desktop-4080-16gb", "8x4090-busy",
                     "desktop-3090-24gb", "laptop-1650-4gb"]


def test_fake_profiles_exist_and_are_deterministic() -> None:
    assert set(REQUIRED_PROFILES) <= set(FAKE_PROFILES)
    for name in FAKE_PROFILES:
        snap = fake_probe(name)
        assert snap.source == f"fake:{name}" and snap == fake_probe(name)
        assert snap.cuda_available == (not snap.cpu_only)
        for g in snap.gpus:
            assert g.used_bytes + g.free_bytes == g.total_bytes


@pytest.mark.parametrize("name, gpu_name, total_gb, cc, bf16, battery, on_ac", [
    ("laptop-3050-4gb", "NVIDIA GeForce RTX 3050 Laptop GPU", 4.0, (8, 6), True, True, True),
    ("laptop-4060-8gb", "NVIDIA GeForce RTX 4060 Laptop GPU", 8.0, (8, 9), True, True, False),
    ("desktop-4080-16gb", "NVIDIA GeForce RTX 4080", 16.0, (8, 9), True, False, None),
    ("desktop-3090-24gb", "NVIDIA GeForce RTX 3090", 24.0, (8, 6), True, False, None),
    ("laptop-1650-4gb", "NVIDIA GeForce GTX 1650", 4.0, (7, 5), False, True, True),
])
def test_fake_profile_contents(name, gpu_name, total_gb, cc, bf16, battery, on_ac) -> None:
    snap = fake_probe(name)
    (g,) = snap.gpus
    assert g.name == gpu_name and round(g.total_gb) == total_gb
    assert g.compute_capability == cc and g.bf16_supported is bf16
    assert snap.system.battery_present is battery and snap.system.on_ac is on_ac


def test_cpu_only_and_busy_server_profiles() -> None:
    cpu = fake_probe("cpu-only")
    assert cpu.cpu_only and cpu.system.ram_total_bytes == 8 * GIB and "CPU only" in cpu.notes[0]
    busy = fake_probe("8x4090-busy")
    assert len(busy.gpus) == 8 and all(g.name == "NVIDIA GeForce RTX 4090" for g in busy.gpus)
    assert round(busy.gpus[4].free_gb, 1) == 18.9 and round(busy.gpus[6].free_gb, 1) == 20.0
    assert all(2.0 <= g.free_gb <= 6.0 for i, g in enumerate(busy.gpus) if i not in (4, 6))
    assert all(g.processes and g.processes[0].name == "python" for g in busy.gpus)


def test_unknown_fake_profile_lists_the_known_ones() -> None:
    with pytest.raises(ValueError) as info:
        fake_probe("quantum-laptop")
    for name in FAKE_PROFILES:
        assert name in str(info.value)


# --------------------------------------------------------------------------- JSON
@pytest.mark.parametrize("name", sorted(FAKE_PROFILES))
def test_json_round_trip_of_fake_profiles(name) -> None:
    snap = fake_probe(name)
    assert HardwareSnapshot.from_dict(json.loads(snap.to_json())) == snap
    assert HardwareSnapshot.from_json(snap.to_json(indent=None)) == snap


def test_json_round_trip_of_probes_and_unknown_keys(fake_nvml) -> None:
    snap = probe()
    data = json.loads(snap.to_json())
    assert HardwareSnapshot.from_dict(data) == snap
    data["from_a_newer_version"] = 1
    data["gpus"][0]["uuid"] = "GPU-x"
    assert HardwareSnapshot.from_dict(data) == snap


_sizes = st.integers(min_value=0, max_value=200 * GIB)
_opt_float = st.none() | st.floats(min_value=0, max_value=1000, allow_nan=False)
_gpu = st.builds(
    GpuInfo, index=st.integers(0, 15), name=st.text(max_size=30), total_bytes=_sizes, free_bytes=_sizes,
    used_bytes=_sizes, temperature_c=_opt_float, power_w=_opt_float, power_limit_w=_opt_float,
    utilization_pct=_opt_float, compute_capability=st.none() | st.tuples(st.integers(1, 12), st.integers(0, 9)),
    bf16_supported=st.none() | st.booleans(),
    processes=st.lists(st.builds(GpuProcess, pid=st.integers(1, 2**22), name=st.text(max_size=20),
                                 used_bytes=st.none() | _sizes), max_size=3).map(tuple))
_system = st.builds(
    SystemInfo, ram_total_bytes=_sizes, ram_available_bytes=_sizes, swap_total_bytes=_sizes,
    swap_used_bytes=_sizes, cpu_model=st.text(max_size=40), cpu_physical_cores=st.none() | st.integers(1, 256),
    cpu_logical_cores=st.none() | st.integers(1, 512), os=st.text(max_size=40), battery_present=st.booleans(),
    battery_percent=st.none() | st.floats(0, 100), on_ac=st.none() | st.booleans())
_snapshots = st.builds(
    HardwareSnapshot, gpus=st.lists(_gpu, max_size=4).map(tuple), system=_system,
    driver_version=st.none() | st.text(max_size=12), cuda_available=st.booleans(),
    notes=st.lists(st.text(max_size=50), max_size=3).map(tuple),
    taken_at=st.floats(0, 2e9), source=st.sampled_from(["probe", "fake:x"]))


@settings(max_examples=40, derandomize=True, deadline=None, database=None)
@given(_snapshots)
def test_json_round_trip_property(snap: HardwareSnapshot) -> None:
    assert HardwareSnapshot.from_json(snap.to_json()) == snap
    assert snap.summary_lines()  # any snapshot renders


@settings(max_examples=40, derandomize=True, deadline=None, database=None)
@given(st.lists(_gpu, min_size=1, max_size=8, unique_by=lambda g: g.index).map(tuple), _system)
def test_choose_gpu_picks_the_most_free_memory(gpus, system) -> None:
    chosen, reason = choose_gpu(HardwareSnapshot(gpus=gpus, system=system))
    assert chosen is not None and chosen.free_bytes == max(g.free_bytes for g in gpus)
    assert chosen.index == min(g.index for g in gpus if g.free_bytes == chosen.free_bytes)
    assert reason.startswith(f"GPU {chosen.index} ")


# --------------------------------------------------------------------------- choose_gpu
@pytest.mark.parametrize("name, expected", [
    ("cpu-only", None), ("laptop-1650-4gb", 0), ("laptop-3050-4gb", 0), ("laptop-4060-8gb", 0),
    ("desktop-4080-16gb", 0), ("desktop-3090-24gb", 0), ("8x4090-busy", 6),
])
def test_choose_gpu_for_each_profile(name, expected) -> None:
    gpu, reason = choose_gpu(fake_probe(name))
    assert (gpu.index if gpu else None) == expected
    assert reason


def test_choose_gpu_reasons() -> None:
    busy = fake_probe("8x4090-busy")
    gpu, reason = choose_gpu(busy)
    assert gpu.index == 6  # 20.0 GiB free beats GPU 4's 18.9
    assert reason == ("GPU 6 (RTX 4090) has the most free memory: 20.0 of 24.0 GiB free; "
                      "GPU 4 next with 18.9 GiB.")
    assert choose_gpu(fake_probe("cpu-only")) == (None, "No NVIDIA GPU found: training runs on the CPU.")
    _, reason = choose_gpu(fake_probe("desktop-4080-16gb"))
    assert reason == "GPU 0 (RTX 4080) is the only GPU: 15.1 of 16.0 GiB free."


def test_choose_gpu_honours_gpu_id() -> None:
    busy = fake_probe("8x4090-busy")
    gpu, reason = choose_gpu(busy, preferred=2)
    assert gpu.index == 2
    assert reason == ("GPU 2 (RTX 4090) as GPU_ID=2 asks: 5.6 of 24.0 GiB free. "
                      "GPU 6 has the most free memory (20.0 GiB).")
    gpu, reason = choose_gpu(busy, preferred=6)
    assert gpu.index == 6 and reason == "GPU 6 (RTX 4090) as GPU_ID=6 asks: 20.0 of 24.0 GiB free."


def test_choose_gpu_falls_back_when_gpu_id_does_not_exist() -> None:
    gpu, reason = choose_gpu(fake_probe("8x4090-busy"), preferred=9)
    assert gpu.index == 6
    assert reason.startswith("GPU_ID=9 does not exist (GPUs found: 0, 1, 2, 3, 4, 5, 6, 7)")
    assert "GPU 6 (RTX 4090) has the most free memory" in reason
    gpu, reason = choose_gpu(fake_probe("laptop-4060-8gb"), preferred=1)
    assert gpu.index == 0 and "GPU_ID=1 does not exist" in reason
    gpu, reason = choose_gpu(fake_probe("cpu-only"), preferred=0)
    assert gpu is None and reason.startswith(CPU_ONLY_REASON) and "GPU_ID=0" in reason


def test_choose_gpu_breaks_ties_by_lower_index() -> None:
    base = fake_probe("8x4090-busy")
    gpus = tuple(dataclasses.replace(g, free_bytes=10 * GIB) for g in base.gpus)
    gpu, _ = choose_gpu(dataclasses.replace(base, gpus=gpus))
    assert gpu.index == 0


# --------------------------------------------------------------------------- summary
def test_summary_lines_show_gpus_processes_and_system() -> None:
    text = "\n".join(fake_probe("8x4090-busy").summary_lines())
    assert "GPU 6" in text and "RTX 4090" in text and "4.0 /  24.0 GiB used" in text
    assert "process pid 41004 python holds 4.7 GiB" in text
    assert "RAM" in text and "Swap" in text and "AMD EPYC 7763" in text and "Ubuntu" in text
    assert "Battery  none" in text


def test_summary_lines_cpu_only_laptop_and_missing_power() -> None:
    cpu = fake_probe("cpu-only").summary_lines()
    assert cpu[0] == "GPU      none (CPU only)" and "Battery  100 %, on AC" in cpu
    assert cpu[-1] == "Note     No NVIDIA driver found (NVML library missing): CPU only."
    laptop = "\n".join(fake_probe("laptop-3050-4gb").summary_lines())
    assert "power n/a / n/a" in laptop and "cc 8.6  bf16" in laptop
    assert "on battery" in "\n".join(fake_probe("laptop-4060-8gb").summary_lines())


def test_summary_lines_of_a_fake_nvml_probe_mention_processes(fake_nvml) -> None:
    text = "\n".join(probe().summary_lines())
    assert "process pid 101 python3.11 holds 18.0 GiB" in text
    assert "process pid 202 explorer.exe holds ? GiB" in text
    assert "Driver   550.54.14, CUDA usable: yes" in text
