"""`laptune models get|list|rm` against the local fake hub: a download killed with SIGKILL continues from its
partial file in the next process (the server counts every byte it sends), the bar, the cache listing."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.hubserver import FakeRepo, hub, random_bytes  # noqa: F401  (hub is a fixture)

ROOT = Path(__file__).resolve().parents[2]


def _cli(args, env, **kw):
    return subprocess.Popen([sys.executable, "-m", "core.cli.main", "models", *args], cwd=os.getcwd(), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def test_sigkill_mid_download_then_get_again_completes_without_duplicate_bytes(hub, capsys):
    from core.cli.main import main
    from core.hub.cache import repo_dir

    size = 8 << 20
    weights = random_bytes(size, 7)
    hub.state.add(FakeRepo("org/big", {"config.json": b'{"model_type": "bert"}', "model.safetensors": weights}))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "0", "TRANSFORMERS_OFFLINE": "0"}
    hub.state.throttle_bps = 3e6
    proc = _cli(["get", "org/big"], env)
    deadline = time.monotonic() + 60
    while hub.state.content_bytes("/cdn/") < 2 << 20:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    served_first = hub.state.content_bytes("/cdn/")
    partials = list((repo_dir("org/big") / "blobs").glob("*.laptune-partial"))
    assert len(partials) == 1
    kept = partials[0].stat().st_size
    assert 0 < kept <= served_first < size

    assert main(["models", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(m["id"], m["complete"]) for m in listed] == [("org/big", False)]

    hub.state.throttle_bps = None
    hub.state.reset()
    proc = _cli(["get", "org/big"], env)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "100.0%" in err and "MB" in err and "ready in" in out
    ranges = [r.range for r in hub.state.requests if r.path.startswith("/cdn/")]
    assert ranges == [f"bytes={kept}-"]
    assert hub.state.content_bytes("/cdn/") == size - kept, "bytes already on disk were downloaded again"
    snapshot = Path(out.strip().rsplit(": ", 1)[-1])
    assert hashlib.sha256((snapshot / "model.safetensors").read_bytes()).hexdigest() == hashlib.sha256(weights).hexdigest()

    assert main(["models", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 1
    entry = listed[0]
    assert {"id", "source", "path", "bytes", "complete", "presets"} <= set(entry)
    assert entry["id"] == "org/big" and entry["complete"] and entry["bytes"] >= size and entry["path"] == str(snapshot)
    assert main(["models", "rm", "org/big"]) == 0
    assert "freed" in capsys.readouterr().out
    assert not repo_dir("org/big").exists()
    assert main(["models", "rm", "org/big"]) == 1


def test_models_list_names_the_presets_using_a_model(hub, capsys):
    from core.cli.main import main
    from core.hub import Source, get_model

    hub.state.add(FakeRepo("bert-base-chinese", {"config.json": b'{"model_type": "bert"}', "model.safetensors": b"w" * 2048}))
    get_model("bert-base-chinese", source=Source("hf", hub.url))
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert "bert-base-chinese" in out and "complete" in out and "ner-bert-crf-4gb" in out


def test_get_errors_are_one_line_without_traceback(hub, capsys):
    from core.cli.main import main

    assert main(["models", "get", "nobody/nothing"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") <= 2 and "error: no model 'nobody/nothing'" in err and "Traceback" not in err


def test_training_progress_draws_the_download_phase():
    import io

    from core.cli.progress import TerminalProgress
    from core.record.events import Download

    out = io.StringIO()
    progress = TerminalProgress(out)
    progress(Download(status="planning", repo_id="org/m", message="31.5 MB to download from hf-mirror.com (3 files)"))
    progress(Download(status="downloading", repo_id="org/m", file="model.safetensors", bytes_done=15_750_000,
                      bytes_total=31_500_000, speed_bps=2e6, eta_s=8))
    progress(Download(status="done", repo_id="org/m", bytes_done=31_500_000, bytes_total=31_500_000, message="org/m: in the cache"))
    text = out.getvalue()
    assert "31.5 MB to download from hf-mirror.com" in text
    assert " 50.0%  15.8 MB/31.5 MB  2.0 MB/s  ETA 00:08  model.safetensors" in text and "100.0%" in text


def test_models_source_and_login_remember_the_choice_and_the_token(hub, capsys, monkeypatch):
    import getpass

    from core.cli.main import main
    from core.config.user_settings import load_user_settings

    monkeypatch.delenv("HF_ENDPOINT")
    assert main(["models", "source", "mirror"]) == 0
    assert "mirror (hf-mirror.com); token: none" in capsys.readouterr().out
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "hf_fromLoginPrompt12345")
    assert main(["models", "login"]) == 0
    out = capsys.readouterr().out
    assert "hf_fromLoginPrompt12345" not in out and "owner-only" in out
    assert load_user_settings().hub_token == "hf_fromLoginPrompt12345"
    assert main(["models", "source"]) == 0
    assert "token: set" in capsys.readouterr().out


def test_ctrl_c_during_trainings_download_phase_is_a_resumable_stop(hub, tmp_path):
    hub.state.add(FakeRepo("org/slow", {"config.json": b'{"model_type": "bert"}',
                                        "model.safetensors": random_bytes(8 << 20, 3)}))
    hub.state.throttle_bps = 2e6
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "0", "TRANSFORMERS_OFFLINE": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "core.cli.main", "train", "--preset", "demo", "--model", "org/slow",
                             "--out", str(tmp_path / "run")], cwd=os.getcwd(), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    while hub.state.content_bytes("/cdn/") < 1 << 20:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 3, err          # EXIT_STOPPED: resumable, not "something is wrong"
    assert "Traceback" not in err and "Stopped" in err
