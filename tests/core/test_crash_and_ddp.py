"""Runs in real processes: SIGKILL at random moments never corrupts a checkpoint; DDP on 2 CPU processes."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAPTUNE = [sys.executable, "-m", "core.cli.main"]
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1", "OMP_NUM_THREADS": "1"}


def _checkpoint_is_whole(folder: Path) -> bool:
    from safetensors.torch import load_file

    load_file(str(folder / "model.safetensors"))
    json.loads((folder / "trainer_state.json").read_text())
    return (folder / "optimizer.pt").exists() and (folder / "laptune_complete").exists()


def _wait_for(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.002)
    return False


@pytest.mark.skipif(sys.platform.startswith("win"), reason="SIGKILL is POSIX-only")
def test_sigkill_at_random_moments_never_loses_the_run(tmp_path):
    run = tmp_path / "run"
    rng = random.Random(7)
    # A wider model than the demo so that a save takes long enough to be hit by a kill.
    train = LAPTUNE + ["train", "--preset", "demo", "--out", str(run), "--set", "max_steps=400", "--set", "save_steps=4",
                       "--set", "logging_steps=1", "--set", "eval_steps=1000", "--set", "save_total_limit=2"]
    kills, during_save = 0, 0
    while kills < 10:
        has_ckpt = any((run / "checkpoints").glob("checkpoint-*/laptune_complete")) if run.exists() else False
        cmd = LAPTUNE + ["resume", str(run)] if has_ckpt else train
        proc = subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        events = run / "events.jsonl"
        n_before = events.read_text().count('"type": "log"') if events.exists() else 0
        started = _wait_for(lambda: events.exists() and events.read_text().count('"type": "log"') > n_before, 120)
        if not started and proc.poll() == 0:
            break   # a fast machine finished the run before the tenth kill
        assert started, proc.stderr.read().decode() if proc.poll() is not None else "no training step within 120 s"
        if kills % 3 == 2:   # aim at a save: wait for the staging folder to appear
            _wait_for(lambda: (run / "checkpoints" / ".staging").exists(), 5)
            during_save += (run / "checkpoints" / ".staging").exists()
        else:
            time.sleep(rng.uniform(0.0, 1.5))
        if proc.poll() is not None:
            break   # finished before we could kill it
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        for folder in (run / "checkpoints").glob("checkpoint-*"):
            if (folder / "laptune_complete").exists():
                assert _checkpoint_is_whole(folder), folder
    final = subprocess.run(LAPTUNE + ["resume", str(run)], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=600)
    assert final.returncode == 0, final.stderr[-2000:]
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "completed" and summary["global_step"] == 400
    assert kills >= 5
    print(f"{kills} kills, {during_save} during a save")


def test_ddp_two_cpu_processes_write_one_resumable_run(tmp_path):
    run = tmp_path / "ddp"
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", "-m", "core.cli.main", "train",
           "--preset", "demo", "--out", str(run), "--set", "max_steps=8", "--set", "save_steps=4", "--set", "eval_steps=4",
           "--set", "logging_steps=1"]
    result = subprocess.run(cmd, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "completed" and summary["global_step"] == 8
    events = [json.loads(line) for line in (run / "events.jsonl").read_text().splitlines()]
    assert [e["status"] for e in events if e["type"] == "status" and e["status"] in ("started", "completed")] == ["started", "completed"]
    assert len([e for e in events if e["type"] == "log"]) == 8    # rank 0 only: one line per step, not two
    assert sorted(p.name for p in (run / "checkpoints").glob("checkpoint-*")) == ["checkpoint-4", "checkpoint-8"]
    assert (run / "final" / "model.safetensors").exists()
    state = json.loads((run / "checkpoints" / "checkpoint-4" / "trainer_state.json").read_text())
    assert state["global_step"] == 4

    resumed = subprocess.run(LAPTUNE + ["resume", str(run), "--checkpoint", "4"], cwd=ROOT, env=ENV, capture_output=True,
                             text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert json.loads((run / "summary.json").read_text())["global_step"] == 8


@pytest.mark.skipif(sys.platform.startswith("win"), reason="SIGINT to a child is POSIX-style here")
def test_ctrl_c_saves_a_checkpoint_and_exits_stopped(tmp_path):
    run = tmp_path / "run"
    proc = subprocess.Popen(LAPTUNE + ["train", "--preset", "demo", "--out", str(run), "--set", "max_steps=2000",
                                       "--set", "save_steps=1000", "--set", "logging_steps=1"],
                            cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert _wait_for(lambda: (run / "events.jsonl").exists() and '"type": "log"' in (run / "events.jsonl").read_text(), 120)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 3, err[-2000:]
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "stopped" and "Ctrl-C" in summary["message"]
    assert (run / "checkpoints" / f"checkpoint-{summary['global_step']}" / "laptune_complete").exists()
    assert "laptune resume" in out


def test_seed_script_flags_carry_over():
    cmd = LAPTUNE + ["train", "--preset", "ner-bert-crf-4gb", "--dry-run", "--batch_size", "4", "--gradient_accumulation_steps", "4",
                     "--max_seq_length", "48", "--freeze_bert_layers", "12", "--crf_learning_rate", "1e-3", "--fp16",
                     "--num_epochs", "8"]
    out = subprocess.run(cmd, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    for line in ("training.batch_size = 4  (--set)", "training.grad_accum = 4  (--set)", "training.max_seq_length = 48  (--set)",
                 "memory.freeze_layers = 12  (--set)", "training.head_learning_rate = 0.001  (--set)",
                 "memory.precision = 'fp16'  (--set)", "training.num_epochs = 8.0  (--set)"):
        assert line in out.stdout


def test_a_checkpoint_deleted_halfway_never_looks_complete(tmp_path, monkeypatch):
    """Rotation and replacement delete a checkpoint mark-first: a kill in the middle of the deletion (simulated
    here by an rmtree that removes one file and dies) leaves a folder resume skips, not a 'complete' one."""
    import shutil as real_shutil

    from core.record.runs import COMPLETE_MARK, RunDir
    from core.train import trainer

    folder = tmp_path / "checkpoints" / "checkpoint-4"
    folder.mkdir(parents=True)
    for name in ("optimizer.pt", "model.safetensors", COMPLETE_MARK):
        (folder / name).write_text("x")

    def killed_midway(path, ignore_errors=False):
        (path / "optimizer.pt").unlink()
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(trainer.shutil, "rmtree", killed_midway)
    with pytest.raises(KeyboardInterrupt):
        trainer.discard_checkpoint(folder)
    monkeypatch.setattr(trainer.shutil, "rmtree", real_shutil.rmtree)
    assert not (folder / COMPLETE_MARK).exists()
    assert [c.complete for c in RunDir(tmp_path).checkpoints()] == [False]
