"""Tiny trained runs shared by the predict/chat/compare/evaluate tests: the demo presets cut to a few steps,
trained once per test session through the real session code (CPU, no network)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.train.session import Faults

from tests.conftest import train_preset

SHORT = ["save_steps=6", "eval_steps=6", "logging_steps=3"]


@pytest.fixture(scope="session")
def runs(tmp_path_factory: pytest.TempPathFactory, tiny_models: dict[str, Path]) -> dict[str, Path]:
    """name -> run folder: ner (BERT+CRF), cls (sequence classification), sft (LoRA on a tiny saved Llama)."""
    import torch

    if _TRAINED and all(p.exists() for p in _TRAINED.values()):
        return _TRAINED   # tests/gui/test_try.py imports this fixture: the same runs, not a second training
    torch.set_num_threads(1)   # two cores are shared with other test processes (PLATFORM-NOTES)
    base = tmp_path_factory.mktemp("use-runs")
    out = {}
    llama = {"model.name_or_path": str(tiny_models["llama"]), "model.init_from_scratch": False}
    # The classification run also replays a hot GPU (2.5 s over the pause threshold: long enough that a sensor
    # thread starved by a busy machine still reads it), so its TensorBoard files hold a guard pause.
    trace = base / "hot.jsonl"
    trace.write_text("".join(json.dumps(r) + "\n" for r in [
        {"t": 0, "gpu_temp_c": 60, "vram_used_frac": 0.5}, {"t": 0.05, "gpu_temp_c": 88}, {"t": 2.5, "gpu_temp_c": 70}]))
    hot = Faults(sensor_trace=str(trace))
    for name, preset, sets, overrides, faults in (
            ("ner", "demo-ner", ["max_steps=36", "learning_rate=5e-3"], None, None),
            ("cls", "demo", ["max_steps=24", "guard.sample_interval_s=0.1"], None, hot),
            ("sft", "demo-sft", ["max_steps=12", "lora.enabled=true"], llama, None)):
        summary, rec = train_preset(preset, base / name, sets=SHORT + sets, overrides=overrides, faults=faults)
        assert summary["status"] == "completed", summary
        out[name] = base / name
        RECORDS[name] = rec
    _TRAINED.update(out)
    return out


RECORDS: dict[str, object] = {}   # run name -> the events it emitted (tests.conftest.Recorder)
_TRAINED: dict[str, Path] = {}


@pytest.fixture(scope="session")
def chatty_llama(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random tiny Llama with large initial weights, saved as a bare model folder: its greedy answers are long
    and differ by prompt (the default initialisation answers every prompt with a newline, the trained tiny runs
    with an end token), so streaming, history and batching have something to show."""
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    from tests.conftest import DEMO

    folder = tmp_path_factory.mktemp("chatty-llama")
    tok = AutoTokenizer.from_pretrained(DEMO / "llama-tiny")
    torch.manual_seed(0)
    model = LlamaForCausalLM(LlamaConfig(
        vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, max_position_embeddings=256, pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id,
        tie_word_embeddings=True, initializer_range=1.0))
    model.save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder
