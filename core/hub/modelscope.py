"""ModelScope (modelscope.cn) as a model source, through the `modelscope` package: its own snapshot download
into its own cache ($MODELSCOPE_CACHE, default ~/.cache/modelscope/hub; models under models/<org>/<name>).

Seed models' ModelScope ids live in presets/sources/modelscope.yaml (a Hugging Face id -> ModelScope id).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Callable

import yaml

from core.config.paths import presets_dir
from core.hub.source import DownloadCancelled, HubError, Source


def seed_ids() -> dict[str, str]:
    """Hugging Face id -> ModelScope id for the seed presets' models (None where ModelScope has none)."""
    path = presets_dir() / "sources" / "modelscope.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return {str(k): str(v["id"]) for k, v in data.items() if isinstance(v, dict) and v.get("id")}


def modelscope_id(repo_id: str) -> str:
    return seed_ids().get(repo_id, repo_id)


def cache_root(base: Path | None = None) -> Path:
    """$MODELSCOPE_CACHE/models (default ~/.cache/modelscope/hub/models), as the modelscope package lays it out:
    models/<org>--<name>/snapshots/<revision>/<files>."""
    root = base or Path(os.path.expanduser(os.environ.get("MODELSCOPE_CACHE") or "~/.cache/modelscope/hub"))
    return root / "models"


def _repo_folder(ms_id: str, base: Path | None = None) -> Path:
    return cache_root(base) / ms_id.replace("/", "--")


MARK = ".laptune-complete"   # beside snapshots/: written after the package's download returned


def find_cached(repo_id: str, base: Path | None = None) -> Path | None:
    folder = _repo_folder(modelscope_id(repo_id), base)
    mark = folder / MARK
    if not mark.is_file():
        return None
    snapshot = Path(mark.read_text(encoding="utf-8").strip())
    return snapshot if snapshot.is_dir() else None


def list_cached(base: Path | None = None) -> list[dict[str, Any]]:
    from core.hub.cache import dir_bytes

    root = cache_root(base)
    found = []
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if folder.is_dir() and "--" in folder.name:
            ms_id = folder.name.replace("--", "/", 1)
            done = find_cached(ms_id, base)
            found.append({"id": ms_id, "path": str(done or folder), "bytes": dir_bytes(folder), "complete": done is not None})
    return found


def remove(repo_id: str, base: Path | None = None) -> tuple[int, list[str]]:
    from core.hub.cache import dir_bytes

    freed, removed = 0, []
    for ms_id in {repo_id, modelscope_id(repo_id)}:
        folder = _repo_folder(ms_id, base)
        if "/" in ms_id and folder.is_dir():
            freed += dir_bytes(folder)
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(str(folder))
    return freed, removed


def _require_package() -> Any:
    try:
        import modelscope  # noqa: F401
        from modelscope.hub.api import HubApi
    except ImportError as exc:
        raise HubError("the ModelScope source needs the `modelscope` package",
                       fix="pip install modelscope (or choose the Hugging Face mirror: --source mirror)") from exc
    return HubApi


def plan(repo_id: str, source: Source, revision: str | None = None) -> Any:
    """File list with sizes from ModelScope's API, in the same shape as a hub plan."""
    from core.hub.listing import RemoteFile, RepoPlan, select_files

    hub_api = _require_package()
    ms_id = modelscope_id(repo_id)
    try:
        files = hub_api(endpoint=source.endpoint).get_model_files(ms_id, revision=revision or "master", recursive=True)
        if not files:
            raise LookupError("no files")
    except Exception as exc:  # network and API errors alike: a HubError naming the model and the fix
        raise HubError(source.redact(f"ModelScope has no model '{ms_id}' or cannot be reached ({type(exc).__name__})"),
                       fix="check the ModelScope id (presets/sources/modelscope.yaml lists the seed models'), "
                           "or choose the Hugging Face mirror: --source mirror") from None
    by_name = {f["Path"]: f for f in files if f.get("Type", "blob") != "tree"}
    keep, skip = select_files(list(by_name))
    remote = [RemoteFile(name=n, size=int(by_name[n].get("Size") or 0), blob_id=str(by_name[n].get("Sha256") or ""),
                         sha256=by_name[n].get("Sha256") or None) for n in keep]
    return RepoPlan(repo_id=ms_id, revision=revision or "master", commit=revision or "master", files=remote, skipped=skip)


def download(repo_id: str, source: Source, revision: str | None = None, *, emit: Callable[[Any], None] | None = None,
             should_stop: Callable[[], bool] | None = None, free_space: Callable[[Path], int] | None = None,
             base: Path | None = None) -> Path:
    """snapshot_download of the modelscope package into its own cache, with our events around it. ModelScope
    reports progress per file through ProgressCallback classes; cancel is checked there (it raises)."""
    from core.record.events import Download

    repo_plan = plan(repo_id, source, revision)
    ms_id = repo_plan.repo_id
    total = repo_plan.total_bytes
    if free_space is not None and free_space(cache_root(base)) < total:
        raise HubError(f"'{ms_id}' needs {total / (1 << 30):.1f} GB in {cache_root(base)}, not that much is free",
                       fix="free some space, or set MODELSCOPE_CACHE to a bigger disk")
    # The submodule itself, not the package's lazy attribute: the frozen app has no lazy-import index.
    from modelscope.hub.callback import ProgressCallback
    from modelscope.hub.snapshot_download import snapshot_download

    state = {"done": 0}

    class Stop(BaseException):
        """Not an Exception: the package retries failed files on Exception, a cancel must get through."""

    def send(status: str, file: str = "", message: str = "") -> None:
        if emit is not None:
            emit(Download(status=status, repo_id=ms_id, source="ModelScope", file=file, bytes_done=min(state["done"], total),
                          bytes_total=total, message=message))

    class Callback(ProgressCallback):
        def update(self, size: int) -> None:
            if should_stop is not None and should_stop():
                raise Stop()
            state["done"] += size
            send("downloading", self.filename)

    send("downloading", message=f"{total / (1 << 20):.1f} MB from ModelScope")
    try:
        # The package resumes its own partial files and checks sha256; it reads MODELSCOPE_CACHE for the cache.
        path = snapshot_download(ms_id, revision=revision, endpoint=source.endpoint, token=source.token,
                                 allow_patterns=[f.name for f in repo_plan.files], progress_callbacks=[Callback])
    except Stop:
        send("cancelled", message="cancelled: the modelscope package keeps what it downloaded")
        raise DownloadCancelled(f"download of '{ms_id}' cancelled",
                                fix=f"run `laptune models get {repo_id} --source modelscope` again") from None
    except Exception as exc:  # the package's errors: named, with the fix
        send("failed", message=type(exc).__name__)
        raise HubError(source.redact(f"ModelScope download of '{ms_id}' failed: {type(exc).__name__}: {exc}"),
                       fix="try again (finished files are kept), or choose the Hugging Face mirror") from None
    (_repo_folder(ms_id, base) / MARK).write_text(str(path), encoding="utf-8")
    state["done"] = total
    send("done", message=f"{ms_id}: in {path}")
    return Path(path)
