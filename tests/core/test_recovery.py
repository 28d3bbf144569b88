"""The run survives what usually kills it: OOM, NaN, heat and memory pressure, a full disk."""
from __future__ import annotations

import json
import shutil
from collections import namedtuple
from pathlib import Path

import pytest

from core.train.session import Faults, backoff_plan
from tests.conftest import train_preset

SETS = ["max_steps=12", "logging_steps=1", "eval_steps=6", "save_steps=3"]


def test_oom_halves_micro_batch_keeps_effective_batch_and_continues(tmp_path):
    summary, rec = train_preset("demo", tmp_path / "run", sets=SETS, faults=Faults(oom_at_step=5))
    assert summary["status"] == "completed" and summary["global_step"] == 12
    (backoff,) = rec.of("backoff")
    assert backoff.reason == "oom"
    assert backoff.changes == {"batch_size": [16, 8], "grad_accum": [1, 2]}
    assert "effective batch stays 16" in backoff.message
    assert "checkpoint-4" in backoff.message          # the state of the last finished step was saved in place
    assert summary["final_config"]["batch_size"] == 8 and summary["final_config"]["grad_accum"] == 2
    assert [e.step for e in rec.of("log")][:4] == [1, 2, 3, 4]


def test_backoff_order_batch_then_length_then_checkpointing():
    from core.config.schema import RunConfig

    cfg = RunConfig.model_validate({"task": "ner", "model": {"name_or_path": "x"},
                                    "training": {"batch_size": 4, "grad_accum": 4, "max_seq_length": 128}})
    steps = []
    while (plan := backoff_plan(cfg)) is not None:
        cfg, changes, _ = plan
        steps.append(changes)
        assert cfg.effective_batch == 16
    assert steps == [{"batch_size": [4, 2], "grad_accum": [4, 8]}, {"batch_size": [2, 1], "grad_accum": [8, 16]},
                     {"max_seq_length": [128, 64]}, {"max_seq_length": [64, 32]},
                     {"gradient_checkpointing": [False, True]}]


def test_odd_batch_backs_off_to_one():
    from core.config.schema import RunConfig

    cfg = RunConfig.model_validate({"task": "ner", "model": {"name_or_path": "x"}, "training": {"batch_size": 3, "grad_accum": 2}})
    new, changes, _ = backoff_plan(cfg)
    assert new.training.batch_size == 1 and new.training.grad_accum == 6


def test_oom_with_nothing_left_to_shrink_stops_with_a_report(tmp_path, monkeypatch):
    import core.train.session as session

    monkeypatch.setattr(session, "backoff_plan", lambda cfg: None)
    with pytest.raises(session.SessionError, match="out of memory even at batch 1"):
        train_preset("demo", tmp_path / "run", sets=SETS, faults=Faults(oom_at_step=2))
    assert json.loads((tmp_path / "run" / "summary.json").read_text())["status"] == "failed"


def test_eval_oom_halves_only_the_eval_batch(tmp_path):
    summary, rec = train_preset("demo", tmp_path / "run", sets=SETS + ["eval_batch_size=8"], faults=Faults(eval_oom=True))
    (backoff,) = rec.of("backoff")
    assert backoff.reason == "eval_oom" and backoff.changes == {"eval_batch_size": [8, 4]}
    assert summary["status"] == "completed" and summary["final_config"]["batch_size"] == 16


def test_nan_rolls_back_to_last_good_checkpoint(tmp_path):
    summary, rec = train_preset("demo", tmp_path / "run", sets=SETS, faults=Faults(nan_at_step=8))
    (backoff,) = rec.of("backoff")
    assert backoff.reason == "nan" and backoff.changes == {"rollback_to": [8, 6]}
    assert "crf_learning_rate" in backoff.message and "precision=fp32" in backoff.message
    assert summary["status"] == "completed" and summary["global_step"] == 12


def test_second_nan_stops_the_run(tmp_path, monkeypatch):
    from core.train.trainer import LapTuneTrainer

    original = LapTuneTrainer._fault
    monkeypatch.setattr(LapTuneTrainer, "_fault",
                        lambda self, name: (name == "nan" and self.state.global_step >= 4) or original(self, name))
    summary, rec = train_preset("demo", tmp_path / "run", sets=SETS)
    assert [b.reason for b in rec.of("backoff")] == ["nan", "nan"]
    assert summary["status"] == "stopped" and "twice" in summary["message"]


