"""Tokenised data sets kept between runs, keyed by everything they were made from.

A second run on the same files (another learning rate, another seed, a run started again) skips
reading, checking and tokenising them: ~1 s of a 4000-sentence NER run on a laptop CPU
(docs/benchmarks.md), minutes for a large corpus. transformers and tokenizers cache nothing of the
kind for lists of features, and `datasets`' own cache (Dataset.map) is keyed by the data set's
fingerprint and would need our readers to go through `datasets` first; this is the small piece that
lacks.

The key is a SHA-256 of: the contents of the data files (not their names or dates: a copied file
hits, an edited one misses), the tokenizer's own files in the model folder, the settings that change
the features (task, the data section without the file names, the task's section, the token limit,
the seed that picks a held-out split), the cache format and the Python version (marshal's format).
An entry is a marshal file (lists, dicts, numbers and strings: loading it cannot run code), written
under a temporary name and renamed, so a killed run never leaves a half entry; an entry that does not
load is made again. The 8 entries used last are kept. Data over 200 MB is not cached (the entry
would be as large again as the files). `LAPTUNE_FEATURE_CACHE=0` turns the cache off.
"""
from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

FORMAT = 1
KEEP = 8
MAX_DATA_BYTES = 200 * 1024 * 1024
CACHE_NOTE = "tokenised data from the cache (the same files, tokenizer and settings as an earlier run)"
# What a tokenizer is made of, across the fast (tokenizer.json), WordPiece, BPE and SentencePiece kinds.
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
                   "vocab.txt", "vocab.json", "merges.txt", "spiece.model", "sentencepiece.bpe.model",
                   "tokenizer.model")


def cache_dir() -> Path:
    from core.config.paths import user_data_dir

    return user_data_dir() / "cache" / "features"


def enabled() -> bool:
    return os.environ.get("LAPTUNE_FEATURE_CACHE", "1").strip().lower() not in ("0", "false", "no", "off")


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file())
    return [path] if path.is_file() else []


def run_settings(cfg: Any, limit: int) -> dict[str, Any]:
    """The settings of a run that change its features; file names are left out (their contents count)."""
    data = cfg.data.model_dump(mode="json")
    data.pop("train", None)
    data.pop("eval", None)
    section = getattr(cfg, cfg.task, None)
    return {"task": cfg.task, "data": data, "section": section.model_dump(mode="json") if section is not None else None,
            "limit": limit, "holdout_seed": cfg.training.seed if cfg.data.eval is None else None,
            "remote_code": bool(cfg.model.trust_remote_code)}


def features_for(cfg: Any, preset_dir: Path | None, model_path: str | Path, limit: int,
                 make: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    """A task's features from the cache or from `make`, and the note to log when they came from the cache."""
    from core.train.tasks.base import data_path

    files = [data_path(cfg, "train", preset_dir), data_path(cfg, "eval", preset_dir)]
    value, hit = cached(cache_key(files, model_path, run_settings(cfg, limit)), make)
    return value, [CACHE_NOTE] if hit else []


def cache_key(data_files: list[Path | None], model_path: str | Path, settings: dict[str, Any]) -> str | None:
    """The entry's name, or None where nothing should be cached (no tokenizer files, data too large)."""
    if settings.get("remote_code"):   # a tokenizer with its own Python code: its files are not all listed here
        return None
    tokenizer_files = [Path(model_path) / name for name in TOKENIZER_FILES if (Path(model_path) / name).is_file()]
    if not tokenizer_files:
        return None
    digest = hashlib.sha256(f"laptune-features {FORMAT} {sys.version_info[:2]}\n".encode())
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    total = 0
    for path in data_files:
        digest.update(b"\2data\0")
        if path is None:
            continue
        files = _files(path)
        if not files:   # not a local file or folder (a hub data set id): its contents are unknown here
            return None
        total += sum(f.stat().st_size for f in files)
        if total > MAX_DATA_BYTES:
            return None
        # Inside a folder data set the names matter (splits, shards); a single file counts by content only.
        digest.update(str(len(files)).encode())
        for f in files:
            digest.update(((str(f.relative_to(path)) if path.is_dir() else "") + "\0").encode())
            _hash_file(digest, f)
    digest.update(b"\2tokenizer\0")
    for f in tokenizer_files:
        digest.update((f.name + "\0").encode())
        _hash_file(digest, f)
    return digest.hexdigest()


def _hash_file(digest: Any, path: Path) -> None:
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    digest.update(b"\1")


def cached(key: str | None, make: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], bool]:
    """make()'s result, from the cache when an entry for `key` loads; returns (value, came_from_cache).

    `make` returns plain data (marshal's types). A cache that cannot be read or written only costs the
    time it would have saved: the run goes on with what `make` returned."""
    if key is None or not enabled():
        return make(), False
    folder = cache_dir()
    entry = folder / f"{key}.marshal"
    try:
        with open(entry, "rb") as fh:
            value = marshal.load(fh)
        if isinstance(value, dict) and value.get("format") == FORMAT:
            os.utime(entry)   # used last: kept longest
            return value["data"], True
    except (OSError, EOFError, ValueError, TypeError):
        pass   # no entry yet, or one that does not load: made again below
    value = make()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{key[:16]}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                marshal.dump({"format": FORMAT, "data": value}, fh)
            os.replace(tmp, entry)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(folder)
    except (OSError, ValueError):
        pass   # a read-only or full disk: no entry this time
    return value, False


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.marshal"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)
