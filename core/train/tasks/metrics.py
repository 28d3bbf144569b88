"""Evaluation metrics with numpy over whole arrays: entity P/R/F1 as seqeval computes them, accuracy and macro F1
as scikit-learn does.

Why not call seqeval and scikit-learn: seqeval imports scikit-learn (and with it scipy), about a second of
start-up on a laptop for a few lines of arithmetic, and it walks every token in Python with string tags.
Here seqeval's chunk rules (`get_entities`, default IOB/IOBES mode, not `mode="strict"`) depend only on the
previous and the current tag, so they become two tag x tag tables, applied to all tokens of the evaluation
set at once. tests/core/test_metrics.py checks the results against seqeval and scikit-learn.
"""
from __future__ import annotations

import numpy as np


def _split(label: str) -> tuple[str, str]:
    """seqeval's (tag, type) of a label: 'B-PER' -> ('B', 'PER'); 'O' -> ('O', '_')."""
    return label[0], label[1:].split("-", maxsplit=1)[-1] or "_"


def _end_of_chunk(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    return (prev_tag in ("E", "S") or (prev_tag in ("B", "I") and tag in ("B", "S", "O"))
            or (prev_tag not in ("O", ".") and prev_type != type_))


def _start_of_chunk(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    return (tag in ("B", "S") or (prev_tag in ("E", "S", "O") and tag in ("E", "I"))
            or (tag not in ("O", ".") and prev_type != type_))


class EntityScorer:
    """Entity-level micro precision, recall and F1 over tag ids (label -100 = not a word)."""

    def __init__(self, id2label: dict[int, str]) -> None:
        labels = [id2label[i] for i in range(len(id2label))] + ["O"]   # last id: sentence separator
        self.sep = len(labels) - 1
        parts = [_split(lab) for lab in labels]
        k = len(labels)
        self.end = np.zeros((k, k), dtype=bool)
        self.start = np.zeros((k, k), dtype=bool)
        for p, (pt, pty) in enumerate(parts):
            for c, (ct, cty) in enumerate(parts):
                self.end[p, c] = _end_of_chunk(pt, ct, pty, cty)
                self.start[p, c] = _start_of_chunk(pt, ct, pty, cty)
        types = sorted({ty for _, ty in parts})
        self.type_of = np.array([types.index(ty) for _, ty in parts], dtype=np.int64)

    def _flat(self, rows: np.ndarray, keep: np.ndarray) -> np.ndarray:
        """The kept ids of all rows in order, an 'O' after each row (seqeval joins sentences that way)."""
        ids = np.where(keep, rows, -1)
        ids = np.concatenate([ids, np.full((ids.shape[0], 1), self.sep)], axis=1).ravel()
        ids = ids[ids >= 0]
        ids[ids >= self.sep] = self.sep   # a predicted id outside the label set counts as 'O'
        return ids

    def entities(self, ids: np.ndarray) -> np.ndarray:
        """Entities of a flat id sequence, each encoded as one int64 from (type, begin, end)."""
        seq = np.concatenate([[self.sep], ids, [self.sep]])
        prev, cur = seq[:-1], seq[1:]                 # position i of `cur` is token i (the last one a final 'O')
        is_end = self.end[prev, cur]
        is_start = self.start[prev, cur]
        pos = np.arange(cur.size)
        # begin_offset as seqeval carries it: the last start at or before i - 1 (0 before any start).
        last_start = np.maximum.accumulate(np.where(is_start, pos, 0))
        ends = np.nonzero(is_end)[0]
        ends = ends[ends > 0]
        begins = last_start[ends - 1]
        kinds = self.type_of[prev[ends]]
        n = cur.size + 1
        return np.unique((kinds * n + begins) * n + (ends - 1))

    def __call__(self, pred: np.ndarray, gold: np.ndarray) -> dict[str, float]:
        keep = gold != -100
        true = self.entities(self._flat(gold, keep))
        found = self.entities(self._flat(pred, keep))
        hit = np.intersect1d(true, found, assume_unique=True).size
        precision = hit / found.size if found.size else 0.0
        recall = hit / true.size if true.size else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": float(precision), "recall": float(recall), "f1": float(f1)}


def accuracy_and_macro_f1(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """scikit-learn's accuracy_score and f1_score(average='macro', zero_division=0): the mean F1 over every
    class that occurs in the labels or the predictions."""
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    classes = np.union1d(y_true, y_pred)
    tp = np.array([np.sum((y_pred == c) & (y_true == c)) for c in classes], dtype=float)
    pred_n = np.array([np.sum(y_pred == c) for c in classes], dtype=float)
    true_n = np.array([np.sum(y_true == c) for c in classes], dtype=float)
    denom = pred_n + true_n
    f1 = np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)
    return {"accuracy": float(np.mean(y_true == y_pred)) if y_true.size else 0.0,
            "macro_f1": float(f1.mean()) if f1.size else 0.0}
