"""Presets: every file validates, errors name the file/line/field with the fix, resolution order, recommend()."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from core.config.schema import RunConfig
from core.machine.fakes import fake_probe
from core.config.presets import PresetError, list_presets, load_preset, migrate, resolve
from core.memory.recommend import recommend_all

ROOT = Path(__file__).resolve().parents[2]
SEED_PRESETS = ["ner-bert-crf-4gb", "ner-bert-crf-4gb-bs1", "ner-bert-crf-4gb-bs4", "ner-bert-crf-4gb-bs8", "cls-low-memory",
                "cls-safe", "cls-full", "qlora-qwen-7b-16gb", "qlora-qwen-7b-12gb", "encoder-mlp-gte", "sft-smollm2-8gb",
                "sft-smollm2-8gb-aggressive", "demo"]


def test_every_preset_file_validates():
    infos = list_presets()
    assert {i.name for i in infos} >= set(SEED_PRESETS)
    assert [i.error for i in infos if i.error] == []


def test_seed_000_numbers_are_in_the_preset():
    cfg = load_preset("ner-bert-crf-4gb")
    t, m = cfg.training, cfg.memory
    assert (t.batch_size, t.grad_accum, t.max_seq_length, m.freeze_layers, m.precision) == (2, 8, 64, 10, "fp16")
    assert (t.num_epochs, t.learning_rate, t.head_learning_rate, t.logging_steps) == (5, 5e-5, 5e-3, 50)
    assert {load_preset(f"ner-bert-crf-4gb-bs{b}").effective_batch for b in (1, 4, 8)} == {16}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_key_names_line_and_suggests(tmp_path):
    path = _write(tmp_path, "version: 1\ntask: ner\nmodel:\n  name_or_path: x\ntraining:\n  batch_sise: 4\n")
    with pytest.raises(PresetError) as info:
        load_preset(path)
    err = info.value
    assert (err.line, err.field) == (6, "training.batch_sise")
    assert "did you mean 'batch_size'" in str(err) and str(path) in str(err)


def test_wrong_type_names_the_field(tmp_path):
    path = _write(tmp_path, "task: ner\nmodel:\n  name_or_path: x\ntraining:\n  batch_size: many\n")
    with pytest.raises(PresetError, match="training.batch_size"):
        load_preset(path)


@pytest.mark.parametrize("body, reason", [
    ("memory:\n  load_in_4bit: true\nlora:\n  enabled: true\n", "needs a CUDA GPU"),
    ("memory:\n  load_in_4bit: true\nrequires:\n  cuda: true\n", "needs lora.enabled"),
    ("training:\n  batch_size: 0\n", "greater than or equal to 1"),
    ("guard:\n  gpu_temp_resume_c: 90\n", "pause and resume in a loop"),
])
def test_impossible_combinations_are_rejected_with_the_reason(tmp_path, body, reason):
    path = _write(tmp_path, "task: sft\nmodel:\n  name_or_path: x\n" + body)
    with pytest.raises(PresetError, match=reason):
        load_preset(path)


def test_freeze_more_layers_than_the_model_has(tmp_path):
    from core.config.presets import check_with_model_config

    cfg = load_preset("ner-bert-crf-4gb").model_copy(deep=True)
    cfg.memory.freeze_layers = 13
    with pytest.raises(PresetError, match="model has 12 layers"):
        check_with_model_config(cfg, json.loads((ROOT / "resources/model_configs/bert-base-chinese.json").read_text()))


def test_fp16_on_cpu_is_refused():
    from core.train.setup import SessionError, choose_device

    with pytest.raises(SessionError, match="fp16 is for CUDA GPUs.*--set precision=auto"):
        choose_device(load_preset("ner-bert-crf-4gb"))


def test_version_0_is_migrated():
    data = migrate({"version": 0, "task": "ner", "model": {"name_or_path": "x"}, "training": {"crf_learning_rate": 1e-3},
                    "memory": {"lora_rank": 8}})
    assert data["version"] == 1 and data["training"] == {"head_learning_rate": 1e-3}
    assert data["lora"] == {"rank": 8, "enabled": True}
    with pytest.raises(PresetError, match="newer than this LapTune"):
        migrate({"version": 99})


def test_resolution_order_and_sources(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("BATCH_SIZE=4\nGRADIENT_CHECKPOINTING=True\nMAX_LENGTH=96\n")
    r = resolve("ner-bert-crf-4gb", env={"BATCH_SIZE": "1", "FP16": "False", "GPU_ID": "4"}, dotenv=dotenv,
                sets=["max_length=48", "--crf_learning_rate=1e-3"])
    c = r.config
    assert c.training.batch_size == 1 and r.sources["training.batch_size"] == "env:BATCH_SIZE"
    assert c.memory.gradient_checkpointing and r.sources["memory.gradient_checkpointing"] == ".env:GRADIENT_CHECKPOINTING"
    assert c.training.max_seq_length == 48 and r.sources["training.max_seq_length"] == "--set"
    assert c.memory.precision == "fp32" and c.device.gpu_id == 4
    assert c.training.head_learning_rate == 1e-3
    assert r.sources["training.num_epochs"] == "preset" and r.sources.get("training.seed", "default") == "default"
    assert any("(--set)" in line for line in r.describe())


def test_unknown_set_key_suggests():
    with pytest.raises(PresetError, match="did you mean 'batch_size'"):
        resolve("demo", sets=["bach_size=3"], env={}, dotenv=None)


@pytest.mark.parametrize("profile, expected", [
    ("laptop-3050-4gb", {"ner": "ner-bert-crf-4gb", "classify": "cls-low-memory"}),
    ("desktop-4080-16gb", {"sft": "qlora-qwen-7b-16gb", "classify": "cls-full"}),
    ("laptop-4060-8gb", {"sft": "sft-smollm2-8gb", "classify": "cls-safe"}),
    ("cpu-only", {"ner": "ner-bert-crf-cpu", "classify": "cls-cpu", "sft": "sft-smollm2-cpu"}),
])
def test_recommend_for_fake_hardware(profile, expected):
    recs = recommend_all(fake_probe(profile))
    assert {task: recs[task].preset for task in expected} == expected
    assert all(recs[task].reason for task in expected)


def test_detect_json_on_this_machine_says_cpu_only():
    out = subprocess.run([sys.executable, "-m", "core.cli.main", "detect", "--json"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["cpu_only"] is True and data["tier"] == "cpu"
    assert data["recommended"]["classify"]["preset"] == "cls-cpu" and data["demo"] == "demo"
    assert data["commands"]["demo"] == "laptune train --preset demo"


def test_cli_validate_and_presets(tmp_path):
    bad = _write(tmp_path, "task: ner\nmodel:\n  name_or_path: x\nmemory:\n  freeze_layer: 3\n")
    run = lambda *a: subprocess.run([sys.executable, "-m", "core.cli.main", *a], cwd=ROOT, capture_output=True, text=True, timeout=120)  # noqa: E731
    res = run("validate", str(bad))
    assert res.returncode == 1 and "line 5" in res.stderr and "freeze_layers" in res.stderr
    assert run("validate", "demo").returncode == 0
    listed = json.loads(run("presets", "--json").stdout)
    assert {p["name"] for p in listed} >= set(SEED_PRESETS)
    demo = next(p for p in listed if p["name"] == "demo")
    assert demo["description"].startswith("Tiny demo") and demo["description_zh"].startswith("小演示")
    res = run("check-data", "--task", "ner", str(bad))
    assert res.returncode == 1


def test_core_never_imports_qt():
    """The design's first rule: core/ is plain Python (napari's import-linter contract, done with ast)."""
    import ast

    offenders = []
    for path in (ROOT / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("PySide6", "PyQt5", "PyQt6", "pyqtgraph", "gui")]
    assert offenders == []
    code = "import sys, core.cli.main, core.train.session, core.config.presets, core.machine.hardware, core.machine.sensors, core.machine.guard, core.memory.estimate, core.memory.fit; " \
           "print([m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))])"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stderr


def test_config_fields_say_which_way_memory_moves():
    from core.config.schema import MemorySection, TrainingSection

    for section, names in ((TrainingSection, ["batch_size", "max_seq_length", "dynamic_padding", "optimizer"]),
                           (MemorySection, ["gradient_checkpointing", "freeze_layers", "load_in_4bit", "precision"])):
        for name in names:
            assert "memory" in section.model_fields[name].description, name
    assert RunConfig.model_fields["tier"].description


CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e-\d+)?")


def test_every_bundled_preset_has_a_chinese_description_with_the_same_numbers():
    """Users in China see description_zh; it says what the English line says (every batch size, length, GB
    figure of the English line is in it; the guides' numbers "seed 00N" are named by their titles instead)."""
    for info in list_presets():
        english, chinese = info.config.description, info.config.description_zh
        assert english and chinese and CJK.search(chinese), info.name
        wanted = set(NUMBER.findall(re.sub(r"seed \d+", "", english)))
        assert wanted <= set(NUMBER.findall(chinese)), (info.name, wanted - set(NUMBER.findall(chinese)))
        assert "seed" not in chinese, info.name


@pytest.mark.parametrize("env, chinese", [
    ({"LANG": "zh_CN.UTF-8"}, True), ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, True),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, False), ({"LC_MESSAGES": "zh_CN", "LANG": "C"}, True),
    ({"LANG": "C.UTF-8"}, False), ({}, False), ({"LC_ALL": "", "LANG": "zh_CN.GBK"}, True)])
