"""The probe: batch search against a scripted OOM boundary, and real steps on the CPU against the estimate."""
from __future__ import annotations

import random

import pytest

from core.train.probe import ProbeOOM, ProbeStep, divisors_below, search_batch


def fake_device(limit: int):
    """A device whose micro-batches above `limit` run out of memory, as CUDA would."""
    calls: list[int] = []

    def try_batch(b: int) -> ProbeStep:
        calls.append(b)
        if b > limit:
            raise ProbeOOM()
        return ProbeStep(b, True, peak_bytes=b * 100, seconds_per_micro_step=0.1 * b)
    return try_batch, calls


def test_divisors_keep_the_effective_batch():
    assert divisors_below(16, 8) == [8, 4, 2, 1]
    assert divisors_below(12, 12) == [12, 6, 4, 3, 2, 1]


@pytest.mark.parametrize("effective, start, limit, expected, calls", [
    (16, 8, 100, 8, [8]),                        # fits at once: nothing more to try
    (16, 16, 3, 2, [16, 8, 4, 2]),               # halving until 2 fits; 4 failed: nothing between
    (12, 12, 4, 4, [12, 6, 3, 4]),               # halve to 3, then bisect up to 4
    (64, 64, 0, 0, [64, 32, 16, 8, 4, 2, 1]),    # nothing fits
    (48, 48, 17, 16, [48, 24, 12, 16]),
])
def test_batch_search_finds_the_largest_that_fits(effective, start, limit, expected, calls):
    try_batch, seen = fake_device(limit)
    best, tried = search_batch(try_batch, effective, start)
    assert best == expected and seen == calls
    assert [t.fits for t in tried] == [b <= limit for b in calls]


def test_real_probe_on_cpu_measures_memory_and_time(tmp_path):
    import torch
    from transformers import AutoTokenizer, BertConfig, BertModel

    from core.train.probe import run_probe
    from core.config.presets import resolve
    from tests.conftest import DEMO

    # A BERT wide enough that activations dominate the RSS growth, and long samples.
    tok = AutoTokenizer.from_pretrained(DEMO / "bert-tiny")
    torch.manual_seed(0)
    BertModel(BertConfig(vocab_size=tok.vocab_size, hidden_size=256, num_hidden_layers=4, num_attention_heads=4,
                         intermediate_size=1024, max_position_embeddings=256)).save_pretrained(tmp_path / "m")
    tok.save_pretrained(tmp_path / "m")
    chars = "足球篮球比赛下雨晴天米饭面条饺子"
    rng = random.Random(0)
    rows = ["text,label"] + [f"{''.join(rng.choice(chars) for _ in range(rng.randint(20, 200)))},{rng.choice('abc')}"
                             for _ in range(64)]
    (tmp_path / "d.csv").write_text("\n".join(rows), encoding="utf-8")
    cfg = resolve("demo", env={}, dotenv=None, sets=["max_seq_length=192", "batch_size=16"],
                  overrides={"model.name_or_path": str(tmp_path / "m"), "model.init_from_scratch": False,
                             "data.train": str(tmp_path / "d.csv"), "data.eval": None}).config
    result = run_probe(cfg, None)
    assert result.batch_size == 16 and result.device == "cpu"
    assert result.seconds_per_optimizer_step > 0 and result.seconds_per_epoch == pytest.approx(
        result.seconds_per_optimizer_step * result.steps_per_epoch)
    from core.memory.estimate import estimate_config

    est = estimate_config(cfg, device="cpu").breakdown
    # The model is loaded before the probe measures, so compare the growth with the training terms.
    training_terms = sum(v for k, v in est.items() if k not in ("runtime", "weights"))
    ratio = result.peak_bytes / training_terms
    print(f"probe RSS growth {result.peak_bytes / 2**20:.0f} MiB vs estimated training terms "
          f"{training_terms / 2**20:.0f} MiB (ratio {ratio:.2f})")
    assert 1 / 3 <= ratio <= 3, "measured RSS growth is within a factor 3 of the estimate's CPU training terms"


def test_run_with_probe_records_it_and_without_does_not(tmp_path):
    import yaml

    from core.train import session
    from core.machine.fakes import fake_probe
    from core.config.presets import resolve
    from tests.conftest import Recorder

    cfg = resolve("demo", env={}, dotenv=None, sets=["max_steps=3", "save_steps=3", "eval_steps=3"]).config
    for probe, name in ((True, "with"), (False, "without")):
        rec = Recorder()
        session.run(cfg, rec, run_dir=tmp_path / name, preset_path=resolve("demo", env={}, dotenv=None).preset_path,
                    hardware=fake_probe("cpu-only"), probe=probe)
        run_yaml = yaml.safe_load((tmp_path / name / "run.yaml").read_text())
        assert ("probe" in run_yaml) is probe
        assert ("probing" in rec.statuses()) is probe
    assert run_yaml["config"]["training"]["batch_size"] == 16
