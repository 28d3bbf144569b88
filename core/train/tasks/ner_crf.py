"""NER with an encoder + dropout + linear + CRF (seed 000: bert-base-chinese + pytorch-crf).

Labels sit on the first sub-token of each word (Chinese characters map one to one). The CRF runs over
words, not sub-tokens: we gather each word's first sub-token emission into a compact sequence, so its
mask starts "on" and -100 never reaches it (pytorch-crf crashes on both, PLATFORM-NOTES).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn
from transformers.modeling_outputs import TokenClassifierOutput

from core.config.schema import RunConfig
from core.train.tasks.crf import BatchedCRF
from core.train.modeling import freeze_lower_layers, load_config, load_pretrained, load_tokenizer
from core.train.tasks.base import (ListDataset, SavedHead, TaskBundle, by_length, encoder_kwargs, load_split, max_length,
                                   pad_batch)

class EncoderCrfTagger(SavedHead, nn.Module):
    """AutoModel encoder -> dropout -> linear emissions -> CRF over word positions."""

    def __init__(self, encoder: nn.Module, num_labels: int, dropout: float = 0.1, use_crf: bool = True) -> None:
        super().__init__()
        self.encoder = encoder
        self.config = encoder.config
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(encoder.config.hidden_size, num_labels)
        self.crf = BatchedCRF(num_labels) if use_crf else None   # pytorch-crf's parameters, batched
        self.num_labels = num_labels

    def head_parameters(self) -> list[nn.Parameter]:
        params = list(self.classifier.parameters())
        return params + (list(self.crf.parameters()) if self.crf is not None else [])

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, word_starts: torch.Tensor,
                word_mask: torch.Tensor, token_type_ids: torch.Tensor | None = None,
                labels: torch.Tensor | None = None) -> TokenClassifierOutput:
        kwargs = {"token_type_ids": token_type_ids} if token_type_ids is not None else {}
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask, **kwargs).last_hidden_state
        # Emissions at each word's first sub-token: [batch, words, labels].
        index = word_starts.unsqueeze(-1).expand(-1, -1, hidden.size(-1))
        words = torch.gather(hidden, 1, index)
        emissions = self.classifier(self.dropout(words)).float()   # the CRF sums scores: keep them fp32
        mask = word_mask.bool()
        loss = None
        if labels is not None:
            safe = labels.clamp(min=0)   # -100 under a False mask: any valid tag will do
            if self.crf is not None:
                loss = -self.crf(emissions, safe, mask=mask, reduction="mean")
            else:
                loss = nn.functional.cross_entropy(emissions[mask], labels[mask])
        return TokenClassifierOutput(loss=loss, logits=emissions)

    @torch.no_grad()
    def decode(self, emissions: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Viterbi paths (argmax without a CRF), padded with -100."""
        mask = mask.bool()
        if self.crf is None:
            return torch.where(mask, emissions.argmax(-1), torch.full(mask.shape, -100, dtype=torch.long, device=emissions.device))
        return self.crf.decode_tensor(emissions.float(), mask)

    def head_spec(self) -> dict[str, Any]:
        return {"task": "ner_crf", "num_labels": self.num_labels, "use_crf": self.crf is not None, "dropout": self.dropout.p}

    @classmethod
    def from_head(cls, encoder: nn.Module, head: dict[str, Any]) -> EncoderCrfTagger:
        return cls(encoder, head["num_labels"], head["dropout"], head["use_crf"])


def _features(examples: list[Any], tokenizer: Any, label2id: dict[str, int], limit: int,
              notes: list[str]) -> list[dict[str, Any]]:
    features = []
    truncated = 0
    if not examples:
        return features
    # One call for the whole file: the fast tokenizer encodes the batch in Rust (one call per sentence
    # cost ~0.15 ms each in Python overhead).
    encoded = tokenizer([ex.tokens for ex in examples], is_split_into_words=True, truncation=True, max_length=limit)
    has_types = "token_type_ids" in encoded
    for i, ex in enumerate(examples):
        word_ids = encoded.word_ids(i)
        starts, labels, seen = [], [], set()
        for pos, wid in enumerate(word_ids):
            if wid is not None and wid not in seen:
                seen.add(wid)
                starts.append(pos)
                labels.append(label2id[ex.labels[wid]])
        if len(starts) < len(ex.tokens):
            truncated += 1
        if not starts:
            continue
        item = {"input_ids": encoded["input_ids"][i], "attention_mask": encoded["attention_mask"][i], "word_starts": starts,
                "word_mask": [1] * len(starts), "labels": labels}
        if has_types:
            item["token_type_ids"] = encoded["token_type_ids"][i]
        features.append(item)
    if truncated:
        notes.append(f"{truncated} sentences were longer than max_seq_length and were cut (their tail words are not trained)")
    return features


def build(cfg: RunConfig, model_path: str, preset_dir: Path | None, fixed_padding: bool = False) -> TaskBundle:
    from transformers import AutoModel

    from core.train.tasks.metrics import EntityScorer

    train, evals = load_split(cfg, preset_dir)
    tags = sorted({t for ex in train + evals for t in ex.labels}, key=lambda t: (t != "O", t[2:], t))
    label2id = {t: i for i, t in enumerate(tags)}
    id2label = {i: t for t, i in label2id.items()}

    tokenizer = load_tokenizer(model_path, cfg)
    config = load_config(model_path, cfg, id2label=id2label, label2id=label2id)
    encoder = load_pretrained(AutoModel, model_path, cfg, config=config, **encoder_kwargs(config))
    if cfg.memory.gradient_checkpointing:
        encoder.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    freeze_lower_layers(encoder, cfg.memory.freeze_layers)
    model = EncoderCrfTagger(encoder, len(tags), cfg.ner.dropout, cfg.ner.use_crf)

    notes: list[str] = [f"{len(tags)} tags: {', '.join(tags)}"]
    limit = max_length(cfg, tokenizer)
    train_ds = ListDataset(_features(train, tokenizer, label2id, limit, notes))
    eval_ds = ListDataset(by_length(_features(evals, tokenizer, label2id, limit, notes))) if evals else None
    pad_id = tokenizer.pad_token_id or 0

    def collate(features: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        return pad_batch(features, pad_id, limit if fixed_padding else None, {"word_mask": 0, "word_starts": 0}, limit=limit)

    def preprocess(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        # Viterbi-decode on the device during evaluation so only tag ids travel to the metrics.
        return model.decode(logits, labels != -100)

    scorer = EntityScorer(id2label)   # seqeval's entity P/R/F1, over all tokens at once

    def metrics(pred: Any) -> dict[str, float]:
        return scorer(pred.predictions, pred.label_ids)

    def save_final(folder: Path) -> None:
        model.save_pretrained(folder)
        tokenizer.save_pretrained(folder)

    return TaskBundle(model=model, tokenizer=tokenizer, train_dataset=train_ds, eval_dataset=eval_ds, collator=collate,
                      compute_metrics=metrics, preprocess_logits_for_metrics=preprocess, metric_for_best="eval_f1",
                      greater_is_better=True, save_final=save_final, head_parameters=model.head_parameters, notes=notes)
