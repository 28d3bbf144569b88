"""Disk space around a run: recognising a full disk in a failed save, sizes, and the message a person acts on.

A full disk shows up in many forms: OSError ENOSPC/EDQUOT from Python's own writes, and RuntimeErrors from
torch's zip writer ("[enforce fail at inline_container.cc:672] . unexpected pos 112576 vs 112464",
"PytorchStreamWriter failed writing file") or safetensors ("No space left on device"). All of them mean the
same to the user: the checkpoints already written are intact (a checkpoint appears whole or not at all), and
the run can go on once space is freed.
"""
from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_FULL_TEXTS = ("no space left on device", "disk quota exceeded", "unexpected pos", "pytorchstreamwriter failed writing",
               "file write failed", "there is not enough space on the disk")


def is_disk_full(exc: BaseException | None) -> bool:
    """True when `exc` (or an exception it was raised from) says the disk or the quota is full."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
            return True
        text = str(exc).lower()
        if any(t in text for t in _FULL_TEXTS):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def free_bytes(path: Path) -> int | None:
    """Free space for this user on the disk that holds `path` (its nearest existing parent)."""
    path = Path(path)
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None


def folder_bytes(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


def human(n: float | None) -> str:
    if n is None:
        return "an unknown amount"
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} bytes"


def disk_full_message(folder: Path, free: int | None, needed: int | None, run_dir: Path) -> str:
    need = f"; a checkpoint needs about {human(needed)}" if needed else ""
    return (f"the disk is full: saving a checkpoint into {folder} failed with {human(free)} free{need}. The checkpoints "
            f"already written are intact and the run can continue where it stopped. Fix: free space on that disk, or keep "
            f"fewer checkpoints (`laptune resume {run_dir} --set save_total_limit=1`, or a larger save_steps), then "
            f"`laptune resume {run_dir}`")
