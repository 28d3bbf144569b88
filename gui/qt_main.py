"""The main window: hardware panel, run history, buttons, status line, live plots and the log in plain words.

Button states come from one table keyed by the run state, so they are always consistent. The plots
(pyqtgraph, about half a second to import) load just after the window first shows. For the same reason the
window is built without touching the `Qt` namespace enums (~80 ms to create on first use), QFileDialog,
QMessageBox or QSystemTrayIcon: they are needed only later.
"""
from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QSize, QTimer, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMainWindow

from gui.qt_dialogs import Dialogs, Notifier
from gui.qt_core_text import core_text
from gui.qt_geometry import app_settings, available_area, first_size, place, remember
from gui.qt_hardware import HardwareMonitor
from gui.qt_layout import BUTTONS, build_layout, build_menus
from gui.qt_runs import list_runs
from gui.qt_text import event_line, fmt_duration, fmt_metrics, guard_text, is_english
from gui.qt_worker import RunController, resume_job, train_job

PRELOAD_DELAY_MS = 3000   # after the plots are in: the user is reading the window or opening the wizard

# state -> buttons enabled (startButton also needs a plan from the wizard)
ENABLED = {
    "idle": {"newRunButton", "startButton", "resumeCheckpointButton", "openRunButton"},
    "starting": {"stopButton"},
    "running": {"pauseButton", "stopButton"},
    "pausing": {"stopButton"},
    "paused": {"resumeButton", "stopButton"},
    "stopping": set(),
}


