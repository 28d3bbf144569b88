"""The hardware panel: GPU, VRAM, temperature, RAM, battery and other GPU processes, live even with no run.

A `SensorPoller` on its own QThread reads the sensors once a second (NVML and battery reads can take
tens of milliseconds on Windows, so never on the GUI thread) and re-probes every ten seconds for the
processes holding GPU memory. During a run the panel shows the run's own samples instead.
"""
from __future__ import annotations

import atexit
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QMetaObject, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from gui.qt_text import GIB, fmt_num

ProbeSource = Callable[[], Any]


class SensorPoller(QObject):
    sample = Signal(object)      # core.record.events.Sample
    snapshot = Signal(object)    # core.machine.snapshot.HardwareSnapshot

    def __init__(self, probe_source: ProbeSource | None, fixed: Any = None, interval_ms: int = 1000) -> None:
        super().__init__()
        self._probe_source = probe_source
        self._fixed = fixed
        self._interval_ms = interval_ms
        self._timer: QTimer | None = None
        self._ticks = 0
        self.gpu_index: int | None = None
        self.paused = False          # set by the GUI during a run: the run's own samples are shown then

    @Slot()
    def begin(self) -> None:
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(self._interval_ms)
        self._probe()
        self._tick()

    @Slot()
    def end(self) -> None:
        """Runs on the poller's thread: stop the timer there, hand the object back, end the thread."""
        if self._timer is not None:
            self._timer.stop()
            self._timer.deleteLater()
            self._timer = None
        app = QCoreApplication.instance()
        if app is not None:
            self.moveToThread(app.thread())
        QThread.currentThread().quit()

    def _probe(self) -> None:
        if self._fixed is not None:
            snap = self._fixed
        elif self._probe_source is not None:
            snap = self._probe_source()
        else:
            return
        from core.machine.hardware import choose_gpu

        gpu, _ = choose_gpu(snap)
        self.gpu_index = gpu.index if gpu is not None and self._fixed is None else None
        self.snapshot.emit(snap)

    @Slot()
    def _tick(self) -> None:
        if self.paused:
            return
        from core.machine.sensors import read_once

        self._ticks += 1
        if self._ticks % 10 == 0 and self._fixed is None:
            self._probe()
        self.sample.emit(read_once(self.gpu_index))


