"""Predictions from a loaded model (core/use/load.py), one text or a batch of texts at a time.

    predict_texts(loaded, texts, ...) -> list[dict]
      ner       {"entities": [{"text", "label", "start", "end"}], "score": CRF path score,
                 "probability": p(path | text), "truncated": bool}
      classify  {"label", "probabilities": {label: p}}
      sft       {"text": the answer}, generated with the model's chat template; greedy unless
                 temperature > 0

Batches are padded to their longest member only, and sorted by length inside a batch window so short
texts are not padded to long ones; the results come back in the order given.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Iterable

import torch

from core.use.load import Loaded, UseError

DEFAULT_MAX_NEW_TOKENS = 256
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
# Words as NER training files hold them: one token per CJK character (Chinese corpora are per character),
# runs of letters/digits for other scripts, and each other visible character alone.
_WORD = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])\w)+|\S")


@dataclass
class Word:
    text: str
    start: int
    end: int


def split_words(text: str) -> list[Word]:
    return [Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def max_input_length(loaded: Loaded) -> int:
    cfg = loaded.resolved.config
    limit = cfg.training.max_seq_length if cfg is not None else 512
    model_max = getattr(loaded.tokenizer, "model_max_length", None) or 10**9
    positions = getattr(getattr(loaded.model, "config", None), "max_position_embeddings", None) or 10**9
    return int(min(limit, model_max, positions))


def predict_texts(loaded: Loaded, texts: list[str], *, pairs: list[str | None] | None = None,
                  max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS, temperature: float | None = None,
                  system: str | None = None, batch_size: int = 16) -> list[dict[str, Any]]:
    """One result per text, in order."""
    if not texts:
        return []
    for text in texts:
        if not text or not text.strip():
            raise UseError("the text is empty", fix="give a sentence to predict on")
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    results: list[dict[str, Any] | None] = [None] * len(texts)
    for at in range(0, len(order), batch_size):
        idx = order[at:at + batch_size]
        chunk = [texts[i] for i in idx]
        if loaded.task == "ner":
            out = _ner(loaded, chunk)
        elif loaded.task == "classify":
            out = _classify(loaded, chunk, [pairs[i] for i in idx] if pairs else None)
        else:
            out = generate(loaded, [[*_system(system), {"role": "user", "content": t}] for t in chunk],
                           max_new_tokens=max_new_tokens, temperature=temperature)
            out = [{"text": answer} for answer in out]
        for i, res in zip(idx, out):
            results[i] = res
    return [r for r in results if r is not None]


def predict_text(loaded: Loaded, text: str, **kwargs: Any) -> dict[str, Any]:
    return predict_texts(loaded, [text], **kwargs)[0]


def _system(system: str | None) -> list[dict[str, str]]:
    return [{"role": "system", "content": system}] if system else []


# ---------------------------------------------------------------- NER
def _ner(loaded: Loaded, texts: list[str]) -> list[dict[str, Any]]:
    tok, model = loaded.tokenizer, loaded.model
    limit = max_input_length(loaded)
    words = [split_words(t) for t in texts]
    feats = []
    for ws in words:
        enc = tok([w.text for w in ws] or [""], is_split_into_words=True, truncation=True, max_length=limit)
        starts, seen = [], set()
        for pos, wid in enumerate(enc.word_ids()):
            if wid is not None and wid not in seen:
                seen.add(wid)
                starts.append(pos)
        feats.append((enc, starts or [0]))
    width = max(len(e["input_ids"]) for e, _ in feats)
    n_words = max(len(s) for _, s in feats)
    pad = tok.pad_token_id or 0
    batch = {"input_ids": torch.full((len(feats), width), pad, dtype=torch.long),
             "attention_mask": torch.zeros((len(feats), width), dtype=torch.long)}
    has_types = "token_type_ids" in feats[0][0]
    if has_types:
        batch["token_type_ids"] = torch.zeros((len(feats), width), dtype=torch.long)
    word_starts = torch.zeros((len(feats), n_words), dtype=torch.long)
    word_mask = torch.zeros((len(feats), n_words), dtype=torch.bool)
    for i, (enc, starts) in enumerate(feats):
        n = len(enc["input_ids"])
        batch["input_ids"][i, :n] = torch.tensor(enc["input_ids"])
        batch["attention_mask"][i, :n] = 1
        if has_types:
            batch["token_type_ids"][i, :n] = torch.tensor(enc["token_type_ids"])
        word_starts[i, : len(starts)] = torch.tensor(starts)
        word_mask[i, : len(starts)] = True
    device = loaded.device
    batch = {k: v.to(device) for k, v in batch.items()}
    word_starts, word_mask = word_starts.to(device), word_mask.to(device)
    with torch.inference_mode():
        if loaded.kind == "crf" or hasattr(model, "crf"):
            emissions = model(**batch, word_starts=word_starts, word_mask=word_mask).logits.float()
            paths = model.decode(emissions, word_mask)
            if model.crf is not None:
                tags = paths.clamp(min=0)
                score = model.crf._compute_score(emissions.transpose(0, 1), tags.transpose(0, 1), word_mask.transpose(0, 1))
                log_z = model.crf._compute_normalizer(emissions.transpose(0, 1), word_mask.transpose(0, 1))
            else:
                logp = emissions.log_softmax(-1).gather(-1, paths.clamp(min=0).unsqueeze(-1)).squeeze(-1)
                score = (logp * word_mask).sum(-1)
                log_z = torch.zeros_like(score)
        else:   # a token-classification model: argmax per word's first sub-token
            logits = model(**batch).logits.float()
            index = word_starts.unsqueeze(-1).expand(-1, -1, logits.size(-1))
            emissions = torch.gather(logits, 1, index)
            logp = emissions.log_softmax(-1)
            best = logp.max(-1)
            paths = torch.where(word_mask, best.indices, torch.full_like(best.indices, -100))
            score = (best.values * word_mask).sum(-1)
            log_z = torch.zeros_like(score)
    out = []
    labels = loaded.labels or []
    for i, (text, ws) in enumerate(zip(texts, words)):
        n = int(word_mask[i].sum()) if ws else 0
        tags = [labels[int(t)] if 0 <= int(t) < len(labels) else "O" for t in paths[i, :n].tolist()]
        out.append({"entities": entities(text, ws[:n], tags), "score": round(float(score[i]), 4),
                    "probability": round(math.exp(min(0.0, float(score[i] - log_z[i]))), 4),
                    "truncated": n < len(ws)})
    return out


def entities(text: str, words: list[Word], tags: list[str]) -> list[dict[str, Any]]:
    """Spans from BIO/BIOES tags: B-X (I-X)* / S-X / B-X .. E-X; a stray I-X starts an entity too."""
    found: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            current["text"] = text[current["start"]:current["end"]]
            found.append(current)
            current = None

    for word, tag in zip(words, tags):
        prefix, _, label = tag.partition("-")
        if tag == "O" or not label:
            close()
            continue
        if prefix in ("B", "S") or current is None or current["label"] != label:
            close()
            current = {"text": "", "label": label, "start": word.start, "end": word.end}
        else:
            current["end"] = word.end
        if prefix in ("S", "E"):
            close()
    close()
    return [{"text": e["text"], "label": e["label"], "start": e["start"], "end": e["end"]} for e in found]


# ---------------------------------------------------------------- classification
def _classify(loaded: Loaded, texts: list[str], pairs: list[str | None] | None) -> list[dict[str, Any]]:
    tok = loaded.tokenizer
    second = pairs if pairs and any(p is not None for p in pairs) else None
    if second is not None:
        second = [p or "" for p in second]
    enc = tok(texts, second, truncation=True, max_length=max_input_length(loaded), padding=True, return_tensors="pt")
    enc = {k: v.to(loaded.device) for k, v in enc.items() if k in ("input_ids", "attention_mask", "token_type_ids")}
    with torch.inference_mode():
        probs = loaded.model(**enc).logits.float().softmax(-1).cpu()
    labels = loaded.labels or [str(i) for i in range(probs.shape[-1])]
    out = []
    for row in probs.tolist():
        best = max(range(len(row)), key=lambda j: row[j])
        out.append({"label": labels[best], "probabilities": {lab: round(p, 6) for lab, p in zip(labels, row)}})
    return out


# ---------------------------------------------------------------- generation
def prompt_ids(loaded: Loaded, messages: list[dict[str, str]]) -> list[int]:
    text = loaded.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    return loaded.tokenizer(text, add_special_tokens=False)["input_ids"]


def generation_kwargs(loaded: Loaded, max_new_tokens: int, temperature: float | None) -> dict[str, Any]:
    tok = loaded.tokenizer
    kwargs: dict[str, Any] = {"max_new_tokens": max_new_tokens, "pad_token_id": tok.pad_token_id,
                              "eos_token_id": tok.eos_token_id}
    if temperature and temperature > 0:
        kwargs.update(do_sample=True, temperature=float(temperature), top_p=1.0, top_k=0)
    else:
        kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
    return kwargs


def generate(loaded: Loaded, conversations: Iterable[list[dict[str, str]]], *, max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
             temperature: float | None = None) -> list[str]:
    """Answers to conversations (each ending with a user turn), batched with left padding."""
    tok, model = loaded.tokenizer, loaded.model
    ids = [prompt_ids(loaded, conv) for conv in conversations]
    width = max(len(i) for i in ids)
    pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    input_ids = torch.full((len(ids), width), pad, dtype=torch.long)
    mask = torch.zeros((len(ids), width), dtype=torch.long)
    for row, seq in enumerate(ids):
        input_ids[row, width - len(seq):] = torch.tensor(seq)
        mask[row, width - len(seq):] = 1
    with torch.inference_mode():
        out = model.generate(input_ids=input_ids.to(loaded.device), attention_mask=mask.to(loaded.device),
                             **generation_kwargs(loaded, max_new_tokens, temperature))
    return [tok.decode(row[width:], skip_special_tokens=True).strip() for row in out]
