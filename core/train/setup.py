"""Setting one run up: the device and precision, the task's model and data, and the TrainingArguments.

Used by the session and by the probe (a few real steps before the run), so neither imports the other.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.config.schema import RunConfig


class SessionError(ValueError):
    def __init__(self, message: str, fix: str | None = None) -> None:
        self.message, self.fix = message, fix
        super().__init__(f"{message} Fix: {fix}" if fix else message)


@dataclass
class Device:
    kind: str                 # "cuda" | "cpu"
    gpu_index: int | None
    precision: str            # "fp32" | "fp16" | "bf16"
    reason: str


def choose_device(cfg: RunConfig, hardware: Any = None) -> Device:
    import torch

    if cfg.device.use_cpu or not torch.cuda.is_available():
        why = "use_cpu is set" if cfg.device.use_cpu else "no CUDA GPU is available to PyTorch"
        return Device("cpu", None, cpu_precision(cfg, why), f"training runs on the CPU: {why}")
    from core.machine.hardware import choose_gpu, probe

    gpu, reason = choose_gpu(hardware or probe(), cfg.device.gpu_id)
    index = gpu.index if gpu is not None else 0
    precision = cfg.memory.precision
    if precision == "auto":
        precision = "bf16" if torch.cuda.is_bf16_supported() else "fp16"
    elif precision == "bf16" and not torch.cuda.is_bf16_supported():
        raise SessionError("memory.precision is bf16 but this GPU has no bf16 (it arrived with RTX 30xx)",
                           fix="set precision to fp16 or auto")
    return Device("cuda", index, precision, reason)


CPU_BF16_TASKS = ("ner", "classify")


def cpu_precision(cfg: RunConfig, why: str) -> str:
    """fp32, or bf16 autocast on a CPU with native bf16 dot products (core/train/cpu_speed.py).

    `auto` picks bf16 there for the encoder tasks (~2x faster steps at equal F1/accuracy, docs/benchmarks.md);
    an SFT run on the CPU stays fp32 (its weights would load in bf16). fp16 has no fast CPU kernels."""
    from core.train.cpu_speed import cpu_bf16_supported

    wanted = cfg.memory.precision
    native = cfg.task in CPU_BF16_TASKS and cpu_bf16_supported()
    if wanted in ("fp32", "auto"):
        return "bf16" if wanted == "auto" and native else "fp32"
    if wanted == "bf16" and native:
        return "bf16"
    what = ("fp16 is for CUDA GPUs" if wanted == "fp16" else f"{cfg.task} runs in fp32 on the CPU"
            if cfg.task not in CPU_BF16_TASKS else "this CPU has no native bf16 (AVX512-BF16 or AMX)")
    raise SessionError(f"memory.precision is {wanted} but training runs on the CPU ({why}): {what}",
                       fix="set precision to fp32 or auto (--set precision=auto), or pick a CPU preset")


def default_cpu_threads(physical: int | None = None, usable: int | None = None) -> int:
    """All physical cores but one, never more than the CPUs this process may run on, at least 1: the count a
    CPU run starts with (on up to 4 cores the run then measures whether all cores are faster now:
    core/train/cpu_threads.py).

    torch's default is every physical core; its OpenMP threads spin while they wait for each other, so
    beside any other CPU-bound program (the desktop, a browser, another run) each step waits for the
    slowest, descheduled thread. On a 2-core machine (bench/threads.py, half an epoch of a small NER run):
    two threads took 14.6 s alone and 32.6 s beside one busy program; one thread 16.9 s and 17.0 s.
    So a run starts with one core left free, and uses the last one only where its own steps show that it
    helps now (docs/benchmarks.md has the numbers)."""
    from core.train.cpu_threads import thread_candidates

    return thread_candidates(physical, usable)[0]


def apply_cpu_threads(cfg: RunConfig, device: Device) -> int | None:
    """Set torch's intra-op threads for a CPU run (device.cpu_threads, or the default above); returns the count."""
    if device.kind != "cpu":
        return None
    import torch

    threads = cfg.device.cpu_threads or default_cpu_threads()
    torch.set_num_threads(threads)
    return threads


def _prepare_cuda(cfg: RunConfig, device: Device) -> None:
    import torch

    if cfg.memory.cuda_alloc_conf and "PYTORCH_CUDA_ALLOC_CONF" not in os.environ:
        # Fewer fragmentation OOMs on small cards (seed 004 set allocator options by hand).
        os.environ["PYTORCH_CUDA_ALLOC_CONF"] = cfg.memory.cuda_alloc_conf
    if device.gpu_index is not None and int(os.environ.get("WORLD_SIZE", "1")) == 1:
        torch.cuda.set_device(device.gpu_index)


