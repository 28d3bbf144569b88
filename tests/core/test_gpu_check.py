"""The GPU check's CPU-safe parts (bench/gpu_check.py, bench/gpu_cases.py): the exit without CUDA, the per-layer
extrapolation on Qwen1.5-7B's real layer shapes, the report's table and JSON schema, the time budget, the wheel
installer, and the cases themselves run on the CPU with a scripted GPU (FakeGpu)."""
from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import torch

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import gpu_cases  # noqa: E402
import gpu_check  # noqa: E402

GIB = 1024**3


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA GPU: the check would run")
def test_without_cuda_it_says_so_and_exits_non_zero_within_seconds(tmp_path):
    started = time.monotonic()
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "gpu_check.py"), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == gpu_check.EXIT_NO_CUDA
    assert "no CUDA GPU" in proc.stderr and "Traceback" not in proc.stderr
    assert time.monotonic() - started < 30
    assert not (tmp_path / "out").exists()   # nothing was run


def test_qwen_7b_rows_use_the_real_layer_shapes_and_extrapolate_per_layer():
    from transformers import Qwen2Config, Qwen2ForCausalLM

    from core.config.presets import load_preset
    from core.memory.estimate import estimate, settings_from_config

    def params(layers: int) -> int:
        data = gpu_cases.family_config("qwen1.5-7b", layers)
        with torch.device("meta"):
            model = Qwen2ForCausalLM(Qwen2Config(**{k: v for k, v in data.items() if k != "model_type"}))
        return sum(p.numel() for p in model.parameters())

    # Qwen1.5-7B: 32 layers of 4096 wide attention (with biases) and an 11008 wide MLP, 151936 tokens, untied head.
    per_layer, total = gpu_check.extrapolate([(n, params(n)) for n in gpu_check.QWEN_LAYERS], gpu_check.QWEN_FULL_LAYERS)
    assert per_layer == 4 * 4096 * 4096 + 3 * 4096 + 3 * 4096 * 11008 + 2 * 4096
    assert total == pytest.approx(7.72e9, rel=0.01)

    for name in ("qlora-qwen-7b-16gb", "qlora-qwen-7b-12gb"):
        settings = settings_from_config(load_preset(name), "cuda")
        points = [(n, estimate(gpu_cases.family_config("qwen1.5-7b", n), settings).peak_bytes) for n in (2, 4)]
        _, extrapolated = gpu_check.extrapolate(points, 32)
        full = estimate(gpu_cases.family_config("qwen1.5-7b", 32), settings).peak_bytes
        assert extrapolated == pytest.approx(full, rel=0.02), name   # the estimator is linear in layers too
    with pytest.raises(ValueError, match="two layer counts"):
        gpu_check.extrapolate([(4, 1.0), (4, 2.0)], 32)


def _results() -> dict:
    def row(label, preset, layers, reserved, nvml, est, **extra):
        return {"label": label, "preset": preset, "status": "completed", "layers": layers, "peak_reserved_bytes": reserved,
                "nvml_delta_bytes": nvml, "estimate_bytes": est, "estimate_context_bytes": GIB // 2,
                "samples_per_s": 12.5, **extra}
    qwen = dict(full_layers=32, estimate_full_bytes=int(11 * GIB))
    memory = [{"rows": [row("ner-bert-crf-4gb", "ner-bert-crf-4gb", 12, int(1.5 * GIB), 2 * GIB, int(2.2 * GIB)),
                        {"label": "cls-full", "preset": "cls-full", "status": "error", "message": "RuntimeError: boom"}]},
              {"rows": [row("q@2l", "qlora-qwen-7b-16gb", 2, 4 * GIB, int(4.5 * GIB), 5 * GIB, **qwen),
                        row("q@4l", "qlora-qwen-7b-16gb", 4, 5 * GIB, int(5.5 * GIB), 6 * GIB, **qwen)]}]
    return {"prepare": [{"models": []}], "memory": memory,
            "oom": [{"ok": True, "status": "completed", "cap_bytes": 3 * GIB, "batch_size": 8, "final_config": {"batch_size": 4},
                     "start_effective_batch": 16, "effective_batch": 16, "backoffs": [{"message": "micro-batch 8 -> 4"}]}],
            "guard": [{"ok": False, "status": "completed", "vram_pause_frac": 0.05, "vram_resume_frac": 0.04, "pauses": 2,
                       "resumes": 0, "nvml_samples": 9}],
            "loss": [{"rows": [{"label": "bf16", "ok": True, "status": "completed", "first_loss": 3.1, "last_loss": 1.2}]}],
            "skipped": [{"case": "memory", "label": "qwen-4", "reason": "time budget (450 s) spent"}], "errors": []}


