"""Getting models: list a repo's files and sizes, download what training needs with progress, resume,
verification and cancel, from the Hugging Face hub, a mirror (HF_ENDPOINT) or ModelScope; the model cache.

    plan = plan_model("bert-base-chinese")         # sizes before any byte moves
    path = get_model("bert-base-chinese", emit=print)
    path = ensure_model(cfg.model.name_or_path)    # training: the cached copy with no network call, or download
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

from core.hub import cache, modelscope
from core.hub.download import Downloader, free_bytes
from core.hub.listing import RepoPlan, offline_error, plan_repo
from core.hub.source import DownloadCancelled, HubError, ModelOffline, Source, resolve_source

__all__ = ["HubError", "DownloadCancelled", "ModelOffline", "Source", "resolve_source", "plan_model", "get_model", "ensure_model",
           "find_cached", "is_hub_id", "model_status"]

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")


def is_hub_id(name_or_path: str, preset_dir: Path | None = None) -> bool:
    """A hub id (org/name or name), not a local folder (relative to the preset's folder or the working folder)."""
    for cand in ([preset_dir / name_or_path] if preset_dir else []) + [Path(name_or_path).expanduser()]:
        if cand.is_dir():
            return False
    return bool(_HUB_ID.match(name_or_path))


def find_cached(repo_id: str, revision: str = "main", source: Source | None = None) -> Path | None:
    """A complete local copy (hub cache, then ModelScope's cache), found without any network access."""
    snapshot = cache.complete_snapshot(cache.repo_dir(repo_id), revision)
    if snapshot is not None:
        return snapshot
    if source is None or source.kind == "modelscope":
        return modelscope.find_cached(repo_id)
    return None


def _offline() -> bool:
    from huggingface_hub import constants

    return bool(constants.HF_HUB_OFFLINE)


def plan_model(repo_id: str, source: Source | None = None, revision: str | None = None) -> RepoPlan:
    source = source or resolve_source()
    if source.kind == "modelscope":
        return modelscope.plan(repo_id, source, revision)
    if _offline():
        raise offline_error(repo_id, source)
    return plan_repo(repo_id, source, revision)


def get_model(repo_id: str, *, source: Source | None = None, revision: str | None = None, emit: Callable[[Any], None] | None = None,
              should_stop: Callable[[], bool] | None = None, free_space: Callable[[Path], int] = free_bytes,
              workers: int = 4) -> Path:
    """Download (or finish downloading) `repo_id` into the cache; returns its snapshot folder."""
    source = source or resolve_source()
    if source.kind == "modelscope":
        return modelscope.download(repo_id, source, revision, emit=emit, should_stop=should_stop, free_space=free_space)
    plan = plan_model(repo_id, source, revision)
    return Downloader(plan, source, emit=emit, should_stop=should_stop, free_space=free_space, workers=workers).run()


def ensure_model(name_or_path: str, preset_dir: Path | None = None, *, source: Source | None = None,
                 emit: Callable[[Any], None] | None = None, should_stop: Callable[[], bool] | None = None,
                 free_space: Callable[[Path], int] = free_bytes) -> str | None:
    """Training's download phase. None for a local folder; else the path of a complete cached copy, used
    with no network call at all (like HF_HUB_OFFLINE), or downloaded now with "download" events."""
    if not is_hub_id(name_or_path, preset_dir):
        return None
    cached = find_cached(name_or_path)
    if cached is not None:
        return str(cached)
    source = source or resolve_source()
    if source.kind == "modelscope":
        found = modelscope.find_cached(name_or_path)
        if found is not None:
            return str(found)
    return str(get_model(name_or_path, source=source, emit=emit, should_stop=should_stop, free_space=free_space))


def model_status(repo_id: str, source: Source | None = None) -> dict[str, Any]:
    """For the wizard: {"cached": bool, "path", "bytes_total", "bytes_needed", "source"}; asks the hub only when
    the model is not complete in the cache."""
    source = source or resolve_source()
    cached = find_cached(repo_id, source=source)
    if cached is not None:
        return {"cached": True, "path": str(cached), "bytes_total": cache.dir_bytes(cached.parent.parent)
                if cached.parent.name == "snapshots" else cache.dir_bytes(cached), "bytes_needed": 0, "source": source.label}
    plan = plan_model(repo_id, source)
    if source.kind == "modelscope":
        return {"cached": False, "path": None, "bytes_total": plan.total_bytes, "bytes_needed": plan.total_bytes,
                "source": source.label}
    needed = Downloader(plan, source).needed_bytes()
    return {"cached": False, "path": None, "bytes_total": plan.total_bytes, "bytes_needed": needed, "source": source.label}
