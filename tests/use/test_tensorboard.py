"""Every run writes TensorBoard event files beside events.jsonl; read back with tensorboard's own reader.
The classification run of tests/use/conftest.py replays a hot GPU, so its files hold a guard pause too."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.use.conftest import RECORDS


def _accumulator(folder: Path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    acc = EventAccumulator(str(folder), size_guidance={"scalars": 0, "tensors": 0})
    acc.Reload()
    return acc


def _texts(acc, tag: str) -> list[str]:
    return [t.tensor_proto.string_val[0].decode() for t in acc.Tensors(tag)] if tag in acc.Tags()["tensors"] else []


def test_run_writes_tensorboard_events(runs: dict[str, Path]) -> None:
    run, rec = runs["cls"], RECORDS["cls"]
    folder = run / "tensorboard"
    assert list(folder.glob("events.out.tfevents.*"))
    acc = _accumulator(folder)
    scalars = set(acc.Tags()["scalars"])
    assert {"train/loss", "train/learning_rate", "eval/loss", "eval/accuracy", "system/gpu_temp_c",
            "system/vram_used_frac", "system/ram_used_frac", "guard/paused"} <= scalars
    # The same numbers as events.jsonl.
    losses = [(e.step, e.loss) for e in rec.of("log") if e.loss is not None]
    assert [(s.step, pytest.approx(s.value, rel=1e-6)) for s in acc.Scalars("train/loss")] == losses
    evals = [(e.step, e.metrics["eval_accuracy"]) for e in rec.of("eval")]
    assert [(s.step, pytest.approx(s.value, rel=1e-6)) for s in acc.Scalars("eval/accuracy")] == evals
    lines = [json.loads(x) for x in (run / "events.jsonl").read_text().splitlines()]
    temps = [x["gpu_temp_c"] for x in lines if x["type"] == "sample" and x.get("gpu_temp_c") is not None]
    assert [s.value for s in acc.Scalars("system/gpu_temp_c")] == temps   # samples thinned as in events.jsonl
    paused = [s.value for s in acc.Scalars("guard/paused")]
    pauses = [g for g in rec.of("guard") if g.action in ("pause", "resume")]
    assert paused[:2] == [1.0, 0.0] and paused == [1.0 if g.action == "pause" else 0.0 for g in pauses]
    guard = _texts(acc, "guard/text_summary")
    assert guard and guard[0].startswith("pause (gpu_temp 88 / 85)")
    statuses = _texts(acc, "status/text_summary")
    assert any(s.startswith("paused") for s in statuses) and statuses[-1].startswith("completed")


def test_every_run_has_tensorboard_files(runs: dict[str, Path]) -> None:
    for name in ("ner", "sft"):
        acc = _accumulator(runs[name] / "tensorboard")
        assert {"train/loss", "eval/loss"} <= set(acc.Tags()["scalars"])
    assert "eval/f1" in _accumulator(runs["ner"] / "tensorboard").Tags()["scalars"]
