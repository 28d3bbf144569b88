"""core/hub against a local fake hub (tests/hubserver.py): sizes before download, only training's files,
progress, cancel, verification, disk space, gated and wrong ids, the cache layout huggingface_hub reads."""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from tests.hubserver import FakeRepo, hub, random_bytes  # noqa: F401  (hub is a fixture)

CONFIG = b'{"model_type": "bert", "hidden_size": 8}'


def _big_repo(server, name="org/big", size=6 << 20, **kw) -> FakeRepo:
    return server.state.add(FakeRepo(name, {"config.json": CONFIG, "tokenizer.json": b'{"v": 1}',
                                            "model.safetensors": random_bytes(size), **kw.pop("extra", {})}, **kw))


def _source(server, token=None):
    from core.hub import Source

    return Source("hf", server.url, token)


def test_plan_lists_sizes_and_keeps_only_training_files(hub):
    from core.hub import plan_model

    repo = _big_repo(hub, extra={"pytorch_model.bin": random_bytes(3000, 1), "onnx/model.onnx": random_bytes(2000, 2),
                                 "flax_model.msgpack": random_bytes(2000, 3), "README.md": b"# hi", "vocab.txt": b"a\nb\n"})
    plan = plan_model("org/big", _source(hub))
    names = sorted(f.name for f in plan.files)
    assert names == ["config.json", "model.safetensors", "tokenizer.json", "vocab.txt"]
    assert set(plan.skipped) == {"pytorch_model.bin", "onnx/model.onnx", "flax_model.msgpack", "README.md"}
    assert plan.total_bytes == sum(len(repo.files[n]) for n in names)
    assert plan.commit == repo.commit
    weights = next(f for f in plan.files if f.name == "model.safetensors")
    assert weights.sha256 == hashlib.sha256(repo.files["model.safetensors"]).hexdigest()
    assert hub.state.content_bytes() == 0   # nothing but the listing was asked


def test_bin_weights_are_kept_where_no_safetensors_exist():
    from core.hub.listing import select_files

    keep, skip = select_files(["config.json", "pytorch_model.bin", "tf_model.h5", "model.onnx"])
    assert keep == ["config.json", "pytorch_model.bin"] and sorted(skip) == ["model.onnx", "tf_model.h5"]


def test_progress_is_monotonic_ends_at_total_and_the_cache_is_huggingface_hubs(hub):
    from huggingface_hub import scan_cache_dir, try_to_load_from_cache

    from core.hub import find_cached, get_model
    from core.hub.cache import hub_cache_dir

    repo = _big_repo(hub)
    hub.state.throttle_bps = 12e6   # ~0.5 s for the weights: several progress events
    events = []
    path = get_model("org/big", source=_source(hub), emit=events.append)
    done = [e.bytes_done for e in events]
    assert done == sorted(done), "progress went backwards"
    assert events[0].status == "planning" and len([e for e in events if e.status == "downloading"]) >= 2
    assert events[-1].status == "done" and events[-1].bytes_done == events[-1].bytes_total == sum(map(len, repo.files.values()))
    for name, data in repo.files.items():
        assert (path / name).read_bytes() == data
    assert find_cached("org/big") == path
    # huggingface_hub reads what we wrote: the cache scan and the offline lookup of the same file.
    info = scan_cache_dir(hub_cache_dir())
    assert [r.repo_id for r in info.repos] == ["org/big"] and not info.warnings
    assert try_to_load_from_cache("org/big", "model.safetensors", cache_dir=hub_cache_dir()) == str(path / "model.safetensors")


def test_cancel_leaves_nothing_trusted_and_the_next_get_resumes_with_range(hub):
    from core.hub import DownloadCancelled, find_cached, get_model
    from core.hub.cache import repo_dir

    repo = _big_repo(hub, size=8 << 20)
    hub.state.throttle_bps = 16e6
    seen = []
    with pytest.raises(DownloadCancelled, match="again"):
        get_model("org/big", source=_source(hub), emit=seen.append, workers=1,
                  should_stop=lambda: bool(seen) and seen[-1].bytes_done > 3 << 20)
    assert seen[-1].status == "cancelled"
    folder = repo_dir("org/big")
    assert find_cached("org/big") is None and not (folder / "refs" / "main").exists()
    snapshot_files = [p.name for p in (folder / "snapshots").rglob("*") if p.is_file()] if (folder / "snapshots").exists() else []
    assert "model.safetensors" not in snapshot_files
    partial = list((folder / "blobs").glob("*.laptune-partial"))
    assert len(partial) == 1
    kept = partial[0].stat().st_size
    assert 0 < kept < len(repo.files["model.safetensors"])

    hub.state.throttle_bps = None
    hub.state.reset()
    path = get_model("org/big", source=_source(hub))
    assert (path / "model.safetensors").read_bytes() == repo.files["model.safetensors"]
    ranges = [r.range for r in hub.state.requests if r.path.startswith("/cdn/")]
    assert ranges == [f"bytes={kept}-"]
    assert hub.state.content_bytes("/cdn/") == len(repo.files["model.safetensors"]) - kept   # no byte twice


