"""Import the training stack (torch, transformers, scipy, core.train.session...) before a run needs it, off the GUI thread.

Why: importing torch and transformers takes seconds, and a Python thread that imports holds the GIL in
long C calls (loading and initialising extension modules, unmarshalling code), so the GUI thread cannot
run for up to ~0.6 s at a time. Measured with bench/gui_latency.py --real: every event-loop stall over
50 ms during a run came from the worker thread's imports at its start, plus one from the full garbage
collection that accelerate runs when the Trainer starts (gc.collect over every object those imports made).

So the app imports the stack in a background thread a few seconds after the window is shown (while the
user is still in the wizard), then moves every object alive at that point into the garbage collector's
permanent generation (gc.freeze, after each module): later full collections skip them, and accelerate's gc.collect() at the
start of training takes milliseconds instead of half a second. The worker calls `preload()` too before it
starts a run, so a run started before the preload finished waits for it instead of importing twice.
"""
from __future__ import annotations

import gc
import importlib
import threading
import time

MODULES = (
    "torch", "transformers", "transformers.trainer", "transformers.training_args", "accelerate",
    "core.train.session", "core.train.trainer", "core.train.callbacks", "core.machine.guard", "core.machine.sensors", "core.train.modeling", "core.train.probe",
    "core.train.tasks.classify", "core.train.tasks.ner_crf", "core.train.tasks.causal_sft",
)
# Imported lazily by the libraries above at the first model build or step; costly (scipy.stats, sympy).
# (Metrics are computed by core/train/tasks/metrics.py: seqeval and scikit-learn are not loaded by a run.)
OPTIONAL = ("peft", "torch.fx", "sympy", "scipy.stats")

_lock = threading.Lock()
_done = threading.Event()
_thread: threading.Thread | None = None
timings: dict[str, float] = {}


def preload() -> None:
    """Import the training stack once (blocking), then freeze the objects it made out of the GC's way."""
    with _lock:
        if _done.is_set():
            return
        start = time.perf_counter()
        for name in MODULES + OPTIONAL:
            try:
                importlib.import_module(name)
            except ImportError:
                if name in MODULES:
                    raise
            # After each module: what it made goes to the permanent generation, so the automatic full
            # collections during the next imports (each one holding the GIL) stay short. No gc.collect()
            # here: it would itself hold the GIL for the ~0.5 s we are avoiding.
            gc.freeze()
        timings["import_s"] = time.perf_counter() - start
        _done.set()


def start_background() -> threading.Thread | None:
    """Start `preload` on a daemon thread (once); returns it, or None when already done or running."""
    global _thread
    if _done.is_set() or _thread is not None:
        return None
    _thread = threading.Thread(target=preload, name="laptune-preload", daemon=True)
    _thread.start()
    return _thread


def is_done() -> bool:
    return _done.is_set()
