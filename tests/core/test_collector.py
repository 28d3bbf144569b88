"""Python's garbage collector around a run (core/train/collector.py): paused during start-up, frozen during
training, handed back afterwards, so what a failed attempt leaves behind is still freed."""
from __future__ import annotations

import gc
import weakref

import pytest

from core.train import collector
from core.train.session import Faults
from tests.conftest import train_preset


class Node:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def cycle() -> weakref.ref:
    return weakref.ref(Node())


@pytest.fixture(autouse=True)
def collector_as_found():
    enabled = gc.isenabled()
    gc.unfreeze()   # start with nothing frozen (an app test's preload may have frozen this process's objects)
    yield
    gc.unfreeze()
    gc.enable() if enabled else gc.disable()


def test_start_up_pause_stops_automatic_collection_and_restores_it():
    assert gc.isenabled()
    earlier = cycle()   # left by earlier work in the same process (the app: a previous run's model)
    with collector.start_up_paused():
        assert earlier() is None   # freed as the run starts, so nothing below freezes it
        assert not gc.isenabled()
        with collector.start_up_paused():   # a probe inside a run
            assert not gc.isenabled()
        assert not gc.isenabled()
        ref = cycle()
        gc.collect()   # an explicit collection still runs (the OOM back-off relies on it)
        assert ref() is None
    assert gc.isenabled()


def test_start_up_pause_restores_after_an_error_and_keeps_a_host_that_turned_collection_off():
    with pytest.raises(RuntimeError), collector.start_up_paused():
        raise RuntimeError("the run failed")
    assert gc.isenabled()
    gc.disable()
    with collector.start_up_paused():
        with collector.frozen_for_training():
            assert not gc.isenabled()   # the host's setting: off
    assert not gc.isenabled()


def test_training_sees_only_what_it_makes_and_everything_is_handed_back_after():
    with collector.start_up_paused():
        collector.imports_done()
        assert gc.get_freeze_count() > 0
        garbage = cycle()   # start-up garbage in a cycle (a probe's Trainer): freed as training starts, not frozen
        kept = Node()       # the run's model, say: alive when training starts
        kept_ref = weakref.ref(kept)
        with collector.frozen_for_training():
            assert garbage() is None
            assert gc.isenabled()   # training collects as usual
            assert gc.get_freeze_count() > 0
            del kept   # garbage now, but frozen: not looked at while training
            gc.collect()
            assert kept_ref() is not None
            during = cycle()
            gc.collect()
            assert during() is None   # what training makes is collected as usual
        assert gc.get_freeze_count() == 0
        assert not gc.isenabled()   # back to the start-up pause until the run returns
        gc.collect()
        assert kept_ref() is None   # handed back: freed by the next collection
    assert gc.isenabled()


def test_a_host_that_froze_objects_keeps_them_frozen_and_the_run_still_frees_its_own():
    host = Node()   # the app's preload: imported modules it froze
    host_ref = weakref.ref(host)
    gc.freeze()
    frozen = gc.get_freeze_count()
    del host
    with collector.start_up_paused():
        collector.imports_done()
        assert gc.get_freeze_count() == frozen   # nothing of the run's joins the host's permanent generation
        model = Node()
        model_ref = weakref.ref(model)
        with collector.frozen_for_training():
            assert gc.isenabled() and gc.get_freeze_count() == frozen
            del model
            gc.collect()
            assert model_ref() is None   # not frozen: collected as usual
        assert gc.get_freeze_count() == frozen   # the host's frozen objects stay frozen after the run
    gc.collect()
    assert host_ref() is not None and gc.get_freeze_count() == frozen


def test_imports_done_freezes_only_inside_a_run_and_once():
    collector.imports_done()
    assert gc.get_freeze_count() == 0
    with collector.start_up_paused():
        collector.imports_done()
        first = gc.get_freeze_count()
        after_probe = cycle()   # made after the imports were frozen
        collector.imports_done()   # the session's own call, after a probe
        assert gc.get_freeze_count() == first
        with collector.frozen_for_training():
            assert after_probe() is None


