"""core/use/load.py: which checkpoint a path + --checkpoint means, and the model loaded for each task family."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch

from core.record.runs import RunDir
from core.use.load import UseError, load_for_inference, resolve_checkpoint


def test_run_folder_means_best_checkpoint(runs: dict[str, Path]) -> None:
    rd = RunDir.open(runs["ner"])
    best = max((c for c in rd.checkpoints() if "eval_f1" in c.metrics),
               key=lambda c: (c.metrics["eval_f1"], -c.metrics["eval_loss"]))
    r = resolve_checkpoint(runs["ner"])
    assert r.checkpoint_dir == best.path and r.step == best.step and r.task == "ner"
    assert "best by f1" in r.why
    assert resolve_checkpoint(runs["ner"], "best").checkpoint_dir == best.path
    assert resolve_checkpoint(runs["ner"], "final").checkpoint_dir == rd.final_dir
    assert resolve_checkpoint(runs["ner"], "latest").step == rd.checkpoints()[-1].step
    first = rd.checkpoints()[0].step
    assert resolve_checkpoint(runs["ner"], str(first)).step == first
    assert resolve_checkpoint(runs["ner"], f"checkpoint-{first}").step == first
    # A checkpoint folder given directly, and final/ given directly.
    inner = resolve_checkpoint(rd.checkpoints_dir / f"checkpoint-{first}")
    assert inner.run_dir == rd.path and inner.step == first and inner.task == "ner"
    assert resolve_checkpoint(rd.final_dir).name == "final"


def test_run_without_eval_means_final(runs: dict[str, Path], tmp_path: Path) -> None:
    run = tmp_path / "run"
    shutil.copytree(runs["cls"], run)
    for state in run.glob("checkpoints/*/trainer_state.json"):   # a run that never evaluated
        data = json.loads(state.read_text())
        data["log_history"] = [h for h in data["log_history"] if "eval_loss" not in h]
        state.write_text(json.dumps(data))
    r = resolve_checkpoint(run)
    assert r.name == "final" and "no evaluation" in r.why


@pytest.mark.parametrize("choice, words", [("99", "no checkpoint-99"), ("soon", "not a step number")])
def test_bad_choices_say_what_to_do(runs: dict[str, Path], choice: str, words: str) -> None:
    with pytest.raises(Exception) as info:
        resolve_checkpoint(runs["cls"], choice)
    assert words in str(info.value) and "Fix:" in str(info.value)


def test_bad_paths(tmp_path: Path, runs: dict[str, Path]) -> None:
    with pytest.raises(UseError, match="does not exist"):
        resolve_checkpoint(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UseError, match="holds no model"):
        resolve_checkpoint(tmp_path / "empty")
    with pytest.raises(UseError, match="model folder, not a run"):
        resolve_checkpoint(_bare(runs, tmp_path), 12)


def _bare(runs: dict[str, Path], tmp_path: Path) -> Path:
    dst = tmp_path / "bare"
    shutil.copytree(runs["cls"] / "final", dst)
    return dst


def test_bare_model_folder_infers_task(runs: dict[str, Path], tmp_path: Path) -> None:
    for name, task in (("ner", "ner"), ("cls", "classify"), ("sft", "sft")):
        dst = tmp_path / name
        shutil.copytree(runs[name] / "final", dst)
        assert resolve_checkpoint(dst).task == task


def test_checkpoint_of_own_head_loads_like_final(runs: dict[str, Path], tmp_path: Path) -> None:
    """A Trainer checkpoint of the BERT+CRF tagger holds only the state dict: rebuilt from final/ when the run
    finished, and from the run config + data when it has not (a run still training)."""
    rd = RunDir.open(runs["ner"])
    last = rd.checkpoints()[-1]
    from_final = load_for_inference(resolve_checkpoint(runs["ner"], "final"))
    from_ckpt = load_for_inference(resolve_checkpoint(runs["ner"], last.step))
    run = tmp_path / "running"
    shutil.copytree(runs["ner"], run)
    shutil.rmtree(run / "final")
    in_progress = load_for_inference(resolve_checkpoint(run, "latest"))
    assert from_final.kind == from_ckpt.kind == in_progress.kind == "crf"
    assert from_final.labels == from_ckpt.labels == in_progress.labels
    assert from_final.labels[0] == "O" and "B-PER" in from_final.labels
    # The last checkpoint is the final model: same weights, whichever way it was rebuilt.
    for a, b in ((from_final, from_ckpt), (from_final, in_progress)):
        for (ka, va), (kb, vb) in zip(a.model.state_dict().items(), b.model.state_dict().items()):
            assert ka == kb and torch.equal(va, vb), ka


def test_each_family_loads(runs: dict[str, Path]) -> None:
    cls = load_for_inference(resolve_checkpoint(runs["cls"]))
    assert cls.kind == "sequence" and cls.labels == ["体育", "天气", "美食"] and not cls.model.training
    sft = load_for_inference(resolve_checkpoint(runs["sft"]))
    assert sft.kind == "lora" and sft.labels is None and sft.tokenizer.chat_template
    # Merged adapters: plain Linear layers, no peft wrappers left.
    assert not any("lora_" in name for name, _ in sft.model.named_parameters())


def test_lora_base_given_as_hub_id_comes_from_the_hub_cache(runs: dict[str, Path], tiny_models: dict[str, Path],
                                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run trained on a hub model: its LoRA adapters load onto the copy core/hub cached, with no network."""
    import yaml

    cache = tmp_path / "hub"
    snapshot = cache / "models--laptune-test--tiny-llama" / "snapshots" / "abc123"
    shutil.copytree(tiny_models["llama"], snapshot)
    (cache / "models--laptune-test--tiny-llama" / "refs").mkdir()
    (cache / "models--laptune-test--tiny-llama" / "refs" / "main").write_text("abc123")
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    run = tmp_path / "run"
    shutil.copytree(runs["sft"], run)
    data = yaml.safe_load((run / "run.yaml").read_text(encoding="utf-8"))
    data["config"]["model"]["name_or_path"] = "laptune-test/tiny-llama"
    (run / "run.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    from_hub = load_for_inference(resolve_checkpoint(run))
    local = load_for_inference(resolve_checkpoint(runs["sft"]))
    for (ka, va), (kb, vb) in zip(from_hub.model.state_dict().items(), local.model.state_dict().items()):
        assert ka == kb and torch.equal(va, vb), ka
