"""CPU threads, the evaluation batch and the one-call tokenisation: the settings behind docs/benchmarks.md's end-to-end table."""
from __future__ import annotations

import pytest
import torch

from core.config.presets import resolve
from core.train.setup import Device, apply_cpu_threads, default_cpu_threads, eval_batch_size
from tests.conftest import DEMO


@pytest.mark.parametrize("physical, usable, want", [
    (1, 1, 1),      # one core: one thread (never 0)
    (2, 2, 1),      # a 2-core laptop keeps a core for the desktop
    (4, 8, 3),      # hyper-threads do not count: torch's threads are per physical core
    (8, 8, 7),
    (16, 2, 1),     # a container or taskset allows 2 CPUs: never more threads than that, minus one
])
def test_default_threads_leave_a_core_and_never_oversubscribe(physical, usable, want):
    assert default_cpu_threads(physical, usable) == want


def test_default_threads_read_this_machine():
    import os

    n = default_cpu_threads()
    assert 1 <= n <= max(1, len(os.sched_getaffinity(0)))


@pytest.fixture
def restore_threads():
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def _cfg(*sets: str):
    return resolve("demo-ner", env={}, dotenv=None, sets=list(sets)).config


def test_cpu_threads_setting_is_applied_on_cpu_only(restore_threads):
    cpu = Device("cpu", None, "fp32", "test")
    assert apply_cpu_threads(_cfg("cpu_threads=2"), cpu) == 2
    assert torch.get_num_threads() == 2
    assert apply_cpu_threads(_cfg("device.cpu_threads=1"), cpu) == 1
    assert torch.get_num_threads() == 1
    assert apply_cpu_threads(_cfg(), cpu) == default_cpu_threads()
    torch.set_num_threads(3)
    assert apply_cpu_threads(_cfg("cpu_threads=1"), Device("cuda", 0, "fp16", "test")) is None
    assert torch.get_num_threads() == 3       # a GPU run leaves torch's CPU threads alone


def test_cpu_threads_must_be_positive():
    from core.config.presets import PresetError

    with pytest.raises((PresetError, ValueError)):
        _cfg("cpu_threads=0")


def test_eval_batch_defaults_to_four_times_the_micro_batch_for_encoders():
    assert eval_batch_size(_cfg("batch_size=8")) == 32
    assert eval_batch_size(_cfg("batch_size=8", "eval_batch_size=5")) == 5
    sft = resolve("demo-sft", env={}, dotenv=None, sets=["batch_size=2"]).config
    assert eval_batch_size(sft) == 2


def test_ner_features_from_one_tokenizer_call_equal_per_sentence_calls():
    """The batched encoding gives exactly the features the per-sentence loop gave."""
    from transformers import AutoTokenizer

    from core.data import read_examples
    from core.train.tasks.ner_crf import _features

    tok = AutoTokenizer.from_pretrained(DEMO / "bert-tiny")
    examples = read_examples("ner", DEMO / "ner_train.txt")[:40]
    tags = sorted({t for ex in examples for t in ex.labels})
    label2id = {t: i for i, t in enumerate(tags)}
    notes: list[str] = []
    got = _features(examples, tok, label2id, 24, notes)
    for ex, feat in zip(examples, got):
        enc = tok(ex.tokens, is_split_into_words=True, truncation=True, max_length=24)
        assert feat["input_ids"] == enc["input_ids"]
        starts = sorted({ex_pos for ex_pos, wid in enumerate(enc.word_ids()) if wid is not None})
        assert feat["word_starts"] == starts
        assert feat["labels"] == [label2id[ex.labels[w]] for w in enc.word_ids() if w is not None]
    assert len(got) == len(examples)
    assert any("cut" in n for n in notes) == any(len(ex.tokens) > 22 for ex in examples)


def test_classify_features_from_one_tokenizer_call_equal_per_row_calls():
    from transformers import AutoTokenizer

    from core.data import read_classification
    from core.train.tasks.classify import _features

    tok = AutoTokenizer.from_pretrained(DEMO / "bert-tiny")
    rows = read_classification(DEMO / "cls_train.csv")[:30]
    label2id = {lab: i for i, lab in enumerate(sorted({r.label for r in rows}))}
    got = _features(rows, tok, label2id, 32)
    for r, feat in zip(rows, got):
        enc = tok(r.text, r.text_pair, truncation=True, max_length=32)
        assert feat["input_ids"] == enc["input_ids"] and feat["labels"] == label2id[r.label]