def _trace(path: Path, rows: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


def test_hot_gpu_pauses_and_resumes_with_identical_result(tmp_path):
    sets = ["max_steps=30", "logging_steps=1", "eval_steps=10", "save_steps=10", "guard.sample_interval_s=0.1"]
    baseline, _ = train_preset("demo", tmp_path / "base", sets=sets)
    # Hot from the first reading: the sensors start before the model loads, and a warm process trains these
    # 30 steps in ~0.3 s, so a reading that turns hot later (it was t = 0.2 s) could come after the last step.
    trace = _trace(tmp_path / "hot.jsonl", [{"t": 0, "gpu_temp_c": 88}, {"t": 2.0, "gpu_temp_c": 80},
                                           {"t": 3.0, "gpu_temp_c": 70}])
    summary, rec = train_preset("demo", tmp_path / "run", sets=sets, faults=Faults(sensor_trace=trace))
    actions = [(g.action, g.rule) for g in rec.of("guard")]
    assert actions[:2] == [("pause", "gpu_temp"), ("resume", "gpu_temp")]
    assert rec.of("guard")[0].message == "GPU 88 °C ≥ 85 °C: paused; resumes below 75 °C"
    assert "paused" in rec.statuses() and "resumed" in rec.statuses()
    assert summary["status"] == "completed" and summary["paused_seconds"] > 0.5
    assert summary["last_train_loss"] == pytest.approx(baseline["last_train_loss"], abs=1e-5)
    lines = [json.loads(x) for x in (tmp_path / "run" / "events.jsonl").read_text().splitlines()]
    assert any(x["type"] == "guard" and x["action"] == "pause" for x in lines)
    assert any(x["type"] == "sample" and "gpu_temp_c" in x["simulated"] for x in lines)


def test_guard_pause_delay_is_within_one_period_plus_one_step(tmp_path):
    interval = 0.1
    trace = _trace(tmp_path / "hot.jsonl", [{"t": 0, "gpu_temp_c": 60}, {"t": 0.3, "gpu_temp_c": 90},
                                           {"t": 1.5, "gpu_temp_c": 60}])
    # 200 steps (~2 s): the reading at 0.3 s must come while the run still trains, on a fast machine too.
    summary, rec = train_preset("demo", tmp_path / "run", sets=["max_steps=200", "logging_steps=1", "save_steps=100",
                                                               f"guard.sample_interval_s={interval}"],
                                faults=Faults(sensor_trace=trace))
    pause = next(g for g in rec.of("guard") if g.action == "pause")
    paused = next(s for s in rec.of("status") if s.status == "paused")
    logs = rec.of("log")
    step_times = [b.t - a.t for a, b in zip(logs, logs[1:])]
    delay = paused.t - pause.t   # from the reading that crossed to the loop standing still
    assert delay <= interval + max(step_times) + 0.25
    print(f"guard pause delay {delay:.3f} s (sampling period {interval} s, longest step {max(step_times):.3f} s)")


def test_critical_heat_saves_and_stops(tmp_path):
    trace = _trace(tmp_path / "hot.jsonl", [{"t": 0, "gpu_temp_c": 70}, {"t": 0.3, "gpu_temp_c": 93}])
    summary, rec = train_preset("demo", tmp_path / "run", sets=["max_steps=400", "logging_steps=1", "save_steps=100",
                                                               "guard.sample_interval_s=0.1"], faults=Faults(sensor_trace=trace))
    assert summary["status"] == "stopped" and "critical" in summary["message"]
    assert rec.of("guard")[-1].rule == "gpu_temp_critical"
    step = summary["global_step"]
    assert (tmp_path / "run" / "checkpoints" / f"checkpoint-{step}" / "laptune_complete").exists()


def test_low_battery_stops_with_checkpoint(tmp_path):
    # 1.8 s on battery before the charge falls: on a loaded machine the sampling thread can go ~1 s without a turn
    # at the start of training, and the unplug warning must be seen before the stop.
    trace = _trace(tmp_path / "bat.jsonl", [{"t": 0, "on_ac": True, "battery_pct": 60},
                                           {"t": 0.2, "on_ac": False, "battery_pct": 30}, {"t": 2.0, "battery_pct": 19}])
    summary, rec = train_preset("demo", tmp_path / "run", sets=["max_steps=400", "logging_steps=1", "save_steps=100",
                                                               "guard.sample_interval_s=0.1"], faults=Faults(sensor_trace=trace))
    rules = [(g.action, g.rule) for g in rec.of("guard")]
    assert ("warn", "on_battery") in rules and rules[-1] == ("stop", "battery")
    assert summary["status"] == "stopped"


def test_not_enough_disk_is_refused_before_training(tmp_path, monkeypatch):
    import core.record.runs

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(core.record.runs.shutil, "disk_usage", lambda path: usage(10**9, 10**9, 1000))
    from core.record.runs import RunError

    with pytest.raises(RunError, match="not enough disk space"):
        train_preset("demo", tmp_path / "run", sets=SETS)
    assert not list((tmp_path / "run" / "checkpoints").glob("checkpoint-*"))


def test_disk_full_during_save_keeps_the_previous_checkpoint(tmp_path, monkeypatch):
    from core.train.trainer import LapTuneTrainer

    calls = {"n": 0}
    original = LapTuneTrainer._save_optimizer_and_scheduler

    def failing(self, output_dir):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return original(self, output_dir)

    monkeypatch.setattr(LapTuneTrainer, "_save_optimizer_and_scheduler", failing)
    stopped, _ = train_preset("demo", tmp_path / "run", sets=SETS)   # a full disk is a resumable stop, not a failure
    ckpts = sorted(p.name for p in (tmp_path / "run" / "checkpoints").iterdir())
    assert ckpts == ["checkpoint-3"]               # no half-written checkpoint-6, no staging left over
    assert (tmp_path / "run" / "checkpoints" / "checkpoint-3" / "laptune_complete").exists()
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["status"] == stopped["status"] == "stopped" and "the disk is full" in summary["message"]
    assert not (tmp_path / "run" / "error.log").exists()

    monkeypatch.setattr(LapTuneTrainer, "_save_optimizer_and_scheduler", original)
    from core.train import session
    from tests.conftest import Recorder

    resumed = session.resume(tmp_path / "run", Recorder())
    assert resumed["status"] == "completed" and resumed["global_step"] == 12


def test_resume_skips_an_incomplete_checkpoint(tmp_path):
    summary, _ = train_preset("demo", tmp_path / "run", sets=["max_steps=6", "logging_steps=1", "save_steps=3", "eval_steps=3"])
    ckpts = tmp_path / "run" / "checkpoints"
    shutil.copytree(ckpts / "checkpoint-6", ckpts / "checkpoint-9")
    (ckpts / "checkpoint-9" / "laptune_complete").unlink()
    (ckpts / "checkpoint-9" / "model.safetensors").write_bytes(b"broken")
    summary_file = tmp_path / "run" / "summary.json"   # as a run killed after its save at 9 began (a completed run
    summary_file.write_text(json.dumps({**json.loads(summary_file.read_text()), "status": "stopped"}))   # resumes nothing)
    from core.record.runs import RunDir

    assert RunDir.open(tmp_path / "run").latest_checkpoint().step == 6
    from core.train import session
    from tests.conftest import Recorder

    rec = Recorder()
    session.resume(tmp_path / "run", rec, checkpoint=None)
    assert any("skipped checkpoint-9" in s.message for s in rec.of("status"))


# Each trace is over its limit from the first reading: the sensors start before the model loads and a warm
# process trains 60 demo steps in ~0.6 s, so a reading that turns bad later could come after the last step.
@pytest.mark.parametrize("rows, sets, expected, status", [
    ([{"t": 0, "vram_used_frac": 0.97}, {"t": 1.0, "vram_used_frac": 0.85}], [],
     [("pause", "vram"), ("resume", "vram")], "completed"),
    ([{"t": 0, "ram_used_frac": 0.92}, {"t": 1.0, "ram_used_frac": 0.6}], [],
     [("pause", "ram"), ("resume", "ram")], "completed"),
    ([{"t": 0, "ram_used_frac": 0.96}], [], [("stop", "ram_critical")], "stopped"),
    ([{"t": 0, "gpu_temp_c": 88}], ["guard.max_pause_minutes=0.02"],
     [("pause", "gpu_temp"), ("stop", "max_pause")], "stopped"),
])
def test_each_rule_writes_its_sequence_to_events_jsonl(tmp_path, rows, sets, expected, status):
    trace = _trace(tmp_path / "trace.jsonl", rows)
    summary, _ = train_preset("demo", tmp_path / "run", faults=Faults(sensor_trace=trace),
                              sets=["max_steps=60", "logging_steps=1", "save_steps=100", "guard.sample_interval_s=0.1"] + sets)
    lines = [json.loads(x) for x in (tmp_path / "run" / "events.jsonl").read_text().splitlines()]
    assert [(x["action"], x["rule"]) for x in lines if x["type"] == "guard"] == expected
    assert summary["status"] == status
    if status == "stopped":   # a stop always saves first
        assert (tmp_path / "run" / "checkpoints" / f"checkpoint-{summary['global_step']}" / "laptune_complete").exists()


def test_a_bad_trace_fails_the_run_with_file_and_line(tmp_path):
    from core.machine.sensors import TraceError

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"t": 0, "gpu_temp_c": 60}\n{"t": 1, "gpu_temp": 90}\n')
    with pytest.raises(TraceError, match="line 2") as info:
        train_preset("demo", tmp_path / "run", sets=SETS, faults=Faults(sensor_trace=str(bad)))
    assert "gpu_temp_c" in str(info.value)
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["status"] == "failed" and "line 2" in summary["message"]