class MainWindow(QMainWindow):
    languageRequested = Signal(str)

    def __init__(self, probe: Any = None, icon: QIcon | None = None, language: str = "en") -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("LapTune"))
        self.setAcceptDrops(True)
        self.icon = icon or QIcon()
        self.setWindowIcon(self.icon)
        self.language = language
        self.fixed_hw = probe if probe is not None and not callable(probe) else None
        self.probe_source: Callable[[], Any] | None = probe if callable(probe) else None
        self.dialogs = Dialogs(self)
        self.notifier = Notifier(self.icon, self)
        self.controller = RunController(self)
        self.controller.event.connect(self.on_event)
        self.controller.finished.connect(self.on_finished)
        self.controller.failed.connect(self.on_failed)
        self.controller.ended.connect(self.on_ended)
        self.state = "idle"
        self.plan: Any = None
        self.wizard: Any = None
        self.wizard_defaults: dict[str, Any] = {}
        self.current_run: str | None = None
        self.guard_cfg: Any = None
        self._plots: Any = None
        self._quit_when_done = False
        self._total: int | None = None
        self._rate: tuple[float, int] | None = None
        self._last_loss: float | None = None
        self._guard_reason: str | None = None
        build_layout(self)
        build_menus(self)
        from gui.qt_try import install as install_try   # Try it / Compare (gui/qt_try.py)

        install_try(self)
        from gui.qt_export import install as install_export   # Export... (gui/qt_export.py)

        install_export(self)
        self.set_state("idle")
        self.monitor = HardwareMonitor(self.hardware, self.probe_source or _default_probe if self.fixed_hw is None else None,
                                       fixed=self.fixed_hw, parent=self)
        place(self, app_settings())
        self._shown = False
        self._painted = False
        self._deferred_done = False
        # The app (gui.app.main) sets this: import torch & co. in the background a few seconds after the window
        # shows, so a run does not stall the GUI with its imports (gui/qt_preload.py). Off for tests and benches.
        self.preload_runtime = False

    @Slot()
    def _language_chosen(self) -> None:
        action = self.sender()
        self.languageRequested.emit(action.data())

    @Slot()
    def _show_log_path(self) -> None:
        from gui.qt_worker import error_log_path

        self.dialogs.info(self.tr("Log file"), self.tr("Errors are written to {path}").format(path=error_log_path()))

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            QTimer.singleShot(500, self._after_first_paint)   # in case no paint reaches this widget

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if not self._painted:
            # Only once the window is on screen: the plots, the run history and the tray icon.
            self._painted = True
            QTimer.singleShot(20, self._after_first_paint)

    @Slot()
    def _after_first_paint(self) -> None:
        if self._deferred_done:
            return
        self._deferred_done = True
        # The sensor thread (and its first hardware probe: NVML, psutil) starts only once the window is on
        # screen: started from showEvent it took the GIL and a CPU from the first paint.
        self.monitor.start()
        self.runsView.reload()
        self.ensure_plots()
        self._setup_tray()
        # Everything alive now (Qt wrappers, pyqtgraph, the modules) lives as long as the app: moved to the
        # collector's permanent generation, a later full collection on this thread scans only what came after
        # (one over the ~80 000 objects alive after startup took 36 ms here).
        gc.freeze()
        if self.preload_runtime:
            QTimer.singleShot(PRELOAD_DELAY_MS, self._start_preload)

    @Slot()
    def _start_preload(self) -> None:
        from gui.qt_preload import start_background

        start_background()

    @Slot()
    def _setup_tray(self) -> None:
        tray = self.notifier.setup()
        if tray is not None:
            tray.activated.connect(self._tray_activated)

    def ensure_plots(self) -> Any:
        """Create the plot panel on first use (pyqtgraph is imported here, after the window shows)."""
        if self._plots is None:
            from gui.qt_plots import PlotPanel

            self._plots = PlotPanel()
            self.plotLayout.removeWidget(self._placeholder)
            self._placeholder.deleteLater()
            self.plotLayout.addWidget(self._plots)
            self._plots.set_guard(self.guard_cfg)
        return self._plots

    # ------------------------------------------------------------ state
    def set_state(self, state: str) -> None:
        self.state = state
        enabled = ENABLED[state]
        for name, button in self.buttons.items():
            on = name in enabled and (name != "startButton" or self.plan is not None)
            button.setEnabled(on)
        if hasattr(self, "monitor"):
            self.monitor.set_paused(state != "idle")

    def set_status(self, text: str) -> None:
        self.statusLine.setText(text)

    def log(self, text: str) -> None:
        self.logPanel.appendPlainText(text)

    # ------------------------------------------------------------ starting runs
    @Slot()
    def open_wizard(self, initial_data: str | None = None) -> None:
        from gui.qt_wizard import PresetWizard

        if self.state != "idle":
            return
        hw = self.fixed_hw or self.hardware.snapshot_value or _default_probe()
        defaults = dict(self.wizard_defaults)
        if initial_data:
            defaults["initial_data"] = initial_data
        self.wizard = PresetWizard(hw, self, **defaults)
        self.wizard.accepted.connect(self._wizard_accepted)
        self.wizard.finished.connect(self._wizard_closed)
        self.wizard.open()

    # A data file dropped on the window starts a new run from it (gui/qt_data_start.py).
    def dragEnterEvent(self, event: Any) -> None:
        from gui.qt_data_start import dropped_path

        if self.state == "idle" and self.wizard is None and dropped_path(event):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        from gui.qt_data_start import dropped_path

        path = dropped_path(event)
        if path and self.state == "idle" and self.wizard is None:
            event.acceptProposedAction()
            self.open_wizard(initial_data=path)

    @Slot()
    def _wizard_accepted(self) -> None:
        if self.wizard is not None and self.wizard.plan is not None:
            self.plan = self.wizard.plan
            self.start_plan(self.plan)

    @Slot()
    def _wizard_closed(self) -> None:
        if self.wizard is not None:
            self.wizard.deleteLater()
            self.wizard = None

    @Slot()
    def start_again(self) -> None:
        if self.plan is not None and self.state == "idle":
            self.start_plan(self.plan)

    def start_plan(self, plan: Any) -> None:
        self.guard_cfg = plan.config.guard
        plots = self.ensure_plots()
        plots.clear()
        plots.set_guard(self.guard_cfg)
        self.current_run = None
        self.log(self.tr("Starting {preset}: {command}").format(preset=plan.preset, command=plan.command()))
        self._begin(train_job(plan, hardware=self.fixed_hw))

    def resume_from(self, run_dir: str, step: int | None, sets: list[str] | None = None) -> None:
        """Continue a run from a checkpoint; its plots continue from where they were."""
        from core.record.runs import RunDir

        rd = RunDir.open(run_dir)
        self.guard_cfg = rd.read_config().guard
        plots = self.ensure_plots()
        if self.current_run != str(rd.path):
            plots.clear()
            plots.load_events(rd.read_events())
        plots.set_guard(self.guard_cfg)
        self.current_run = str(rd.path)
        trace = self.plan.sensor_trace if self.plan is not None else None
        self.log(self.tr("Resuming {run} from checkpoint {step}").format(run=rd.path.name, step=step if step is not None else "-"))
        self._begin(resume_job(rd.path, step, sensor_trace=trace, sets=sets))

    def _begin(self, job: Any) -> None:
        self._total, self._rate, self._last_loss, self._guard_reason = None, None, None, None
        self.set_state("starting")
        self.set_status(self.tr("Starting: loading the model and the data..."))
        self.controller.start(job)

    # ------------------------------------------------------------ requests
    @Slot()
    def request_pause(self) -> None:
        if self.state == "running":
            self.controller.pause()
            self.set_state("pausing")
            self.set_status(self.tr("Pausing after the current step..."))

    @Slot()
    def request_resume(self) -> None:
        if self.state == "paused":
            self.controller.resume()
            self.set_state("running")
            self.set_status(self.tr("Resuming..."))

    @Slot()
    def request_stop(self) -> None:
        if self.state in ("starting", "running", "pausing", "paused"):
            self.controller.stop()
            self.set_state("stopping")
            self.set_status(self.tr("Stopping: saving a checkpoint after the current step..."))

    @Slot()
    def open_resume_dialog(self) -> None:
        if self.state != "idle":
            return
        from core.config.paths import default_runs_dir

        runs = [r for r in list_runs(self.runsView.base or default_runs_dir())] if (self.runsView.base or default_runs_dir()).exists() else []
        if not runs:
            self.dialogs.info(self.tr("No runs yet"), self.tr("There is no run with a checkpoint to resume."))
            return
        from gui.qt_resume import ResumeDialog

        dialog = ResumeDialog(runs, current=self.current_run or self.runsView.selected_path(), parent=self)
        self.resumeDialog = dialog
        dialog.accepted.connect(self._resume_accepted)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    @Slot()
    def _resume_accepted(self) -> None:
        choice = self.resumeDialog.selected()
        if choice is not None:
            self.resume_from(*choice, sets=self.resumeDialog.settings())

    @Slot()
    def ask_open_run(self) -> None:
        path = self.runsView.selected_path()
        if path is None:
            from PySide6.QtWidgets import QFileDialog

            path = QFileDialog.getExistingDirectory(self, self.tr("Open a run folder"), str(self.runsView.base or ""))
        if path:
            self.open_run(path)

    @Slot(str)
    def open_run(self, path: str) -> None:
        from core.record.runs import RunDir, RunError

        if self.state != "idle":
            return
        try:
            rd = RunDir.open(path)
            config = rd.read_config()
        except (RunError, ValueError, OSError) as exc:
            self.dialogs.info(self.tr("Cannot open the run"), str(exc))
            return
        self.guard_cfg = config.guard
        plots = self.ensure_plots()
        plots.clear()
        plots.set_guard(self.guard_cfg)
        events = rd.read_events()
        plots.load_events(events)
        self.current_run = str(rd.path)
        summary = rd.read_summary()
        status = self.runsView.status_word(summary.get("status"))
        self.set_status(self.tr("Showing run {name}: {status}, step {step}").format(
            name=rd.path.name, status=status, step=summary.get("global_step", "?")))
        self.log(self.tr("Opened {path} ({n} events)").format(path=rd.path, n=len(events)))

    # ------------------------------------------------------------ events from the run
    @Slot(object)
    def on_event(self, event: Any) -> None:
        plots = self.ensure_plots()
        plots.add_event(event)
        kind = event.type
        if kind == "sample":
            self.hardware.on_sample(event)
            return
        line = event_line(event, self.guard_cfg)
        if line:
            self.log(line)
        if kind == "log":
            self._progress(event)
        elif kind == "guard":
            self._guard(event)
        elif kind == "status":
            self._status(event)
        elif kind == "download":   # the run's download phase; the Stop button cancels it
            from gui.qt_download import download_text, update_run_download_bar

            update_run_download_bar(self.downloadBar, event)
            self.set_status(download_text(event))

    def _progress(self, event: Any) -> None:
        now = time.monotonic()
        if self._rate is None:
            self._rate = (now, event.step)
        if event.loss is not None:
            self._last_loss = event.loss
        start_t, start_step = self._rate
        done = event.step - start_step
        rate = done / (now - start_t) if done > 0 and now > start_t else None
        parts = [self.tr("Training: step {step}/{total}").format(step=event.step, total=self._total or "?")]
        if self._last_loss is not None:
            parts.append(self.tr("loss {loss:.4f}").format(loss=self._last_loss))
        if rate and self._total:
            parts.append(self.tr("about {left} left").format(left=fmt_duration((self._total - event.step) / rate)))
        if self.state == "running":
            self.set_status(", ".join(parts))

    def _guard(self, event: Any) -> None:
        text = guard_text(event, self.guard_cfg)
        if event.action == "pause":
            self._guard_reason = text
            self.set_status(self.tr("Paused by the guard: {why}").format(why=text))
            self.notifier.notify(self.tr("LapTune paused training"), text)
        elif event.action == "resume":
            self._guard_reason = None
            self.set_status(self.tr("Resumed by the guard: {why}").format(why=text))
        elif event.action == "stop":
            self.set_status(self.tr("Stopping (guard): {why}").format(why=text))
            self.notifier.notify(self.tr("LapTune is stopping training"), text)
        elif event.action == "warn":
            self.set_status(self.tr("Warning: {why}").format(why=text))

    def _status(self, event: Any) -> None:
        status = event.status
        if status == "started":
            self._total = event.total_steps
            self._rate = None
            if event.run_dir:
                self.current_run = str(Path(event.run_dir))
            if self.state == "starting":
                self.set_state("running")
            self.set_status(self.tr("Training: step {step}/{total}").format(step=event.step, total=self._total or "?"))
        elif status == "paused":
            if self.state != "stopping":
                self.set_state("paused")
            if self._guard_reason:
                self.set_status(self.tr("Paused by the guard: {why}").format(why=self._guard_reason))
            else:
                self.set_status(self.tr("Paused at step {step}. Click Resume to continue.").format(step=event.step))
                self.notifier.notify(self.tr("LapTune paused training"), self.tr("Paused at step {step}").format(step=event.step))
        elif status == "probing":
            self.set_status(self.tr("Probe first: measuring memory and speed with a few steps..."))
        elif status == "resumed":
            self._rate = None
            if self.state in ("paused", "pausing"):
                self.set_state("running")
            self.set_status(self.tr("Training resumed at step {step}").format(step=event.step))

    @Slot(object)
    def on_finished(self, summary: dict) -> None:
        status = summary.get("status")
        best = fmt_metrics(summary.get("best_eval") or {})
        if status == "completed":
            text = self.tr("Finished at step {step} in {time}.").format(step=summary.get("global_step"),
                                                                        time=fmt_duration(summary.get("wall_seconds", 0)))
            title = self.tr("LapTune finished training")
        else:
            text = self.tr("Stopped at step {step}; a checkpoint was saved. Resume from checkpoint... continues it.").format(
                step=summary.get("global_step"))
            title = self.tr("LapTune stopped training")
        if best:
            text += (" " if is_english() else "") + self.tr("Best evaluation: {metrics}.").format(metrics=best)
        self.set_status(text)
        self.log(text)
        self.notifier.notify(title, text)

    @Slot(object)
    def on_failed(self, failure: Any) -> None:
        message = core_text(failure.message)
        self.set_status(self.tr("The run failed: {message}").format(message=message))
        self.log(self.tr("Failed: {message}").format(message=message))
        self.notifier.notify(self.tr("LapTune: the run failed"), message)
        self.dialogs.failure(failure)

    @Slot()
    def on_ended(self) -> None:
        self.set_state("idle")
        self.runsView.reload()
        if self._quit_when_done:
            self.close()

    # ------------------------------------------------------------ closing
    @Slot(object)
    def _tray_activated(self, reason: Any) -> None:
        self.showNormal()
        self.activateWindow()

    def closeEvent(self, event: Any) -> None:
        if self.controller.active:
            choice = "stop" if self._quit_when_done else self.dialogs.close_during_run()
            if choice == "stop":
                self._quit_when_done = True
                self.request_stop()
                self.set_status(self.tr("Stopping: saving a checkpoint; LapTune closes when it is saved."))
            elif choice == "tray":
                if self.notifier.setup() is not None:
                    self.hide()
                else:
                    self.showMinimized()
                self.notifier.notify(self.tr("LapTune keeps training"), self.tr("Training goes on in the background."))
            event.ignore()
            return
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop the sensor thread and hide the tray icon; called once the window may close."""
        remember(self, app_settings())
        self.monitor.shutdown()
        self.notifier.hide()
        if self._plots is not None:
            self._plots._timer.stop()

    def sizeHint(self) -> QSize:
        return first_size(available_area(self), self.minimumSizeHint())



def _default_probe() -> Any:
    from core.machine.hardware import probe

    return probe()
