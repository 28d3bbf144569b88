"""The one bridge between the core and Qt: a worker QObject on a QThread runs `core.train.session`.

The core reports through a plain `emit(event)` callback, called from the training thread and from the
sensor thread; here each call becomes one emission of `RunWorker.event`, which Qt queues to the slots
of GUI-thread objects. Pause, resume and stop go to the core's `Control` flags, which the training loop
reads between optimizer steps: nothing here ever kills a thread. Every failure arrives as data on the
one `failed` signal (a `RunFailure`), with the traceback written to a log file for us, not shown to
the user.
"""
from __future__ import annotations

import atexit

import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

if TYPE_CHECKING:
    from core.record.events import Control, Event

Job = Callable[[Callable[["Event"], None], "Control"], dict]


@dataclass
class RunFailure:
    """A failed run as data: what went wrong, what to do, and where the details are."""
    error_type: str
    message: str
    fix: str | None = None
    log_path: str | None = None
    run_dir: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def error_log_path() -> Path:
    from core.config.paths import user_data_dir

    return user_data_dir() / "logs" / "laptune-gui.log"


def describe_failure(exc: BaseException, run_dir: str | None = None) -> RunFailure:
    """Turn an exception into a RunFailure and append its traceback to the log file."""
    log = error_log_path()
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"\n===== {time.strftime('%Y-%m-%d %H:%M:%S')} {type(exc).__name__} (run {run_dir or '-'})\n")
            fh.write("".join(traceback.format_exception(exc)))
        log_path: str | None = str(log)
    except OSError:
        log_path = None
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return RunFailure(error_type=type(exc).__name__, message=str(message), fix=getattr(exc, "fix", None),
                      log_path=log_path, run_dir=run_dir)


class RunWorker(QObject):
    """Lives on the run's QThread; `run` blocks there until the core returns or raises."""

    event = Signal(object)      # a core.record.events.Event, from the training or the sensor thread
    finished = Signal(object)   # summary dict (completed or stopped)
    failed = Signal(object)     # RunFailure
    done = Signal()             # always last: the thread may quit

    def __init__(self, job: Job, control: Control) -> None:
        super().__init__()
        self._job = job
        self._control = control
        self.run_dir: str | None = None

    def _emit(self, event: Event) -> None:
        # Called from the training thread and the sensor thread; a signal is safe from any thread.
        run_dir = getattr(event, "run_dir", None)
        if run_dir:
            self.run_dir = run_dir
        self.event.emit(event)

    @Slot()
    def run(self) -> None:
        try:
            summary = self._job(self._emit, self._control)
        except BaseException as exc:  # noqa: BLE001 - every failure travels as data on `failed`
            self.failed.emit(describe_failure(exc, self.run_dir))
        else:
            self.finished.emit(summary)
        finally:
            self.done.emit()


# Run threads that have not finished yet, with their stop flags. A QThread destroyed while it runs aborts the
# process; held here, none is destroyed by garbage collection when the window or the application goes first, and
# at interpreter exit each is asked to stop (a checkpoint is saved, as Stop does) and waited for.
_LIVE_RUNS: list[tuple[QThread, Any]] = []


@atexit.register
def stop_live_runs(timeout_ms: int = 300_000) -> None:
    for thread, control in list(_LIVE_RUNS):
        try:
            if thread.isRunning():
                control.stop("the app was closed")
                thread.wait(timeout_ms)
        except RuntimeError:
            pass   # already deleted: nothing runs


class RunController(QObject):
    """Owned by the main window (GUI thread): starts one run at a time and forwards its signals."""

    event = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    ended = Signal()            # the worker thread has finished; a new run may start

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: RunWorker | None = None
        self.control: Control | None = None

    @property
    def active(self) -> bool:
        return self._thread is not None

    @property
    def thread(self) -> QThread | None:
        return self._thread

    def start(self, job: Job) -> None:
        if self._thread is not None:
            raise RuntimeError("a run is already going")
        from core.record.events import Control

        self.control = Control()
        thread = QThread()
        thread.setObjectName("laptune-run")
        worker = RunWorker(job, self.control)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # Each connection targets a slot of a GUI-thread QObject (this controller): queued, runs here.
        worker.event.connect(self._on_event)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        from PySide6.QtCore import Qt

        # Direct: QThread.quit is thread-safe, and a queued quit would deadlock a GUI-thread wait().
        worker.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._worker = thread, worker
        _LIVE_RUNS.append((thread, self.control))
        thread.start()

    # ------------------------------------------------------------ requests (flags the loop reads)
    def pause(self) -> None:
        if self.control is not None:
            self.control.pause("paused by the user")

    def resume(self) -> None:
        if self.control is not None:
            self.control.resume()

    def stop(self, reason: str = "stopped by the user") -> None:
        if self.control is not None:
            self.control.stop(reason)

    # ------------------------------------------------------------ signals from the worker
    @Slot(object)
    def _on_event(self, event: Event) -> None:
        self.event.emit(event)

    @Slot(object)
    def _on_finished(self, summary: dict) -> None:
        self.finished.emit(summary)

    @Slot(object)
    def _on_failed(self, failure: RunFailure) -> None:
        self.failed.emit(failure)

    @Slot()
    def _on_thread_finished(self) -> None:
        thread, worker = self._thread, self._worker
        self._thread = self._worker = None
        _LIVE_RUNS[:] = [pair for pair in _LIVE_RUNS if pair[0] is not thread]
        if worker is not None:
            worker.deleteLater()
        if thread is not None:
            thread.deleteLater()
        self.ended.emit()

    def wait(self, timeout_ms: int) -> bool:
        """Block until the thread ends: only at shutdown, after a stop was requested."""
        return self._thread is None or self._thread.wait(timeout_ms)


def train_job(plan: Any, hardware: Any = None) -> Job:
    """A new run of a wizard plan (gui.qt_wizard.RunPlan); core.train.session is imported on the worker thread.

    "Probe first" is the core's probe (core/train/probe.py): a few real steps at the longest samples first."""
    def job(emit: Callable[[Event], None], control: Control) -> dict:
        from gui.qt_preload import preload

        preload()        # imports the stack once and freezes it out of the GC's way (see gui/qt_preload.py)
        from core.train import session
        faults = session.Faults(sensor_trace=plan.sensor_trace) if plan.sensor_trace else None
        return session.run(plan.config, emit, control, run_dir=plan.run_dir, preset_path=plan.preset_path,
                           sources=plan.sources, hardware=hardware, faults=faults, probe=plan.probe_first)
    return job


def resume_job(run_dir: str | Path, checkpoint: int | None, sensor_trace: str | None = None,
               sets: list[str] | None = None) -> Job:
    def job(emit: Callable[[Event], None], control: Control) -> dict:
        from gui.qt_preload import preload

        preload()
        from core.train import session
        faults = session.Faults(sensor_trace=sensor_trace) if sensor_trace else None
        return session.resume(run_dir, emit, control, checkpoint=checkpoint, faults=faults, sets=sets or [])
    return job
