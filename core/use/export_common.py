"""What every export format shares: the errors, progress and cancel, where the model comes from, and
writing under a temporary name that is renamed into place only when the output is whole.

A cancelled or failed export leaves nothing that looks complete: every output is first written to a
hidden `.NAME.partial-*` folder next to the destination and renamed to NAME as the very last step.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMATS = ("hf", "merged", "gguf", "ollama")
QUANTS = ("f16", "bf16", "q8_0")
TRAINING_STATE = {"optimizer.pt", "scheduler.pt", "rng_state.pth", "trainer_state.json", "training_args.bin",
                  "laptune_complete", "scaler.pt"}
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja",
                   "tokenizer.model", "vocab.txt", "vocab.json", "merges.txt", "added_tokens.json")

ProgressFn = Callable[[float, str], None]


class ExportError(ValueError):
    """A problem the user can fix; the message names the file or setting, `fix` says what to do."""

    def __init__(self, message: str, fix: str | None = None) -> None:
        self.message, self.fix = message, fix
        super().__init__(f"{message} Fix: {fix}" if fix else message)


class ExportCancelled(Exception):
    """The user cancelled; nothing was left at the destination."""


@dataclass
class Job:
    """Progress reporting and cancel checks for one export. `progress(fraction, message)` is called with
    fractions that only grow; `cancelled()` is polled between steps and inside long loops."""

    progress: ProgressFn | None = None
    cancelled: Callable[[], bool] | None = None
    messages: list[str] = field(default_factory=list)
    _done: float = 0.0

    def step(self, fraction: float, message: str) -> None:
        self.check()
        self._done = max(self._done, min(1.0, fraction))
        if message:
            self.messages.append(message)
        if self.progress is not None:
            self.progress(self._done, message)

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ExportCancelled("export cancelled")

    def within(self, start: float, end: float) -> ProgressFn:
        """A progress function for a sub-task that maps its 0..1 onto start..end of this job."""
        return lambda frac, msg: self.step(start + (end - start) * max(0.0, min(1.0, frac)), msg)


@dataclass
class ExportSource:
    """The checkpoint to export, resolved: its folder, and for a LoRA adapter the base model to merge into."""

    folder: Path                      # a checkpoint-N/ or final/ folder, or a plain model folder
    task: str                         # ner | classify | sft
    run_dir: Path | None = None
    run_yaml: dict[str, Any] = field(default_factory=dict)
    base_model: str | None = None     # the base model's folder or hub id (adapters only)
    resolved: Any = None              # core.use.load.Resolved, when it came from there

    @property
    def is_adapter(self) -> bool:
        return (self.folder / "adapter_config.json").exists()

    @property
    def name(self) -> str:
        """A short name for files: the run folder's name, else the model folder's."""
        return (self.run_dir or self.folder).name

    def tokenizer_folder(self) -> Path | str:
        """Where the tokenizer the run trained with lives: the checkpoint, the run's final/, else the base."""
        for cand in (self.folder, self.run_dir / "final" if self.run_dir else None):
            if cand is not None and any((cand / f).exists() for f in ("tokenizer.json", "tokenizer_config.json")):
                return cand
        return self.base_model or self.folder

    def model_config(self) -> dict[str, Any]:
        """config.json of the model being exported (the base model's for an adapter)."""
        folder = self.folder
        if self.is_adapter and self.base_model and Path(self.base_model).is_dir():
            folder = Path(self.base_model)
        file = folder / "config.json"
        if not file.exists():
            raise ExportError(f"no config.json in {folder}", fix="export a checkpoint or model folder saved by LapTune")
        return json.loads(file.read_text(encoding="utf-8"))


def adapter_base(folder: Path) -> str | None:
    file = folder / "adapter_config.json"
    if not file.exists():
        return None
    return json.loads(file.read_text(encoding="utf-8")).get("base_model_name_or_path")


# ----------------------------------------------------------------------------- writing in place at the end
@contextmanager
def staged_folder(dest: Path, overwrite: bool = False) -> Iterator[Path]:
    """Yields a hidden temporary folder beside `dest`; when the block ends without error it becomes `dest`
    (an existing `dest` is replaced only with overwrite). On error or cancel the temporary folder goes."""
    dest = Path(dest)
    occupied = dest.is_file() or (dest.is_dir() and any(dest.iterdir()))
    if occupied and not overwrite:
        raise ExportError(f"{dest} already exists and is not empty",
                          fix="choose another folder with --out, or delete it (or pass --overwrite)")
    if dest.is_dir() and not occupied:
        dest.rmdir()   # an empty folder: renaming over it fails on Windows
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.partial-", dir=dest.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
        os.replace(dest, old)
        os.replace(tmp, dest)
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)
    else:
        os.replace(tmp, dest)


def copy_model_files(src: Path, dest: Path, job: Job | None = None) -> list[str]:
    """Copies a saved model folder without the training state (optimizer, scheduler, RNG, trainer state)."""
    copied = []
    files = [f for f in sorted(src.iterdir()) if f.is_file() and f.name not in TRAINING_STATE]
    for f in files:
        if job is not None:
            job.check()
        shutil.copy2(f, dest / f.name)
        copied.append(f.name)
    return copied


def free_ram_bytes() -> int:
    import psutil

    return int(psutil.virtual_memory().available)
