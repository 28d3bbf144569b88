"""The CLI's progress display: an `emit` callback that draws step, loss, it/s and ETA."""
from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from core.record.events import Backoff, Checkpoint, Eval, Event, GuardAction, Log, Status


def _fmt_seconds(seconds: float) -> str:
    seconds = int(max(0, seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class TerminalProgress:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.total: int | None = None
        self.start_step = 0
        self.start_time = time.monotonic()
        self.loss: float | None = None
        self._line_open = False

    def _print(self, text: str) -> None:
        if self._line_open:
            self.stream.write("\n")
            self._line_open = False
        self.stream.write(text + "\n")
        self.stream.flush()

    def _bar(self, step: int) -> None:
        done = step - self.start_step
        elapsed = time.monotonic() - self.start_time
        rate = done / elapsed if elapsed > 0 and done > 0 else 0.0
        total = self.total or 0
        eta = (total - step) / rate if rate and total else 0
        frac = step / total if total else 0
        bar = "#" * int(frac * 24)
        loss = f"{self.loss:.4f}" if self.loss is not None else "-"
        text = f"[{bar:24s}] step {step}/{total or '?'}  loss {loss}  {rate:.2f} it/s  ETA {_fmt_seconds(eta)}"
        if self.tty:
            self.stream.write("\r" + text)
            self._line_open = True
            self.stream.flush()
        else:
            self._print(text)

    def __call__(self, event: Event) -> None:
        if isinstance(event, Status):
            if event.status == "started":
                self.total = event.total_steps
                self.start_step = event.step
                self.start_time = time.monotonic()
                self._print(f"Started: {event.message}")
                if event.run_dir:
                    self._print(f"Run folder: {event.run_dir}")
            elif event.status in ("note", "paused", "resumed", "warning", "probing"):
                self._print(f"{event.status.capitalize()}: {event.message}")
        elif isinstance(event, Log):
            self.loss = event.loss
            self._bar(event.step)
        elif isinstance(event, Eval):
            shown = {k[5:]: v for k, v in event.metrics.items()
                     if k in ("eval_loss", "eval_accuracy", "eval_macro_f1", "eval_f1", "eval_precision", "eval_recall", "eval_perplexity")}
            text = ", ".join(f"{k} {v:.4g}" for k, v in shown.items())
            self._print(f"Eval at step {event.step}: {text}" + (f"\n  sample: {event.generation}" if event.generation else ""))
        elif isinstance(event, Checkpoint):
            self._print(f"Checkpoint saved: {event.path}")
        elif event.type == "download":   # training's download phase: the same bar as `laptune models get`
            from core.cli.models import DownloadBar

            self._download_bar = getattr(self, "_download_bar", None) or DownloadBar(self.stream)
            self._download_bar(event)
        elif isinstance(event, (GuardAction, Backoff)):
            self._print(f"Guard: {event.message}" if isinstance(event, GuardAction) else f"Recovered: {event.message}")

    def close(self) -> None:
        if self._line_open:
            self.stream.write("\n")
            self._line_open = False
        self.stream.flush()

    def print_summary(self, summary: dict[str, Any]) -> None:
        status = summary["status"]
        lines = [f"Run {status} at step {summary['global_step']} in {_fmt_seconds(summary['wall_seconds'])}: {summary.get('message', '')}"]
        if summary.get("last_train_loss") is not None:
            lines.append(f"  last train loss {summary['last_train_loss']:.4f}")
        best = summary.get("best_eval") or {}
        if best:
            shown = ", ".join(f"{k[5:]} {v:.4g}" for k, v in best.items()
                              if k in ("eval_loss", "eval_accuracy", "eval_f1", "eval_macro_f1", "eval_perplexity"))
            where = f" ({summary['best_checkpoint']})" if summary.get("best_checkpoint") else " (no checkpoint holds it)"
            lines.append(f"  best eval{where}: {shown}")
        if status == "stopped":
            lines.append("  Resumable: laptune resume " + str(summary.get("run_dir", "RUN_DIR")))
        for line in lines:
            self._print(line)