def test_a_run_pauses_then_freezes_then_hands_everything_back(tmp_path):
    seen: list[tuple[str, bool, int]] = []

    def on_event(event) -> None:
        if event.type == "log" or (event.type == "status" and event.status == "note"):
            seen.append((event.type, gc.isenabled(), gc.get_freeze_count()))

    summary, rec = train_preset("demo", tmp_path / "run", sets=["max_steps=4", "logging_steps=1"], on_event=on_event)
    assert summary["status"] == "completed"
    notes = [s for s in seen if s[0] == "status"]
    logs = [s for s in seen if s[0] == "log"]
    assert notes and all(not enabled for _, enabled, _ in notes[:1])   # start-up: paused
    assert len(logs) == 4 and all(enabled and frozen > 0 for _, enabled, frozen in logs)   # training: frozen
    assert gc.isenabled() and gc.get_freeze_count() == 0   # afterwards: as before the run


@pytest.fixture
def built_models(monkeypatch) -> list[weakref.ref]:
    """Weak references to every model a run (or its probe) builds, in order."""
    import core.train.session as session
    import core.train.setup as setup

    models: list[weakref.ref] = []
    real_build = setup.build_task

    def build_task(*args, **kwargs):
        bundle = real_build(*args, **kwargs)
        models.append(weakref.ref(bundle.model))
        return bundle

    monkeypatch.setattr(setup, "build_task", build_task)     # the probe imports it from here
    monkeypatch.setattr(session, "build_task", build_task)   # the session's own reference
    return models


def test_after_an_oom_the_failed_attempts_model_is_freed_before_the_retry(tmp_path, built_models):
    models = built_models
    alive_at_retry: list[bool] = []

    def on_event(event) -> None:
        if event.type == "log" and len(models) == 2 and not alive_at_retry:
            alive_at_retry.append(models[0]() is not None)

    summary, rec = train_preset("demo", tmp_path / "run", sets=["max_steps=8", "logging_steps=1", "save_steps=4"],
                                faults=Faults(oom_at_step=3), on_event=on_event)
    assert summary["status"] == "completed" and [b.reason for b in rec.of("backoff")] == ["oom"]
    assert alive_at_retry == [False]   # the first attempt's weights and optimizer did not stay beside the second's


def test_a_probes_leftovers_are_freed_before_training_starts(tmp_path, monkeypatch, built_models):
    import core.train.probe as probe
    from core.config.presets import resolve
    from core.machine.fakes import fake_probe
    from core.train import session

    models = built_models
    leftovers: list[weakref.ref] = []
    frozen_at_probe: list[int] = []
    real_probe = probe.run_probe

    def run_probe(*args, **kwargs):
        frozen_at_probe.append(gc.get_freeze_count())   # the imports are frozen before the probe runs
        result = real_probe(*args, **kwargs)
        leftovers.append(cycle())   # what a probe may leave in cycles: it must not be frozen with the imports
        return result

    monkeypatch.setattr(probe, "run_probe", run_probe)
    alive: list[tuple[bool, bool]] = []

    def emit(event) -> None:
        if event.type == "log" and not alive:
            alive.append((models[0]() is not None, leftovers[0]() is not None))

    resolved = resolve("demo", sets=["max_steps=3", "logging_steps=1"], env={}, dotenv=None)
    summary = session.run(resolved.config, emit, run_dir=tmp_path / "run", preset_path=resolved.preset_path,
                          hardware=fake_probe("cpu-only"), probe=True)
    assert summary["status"] == "completed" and len(models) == 2   # the probe's model, then the run's
    assert frozen_at_probe and frozen_at_probe[0] > 0
    assert alive == [(False, False)]   # neither the probe's model nor its leftovers were kept for the run
