"""Scripted hardware snapshots for tests and `laptune detect --fake PROFILE` (seeds' machines)."""
from __future__ import annotations

from core.machine.snapshot import GIB, GpuInfo, GpuProcess, HardwareSnapshot, SystemInfo

# --------------------------------------------------------------------------- fake hardware
FAKE_PROFILES: dict[str, str] = {
    "cpu-only": "Laptop without NVIDIA GPU: 8 GiB RAM, 4 cores, battery 100 % on AC.",
    "laptop-1650-4gb": "GTX 1650 laptop GPU 4 GiB (compute 7.5, no bf16), 16 GiB RAM, battery 90 % on AC.",
    "laptop-3050-4gb": "RTX 3050 Laptop GPU 4 GiB (compute 8.6, bf16), 16 GiB RAM, battery 80 % on AC, "
                       "power readings not supported.",
    "laptop-4060-8gb": "RTX 4060 Laptop GPU 8 GiB (compute 8.9, bf16), 16 GiB RAM, on battery at 55 %.",
    "desktop-4080-16gb": "RTX 4080 16 GiB (compute 8.9, bf16), 32 GiB RAM, no battery.",
    "desktop-3090-24gb": "RTX 3090 24 GiB (compute 8.6, bf16), 64 GiB RAM, no battery.",
    "8x4090-busy": "Shared server, 8 x RTX 4090 24 GiB, mostly busy: GPU 4 has 18.9 GiB free, GPU 6 20.0 GiB, "
                   "the rest 2-6 GiB; 512 GiB RAM.",
}
_FAKE_TIME = 1_704_067_200.0  # fixed (2024-01-01 UTC) so two fake snapshots compare equal
_MIB = 1024**2


def _fake_gpu(index: int, name: str, total_mib: int, free_gib: float, cc: tuple[int, int],
              temp: float = 45.0, power: float | None = 30.0, limit: float | None = 115.0, util: float = 0.0,
              procs: tuple[tuple[int, float], ...] = ()) -> GpuInfo:
    total, free = total_mib * _MIB, int(free_gib * GIB)
    return GpuInfo(index=index, name=name, total_bytes=total, free_bytes=free, used_bytes=total - free,
                   temperature_c=temp, power_w=power, power_limit_w=limit, utilization_pct=util,
                   compute_capability=cc, bf16_supported=cc[0] >= 8,
                   processes=tuple(GpuProcess(pid, "python", int(gib * GIB)) for pid, gib in procs))


def _fake_system(ram_gib: int, cpu: str, cores: int, threads: int, os_name: str,
                 battery: float | None = None, on_ac: bool | None = None) -> SystemInfo:
    return SystemInfo(ram_total_bytes=ram_gib * GIB, ram_available_bytes=int(ram_gib * 0.6 * GIB),
                      swap_total_bytes=4 * GIB, swap_used_bytes=GIB // 4, cpu_model=cpu,
                      cpu_physical_cores=cores, cpu_logical_cores=threads, os=os_name,
                      battery_present=battery is not None, battery_percent=battery,
                      on_ac=on_ac if battery is not None else None)


def _busy_server() -> list[GpuInfo]:
    free = [3.2, 2.1, 5.6, 4.4, 18.9, 2.8, 20.0, 6.0]
    gpus = []
    for i, free_gib in enumerate(free):
        # Each busy GPU holds one python job using all but ~0.4 GiB of driver overhead.
        held = round(24564 / 1024 - free_gib - 0.4, 1)
        # The busier the GPU, the hotter and the more power it draws.
        gpus.append(_fake_gpu(i, "NVIDIA GeForce RTX 4090", 24564, free_gib, (8, 9),
                              temp=float(round(70 - 2 * free_gib)), power=float(round(380 - 12 * free_gib)),
                              limit=450.0, util=float(round(95 - 4 * free_gib)), procs=((41000 + i, held),)))
    return gpus


def fake_probe(profile: str) -> HardwareSnapshot:
    """Scripted hardware for tests and demos; the snapshot says source='fake:<profile>'."""
    win11, ubuntu = "Windows-11-10.0.22631-SP0", "Ubuntu 22.04.4 LTS (Linux 6.5.0-35-generic)"
    laptop_cpu, desktop_cpu = "13th Gen Intel(R) Core(TM) i7-13620H", "AMD Ryzen 9 7950X 16-Core Processor"
    driver = "551.86"
    if profile == "cpu-only":
        gpus: list[GpuInfo] = []
        system = _fake_system(8, "Intel(R) Core(TM) i5-8265U CPU @ 1.60GHz", 4, 8, win11, 100.0, True)
        driver = None
    elif profile == "laptop-1650-4gb":
        gpus = [_fake_gpu(0, "NVIDIA GeForce GTX 1650", 4096, 3.6, (7, 5), power=8.0, limit=50.0)]
        system = _fake_system(16, "Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz", 6, 12, win11, 90.0, True)
    elif profile == "laptop-3050-4gb":
        gpus = [_fake_gpu(0, "NVIDIA GeForce RTX 3050 Laptop GPU", 4096, 3.7, (8, 6), power=None, limit=None)]
        system = _fake_system(16, laptop_cpu, 10, 16, win11, 80.0, True)
    elif profile == "laptop-4060-8gb":
        gpus = [_fake_gpu(0, "NVIDIA GeForce RTX 4060 Laptop GPU", 8188, 7.5, (8, 9), power=12.0, limit=115.0)]
        system = _fake_system(16, laptop_cpu, 10, 16, win11, 55.0, False)
    elif profile == "desktop-4080-16gb":
        gpus = [_fake_gpu(0, "NVIDIA GeForce RTX 4080", 16376, 15.1, (8, 9), temp=38.0, power=25.0, limit=320.0)]
        system = _fake_system(32, desktop_cpu, 16, 32, win11)
    elif profile == "desktop-3090-24gb":
        gpus = [_fake_gpu(0, "NVIDIA GeForce RTX 3090", 24576, 23.2, (8, 6), temp=40.0, power=35.0, limit=350.0)]
        system = _fake_system(64, desktop_cpu, 16, 32, ubuntu)
        driver = "550.54.14"
    elif profile == "8x4090-busy":
        gpus = _busy_server()
        system = _fake_system(512, "AMD EPYC 7763 64-Core Processor", 64, 128, ubuntu)
        driver = "550.54.14"
    else:
        raise ValueError(f"Unknown fake hardware profile {profile!r}; known profiles: {', '.join(FAKE_PROFILES)}")
    notes = ("No NVIDIA driver found (NVML library missing): CPU only.",) if not gpus else ()
    if profile == "laptop-3050-4gb":
        notes = ("GPU 0 (RTX 3050 Laptop GPU): the driver does not report power draw (Not Supported), "
                 "power limit (Not Supported); those readings stay empty.",)
    return HardwareSnapshot(gpus=tuple(gpus), system=system, driver_version=driver, cuda_available=bool(gpus),
                            notes=notes, taken_at=_FAKE_TIME, source=f"fake:{profile}")
