"""CPU threads, the evaluation batch, the one-call tokenisation, fused AdamW and lean imports: the settings behind docs/benchmarks.md's end-to-end table."""
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


def test_adamw_is_torchs_fused_adamw_on_the_cpu_only():
    from core.train.setup import optimizer_name

    cpu, cuda = Device("cpu", None, "fp32", "test"), Device("cuda", 0, "fp16", "test")
    assert optimizer_name(_cfg(), cpu) == "adamw_torch_fused"
    assert optimizer_name(_cfg(), cuda) == "adamw_torch"     # the foreach AdamW the memory estimator models
    assert optimizer_name(_cfg("training.optimizer=sgd"), cpu) == "sgd"
    assert optimizer_name(_cfg("training.optimizer=adamw_8bit"), cuda) == "adamw_bnb_8bit"


def test_fused_adamw_on_the_cpu_takes_the_same_steps_as_the_loop_version():
    torch.manual_seed(0)
    models = [torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.GELU(), torch.nn.Linear(16, 3)) for _ in range(2)]
    models[1].load_state_dict(models[0].state_dict())
    opts = [torch.optim.AdamW(models[0].parameters(), lr=1e-2, weight_decay=0.01),
            torch.optim.AdamW(models[1].parameters(), lr=1e-2, weight_decay=0.01, fused=True)]
    x, y = torch.randn(32, 8), torch.randint(0, 3, (32,))
    for _ in range(10):
        for model, opt in zip(models, opts):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
    for a, b in zip(models[0].parameters(), models[1].parameters()):
        assert torch.allclose(a, b, atol=1e-6)
    assert opts[1].state_dict()["state"].keys() == opts[0].state_dict()["state"].keys()   # same state to save


def test_lean_imports_leave_out_what_the_run_does_not_use():
    from core.train import lean

    assert lean.unneeded_packages(_cfg()) == ["datasets", "scipy", "peft"]
    lora = resolve("demo-sft", env={}, dotenv=None, sets=["lora.enabled=true"]).config
    assert lean.unneeded_packages(lora) == ["datasets", "scipy"]   # LoRA needs peft in the Trainer
    assert lean.trim(_cfg()) == []   # not enabled in this (test) process, which runs LoRA and NER alike


_PROBE = ("import json, sys; from core.cli.main import main; rc = main(sys.argv[1:], own_process=True); "
          "print(json.dumps({'rc': rc, **{m: m in sys.modules for m in ('peft', 'datasets', 'scipy', 'transformers.trainer')}}))")


def _train_process(tmp_path, *args: str) -> dict:
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run([sys.executable, "-c", _PROBE, "train", *args, "--out", str(tmp_path / "run")],
                          capture_output=True, text=True, timeout=300, cwd=root, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_a_training_process_imports_neither_peft_nor_datasets_for_ner(tmp_path, tiny_models):
    seen = _train_process(tmp_path, "--preset", "demo-ner", "--model", str(tiny_models["bert"]), "--set", "max_steps=2",
                          "--set", "eval_steps=2", "--set", "save_steps=2")
    assert seen == {"rc": 0, "peft": False, "datasets": False, "scipy": False, "transformers.trainer": True}
    log = (tmp_path / "run" / "library.log").read_text(encoding="utf-8")
    assert "not imported for this run (not used by it): datasets, scipy, peft" in log


def test_a_lora_training_process_still_gets_peft(tmp_path):
    seen = _train_process(tmp_path, "--preset", "demo-sft", "--set", "lora.enabled=true", "--set", "max_steps=2",
                          "--set", "eval_steps=2", "--set", "save_steps=2")
    assert seen["rc"] == 0 and seen["peft"] is True and seen["datasets"] is False
    assert list((tmp_path / "run").rglob("adapter_config.json")), "the Trainer saved the adapter as a PeftModel"


_CONSOLE = ("import atexit, sys; atexit.register(lambda: print('exit handlers ran', flush=True)); "
            "Torn = type('Torn', (), {'__del__': lambda self: print('torn down', flush=True)}); torn = Torn(); "
            "from gui.entry import main; sys.argv = ['laptune', *sys.argv[1:]]; sys.exit(main())")


@pytest.mark.parametrize("command", ["train", "presets"])
def test_the_console_script_ends_a_training_process_without_teardown_but_with_exit_handlers(tmp_path, command):
    """`laptune train` leaves through lean.leave (no interpreter teardown): exit handlers still run, the
    exit code and the output arrive, the run is complete on disk; other commands exit normally."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONWARNINGS": "ignore"}
    args = (["train", "--preset", "demo", "--set", "max_steps=2", "--set", "eval_steps=2", "--set", "save_steps=2",
             "--out", str(tmp_path / "run")] if command == "train" else ["presets"])
    proc = subprocess.run([sys.executable, "-c", _CONSOLE, *args], capture_output=True, text=True, timeout=300,
                          cwd=root, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "exit handlers ran" in proc.stdout
    assert ("torn down" in proc.stdout) is (command != "train")   # the teardown frees module globals
    if command == "train":
        import json

        assert json.loads((tmp_path / "run" / "summary.json").read_text())["status"] == "completed"
        assert (tmp_path / "run" / "final" / "model.safetensors").exists()
        bad = subprocess.run([sys.executable, "-c", _CONSOLE, "train", "--preset", "demo", "--data", str(tmp_path / "none.csv"),
                              "--out", str(tmp_path / "bad")], capture_output=True, text=True, timeout=300, cwd=root, env=env)
        assert bad.returncode != 0 and "none.csv" in bad.stderr and "exit handlers ran" in bad.stdout
