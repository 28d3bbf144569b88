"""Training's download phase against the local fake hub: a model not on disk is downloaded first ("download"
events), then trains; a cached one trains with no request to the hub at all; the token never reaches the run."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import DEMO, train_preset
from tests.hubserver import hub, tiny_bert_repo  # noqa: F401  (hub is a fixture)

SETS = ["max_steps=1", "logging_steps=1", "eval_steps=1000", "save_steps=1000"]


@pytest.fixture(scope="module")
def tiny_bert_folder(tmp_path_factory) -> Path:
    import torch
    from transformers import AutoConfig, AutoModel

    folder = tmp_path_factory.mktemp("tiny-bert")
    shutil.copytree(DEMO / "bert-tiny", folder, dirs_exist_ok=True)
    torch.manual_seed(0)
    AutoModel.from_config(AutoConfig.from_pretrained(folder)).save_pretrained(folder)
    return folder


def test_training_downloads_first_then_trains_offline_with_no_request(hub, monkeypatch, tmp_path, tiny_bert_folder):
    from transformers import AutoModel

    from core.hub.cache import hub_cache_dir

    hub.state.add(tiny_bert_repo(tiny_bert_folder, "org/tiny-bert", gated=True))
    monkeypatch.setenv("HF_TOKEN", hub.state.token)
    overrides = {"model.name_or_path": "org/tiny-bert", "model.init_from_scratch": False}
    summary, rec = train_preset("demo", tmp_path / "run1", sets=SETS, overrides=overrides)
    assert summary["status"] == "completed", summary["message"]
    downloads = rec.of("download")
    assert downloads and downloads[-1].status == "done" and downloads[-1].bytes_done == downloads[-1].bytes_total > 0
    lines = [json.loads(line) for line in (tmp_path / "run1" / "events.jsonl").read_text().splitlines()]
    assert any(e["type"] == "download" for e in lines)
    assert "org/tiny-bert" in (tmp_path / "run1" / "run.yaml").read_text()   # the run records the id, not the cache path
    for path in (tmp_path / "run1").rglob("*"):
        if path.is_file():
            assert hub.state.token.encode() not in path.read_bytes(), f"token written into {path}"

    hub.state.reset()
    summary, rec = train_preset("demo", tmp_path / "run2", sets=SETS, overrides=overrides)
    assert summary["status"] == "completed", summary["message"]
    assert hub.state.requests == [], "a cached model must train without contacting the hub"
    assert not rec.of("download")
    # transformers itself finds the download in its cache, offline.
    model = AutoModel.from_pretrained("org/tiny-bert", cache_dir=hub_cache_dir(), local_files_only=True)
    assert model.config.hidden_size == 64 and hub.state.requests == []


def test_stop_during_the_download_phase_stops_the_run_and_keeps_the_partial(hub, tmp_path):
    from core.hub import DownloadCancelled
    from core.hub.cache import repo_dir
    from core.record.events import Control
    from tests.hubserver import FakeRepo, random_bytes

    hub.state.add(FakeRepo("org/slow", {"config.json": b'{"model_type": "bert"}', "model.safetensors": random_bytes(4 << 20)}))
    hub.state.throttle_bps = 4e6
    control = Control()

    def stop_after_first_progress(event):
        if event.type == "download" and event.bytes_done > 0:
            control.stop("stopped by the user")

    with pytest.raises(DownloadCancelled):
        train_preset("demo", tmp_path / "run", sets=SETS, control=control, on_event=stop_after_first_progress,
                     overrides={"model.name_or_path": "org/slow", "model.init_from_scratch": False})
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["status"] == "stopped" and "again" in summary["message"]
    assert list((repo_dir("org/slow") / "blobs").glob("*.laptune-partial"))


def test_offline_run_of_a_model_never_downloaded_says_its_estimated_size(hub, monkeypatch, tmp_path):
    """Offline, with nothing cached and no earlier attempt: the message still says how big the download is,
    from the parameter count of the preset's bundled config (SmolLM2-135M, stored in bf16: ~0.27 GB)."""
    from huggingface_hub import constants

    from core.hub import HubError

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(HubError) as info:
        train_preset("sft-smollm2-cpu", tmp_path / "run", sets=SETS)
    text = str(info.value)
    assert "HuggingFaceTB/SmolLM2-135M-Instruct" in text and "estimated from its configuration" in text
    assert "about 269 MB to download" in text      # 134.5 M parameters x 2 bytes (bf16), as its real safetensors
    assert "laptune models get HuggingFaceTB/SmolLM2-135M-Instruct" in info.value.fix
    assert hub.state.requests == []
