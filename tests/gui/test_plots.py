"""The live plots on their own: buffers, one plot redrawn per timer tick (decorations included), downsampling,
threshold lines, pauses, a resumed run continuing its step curves, CSV export."""
from __future__ import annotations

import time
from types import SimpleNamespace

import numpy as np
import pytest

TIME_PLOTS = ("vramPlot", "tempPlot", "ramPlot")


@pytest.fixture
def panel(qtbot):
    from gui.qt_plots import PlotPanel

    widget = PlotPanel()
    widget._timer.stop()              # the tests drive the ticks themselves
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    widget.show()
    return widget


def _items(panel, plot: str, kind: str) -> list:
    return [i for i in panel.plots[plot].getPlotItem().vb.addedItems if type(i).__name__ == kind]


def _ticks_until_idle(panel, limit: int = 50) -> list[str]:
    """Run timer ticks until nothing is due; returns which plot each tick redrew."""
    redrawn: list[str] = []
    original = panel.refresh

    def spy(only=None):
        redrawn.append(only)
        original(only)

    panel.refresh = spy
    try:
        for _ in range(limit):
            before = len(redrawn)
            panel.tick()
            if len(redrawn) == before and panel._open_pause is None:
                break
    finally:
        del panel.refresh
    return redrawn


def test_series_grow_and_truncate() -> None:
    from gui.qt_plots import Series

    s = Series(capacity=2)
    for i in range(5):
        s.append(i, 10 * i)
    s.extend(np.arange(5, 3000), np.zeros(2995))
    assert s.n == 3000 and s.data()[0][-1] == 2999 and s.data()[1][4] == 40
    s.truncate_after(2.5)
    assert s.n == 3 and list(s.data()[0]) == [0, 1, 2]


def test_a_pause_touches_one_plot_per_tick(panel) -> None:
    """A guard pause decorates five plots; each timer tick applies one plot's changes, never several at once."""
    panel.add_log(10, 1.0, 1e-4, t=time.time())
    _ticks_until_idle(panel)
    panel.pause_started(time.time(), 10)
    assert not any(_items(panel, p, "LinearRegionItem") for p in TIME_PLOTS)    # nothing drawn yet
    redrawn = []
    for _ in range(6):
        before = {p: len(panel.plots[p].getPlotItem().vb.addedItems) for p in panel.plots}
        panel.tick()
        changed = [p for p in panel.plots if len(panel.plots[p].getPlotItem().vb.addedItems) != before[p]]
        assert len(changed) <= 1, changed
        redrawn += changed
    assert sorted(redrawn) == sorted(("lossPlot", "lrPlot") + TIME_PLOTS)
    assert all(len(_items(panel, p, "LinearRegionItem")) == 1 for p in TIME_PLOTS)
    assert all(len(_items(panel, p, "InfiniteLine")) == 1 for p in ("lossPlot", "lrPlot"))

    start = _items(panel, "tempPlot", "LinearRegionItem")[0].getRegion()[0]
    panel.pause_ended(time.time() + 30)          # half a minute later
    _ticks_until_idle(panel)
    for plot in TIME_PLOTS:
        lo, hi = _items(panel, plot, "LinearRegionItem")[0].getRegion()
        assert lo == start and hi == pytest.approx(start + 0.5, abs=0.01)

    panel.clear()
    _ticks_until_idle(panel)
    assert not any(_items(panel, p, "LinearRegionItem") for p in TIME_PLOTS)
    assert not any(_items(panel, p, "InfiniteLine") for p in ("lossPlot", "lrPlot"))


def test_threshold_lines_follow_the_guard_settings(panel) -> None:
    from core.config.schema import GuardSection

    panel.set_guard(GuardSection())
    _ticks_until_idle(panel)
    temp_lines = {line.value(): line for line in _items(panel, "tempPlot", "InfiniteLine")}
    assert set(temp_lines) == {85.0, 75.0, 92.0}
    labels = {line.label.toPlainText() for line in temp_lines.values()}
    assert labels == {"pause 85", "resume 75", "stop 92"}
    # Two close lines: the upper label above its line, the lower one below (no stacked labels).
    vram = {line.value(): line.label.anchor for line in _items(panel, "vramPlot", "InfiniteLine")}
    assert vram[95.0].y() == 1 and vram[90.0].y() == 0

    panel.set_guard(GuardSection(gpu_temp_pause_c=80, gpu_temp_resume_c=70))
    _ticks_until_idle(panel)
    assert {line.value() for line in _items(panel, "tempPlot", "InfiniteLine")} == {80.0, 70.0, 92.0}
    panel.set_guard(GuardSection(enabled=False))
    _ticks_until_idle(panel)
    assert not any(_items(panel, p, "InfiniteLine") for p in TIME_PLOTS)


