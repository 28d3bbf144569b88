"""`laptune models ...`: get a model with a progress bar (resumable, Ctrl-C cancels), list and clean the cache.

    laptune models get ID [--source hf|mirror|modelscope] [--endpoint URL] [--revision R]
    laptune models list [--json]
    laptune models rm ID
    laptune models source [hf|mirror|modelscope] [--endpoint URL]   show or remember where models come from
    laptune models login                                              store a hub token (owner-only file)
"""
from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from typing import Any, TextIO

from core.record.events import Download, fmt_eta

EXIT_OK, EXIT_BAD, EXIT_INTERRUPTED = 0, 1, 130


def _mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB" if n < 1e9 else f"{n / 1e9:,.2f} GB"


class DownloadBar:
    """Draws Download events: `[#####.....]  45%  123.4/270.0 MB  12.3 MB/s  ETA 00:12  file` (one line per
    10 % when the stream is not a terminal)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_decile = -1
        self._open = False

    def __call__(self, event: Any) -> None:
        if not isinstance(event, Download):
            return
        if event.status in ("downloading", "verifying"):
            self._draw(event)
        else:
            self._end()
            if event.status == "done":
                self._draw(event)
                self._end()
            if event.message:
                self.stream.write(f"{event.status}: {event.message}\n")
            self.stream.flush()

    def _draw(self, e: Download) -> None:
        frac = e.bytes_done / e.bytes_total if e.bytes_total else 1.0
        speed = f"{_mb(e.speed_bps)}/s" if e.speed_bps else "-- MB/s"
        line = (f"[{'#' * int(frac * 30):30s}] {frac * 100:5.1f}%  {_mb(e.bytes_done)}/{_mb(e.bytes_total)}  {speed}  "
                f"ETA {fmt_eta(e.eta_s)}  {e.file}")
        if self.tty:
            self.stream.write("\r" + line[:160].ljust(100))
            self._open = True
        else:
            decile = int(frac * 10)
            if decile == self._last_decile and e.status != "done":
                return
            self._last_decile = decile
            self.stream.write(line + "\n")
        self.stream.flush()

    def _end(self) -> None:
        if self._open:
            self.stream.write("\n")
            self._open = False


def _error(exc: Exception) -> int:
    print(f"error: {exc}", file=sys.stderr)
    return EXIT_BAD


def cmd_get(args: argparse.Namespace) -> int:
    from core.hub import DownloadCancelled, HubError, get_model, resolve_source

    stop = {"requested": False}

    def on_sigint(signum: int, frame: Any) -> None:
        if stop["requested"]:
            raise KeyboardInterrupt
        stop["requested"] = True
        print("\nCancelling (what is downloaded is kept; run the same command to continue)...", file=sys.stderr)

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        source = resolve_source(args.source, args.endpoint)
        print(f"Getting {args.id} from {source.label}", file=sys.stderr)
        started = time.monotonic()
        path = get_model(args.id, source=source, revision=args.revision, emit=DownloadBar(),
                         should_stop=lambda: stop["requested"])
    except DownloadCancelled as exc:
        print(f"cancelled: {exc}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except HubError as exc:
        return _error(exc)
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGINT, previous)
    print(f"ready in {time.monotonic() - started:.1f} s: {path}")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from core.hub.cache import hub_cache_dir
    from core.hub.catalog import list_cached

    models = list_cached()
    if args.json:
        print(json.dumps([m.to_dict() for m in models], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not models:
        print(f"no models in {hub_cache_dir()}")
        return EXIT_OK
    print(f"{'model':44s} {'source':10s} {'size':>10s}  {'state':8s}  presets")
    for m in models:
        print(f"{m.id:44s} {m.source:10s} {_mb(m.bytes):>10s}  {'complete' if m.complete else 'partial':8s}  "
              f"{', '.join(m.presets) or '-'}")
    print(f"\ncache: {hub_cache_dir()}  (remove one: laptune models rm ID)")
    return EXIT_OK


def cmd_rm(args: argparse.Namespace) -> int:
    from core.hub.catalog import remove

    freed, removed = remove(args.id)
    if not removed:
        print(f"error: '{args.id}' is not in the model cache (see `laptune models list`)", file=sys.stderr)
        return EXIT_BAD
    for folder in removed:
        print(f"removed {folder}")
    print(f"freed {_mb(freed)}")
    return EXIT_OK


def cmd_source(args: argparse.Namespace) -> int:
    from core.config.user_settings import load_user_settings, save_user_settings
    from core.hub import HubError, resolve_source

    settings = load_user_settings()
    if args.kind:
        settings.hub_source = args.kind
        if args.endpoint is not None:
            settings.hub_endpoint = args.endpoint
        path = save_user_settings(settings)
        print(f"saved in {path}")
    try:
        source = resolve_source()
    except HubError as exc:
        return _error(exc)
    print(f"models come from: {source.kind} ({source.label}); token: {'set' if source.token else 'none'}")
    return EXIT_OK


def cmd_login(args: argparse.Namespace) -> int:
    import getpass

    from core.config.user_settings import load_user_settings, save_user_settings

    token = getpass.getpass("Hub access token (input hidden; empty removes it): ").strip()
    settings = load_user_settings()
    settings.hub_token = token
    path = save_user_settings(settings)
    print(f"{'stored' if token else 'removed'} (owner-only file {path})")
    return EXIT_OK


def add_parsers(sub: Any) -> None:
    models = sub.add_parser("models", help="get models (progress, resume, mirrors), list and clean the model cache")
    msub = models.add_subparsers(dest="models_command", required=True)
    p = msub.add_parser("get", help="download a model (continues an interrupted download)")
    p.add_argument("id", help="hub id, e.g. bert-base-chinese or Qwen/Qwen1.5-7B-Chat")
    p.add_argument("--source", choices=["hf", "mirror", "modelscope"],
                   help="hf: huggingface.co (or HF_ENDPOINT); mirror: https://hf-mirror.com or --endpoint; modelscope")
    p.add_argument("--endpoint", help="a mirror's address speaking the hub's API")
    p.add_argument("--revision", help="branch, tag or commit (default main)")
    p.set_defaults(func=cmd_get)
    p = msub.add_parser("list", help="cached models, size on disk, complete or partial, presets using them")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    p = msub.add_parser("rm", help="delete a model from the cache")
    p.add_argument("id")
    p.set_defaults(func=cmd_rm)
    p = msub.add_parser("source", help="show or remember where models come from")
    p.add_argument("kind", nargs="?", choices=["hf", "mirror", "modelscope"])
    p.add_argument("--endpoint", help="the mirror's address (default https://hf-mirror.com)")
    p.set_defaults(func=cmd_source)
    p = msub.add_parser("login", help="store a hub token for gated models (asked, never on the command line)")
    p.set_defaults(func=cmd_login)
