"""Download a planned repo into the hub cache: resumable across processes, verified, cancellable, with progress.

Why not `snapshot_download`: since huggingface_hub 1.x each download writes a process-unique temporary
file (its PR 4228), so a download killed at 90 % of a 15 GB model starts again from byte 0 in the next
process. Here every blob has ONE stable partial file (blobs/<blob>.laptune-partial) guarded by the same
lock file huggingface_hub uses for that blob (.locks/<repo>/<blob>.lock, via filelock), so two LapTune
processes, or LapTune and huggingface_hub, never write one blob at once. The next attempt sends
`Range: bytes=<partial size>-` and appends. Content is hashed while it streams (the partial's prefix is
hashed once on resume) and checked against the hub's sha256 (LFS files) or git blob id (small files);
only a verified blob is renamed into blobs/ and linked from snapshots/, and refs/<revision> is written
after the last file, so from_pretrained and huggingface_hub never see a half-downloaded model.
Listing, URLs, headers, errors and the cache layout are huggingface_hub's; only the transfer is ours.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

from core.hub import cache
from core.hub.listing import RemoteFile, RepoPlan
from core.hub.source import DownloadCancelled, HubError, Source
from core.record.events import Download

CHUNK = 1 << 20
MARGIN_BYTES = 16 << 20          # free space kept beyond the download itself
Emit = Callable[[Any], None]


def free_bytes(path: Path) -> int:
    while not path.exists():
        path = path.parent
    return shutil.disk_usage(path).free


class Progress:
    """Bytes of the whole repo: starts at what is already on disk, only grows, ends at the total."""

    def __init__(self, plan: RepoPlan, source: Source, emit: Emit | None, interval_s: float = 0.2) -> None:
        self.plan, self.source, self.emit, self.interval_s = plan, source, emit, interval_s
        self.total = plan.total_bytes
        self.done = 0
        self.file = ""
        self._lock = threading.Lock()
        self._last_emit = 0.0
        self._window: list[tuple[float, int]] = []   # (time, done) over the last few seconds: the speed

    def event(self, status: str, message: str = "") -> Download:
        speed = None
        if len(self._window) >= 2 and self._window[-1][0] > self._window[0][0]:
            speed = (self._window[-1][1] - self._window[0][1]) / (self._window[-1][0] - self._window[0][0])
        eta = (self.total - self.done) / speed if speed else None
        return Download(status=status, repo_id=self.plan.repo_id, source=self.source.label, file=self.file,
                        bytes_done=self.done, bytes_total=self.total, speed_bps=speed, eta_s=eta, message=message)

    def send(self, status: str, message: str = "") -> None:
        if self.emit is not None:
            self.emit(self.event(status, message))

    def add(self, n: int, file: str) -> None:
        with self._lock:
            self.done = min(self.total, self.done + max(0, n))
            self.file = file
            now = time.monotonic()
            self._window.append((now, self.done))
            while len(self._window) > 2 and now - self._window[0][0] > 3.0:
                self._window.pop(0)
            if now - self._last_emit >= self.interval_s:
                self._last_emit = now
                self.send("downloading")


def _hasher(f: RemoteFile) -> Any:
    if f.sha256:
        return hashlib.sha256()
    h = hashlib.sha1()
    h.update(f"blob {f.size}\0".encode())   # the git blob id is sha1 over this header and the content
    return h


def _expected(f: RemoteFile) -> str:
    return f.sha256 or f.blob_id


def _hash_prefix(path: Path, h: Any) -> None:
    with path.open("rb") as handle:
        while chunk := handle.read(8 * CHUNK):
            h.update(chunk)


class Downloader:
    def __init__(self, plan: RepoPlan, source: Source, *, emit: Emit | None = None,
                 should_stop: Callable[[], bool] | None = None, cache_dir: Path | None = None,
                 free_space: Callable[[Path], int] = free_bytes, workers: int = 4, timeout_s: float = 30.0) -> None:
        self.plan, self.source = plan, source
        self.cache = cache_dir or cache.hub_cache_dir()
        self.folder = cache.repo_dir(plan.repo_id, self.cache)
        self.should_stop = should_stop or (lambda: False)
        self.free_space = free_space
        self.workers = workers
        self.timeout_s = timeout_s
        self.progress = Progress(plan, source, emit)
        self._cancel = threading.Event()

    # ---------------------------------------------------------------- state on disk
    def _blob(self, f: RemoteFile) -> Path:
        return self.folder / "blobs" / f.blob

    def _partial(self, f: RemoteFile) -> Path:
        return self.folder / "blobs" / (f.blob + cache.PARTIAL_SUFFIX)

    def bytes_present(self, f: RemoteFile) -> int:
        blob = self._blob(f)
        if blob.exists() and blob.stat().st_size == f.size:
            return f.size
        partial = self._partial(f)
        return min(partial.stat().st_size, f.size) if partial.exists() else 0

    def needed_bytes(self) -> int:
        return sum(f.size - self.bytes_present(f) for f in self.plan.files)

    def check_space(self) -> None:
        need = self.needed_bytes()
        free = self.free_space(self.cache)
        if need + MARGIN_BYTES > free:
            raise HubError(f"'{self.plan.repo_id}' needs {_gb(need)} more in {self.cache}, but only {_gb(free)} is free",
                           fix="free some space (`laptune models list` / `laptune models rm ID`), or set HF_HOME to a "
                               "folder on a bigger disk")

    # ---------------------------------------------------------------- the transfer of one file
    def _url(self, f: RemoteFile) -> str:
        from huggingface_hub import hf_hub_url

        return hf_hub_url(self.plan.repo_id, f.name, revision=self.plan.commit or self.plan.revision,
                          endpoint=self.source.endpoint)

    def _stopped(self) -> bool:
        if self._cancel.is_set():
            return True
        if self.should_stop():
            self._cancel.set()
            return True
        return False

    def _fetch(self, f: RemoteFile) -> None:
        try:
            self._fetch_one(f)
        except BaseException:
            self._cancel.set()   # the other workers stop at their next chunk
            raise

    def _fetch_one(self, f: RemoteFile) -> None:
        from filelock import FileLock

        if self._stopped():
            raise DownloadCancelled(f"download of '{self.plan.repo_id}' cancelled",
                                    fix=f"run `laptune models get {self.plan.repo_id}` again: it continues where it stopped")

        blob = self._blob(f)
        if blob.exists() and blob.stat().st_size == f.size:
            cache.link_into_snapshot(self.folder, self.plan.commit, f.name, f.blob)
            return
        lock = cache.lock_path(self.plan.repo_id, f.blob, self.cache)
        lock.parent.mkdir(parents=True, exist_ok=True)
        blob.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(lock)):
            if not (blob.exists() and blob.stat().st_size == f.size):   # another process may have finished it
                before = self.bytes_present(f)
                self._transfer(f)
                self.progress.add(f.size - before - self._counted.pop(f.name, 0), f.name)
        cache.link_into_snapshot(self.folder, self.plan.commit, f.name, f.blob)

    def _transfer(self, f: RemoteFile) -> None:
        from huggingface_hub import get_session
        from huggingface_hub.utils import build_hf_headers, hf_raise_for_status

        partial = self._partial(f)
        have = partial.stat().st_size if partial.exists() else 0
        if have > f.size:
            partial.unlink()
            have = 0
        h = _hasher(f)
        if have:
            _hash_prefix(partial, h)
        if have < f.size:
            headers = build_hf_headers(token=self.source.token or False, library_name="laptune")
            headers["Accept-Encoding"] = "identity"
            if have:
                headers["Range"] = f"bytes={have}-"
            # httpx drops the Authorization header when a redirect leaves the hub's host (the CDN never sees it).
            with get_session().stream("GET", self._url(f), headers=headers, follow_redirects=True,
                                      timeout=self.timeout_s) as response:
                if response.status_code == 416 and have:   # nothing left to send: the partial is whole
                    pass
                else:
                    hf_raise_for_status(response)
                    mode = "ab"
                    if have and response.status_code != 206:   # the server ignored Range: start this file over
                        h, have, mode = _hasher(f), 0, "wb"
                    self._counted[f.name] = 0
                    with partial.open(mode) as out:
                        for chunk in response.iter_bytes(CHUNK):
                            out.write(chunk)
                            h.update(chunk)
                            self._counted[f.name] += len(chunk)
                            self.progress.add(len(chunk), f.name)
                            if self._stopped():
                                raise DownloadCancelled(f"download of '{self.plan.repo_id}' cancelled",
                                                        fix=f"run `laptune models get {self.plan.repo_id}` again: it continues where it stopped")
                        out.flush()
                        os.fsync(out.fileno())
        size = partial.stat().st_size
        if size != f.size or h.hexdigest() != _expected(f):
            partial.unlink(missing_ok=True)   # never trusted, never kept: the next attempt starts this file over
            raise HubError(f"'{f.name}' of '{self.plan.repo_id}' arrived damaged ({size} of {f.size} bytes, checksum "
                           f"{'ok' if h.hexdigest() == _expected(f) else 'wrong'}); the damaged copy was deleted",
                           fix=f"run `laptune models get {self.plan.repo_id}` again")
        os.replace(partial, self._blob(f))

    # ---------------------------------------------------------------- the whole repo
    def run(self) -> Path:
        plan = self.plan
        self._counted: dict[str, int] = {}
        manifest = {"repo_id": plan.repo_id, "source": self.source.kind, "endpoint": self.source.endpoint,
                    "revision": plan.revision, "commit": plan.commit,
                    "files": [{"name": f.name, "size": f.size, "blob": f.blob} for f in plan.files], "complete": False}
        cache.write_manifest(self.folder, manifest)
        self.progress.done = sum(self.bytes_present(f) for f in plan.files)
        self.check_space()
        have = self.progress.done
        self.progress.send("planning", f"{_gb(self.progress.total - have)} to download from {self.source.label} "
                                       f"({len(plan.files)} files" + (f", {_gb(have)} already here" if have else "")
                                       + (f"; not needed for training: {len(plan.skipped)} files" if plan.skipped else "") + ")")
        # Big files first so the parallel workers finish together; each worker owns whole files.
        todo = sorted(plan.files, key=lambda f: -f.size)
        errors: list[BaseException] = []
        with ThreadPoolExecutor(max_workers=max(1, min(self.workers, len(todo)))) as pool:
            for future in [pool.submit(self._fetch, f) for f in todo]:
                try:
                    future.result()
                except BaseException as exc:  # noqa: BLE001 - collected; the first real error is reported below
                    errors.append(exc)
        real = [e for e in errors if not isinstance(e, DownloadCancelled)]
        if real:
            from core.hub.listing import translate_error

            err = translate_error(plan.repo_id, self.source, real[0])
            self.progress.send("failed", err.message)
            raise err from None
        if errors:
            self.progress.send("cancelled", "cancelled: what was downloaded is kept and continues next time")
            raise errors[0]
        cache.write_ref(self.folder, plan.revision, plan.commit)
        manifest["complete"] = True
        cache.write_manifest(self.folder, manifest)
        self.progress.done = self.progress.total
        self.progress.send("done", f"{plan.repo_id}: {_gb(self.progress.total)} in the cache")
        return self.folder / "snapshots" / plan.commit


def _gb(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.1f} MB"
