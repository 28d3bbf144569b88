"""The tokenised-data cache: what its key depends on, how entries are written and read, and a real run
that takes its features from it."""
from __future__ import annotations

import marshal
import shutil
from pathlib import Path

import pytest

from core.train.tasks import feature_cache
from tests.conftest import DEMO, train_preset

SETTINGS = {"task": "ner", "data": {"format": "auto"}, "section": None, "limit": 64, "holdout_seed": None,
            "remote_code": False}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """The cache on, in a folder of the test's own (the suite runs with it off)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("LAPTUNE_FEATURE_CACHE", "1")
    monkeypatch.setattr(feature_cache, "cache_dir", lambda: folder)
    return folder


@pytest.fixture
def files(tmp_path):
    data = tmp_path / "train.txt"
    data.write_text("张 B-PER\n伟 I-PER\n\n北 B-LOC\n京 I-LOC\n", encoding="utf-8")
    model = tmp_path / "model"
    model.mkdir()
    for name in ("vocab.txt", "tokenizer_config.json"):
        shutil.copy(DEMO / "bert-tiny" / name, model / name)
    return data, model


def test_the_key_follows_contents_not_names(files, tmp_path):
    data, model = files
    key = feature_cache.cache_key([data, None], model, SETTINGS)
    assert key and len(key) == 64
    copy = tmp_path / "elsewhere" / "renamed.conll"
    copy.parent.mkdir()
    shutil.copy(data, copy)
    assert feature_cache.cache_key([copy, None], model, SETTINGS) == key          # same bytes, other name
    assert feature_cache.cache_key([data, data], model, SETTINGS) != key          # an eval file now
    assert feature_cache.cache_key([data, None], model, {**SETTINGS, "limit": 128}) != key
    copy.write_text(data.read_text(encoding="utf-8") + "\n上 B-LOC\n", encoding="utf-8")
    assert feature_cache.cache_key([copy, None], model, SETTINGS) != key          # edited
    (model / "vocab.txt").write_text((model / "vocab.txt").read_text(encoding="utf-8") + "新\n", encoding="utf-8")
    assert feature_cache.cache_key([data, None], model, SETTINGS) != key          # another tokenizer


def test_nothing_is_cached_where_the_contents_are_unknown_or_too_large(files, tmp_path, monkeypatch):
    data, model = files
    assert feature_cache.cache_key([tmp_path / "org/some-hub-dataset", None], model, SETTINGS) is None
    assert feature_cache.cache_key([data, None], tmp_path / "no-tokenizer-here", SETTINGS) is None
    assert feature_cache.cache_key([data, None], model, {**SETTINGS, "remote_code": True}) is None
    monkeypatch.setattr(feature_cache, "MAX_DATA_BYTES", 10)
    assert feature_cache.cache_key([data, None], model, SETTINGS) is None


def test_a_folder_data_set_counts_its_file_names_and_contents(files, tmp_path):
    _, model = files
    folder = tmp_path / "ds"
    (folder / "train").mkdir(parents=True)
    (folder / "train" / "part-0.arrow").write_bytes(b"abc")
    key = feature_cache.cache_key([folder, None], model, SETTINGS)
    (folder / "train" / "part-0.arrow").rename(folder / "train" / "part-1.arrow")
    assert feature_cache.cache_key([folder, None], model, SETTINGS) != key


def test_an_entry_is_made_once_then_read(cache):
    calls = []

    def make():
        calls.append(1)
        return {"tags": ["O", "B-PER"], "train": [{"input_ids": [1, 2, 3], "labels": [0]}], "eval": None, "notes": ["n"]}

    first, hit = feature_cache.cached("k" * 64, make)
    assert not hit and calls == [1]
    second, hit = feature_cache.cached("k" * 64, make)
    assert hit and calls == [1] and second == first
    assert [p.name for p in cache.iterdir()] == ["k" * 64 + ".marshal"]   # no temporary file left


def test_an_entry_that_does_not_load_is_made_again(cache):
    cache.mkdir()
    entry = cache / ("b" * 64 + ".marshal")
    entry.write_bytes(b"\x00half-written")
    value, hit = feature_cache.cached("b" * 64, lambda: {"x": [1]})
    assert (value, hit) == ({"x": [1]}, False)
    assert marshal.loads(entry.read_bytes()) == {"format": feature_cache.FORMAT, "data": {"x": [1]}}
    entry.write_bytes(marshal.dumps({"format": feature_cache.FORMAT - 1, "data": {"x": [2]}}))   # an older format
    assert feature_cache.cached("b" * 64, lambda: {"x": [3]}) == ({"x": [3]}, False)


def test_the_newest_entries_are_kept(cache, monkeypatch):
    import os
    import time

    monkeypatch.setattr(feature_cache, "KEEP", 3)
    for i in range(5):
        feature_cache.cached(f"{i:064d}", lambda: {"i": 1})
        os.utime(cache / f"{i:064d}.marshal", (time.time() - 100 + i, time.time() - 100 + i))
    feature_cache.cached("f" * 64, lambda: {"i": 1})
    assert sorted(p.stem for p in cache.glob("*.marshal")) == [f"{3:064d}", f"{4:064d}", "f" * 64]


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("LAPTUNE_FEATURE_CACHE", "1")
    monkeypatch.setattr(feature_cache, "cache_dir", lambda: blocker / "cache")
    assert feature_cache.cached("c" * 64, lambda: {"v": 1}) == ({"v": 1}, False)


def test_switched_off_it_reads_and_writes_nothing(cache, monkeypatch):
    monkeypatch.setenv("LAPTUNE_FEATURE_CACHE", "0")
    assert feature_cache.cached("d" * 64, lambda: {"v": 1}) == ({"v": 1}, False)
    assert not cache.exists()


@pytest.mark.parametrize("preset", ["demo-ner", "demo"])
def test_a_second_run_on_the_same_data_takes_its_features_from_the_cache_and_trains_the_same(cache, tmp_path, tiny_models, preset):
    sets = ["max_steps=6", "logging_steps=1", "use_cpu=true", "precision=fp32", "cpu_threads=1"]
    overrides = {"model.name_or_path": str(tiny_models["bert"]), "model.init_from_scratch": False}
    runs = []
    for name in ("cold", "warm"):
        summary, rec = train_preset(preset, tmp_path / name, sets=sets, overrides=overrides)
        assert summary["status"] == "completed"
        notes = [e.message for e in rec.of("status") if e.status == "note"]
        runs.append((notes, [e.loss for e in rec.of("log") if e.loss is not None], summary["last_eval"]))
    (cold_notes, cold_losses, cold_eval), (warm_notes, warm_losses, warm_eval) = runs
    assert feature_cache.CACHE_NOTE not in cold_notes and feature_cache.CACHE_NOTE in warm_notes
    # The label map and the data notes come back with the features.
    assert [n for n in warm_notes if n != feature_cache.CACHE_NOTE] == cold_notes
    assert len(cold_losses) == 6 and warm_losses == cold_losses and warm_eval["eval_loss"] == cold_eval["eval_loss"]
    assert len(list(cache.glob("*.marshal"))) == 1
