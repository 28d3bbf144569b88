"""Peak memory of one training run, from the model's config.json and the run settings, without loading it.

The number is what nvidia-smi would show for the training process at its peak: the CUDA context plus
everything PyTorch's caching allocator holds (live tensors and the cached blocks it cannot reuse). On the
CPU it is the process's RAM. Parameter counts come from core/memory/model_arch.py; every other term is computed
in `terms` of core/memory/terms.py, with a comment on where it comes from. docs/benchmarks.md compares the result with
the seed guides' own figures (`python bench/estimate_seeds.py`).

What the estimate assumes about the training code (core/tasks, core/session):
- Trainer mixed precision (fp16/bf16) is autocast over fp32 weights: fp32 master weights, half-precision
  activations. That needs full fine-tuning to load the model in fp32: transformers 5's from_pretrained
  defaults to dtype="auto", which loads a bf16 checkpoint (SmolLM2, Qwen) in bf16 and trains it in pure
  bf16, with about half the weight, gradient and optimizer memory counted here.
- LoRA without quantisation keeps the frozen base in the compute dtype (half under mixed precision);
  adapters are fp32 (PEFT's autocast_adapter_dtype).
- QLoRA: NF4 with double quantisation for the layers' linear weights; peft.prepare_model_for_kbit_training
  upcasts everything else (embeddings, norms, LM head, biases) to fp32.
- Trainer's "adamw" is torch's foreach AdamW (one temporary per trained weight during the step).
- Sequences are counted at max_seq_length (dynamic padding pads to the longest sample in the batch, which
  can be that long). Evaluation is not counted: it stores no activations, and for SFT the Trainer keeps
  only the loss (prediction_loss_only, as no metrics are computed).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.memory.model_arch import ModelConfigError, load_model_config, parse_arch
from core.memory.terms import GIB, Device, EstimateSettings, Plan, terms

if TYPE_CHECKING:
    from core.config.schema import RunConfig

__all__ = ["Estimate", "ModelConfigError", "estimate", "estimate_config", "gib", "load_model_config",
           "settings_from_config"]

@dataclass
class Estimate:
    peak_bytes: int
    breakdown: dict[str, int]  # ordered; the terms add up to peak_bytes
    params_total: int
    params_trainable: int
    notes: list[str] = field(default_factory=list)
    device: Device = "cuda"
    model: str = ""
    explain: dict[str, str] = field(default_factory=dict)  # term -> what it is, for lines()

    def to_dict(self, budget_bytes: int | None = None) -> dict[str, Any]:
        """The JSON shape the CLI prints and the GUI reads."""
        return {"peak_bytes": int(self.peak_bytes), "breakdown": {k: int(v) for k, v in self.breakdown.items()},
                "fits": None if budget_bytes is None else bool(self.peak_bytes <= budget_bytes),
                "budget_bytes": None if budget_bytes is None else int(budget_bytes)}

    def lines(self) -> list[str]:
        where = "GPU memory" if self.device == "cuda" else "RAM (training on the CPU)"
        out = [f"Estimated peak {where}: {gib(self.peak_bytes)}", f"Model: {self.model}"]
        width = max(len(k) for k in self.breakdown)
        for key, value in self.breakdown.items():
            out.append(f"  {key:<{width}}  {gib(value):>10}  {self.explain.get(key, '')}".rstrip())
        out.append(f"Parameters: {self.params_total / 1e6:,.1f} M, of which {self.params_trainable / 1e6:,.2f} M trainable")
        out.extend(f"Note: {n}" for n in self.notes)
        return out


def gib(n: float) -> str:
    return f"{n / GIB:.2f} GiB"


# ----------------------------------------------------------------------------- from a RunConfig
def settings_from_config(cfg: RunConfig, device: Device = "cuda") -> EstimateSettings:
    dev: Device = "cpu" if cfg.device.use_cpu else device
    lora = cfg.lora
    targets = lora.target_modules if lora.target_modules == "auto" else tuple(lora.target_modules)
    return EstimateSettings(
        task=cfg.task, batch_size=cfg.training.batch_size, seq_len=cfg.training.max_seq_length,
        precision="fp32" if dev == "cpu" else cfg.memory.precision, optimizer=cfg.training.optimizer,
        grad_accum=cfg.training.grad_accum, gradient_checkpointing=cfg.memory.gradient_checkpointing,
        freeze_layers=cfg.memory.freeze_layers, lora_rank=lora.rank if lora.enabled else None, lora_targets=targets,
        load_in_4bit=cfg.memory.load_in_4bit, load_in_8bit=cfg.memory.load_in_8bit,
        use_crf=cfg.task == "ner" and cfg.ner.use_crf, device=dev, classify_head=cfg.classify.head,
        mlp_hidden=cfg.classify.mlp_hidden, lora_dropout=lora.dropout,
        expandable_segments="expandable_segments:true" in (cfg.memory.cuda_alloc_conf or "").replace(" ", "").lower())


def estimate_config(cfg: RunConfig, device: Device = "cuda") -> Estimate:
    from core.config.paths import presets_dir  # bundled presets name their demo models relative to presets/

    model_config = load_model_config(cfg.model.name_or_path, cfg.model.config_file, base_dir=presets_dir())
    return estimate(model_config, settings_from_config(cfg, device))


# ----------------------------------------------------------------------------- the estimate
def estimate(model_config: dict[str, Any], settings: EstimateSettings) -> Estimate:
    arch = parse_arch(model_config)
    notes: list[str] = []
    plan = Plan(arch, settings, notes)
    parts, explain = terms(plan)
    return Estimate(peak_bytes=int(sum(parts.values())), breakdown=parts, params_total=plan.params_total,
                    params_trainable=plan.trainable, notes=notes, device=plan.device, model=arch.describe(),
                    explain=explain)
