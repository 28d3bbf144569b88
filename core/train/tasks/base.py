"""What every task family hands the session: model, data, collator, metrics, and how to save."""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch
from torch.utils.data import Dataset

from core.config.schema import RunConfig
from core.data import DataError, read_examples


class ListDataset(Dataset):
    """Pre-tokenised features; `lengths` feeds the length-grouped sampler."""

    def __init__(self, features: list[dict[str, Any]]) -> None:
        self.features = features
        self.lengths = [len(f["input_ids"]) for f in features]

    def __len__(self) -> int:
        return len(self.features)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return self.features[index]


def by_length(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Evaluation features, longest first: each eval batch then holds similar lengths and little padding
    (predictions and labels travel together, so the metrics do not depend on the order)."""
    return sorted(features, key=lambda f: -len(f["input_ids"]))


@dataclass
class TaskBundle:
    model: torch.nn.Module
    tokenizer: Any
    train_dataset: ListDataset
    eval_dataset: ListDataset | None
    collator: Callable[[list[dict[str, Any]]], dict[str, torch.Tensor]]
    compute_metrics: Callable[[Any], dict[str, float]] | None
    preprocess_logits_for_metrics: Callable[[Any, Any], Any] | None
    metric_for_best: str                    # e.g. "eval_f1"; "eval_loss" for SFT
    greater_is_better: bool
    save_final: Callable[[Path], None]
    head_parameters: Callable[[], list[torch.nn.Parameter]] = lambda: []   # get the separate (CRF/head) learning rate
    notes: list[str] = field(default_factory=list)
    label_names: list[str] = field(default_factory=lambda: ["labels"])
    generate_sample: Callable[[], str | None] | None = None


def data_path(cfg: RunConfig, which: str, preset_dir: Path | None) -> Path | None:
    value = getattr(cfg.data, which)
    if value is None:
        return None
    path = Path(value).expanduser()
    if not path.is_absolute() and preset_dir is not None and (preset_dir / path).exists():
        return (preset_dir / path).resolve()
    return path


def load_split(cfg: RunConfig, preset_dir: Path | None, **reader_kwargs: Any) -> tuple[list, list]:
    """Training and evaluation examples; with no eval file, hold out eval_fraction of train (seeded)."""
    train_path = data_path(cfg, "train", preset_dir)
    if train_path is None:
        raise DataError("no training data given", field="data.train", fix="pass --data FILE or set data.train in the preset")
    fmt = None if cfg.data.format == "auto" else cfg.data.format
    train = read_examples(cfg.task, train_path, format=fmt, **reader_kwargs)
    eval_path = data_path(cfg, "eval", preset_dir)
    if eval_path is not None:
        return train, read_examples(cfg.task, eval_path, format=fmt, **reader_kwargs)
    if cfg.data.eval_fraction <= 0 or len(train) < 10:
        return train, []
    shuffled = list(train)
    random.Random(cfg.training.seed).shuffle(shuffled)
    n_eval = max(1, int(len(shuffled) * cfg.data.eval_fraction))
    return shuffled[n_eval:], shuffled[:n_eval]


def max_length(cfg: RunConfig, tokenizer: Any) -> int:
    model_max = getattr(tokenizer, "model_max_length", None) or 10**9
    return min(cfg.training.max_seq_length, model_max if model_max < 10**8 else 10**9)


def pad_1d(seqs: list[list[int]], value: int, length: int | None = None, multiple: int = 1,
           cap: int | None = None) -> torch.Tensor:
    """Rows padded with `value` to `length`, or to the longest row rounded up to a multiple of `multiple`
    (but not past `cap`, nor below the longest row)."""
    if length is None:
        longest = max((len(s) for s in seqs), default=0)
        length = -(-longest // multiple) * multiple
        if cap is not None:
            length = max(min(length, cap), longest)
    length = max(length, 1)
    # Each row copied into a numpy array filled with the padding value: ~4x as fast as one flat Python list
    # made into a tensor (a NER batch's six fields: 0.12 vs 0.48 ms), and that ~15x as fast as a tensor a row.
    out = np.full((len(seqs), length), value, dtype=np.int64)
    for row, seq in zip(out, seqs):
        row[:len(seq)] = seq
    return torch.from_numpy(out)


TOKEN_KEYS = ("input_ids", "attention_mask", "token_type_ids")


def pad_multiple(limit: int) -> int:
    """What dynamic padding rounds a batch's length up to: 8 up to 256 tokens, then 8 per 256 more.

    Every new batch length is a new set of matrix shapes, and on the CPU oneDNN builds (JIT-compiles) a
    kernel for each new shape of a bf16 product, ~0.6-2 ms each, keeping 1024 of them: a NER run whose
    batches took every length from 1 to 64 built ~2900 of them (its cache overflowed), ~4 s of a 36 s run
    on an AMX CPU; lengths in steps of 8 built ~340, once (docs/benchmarks.md, eighth round). At most ~32
    lengths per limit keeps longer limits inside that cache too; 8 is also what tensor cores like on GPUs.
    The padding added (under `multiple` tokens a batch) is masked out of attention and losses."""
    return 8 * max(1, -(-limit // 256))


def pad_batch(features: list[dict[str, Any]], pad_id: int, fixed_length: int | None,
              pad_values: dict[str, int] | None = None, fixed_keys: tuple[str, ...] = TOKEN_KEYS,
              limit: int | None = None) -> dict[str, torch.Tensor]:
    """Pad every list field to the longest in the batch (dynamic padding; the per-token fields in
    `fixed_keys` rounded up to `pad_multiple(limit)`, never past `limit`) or, for the fields in
    `fixed_keys`, to fixed_length (the seeds' way). Other list fields (NER's per-word fields) are padded
    to their own longest."""
    pad_values = {"input_ids": pad_id, "labels": -100, **(pad_values or {})}
    multiple = pad_multiple(limit) if limit else 1
    batch: dict[str, torch.Tensor] = {}
    for key in features[0]:
        values = [f[key] for f in features]
        if isinstance(values[0], list):
            if key in fixed_keys:
                batch[key] = pad_1d(values, pad_values.get(key, 0), fixed_length, multiple, limit)
            else:
                batch[key] = pad_1d(values, pad_values.get(key, 0))
        else:
            batch[key] = torch.tensor(values)
    return batch


POOLER_FAMILIES = ("bert", "roberta", "xlm-roberta")
HEAD_FILE = "laptune_head.json"


def encoder_kwargs(config: Any) -> dict[str, Any]:
    """Our heads read last_hidden_state, so BERT-style poolers are left out (no unused weights to train)."""
    return {"add_pooling_layer": False} if getattr(config, "model_type", None) in POOLER_FAMILIES else {}


class SavedHead:
    """save_pretrained / from_pretrained for an encoder + our head: the encoder's config.json (with the
    label map), model.safetensors and laptune_head.json, so final/ reloads with only the model class."""

    encoder: torch.nn.Module

    def head_spec(self) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def from_head(cls, encoder: torch.nn.Module, head: dict[str, Any]) -> Any:
        raise NotImplementedError

    def save_pretrained(self, folder: str | Path) -> None:
        from safetensors.torch import save_model

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.encoder.config.save_pretrained(folder)
        save_model(self, str(folder / "model.safetensors"))
        spec = {**self.head_spec(), "model_class": f"{type(self).__module__}.{type(self).__name__}"}
        (folder / HEAD_FILE).write_text(json.dumps(spec, indent=2), encoding="utf-8")

    @classmethod
    def from_pretrained(cls, folder: str | Path, trust_remote_code: bool = False) -> Any:
        from safetensors.torch import load_model
        from transformers import AutoConfig, AutoModel

        folder = Path(folder)
        head = json.loads((folder / HEAD_FILE).read_text(encoding="utf-8"))
        config = AutoConfig.from_pretrained(folder, trust_remote_code=trust_remote_code)
        encoder = AutoModel.from_config(config, trust_remote_code=trust_remote_code, **encoder_kwargs(config))
        model = cls.from_head(encoder, head)
        load_model(model, str(folder / "model.safetensors"))
        return model