def test_report_table_extrapolated_row_and_json_schema():
    report = gpu_check.build_report(_results(), {"gpu": "NVIDIA H200", "total_bytes": 141 * GIB, "torch": "2.11"}, 301.0)
    rows = {r["label"]: r for r in report["memory"]}
    ext = rows["qlora-qwen-7b-16gb (extrapolated)"]
    # 4 GiB at 2 layers, 5 GiB at 4: 0.5 GiB a layer, 5 + 28 x 0.5 = 19 GiB at 32.
    assert ext["peak_reserved_per_layer_bytes"] == GIB // 2 and ext["peak_reserved_bytes"] == 19 * GIB
    assert ext["error_vs_reserved"] == pytest.approx((11 * GIB - GIB / 2 - 19 * GIB) / (19 * GIB))   # context left out
    assert rows["ner-bert-crf-4gb"]["error_vs_nvml"] == pytest.approx(0.1)
    assert not report["ok"]   # the guard failed, a case was skipped, a row errored
    text = gpu_check.markdown(report)
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| preset |"))
    table = lines[header:lines.index("", header)]
    assert all(line.count("|") == table[0].count("|") for line in table), table   # every row has every column
    assert "| ner-bert-crf-4gb | 12 | 1.50 GiB | 2.00 GiB | 2.20 GiB | +10% | +13% | 12.5 |" in text
    assert "32 (extrapolated from 2 and 4; 0.50 GiB a layer)" in text
    assert "cls-full | - | error: RuntimeError: boom" in text
    assert "| guard vram rule (pause 5.00%, resume 4.00%) | FAILED | 2 pauses, 0 resumes" in text
    assert "| memory: qwen-4 | not run | time budget (450 s) spent |" in text
    again = json.loads(json.dumps(report, default=str))
    assert gpu_check.schema_problems(again) == []
    broken = dict(again, memory=[dict(again["memory"][0], estimate_bytes="2 GiB")], ok="yes")
    assert gpu_check.schema_problems(broken) == ["ok: expected bool", "memory[0].estimate_bytes: expected <class 'int'>"]


def test_cases_run_in_order_within_the_time_budget(tmp_path):
    now = [0.0]
    ran = []

    def runner(case, work, timeout, env):
        ran.append((case.name, case.label, timeout))
        now[0] += 200
        return {"error": "exit 1", "log_tail": ["x"]} if case.label == "vram rule on NVML" else {"rows": []}

    cases = gpu_check.plan(tmp_path)
    assert [c.name for c in cases[:4]] == ["prepare", "loss", "oom", "guard"]
    assert [c.label for c in cases[4:6]] == ["qwen-2", "qwen-4"]   # the 7B-shaped rows before the small ones
    assert {r["label"] for c in cases if c.name == "memory" for r in c.spec["runs"]} >= {
        "ner-bert-crf-4gb", "qlora-qwen-7b-16gb@2l", "qlora-qwen-7b-16gb@4l", "encoder-mlp-gte"}
    results = gpu_check.execute(cases, tmp_path, 450, {}, runner=runner, clock=lambda: now[0], say=lambda _: None)
    assert [name for name, _, _ in ran] == ["prepare", "loss", "oom"]   # 450 s: the fourth cannot start
    assert ran[2][2] == min(cases[2].timeout_s, 50)                      # a case never outlives the budget
    assert len(results["skipped"]) == len(cases) - 3
    now[0] = 0.0
    ran.clear()
    failed = gpu_check.execute(cases, tmp_path, 450, {}, runner=lambda *a: {"error": "exit 1"}, clock=lambda: 0.0,
                               say=lambda _: None)
    assert [e["case"] for e in failed["errors"]] == ["prepare"] and not failed["skipped"]   # no models: nothing else