def test_damaged_content_is_deleted_not_kept(hub):
    from core.hub import HubError, find_cached, plan_model
    from core.hub.download import Downloader
    from core.hub.cache import repo_dir

    repo = _big_repo(hub, size=1 << 20)
    plan = plan_model("org/big", _source(hub))
    data = bytearray(repo.files["model.safetensors"])
    data[1000] ^= 0xFF   # the server now sends other bytes than the listing's sha256
    next(f for f in plan.files if f.name == "model.safetensors").sha256 = hashlib.sha256(bytes(data)).hexdigest()
    with pytest.raises(HubError, match="damaged"):
        Downloader(plan, _source(hub)).run()
    assert find_cached("org/big") is None
    sha = hashlib.sha256(bytes(data)).hexdigest()
    assert not (repo_dir("org/big") / "blobs" / f"{sha}.laptune-partial").exists()
    assert not (repo_dir("org/big") / "blobs" / sha).exists()


def test_disk_full_is_refused_before_any_byte(hub):
    from core.hub import HubError, get_model

    _big_repo(hub)
    with pytest.raises(HubError, match=r"needs 6\.3 MB more in .*hub, but only 0\.0 MB is free") as info:
        get_model("org/big", source=_source(hub), free_space=lambda path: 1000)
    assert "HF_HOME" in info.value.fix
    assert hub.state.content_bytes() == 0


def test_gated_without_token_is_a_clear_error_and_the_token_never_leaks(hub, monkeypatch):
    from core.hub import HubError, get_model, resolve_source

    _big_repo(hub, name="meta/gated", size=4096, gated=True)
    with pytest.raises(HubError, match="gated") as info:
        get_model("meta/gated", source=resolve_source())
    assert "token" in info.value.fix and "Traceback" not in str(info.value)
    wrong = "hf_wrongTOKEN0123456789"
    monkeypatch.setenv("HF_TOKEN", wrong)
    with pytest.raises(HubError, match="gated") as info:
        get_model("meta/gated", source=resolve_source())
    assert wrong not in str(info.value)
    monkeypatch.setenv("HF_TOKEN", hub.state.token)
    events = []
    path = get_model("meta/gated", source=resolve_source(), emit=events.append)
    assert (path / "config.json").exists()
    assert all(hub.state.token not in e.to_json() for e in events)


def test_wrong_id_says_so_with_did_you_mean(hub):
    from core.hub import HubError, get_model

    _big_repo(hub, name="org/bert-base-chinese", size=2048)
    with pytest.raises(HubError, match=r"no model 'org/bert-base-chinse' .*Did you mean: org/bert-base-chinese") as info:
        get_model("org/bert-base-chinse", source=_source(hub))
    assert "check the id" in info.value.fix


def test_offline_not_cached_names_the_model_and_the_command(hub, monkeypatch):
    from huggingface_hub import constants

    from core.hub import DownloadCancelled, HubError, ensure_model, get_model, resolve_source

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(HubError, match="org/big") as info:
        ensure_model("org/big")
    assert "laptune models get org/big" in info.value.fix and "size is shown once connected" in str(info.value)
    assert hub.state.requests == []
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)   # half a download, then offline again
    _big_repo(hub, size=2_000_000)
    hub.state.throttle_bps = 4e6
    seen = []
    with pytest.raises(DownloadCancelled):
        get_model("org/big", source=resolve_source(), emit=seen.append, should_stop=lambda: len(seen) > 1)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(HubError, match=r"an earlier download of 2 MB is partly done"):
        ensure_model("org/big")


def test_unreachable_endpoint_fails_fast_with_the_mirror_hint(hub, monkeypatch):
    import socket
    import time

    from core.hub import HubError, Source, get_model

    with socket.socket() as s:   # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(HubError, match="cannot reach") as info:
        get_model("org/big", source=Source("hf", f"http://127.0.0.1:{port}"))
    assert time.monotonic() - started < 10 and "hf-mirror.com" in info.value.fix


def test_sources_mirror_env_and_settings_file_is_owner_only(hub, monkeypatch, tmp_path):
    from core.config.user_settings import UserSettings, load_user_settings, save_user_settings
    from core.hub import resolve_source

    monkeypatch.delenv("HF_ENDPOINT")
    assert resolve_source().endpoint == "https://huggingface.co"
    assert resolve_source("mirror").endpoint == "https://hf-mirror.com"
    assert resolve_source("mirror").label == "hf-mirror.com"
    monkeypatch.setenv("HF_ENDPOINT", "https://my.mirror.example/")
    src = resolve_source()
    assert (src.kind, src.endpoint) == ("mirror", "https://my.mirror.example")
    monkeypatch.delenv("HF_ENDPOINT")
    (tmp_path / ".env").write_text("HF_ENDPOINT=https://dotenv.mirror.example\n")
    assert resolve_source().endpoint == "https://dotenv.mirror.example"
    (tmp_path / ".env").unlink()
    path = save_user_settings(UserSettings(hub_source="mirror", hub_token="hf_savedTOKEN12345678"))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    src = resolve_source()
    assert src.kind == "mirror" and src.token == "hf_savedTOKEN12345678"
    assert "hf_savedTOKEN12345678" not in repr(src) and "hf_savedTOKEN12345678" not in str(load_user_settings().public_dict())
