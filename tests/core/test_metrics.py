"""Our numpy metrics equal seqeval's entity scores and scikit-learn's accuracy / macro F1."""
from __future__ import annotations

import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from core.train.tasks.metrics import EntityScorer, accuracy_and_macro_f1

LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "E-LOC", "S-ORG", "I-ORG"]


@st.composite
def tagged(draw):
    rows = draw(st.integers(1, 6))
    width = draw(st.integers(1, 10))
    k = len(LABELS)
    gold = np.array(draw(st.lists(st.integers(0, k - 1), min_size=rows * width, max_size=rows * width))).reshape(rows, width)
    pred = np.array(draw(st.lists(st.integers(0, k), min_size=rows * width, max_size=rows * width))).reshape(rows, width)
    lengths = draw(st.lists(st.integers(0, width), min_size=rows, max_size=rows))
    for r, n in enumerate(lengths):
        gold[r, n:] = -100          # padding, as the Trainer pads labels
    return gold, pred


@settings(max_examples=120, deadline=None)
@given(tagged())
def test_entity_scores_equal_seqeval(case):
    from seqeval.metrics import f1_score, precision_score, recall_score

    gold, pred = case
    id2label = dict(enumerate(LABELS))
    y_true = [[id2label[int(i)] for i in g[g != -100]] for g in gold]
    y_pred = [[id2label.get(int(i), "O") for i in p[g != -100]] for p, g in zip(pred, gold)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # seqeval warns about I- after O; it still scores them
        want = {"precision": precision_score(y_true, y_pred, zero_division=0),
                "recall": recall_score(y_true, y_pred, zero_division=0), "f1": f1_score(y_true, y_pred, zero_division=0)}
    got = EntityScorer(id2label)(pred, gold)
    for key in want:
        assert abs(got[key] - want[key]) < 1e-12, (key, got, want, y_true, y_pred)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=40))
def test_accuracy_and_macro_f1_equal_sklearn(pairs):
    from sklearn.metrics import accuracy_score, f1_score

    y_true, y_pred = np.array([a for a, _ in pairs]), np.array([b for _, b in pairs])
    got = accuracy_and_macro_f1(y_true, y_pred)
    assert abs(got["accuracy"] - accuracy_score(y_true, y_pred)) < 1e-12
    assert abs(got["macro_f1"] - f1_score(y_true, y_pred, average="macro", zero_division=0)) < 1e-12
