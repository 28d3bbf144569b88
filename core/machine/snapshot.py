"""What the computer is, as data: a frozen, JSON-serialisable snapshot of the GPUs, RAM, CPU and battery.

Built by the probe (core/machine/hardware.py) from the real machine, or by core/machine/fakes.py from a
scripted profile; read by the recommender, auto-fit, the GUI's hardware panel and `laptune detect`.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

GIB = 1024**3
CPU_ONLY_REASON = "No NVIDIA GPU found: training runs on the CPU."


@dataclass(frozen=True)
class GpuProcess:
    pid: int
    name: str
    used_bytes: int | None  # None where the driver cannot tell (Windows WDDM)


@dataclass(frozen=True)
class GpuInfo:
    index: int  # NVML index (PCI bus order), the number GPU_ID refers to
    name: str
    total_bytes: int
    free_bytes: int
    used_bytes: int
    temperature_c: float | None = None
    power_w: float | None = None
    power_limit_w: float | None = None
    utilization_pct: float | None = None
    compute_capability: tuple[int, int] | None = None
    bf16_supported: bool | None = None
    processes: tuple[GpuProcess, ...] = ()

    @property
    def total_gb(self) -> float:
        return self.total_bytes / GIB

    @property
    def free_gb(self) -> float:
        return self.free_bytes / GIB

    @property
    def used_gb(self) -> float:
        return self.used_bytes / GIB

    @property
    def short_name(self) -> str:
        """'NVIDIA GeForce RTX 4090' -> 'RTX 4090': the brand words add nothing in a table."""
        name = self.name
        for prefix in ("NVIDIA ", "GeForce "):
            if name.startswith(prefix):
                name = name[len(prefix):]
        return name or self.name


@dataclass(frozen=True)
class SystemInfo:
    ram_total_bytes: int
    ram_available_bytes: int
    swap_total_bytes: int
    swap_used_bytes: int
    cpu_model: str
    cpu_physical_cores: int | None
    cpu_logical_cores: int | None
    os: str
    battery_present: bool = False
    battery_percent: float | None = None
    on_ac: bool | None = None


@dataclass(frozen=True)
class HardwareSnapshot:
    gpus: tuple[GpuInfo, ...]
    system: SystemInfo
    driver_version: str | None = None
    cuda_available: bool = False
    notes: tuple[str, ...] = ()
    taken_at: float = 0.0
    source: str = "probe"  # "probe" or "fake:<profile>"

    @property
    def cpu_only(self) -> bool:
        return not self.gpus

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> HardwareSnapshot:
        # JSON turns tuples into lists; rebuild them so a round trip compares equal.
        # Unknown keys are ignored so a snapshot saved by a newer LapTune still loads.
        gpus = []
        for g in d["gpus"]:
            fields = _known(GpuInfo, g)
            cc = fields.get("compute_capability")
            fields["compute_capability"] = tuple(cc) if cc is not None else None
            fields["processes"] = tuple(GpuProcess(**_known(GpuProcess, p)) for p in g.get("processes", ()))
            gpus.append(GpuInfo(**fields))
        top = _known(cls, d)
        top["gpus"] = tuple(gpus)
        top["system"] = SystemInfo(**_known(SystemInfo, d["system"]))
        top["notes"] = tuple(d.get("notes", ()))
        return cls(**top)

    @classmethod
    def from_json(cls, text: str) -> HardwareSnapshot:
        return cls.from_dict(json.loads(text))

    def summary_lines(self) -> list[str]:
        """A human-readable table for `laptune detect`."""
        lines: list[str] = []
        if self.cpu_only:
            lines.append("GPU      none (CPU only)")
        for g in self.gpus:
            parts = [f"GPU {g.index:<4} {g.short_name:<26}",
                     f"VRAM {g.used_gb:5.1f} / {g.total_gb:5.1f} GiB used",
                     f"temp {_fmt(g.temperature_c, '{:.0f} C')}",
                     f"power {_fmt(g.power_w, '{:.0f}')} / {_fmt(g.power_limit_w, '{:.0f} W')}",
                     f"util {_fmt(g.utilization_pct, '{:.0f} %')}"]
            if g.compute_capability is not None:
                parts.append(f"cc {g.compute_capability[0]}.{g.compute_capability[1]}")
            if g.bf16_supported is not None:
                parts.append("bf16" if g.bf16_supported else "no bf16")
            lines.append("  ".join(parts))
            for p in g.processes:
                used = "? GiB" if p.used_bytes is None else f"{p.used_bytes / GIB:.1f} GiB"
                lines.append(f"           process pid {p.pid} {p.name} holds {used}")
        if self.gpus:
            cuda = "yes" if self.cuda_available else "no"
            lines.append(f"Driver   {self.driver_version or 'unknown'}, CUDA usable: {cuda}")
        s = self.system
        lines.append(f"RAM      {s.ram_available_bytes / GIB:.1f} of {s.ram_total_bytes / GIB:.1f} GiB available")
        lines.append(f"Swap     {s.swap_used_bytes / GIB:.1f} of {s.swap_total_bytes / GIB:.1f} GiB used")
        cores = f"{_fmt(s.cpu_physical_cores, '{}')} cores / {_fmt(s.cpu_logical_cores, '{}')} threads"
        lines.append(f"CPU      {s.cpu_model}, {cores}")
        lines.append(f"OS       {s.os}")
        if s.battery_present:
            power = {True: "on AC", False: "on battery", None: "power source unknown"}[s.on_ac]
            lines.append(f"Battery  {_fmt(s.battery_percent, '{:.0f} %')}, {power}")
        else:
            lines.append("Battery  none")
        lines.extend(f"Note     {n}" for n in self.notes)
        return lines


def _known(cls: type, d: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in d.items() if k in names}


def _fmt(value: float | int | None, template: str) -> str:
    return "n/a" if value is None else template.format(value)
