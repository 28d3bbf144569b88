"""The run configuration: typed defaults that every preset file sparsely overrides.

A preset is YAML over these models. Every memory-relevant field says in its description which way
it moves memory ("memory: up" means a larger value needs more memory). Impossible combinations are
rejected when the config is built, with the reason and the fix (torchtune's recipe checks do the same).
Nothing here names code to import: a preset is data, never a plugin.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

CONFIG_VERSION = 1

Task = Literal["ner", "classify", "sft"]
Precision = Literal["auto", "fp32", "fp16", "bf16"]
Optimizer = Literal["adamw", "adamw_8bit", "paged_adamw_8bit", "adafactor", "sgd"]


class _Section(BaseModel):
    # Unknown keys are errors: a typo in a preset must not silently fall back to a default.
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ModelSection(_Section):
    name_or_path: str = Field(description="Hugging Face hub id or a local folder with config.json")
    trust_remote_code: bool = Field(
        False, description="Run Python code shipped with the model (gte-multilingual-base needs it). Off unless you trust the source."
    )
    init_from_scratch: bool = Field(
        False, description="Start from random weights when the folder has a config but no weights (the demo does)."
    )
    config_file: str | None = Field(
        None, description="A bundled config.json (relative to resources/model_configs/) used to estimate memory offline."
    )


class DataSection(_Section):
    train: str | None = Field(None, description="Training data file (relative paths resolve against the preset's folder, then the working folder)")
    eval: str | None = Field(None, description="Evaluation data file; when absent, eval_fraction of train is held out")
    format: Literal["auto", "conll", "jsonl", "json", "csv", "tsv", "xlsx", "parquet", "arrow", "hf", "folder"] = "auto"
    eval_fraction: float = Field(0.1, ge=0.0, lt=0.9, description="Held-out share of train when no eval file is given")
    text_column: str = "text"
    label_column: str = "label"
    text_pair_column: str | None = "text_pair"
    sheet: str | None = Field(None, description="Classification from .xlsx: the sheet to read (default: the first)")
    max_rounds: int | None = Field(None, ge=1, description="SFT: keep only the first N user/assistant rounds (memory: up)")


class TrainingSection(_Section):
    num_epochs: float = Field(3.0, gt=0)
    max_steps: int = Field(-1, description="Stop after this many optimizer steps (-1: run all epochs)")
    batch_size: int = Field(8, ge=1, description="Micro-batch per device (memory: up, roughly linear in activations)")
    grad_accum: int = Field(1, ge=1, description="Micro-batches per optimizer step; effective batch = batch_size x grad_accum (memory: none)")
    eval_batch_size: int | None = Field(None, ge=1, description="Evaluation micro-batch (memory: up); default: 4 x batch_size for ner and classify (no gradients), batch_size for sft")
    learning_rate: float = Field(5e-5, gt=0)
    head_learning_rate: float | None = Field(
        None, gt=0, description="Separate learning rate for the task head and CRF (seed 000: crf_learning_rate 5e-3)"
    )
    weight_decay: float = Field(0.01, ge=0)
    warmup_ratio: float = Field(0.0, ge=0, lt=1)
    lr_scheduler: Literal["linear", "cosine", "constant", "constant_with_warmup"] = "linear"
    max_seq_length: int = Field(128, ge=8, description="Tokens per sample after truncation (memory: up, linear to quadratic)")
    optimizer: Optimizer = Field("adamw", description="adamw keeps 2 fp32 states per trainable weight; 8-bit keeps 2 bytes; sgd none (memory: adamw > adamw_8bit > adafactor > sgd)")
    max_grad_norm: float = Field(1.0, ge=0)
    logging_steps: int | None = Field(
        None, ge=1, description="Log the loss every N steps; None: from the planned number of steps, about 150 points a run")
    eval_steps: int | None = Field(None, ge=1, description="Evaluate every N steps; None: once per epoch")
    save_steps: int | None = Field(None, ge=1, description="Save a checkpoint every N steps; None: once per epoch")
    save_total_limit: int | None = Field(3, ge=1, description="Keep at most N checkpoints (the best is always kept)")
    group_by_length: bool = Field(True, description="Batch samples of similar length together: less padding, faster")
    dynamic_padding: bool = Field(True, description="Pad each batch to its longest sample (rounded up to a multiple of 8) instead of max_seq_length (memory: down)")
    num_workers: int = Field(0, ge=0, description="Data loader processes (seed 001: 0 avoids extra RAM)")
    seed: int = 42


class MemorySection(_Section):
    precision: Precision = Field(
        "auto", description="auto: bf16 where supported, else fp16 on CUDA, else fp32 on CPU (fp16/bf16: memory down)"
    )
    gradient_checkpointing: bool = Field(False, description="Recompute activations in backward (memory: down ~30-50%, time: up ~20-30%)")
    freeze_layers: int = Field(0, ge=0, description="Freeze the embeddings and the first N encoder layers (memory: down: no grads or optimizer state for them)")
    load_in_4bit: bool = Field(False, description="QLoRA: NF4 4-bit weights via bitsandbytes, CUDA only (memory: down ~4x for weights)")
    load_in_8bit: bool = Field(False, description="8-bit weights via bitsandbytes, CUDA only (memory: down ~2x for weights)")
    cuda_alloc_conf: str | None = Field(
        "expandable_segments:True", description="PYTORCH_CUDA_ALLOC_CONF on CUDA; reduces fragmentation (seed 004 sets it by hand)"
    )


class LoraSection(_Section):
    enabled: bool = Field(False, description="Train low-rank adapters instead of all weights (memory: down: grads and optimizer only for adapters)")
    rank: int = Field(16, ge=1, description="Adapter rank (memory: up, small)")
    alpha: int = Field(32, ge=1)
    dropout: float = Field(0.05, ge=0, lt=1)
    target_modules: list[str] | Literal["auto"] = Field("auto", description="auto: the attention and MLP projections of the architecture")


class NerSection(_Section):
    use_crf: bool = True
    dropout: float = Field(0.1, ge=0, lt=1)


class ClassifySection(_Section):
    head: Literal["auto", "mlp"] = Field("auto", description="auto: AutoModelForSequenceClassification; mlp: encoder + pooling + MLP (seed 003)")
    pooling: Literal["mean", "cls"] = "mean"
    mlp_hidden: int = Field(256, ge=1)
    dropout: float = Field(0.1, ge=0, lt=1)


class SftSection(_Section):
    sample_prompt: str | None = Field(None, description="Prompt for the short generation sample written at each evaluation")
    sample_max_new_tokens: int = Field(32, ge=1)
    chat_template_fallback: Literal["simple", "error"] = Field(
        "simple", description="When the tokenizer has no chat template: 'simple' uses '<|role|>\\ncontent' turns, 'error' refuses"
    )


class GuardSection(_Section):
    enabled: bool = True
    sensors: bool = Field(True, description="Read the sensors at all; false stops the sampling thread (no guard, no hardware plots)")
    sample_interval_s: float = Field(0.5, gt=0)
    gpu_temp_pause_c: float = Field(85, description="Pause above this GPU temperature")
    gpu_temp_resume_c: float = Field(75, description="Resume below this GPU temperature")
    gpu_temp_stop_c: float = Field(92, description="Save and stop at this GPU temperature")
    vram_pause_frac: float = Field(0.95, gt=0, le=1, description="Pause when VRAM use exceeds this share (seed 001: < 95 %)")
    vram_resume_frac: float = Field(0.90, gt=0, le=1)
    ram_pause_frac: float = Field(0.90, gt=0, le=1, description="Pause when RAM use exceeds this share (seed 001: < 90 %)")
    ram_resume_frac: float = Field(0.85, gt=0, le=1)
    ram_stop_frac: float = Field(0.95, gt=0, le=1)
    battery_stop_pct: float = Field(20, ge=0, le=100, description="On battery below this charge: save and stop")
    warn_on_battery: bool = Field(True, description="Warn when the charger is unplugged (seed 004)")
    max_pause_minutes: float = Field(15, gt=0, description="A pause longer than this saves and stops")
    disk_warn_saves: float = Field(3.0, gt=0, description="Warn when the run's disk has room for fewer checkpoints than this")
    disk_pause_saves: float = Field(1.2, gt=0, description="Pause when the next checkpoint would not fit (free space / checkpoint size below this)")
    disk_resume_saves: float = Field(2.0, gt=0, description="Resume once the disk has room for this many checkpoints")

    @model_validator(mode="after")
    def _hysteresis(self) -> GuardSection:
        if self.gpu_temp_resume_c >= self.gpu_temp_pause_c:
            raise ValueError("gpu_temp_resume_c must be below gpu_temp_pause_c, or the run would pause and resume in a loop")
        if self.gpu_temp_stop_c < self.gpu_temp_pause_c:
            raise ValueError("gpu_temp_stop_c must be at or above gpu_temp_pause_c")
        if self.vram_resume_frac >= self.vram_pause_frac:
            raise ValueError("vram_resume_frac must be below vram_pause_frac")
        if self.ram_resume_frac >= self.ram_pause_frac:
            raise ValueError("ram_resume_frac must be below ram_pause_frac")
        if self.ram_stop_frac < self.ram_pause_frac:
            raise ValueError("ram_stop_frac must be at or above ram_pause_frac")
        if self.disk_resume_saves <= self.disk_pause_saves:
            raise ValueError("disk_resume_saves must be above disk_pause_saves, or the run would pause and resume in a loop")
        return self


class DeviceSection(_Section):
    gpu_id: int | None = Field(None, ge=0, description="Which GPU to train on (seed 003: GPU_ID); None: the one with the most free memory")
    use_cpu: bool = Field(False, description="Train on the CPU even when a GPU is present")
    cpu_threads: int | None = Field(
        None, ge=1, description="torch threads for a CPU run; None: on up to 4 physical cores, cores - 1 or all cores, "
                                "whichever the run measures faster now (it measures again when its steps slow down, e.g. "
                                "beside a busy program); above 4 cores, all but one; never more threads than cores")


class RequiresSection(_Section):
    min_vram_gb: float = Field(0, ge=0, description="Smallest GPU memory this preset is meant for (0: runs on CPU)")
    min_ram_gb: float = Field(0, ge=0)
    cuda: bool = Field(False, description="Needs an NVIDIA GPU with CUDA")
    bf16: bool = Field(False, description="Needs a GPU with bf16 (RTX 30xx or newer)")


class RunConfig(_Section):
    version: int = CONFIG_VERSION
    name: str = "custom"
    description: str = Field("", description="One line on what the preset is for and what it sets (English)")
    description_zh: str | None = Field(
        None, description="The same line in Simplified Chinese, shown by the Chinese app and by `laptune presets` under a "
                          "Chinese locale; without it they show the English description. Changes nothing in the run")
    tier: Literal["cpu", "low", "safe", "full", "demo"] | None = Field(
        None, description="Hardware tier (seed 001): low < 4 GB VRAM or < 8 GB RAM, safe 4-8 GB, full > 8 GB and > 16 GB RAM")
    variant_of: str | None = Field(None, description="Another preset this one varies (chosen only when that one does not fit)")
    task: Task
    model: ModelSection
    data: DataSection = DataSection()
    training: TrainingSection = TrainingSection()
    memory: MemorySection = MemorySection()
    lora: LoraSection = LoraSection()
    ner: NerSection = NerSection()
    classify: ClassifySection = ClassifySection()
    sft: SftSection = SftSection()
    guard: GuardSection = GuardSection()
    device: DeviceSection = DeviceSection()
    requires: RequiresSection = RequiresSection()

    @model_validator(mode="after")
    def _combinations(self) -> RunConfig:
        m = self.memory
        if m.load_in_4bit and m.load_in_8bit:
            raise ValueError("memory.load_in_4bit and memory.load_in_8bit are exclusive: choose one")
        if (m.load_in_4bit or m.load_in_8bit) and not self.lora.enabled:
            raise ValueError(
                "memory.load_in_4bit/8bit needs lora.enabled: true (quantised weights cannot be trained directly; QLoRA trains adapters)"
            )
        if (m.load_in_4bit or m.load_in_8bit) and not self.requires.cuda:
            raise ValueError("memory.load_in_4bit/8bit needs a CUDA GPU: set requires.cuda: true (bitsandbytes training is CUDA-only)")
        if self.lora.enabled and self.task != "sft":
            raise ValueError("lora.enabled is supported for task 'sft' only")
        if self.requires.bf16 and m.precision in ("fp16", "fp32"):
            raise ValueError(f"requires.bf16 is set but memory.precision is {m.precision}: set precision to bf16 or auto")
        return self

    @property
    def effective_batch(self) -> int:
        return self.training.batch_size * self.training.grad_accum


# Seed scripts' flag names (seeds 000-004) -> dotted config paths, so a seed command carries over.
ALIASES: dict[str, str] = {
    "batch_size": "training.batch_size",
    "per_device_train_batch_size": "training.batch_size",
    "bszperdev": "training.batch_size",
    "gradient_accumulation_steps": "training.grad_accum",
    "gradacc": "training.grad_accum",
    "grad_accum": "training.grad_accum",
    "max_seq_length": "training.max_seq_length",
    "max_length": "training.max_seq_length",
    "model_max_length": "training.max_seq_length",
    "num_epochs": "training.num_epochs",
    "num_train_epochs": "training.num_epochs",
    "max_steps": "training.max_steps",
    "learning_rate": "training.learning_rate",
    "lr": "training.learning_rate",
    "crf_learning_rate": "training.head_learning_rate",
    "head_learning_rate": "training.head_learning_rate",
    "warmup_ratio": "training.warmup_ratio",
    "weight_decay": "training.weight_decay",
    "logging_steps": "training.logging_steps",
    "save_steps": "training.save_steps",
    "eval_steps": "training.eval_steps",
    "seed": "training.seed",
    "optimizer": "training.optimizer",
    "optim": "training.optimizer",
    "dataloader_num_workers": "training.num_workers",
    "freeze_bert_layers": "memory.freeze_layers",
    "freeze_layers": "memory.freeze_layers",
    "gradient_checkpointing": "memory.gradient_checkpointing",
    "precision": "memory.precision",
    "use_4bit": "memory.load_in_4bit",
    "load_in_4bit": "memory.load_in_4bit",
    "lora_rank": "lora.rank",
    "lora_r": "lora.rank",
    "lora_alpha": "lora.alpha",
    "lora_dropout": "lora.dropout",
    "max_rounds": "data.max_rounds",
    "model_name_or_path": "model.name_or_path",
    "model_name": "model.name_or_path",
    "model": "model.name_or_path",
    "data_path": "data.train",
    "train": "data.train",
    "eval": "data.eval",
    "trust_remote_code": "model.trust_remote_code",
    "gpu_id": "device.gpu_id",
    "use_cpu": "device.use_cpu",
    "cpu_threads": "device.cpu_threads",
    "num_threads": "device.cpu_threads",
    "init_from_scratch": "model.init_from_scratch",
}

# Flags that set precision rather than a field of their own (seed scripts pass --fp16 / --bf16).
PRECISION_FLAGS = {"fp16": "fp16", "bf16": "bf16", "use_amp": "fp16", "fp32": "fp32"}
