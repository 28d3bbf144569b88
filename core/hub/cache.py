"""The model cache: huggingface_hub's own layout, so transformers and huggingface_hub find LapTune's downloads.

    $HF_HUB_CACHE (default $HF_HOME/hub, ~/.cache/huggingface/hub)
      models--org--name/
        blobs/<sha256 or git blob id>            verified content
        blobs/<blob>.laptune-partial             an interrupted download, resumed with HTTP Range (never trusted)
        snapshots/<commit>/<file> -> ../../blobs/<blob>
        refs/main                                the commit; written LAST, so a model is only "there" when complete
        laptune.json                             our manifest: source, revision, the files a complete copy has
      .locks/models--org--name/<blob>.lock       the same lock file huggingface_hub takes for that blob

scan_cache_dir ignores laptune.json and the partial files (they are outside snapshots/).
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

MANIFEST = "laptune.json"
PARTIAL_SUFFIX = ".laptune-partial"
WEIGHT_GLOBS = ("*.safetensors", "pytorch_model*.bin", "adapter_model.*")


def hub_cache_dir() -> Path:
    """Read at call time (huggingface_hub reads HF_HOME once at import): HF_HUB_CACHE, else HF_HOME/hub."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE)


def repo_folder(repo_id: str) -> str:
    return "models--" + repo_id.replace("/", "--")


def repo_dir(repo_id: str, cache: Path | None = None) -> Path:
    return (cache or hub_cache_dir()) / repo_folder(repo_id)


def lock_path(repo_id: str, blob: str, cache: Path | None = None) -> Path:
    return (cache or hub_cache_dir()) / ".locks" / repo_folder(repo_id) / f"{blob}.lock"


def read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_manifest(folder: Path, data: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)


def link_into_snapshot(folder: Path, commit: str, name: str, blob: str) -> Path:
    """snapshots/<commit>/<name> -> blobs/<blob>: a relative symlink like huggingface_hub makes; where symlinks
    are not allowed (Windows without developer mode) a hard link, else a copy."""
    dst = folder / "snapshots" / commit / name
    src = folder / "blobs" / blob
    dst.parent.mkdir(parents=True, exist_ok=True)
    if dst.is_symlink() or dst.exists():
        if dst.resolve() == src.resolve() or (not dst.is_symlink() and dst.stat().st_size == src.stat().st_size):
            return dst
        dst.unlink()
    try:
        os.symlink(os.path.relpath(src, dst.parent), dst)
    except (OSError, NotImplementedError):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)
    return dst


def write_ref(folder: Path, revision: str, commit: str) -> None:
    if revision == commit:
        return
    ref = folder / "refs" / revision
    ref.parent.mkdir(parents=True, exist_ok=True)
    tmp = ref.with_name(ref.name + ".tmp")
    tmp.write_text(commit)
    os.replace(tmp, ref)


def _has_weights(snapshot: Path) -> bool:
    return any(any(snapshot.glob(g)) for g in WEIGHT_GLOBS)


def complete_snapshot(folder: Path, revision: str = "main") -> Path | None:
    """The snapshot folder of a complete copy, found without any network access; None if absent or partial.

    With our manifest: every listed file is in the snapshot with its size. Without one (a model another tool
    put in the cache): refs/<revision> exists and the snapshot has config.json and weights."""
    ref = folder / "refs" / revision
    commit = ref.read_text().strip() if ref.is_file() else (revision if (folder / "snapshots" / revision).is_dir() else None)
    if not commit:
        return None
    snapshot = folder / "snapshots" / commit
    if not snapshot.is_dir():
        return None
    manifest = read_manifest(folder)
    if manifest and manifest.get("commit") == commit:
        for item in manifest.get("files", []):
            path = snapshot / item["name"]
            if not path.exists() or path.stat().st_size != item["size"]:
                return None
        return snapshot
    return snapshot if (snapshot / "config.json").exists() and _has_weights(snapshot) else None


def dir_bytes(folder: Path) -> int:
    """Bytes on disk: blobs (verified and partial) counted once; links in snapshots/ are not counted again."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(root) / name
            if not path.is_symlink():
                try:
                    total += path.stat().st_size
                except OSError:
                    pass
    return total


def remove_repo(repo_id: str, cache: Path | None = None) -> tuple[int, list[str]]:
    """Delete a model's folder (complete or partial) and its locks; returns (bytes freed, folders removed)."""
    base = cache or hub_cache_dir()
    freed, removed = 0, []
    for folder in (repo_dir(repo_id, base), base / ".locks" / repo_folder(repo_id)):
        if folder.exists():
            freed += dir_bytes(folder)
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(str(folder))
    return freed, removed
