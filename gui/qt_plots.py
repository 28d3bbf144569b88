"""Live plots (pyqtgraph): loss, eval metrics, learning rate against step; VRAM, temperature, RAM against time.

Events only append to numpy buffers; a timer pushes the changed buffers to their curves, one plot per
tick, so a burst of events costs one redraw. Decorations (pause shading and marks, threshold lines)
wait for their plot's turn too: a guard pause touches five plots, and repainting them in one pass of
the event loop stalled the GUI for 50-90 ms with 100 000 points per curve (bench/gui_latency.py).
Curves clip to the visible range and downsample (peak mode) so a curve of 100 000 points draws as fast
as one of a thousand. Guard pauses are shaded on the time plots and marked on the step plots.
Right-click any plot: export it as PNG, or the run's metrics as CSV.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Slot
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QFileDialog, QGridLayout, QWidget

pg.setConfigOptions(background="w", foreground="#333", antialias=False)

REFRESH_MS = 50           # one plot per tick, round robin: each plot redraws at most 10 times a second
                          # later, and one event-loop pass never repaints more than one plot
DOWNSAMPLE_FACTOR = 2.0   # points drawn per horizontal pixel (pyqtgraph's default is 5)
MAX_SYMBOLS = 300         # eval points get markers until a curve has this many
FEW_POINTS = 40           # every curve gets markers while it has at most this many points: a single point
                          # draws no line at all, so a short run's loss and learning rate looked empty
SMOOTHING = 0.9           # EMA weight of the smoothed loss (debiased, as TensorBoard does)
PAUSE_BRUSH = QColor(255, 165, 0, 60)
MARK_PEN = pg.mkPen("#ff7f0e", width=1, style=pg.QtCore.Qt.PenStyle.DashLine)
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#17becf"]


def _lower_is_better(metric: str) -> bool:
    return any(word in metric for word in ("loss", "perplexity", "error", "wer", "cer"))


class Series:
    """A growable pair of float arrays; appending is amortised O(1)."""

    def __init__(self, capacity: int = 1024) -> None:
        self.x = np.empty(capacity)
        self.y = np.empty(capacity)
        self.n = 0

    def append(self, x: float, y: float) -> None:
        if self.n == len(self.x):
            self.x = np.resize(self.x, 2 * self.n)
            self.y = np.resize(self.y, 2 * self.n)
        self.x[self.n] = x
        self.y[self.n] = y
        self.n += 1

    def extend(self, xs: np.ndarray, ys: np.ndarray) -> None:
        need = self.n + len(xs)
        if need > len(self.x):
            size = max(need, 2 * len(self.x))
            self.x, self.y = np.resize(self.x, size), np.resize(self.y, size)
        self.x[self.n:need], self.y[self.n:need] = xs, ys
        self.n = need

    def truncate_after(self, x: float) -> None:
        """Drop points past x (a resume from an earlier checkpoint repeats those steps)."""
        self.n = int(np.searchsorted(self.x[:self.n], x, side="right"))

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x[:self.n], self.y[:self.n]


def _few_point_markers(curve: pg.PlotDataItem, n: int) -> None:
    """Markers in the curve's colour while it has few points; gone again once the line speaks for itself."""
    auto = getattr(curve, "_auto_symbol", False)
    if 0 < n <= FEW_POINTS and curve.opts.get("symbol") is None:
        color = pg.mkPen(curve.opts.get("pen")).color()
        curve.setSymbol("o")
        curve.setSymbolSize(5)
        curve.setSymbolBrush(color)
        curve.setSymbolPen(color)
        curve._auto_symbol = True
    elif (n == 0 or n > FEW_POINTS) and auto:
        curve.setSymbol(None)
        curve._auto_symbol = False


class PlotPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plotPanel")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        self.plots: dict[str, pg.PlotWidget] = {}
        specs = [("lossPlot", self.tr("Loss"), self.tr("step")), ("metricPlot", self.tr("Eval metrics"), self.tr("step")),
                 ("lrPlot", self.tr("Learning rate"), self.tr("step")), ("vramPlot", self.tr("VRAM used (%)"), self.tr("minutes")),
                 ("tempPlot", self.tr("Temperature (°C)"), self.tr("minutes")), ("ramPlot", self.tr("RAM used (%)"), self.tr("minutes"))]
        tips = {"step": self.tr("Dashed orange line: the run was paused here (by the guard or by you).\n"
                                "Right-click: save this plot as PNG or the run's metrics as CSV."),
                "time": self.tr("Orange shading: the run was paused (by the guard or by you).\n"
                                "Horizontal lines: the guard's thresholds (pause, resume, stop). For VRAM the guard\n"
                                "leaves out what this run keeps cached for its own reuse, so 'all programs' may sit\n"
                                "above the pause line without a pause.\n"
                                "Right-click: save this plot as PNG or the run's metrics as CSV.")}
        for i, (name, title, xlabel) in enumerate(specs):
            widget = pg.PlotWidget()
            widget.setObjectName(name)
            widget.setMinimumSize(160, 120)
            widget.setToolTip(tips["step" if xlabel == self.tr("step") else "time"])
            item = widget.getPlotItem()
            item.setTitle(title, size="9pt")
            item.setLabel("bottom", xlabel)
            item.getAxis("bottom").enableAutoSIPrefix(False)
            item.getAxis("left").enableAutoSIPrefix(False)
            item.setClipToView(True)
            item.setDownsampling(auto=True, mode="peak")
            item.addLegend(offset=(-4, 4), labelTextSize="8pt", brush=pg.mkBrush(255, 255, 255, 210))
            self._add_menu(widget)
            grid.addWidget(widget, i // 3, i % 3)
            self.plots[name] = widget
        for name in ("vramPlot", "ramPlot"):     # headroom above 100 % for the label over a 95 % line
            self.plots[name].getPlotItem().setYRange(0, 110, padding=0.0)
            self.plots[name].getPlotItem().enableAutoRange(axis="y", enable=False)
        self.plots["tempPlot"].getPlotItem().getViewBox().setDefaultPadding(0.08)   # room for the top line's label
        self.series: dict[str, Series] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.plot_of: dict[str, str] = {}
        self._turn = 0
        self._dirty: set[str] = set()
        self._pending: dict[str, list[Callable[[], None]]] = {name: [] for name in self.plots}
        self._curve("loss", "lossPlot", self.tr("train loss"), pen=pg.mkPen("#9ecae1", width=1))
        self._curve("loss_smooth", "lossPlot", self.tr("smoothed"), pen=pg.mkPen(COLORS[0], width=2))
        self._curve("eval_loss", "lossPlot", self.tr("eval loss"), pen=pg.mkPen(COLORS[1], width=2), symbol="o", symbolSize=5,
                    symbolBrush=COLORS[1])
        self._curve("lr", "lrPlot", self.tr("learning rate"), pen=pg.mkPen(COLORS[2], width=1))
        self._curve("vram_used", "vramPlot", self.tr("all programs"), pen=pg.mkPen(COLORS[0], width=1))
        self._curve("vram_reserved", "vramPlot", self.tr("this run"), pen=pg.mkPen(COLORS[3], width=1))
        self._curve("gpu_temp", "tempPlot", self.tr("GPU"), pen=pg.mkPen(COLORS[1], width=1))
        self._curve("cpu_temp", "tempPlot", self.tr("CPU"), pen=pg.mkPen(COLORS[4], width=1))
        self._curve("ram", "ramPlot", self.tr("RAM"), pen=pg.mkPen(COLORS[2], width=1))
        for name in ("lrPlot", "ramPlot"):          # one curve, named by the title: a legend would only hide it
            self.plots[name].getPlotItem().legend.setVisible(False)
        self._thresholds: list[pg.InfiniteLine] = []
        self._home: dict[Any, str] = {}        # decoration -> the plot it belongs to
        self.pause_regions: list[pg.LinearRegionItem] = []
        self.pause_marks: list[pg.InfiniteLine] = []
        self._open_pause: list[pg.LinearRegionItem] | None = None
        self.t0: float | None = None
        self._ema = 0.0
        self._ema_n = 0
        self._last_t = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.tick)
        self._timer.start()

    # ------------------------------------------------------------ building
    def _curve(self, key: str, plot: str, name: str, **opts: Any) -> pg.PlotDataItem:
        curve = self.plots[plot].getPlotItem().plot([], [], name=name, **opts)
        curve.opts["autoDownsampleFactor"] = DOWNSAMPLE_FACTOR
        self.plot_of[key] = plot
        self.series[key] = Series()
        self.curves[key] = curve
        return curve

    def _add_menu(self, widget: pg.PlotWidget) -> None:
        menu = widget.getPlotItem().vb.menu
        menu.addSeparator()
        png = QAction(self.tr("Save this plot as PNG..."), menu)
        png.triggered.connect(lambda: self._ask_png(widget))
        menu.addAction(png)
        data = QAction(self.tr("Save the run's metrics as CSV..."), menu)
        data.triggered.connect(self._ask_csv)
        menu.addAction(data)

    def set_guard(self, guard: Any) -> None:
        """Threshold lines from the run's guard settings (pause solid, resume dashed, stop red)."""
        for line in self._thresholds:
            self._later(self._home[line], lambda line=line: self._remove(line))
        self._thresholds = []
        if guard is None or not guard.enabled:
            return
        # (plot, y, label, colour, dashed, where along x, label above the line?). The labels sit at the left,
        # away from the legends (top right); of two lines close together the upper one's label goes above it and
        # the lower one's below, so their labels never stack (the temperature plot's stop label sits further right).
        lines = [("vramPlot", guard.vram_pause_frac * 100, self.tr("pause"), "#ff7f0e", False, 0.02, True),
                 ("vramPlot", guard.vram_resume_frac * 100, self.tr("resume"), "#2ca02c", True, 0.02, False),
                 ("tempPlot", guard.gpu_temp_pause_c, self.tr("pause"), "#ff7f0e", False, 0.02, True),
                 ("tempPlot", guard.gpu_temp_resume_c, self.tr("resume"), "#2ca02c", True, 0.02, False),
                 ("tempPlot", guard.gpu_temp_stop_c, self.tr("stop"), "#d62728", False, 0.3, False),
                 ("ramPlot", guard.ram_pause_frac * 100, self.tr("pause"), "#ff7f0e", False, 0.02, False),
                 ("ramPlot", guard.ram_stop_frac * 100, self.tr("stop"), "#d62728", False, 0.02, True)]
        for plot, y, label, color, dashed, where, above in lines:
            pen = pg.mkPen(color, width=1, style=pg.QtCore.Qt.PenStyle.DashLine if dashed else pg.QtCore.Qt.PenStyle.SolidLine)
            anchor = (0, 1) if above else (0, 0)
            line = pg.InfiniteLine(pos=y, angle=0, pen=pen, label=f"{label} {y:g}",
                                   labelOpts={"position": where, "color": color, "anchors": [anchor, anchor]})
            self._add(plot, line)
            self._thresholds.append(line)

    # ------------------------------------------------------------ decorations, applied on the plot's turn
    def _later(self, plot: str, change: Callable[[], None]) -> None:
        self._pending[plot].append(change)

    def _add(self, plot: str, item: Any) -> None:
        self._home[item] = plot
        self._later(plot, lambda: self.plots[plot].addItem(item))

    def _legend_corner(self, plot: str, bottom: bool) -> None:
        """Top right (the default) or bottom right: pyqtgraph anchors a legend by its offset's signs."""
        self.plots[plot].getPlotItem().legend.setOffset((-4, -4 if bottom else 4))

    def _remove(self, item: Any) -> None:
        self._home.pop(item, None)
        view = item.getViewBox()
        if view is not None:
            view.removeItem(item)

    # ------------------------------------------------------------ data in
    def _push(self, key: str, x: float, y: float | None) -> None:
        if y is None or not np.isfinite(y):
            return
        self.series[key].append(x, y)
        self._dirty.add(key)

    def _minutes(self, t: float) -> float:
        if self.t0 is None:
            self.t0 = t
        self._last_t = max(self._last_t, (t - self.t0) / 60.0)
        return (t - self.t0) / 60.0

    def add_log(self, step: int, loss: float | None, lr: float | None, t: float | None = None) -> None:
        if t is not None:
            self._minutes(t)
        if loss is not None and np.isfinite(loss):
            self._ema = SMOOTHING * self._ema + (1 - SMOOTHING) * loss
            self._ema_n += 1
            self._push("loss", step, loss)
            self._push("loss_smooth", step, self._ema / (1 - SMOOTHING ** self._ema_n))
        if lr is not None:
            self._push("lr", step, lr)

    def add_eval(self, step: int, metrics: dict[str, float]) -> None:
        for key, value in metrics.items():
            if not key.startswith("eval_") or key.endswith(("runtime", "per_second")) or key == "eval_epoch":
                continue
            if key == "eval_loss":
                self._push("eval_loss", step, value)
                continue
            if key not in self.series:
                if not any(k.startswith("eval_") and k != "eval_loss" for k in self.series) and not _lower_is_better(key):
                    # Accuracy or F1 climb towards the top right, where the legend would hide them.
                    self._later("metricPlot", lambda: self._legend_corner("metricPlot", bottom=True))
                color = COLORS[(len([k for k in self.series if k.startswith("eval_")]) + 2) % len(COLORS)]
                self._curve(key, "metricPlot", key[5:], pen=pg.mkPen(color, width=2), symbol="o", symbolSize=5,
                            symbolBrush=color)
            self._push(key, step, value)

    def add_sample(self, sample: Any) -> None:
        x = self._minutes(sample.t)
        if sample.vram_used_frac is not None:
            self._push("vram_used", x, sample.vram_used_frac * 100)
        if sample.torch_reserved_bytes is not None and sample.vram_total_bytes:
            self._push("vram_reserved", x, 100.0 * sample.torch_reserved_bytes / sample.vram_total_bytes)
        self._push("gpu_temp", x, sample.gpu_temp_c)
        self._push("cpu_temp", x, sample.cpu_temp_c)
        if sample.ram_used_frac is not None:
            self._push("ram", x, sample.ram_used_frac * 100)

    def truncate_steps_after(self, step: int) -> None:
        """A resume from checkpoint N continues the step plots from N."""
        for key in ["loss", "loss_smooth", "eval_loss", "lr"] + [k for k in self.series if k.startswith("eval_")]:
            self.series[key].truncate_after(step)
            self._dirty.add(key)
        smooth = self.series["loss_smooth"]
        self._ema_n = smooth.n
        self._ema = smooth.y[smooth.n - 1] * (1 - SMOOTHING ** smooth.n) if smooth.n else 0.0

    def pause_started(self, t: float, step: int) -> None:
        if self._open_pause is not None:
            return
        x = self._minutes(t)
        regions = []
        for plot in ("vramPlot", "tempPlot", "ramPlot"):
            region = pg.LinearRegionItem(values=(x, x), movable=False, brush=PAUSE_BRUSH, pen=pg.mkPen(None))
            region.setZValue(-10)
            self._add(plot, region)
            regions.append(region)
        self.pause_regions.extend(regions)
        self._open_pause = regions
        for plot in ("lossPlot", "lrPlot"):
            # Labelled a quarter of the way up (higher, it ran into the legend, whose three rows reach
            # almost half-way down), on the side of the line with room: pyqtgraph's default anchors put
            # the label left of a line in the right half of the plot.
            mark = pg.InfiniteLine(pos=step, angle=90, pen=MARK_PEN, label=self.tr("paused"),
                                   labelOpts={"position": 0.25, "color": "#ff7f0e"})
            self._add(plot, mark)
            self.pause_marks.append(mark)

    def pause_ended(self, t: float) -> None:
        if self._open_pause is None:
            return
        x = self._minutes(t)
        for region in self._open_pause:
            self._later(self._home[region], lambda region=region: region.setRegion((region.getRegion()[0], x)))
        self._open_pause = None

    @Slot()
    def tick(self) -> None:
        """Timer: redraw the next plot (round robin) that has new data."""
        names = list(self.plots)
        for offset in range(len(names)):
            name = names[(self._turn + offset) % len(names)]
            if self._pending[name] or any(self.plot_of[key] == name for key in self._dirty) or (
                    self._open_pause is not None and name in ("vramPlot", "tempPlot", "ramPlot")):
                self._turn = (self._turn + offset + 1) % len(names)
                self.refresh(name)
                return

    def refresh(self, only: str | None = None) -> None:
        """Push changed buffers and decorations to one plot (or all): the only place that touches the plots."""
        for plot, changes in self._pending.items():
            if only in (None, plot):
                self._pending[plot] = []
                for change in changes:
                    change()
        if self._open_pause is not None:
            for region in self._open_pause:
                if only in (None, self._home[region]):
                    region.setRegion((region.getRegion()[0], self._last_t))
        if not self._dirty:
            return
        dirty = {k for k in self._dirty if only is None or self.plot_of[k] == only}
        self._dirty -= dirty
        for key in dirty:
            x, y = self.series[key].data()
            curve = self.curves[key]
            if len(x) > MAX_SYMBOLS and curve.opts.get("symbol") is not None:
                curve.setSymbol(None)          # thousands of markers cost more than they show
            _few_point_markers(curve, len(x))
            curve.setData(x, y)

    def clear(self) -> None:
        """Empty every curve for a new run; the last run's eval metrics leave the plot and its legend."""
        for key in [k for k in self.series if k.startswith("eval_") and k != "eval_loss"]:
            curve = self.curves.pop(key)
            del self.series[key], self.plot_of[key]
            self._dirty.discard(key)
            self._later("metricPlot", lambda curve=curve: self.plots["metricPlot"].getPlotItem().removeItem(curve))
        for key, series in self.series.items():
            series.n = 0
            self._dirty.add(key)
        for item in self.pause_regions + self.pause_marks:
            self._later(self._home[item], lambda item=item: self._remove(item))
        self._later("metricPlot", lambda: self._legend_corner("metricPlot", bottom=False))
        self.pause_regions, self.pause_marks, self._open_pause = [], [], None
        self.t0, self._ema, self._ema_n, self._last_t = None, 0.0, 0, 0.0
        self.refresh()

    def load_events(self, events: list[dict[str, Any]]) -> None:
        """Draw a finished (or earlier part of a) run from its events.jsonl records."""
        from core.record.events import event_from_dict

        for data in events:
            try:
                event = event_from_dict(data)
            except (TypeError, ValueError):
                continue
            self.add_event(event)
        self.refresh()

    def add_event(self, event: Any) -> None:
        kind = event.type
        if kind == "log":
            self.add_log(event.step, event.loss, event.learning_rate, event.t)
        elif kind == "eval":
            self.add_eval(event.step, event.metrics)
        elif kind == "sample":
            self.add_sample(event)
        elif kind == "status" and event.status == "paused":
            self.pause_started(event.t, event.step)
        elif kind == "status" and event.status in ("resumed", "stopped", "completed", "failed"):
            self.pause_ended(event.t)
        elif kind == "status" and event.status == "started" and event.step:
            self.truncate_steps_after(event.step)

    # ------------------------------------------------------------ export
    def _ask_png(self, widget: pg.PlotWidget) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save plot"), f"{widget.objectName()}.png", "PNG (*.png)")
        if path:
            self.export_png(widget.objectName(), path)

    def _ask_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save metrics"), "metrics.csv", "CSV (*.csv)")
        if path:
            self.export_csv(path)

    def export_png(self, plot: str, path: str | Path) -> None:
        self.refresh()
        self.plots[plot].grab().save(str(path), "PNG")

    def export_csv(self, path: str | Path) -> None:
        """The run's metrics by step: loss, smoothed loss, learning rate and every eval metric."""
        columns = {"loss": "loss", "loss_smoothed": "loss_smooth", "learning_rate": "lr", "eval_loss": "eval_loss"}
        columns.update({k: k for k in sorted(self.series) if k.startswith("eval_") and k != "eval_loss"})
        by_step: dict[float, list[str]] = {}
        for i, key in enumerate(columns.values()):
            xs, ys = self.series[key].data()
            for x, y in zip(xs.tolist(), ys.tolist()):
                by_step.setdefault(x, [""] * len(columns))[i] = f"{y:.6g}"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["step", *columns])
            for step in sorted(by_step):
                writer.writerow([int(step), *by_step[step]])