def test_the_text_listing_speaks_the_locale(env, chinese, monkeypatch):
    import locale

    from core.config.presets import localized_description

    monkeypatch.setattr(locale, "getlocale", lambda *a: (None, None))

    demo = load_preset("demo")
    assert localized_description(demo, env) == (demo.description_zh if chinese else demo.description)
    assert localized_description(demo.model_copy(update={"description_zh": None}), env) == demo.description


@pytest.mark.parametrize("name, chinese", [("Chinese (Simplified)_China", True), ("English_United States", False),
                                           ("zh_CN", True), (None, False)])
def test_without_locale_variables_the_system_locale_decides(name, chinese, monkeypatch):
    """Windows sets no LANG; Python starts with the user's locale, named as Windows names it."""
    import locale

    from core.config.presets import chinese_locale

    monkeypatch.setattr(locale, "getlocale", lambda *a: (name, "936"))
    assert chinese_locale({}) is chinese
    assert chinese_locale({"LANG": "en_US.UTF-8"}) is False


def test_laptune_presets_prints_chinese_under_a_chinese_locale(monkeypatch, capsys):
    """cmd_presets itself: main() would also quiet the libraries' warnings for the rest of the session."""
    import argparse

    from core.cli.main import cmd_presets

    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert cmd_presets(argparse.Namespace(json=False)) == 0
    out = capsys.readouterr().out
    assert load_preset("demo").description_zh in out and "Tiny demo" not in out
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert cmd_presets(argparse.Namespace(json=False)) == 0
    out = capsys.readouterr().out
    assert load_preset("demo").description in out and "小演示" not in out



def test_output_that_cannot_show_chinese_does_not_crash():
    """Redirected on an English Windows (cp1252) Chinese text cannot be encoded: JSON escapes it (the same
    data), text lines show '?' instead of ending in a UnicodeEncodeError."""
    env = {**os.environ, "PYTHONIOENCODING": "latin-1", "LANG": "zh_CN.UTF-8", "LC_ALL": ""}
    run = lambda *a: subprocess.run([sys.executable, "-m", "core.cli.main", *a], cwd=ROOT, capture_output=True,  # noqa: E731
                                    env=env, timeout=120)
    res = run("presets", "--json")
    assert res.returncode == 0, res.stderr
    listed = json.loads(res.stdout.decode("ascii"))
    assert next(p for p in listed if p["name"] == "demo")["description_zh"] == load_preset("demo").description_zh
    res = run("presets")
    assert res.returncode == 0 and b"demo " in res.stdout and b"Traceback" not in res.stderr
