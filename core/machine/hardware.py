"""What hardware are we on? NVIDIA GPUs through NVML, RAM/CPU/battery through psutil.

The result is a frozen, JSON-serialisable :class:`HardwareSnapshot`. Probing never raises because of
missing or broken hardware: no driver, no GPU or a failing NVML call gives a "CPU only" snapshot (or a
GPU with some fields None) plus a plain-English note saying why.

torch is imported lazily and only when asked for (``probe(with_torch=True)``): the GUI has to start
fast, and importing torch costs seconds.
"""

from __future__ import annotations

import dataclasses
import ntpath
import platform
import sys
import threading
import time
from typing import Any, Callable

import psutil

from core.machine.snapshot import CPU_ONLY_REASON, GpuInfo, GpuProcess, HardwareSnapshot, SystemInfo

try:
    import pynvml  # the nvidia-ml-py package
except ImportError:  # a broken install must still give a CPU-only answer, not a crash
    pynvml = None  # type: ignore[assignment]

# Besides NVMLError, pynvml raises NVMLLibraryMismatchError when the driver is older than the binding.
_NVML_ERRORS: tuple[type[Exception], ...] = () if pynvml is None else (
    pynvml.NVMLError, getattr(pynvml, "NVMLLibraryMismatchError", pynvml.NVMLError))


# --------------------------------------------------------------------------- NVML session
# NVML is initialised once per process and a failure is remembered: the sensor loop calls
# read_gpu_sensors() every second, and retrying a missing library each time would cost a dlopen.
_nvml_lock = threading.Lock()
_nvml_ok: bool | None = None  # None: not tried yet
_nvml_error: str = ""
_handles: dict[int, Any] = {}


def _nvml_start() -> tuple[bool, str]:
    """Initialise NVML once; return (ok, why-not as a note)."""
    global _nvml_ok, _nvml_error
    with _nvml_lock:
        if _nvml_ok is None:
            _nvml_error = _try_nvml_init()
            _nvml_ok = not _nvml_error
        return _nvml_ok, _nvml_error


# Why NVML would not start, in words, by pynvml error class; anything else gets the generic message.
_NVML_INIT_FAILURES = {
    "NVMLError_LibraryNotFound": "No NVIDIA driver found (NVML library missing): CPU only.",
    "NVMLError_DriverNotLoaded": "The NVIDIA driver is installed but not loaded (no GPU, or it is switched off): "
                                 "CPU only.",
    "NVMLError_LibRmVersionMismatch": "The NVIDIA driver and its library have different versions (a reboot after "
                                      "a driver update usually fixes it): CPU only.",
    "NVMLError_NoPermission": "No permission to talk to the NVIDIA driver: CPU only.",
}


def _try_nvml_init() -> str:
    if pynvml is None:
        return "The nvidia-ml-py package is not installed, so GPUs cannot be detected: CPU only."
    try:
        pynvml.nvmlInit()
    except pynvml.NVMLError as exc:
        for class_name, message in _NVML_INIT_FAILURES.items():
            # getattr: older nvidia-ml-py releases lack some of these classes.
            if isinstance(exc, getattr(pynvml, class_name, ())):
                return message
        return f"The NVIDIA driver could not be queried ({exc}): CPU only."
    return ""


def _reset_nvml_state() -> None:
    """Forget the remembered NVML result; for tests that fake pynvml."""
    global _nvml_ok, _nvml_error
    with _nvml_lock:
        _nvml_ok, _nvml_error = None, ""
        _handles.clear()


def nvml_available() -> bool:
    """True when the NVIDIA driver answered (it may still report zero GPUs)."""
    return _nvml_start()[0]


def _handle(index: int) -> Any:
    # Handles stay valid for the whole NVML session, so one lookup per GPU is enough.
    if index not in _handles:
        _handles[index] = pynvml.nvmlDeviceGetHandleByIndex(index)
    return _handles[index]


def _text(value: str | bytes) -> str:
    # Old nvidia-ml-py releases return bytes, newer ones str.
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def _read(fn: Callable[..., Any], *args: Any, label: str = "", missing: list[str] | None = None) -> Any:
    """One NVML field; a failure (e.g. power on laptops: Not Supported) gives None, not a lost GPU."""
    try:
        return fn(*args)
    except _NVML_ERRORS as exc:
        if missing is not None:
            missing.append(f"{label} ({exc})")
        return None


