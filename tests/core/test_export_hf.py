"""hf export of the encoder tasks: a classification run loads with plain transformers (the model card's
own snippet), a NER run keeps its CRF head and loads with `laptune predict`; both get a model card."""
from __future__ import annotations

import json

import pytest

from core.use.export import ExportRequest, export
from tests.conftest import train_preset

FAST = ["max_steps=4", "logging_steps=1", "eval_steps=2", "save_steps=2", "learning_rate=3e-3"]


@pytest.mark.parametrize("preset", ["demo", "demo-ner"])
def test_hf_export_of_encoder_runs(tmp_path, capsys, preset):
    summary, _ = train_preset(preset, tmp_path / "run", sets=FAST)
    assert summary["status"] == "completed"
    result = export(ExportRequest(run_dir=tmp_path / "run", format="hf", out=tmp_path / "hf"))
    out = result.out
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "checkpoint-2 |" in card and "checkpoint-4" in card and "(best)" in card
    assert "## Data" in card and "| train |" in card
    if preset == "demo":
        assert "pipeline_tag: text-classification" in card
        config = json.loads((out / "config.json").read_text())
        labels = sorted(config["id2label"].values())
        assert labels and not labels[0].startswith("LABEL_")
        snippet = card.split("```python\n")[1].split("```")[0]
        assert len(snippet.strip().splitlines()) == 3 and str(out) in snippet
        printed: list = []
        exec(snippet, {"print": printed.append})   # plain transformers, as the card tells a user
        assert printed[0][0]["label"] in labels
    else:
        from core.cli.main import main

        assert (out / "laptune_head.json").exists() and "laptune predict" in card
        capsys.readouterr()
        assert main(["predict", str(out), "--text", "张三在北京工作", "--json"]) == 0
        assert "entities" in capsys.readouterr().out
