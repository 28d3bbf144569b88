"""merged: LoRA/QLoRA adapters merged into the base weights, saved in fp16/bf16 (or fp32), so that
`AutoModelForCausalLM.from_pretrained(folder)` loads it without peft or bitsandbytes.

The base model is loaded unquantised for the merge (a QLoRA run trained on 4-bit weights, but its
adapters apply to the real weights), so the merge needs the base model's size in RAM at the chosen
precision: that is estimated from config.json and checked before anything is loaded.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core.use.export_common import ExportError, ExportSource, Job, free_ram_bytes

DTYPE_BYTES = {"f32": 4, "f16": 2, "bf16": 2}
OVERHEAD_BYTES = 512 * 2**20   # Python, torch and transformers themselves


def torch_dtype(name: str) -> Any:
    import torch

    return {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}[name]


def default_dtype(config: dict[str, Any]) -> str:
    """The base model's own half precision when it has one (Qwen ships bf16), else fp16."""
    stored = str(config.get("dtype") or config.get("torch_dtype") or "")
    return "bf16" if "bfloat16" in stored else "f16"


def count_params(config: dict[str, Any]) -> int:
    from core.memory.model_arch import ModelConfigError, parse_arch

    try:
        return parse_arch(config).params("causal")
    except (ModelConfigError, KeyError, ValueError, TypeError) as exc:
        raise ExportError(f"cannot read the model's size from its config.json: {exc}",
                          fix="export a model of a family LapTune knows (Llama, Qwen2, ...)") from exc


def ram_needed(config: dict[str, Any], dtype: str) -> int:
    """Bytes of RAM the merge needs: the base weights at `dtype`, a quarter more for the adapters, the
    merge's temporary products and safetensors' write buffers, plus the libraries."""
    return int(count_params(config) * DTYPE_BYTES[dtype] * 1.25) + OVERHEAD_BYTES


def check_ram(config: dict[str, Any], dtype: str, available: int | None = None) -> int:
    need = ram_needed(config, dtype)
    have = free_ram_bytes() if available is None else available
    if need > have:
        smaller = " or choose f16/bf16 instead of f32" if dtype == "f32" else ""
        raise ExportError(f"merging needs about {need / 2**30:.1f} GiB of free RAM, {have / 2**30:.1f} GiB is free "
                          f"(the base model is loaded unquantised at {dtype})",
                          fix=f"close other programs{smaller}, or export on a computer with more RAM")
    return need


def load_merged(source: ExportSource, dtype: str, job: Job, start: float = 0.0, end: float = 1.0) -> Any:
    """The model with the adapters merged in (or the fully fine-tuned model), on the CPU, at `dtype`."""
    from transformers import AutoModelForCausalLM

    cfg = source.run_yaml.get("config", {})
    trust = bool(cfg.get("model", {}).get("trust_remote_code", False))
    span = end - start
    if not source.is_adapter:
        job.step(start, f"loading {source.folder.name}")
        model = _from_pretrained(AutoModelForCausalLM, source.folder, dtype, trust)
        job.step(end, "model loaded")
        return model
    if not source.base_model:
        raise ExportError(f"{source.folder / 'adapter_config.json'} does not name its base model",
                          fix="set base_model_name_or_path in adapter_config.json to the base model's folder")
    from core.train.modeling import has_weights

    if Path(source.base_model).is_dir() and not has_weights(Path(source.base_model)) and source.resolved is not None:
        # A base initialised from scratch (the demos): core/use/load.py rebuilds it from the run's seed.
        from core.use.load import load_for_inference

        job.step(start, "rebuilding the from-scratch base model from the run's seed and merging")
        model = load_for_inference(source.resolved, "cpu", merge=True).model
        model.to(torch_dtype(dtype))
        job.step(end, "merged")
        return model
    job.step(start, f"loading the base model {source.base_model} ({dtype}, unquantised)")
    base = _from_pretrained(AutoModelForCausalLM, source.base_model, dtype, trust)
    job.step(start + span * 0.6, "applying the adapters")
    from peft import PeftModel

    model = PeftModel.from_pretrained(base, str(source.folder), torch_device="cpu")
    job.step(start + span * 0.8, "merging the adapters into the weights")
    model = model.merge_and_unload()
    model.to(torch_dtype(dtype))   # adapters are kept in fp32 by peft; the merged weights take the base's dtype
    job.step(end, "merged")
    return model


def _from_pretrained(auto_cls: Any, path: Path | str, dtype: str, trust: bool) -> Any:
    try:
        model = auto_cls.from_pretrained(str(path), dtype=torch_dtype(dtype), device_map="cpu", trust_remote_code=trust)
    except (OSError, ValueError) as exc:
        raise ExportError(f"cannot load the model from {path}: {exc}",
                          fix="make sure the base model's folder still exists (or is in the model cache)") from exc
    model.eval()
    return model


def save_model(model: Any, tokenizer_src: Path | str, dest: Path, job: Job) -> None:
    """save_pretrained in safetensors, the tokenizer (with its chat template) beside it, and no
    quantization_config (a merged model is plain weights)."""
    from transformers import AutoTokenizer

    job.check()
    if getattr(model.config, "quantization_config", None) is not None:
        del model.config.quantization_config
    model.config.use_cache = True   # training turned the KV cache off; inference wants it
    model.save_pretrained(dest)
    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_src))
    tokenizer.save_pretrained(dest)
    _strip_quantization(dest / "config.json")


def _strip_quantization(config_file: Path) -> None:
    data = json.loads(config_file.read_text(encoding="utf-8"))
    if data.pop("quantization_config", None) is not None:
        config_file.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def export_merged(source: ExportSource, dest: Path, dtype: str | None, job: Job,
                  available_ram: int | None = None) -> dict[str, Any]:
    """Writes the merged model into `dest` (a staged folder). Returns what the result reports."""
    if source.task != "sft":
        raise ExportError(f"merged export is for chat (SFT) runs; this run's task is {source.task}",
                          fix="use --format hf for NER and classification runs")
    config = source.model_config()
    dtype = dtype or default_dtype(config)
    if dtype not in DTYPE_BYTES:
        raise ExportError(f"merged models are saved in f32, f16 or bf16, not {dtype}",
                          fix="use --quant f16 or bf16 (q8_0 is for --format gguf)")
    need = check_ram(config, dtype, available_ram)
    model = load_merged(source, dtype, job, 0.0, 0.7)
    job.step(0.75, f"saving the merged model ({dtype})")
    save_model(model, source.tokenizer_folder(), dest, job)
    job.step(1.0, "merged model saved")
    return {"dtype": dtype, "ram_estimate_bytes": need, "adapter": source.is_adapter}