def read_gpu_sensors(index: int) -> dict[str, float | int | None]:
    """Live readings of one GPU for the sensor loop; every value is None when it cannot be read."""
    out: dict[str, float | int | None] = dict.fromkeys(
        ("vram_used_bytes", "vram_total_bytes", "gpu_temp_c", "gpu_util_pct", "power_w"))
    if not _nvml_start()[0]:
        return out
    handle = _read(_handle, index)
    if handle is None:
        return out
    mem = _read(pynvml.nvmlDeviceGetMemoryInfo, handle)
    if mem is not None:
        out["vram_used_bytes"], out["vram_total_bytes"] = int(mem.used), int(mem.total)
    out["gpu_temp_c"] = _read(pynvml.nvmlDeviceGetTemperature, handle, pynvml.NVML_TEMPERATURE_GPU)
    util = _read(pynvml.nvmlDeviceGetUtilizationRates, handle)
    out["gpu_util_pct"] = None if util is None else util.gpu
    milliwatts = _read(pynvml.nvmlDeviceGetPowerUsage, handle)
    out["power_w"] = None if milliwatts is None else milliwatts / 1000.0
    return out


def _read_processes(handle: Any) -> tuple[GpuProcess, ...]:
    # A process using CUDA and drawing on screen shows up in both lists: merge by pid.
    found: dict[int, int | None] = {}
    for kind in ("Compute", "Graphics"):
        procs = None
        # The plain name calls _v3, which older drivers lack (NVMLLibraryMismatchError): then try _v2.
        for suffix in ("", "_v2"):
            fn = getattr(pynvml, f"nvmlDeviceGet{kind}RunningProcesses{suffix}", None)
            procs = None if fn is None else _read(fn, handle)
            if procs is not None:
                break
        for proc in procs or ():
            used = getattr(proc, "usedGpuMemory", None)
            previous = found.get(proc.pid)
            found[proc.pid] = used if previous is None else max(previous, used or 0)
    return tuple(GpuProcess(pid, _process_name(pid), used) for pid, used in sorted(found.items()))


def _process_name(pid: int) -> str:
    name = _read(pynvml.nvmlSystemGetProcessName, pid)
    if not name:
        # NVML cannot name other users' processes without privileges; psutil sometimes can.
        try:
            name = psutil.Process(pid).name()
        except psutil.Error:
            return "unknown"
    return ntpath.basename(_text(name)) or "unknown"  # ntpath splits on both / and \


def _probe_gpu(index: int, notes: list[str]) -> tuple[GpuInfo | None, str | None]:
    """One GPU and its NVML UUID (to match torch's devices), or None with a note if unusable."""
    handle = _read(_handle, index)
    mem = None if handle is None else _read(pynvml.nvmlDeviceGetMemoryInfo, handle)
    if mem is None:
        # Without memory figures a GPU is useless for planning a run, so it is left out.
        notes.append(f"GPU {index} was found but could not be read, so it is left out.")
        return None, None
    missing: list[str] = []
    name = _read(pynvml.nvmlDeviceGetName, handle, label="name", missing=missing)
    temp = _read(pynvml.nvmlDeviceGetTemperature, handle, pynvml.NVML_TEMPERATURE_GPU,
                 label="temperature", missing=missing)
    power_mw = _read(pynvml.nvmlDeviceGetPowerUsage, handle, label="power draw", missing=missing)
    limit_mw = _read(pynvml.nvmlDeviceGetEnforcedPowerLimit, handle, label="power limit", missing=missing)
    util = _read(pynvml.nvmlDeviceGetUtilizationRates, handle, label="utilisation", missing=missing)
    # NVML knows the compute capability without torch; bf16 needs Ampere (8.0) or newer.
    cc = _read(pynvml.nvmlDeviceGetCudaComputeCapability, handle)
    uuid = _read(pynvml.nvmlDeviceGetUUID, handle)
    gpu = GpuInfo(
        index=index,
        name=_text(name) if name else f"NVIDIA GPU {index}",
        total_bytes=int(mem.total), free_bytes=int(mem.free), used_bytes=int(mem.used),
        temperature_c=None if temp is None else float(temp),
        power_w=None if power_mw is None else power_mw / 1000.0,
        power_limit_w=None if limit_mw is None else limit_mw / 1000.0,
        utilization_pct=None if util is None else float(util.gpu),
        compute_capability=None if cc is None else (int(cc[0]), int(cc[1])),
        bf16_supported=None if cc is None else int(cc[0]) >= 8,
        processes=_read_processes(handle),
    )
    if missing:
        notes.append(f"GPU {index} ({gpu.short_name}): the driver does not report "
                     f"{', '.join(missing)}; those readings stay empty.")
    return gpu, None if uuid is None else _text(uuid)


