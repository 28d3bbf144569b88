"""Text classification: AutoModelForSequenceClassification (seed 001) or encoder + pooling + MLP (seed 003)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn
from transformers.modeling_outputs import SequenceClassifierOutput

from core.config.schema import RunConfig
from core.train.modeling import freeze_lower_layers, layer_list, load_config, load_pretrained, load_tokenizer
from core.train.tasks.base import (ListDataset, SavedHead, TaskBundle, by_length, encoder_kwargs, load_split, max_length,
                                   pad_batch)

class EncoderMlpClassifier(SavedHead, nn.Module):
    """Seed 003's design: an encoder, mean or [CLS] pooling, then a small MLP."""

    def __init__(self, encoder: nn.Module, num_labels: int, pooling: str = "mean", hidden: int = 256,
                 dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        self.config = encoder.config
        self.pooling = pooling
        size = encoder.config.hidden_size
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(size, hidden), nn.GELU(), nn.Dropout(dropout),
                                  nn.Linear(hidden, num_labels))
        self.num_labels = num_labels

    def head_parameters(self) -> list[nn.Parameter]:
        return list(self.head.parameters())

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor | None = None,
                labels: torch.Tensor | None = None) -> SequenceClassifierOutput:
        kwargs = {"token_type_ids": token_type_ids} if token_type_ids is not None else {}
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask, **kwargs).last_hidden_state
        if self.pooling == "cls":
            pooled = hidden[:, 0]
        else:  # mean over real tokens only, so padding length does not change the result
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
        logits = self.head(pooled).float()
        loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return SequenceClassifierOutput(loss=loss, logits=logits)

    def head_spec(self) -> dict[str, Any]:
        return {"task": "encoder_mlp", "num_labels": self.num_labels, "pooling": self.pooling,
                "hidden": self.head[1].out_features, "dropout": self.head[0].p}

    @classmethod
    def from_head(cls, encoder: nn.Module, head: dict[str, Any]) -> EncoderMlpClassifier:
        return cls(encoder, head["num_labels"], head["pooling"], head["hidden"], head["dropout"])


def _features(examples: list[Any], tokenizer: Any, label2id: dict[str, int], limit: int) -> list[dict[str, Any]]:
    if not examples:
        return []
    texts = [ex.text for ex in examples]
    pairs = [ex.text_pair for ex in examples]
    # One call for the whole file (the fast tokenizer batches in Rust); pairs only when every row has one.
    if all(p is not None for p in pairs):
        enc = tokenizer(texts, pairs, truncation=True, max_length=limit)
    elif any(p is not None for p in pairs):
        return [_features([ex], tokenizer, label2id, limit)[0] for ex in examples]
    else:
        enc = tokenizer(texts, truncation=True, max_length=limit)
    keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc]
    return [{**{k: list(enc[k][i]) for k in keys}, "labels": label2id[ex.label]} for i, ex in enumerate(examples)]


def build(cfg: RunConfig, model_path: str, preset_dir: Path | None, fixed_padding: bool = False) -> TaskBundle:
    from transformers import AutoModel, AutoModelForSequenceClassification

    d = cfg.data
    train, evals = load_split(cfg, preset_dir, text_column=d.text_column, label_column=d.label_column, text_pair_column=d.text_pair_column,
                               sheet=d.sheet)
    labels = sorted({ex.label for ex in train + evals})
    if len(labels) < 2:
        from core.data import DataError

        raise DataError(f"only one label ({labels[0] if labels else 'none'}) in the data", field=d.label_column,
                        fix="a classifier needs at least two classes in the training data")
    label2id = {lab: i for i, lab in enumerate(labels)}
    id2label = {i: lab for lab, i in label2id.items()}
    tokenizer = load_tokenizer(model_path, cfg)
    config = load_config(model_path, cfg, num_labels=len(labels), id2label=id2label, label2id=label2id)

    if cfg.classify.head == "mlp":
        encoder = load_pretrained(AutoModel, model_path, cfg, config=config, **encoder_kwargs(config))
        model: nn.Module = EncoderMlpClassifier(encoder, len(labels), cfg.classify.pooling, cfg.classify.mlp_hidden,
                                                cfg.classify.dropout)
        head_params = model.head_parameters
    else:
        model = load_pretrained(AutoModelForSequenceClassification, model_path, cfg, config=config)
        encoder = getattr(model, model.base_model_prefix, model)
        body = {id(p) for p in encoder.parameters()}
        head_params = lambda: [p for p in model.parameters() if id(p) not in body]  # noqa: E731 - classifier weights
    if cfg.memory.gradient_checkpointing:
        encoder.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    if cfg.memory.freeze_layers and layer_list(encoder) is not None:
        freeze_lower_layers(encoder, cfg.memory.freeze_layers)

    limit = max_length(cfg, tokenizer)
    train_ds = ListDataset(_features(train, tokenizer, label2id, limit))
    eval_ds = ListDataset(by_length(_features(evals, tokenizer, label2id, limit))) if evals else None
    pad_id = tokenizer.pad_token_id or 0

    def collate(features: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        return pad_batch(features, pad_id, limit if fixed_padding else None, limit=limit)

    def metrics(pred: Any) -> dict[str, float]:
        from core.train.tasks.metrics import accuracy_and_macro_f1

        return accuracy_and_macro_f1(pred.label_ids, pred.predictions.argmax(-1))

    def save_final(folder: Path) -> None:
        model.save_pretrained(folder)
        tokenizer.save_pretrained(folder)

    notes = [f"{len(labels)} classes: {', '.join(labels)}"]
    return TaskBundle(model=model, tokenizer=tokenizer, train_dataset=train_ds, eval_dataset=eval_ds, collator=collate,
                      compute_metrics=metrics, preprocess_logits_for_metrics=None, metric_for_best="eval_accuracy",
                      greater_is_better=True, save_final=save_final, head_parameters=head_params, notes=notes)
