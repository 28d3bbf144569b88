"""What a model repo holds and what training needs of it, asked of the hub before any byte is downloaded.

One call, `HfApi.model_info(files_metadata=True)`, gives the commit, every file's size, its git blob id and,
for LFS files, the sha256 the download is verified against. Errors become HubError with a fix.
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any

from core.hub.source import HubError, ModelOffline, Source

# Never needed to train with transformers/PyTorch: other frameworks' weights, exports, docs and images.
SKIP_PATTERNS = ("*.onnx", "*.onnx_data", "onnx/*", "*.gguf", "*.h5", "*.msgpack", "flax_model*", "tf_model*",
                 "rust_model*", "*.ot", "*.tflite", "openvino/*", "coreml/*", "*.mlmodel", "*.mlpackage/*",
                 ".gitattributes", "*.md", "*.png", "*.jpg", "*.jpeg", "*.gif", "*.svg", "*.pdf", "LICENSE*",
                 "*.ckpt", "*.pkl", "*.pickle", "*.npz", "*.mar", "*.nemo", "*.ggml", "*.zip", "*.tar*", "*.7z",
                 "runs/*", "logs/*", "*.log", "*.csv", "*.tsv", "*.parquet", "*.arrow", "*.wav", "*.mp3", "*.mp4")
PYTORCH_WEIGHTS = ("*.bin", "*.pt", "*.pth")


@dataclass
class RemoteFile:
    name: str
    size: int
    blob_id: str                 # git blob sha1 (non-LFS files are verified against it)
    sha256: str | None = None    # LFS files: the hub's sha256 of the content

    @property
    def blob(self) -> str:
        """The blob's name in the hub cache (blobs/<etag>): sha256 for LFS files, the git blob id otherwise."""
        return self.sha256 or self.blob_id


@dataclass
class RepoPlan:
    repo_id: str
    revision: str
    commit: str
    files: list[RemoteFile]
    skipped: list[str] = field(default_factory=list)
    gated: bool = False

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)


def select_files(names: list[str]) -> tuple[list[str], list[str]]:
    """Training's files: config, tokenizer, safetensors (or .bin only where no safetensors exist), custom code."""
    keep, skip = [], []
    has_safetensors = any(n.endswith(".safetensors") for n in names)
    for name in names:
        base = name.rsplit("/", 1)[-1]
        if any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(base, p) for p in SKIP_PATTERNS):
            skip.append(name)
        elif has_safetensors and any(fnmatch.fnmatch(base, p) for p in PYTORCH_WEIGHTS):
            skip.append(name)
        else:
            keep.append(name)
    return keep, skip


def _api(source: Source) -> Any:
    from huggingface_hub import HfApi

    return HfApi(endpoint=source.endpoint, token=source.token or False, library_name="laptune")


def not_found_message(repo_id: str, source: Source) -> HubError:
    """The repo does not exist (or is private): with a did-you-mean from the hub's search where it answers."""
    import difflib

    suggestions: list[str] = []
    name = repo_id.rsplit("/", 1)[-1]
    first = re.split(r"[-_.]", name)[0]
    try:
        # The hub's search matches substrings: the whole name finds a wrong organisation, the first word a typo.
        candidates = [m.id for m in _api(source).list_models(search=name, limit=5)]
        if not candidates and first and first != name:
            found = [m.id for m in _api(source).list_models(search=first, limit=100)]
            candidates = difflib.get_close_matches(repo_id, found, n=3, cutoff=0.6) or \
                difflib.get_close_matches(name, found, n=3, cutoff=0.6)
        suggestions = candidates[:3]
    except Exception:  # the search is a courtesy: no suggestion when it fails
        pass
    hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
    return HubError(f"no model '{repo_id}' on {source.label}.{hint}",
                    fix="check the id (organisation/name, as on the model's page), or give a local folder")


def offline_error(repo_id: str, source: Source, exc: BaseException | None = None,
                  estimated_bytes: int = 0) -> ModelOffline:
    from core.hub.cache import read_manifest, repo_dir

    why = f" ({type(exc).__name__})" if exc is not None else ""
    manifest = read_manifest(repo_dir(repo_id)) or {}
    total = sum(f.get("size", 0) for f in manifest.get("files", []))
    if total:
        size = f" (an earlier download of {_amount(total)} is partly done and will continue)"
    elif estimated_bytes:
        size = f" (about {_amount(estimated_bytes)} to download, estimated from its configuration)"
    else:
        size = " (its size is shown once connected)"
    return ModelOffline(
        f"cannot reach {source.label} to get '{repo_id}' and it is not in the model cache{size}{why}",
        fix=f"connect once and run `laptune models get {repo_id}` (or Download now in the wizard); "
            "from mainland China choose the mirror: `--source mirror` or HF_ENDPOINT=https://hf-mirror.com",
        repo_id=repo_id, known_bytes=total,
        rebuild=lambda estimate: offline_error(repo_id, source, exc, estimated_bytes=estimate))


def _amount(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def translate_error(repo_id: str, source: Source, exc: BaseException) -> HubError:
    import httpx2
    from huggingface_hub.errors import (GatedRepoError, OfflineModeIsEnabled, RepositoryNotFoundError,
                                        RevisionNotFoundError)

    if isinstance(exc, HubError):
        return exc
    if isinstance(exc, GatedRepoError):
        has = "the token given has no access" if source.token else "no token was given"
        return HubError(f"'{repo_id}' is gated: its authors ask you to accept their terms first, and {has}",
                        fix=f"accept the terms at {source.endpoint}/{repo_id} with your account, then give a read token "
                            "(HF_TOKEN=..., `hf auth login`, `laptune models login`, or the Hub token field on the wizard's model page)")
    if isinstance(exc, RevisionNotFoundError):
        return HubError(f"'{repo_id}' has no revision by that name on {source.label}",
                        fix="leave --revision out (main), or give a branch, tag or commit that exists")
    if isinstance(exc, RepositoryNotFoundError):
        return not_found_message(repo_id, source)
    if isinstance(exc, (OfflineModeIsEnabled, httpx2.TransportError, OSError)):
        return offline_error(repo_id, source, exc)
    return HubError(source.redact(f"{source.label} answered an error for '{repo_id}': {type(exc).__name__}: "
                                  f"{str(exc).splitlines()[0] if str(exc) else ''}"),
                    fix="try again later, or choose another source (`--source mirror`)")


def plan_repo(repo_id: str, source: Source, revision: str | None = None, *, everything: bool = False) -> RepoPlan:
    """Files to download with sizes and hashes; one API call, no file bytes."""
    try:
        info = _api(source).model_info(repo_id, revision=revision or "main", files_metadata=True, timeout=15)
    except Exception as exc:  # every failure becomes a HubError with the fix
        raise translate_error(repo_id, source, exc) from None
    siblings = {s.rfilename: s for s in info.siblings or []}
    keep, skip = (list(siblings), []) if everything else select_files(list(siblings))
    files = []
    for name in keep:
        s = siblings[name]
        files.append(RemoteFile(name=name, size=int(s.size or (s.lfs.size if s.lfs else 0) or 0), blob_id=s.blob_id or "",
                                sha256=s.lfs.sha256 if s.lfs else None))
    if not any(f.name.endswith("config.json") for f in files):
        raise HubError(f"'{repo_id}' on {source.label} has no config.json: it is not a transformers model",
                       fix="pick a model made for transformers (its page lists config.json)")
    return RepoPlan(repo_id=repo_id, revision=revision or "main", commit=info.sha or "", files=files, skipped=skip,
                    gated=bool(getattr(info, "gated", False)))
