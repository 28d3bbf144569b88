"""Resume as a user meets it: a run killed before its first checkpoint starts again in its folder, a completed run
answers at once, `--set` takes only settings that keep the resume exact; a full disk is a resumable stop and the
guard watches free space; the sensor switch; the logging interval of short runs; the best evaluation of a run
whose checkpoints do not hold it."""
from __future__ import annotations

import json
import shutil
import threading

import pytest

from core.config.presets import PresetError, load_preset
from core.config.resume_sets import apply_resume_sets
from core.config.schema import GuardSection
from core.machine.guard import Guard
from core.record.disk import is_disk_full
from core.record.events import Sample
from core.record.runs import RunDir
from core.train import session
from core.train.session import Faults
from core.train.setup import logging_interval, planned_steps
from tests.conftest import Recorder, train_preset

SHORT = ["max_steps=6", "save_steps=2", "eval_steps=2", "logging_steps=1"]


def test_resume_of_a_run_killed_before_its_first_checkpoint_starts_again_from_step_0(tmp_path):
    run = tmp_path / "run"
    train_preset("demo", run, sets=["max_steps=3", "save_steps=100", "eval_steps=100", "logging_steps=1"])
    # As the run folder looks when the process was killed before any save: no checkpoint, no summary.
    for leftover in ("summary.json",):
        (run / leftover).unlink()
    shutil.rmtree(run / "checkpoints")
    (run / "checkpoints").mkdir()
    rec = Recorder()
    summary = session.resume(run, rec)
    assert summary["status"] == "completed" and summary["global_step"] == 3 and summary["run_dir"] == str(run)
    notes = [e.message for e in rec.of("status") if e.status == "note"]
    assert any("no complete checkpoint" in n and "starts again from step 0 in the same folder" in n for n in notes)
    assert rec.of("status")[[e.status for e in rec.of("status")].index("started")].step == 0


def test_a_completed_run_answers_at_once_and_writes_nothing(tmp_path):
    run = tmp_path / "run"
    train_preset("demo", run, sets=["max_steps=2", "save_steps=2", "eval_steps=2", "logging_steps=1"])
    before = {p: p.stat().st_mtime_ns for p in run.rglob("*")}
    rec = Recorder()
    summary = session.resume(run, rec, sets=["save_steps=1"])
    assert summary["status"] == "completed" and summary["already_complete"] and summary["global_step"] == 2
    assert [e.message for e in rec.of("status")] == ["already complete at step 2: nothing to resume"]
    assert not rec.of("log") and {p: p.stat().st_mtime_ns for p in run.rglob("*")} == before


def test_resume_sets_accept_intervals_limits_and_guard_thresholds_only():
    cfg = load_preset("demo")
    new, changes = apply_resume_sets(cfg, ["save_total_limit=1", "save_steps=5", "logging_steps=2", "eval_steps=7",
                                           "guard.vram_pause_frac=0.93", "guard.sensors=false"])
    assert (new.training.save_total_limit, new.training.save_steps, new.guard.vram_pause_frac, new.guard.sensors) == (1, 5, 0.93, False)
    assert changes["training.save_total_limit"] == [3, 1]
    for item, reason in (("batch_size=2", "which samples make up each step"), ("lr=1e-3", "learning-rate schedule"),
                         ("max_steps=9", "step count"), ("model=other", "belong to this model"),
                         ("data.train=x.csv", "belongs to this data")):
        with pytest.raises(PresetError, match=reason) as err:
            apply_resume_sets(cfg, [item])
        assert "laptune train" in str(err.value) and "save_total_limit" in str(err.value)
    with pytest.raises(PresetError, match="vram_resume_frac must be below"):
        apply_resume_sets(cfg, ["guard.vram_pause_frac=0.5"])


def test_a_full_disk_mid_run_is_a_resumable_stop_and_resume_with_fewer_checkpoints_completes(tmp_path):
    run = tmp_path / "run"
    summary, rec = train_preset("demo", run, sets=SHORT, faults=Faults(disk_full_at_step=4))
    assert summary["status"] == "stopped" and summary["global_step"] == 4
    message = summary["message"]
    assert str(run / "checkpoints") in message and " free" in message and "a checkpoint needs about" in message
    assert "save_total_limit=1" in message and f"laptune resume {run}" in message
    assert "Traceback" not in message and "enforce fail" not in message and not (run / "error.log").exists()
    rd = RunDir(run)
    assert [c.step for c in rd.checkpoints()] == [2] and rd.checkpoints()[0].complete   # the half-written one is gone
    assert not any(p.name.startswith(".") for p in (run / "checkpoints").iterdir())

    rec = Recorder()
    summary = session.resume(run, rec, sets=["save_total_limit=1", "save_steps=1"])
    assert summary["status"] == "completed" and summary["global_step"] == 6
    assert any("save_total_limit: 3 -> 1" in e.message for e in rec.of("status"))
    assert [e.step for e in rec.of("checkpoint")] == [3, 4, 5, 6]   # the new interval, not the checkpoint's saved 2
    assert rd.read_config().training.save_total_limit == 1
    assert rd.read_run_yaml()["resume_sets"] == ["save_total_limit=1", "save_steps=1"]
    assert len([c for c in rd.checkpoints() if c.complete]) <= 2   # the newest and, if another, the best