def test_wheels_unpack_without_pip(tmp_path):
    wheel = tmp_path / "wheels" / "demo_pkg-1.0-py3-none-any.whl"
    wheel.parent.mkdir()
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("demo_pkg/__init__.py", "VALUE = 7\n")
        zf.writestr("demo_pkg-1.0.data/purelib/demo_extra.py", "X = 1\n")
        zf.writestr("demo_pkg-1.0.data/scripts/tool", "#!/bin/sh\n")
        zf.writestr("demo_pkg-1.0.dist-info/METADATA", "Name: demo-pkg\n")
    calls = []
    assert gpu_check.install_wheels(wheel.parent, tmp_path / "pip", run=lambda *a, **k: calls.append(a[0])) == [wheel.name]
    assert calls and "--no-index" in calls[0] and "--no-deps" in calls[0] and "--target" in calls[0]
    gpu_check.unpack_wheel(wheel, tmp_path / "deps")
    assert (tmp_path / "deps" / "demo_pkg" / "__init__.py").read_text() == "VALUE = 7\n"
    assert (tmp_path / "deps" / "demo_extra.py").exists() and not (tmp_path / "deps" / "tool").exists()


def test_guard_thresholds_sit_between_rest_and_peak():
    total = 100 * GIB
    pause, resume = gpu_cases.guard_thresholds(total, base=GIB, resting=3 * GIB, peak=11 * GIB)
    assert (pause, resume) == (pytest.approx(0.08), pytest.approx(0.052))
    assert 4 * GIB / total < resume < pause < 12 * GIB / total


def test_guard_verdict_needs_nvml_readings(tmp_path):
    events = tmp_path / "events.jsonl"
    base = [{"type": "guard", "rule": "vram", "action": "pause", "value": 0.08}, {"type": "status", "status": "paused"},
            {"type": "guard", "rule": "vram", "action": "resume", "value": 0.05}]
    simulated = {"type": "sample", "vram_used_bytes": 5, "simulated": ["vram_used_frac", "vram_used_bytes"]}
    events.write_text("\n".join(json.dumps(e) for e in base + [simulated]) + "\n")
    verdict = gpu_cases.guard_verdict(events)
    assert (verdict["pauses"], verdict["resumes"], verdict["nvml_samples"], verdict["ok"]) == (1, 1, 0, False)
    events.write_text("\n".join(json.dumps(e) for e in base + [{"type": "sample", "vram_used_bytes": 5, "simulated": []}]))
    assert gpu_cases.guard_verdict(events)["ok"]


def test_loss_falls_rule():
    assert gpu_cases.loss_falls([4.0] * 5 + [3.0] * 5)["falls"]
    assert not gpu_cases.loss_falls([4.0] * 5 + [3.8] * 5)["falls"]          # 5 % is noise
    assert not gpu_cases.loss_falls([4.0] * 5 + [1.0] * 4 + [float("nan")])["falls"]
    assert not gpu_cases.loss_falls([4.0, 3.0])["falls"]


def test_oom_case_backs_off_on_the_cpu_with_a_fake_gpu(tmp_path):
    """The fake-CUDA path: the cap is computed and set, a real torch.OutOfMemoryError (fault injection at step 2,
    as the CPU cannot be capped) makes the run halve its micro-batch, keep the effective batch and complete."""
    gpu = gpu_cases.FakeGpu()
    gpu_cases.prepare({"tiny": True, "models": [{"family": "smollm2-135m", "layers": 2, "folder": str(tmp_path / "smol")}]}, gpu)
    config = json.loads((tmp_path / "smol" / "config.json").read_text())
    assert (config["num_hidden_layers"], config["hidden_size"], config["vocab_size"]) == (2, 64, 4000)
    spec = {"work": str(tmp_path), "preset": "sft-smollm2-8gb", "model": str(tmp_path / "smol"),
            "overrides": {"training.batch_size": 4, "training.grad_accum": 2, "training.max_seq_length": 32,
                          "memory.gradient_checkpointing": False, "memory.precision": "fp32", "training.max_steps": 3,
                          "training.optimizer": "adamw"}}
    result = gpu_cases.oom(spec, gpu)
    assert result["ok"], result
    assert gpu.fractions == [pytest.approx(result["cap_bytes"] / gpu.total())]
    assert result["estimate_half_bytes"] < result["cap_bytes"] + 471859200 < result["estimate_bytes"]
    assert result["final_config"]["batch_size"] == 2 and result["effective_batch"] == 8
    assert result["peak_reserved_bytes"] == gpu.peak_reserved() and result["nvml_delta_bytes"] is not None
