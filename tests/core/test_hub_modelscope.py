"""ModelScope as a source, through the real `modelscope` package pointed at the local server's ModelScope
routes (tests/hubserver.py): the seed table maps hub ids, progress, only training's files, cancel, errors."""
from __future__ import annotations

import pytest

from tests.hubserver import FakeRepo, hub, random_bytes  # noqa: F401  (hub is a fixture)

pytest.importorskip("modelscope", reason="the ModelScope source needs `pip install modelscope` (in the dev extras)")


def _source(server):
    from core.hub import Source

    return Source("modelscope", server.url)


def _seed_repo(server, size=3 << 20):
    # bert-base-chinese's ModelScope id from presets/sources/modelscope.yaml
    return server.state.add(FakeRepo("tiansz/bert-base-chinese", {
        "config.json": b'{"model_type": "bert"}', "vocab.txt": b"a\nb\n", "model.safetensors": random_bytes(size, 4),
        "pytorch_model.bin": random_bytes(2048, 5), "onnx/model.onnx": random_bytes(2048, 6)}))


def test_seed_model_downloads_from_modelscope_into_its_cache(hub, capsys):
    from core.cli.main import main
    from core.hub import ensure_model, find_cached, get_model

    repo = _seed_repo(hub)
    events = []
    path = get_model("bert-base-chinese", source=_source(hub), emit=events.append)
    assert sorted(p.name for p in path.iterdir()) == ["config.json", "model.safetensors", "vocab.txt"]
    assert (path / "model.safetensors").read_bytes() == repo.files["model.safetensors"]
    assert all(r.path.startswith("/api/v1/") for r in hub.state.requests)
    done = [e.bytes_done for e in events]
    assert done == sorted(done) and events[-1].status == "done" and events[-1].bytes_done == events[-1].bytes_total
    assert events[-1].source == "ModelScope"
    assert find_cached("bert-base-chinese") == path
    hub.state.reset()
    assert ensure_model("bert-base-chinese") == str(path) and hub.state.requests == []   # no network when cached
    assert main(["models", "list", "--json"]) == 0
    import json

    entry = next(m for m in json.loads(capsys.readouterr().out) if m["source"] == "modelscope")
    assert entry["id"] == "tiansz/bert-base-chinese" and entry["complete"] and "ner-bert-crf-4gb" in entry["presets"]
    assert main(["models", "rm", "bert-base-chinese"]) == 0
    assert find_cached("bert-base-chinese") is None


def test_modelscope_wrong_id_and_cancel(hub):
    from core.hub import DownloadCancelled, HubError, find_cached, get_model

    with pytest.raises(HubError, match="ModelScope has no model 'nobody/nothing'"):
        get_model("nobody/nothing", source=_source(hub))
    _seed_repo(hub, size=6 << 20)
    hub.state.throttle_bps = 8e6
    seen = []
    with pytest.raises(DownloadCancelled):
        get_model("bert-base-chinese", source=_source(hub), emit=seen.append,
                  should_stop=lambda: bool(seen) and seen[-1].bytes_done > 1 << 20)
    assert find_cached("bert-base-chinese") is None
