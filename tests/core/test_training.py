"""Each task family trains end to end on a tiny model of its real family, loaded through the real code."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from tests.conftest import DEMO, train_preset

FAST = ["logging_steps=2", "eval_steps=10", "save_steps=10"]


def _losses(rec):
    return [e.loss for e in rec.of("log") if e.loss is not None]


def test_ner_crf_learns_and_final_folder_reloads(tiny_models, tmp_path):
    summary, rec = train_preset("demo-ner", tmp_path / "run", sets=FAST + ["max_steps=60", "learning_rate=3e-3"],
                                overrides={"model.name_or_path": str(tiny_models["bert"]), "model.init_from_scratch": False})
    assert summary["status"] == "completed"
    losses = _losses(rec)
    assert losses[-1] < losses[0] / 3
    assert summary["last_eval"]["eval_f1"] > 0.5   # chance-level tagging scores ~0 entity F1

    from core.train.tasks.ner_crf import EncoderCrfTagger

    final = tmp_path / "run" / "final"
    assert json.loads((final / "config.json").read_text())["id2label"]
    model = EncoderCrfTagger.from_pretrained(final).eval()
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(final)
    chars = list("张伟在北京的华为公司工作。")
    enc = tok(chars, is_split_into_words=True, return_tensors="pt")
    starts = torch.tensor([[i for i, w in enumerate(enc.word_ids()) if w is not None]])
    out = model(enc["input_ids"], enc["attention_mask"], starts, torch.ones_like(starts))
    tags = model.decode(out.logits, torch.ones_like(starts))[0].tolist()
    id2label = {int(k): v for k, v in json.loads((final / "config.json").read_text())["id2label"].items()}
    assert [id2label[t] for t in tags[:2]] == ["B-PER", "I-PER"]


@pytest.mark.parametrize("head", ["auto", "mlp"])
def test_classification_learns(tiny_models, tmp_path, head):
    summary, rec = train_preset("demo", tmp_path / "run", sets=FAST + ["max_steps=80", "learning_rate=3e-3", f"classify.head={head}"],
                                overrides={"model.name_or_path": str(tiny_models["bert"]), "model.init_from_scratch": False})
    assert summary["status"] == "completed"
    assert summary["best_eval"]["eval_accuracy"] > 0.6   # three classes: chance is 1/3
    assert "eval_macro_f1" in summary["last_eval"]
    final = tmp_path / "run" / "final"
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from core.train.tasks.classify import EncoderMlpClassifier

    model = (EncoderMlpClassifier if head == "mlp" else AutoModelForSequenceClassification).from_pretrained(final).eval()
    from core.data import read_classification

    rows = read_classification(DEMO / "cls_eval.csv")
    enc = AutoTokenizer.from_pretrained(final)([r.text for r in rows], padding=True, return_tensors="pt")
    with torch.no_grad():
        predicted = model(**enc).logits.argmax(-1)
    id2label = json.loads((final / "config.json").read_text())["id2label"]
    accuracy = sum(id2label[str(int(p))] == r.label for p, r in zip(predicted, rows)) / len(rows)
    # The reloaded final model scores exactly what the run's last evaluation reported.
    assert accuracy == pytest.approx(summary["last_eval"]["eval_accuracy"])


@pytest.mark.parametrize("family", ["llama", "qwen2"])
def test_sft_with_lora_learns_and_samples(tiny_models, tmp_path, family):
    summary, rec = train_preset("demo-sft", tmp_path / "run", sets=FAST + ["max_steps=40", "learning_rate=1e-2", "lora.enabled=true",
                                                                          "lora.rank=8"],
                                overrides={"model.name_or_path": str(tiny_models[family]), "model.init_from_scratch": False})
    assert summary["status"] == "completed"
    evals = rec.of("eval")
    losses = _losses(rec)
    # LoRA on a random 2-layer model: it learns the token statistics in the first steps, then plateaus.
    assert sum(losses[-3:]) / 3 < sum(losses[:3]) / 3 - 0.02
    assert evals[-1].metrics["eval_loss"] < 3.7   # below the untrained model's ~3.8 (uniform over 45 tokens)
    assert evals[-1].metrics["eval_perplexity"] == pytest.approx(torch.tensor(evals[-1].metrics["eval_loss"]).exp().item(), rel=1e-4)
    assert all(e.generation and e.generation.startswith("reverse abcd ->") for e in evals)
    assert any("LoRA r=8" in e.message for e in rec.of("status") if e.status == "note")
    assert (tmp_path / "run" / "final" / "adapter_config.json").exists()


def test_sft_loss_only_on_assistant_tokens():
    from transformers import AutoTokenizer

    from core.config.schema import RunConfig
    from core.train.tasks.causal_sft import _features

    tok = AutoTokenizer.from_pretrained(DEMO / "llama-tiny")
    cfg = RunConfig.model_validate({"task": "sft", "model": {"name_or_path": "x"}, "data": {"max_rounds": 1}})

    class Ex:
        messages = [{"role": "system", "content": "sys"}, {"role": "user", "content": "reverse ab"},
                    {"role": "assistant", "content": "ba"}, {"role": "user", "content": "upper cd"},
                    {"role": "assistant", "content": "CD"}]

    notes: list[str] = []
    feat = _features([Ex()], tok, cfg, 200, notes)[0]
    labelled = tok.decode([t for t in feat["labels"] if t != -100])
    assert labelled.startswith("ba")          # the first assistant reply (and its end marker)
    assert "CD" not in tok.decode(feat["input_ids"])   # max_rounds=1 dropped the second round
    assert "reverse" not in labelled and "sys" not in labelled
    # Truncation that leaves no assistant token drops the sample and says so.
    assert _features([Ex()], tok, cfg, 8, notes) == []
    assert "dropped 1" in notes[-1]


def test_events_arrive_in_order(tmp_path):
    summary, rec = train_preset("demo", tmp_path / "run", sets=["max_steps=6", "logging_steps=2", "eval_steps=3", "save_steps=3"])
    kinds = [e.type if e.type != "status" else e.status for e in rec.events if e.type != "sample"]
    assert kinds[0] == "note"
    start = kinds.index("started")
    assert kinds[-1] == "completed"
    body = kinds[start + 1:-1]
    assert body.index("log") < body.index("eval") < body.index("checkpoint")
    # Every checkpoint follows the evaluation of the same step.
    for ck in rec.of("checkpoint"):
        assert any(e.step == ck.step for e in rec.of("eval"))
    started = next(e for e in rec.of("status") if e.status == "started")
    assert started.total_steps == 6
    lines = [json.loads(line) for line in (tmp_path / "run" / "events.jsonl").read_text().splitlines()]
    assert all({"t", "type", "step"} <= set(line) for line in lines)
    assert summary["global_step"] == 6 and summary["best_checkpoint"]


def _stop_at(step: int):
    from core.record.events import Control

    control = Control()

    def on_event(event):
        if event.type == "log" and event.step >= step:
            control.stop("test stop")
    return control, on_event


def test_resume_equals_uninterrupted_run(tmp_path):
    sets = ["max_steps=16", "logging_steps=1", "eval_steps=8", "save_steps=4"]
    full, _ = train_preset("demo", tmp_path / "full", sets=sets)

    control, on_event = _stop_at(6)
    stopped, _ = train_preset("demo", tmp_path / "cut", sets=sets, control=control, on_event=on_event)
    assert stopped["status"] == "stopped"
    assert stopped["global_step"] == 7
    assert (tmp_path / "cut" / "checkpoints" / "checkpoint-7" / "laptune_complete").exists()

    from core.train import session
    from tests.conftest import Recorder

    resumed = session.resume(tmp_path / "cut", Recorder())
    assert resumed["status"] == "completed" and resumed["global_step"] == 16
    assert resumed["last_train_loss"] == pytest.approx(full["last_train_loss"], abs=1e-5)
    assert resumed["last_eval"]["eval_loss"] == pytest.approx(full["last_eval"]["eval_loss"], abs=1e-5)


def test_runs_lists_checkpoints_with_best(tmp_path, capsys):
    train_preset("demo", tmp_path / "run", sets=["max_steps=9", "logging_steps=1", "eval_steps=3", "save_steps=3"])
    from core.cli.main import main

    assert main(["runs", str(tmp_path / "run")]) == 0
    out = capsys.readouterr().out
    assert "checkpoint-3" in out and "checkpoint-9" in out and "* checkpoint-" in out


def test_folder_without_weights_needs_init_from_scratch(tmp_path, copy_demo):
    folder = copy_demo("bert-tiny")
    from core.train.modeling import ModelError

    with pytest.raises(ModelError, match="no weights in"):
        train_preset("demo", tmp_path / "run", overrides={"model.name_or_path": str(folder), "model.init_from_scratch": False})


def test_remote_code_model_is_refused_without_opt_in(tmp_path, copy_demo):
    folder = copy_demo("bert-tiny")
    config = json.loads((folder / "config.json").read_text())
    config["auto_map"] = {"AutoModel": "Alibaba-NLP/new-impl--modeling.NewModel"}
    (folder / "config.json").write_text(json.dumps(config))
    from core.train.modeling import ModelError

    with pytest.raises(ModelError, match="trust_remote_code"):
        train_preset("demo", tmp_path / "run", overrides={"model.name_or_path": str(folder)})


def test_qlora_is_refused_on_cpu_with_the_alternative(tiny_models, tmp_path):
    from core.train.modeling import ModelError

    with pytest.raises(ModelError, match="LoRA in 16/32-bit") as info:
        train_preset("qlora-qwen-7b-16gb", tmp_path / "run", sets=["precision=auto"],
                     overrides={"model.name_or_path": str(tiny_models["qwen2"]), "data.train": str(DEMO / "chat_train.jsonl")})
    assert "load_in_4bit=false" in str(info.value)
    assert json.loads((tmp_path / "run" / "summary.json").read_text())["status"] == "failed"


def test_4bit_load_and_forward_on_cpu(tiny_models):
    """bitsandbytes 4-bit loading and forward work on a CPU; training does not (PLATFORM-NOTES), so only this runs here."""
    pytest.importorskip("bitsandbytes", reason="bitsandbytes is not installed")
    from transformers import AutoModelForCausalLM, BitsAndBytesConfig

    quant = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                               bnb_4bit_compute_dtype=torch.float32)
    try:
        model = AutoModelForCausalLM.from_pretrained(tiny_models["llama"], quantization_config=quant, device_map={"": "cpu"})
    except Exception as exc:  # noqa: BLE001 - the reason is printed in the skip
        pytest.skip(f"bitsandbytes cannot load 4-bit weights on this CPU: {type(exc).__name__}: {exc}")
    import bitsandbytes as bnb

    assert any(isinstance(m, bnb.nn.Linear4bit) for m in model.modules())
    out = model(torch.tensor([[5, 8, 9, 10]]))
    assert torch.isfinite(out.logits).all()


def test_bad_data_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nhello,a\n", encoding="utf-8")
    bad.write_text("sentence,wrong\nhello,a\n", encoding="utf-8")
    from core.data import DataError

    with pytest.raises(DataError) as info:
        train_preset("demo", tmp_path / "run", overrides={"data.train": str(bad)})
    assert "bad.csv" in str(info.value)


def test_length_grouped_sampler_is_seeded_grouped_and_shuffled():
    import random

    from core.train.trainer import SeededLengthGroupedSampler

    lengths = [random.Random(i).randint(5, 500) for i in range(1000)]
    sampler = SeededLengthGroupedSampler(lengths, group_size=8, seed=3)
    first = list(sampler)
    assert sorted(first) == list(range(1000)) and first == list(sampler)      # a permutation, reproducible
    assert lengths[first[0]] == max(lengths)                                    # the longest batch first
    batches = [first[i:i + 8] for i in range(0, 1000, 8)]
    spread = sum(max(lengths[j] for j in b) - min(lengths[j] for j in b) for b in batches) / len(batches)
    assert spread < 40                                                          # similar lengths per batch (random: ~390)
    firsts = [max(lengths[j] for j in b) for b in batches[1:]]
    assert firsts != sorted(firsts, reverse=True)                               # no long-to-short curriculum
    sampler.set_epoch(1)
    assert list(sampler) != first


def test_length_grouped_batches_change_from_epoch_to_epoch_on_small_data():
    """300 samples in groups of 16: not one sorted mega-batch (the same batches every epoch) but several."""
    import random

    from core.train.trainer import SeededLengthGroupedSampler

    lengths = [random.Random(i).randint(5, 120) for i in range(300)]
    sampler = SeededLengthGroupedSampler(lengths, group_size=16, seed=0)

    def batches(epoch: int) -> set[frozenset[int]]:
        sampler.set_epoch(epoch)
        order = list(sampler)
        assert sorted(order) == list(range(300))
        return {frozenset(order[i:i + 16]) for i in range(0, 300, 16)}

    first, second = batches(0), batches(1)
    assert len(first & second) <= 2            # one sorted mega-batch would give the same 19 batches


@pytest.mark.parametrize("preset", ["demo", "demo-ner", "demo-sft"])
def test_fixed_padding_the_seed_way_trains_every_task(tmp_path, preset):
    """training.dynamic_padding: false pads every batch to max_seq_length (the seeds' way, bench/throughput.py's baseline)."""
    from core.config.schema import RunConfig
    from core.train.setup import Device, build_task
    from core.config.presets import resolve

    resolved = resolve(preset, env={}, dotenv=None, sets=["dynamic_padding=false"])
    cfg: RunConfig = resolved.config
    bundle = build_task(cfg, Device("cpu", None, "fp32", "test"), resolved.preset_path.parent, fixed_padding=True)
    batch = bundle.collator([bundle.train_dataset[i] for i in range(3)])
    assert batch["input_ids"].shape[1] == cfg.training.max_seq_length
    if preset == "demo-sft":
        assert batch["labels"].shape == batch["input_ids"].shape
    summary, _ = train_preset(preset, tmp_path / "run", sets=["dynamic_padding=false", "max_steps=2", "save_steps=2", "eval_steps=2"])
    assert summary["status"] == "completed"


def test_pad_multiple_keeps_few_batch_lengths():
    """8 up to 256 tokens, then 8 more per 256: at most ~32 padded lengths, so few kernel shapes."""
    from core.train.tasks.base import pad_multiple

    assert [pad_multiple(n) for n in (1, 64, 256, 257, 512, 1024, 2048)] == [8, 8, 8, 16, 16, 32, 64]
    for limit in (64, 256, 512, 1000, 2048):
        assert -(-limit // pad_multiple(limit)) <= 32


def test_dynamic_padding_rounds_token_fields_up_to_the_multiple_never_past_the_limit():
    from core.train.tasks.base import pad_batch

    def feats(*lengths: int) -> list[dict]:
        return [{"input_ids": [5] * n, "attention_mask": [1] * n, "word_mask": [1] * (n - 1), "label": 1} for n in lengths]

    batch = pad_batch(feats(3, 9, 11), pad_id=0, fixed_length=None, limit=64)
    assert batch["input_ids"].shape == (3, 16) and batch["attention_mask"].shape == (3, 16)
    assert batch["input_ids"][0].tolist() == [5] * 3 + [0] * 13
    assert batch["attention_mask"].sum(1).tolist() == [3, 9, 11]       # the padding is masked out
    assert batch["word_mask"].shape == (3, 10)                          # per-word fields: their own longest
    assert batch["label"].tolist() == [1, 1, 1]
    assert pad_batch(feats(60, 61), 0, None, limit=62)["input_ids"].shape == (2, 62)   # not past the limit
    assert pad_batch(feats(16), 0, None, limit=64)["input_ids"].shape == (1, 16)       # already a multiple
    assert pad_batch(feats(3, 9), 0, None)["input_ids"].shape == (2, 9)                # no limit: the longest
    assert pad_batch(feats(3, 9), 0, 64, limit=64)["input_ids"].shape == (2, 64)       # fixed: the seeds' way


@pytest.mark.parametrize("preset", ["demo", "demo-ner", "demo-sft"])
def test_every_task_pads_batches_to_the_multiple(preset):
    from core.config.presets import resolve
    from core.train.setup import Device, build_task
    from core.train.tasks.base import pad_multiple

    resolved = resolve(preset, env={}, dotenv=None, sets=[])
    cfg = resolved.config
    bundle = build_task(cfg, Device("cpu", None, "fp32", "test"), resolved.preset_path.parent)
    for start in range(0, min(len(bundle.train_dataset), 12), 3):
        feats = [bundle.train_dataset[i] for i in range(start, start + 3)]
        batch = bundle.collator(feats)
        longest = max(len(f["input_ids"]) for f in feats)
        width = batch["input_ids"].shape[1]
        assert width % pad_multiple(cfg.training.max_seq_length) == 0 or width == cfg.training.max_seq_length
        assert longest <= width < longest + pad_multiple(cfg.training.max_seq_length)
        if preset == "demo-sft":
            assert batch["labels"].shape == batch["input_ids"].shape
            assert (batch["labels"][:, longest:] == -100).all()

def test_best_checkpoint_breaks_metric_ties_by_eval_loss():
    """Accuracy 1.0 at steps 30, 60 and 90: the best is the one with the lowest eval loss, not the first."""
    from core.record.runs import CheckpointInfo, best_checkpoint

    def ckpt(step: int, **metrics: float) -> CheckpointInfo:
        return CheckpointInfo(path=Path(f"checkpoint-{step}"), step=step, complete=True, metrics=metrics)

    checkpoints = [ckpt(30, eval_accuracy=1.0, eval_loss=0.73), ckpt(60, eval_accuracy=1.0, eval_loss=0.02),
                   ckpt(90, eval_accuracy=1.0, eval_loss=float("nan")), ckpt(120, eval_accuracy=0.9, eval_loss=0.01)]
    assert best_checkpoint(checkpoints, "eval_accuracy", greater_is_better=True).step == 60
    assert best_checkpoint(checkpoints[:2] + checkpoints[3:]).step == 120            # by eval loss
    assert best_checkpoint([ckpt(10, eval_accuracy=0.5)], "eval_accuracy", True).step == 10
    assert best_checkpoint([ckpt(10, eval_accuracy=0.5)]) is None
