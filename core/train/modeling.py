"""Finding and loading models: hub ids and local folders, with errors a person can act on.

Rules (issue 3): a folder with a config but no weights trains from scratch only when the preset says
`init_from_scratch: true`; a model whose config asks for its own Python code (`auto_map`) is refused
unless `trust_remote_code` is set explicitly; a hub id that cannot be reached says how to get it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core.config.schema import RunConfig
from core.config.paths import resource_path

WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json", "pytorch_model.bin.index.json",
                "adapter_model.safetensors")


class ModelError(ValueError):
    def __init__(self, message: str, fix: str | None = None) -> None:
        self.message, self.fix = message, fix
        super().__init__(f"{message} Fix: {fix}" if fix else message)


def resolve_model_path(name_or_path: str, preset_dir: Path | None = None) -> str:
    """A local folder (relative to the preset's folder, then the working folder) or the hub id unchanged."""
    candidates = [Path(name_or_path).expanduser()]
    if preset_dir is not None and not Path(name_or_path).is_absolute():
        candidates.insert(0, preset_dir / name_or_path)
    for cand in candidates:
        if cand.is_dir():
            return str(cand.resolve())
    looks_local = name_or_path.startswith((".", "/", "~")) or "\\" in name_or_path or name_or_path.count("/") > 1
    if looks_local:
        raise ModelError(f"model folder '{name_or_path}' does not exist", fix="check model.name_or_path or --model")
    return name_or_path


def has_weights(folder: Path) -> bool:
    return any((folder / name).exists() for name in WEIGHT_FILES) or any(folder.glob("model-*.safetensors"))


def read_model_config(path: str, cfg: RunConfig | None = None) -> dict[str, Any]:
    """config.json of a local folder, else the preset's bundled copy, else the local HF cache (no network)."""
    folder = Path(path)
    if folder.is_dir():
        file = folder / "config.json"
        if not file.exists():
            raise ModelError(f"no config.json in {folder}", fix="point model.name_or_path at a folder saved with save_pretrained")
        return json.loads(file.read_text(encoding="utf-8"))
    if cfg is not None and cfg.model.config_file:
        bundled = resource_path("model_configs", cfg.model.config_file)
        if bundled.exists():
            return json.loads(bundled.read_text(encoding="utf-8"))
    try:
        from huggingface_hub import hf_hub_download

        return json.loads(Path(hf_hub_download(path, "config.json")).read_text(encoding="utf-8"))
    except Exception as exc:  # network, auth, missing repo: all mean "cannot read it from here"
        raise ModelError(f"cannot read the config of '{path}' ({type(exc).__name__})",
                         fix="connect once to download it, or give a local folder") from exc


def check_model_source(cfg: RunConfig, path: str) -> None:
    folder = Path(path)
    if folder.is_dir():
        if not (folder / "config.json").exists():
            raise ModelError(f"no config.json in {folder}", fix="point model.name_or_path at a folder saved with save_pretrained")
        if not has_weights(folder) and not cfg.model.init_from_scratch:
            raise ModelError(f"no weights in {folder} (no model.safetensors or pytorch_model.bin)",
                             fix="copy the weights into the folder, or set model.init_from_scratch: true to train from random weights")
    try:
        config = read_model_config(path, cfg)
    except ModelError:
        return  # a hub id whose config we cannot read offline: from_pretrained will say more
    if config.get("auto_map") and not cfg.model.trust_remote_code:
        raise ModelError(
            f"'{path}' ships its own Python code (auto_map in config.json, model_type '{config.get('model_type')}'), "
            "which would run on this computer with your permissions",
            fix="if you trust its source, set model.trust_remote_code: true (or tick 'trust remote code' in the wizard)")


def hub_error(path: str, exc: Exception) -> ModelError:
    return ModelError(f"could not load '{path}': {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
                      fix="check the name, connect to the internet once so it is cached, or download it and give the folder")


def load_tokenizer(path: str, cfg: RunConfig):
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(path, trust_remote_code=cfg.model.trust_remote_code)
    except (OSError, ValueError) as exc:
        raise hub_error(path, exc) from exc


def load_config(path: str, cfg: RunConfig, **kwargs: Any):
    from transformers import AutoConfig

    try:
        return AutoConfig.from_pretrained(path, trust_remote_code=cfg.model.trust_remote_code, **kwargs)
    except (OSError, ValueError) as exc:
        raise hub_error(path, exc) from exc


def load_pretrained(auto_cls: Any, path: str, cfg: RunConfig, config: Any = None, **kwargs: Any):
    """from_pretrained, or from_config with random weights when the preset asks for it.

    Weights load in fp32 unless the caller asks otherwise: transformers 5 would keep a checkpoint's
    bf16, and mixed precision needs fp32 master weights or small AdamW updates are rounded away.
    """
    import torch

    kwargs.setdefault("dtype", torch.float32)
    trust = cfg.model.trust_remote_code
    if cfg.model.init_from_scratch and (not Path(path).is_dir() or not has_weights(Path(path))):
        config = config or load_config(path, cfg)
        kwargs.pop("quantization_config", None)
        dtype = kwargs.pop("dtype", None)
        model = auto_cls.from_config(config, trust_remote_code=trust)
        return model.to(dtype) if dtype is not None else model
    try:
        if config is not None:
            kwargs["config"] = config
        return auto_cls.from_pretrained(path, trust_remote_code=trust, **kwargs)
    except (OSError, ValueError) as exc:
        raise hub_error(path, exc) from exc


def layer_list(model: Any):
    """The stack of transformer blocks of an encoder or decoder, whatever the family calls it."""
    for attr in ("encoder.layer", "layers", "model.layers", "transformer.h", "h", "encoder.layers"):
        obj = model
        try:
            for part in attr.split("."):
                obj = getattr(obj, part)
        except AttributeError:
            continue
        return obj
    return None


def freeze_lower_layers(model: Any, n: int) -> int:
    """Freeze the embeddings and the first n blocks (seed 000: freeze_bert_layers 10). Returns blocks frozen."""
    if n <= 0:
        return 0
    layers = layer_list(model)
    if layers is None:
        raise ModelError("cannot find the transformer layers of this model to freeze", fix="set memory.freeze_layers: 0")
    if n > len(layers):
        raise ModelError(f"freeze_layers is {n} but the model has {len(layers)} layers", fix=f"use at most {len(layers)}")
    embeddings = getattr(model, "embeddings", None) or getattr(model, "embed_tokens", None)
    if embeddings is not None:
        embeddings.requires_grad_(False)
    for block in list(layers)[:n]:
        block.requires_grad_(False)
    return n
