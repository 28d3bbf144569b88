"""The cached models of every source together: `laptune models list|rm` and the wizard."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.hub import modelscope
from core.hub.cache import complete_snapshot, dir_bytes, hub_cache_dir, read_manifest, remove_repo


@dataclass
class CachedModel:
    id: str
    source: str
    path: str
    bytes: int
    complete: bool
    presets: list[str]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def presets_using() -> dict[str, list[str]]:
    from core.config.presets import list_presets

    usage: dict[str, list[str]] = {}
    for info in list_presets():
        if info.config is not None:
            usage.setdefault(info.config.model.name_or_path, []).append(info.name)
    return usage


def list_cached(cache: Path | None = None, modelscope_cache: Path | None = None) -> list[CachedModel]:
    usage = presets_using()
    models = []
    base = cache or hub_cache_dir()
    for folder in sorted(base.glob("models--*")) if base.is_dir() else []:
        repo_id = folder.name[len("models--"):].replace("--", "/")
        manifest = read_manifest(folder) or {}
        revision = manifest.get("revision", "main")
        snapshot = complete_snapshot(folder, revision)
        models.append(CachedModel(id=repo_id, source=manifest.get("source", "hf"), path=str(snapshot or folder),
                                  bytes=dir_bytes(folder), complete=snapshot is not None, presets=usage.get(repo_id, [])))
    for entry in modelscope.list_cached(modelscope_cache):
        hf_ids = [k for k, v in modelscope.seed_ids().items() if v == entry["id"]]
        presets = sorted({p for i in [entry["id"], *hf_ids] for p in usage.get(i, [])})
        models.append(CachedModel(id=entry["id"], source="modelscope", path=entry["path"], bytes=entry["bytes"],
                                  complete=entry["complete"], presets=presets))
    return models


def remove(repo_id: str, cache: Path | None = None, modelscope_cache: Path | None = None) -> tuple[int, list[str]]:
    """Delete a model's folder (complete or partial) from the caches; returns (bytes freed, folders removed)."""
    freed, removed = remove_repo(repo_id, cache)
    ms_freed, ms_removed = modelscope.remove(repo_id, modelscope_cache)
    return freed + ms_freed, removed + ms_removed
