"""`laptune estimate`: the peak memory of a run, from flags or a preset, as a table or as JSON.

    laptune estimate --model bert-base-chinese --task ner --batch-size 8 --seq-len 64 --freeze-layers 10
    laptune estimate --preset qlora-qwen-7b-16gb --seq-len 2048 --json --budget-gb 16

With --preset every setting comes from the preset (after .env and environment overrides, as `train`
resolves it) and the flags given alongside override it. Nothing is downloaded: the model's config.json
comes from a local folder or file, the preset's bundled config or the Hugging Face cache.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from typing import Any

from core.memory.estimate import Estimate, estimate, settings_from_config
from core.memory.terms import GIB, OPTIMIZERS, PRECISIONS, TASKS, EstimateSettings
from core.memory.model_arch import ModelConfigError, load_model_config

# Flags that map onto RunConfig fields when a preset is given (dotted path, flag attribute).
_PRESET_FIELDS = (
    ("training.batch_size", "batch_size"), ("training.max_seq_length", "seq_len"),
    ("memory.precision", "precision"), ("training.optimizer", "optimizer"), ("training.grad_accum", "grad_accum"),
    ("memory.gradient_checkpointing", "gradient_checkpointing"), ("memory.freeze_layers", "freeze_layers"),
    ("memory.load_in_4bit", "load_in_4bit"), ("memory.load_in_8bit", "load_in_8bit"), ("ner.use_crf", "crf"),
)


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `estimate` subcommand; its handler (args.func) returns the exit code."""
    p = subparsers.add_parser(
        "estimate", help="estimate the peak GPU memory (or RAM) of a training run",
        description="Estimate the peak GPU memory of a training run (RAM with --device cpu) from the model's "
                    "config.json, without loading weights or using the network.")
    src = p.add_argument_group("what to estimate")
    src.add_argument("--preset", help="take every setting from this preset (name or YAML path); flags override it")
    src.add_argument("--model", help="hub id, local model folder or config.json")
    src.add_argument("--task", choices=TASKS)
    run = p.add_argument_group("run settings")
    run.add_argument("--batch-size", type=int, help="micro-batch per step")
    run.add_argument("--seq-len", type=int, help="tokens per sample (max_seq_length)")
    run.add_argument("--precision", choices=PRECISIONS, help="fp16/bf16: mixed precision over fp32 weights")
    run.add_argument("--optimizer", choices=OPTIMIZERS)
    run.add_argument("--grad-accum", type=int, help="gradient accumulation steps (moves no memory)")
    run.add_argument("--gradient-checkpointing", action=argparse.BooleanOptionalAction, default=None)
    run.add_argument("--freeze-layers", type=int, help="freeze the embeddings and the first N layers")
    run.add_argument("--lora-rank", type=int, help="train LoRA adapters of this rank (0: no LoRA)")
    run.add_argument("--load-in-4bit", action=argparse.BooleanOptionalAction, default=None, help="QLoRA (needs LoRA)")
    run.add_argument("--load-in-8bit", action=argparse.BooleanOptionalAction, default=None)
    run.add_argument("--crf", action=argparse.BooleanOptionalAction, default=None, help="NER: a CRF head")
    run.add_argument("--num-labels", type=int, help="labels of the classifier (default: 9 for ner, 2 for classify)")
    run.add_argument("--attn", choices=("sdpa", "eager"), help="attention implementation (default sdpa)")
    run.add_argument("--device", choices=("cuda", "cpu"),
                     help="cpu: estimate RAM for CPU training (default: cuda, or cpu for a CPU-tier preset)")
    out = p.add_argument_group("output")
    out.add_argument("--json", action="store_true",
                     help='print {"peak_bytes", "breakdown", "fits", "budget_bytes"}')
    out.add_argument("--budget-gb", type=float, help="memory available, in GiB: say whether the run fits")
    p.set_defaults(func=handle)
    return p


class _UsageError(ValueError):
    pass


def handle(args: argparse.Namespace) -> int:
    try:
        est = _estimate(args)
    except (ModelConfigError, ValueError) as exc:  # PresetError is a ValueError too
        message = " ".join(str(exc).split())
        print(f"laptune estimate: error: {message}", file=sys.stderr)
        return 2
    budget = None if args.budget_gb is None else int(args.budget_gb * GIB)
    if args.json:
        print(json.dumps(est.to_dict(budget)))
        return 0
    for line in est.lines():
        print(line)
    if budget is not None:
        verdict = "fits" if est.peak_bytes <= budget else "does NOT fit"
        print(f"Budget {args.budget_gb:g} GiB: {verdict}")
    return 0


def _estimate(args: argparse.Namespace) -> Estimate:
    if args.budget_gb is not None and args.budget_gb <= 0:
        raise _UsageError("--budget-gb must be positive")
    if args.preset:
        settings, model_config = _from_preset(args)
    else:
        missing = [flag for flag, value in (("--model", args.model), ("--task", args.task),
                                            ("--batch-size", args.batch_size), ("--seq-len", args.seq_len))
                   if value is None]
        if missing:
            raise _UsageError(f"{', '.join(missing)} required without --preset (or give --preset NAME)")
        model_config = load_model_config(args.model)
        settings = EstimateSettings(
            task=args.task, batch_size=args.batch_size, seq_len=args.seq_len, precision=args.precision or "auto",
            optimizer=args.optimizer or "adamw", grad_accum=args.grad_accum or 1,
            gradient_checkpointing=bool(args.gradient_checkpointing), freeze_layers=args.freeze_layers or 0,
            lora_rank=args.lora_rank or None, load_in_4bit=bool(args.load_in_4bit),
            load_in_8bit=bool(args.load_in_8bit), use_crf=bool(args.crf) if args.crf is not None else args.task == "ner",
            device=args.device or "cuda")
    extra: dict[str, Any] = {}
    if args.num_labels is not None:
        extra["num_labels"] = args.num_labels
    if args.attn is not None:
        extra["attn_implementation"] = args.attn
    return estimate(model_config, replace(settings, **extra) if extra else settings)


def _from_preset(args: argparse.Namespace) -> tuple[EstimateSettings, dict[str, Any]]:
    from core.config.presets import config_from_dict, resolve  # PyYAML and pydantic only when a preset is asked for

    resolved = resolve(args.preset)
    data = resolved.config.model_dump(mode="python")
    for dotted, attr in _PRESET_FIELDS:
        value = getattr(args, attr)
        if value is not None:
            section, key = dotted.split(".")
            data[section][key] = value
    if args.task is not None:
        data["task"] = args.task
    if args.lora_rank is not None:
        data["lora"]["enabled"] = args.lora_rank > 0
        if args.lora_rank > 0:
            data["lora"]["rank"] = args.lora_rank
    if args.load_in_4bit or args.load_in_8bit:
        data["requires"]["cuda"] = True  # asked for explicitly: the estimate is for a CUDA run
    if args.model is not None:
        data["model"]["name_or_path"] = args.model
        data["model"]["config_file"] = None  # the preset's bundled config describes its own model
    cfg = config_from_dict(data, file=str(resolved.preset_path))
    base = resolved.preset_path.parent if resolved.preset_path else None  # model folders relative to the preset
    device = args.device or ("cpu" if cfg.tier == "cpu" else "cuda")
    return settings_from_config(cfg, device), load_model_config(cfg.model.name_or_path, cfg.model.config_file, base)
