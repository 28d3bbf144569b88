"""Python's cyclic garbage collector during a run, in `laptune train` and in the app alike.

A run's start-up (importing torch and transformers, reading the data, building the model) creates some
400 000 Python objects that live as long as the run, most of them by the imports. Every full pass of the
collector walks all of them: on a laptop CPU a NER run spent ~1.1 s in collections before its first
step, and accelerate's `free_memory()` at the start of `Trainer.train` runs one more full pass (0.3-0.5 s;
in the app it holds the GIL, so the window cannot repaint meanwhile). These passes find next to nothing:
what start-up makes is still in use. Python offers the tools (`gc.disable`, `gc.freeze`, the pattern its
documentation gives for long-lived objects); this module applies them around a run:

- `start_up_paused()`: one collection as a run starts (what earlier work left in cycles, in the app a
  previous run's or a closed chat's model, is freed, not frozen below; in `laptune train` little exists
  yet), then no automatic collections to the first training step. Memory is still freed by reference
  counting meanwhile; only objects in reference cycles wait.
- `imports_done()`: what the imports made lives as long as the process: moved to the permanent
  generation (`gc.freeze()`), so the collections that follow look only at the run's own objects.
- `frozen_for_training()`: around `trainer.train()`, one collection of what start-up left in cycles (a
  probe's Trainers, temporaries of model loading: on a GPU they may hold its memory), cheap once the
  imports are frozen; then what exists is frozen too, so the collections during training (automatic ones,
  accelerate's, a pause's) look only at what training itself creates. Afterwards everything is handed
  back (`gc.unfreeze()`): whatever the run or a failed attempt left in cycles is freed by the next
  collection, as the OOM back-off relies on (it calls `gc.collect()` before it retries).

The host's own settings are kept: if it had turned automatic collection off, it stays off; if it had
frozen objects itself (the app freezes what its background preload of torch & co. imported, see
gui/qt_preload.py), the run neither freezes nor unfreezes anything (Python cannot unfreeze selectively,
so handing back our objects would hand back the host's too): the imports are frozen already, and the
collections look at the run's own objects only.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_depth = 0               # start_up_paused() may nest (a probe inside a run)
_host_enabled = True     # the host's setting when the outermost pause began
_imports_frozen = False  # imports_done() freezes once a run: a second call would freeze a probe's leftovers
_host_froze = False      # the host had objects in the permanent generation when the outermost pause began


@contextmanager
def start_up_paused() -> Iterator[None]:
    """No automatic collections inside (explicit `gc.collect()` calls still run); the host's setting after."""
    global _depth, _host_enabled, _imports_frozen, _host_froze
    if _depth == 0:
        _imports_frozen = False
        _host_enabled = gc.isenabled()
        _host_froze = gc.get_freeze_count() > 0
        gc.collect()
    _depth += 1
    gc.disable()
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0 and _host_enabled:
            gc.enable()


def imports_done() -> None:
    """Inside a run's start-up: what has been imported stays out of the collections that follow (once a
    run: what is made after the first call, a probe's Trainers say, is collected before training)."""
    global _imports_frozen
    if _depth and not _imports_frozen and not _host_froze:
        gc.freeze()
        _imports_frozen = True


@contextmanager
def frozen_for_training() -> Iterator[None]:
    """What exists now stays out of the collections made inside; automatic collection as the host had it.
    A host that froze objects itself keeps its permanent generation as it is (nothing frozen, nothing
    handed back)."""
    enabled = gc.isenabled()
    freeze = not (_host_froze if _depth else gc.get_freeze_count() > 0)
    gc.collect()
    if freeze:
        gc.freeze()
    if _host_enabled if _depth else enabled:
        gc.enable()
    try:
        yield
    finally:
        if freeze:
            gc.unfreeze()
        if not enabled:
            gc.disable()
