"""pytest-qt setup for the app's tests: offscreen Qt, a private data folder, dialogs that never block,
and a check that no top-level widget outlives its test."""
from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
import shiboken6  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

DEMO_OVERRIDES = {"training.max_steps": 12, "training.save_steps": 3, "training.eval_steps": 6,
                  "training.logging_steps": 1}


class FakeDialogs:
    """Stands in for gui.qt_dialogs.Dialogs: records, answers, never blocks."""

    def __init__(self, close_answer: str = "stop") -> None:
        self.failures: list = []
        self.infos: list = []
        self.close_answer = close_answer
        self.close_asked = 0

    def failure(self, failure) -> None:
        self.failures.append(failure)

    def close_during_run(self) -> str:
        self.close_asked += 1
        return self.close_answer

    def info(self, title: str, text: str) -> None:
        self.infos.append((title, text))


def _ptr(widget) -> int:
    return shiboken6.getCppPointer(widget)[0]


@pytest.fixture(autouse=True)
def laptune_home(tmp_path, monkeypatch):
    monkeypatch.setenv("LAPTUNE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture(autouse=True)
def no_blocking_message_boxes(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a modal QMessageBox would block the test")

    for name in ("exec", "information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, refuse)


@pytest.fixture(autouse=True)
def no_leaked_widgets(qapp):
    """Fails the test when a top-level widget it created is still alive afterwards."""
    before = {_ptr(w) for w in qapp.topLevelWidgets()}
    yield
    for _ in range(3):
        QApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
    leaked = [w for w in qapp.topLevelWidgets() if _ptr(w) not in before and shiboken6.isValid(w)]
    # pyqtgraph keeps a parentless context menu per plot only as long as its plot lives.
    leaked = [w for w in leaked if w.isVisible() or w.objectName() in (
        "mainWindow", "presetWizard", "resumeDialog", "failureDialog", "closeDialog")]
    assert not leaked, f"leaked top-level widgets: {[type(w).__name__ + ':' + w.objectName() for w in leaked]}"


@pytest.fixture
def make_window(qtbot):
    """Build main windows with fake hardware; each is closed, its threads ended and deleted afterwards."""
    from core.machine.fakes import fake_probe
    from gui.app import build_main_window

    windows = []

    def make(profile: str = "cpu-only", language: str = "en", **defaults):
        window = build_main_window(fake_probe(profile), language=language)
        window.dialogs = FakeDialogs()
        window.wizard_defaults = defaults
        windows.append(window)
        return window

    yield make
    for window in windows:
        if window.controller.active:
            window.controller.stop("test teardown")
            qtbot.waitUntil(lambda: not window.controller.active, timeout=60_000)
        window.close()
        window.shutdown()
        window.deleteLater()
    windows.clear()
    gc.collect()