def test_a_hundred_thousand_points_are_downsampled_for_drawing(panel, qtbot) -> None:
    steps = np.arange(1, 100_001, dtype=float)
    panel.series["loss"].extend(steps, np.exp(-steps / 30_000))
    panel._dirty.add("loss")
    panel.refresh()
    qtbot.wait(100)                               # a paint: the view ranges itself to the data
    curve = panel.curves["loss"]
    assert curve.xData.size == 100_000
    drawn = curve.curve.xData                     # what the PlotCurveItem draws
    assert 0 < drawn.size < 5_000                 # peak downsampling: a few points per pixel of a ~300 px plot
    block = 2 * 100_000 / drawn.size              # peak mode keeps a min and a max per block
    assert drawn[0] <= 1 + block and drawn[-1] >= 100_000 - block   # ... over the whole range


def test_sensor_samples_and_a_resumed_run(panel, tmp_path) -> None:
    t0 = time.time()
    for i in range(3):
        panel.add_sample(SimpleNamespace(t=t0 + 60 * i, vram_used_frac=0.5, torch_reserved_bytes=2 << 30,
                                         vram_total_bytes=8 << 30, gpu_temp_c=70.0 + i, cpu_temp_c=None,
                                         ram_used_frac=0.25))
    assert list(panel.series["gpu_temp"].data()[0]) == [0.0, 1.0, 2.0]          # minutes since the first sample
    assert panel.series["vram_reserved"].data()[1][0] == pytest.approx(25.0)
    assert panel.series["cpu_temp"].n == 0                                         # no reading, no point
    for step in range(1, 11):
        panel.add_log(step, 2.0 / step, 1e-4)
    panel.add_eval(5, {"eval_loss": 0.5, "eval_f1": 0.7, "eval_runtime": 3.0})
    assert "eval_f1" in panel.series and "eval_runtime" not in panel.series
    panel.truncate_steps_after(5)                 # resumed from checkpoint 5: steps 6-10 come again
    assert panel.series["loss"].n == 5 and panel.series["loss_smooth"].n == 5
    for step in range(6, 9):
        panel.add_log(step, 0.1, 1e-4)
    xs = panel.series["loss"].data()[0]
    assert list(xs) == [1, 2, 3, 4, 5, 6, 7, 8]

    panel.export_csv(tmp_path / "m.csv")
    rows = (tmp_path / "m.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "step,loss,loss_smoothed,learning_rate,eval_loss,eval_f1"
    assert rows[5].startswith("5,0.4,") and rows[5].endswith(",0.5,0.7") and len(rows) == 9


def test_a_new_run_starts_with_its_own_metrics_and_legend(panel) -> None:
    """Accuracy climbs: its legend moves to the bottom; the next run (perplexity) gets a clean plot, legend on top."""
    panel.add_eval(10, {"eval_loss": 1.0, "eval_accuracy": 0.5, "eval_macro_f1": 0.4})
    _ticks_until_idle(panel)
    legend = panel.plots["metricPlot"].getPlotItem().legend
    assert [label.text for _, label in legend.items] == ["accuracy", "macro_f1"]
    view = panel.plots["metricPlot"].getPlotItem().vb
    assert legend.opts["offset"][1] < 0                 # anchored at the bottom
    assert legend.mapRectToScene(legend.boundingRect()).center().y() > view.mapRectToScene(view.boundingRect()).center().y()
    panel.clear()
    panel.add_eval(10, {"eval_loss": 2.0, "eval_perplexity": 7.4})
    _ticks_until_idle(panel)
    assert [label.text for _, label in legend.items] == ["perplexity"]
    assert legend.opts["offset"][1] > 0                 # back at the top: perplexity falls
    assert legend.mapRectToScene(legend.boundingRect()).center().y() < view.mapRectToScene(view.boundingRect()).center().y()
    assert "eval_accuracy" not in panel.series and panel.series["eval_loss"].n == 1
