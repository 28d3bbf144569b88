"""Shared fixtures: tiny models of the real architecture families, saved with save_pretrained and loaded
back through LapTune's real loading code (no network), and a helper that runs a preset."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "resources" / "demo"

# Property tests: random examples on a developer's machine (each run explores new ones, and a failure is
# saved to .hypothesis/ and replayed first next time); CI (.ci/run sets HYPOTHESIS_PROFILE=ci) draws the
# same examples every run, so a landing never depends on the draw. A failure found either way becomes an
# @example in its test.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
_hypothesis_settings.register_profile("dev", print_blob=True)
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def _save_tiny(folder: Path, family: str) -> Path:
    import torch
    from transformers import (AutoModel, AutoTokenizer, BertConfig, LlamaConfig, LlamaForCausalLM, Qwen2Config,
                              Qwen2ForCausalLM, RobertaConfig)

    torch.manual_seed(0)
    if family in ("bert", "roberta"):
        tok = AutoTokenizer.from_pretrained(DEMO / "bert-tiny")
        # 12 layers like bert-base, so presets that freeze 10 of them apply unchanged.
        common = dict(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=12, num_attention_heads=2,
                      intermediate_size=64, max_position_embeddings=130)
        config = BertConfig(**common) if family == "bert" else RobertaConfig(**common, pad_token_id=0, type_vocab_size=1)
        model = AutoModel.from_config(config)
    else:
        tok = AutoTokenizer.from_pretrained(DEMO / "llama-tiny")
        common = dict(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                      num_key_value_heads=2, max_position_embeddings=256, pad_token_id=tok.pad_token_id,
                      eos_token_id=tok.eos_token_id, tie_word_embeddings=True)
        model = (LlamaForCausalLM(LlamaConfig(**common)) if family == "llama" else Qwen2ForCausalLM(Qwen2Config(**common)))
    model.save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("tiny-models")
    return {family: _save_tiny(base / family, family) for family in ("bert", "roberta", "llama", "qwen2")}


class Recorder:
    """Collects events in order (the style guide's recorder callback)."""

    def __init__(self, on_event: Any = None) -> None:
        self.events: list[Any] = []
        self.on_event = on_event

    def __call__(self, event: Any) -> None:
        self.events.append(event)
        if self.on_event is not None:
            self.on_event(event)

    def of(self, kind: str) -> list[Any]:
        return [e for e in self.events if e.type == kind]

    def statuses(self) -> list[str]:
        return [e.status for e in self.of("status")]


def train_preset(preset: str, run_dir: Path, *, sets: list[str] | None = None, overrides: dict[str, Any] | None = None,
                 control: Any = None, faults: Any = None, on_event: Any = None, fixed_padding: bool = False):
    from core.train import session
    from core.machine.fakes import fake_probe
    from core.config.presets import resolve

    resolved = resolve(preset, sets=sets or [], env={}, dotenv=None, overrides=overrides)
    rec = Recorder(on_event)
    summary = session.run(resolved.config, rec, control, run_dir=run_dir, preset_path=resolved.preset_path,
                          sources=resolved.sources, hardware=fake_probe("cpu-only"), faults=faults,
                          fixed_padding=fixed_padding)
    return summary, rec


@pytest.fixture
def copy_demo(tmp_path: Path):
    def _copy(name: str) -> Path:
        dst = tmp_path / name
        shutil.copytree(DEMO / name, dst)
        return dst
    return _copy
