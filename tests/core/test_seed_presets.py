"""Every seed preset builds its model, data pipeline and TrainingArguments against a tiny model of the same
family (only the model id changes) and trains 2 steps where this device allows."""
from __future__ import annotations

import pytest
import torch

from core.config.presets import load_preset
from tests.conftest import DEMO, train_preset

DATA = {"ner": (DEMO / "ner_train.txt", DEMO / "ner_eval.txt"), "classify": (DEMO / "cls_train.csv", DEMO / "cls_eval.csv"),
        "sft": (DEMO / "chat_train.jsonl", DEMO / "chat_eval.jsonl")}
FAMILY = {"bert-base-chinese": "bert", "FacebookAI/roberta-large": "roberta", "Qwen/Qwen1.5-7B-Chat": "qwen2",
          "HuggingFaceTB/SmolLM2-135M-Instruct": "llama",
          # gte-multilingual-base's "new" architecture is remote code that cannot be fetched offline;
          # it is a BERT-style encoder, so the MLP-head pipeline is exercised on a tiny BERT.
          "Alibaba-NLP/gte-multilingual-base": "bert"}
SEEDS = ["ner-bert-crf-4gb", "ner-bert-crf-4gb-bs1", "ner-bert-crf-4gb-bs4", "ner-bert-crf-4gb-bs8", "ner-bert-crf-cpu",
         "cls-low-memory", "cls-safe", "cls-full", "cls-cpu", "encoder-mlp-gte", "sft-smollm2-8gb",
         "sft-smollm2-8gb-aggressive", "sft-smollm2-cpu", "qlora-qwen-7b-16gb", "qlora-qwen-7b-12gb"]


@pytest.mark.parametrize("name", SEEDS)
def test_seed_preset_trains_two_steps_on_a_tiny_same_family_model(name, tiny_models, tmp_path):
    cfg = load_preset(name)
    train, evals = DATA[cfg.task]
    overrides = {"model.name_or_path": str(tiny_models[FAMILY[cfg.model.name_or_path]]), "data.train": str(train),
                 "data.eval": str(evals), "model.trust_remote_code": False}
    sets = ["max_steps=2", "logging_steps=1", "save_steps=2", "eval_steps=2"]
    if not torch.cuda.is_available():
        if cfg.memory.precision in ("fp16", "bf16"):
            print(f"{name}: {cfg.memory.precision} needs CUDA; this machine has none, so the 2 steps run in fp32")
            sets += ["precision=fp32", "requires.bf16=false"]
        if cfg.training.optimizer in ("adamw_8bit", "paged_adamw_8bit"):
            print(f"{name}: the 8-bit optimizer needs CUDA; adamw on the CPU")
            sets.append("optimizer=adamw")
        if cfg.memory.load_in_4bit:
            from core.train.modeling import ModelError

            with pytest.raises(ModelError, match="needs an NVIDIA GPU"):
                train_preset(name, tmp_path / "refused", sets=sets, overrides=overrides)
            print(f"{name}: 4-bit QLoRA is refused on the CPU (as it must be); its LoRA pipeline runs in fp32 instead")
            sets += ["load_in_4bit=false", "requires.cuda=false"]
    summary, rec = train_preset(name, tmp_path / "run", sets=sets, overrides=overrides)
    assert summary["status"] == "completed" and summary["global_step"] == 2
    assert len(rec.of("log")) == 2 and rec.of("eval") and rec.of("checkpoint")
    # The preset's own memory settings reached the model and the arguments.
    assert summary["final_config"]["batch_size"] == cfg.training.batch_size
    assert summary["final_config"]["gradient_checkpointing"] == cfg.memory.gradient_checkpointing
