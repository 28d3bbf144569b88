"""Tiny trained runs shared by the predict/chat/compare/evaluate tests: the demo presets cut to a few steps,
trained once per test session through the real session code (CPU, no network)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import train_preset

SHORT = ["save_steps=6", "eval_steps=6", "logging_steps=3"]


@pytest.fixture(scope="session")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """name -> run folder: ner (BERT+CRF), cls (sequence classification), sft (LoRA on a tiny Llama)."""
    import torch

    torch.set_num_threads(1)   # two cores are shared with other test processes (PLATFORM-NOTES)
    base = tmp_path_factory.mktemp("use-runs")
    out = {}
    for name, preset, sets in (("ner", "demo-ner", ["max_steps=36", "learning_rate=5e-3"]),
                               ("cls", "demo", ["max_steps=24"]),
                               ("sft", "demo-sft", ["max_steps=12", "lora.enabled=true"])):
        summary, _ = train_preset(preset, base / name, sets=SHORT + sets)
        assert summary["status"] == "completed", summary
        out[name] = base / name
    return out
