"""Which preset fits this machine, and why (seed 001's check_system, done right).

Seed 001's tiers, by the GPU that will be used and the system RAM:
  low   VRAM <= 4 GB (a "4 GB" card reports ~4.0 GiB with ~3.7 usable) or RAM < 8 GB
  safe  VRAM <= 8 GB or RAM <= 16 GB
  full  more than both
  cpu   no NVIDIA GPU
Within a task, a preset is eligible when the hardware meets its `requires`; among the eligible ones
we prefer base presets over their variants, the preset of the machine's own tier (else the nearest
lower tier, else higher), then the one that uses the most of the GPU.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.config.schema import RunConfig
from core.machine.hardware import choose_gpu
from core.machine.snapshot import HardwareSnapshot
from core.config.presets import PresetInfo, list_presets

TIERS = ("cpu", "low", "safe", "full")
TASKS = ("ner", "classify", "sft")
GIB = 1024**3


def hardware_tier(hw: HardwareSnapshot, gpu_id: int | None = None) -> tuple[str, str]:
    gpu, _ = choose_gpu(hw, gpu_id)
    ram = hw.system.ram_total_bytes / GIB
    if gpu is None:
        return "cpu", f"no NVIDIA GPU, {ram:.0f} GB RAM: CPU tier"
    vram = gpu.total_bytes / GIB
    if vram <= 4.5 or ram < 8:
        return "low", f"{gpu.name} has {vram:.1f} GB VRAM, {ram:.0f} GB RAM: low-memory tier (VRAM <= 4 GB or RAM < 8 GB)"
    if vram <= 8.5 or ram <= 16:
        return "safe", f"{gpu.name} has {vram:.1f} GB VRAM, {ram:.0f} GB RAM: safe tier (VRAM 4-8 GB or RAM 8-16 GB)"
    return "full", f"{gpu.name} has {vram:.1f} GB VRAM, {ram:.0f} GB RAM: full tier (VRAM > 8 GB and RAM > 16 GB)"


def unmet_requirements(config: RunConfig, hw: HardwareSnapshot, gpu_id: int | None = None) -> list[str]:
    """What this machine lacks for the preset, in words; empty when it fits."""
    gpu, _ = choose_gpu(hw, gpu_id)
    req = config.requires
    missing: list[str] = []
    if req.cuda and gpu is None:
        missing.append("needs an NVIDIA GPU with CUDA")
    if req.min_vram_gb and (gpu is None or gpu.total_bytes / GIB < req.min_vram_gb):
        have = f"{gpu.total_bytes / GIB:.1f} GB" if gpu else "no GPU"
        missing.append(f"needs {req.min_vram_gb:g} GB VRAM, this machine has {have}")
    if req.bf16 and not (gpu and gpu.bf16_supported):
        missing.append("needs a GPU with bf16 (RTX 30xx or newer)")
    if req.min_ram_gb and hw.system.ram_total_bytes / GIB < req.min_ram_gb:
        missing.append(f"needs {req.min_ram_gb:g} GB RAM, this machine has {hw.system.ram_total_bytes / GIB:.0f} GB")
    return missing


@dataclass(frozen=True)
class Recommendation:
    preset: str
    task: str
    reason: str
    fits: bool


def _tier_distance(preset_tier: str | None, hw_tier: str) -> int:
    """0 for the machine's tier; lower tiers next (they fit with margin); higher tiers last."""
    if preset_tier not in TIERS:
        return 10
    d = TIERS.index(hw_tier) - TIERS.index(preset_tier)
    return d if d >= 0 else 5 - d


def recommend(hw: HardwareSnapshot, task: str, presets: list[PresetInfo] | None = None,
              gpu_id: int | None = None) -> list[Recommendation]:
    """Presets for `task` ranked best first; those that do not fit come last with the reason."""
    tier, tier_reason = hardware_tier(hw, gpu_id)
    ranked: list[tuple[tuple[int, int, float], Recommendation]] = []
    for info in presets if presets is not None else list_presets():
        cfg = info.config
        if cfg is None or cfg.task != task or cfg.tier == "demo":
            continue
        missing = unmet_requirements(cfg, hw, gpu_id)
        if missing:
            ranked.append(((2, 0, 0.0), Recommendation(info.name, task, "; ".join(missing), False)))
            continue
        dist = _tier_distance(cfg.tier, tier)
        key = (1 if cfg.variant_of else 0, dist, -cfg.requires.min_vram_gb)
        if dist == 0 and not cfg.variant_of:
            why = f"{tier_reason}; this is the {tier} preset"
        elif cfg.variant_of:
            why = f"a variant of {cfg.variant_of}, for when that one does not suit"
        else:
            why = f"{tier_reason}; the {cfg.tier} preset fits"
        ranked.append((key, Recommendation(info.name, task, why, True)))
    ranked.sort(key=lambda item: (item[0], item[1].preset))
    return [rec for _, rec in ranked]


def recommend_all(hw: HardwareSnapshot, presets: list[PresetInfo] | None = None,
                  gpu_id: int | None = None) -> dict[str, Recommendation | None]:
    infos = presets if presets is not None else list_presets()
    out: dict[str, Recommendation | None] = {}
    for task in TASKS:
        recs = [r for r in recommend(hw, task, infos, gpu_id) if r.fits]
        out[task] = recs[0] if recs else None
    return out
