"""A local model hub on 127.0.0.1 for tests and bench/download.py: the routes huggingface_hub calls.

    GET  /api/models/{id}[/revision/{rev}][?blobs=true]   model_info: sha, siblings with size, blobId, lfs
    GET  /api/models/{id}/tree/{rev}[/{path}]             list_repo_tree (snapshot_download)
    GET  /api/models?search=q&limit=n                     list_models (did-you-mean)
    HEAD/GET /{id}/resolve/{rev}/{file}                   X-Repo-Commit, ETag; LFS files: 302 to /cdn/<sha256>
                                                          with X-Linked-Etag and X-Linked-Size, as the hub does
    GET  /cdn/{sha256}                                    the content, with Range (206) support

Gated repos answer 401 + X-Error-Code: GatedRepo without `Authorization: Bearer <token>`; unknown ids 401 +
RepoNotFound (what the hub says to an anonymous caller). Every request is recorded (method, path, Range,
whether it carried a token, bytes of content sent); `throttle_bps` slows content to observe progress,
cancel and kills.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

LFS_MIN = 1024   # files at least this big are LFS files (the hub's threshold is 10 MB; small here to test both)


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class FakeRepo:
    repo_id: str
    files: dict[str, bytes]
    gated: bool = False
    commit: str = ""

    def __post_init__(self) -> None:
        if not self.commit:
            h = hashlib.sha1(self.repo_id.encode())
            for name in sorted(self.files):
                h.update(name.encode() + self.files[name])
            self.commit = h.hexdigest()

    def entry(self, name: str) -> dict[str, Any]:
        data = self.files[name]
        info: dict[str, Any] = {"size": len(data), "oid": git_blob_id(data)}
        if len(data) >= LFS_MIN:
            info["lfs"] = {"oid": hashlib.sha256(data).hexdigest(), "size": len(data), "pointerSize": 134}
        return info


@dataclass
class Request:
    method: str
    path: str
    range: str | None
    authorized: bool
    auth_header: str | None
    sent: int = 0


@dataclass
class HubState:
    repos: dict[str, FakeRepo] = field(default_factory=dict)
    token: str = "hf_testtokenABCDEFGH12345678"
    throttle_bps: float | None = None
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, repo: FakeRepo) -> FakeRepo:
        self.repos[repo.repo_id] = repo
        return repo

    def content_bytes(self, path_part: str = "") -> int:
        with self.lock:
            return sum(r.sent for r in self.requests if path_part in r.path)

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()

    def blob(self, sha: str) -> tuple[bytes, str] | None:
        for repo in self.repos.values():
            for data in repo.files.values():
                if hashlib.sha256(data).hexdigest() == sha:
                    return data, repo.commit
        return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: HubState

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    # ------------------------------------------------------------ helpers
    def _record(self) -> Request:
        auth = self.headers.get("Authorization")
        req = Request(self.command, self.path, self.headers.get("Range"), auth == f"Bearer {self.state.token}", auth)
        with self.state.lock:
            self.state.requests.append(req)
        return req

    def _json(self, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, code: str, message: str) -> None:
        self._json({"error": message}, status, {"X-Error-Code": code, "X-Error-Message": message})

    def _repo(self, repo_id: str, req: Request) -> FakeRepo | None:
        repo = self.state.repos.get(repo_id)
        if repo is None:
            self._error(401, "RepoNotFound", "Repository not found")
            return None
        if repo.gated and not req.authorized:
            self._error(401, "GatedRepo", f"Access to model {repo_id} is restricted. You must have access to it and be authenticated to access it. Please log in.")
            return None
        return repo

    def _send_content(self, data: bytes, req: Request, extra: dict[str, str]) -> None:
        start, end, status = 0, len(data) - 1, 200
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", req.range or "")
        if match:
            start = int(match.group(1))
            end = int(match.group(2)) if match.group(2) else len(data) - 1
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        self.send_response(status)
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        for k, v in extra.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command == "HEAD":
            return
        chunk = 64 * 1024
        pos = start
        began = time.monotonic()
        try:
            while pos <= end:
                piece = data[pos:min(end + 1, pos + chunk)]
                self.wfile.write(piece)
                pos += len(piece)
                with self.state.lock:
                    req.sent += len(piece)
                if self.state.throttle_bps:
                    ahead = (pos - start) / self.state.throttle_bps - (time.monotonic() - began)
                    if ahead > 0:
                        time.sleep(ahead)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # ------------------------------------------------------------ routes
    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        req = self._record()
        url = urlsplit(self.path)
        path, query = unquote(url.path), parse_qs(url.query)
        if path.startswith("/api/v1/models/"):
            return self._modelscope(path, query, req)
        if path == "/api/models":
            q = (query.get("search") or [""])[0].lower()
            hits = [{"id": r, "modelId": r} for r in self.state.repos if q and q in r.lower()]
            return self._json(hits[: int((query.get("limit") or ["10"])[0])])
        if path.startswith("/cdn/"):
            found = self.state.blob(path[5:])
            if found is None:
                return self._error(404, "EntryNotFound", "no such blob")
            # huggingface_hub follows a same-host redirect on HEAD and wants the commit there too.
            return self._send_content(found[0], req, {"ETag": f'"{path[5:]}"', "X-Repo-Commit": found[1]})
        m = re.fullmatch(r"/api/models/(.+?)(?:/revision/([^/]+))?", path)
        if m and "/tree/" not in path:
            repo = self._repo(m.group(1), req)
            if repo is None:
                return
            if m.group(2) not in (None, "main", repo.commit):
                return self._error(404, "RevisionNotFound", "Invalid rev id")
            siblings = []
            for name in sorted(repo.files):
                e = repo.entry(name)
                s: dict[str, Any] = {"rfilename": name}
                if query.get("blobs"):
                    s.update({"size": e["size"], "blobId": e["oid"]})
                    if "lfs" in e:
                        s["lfs"] = {"sha256": e["lfs"]["oid"], "size": e["size"], "pointerSize": 134}
                siblings.append(s)
            return self._json({"id": repo.repo_id, "modelId": repo.repo_id, "sha": repo.commit, "private": False,
                               "gated": "manual" if repo.gated else False, "disabled": False, "siblings": siblings,
                               "tags": [], "downloads": 0, "likes": 0})
        m = re.fullmatch(r"/api/models/(.+?)/tree/([^/]+)(?:/(.*))?", path)
        if m:
            repo = self._repo(m.group(1), req)
            if repo is None:
                return
            prefix = m.group(3) or ""
            entries = [{"type": "file", "path": n, **repo.entry(n)} for n in sorted(repo.files) if n.startswith(prefix)]
            return self._json(entries)
        m = re.fullmatch(r"/(.+?)/resolve/([^/]+)/(.+)", path)
        if m:
            repo = self._repo(m.group(1), req)
            if repo is None:
                return
            if m.group(2) not in ("main", repo.commit):
                return self._error(404, "RevisionNotFound", "Invalid rev id")
            name = m.group(3)
            if name not in repo.files:
                return self._error(404, "EntryNotFound", "Entry not found")
            e = repo.entry(name)
            headers = {"X-Repo-Commit": repo.commit}
            if "lfs" in e:
                sha = e["lfs"]["oid"]
                host = self.headers.get("Host")
                self.send_response(302)
                self.send_header("Location", f"http://{host}/cdn/{sha}")
                self.send_header("X-Repo-Commit", repo.commit)
                self.send_header("X-Linked-Etag", f'"{sha}"')
                self.send_header("X-Linked-Size", str(e["size"]))
                self.send_header("ETag", f'"{e["oid"]}"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            headers["ETag"] = f'"{e["oid"]}"'
            return self._send_content(repo.files[name], req, headers)
        self._error(404, "NotFound", f"no route {path}")


    # ------------------------------------------------------------ ModelScope's routes (the modelscope package)
    def _modelscope(self, path: str, query: dict[str, list[str]], req: Request) -> None:
        """GET /api/v1/models/{id}/repo/files?Revision=&Recursive=  -> {"Code": 200, "Data": {"Files": [...]}}
        GET /api/v1/models/{id}/repo?Revision=&FilePath=          -> the content (Range supported)
        GET /api/v1/models/{id}/revisions                         -> branches and tags"""
        m = re.fullmatch(r"/api/v1/models/(.+?)/(repo/files|repo|revisions)", path)
        repo = self.state.repos.get(m.group(1)) if m else None
        if repo is None:
            return self._json({"Code": 10010205001, "Message": "model not found", "Success": False}, 404)
        if m.group(2) == "repo/files":
            files = [{"Name": n.rsplit("/", 1)[-1], "Path": n, "Type": "blob", "Size": len(d), "Revision": repo.commit,
                      "Sha256": hashlib.sha256(d).hexdigest(), "IsLFS": len(d) >= LFS_MIN} for n, d in sorted(repo.files.items())]
            return self._json({"Code": 200, "Data": {"Files": files}, "Success": True, "RequestId": "test"})
        if m.group(2) == "revisions":
            return self._json({"Code": 200, "Data": {"RevisionMap": {"Branches": [{"Revision": "master"}], "Tags": []}},
                               "Success": True})
        name = (query.get("FilePath") or [""])[0]
        if name not in repo.files:
            return self._json({"Code": 404, "Message": "file not found", "Success": False}, 404)
        return self._send_content(repo.files[name], req, {})


class HubServer:
    def __init__(self, state: HubState | None = None) -> None:
        self.state = state or HubState()
        handler = type("BoundHandler", (Handler,), {"state": self.state})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "HubServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def tiny_bert_repo(folder: Any, repo_id: str, extra: dict[str, bytes] | None = None, **kw: Any) -> FakeRepo:
    """A repo with the files of a saved model folder (config, tokenizer, safetensors) and extras."""
    from pathlib import Path

    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in Path(folder).rglob("*") if p.is_file()}
    files.update(extra or {})
    return FakeRepo(repo_id, files, **kw)


# ---------------------------------------------------------------- pytest fixtures (imported by the hub tests)
import os  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """A running fake hub, with HF_HOME, LAPTUNE_HOME and the working folder in tmp_path and huggingface_hub
    allowed online (the suite sets HF_HUB_OFFLINE=1 for everything else)."""
    from huggingface_hub import constants

    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_CACHE", "LAPTUNE_HUB_SOURCE", "MODELSCOPE_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("LAPTUNE_HOME", str(tmp_path / "laptune"))
    monkeypatch.setenv("MODELSCOPE_CACHE", str(tmp_path / "ms"))
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(tmp_path / "hf" / "token"))
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))   # read once at import otherwise
    monkeypatch.chdir(tmp_path)
    with HubServer() as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        yield server


def random_bytes(n: int, seed: int = 0) -> bytes:
    import random

    return random.Random(seed).randbytes(n)