def _probe_gpus(notes: list[str]) -> tuple[list[GpuInfo], list[str | None], str | None]:
    ok, why = _nvml_start()
    if not ok:
        notes.append(why)
        return [], [], None
    driver = _read(pynvml.nvmlSystemGetDriverVersion)
    driver = None if driver is None else _text(driver)
    failed: list[str] = []
    count = _read(pynvml.nvmlDeviceGetCount, label="GPU count", missing=failed)
    if failed:
        notes.append(f"The NVIDIA driver could not count the GPUs ({failed[0]}): CPU only.")
        return [], [], driver
    if not count:
        notes.append("The NVIDIA driver is present but reports no GPU: CPU only.")
        return [], [], driver
    gpus, uuids = [], []
    for index in range(count):
        gpu, uuid = _probe_gpu(index, notes)
        if gpu is not None:
            gpus.append(gpu)
            uuids.append(uuid)
    if not gpus:
        notes.append("No GPU could be read: CPU only.")
    return gpus, uuids, driver


# --------------------------------------------------------------------------- torch (optional)
def _apply_torch(gpus: list[GpuInfo], uuids: list[str | None], notes: list[str], ask_devices: bool) -> bool | None:
    """Ask torch whether CUDA works and fill compute capability / bf16 that NVML left empty.

    Returns torch.cuda.is_available(), or None when torch cannot be imported.
    """
    try:
        import torch  # lazy: importing torch takes seconds and the GUI must start without it
    except (ImportError, OSError):  # OSError: a torch DLL that fails to load on Windows
        notes.append("PyTorch could not be imported: compute capability and bf16 support come from the driver only.")
        return None
    available = bool(torch.cuda.is_available())
    if not available:
        if gpus and torch.version.cuda is None:
            notes.append(f"PyTorch {torch.__version__} is a CPU-only build: it will not use the GPU until a "
                         "CUDA build of PyTorch is installed.")
        elif gpus:
            notes.append("PyTorch cannot use the GPU (the driver may be too old for its CUDA version).")
        return False
    if not ask_devices:
        return True
    for i in range(torch.cuda.device_count()):
        try:
            props = torch.cuda.get_device_properties(i)
        except RuntimeError as exc:  # a CUDA error from a half-working driver
            notes.append(f"PyTorch could not read CUDA device {i}: {exc}")
            continue
        slot = _match_torch_device(gpus, uuids, i, props.name, str(getattr(props, "uuid", "")))
        if slot is not None and gpus[slot].compute_capability is None:
            gpus[slot] = dataclasses.replace(gpus[slot], compute_capability=(props.major, props.minor),
                                             bf16_supported=props.major >= 8)
    return True


def _torch_already_imported() -> bool:
    return "torch" in sys.modules


def _match_torch_device(gpus: list[GpuInfo], uuids: list[str | None], i: int, name: str, uuid: str) -> int | None:
    # torch numbers devices by CUDA_VISIBLE_DEVICES and CUDA_DEVICE_ORDER, NVML by PCI bus, so torch's
    # device i is NVML's GPU i only by luck; match by UUID and trust the index only if the name agrees.
    def norm(u: str | None) -> str:
        return (u or "").lower().removeprefix("gpu-")
    if norm(uuid):
        for slot, nvml_uuid in enumerate(uuids):
            if norm(nvml_uuid) == norm(uuid):
                return slot
    if i < len(gpus) and gpus[i].name == name:
        return i
    return None


# --------------------------------------------------------------------------- system
def _cpu_model() -> str:
    if sys.platform.startswith("linux"):
        # platform.processor() is usually empty on Linux; /proc/cpuinfo has the marketing name.
        try:
            with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    key, _, value = line.partition(":")
                    if key.strip() in ("model name", "Model", "Hardware") and value.strip():
                        return value.strip()
        except OSError:
            pass  # fall through to the generic answers below
    elif sys.platform == "win32":
        try:
            import winreg  # Windows only

            key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"HARDWARE\DESCRIPTION\System\CentralProcessor\0")
            return str(winreg.QueryValueEx(key, "ProcessorNameString")[0]).strip()
        except OSError:
            pass
    return platform.processor() or platform.machine() or "unknown CPU"


