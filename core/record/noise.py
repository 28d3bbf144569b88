"""Library noise: warnings and log records of the libraries we use go to the run's library.log, not the terminal.

What transformers, peft, accelerate, bitsandbytes and torch print ("Failed to load CPU gemm_4bit_forward from
kernels-community", FutureWarnings about renamed arguments, load reports) is not something a user can act on.
``quiet_libraries()`` sends Python warnings raised outside LapTune's own code and the records of the libraries'
loggers into a buffer; ``attach(path)`` writes the buffer and everything after it to that file (a run calls it
with RUN_DIR/library.log). ``--verbose`` skips all of this, so the libraries print as they normally do.
"""
from __future__ import annotations

import logging
import sys
import threading
import warnings
from pathlib import Path
from typing import Any, TextIO

LIBRARY_LOGGERS = ("transformers", "peft", "accelerate", "bitsandbytes", "torch", "huggingface_hub", "datasets",
                   "safetensors", "tokenizers", "urllib3", "filelock", "fsspec", "torchao", "kernels")
_ROOT = Path(__file__).resolve().parents[2]
_OURS = tuple(str(_ROOT / name) for name in ("core", "gui"))
LOG_NAME = "library.log"


class _Sink(logging.Handler):
    """Keeps lines in memory until a file is attached, then appends them there."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self.buffer: list[str] = []
        self.file: TextIO | None = None
        self.path: Path | None = None
        self._write_lock = threading.Lock()

    def write(self, line: str) -> None:
        with self._write_lock:
            if self.file is not None:
                self.file.write(line.rstrip("\n") + "\n")
                self.file.flush()
            else:
                self.buffer.append(line.rstrip("\n"))
                del self.buffer[:-2000]   # a long session without a run keeps only the recent lines

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.write(self.format(record))
        except Exception:  # noqa: BLE001 - logging must never break training
            self.handleError(record)


_sink: _Sink | None = None
_saved_showwarning: Any = None


def _is_ours(filename: str) -> bool:
    return str(filename).startswith(_OURS)


def _showwarning(message: Any, category: type[Warning], filename: str, lineno: int, file: Any = None,
                 line: str | None = None) -> None:
    if _is_ours(filename) or _sink is None:
        _saved_showwarning(message, category, filename, lineno, file, line)
        return
    _sink.write(f"{category.__name__} at {filename}:{lineno}: {message}")


def quiet_libraries() -> None:
    """Route library warnings and log records to the sink (idempotent)."""
    global _sink, _saved_showwarning
    if _sink is None:
        _sink = _Sink()
        _saved_showwarning = warnings.showwarning
        warnings.showwarning = _showwarning
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if _sink not in logger.handlers:
            logger.addHandler(_sink)
        logger.propagate = False
    _quiet_transformers()


def _quiet_transformers() -> None:
    """transformers keeps its own stderr handler; it is swapped out once transformers is imported."""
    module = sys.modules.get("transformers.utils.logging")
    if module is not None and _sink is not None:
        try:
            module.disable_default_handler()
            module.disable_progress_bar()
        except Exception:  # noqa: BLE001 - a different transformers: leave it as it is
            pass


def after_import() -> None:
    """Call once transformers is imported (its stderr handler appears with it) and before it loads a model."""
    if _sink is not None:
        _quiet_transformers()


def note(text: str) -> None:
    """A line of LapTune's own about the libraries (what it left out, and why) into the same file."""
    if _sink is not None:
        import time

        _sink.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} INFO laptune: {text}")


def active() -> bool:
    return _sink is not None


def attach(path: Path) -> None:
    """Write the noise (so far and from now on) to `path`; again with another path moves it there."""
    if _sink is None:
        return
    _quiet_transformers()
    path = Path(path)
    with _sink._write_lock:
        if _sink.file is not None and _sink.path == path:
            return
        if _sink.file is not None:
            _sink.file.close()
        path.parent.mkdir(parents=True, exist_ok=True)
        _sink.file = open(path, "a", encoding="utf-8")
        _sink.path = path
        for line in _sink.buffer:
            _sink.file.write(line + "\n")
        _sink.buffer.clear()
        _sink.file.flush()


def detach() -> None:
    if _sink is None:
        return
    with _sink._write_lock:
        if _sink.file is not None:
            _sink.file.close()
        _sink.file = None
        _sink.path = None


def restore() -> None:
    """Undo quiet_libraries (tests)."""
    global _sink
    if _sink is None:
        return
    detach()
    warnings.showwarning = _saved_showwarning
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if _sink in logger.handlers:
            logger.removeHandler(_sink)
        logger.propagate = True
    _sink = None