def build_task(cfg: RunConfig, device: Device, preset_dir: Path | None, fixed_padding: bool = False):
    import torch

    from core.train.modeling import check_model_source, resolve_model_path

    path = resolve_model_path(cfg.model.name_or_path, preset_dir)
    check_model_source(cfg, path)
    if cfg.task in ("ner", "classify"):
        if cfg.task == "ner":
            from core.train.tasks.ner_crf import build
        else:
            from core.train.tasks.classify import build
        bundle = build(cfg, path, preset_dir, fixed_padding)
        if device.kind == "cpu":
            from core.train.cpu_speed import speed_up

            bundle.notes.extend(speed_up(bundle.model))
        return bundle
    from core.train.tasks.causal_sft import build

    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(device.precision, torch.float32)
    return build(cfg, path, preset_dir, fixed_padding, device=device.kind, compute_dtype=dtype)


def eval_batch_size(cfg: RunConfig) -> int:
    """training.eval_batch_size, or by default 4x the micro-batch for the encoder tasks: evaluation keeps no
    activations for backward and no gradients, so it fits where training does (an OOM while evaluating
    halves the eval batch only, core/train/trainer.py). SFT keeps the micro-batch: its eval logits span the
    vocabulary, as in training."""
    t = cfg.training
    if t.eval_batch_size:
        return t.eval_batch_size
    return t.batch_size * 4 if cfg.task in ("ner", "classify") else t.batch_size


OPTIMIZERS = {"adamw": "adamw_torch", "adamw_8bit": "adamw_bnb_8bit", "paged_adamw_8bit": "paged_adamw_8bit",
              "adafactor": "adafactor", "sgd": "sgd"}


def optimizer_name(cfg: RunConfig, device: Device) -> str:
    """Trainer's optimizer for training.optimizer on this device.

    On the CPU, "adamw" is torch's fused AdamW: one kernel for all weights instead of a Python loop over
    them (Trainer's "adamw_torch" on the CPU): 0.6 ms instead of 5.3 ms a step for a 2-layer BERT on one
    core, ~10 % of a small model's step (docs/benchmarks.md). Same update rule and state. On CUDA it stays
    the foreach AdamW the memory estimator models (core/memory/terms.py, its step temporary)."""
    name = OPTIMIZERS[cfg.training.optimizer]
    return "adamw_torch_fused" if name == "adamw_torch" and device.kind == "cpu" else name


def planned_steps(cfg: RunConfig, n_train: int) -> int:
    """Optimizer steps the run will take (one process): max_steps, or epochs x steps per epoch."""
    t = cfg.training
    if t.max_steps > 0:
        return t.max_steps
    per_epoch = max(1, math.ceil(math.ceil(max(n_train, 1) / t.batch_size) / t.grad_accum))
    return max(1, math.ceil(t.num_epochs * per_epoch))


def logging_interval(cfg: RunConfig, n_train: int) -> int:
    """training.logging_steps, or (unset) about 150 points a run: every step of a short run, at most every 50."""
    if cfg.training.logging_steps:
        return cfg.training.logging_steps
    return max(1, min(50, round(planned_steps(cfg, n_train) / 150)))


def training_arguments(cfg: RunConfig, device: Device, output_dir: Path, bundle: Any):
    from transformers import TrainingArguments

    t = cfg.training
    has_eval = bundle.eval_dataset is not None
    eval_strategy = ("steps" if t.eval_steps else "epoch") if has_eval else "no"
    return TrainingArguments(
        output_dir=str(output_dir),
        per_device_train_batch_size=t.batch_size,
        per_device_eval_batch_size=eval_batch_size(cfg),
        gradient_accumulation_steps=t.grad_accum,
        learning_rate=t.learning_rate,
        weight_decay=t.weight_decay,
        warmup_steps=t.warmup_ratio,           # a float in [0, 1) is a ratio in transformers 5
        lr_scheduler_type=t.lr_scheduler,
        num_train_epochs=t.num_epochs,
        max_steps=t.max_steps,
        max_grad_norm=t.max_grad_norm,
        optim=optimizer_name(cfg, device),
        logging_steps=logging_interval(cfg, len(bundle.train_dataset)),
        logging_nan_inf_filter=False,          # a NaN must show, not be averaged away
        eval_strategy=eval_strategy,
        eval_steps=t.eval_steps,
        save_strategy="steps" if t.save_steps else "epoch",
        save_steps=t.save_steps or 500,
        save_total_limit=t.save_total_limit,
        metric_for_best_model=bundle.metric_for_best if has_eval else None,
        greater_is_better=bundle.greater_is_better if has_eval else None,
        seed=t.seed,
        fp16=device.precision == "fp16",
        bf16=device.precision == "bf16",
        use_cpu=device.kind == "cpu",
        dataloader_num_workers=t.num_workers,
        dataloader_pin_memory=False,           # seed 002: pinned host memory competes with a small RAM
        remove_unused_columns=False,           # our collators pass task-specific keys (word_starts, ...)
        label_names=bundle.label_names,
        report_to=[],
        disable_tqdm=True,                     # the CLI and the GUI show their own progress
        ddp_find_unused_parameters=False if int(os.environ.get("WORLD_SIZE", "1")) > 1 else None,
    )