def _os_name() -> str:
    if sys.platform.startswith("linux"):
        try:
            pretty = platform.freedesktop_os_release().get("PRETTY_NAME", "")
        except OSError:
            pretty = ""
        if pretty:
            return f"{pretty} (Linux {platform.release()})"
    return platform.platform(terse=True)


def _probe_system() -> SystemInfo:
    vm = psutil.virtual_memory()
    try:
        swap = psutil.swap_memory()
        swap_total, swap_used = int(swap.total), int(swap.used)
    except (OSError, RuntimeError, psutil.Error):  # some containers hide /proc/vmstat
        swap_total = swap_used = 0
    battery = getattr(psutil, "sensors_battery", lambda: None)()  # absent on some platforms
    return SystemInfo(
        ram_total_bytes=int(vm.total), ram_available_bytes=int(vm.available),
        swap_total_bytes=swap_total, swap_used_bytes=swap_used,
        cpu_model=_cpu_model(),
        cpu_physical_cores=psutil.cpu_count(logical=False), cpu_logical_cores=psutil.cpu_count(logical=True),
        os=_os_name(),
        battery_present=battery is not None,
        battery_percent=None if battery is None else float(battery.percent),
        on_ac=None if battery is None else battery.power_plugged,
    )


def probe(with_torch: bool = False) -> HardwareSnapshot:
    """Probe this machine; never raises for missing or broken GPU hardware.

    Compute capability and bf16 come from NVML, so no torch is needed for them. with_torch=True imports
    torch to learn whether it can really use CUDA (a CPU-only torch build cannot) and to fill compute
    capability where NVML could not tell.
    """
    notes: list[str] = []
    gpus, uuids, driver = _probe_gpus(notes)
    cuda_available = bool(gpus)
    # Asking torch is cheap once it is imported anyway (e.g. inside a training run).
    if with_torch or _torch_already_imported():
        torch_says = _apply_torch(gpus, uuids, notes, ask_devices=with_torch and bool(gpus))
        if torch_says is not None:
            cuda_available = torch_says
    return HardwareSnapshot(gpus=tuple(gpus), system=_probe_system(), driver_version=driver,
                            cuda_available=cuda_available, notes=tuple(notes), taken_at=time.time())


# --------------------------------------------------------------------------- choosing a GPU
def choose_gpu(snapshot: HardwareSnapshot, preferred: int | None = None) -> tuple[GpuInfo | None, str]:
    """Pick the GPU to train on, with the reason in words.

    The freest GPU wins (on a shared box the others are busy); ties go to the lower index.
    `preferred` is GPU_ID, an NVML index: to make CUDA agree, set CUDA_DEVICE_ORDER=PCI_BUS_ID
    before CUDA_VISIBLE_DEVICES.
    """
    if snapshot.cpu_only:
        if preferred is None:
            return None, CPU_ONLY_REASON
        return None, f"{CPU_ONLY_REASON} GPU_ID={preferred} is ignored."
    ranked = sorted(snapshot.gpus, key=lambda g: (-g.free_bytes, g.index))
    best = ranked[0]
    if preferred is not None:
        chosen = next((g for g in snapshot.gpus if g.index == preferred), None)
        if chosen is not None:
            reason = (f"GPU {chosen.index} ({chosen.short_name}) as GPU_ID={preferred} asks: "
                      f"{chosen.free_gb:.1f} of {chosen.total_gb:.1f} GiB free.")
            if chosen is not best:
                reason += f" GPU {best.index} has the most free memory ({best.free_gb:.1f} GiB)."
            return chosen, reason
        known = ", ".join(str(g.index) for g in snapshot.gpus)
        prefix = f"GPU_ID={preferred} does not exist (GPUs found: {known}); using the freest instead. "
    else:
        prefix = ""
    if len(ranked) == 1:
        reason = (f"GPU {best.index} ({best.short_name}) is the only GPU: "
                  f"{best.free_gb:.1f} of {best.total_gb:.1f} GiB free.")
    else:
        runner_up = ranked[1]
        reason = (f"GPU {best.index} ({best.short_name}) has the most free memory: {best.free_gb:.1f} of "
                  f"{best.total_gb:.1f} GiB free; GPU {runner_up.index} next with {runner_up.free_gb:.1f} GiB.")
    return best, prefix + reason