def test_disk_full_is_recognised_in_its_forms():
    import errno

    assert is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert is_disk_full(RuntimeError("[enforce fail at inline_container.cc:672] . unexpected pos 112576 vs 112464"))
    try:
        try:
            raise OSError(errno.ENOSPC, "full")
        except OSError as inner:
            raise RuntimeError("saving failed") from inner
    except RuntimeError as outer:
        assert is_disk_full(outer)
    assert not is_disk_full(RuntimeError("CUDA out of memory")) and not is_disk_full(OSError(errno.EACCES, "denied"))


def test_guard_disk_rule_warns_pauses_before_the_save_would_not_fit_and_resumes_when_freed():
    guard = Guard(GuardSection(), clock=lambda: 0.0)
    assert guard.observe(Sample(disk_free_bytes=10)) == []          # no checkpoint size yet: the rule sleeps
    guard.disk_needed_bytes = 100 * 10**6

    def step(free_mb: float) -> list[tuple[str, str]]:
        return [(a.action, a.rule) for a in guard.observe(Sample(disk_free_bytes=int(free_mb * 10**6)))]

    assert step(1000) == []
    assert step(250) == [("warn", "disk")]
    assert step(240) == []                                          # warned once
    actions = guard.observe(Sample(disk_free_bytes=110 * 10**6))
    assert [(a.action, a.rule) for a in actions] == [("pause", "disk")] and guard.state == "paused"
    assert "110.0 MB free" in actions[0].message and "needs 100.0 MB" in actions[0].message
    assert step(150) == [] and guard.state == "paused"              # hysteresis: 1.5 checkpoints is not enough
    assert step(200) == [("resume", "disk")] and guard.state == "run"
    # Held by two rules: freeing the disk alone does not resume while VRAM is still over its threshold.
    step(50)
    guard.observe(Sample(vram_used_frac=0.97, disk_free_bytes=50 * 10**6))
    assert step(500) == [] and guard.state == "paused" and guard.active_pause_rules == ("vram",)


def test_the_sensor_switch_turns_the_sampling_thread_off(tmp_path):
    alive: list[bool] = []

    def look(event):
        if event.type == "log":
            alive.append(any(t.name == "laptune-sensors" for t in threading.enumerate()))

    summary, rec = train_preset("demo", tmp_path / "off", sets=["max_steps=3", "logging_steps=1", "guard.sensors=false"],
                                on_event=look)
    assert summary["status"] == "completed" and not rec.of("sample") and alive and not any(alive)
    assert any("sensors are off" in e.message for e in rec.of("status"))
    events = [json.loads(line) for line in (tmp_path / "off" / "events.jsonl").read_text().splitlines()]
    assert not [e for e in events if e["type"] == "sample"]


def test_logging_interval_follows_the_planned_steps_unless_set():
    cfg = load_preset("demo")
    auto = cfg.model_copy(update={"training": cfg.training.model_copy(update={"logging_steps": None})})
    assert planned_steps(auto, 480) == auto.training.num_epochs * 30 == 150   # 480 samples / batch 16 = 30 steps an epoch
    accum = auto.model_copy(update={"training": auto.training.model_copy(update={"grad_accum": 4})})
    assert planned_steps(accum, 480) == 5 * 8   # ceil(30 / 4) optimizer steps an epoch
    assert logging_interval(auto, 480) == 1
    long = auto.model_copy(update={"training": auto.training.model_copy(update={"max_steps": 3000})})
    assert logging_interval(long, 480) == 20 and 3000 / 20 == 150
    huge = auto.model_copy(update={"training": auto.training.model_copy(update={"max_steps": 10**6})})
    assert logging_interval(huge, 480) == 50
    assert logging_interval(cfg, 480) == cfg.training.logging_steps == 5   # the preset set it
    assert load_preset("sft-smollm2-cpu").training.logging_steps is None


def test_a_short_run_logs_every_step_and_its_finish_line_has_the_best_evaluation(tmp_path, capsys):
    from types import SimpleNamespace

    from core.cli.progress import TerminalProgress
    from core.train.session import _best_of

    summary, rec = train_preset("demo-sft", tmp_path / "sft", sets=["max_steps=4", "eval_steps=2", "save_steps=100"],
                                overrides={"training.logging_steps": None})
    assert [e.step for e in rec.of("log")] == [1, 2, 3, 4]
    assert summary["best_eval"]["eval_loss"] in [e.metrics["eval_loss"] for e in rec.of("eval")]
    TerminalProgress().print_summary(summary)
    assert "best eval (" in capsys.readouterr().out
    # No checkpoint holds an evaluation (saved only where none ran): the best of the run's evaluations.
    evals = [{"metrics": {"eval_loss": 2.0}}, {"metrics": {"eval_loss": 1.5, "eval_perplexity": 4.48}}, {"metrics": {"eval_loss": 1.7}}]
    best = _best_of(evals, SimpleNamespace(metric_for_best="eval_loss", greater_is_better=False))
    assert best == {"eval_loss": 1.5, "eval_perplexity": 4.48}
    TerminalProgress().print_summary({"status": "completed", "global_step": 4, "wall_seconds": 3, "best_eval": best,
                                      "best_checkpoint": None})
    assert "best eval (no checkpoint holds it): loss 1.5, perplexity 4.48" in capsys.readouterr().out