class HardwarePanel(QGroupBox):
    """Labels filled from a HardwareSnapshot (names, processes) and Samples (live readings)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hardwarePanel")
        self.setTitle(self.tr("Hardware"))
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.gpu = QLabel(self.tr("detecting..."))
        self.vram = QLabel("-")
        self.temp = QLabel("-")
        self.ram = QLabel("-")
        self.power = QLabel("-")
        self.procs = QLabel("-")
        for label in (self.gpu, self.vram, self.temp, self.ram, self.power, self.procs):
            label.setWordWrap(True)
        form.addRow(self.tr("GPU"), self.gpu)
        form.addRow(self.tr("VRAM"), self.vram)
        form.addRow(self.tr("Temperature"), self.temp)
        form.addRow(self.tr("RAM"), self.ram)
        form.addRow(self.tr("Power"), self.power)
        form.addRow(self.tr("Other GPU users"), self.procs)
        self.snapshot_value: Any = None
        self.last_sample: Any = None

    @Slot(object)
    def on_snapshot(self, snap: Any) -> None:
        from core.machine.hardware import choose_gpu

        self.snapshot_value = snap
        gpu, _ = choose_gpu(snap)
        fake = self.tr(" (simulated)") if str(snap.source).startswith("fake:") else ""
        if gpu is None:
            self.gpu.setText(self.tr("none: training runs on the CPU") + fake)
            self.procs.setText(self.tr("none"))
        else:
            self.gpu.setText(f"{gpu.short_name}, {gpu.total_gb:.1f} GiB{fake}")
            others = [p for p in gpu.processes]
            if others:
                self.procs.setText(", ".join(
                    f"{p.name} ({p.pid}) {'?' if p.used_bytes is None else fmt_num(p.used_bytes / GIB, 1)} GiB" for p in others))
            else:
                self.procs.setText(self.tr("none"))
            if gpu.temperature_c is not None and self.last_sample is None:
                self.temp.setText(self.tr("GPU {t} °C").format(t=fmt_num(gpu.temperature_c, 0)))
            if self.last_sample is None:
                self.vram.setText(self.tr("{used} of {total} GiB used").format(
                    used=fmt_num(gpu.used_gb, 1), total=fmt_num(gpu.total_gb, 1)))
        s = snap.system
        if s.battery_present:
            self._set_power(s.battery_percent, s.on_ac)
        else:
            self.power.setText(self.tr("mains (no battery)"))

    @Slot(object)
    def on_sample(self, sample: Any) -> None:
        self.last_sample = sample
        if sample.vram_used_frac is not None:
            total = sample.vram_total_bytes
            if total:
                self.vram.setText(self.tr("{used} of {total} GiB used ({pct} %)").format(
                    used=fmt_num((sample.vram_used_bytes or 0) / GIB, 1), total=fmt_num(total / GIB, 1),
                    pct=fmt_num(sample.vram_used_frac * 100, 0)))
            else:
                self.vram.setText(self.tr("{pct} % used").format(pct=fmt_num(sample.vram_used_frac * 100, 0)))
        elif self.snapshot_value is not None and not self.snapshot_value.gpus:
            self.vram.setText(self.tr("no GPU"))
        temps = []
        if sample.gpu_temp_c is not None:
            temps.append(self.tr("GPU {t} °C").format(t=fmt_num(sample.gpu_temp_c, 0)))
        if sample.cpu_temp_c is not None:
            temps.append(self.tr("CPU {t} °C").format(t=fmt_num(sample.cpu_temp_c, 0)))
        if temps:
            self.temp.setText(", ".join(temps))
        elif self.snapshot_value is None or not self.snapshot_value.gpus:
            self.temp.setText(self.tr("no sensor readable"))
        if sample.ram_used_frac is not None:
            self.ram.setText(self.tr("{pct} % used").format(pct=fmt_num(sample.ram_used_frac * 100, 0)))
        if sample.battery_pct is not None or sample.on_ac is not None:
            self._set_power(sample.battery_pct, sample.on_ac)

    def _set_power(self, pct: float | None, on_ac: bool | None) -> None:
        where = {True: self.tr("on AC"), False: self.tr("on battery"), None: self.tr("source unknown")}[on_ac]
        self.power.setText(self.tr("battery {pct} %, {where}").format(pct="?" if pct is None else fmt_num(pct, 0), where=where))


# Every started poller thread with its poller, until it has stopped. A QThread destroyed while it runs aborts
# the process ("QThread: Destroyed while thread 'laptune-sensors' is still running"), which happened when the
# application object or the window went away before the window was closed. Holding them here means no garbage
# collection destroys a running one; the window's destruction, the application's aboutToQuit and, last, the
# interpreter's exit stop them, whichever comes first.
_RUNNING: list[tuple[QThread, SensorPoller]] = []


def _stop_thread(thread: QThread, poller: SensorPoller, wait_ms: int = 3000) -> None:
    """Stop one poller thread from any order of teardown (its monitor may already be deleted)."""
    try:
        if not thread.isRunning():
            running = False
        else:
            try:
                # The poller stops its timer on its own thread, then ends the thread; invoked by name so it works
                # when the monitor (and its signals) no longer exist.
                QMetaObject.invokeMethod(poller, "end", Qt.ConnectionType.QueuedConnection)
            except RuntimeError:
                thread.quit()   # the poller is gone already: end the thread's event loop directly (thread-safe)
            if not thread.wait(wait_ms):
                thread.quit()
                thread.wait(wait_ms)
            running = thread.isRunning()
    except RuntimeError:
        running = False   # the thread's C++ object is gone already: nothing runs
    if not running:   # a thread slow to stop (a busy machine) stays held until exit, never destroyed running
        _RUNNING[:] = [pair for pair in _RUNNING if pair[0] is not thread]


@atexit.register
def stop_all_pollers() -> None:
    for thread, poller in list(_RUNNING):
        _stop_thread(thread, poller, wait_ms=15000)


class HardwareMonitor(QObject):
    """Owns the poller thread; the panel's slots receive its signals on the GUI thread."""

    def __init__(self, panel: HardwarePanel, probe_source: ProbeSource | None, fixed: Any = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thread = QThread()
        self.thread.setObjectName("laptune-sensors")
        self.poller = SensorPoller(probe_source, fixed)
        self.poller.moveToThread(self.thread)
        self.thread.started.connect(self.poller.begin)
        self.poller.sample.connect(panel.on_sample)
        self.poller.snapshot.connect(panel.on_snapshot)
        thread, poller = self.thread, self.poller
        self.destroyed.connect(lambda *_: _stop_thread(thread, poller))   # the window deleted without closing
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def start(self) -> None:
        if not self.thread.isRunning():
            _RUNNING.append((self.thread, self.poller))
            self.thread.start()

    def set_paused(self, paused: bool) -> None:
        if self.poller is not None:
            self.poller.paused = paused

    @Slot()
    def shutdown(self) -> None:
        if self.poller is None:
            return
        _stop_thread(self.thread, self.poller)
        if not self.thread.isRunning():   # a poller whose thread still runs stays alive until exit stops it
            self.poller.deleteLater()
        self.poller = None
