"""GUI responsiveness during a run with 100 000 points per curve: event-loop stalls, p50/p99 (target: none > 50 ms).

A 5 ms QTimer on the GUI thread records how late each tick fires; lateness is the time the event loop was
busy (redraws, event handling). The window is the real one: plots filled with 100 000 points per curve,
then a run through the real bridge (RunController, worker QThread) whose job emits what a fast run emits
-- a Log every 20 ms, a Sample every 100 ms, an Eval every second, guard pauses -- for --seconds. With
--real the job is the CPU demo training instead (slower event rate, but real torch work competing for
the GIL). Before a --real run the app's background preload of torch & co. (gui/qt_preload.py) runs and is
measured on its own line; --no-preload leaves the imports to the run's worker thread, as before.
With --download MB the wizard's Download now panel fetches an MB-sized model from a local hub instead of a run.
Run: QT_QPA_PLATFORM=offscreen python bench/gui_latency.py [--seconds 10] [--real [--steps 80] [--trace F] [--cpu-threads N] | --idle | --download MB] [--no-preload]
"""
from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
POINTS = 100_000
INTERVAL_MS = 5


def synthetic_job(seconds: float, start_step: int, t0: float):
    from core.record.events import Eval, GuardAction, Log, Sample, Status

    def job(emit, control) -> dict:
        rng = random.Random(0)
        step, now = start_step, time.time()
        emit(Status(status="started", total_steps=start_step + int(seconds * 50), step=step))
        end = time.monotonic() + seconds
        next_sample = next_eval = time.monotonic()
        paused = False
        while time.monotonic() < end and not control.stop_requested:
            step += 1
            emit(Log(step=step, loss=2.0 * math.exp(-step / 80_000) + 0.1 * rng.random(), learning_rate=1e-4))
            tick = time.monotonic()
            if tick >= next_sample:
                next_sample = tick + 0.1
                temp = 80 + 8 * math.sin(tick)
                emit(Sample(t=time.time(), gpu_temp_c=temp, vram_used_frac=0.7 + 0.1 * rng.random(), ram_used_frac=0.5))
                if temp > 86 and not paused:
                    paused = True
                    emit(GuardAction(step=step, action="pause", rule="gpu_temp", value=temp, threshold=85.0,
                                     message=f"GPU {temp:.0f} °C ≥ 85 °C: paused; resumes below 75 °C"))
                    emit(Status(step=step, status="paused"))
                elif temp < 75 and paused:
                    paused = False
                    emit(Status(step=step, status="resumed"))
            if tick >= next_eval:
                next_eval = tick + 1.0
                emit(Eval(step=step, metrics={"eval_loss": 1.0, "eval_accuracy": 0.5 + 0.4 * rng.random()}))
            time.sleep(0.02)
        return {"status": "completed", "global_step": step, "wall_seconds": time.time() - now}
    return job


def fill(plots, t0: float, first_step: int = 1) -> None:
    """100 000 points in every step curve and every time curve, as a long run would have."""
    import numpy as np

    steps = np.arange(first_step, first_step + POINTS, dtype=float)
    rng = np.random.default_rng(0)
    curves = {"loss": 2 * np.exp(-steps / 30_000) + 0.1 * rng.random(POINTS), "lr": 1e-4 * (1 - steps / POINTS)}
    curves["loss_smooth"] = curves["loss"]
    for key, ys in curves.items():
        plots.series[key].extend(steps, ys)
    plots.add_eval(first_step, {"eval_accuracy": 0.5})
    plots.series["eval_accuracy"].extend(steps[1:], 0.5 + 0.4 * rng.random(POINTS - 1))
    plots.series["eval_loss"].extend(steps, curves["loss"])
    minutes = np.linspace(0, 600, POINTS)
    plots.t0 = t0 - 600 * 60
    for key, ys in {"vram_used": 70 + 10 * rng.random(POINTS), "vram_reserved": 60 + 5 * rng.random(POINTS),
                    "gpu_temp": 75 + 10 * rng.random(POINTS), "cpu_temp": 60 + 10 * rng.random(POINTS),
                    "ram": 50 + 5 * rng.random(POINTS)}.items():
        plots.series[key].extend(minutes - 600, ys)
    plots._dirty.update(plots.series)
    plots.refresh()


SERVER = """
import os, sys, time
from tests.hubserver import FakeRepo, HubServer
with HubServer() as server:
    server.state.add(FakeRepo("bench/model", {"config.json": b"{}", "model.safetensors": os.urandom(int(sys.argv[1]) << 20)}))
    print(server.url, flush=True)
    time.sleep(3600)
"""


def download_mode(app, window, measure, mb: int) -> int:
    """The download panel of the wizard's model page fetching an MB-sized model over HTTP on a worker thread
    (hashing as it streams), with the window's plots full: the GUI thread only updates a label and a bar."""
    from huggingface_hub import constants

    from gui.qt_download import DownloadPanel

    import subprocess

    home = tempfile.mkdtemp(prefix="laptune-bench-dl-")
    os.environ.update({"HF_HOME": home, "HF_HUB_OFFLINE": "0"})
    constants.HF_HUB_OFFLINE = False
    # The hub runs in its own process, as a real one would: not competing with the GUI thread for the GIL.
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(mb)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        os.environ["HF_ENDPOINT"] = server.stdout.readline().strip()
        panel = DownloadPanel()
        panel.sourceCombo.setCurrentIndex(panel.sourceCombo.findData("hf"))
        panel.show()
        panel.set_model("bench/model")
        while "To download" not in panel.stateLabel.text():
            app.processEvents()
            time.sleep(0.01)
        started = time.monotonic()
        panel.start_download()
        gaps = measure(lambda: panel.busy())
        seconds = time.monotonic() - started
        for _ in range(50):   # the worker's last queued signal
            app.processEvents()
            time.sleep(0.002)
        done = "In cache" in panel.stateLabel.text()
        if not done:
            print(panel.stateLabel.text())
        panel.close()
    finally:
        server.kill()
    window.close()
    gaps.sort()
    over = sum(1 for g in gaps if g > 50)
    print(f"download of {mb} MB through the wizard's panel in {seconds:.1f} s ({'complete' if done else 'NOT complete'}): "
          f"event-loop stall p50 {statistics.median(gaps):.1f} ms, p99 {gaps[int(0.99 * (len(gaps) - 1))]:.1f} ms, "
          f"max {gaps[-1]:.1f} ms, {over} of {len(gaps)} ticks late by > 50 ms (target: none)")
    return 0 if over == 0 and done else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--real", action="store_true", help="train the CPU demo instead of the synthetic event stream")
    parser.add_argument("--steps", type=int, default=80, help="training steps of the --real run")
    parser.add_argument("--trace", help="with --real: replay this sensor trace (e.g. tests/fixtures/traces/hot_gpu_fast.jsonl: "
                        "the guard pauses and resumes the run)")
    parser.add_argument("--cpu-threads", type=int, default=None,
                        help="with --real: fix torch's threads (default: the run measures them), e.g. 2 on 2 cores")
    parser.add_argument("--idle", action="store_true", help="no run: the event loop's lateness with the full plots idle")
    parser.add_argument("--download", type=int, metavar="MB",
                        help="no run: the wizard's Download now of an MB-sized model from a local hub (tests/hubserver.py)")
    parser.add_argument("--no-preload", action="store_true",
                        help="start the run without the app's background preload of torch & co. (the worker imports them)")
    args = parser.parse_args()
    os.environ.setdefault("LAPTUNE_HOME", tempfile.mkdtemp(prefix="laptune-bench-"))

    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from core.machine.fakes import fake_probe
    from gui.app import build_main_window, ensure_app
    from gui.qt_worker import train_job

    app = ensure_app()
    window = build_main_window(fake_probe("laptop-4060-8gb"), language="en")
    window.resize(1366, 740)
    window.show()
    plots = window.ensure_plots()
    t0 = time.time()
    # A real run counts steps from 1: its 100 000 earlier points sit at negative steps, so x stays sorted.
    fill(plots, t0, first_step=-POINTS if args.real else 1)
    for _ in range(20):
        app.processEvents()

    def measure(busy) -> list[float]:
        """Lateness of a 5 ms timer on the GUI thread while busy() is true."""
        gaps: list[float] = []
        clock = QElapsedTimer()
        ticker = QTimer()
        ticker.setInterval(INTERVAL_MS)
        last = [0.0]

        def tick() -> None:
            now = clock.nsecsElapsed() / 1e6
            if last[0]:
                gaps.append(max(0.0, now - last[0] - INTERVAL_MS))
            last[0] = now

        ticker.timeout.connect(tick)
        clock.start()
        ticker.start()
        started = time.monotonic()
        while busy():
            app.processEvents()
            time.sleep(0.001)
            if time.monotonic() - started > 600:
                window.controller.stop("benchmark timeout")
        ticker.stop()
        return gaps

    preload_gaps: list[float] | None = None
    if args.real and not args.no_preload:
        # What the app does a few seconds after its window shows (gui/qt_preload.py): import the training
        # stack in the background while the user is still in the wizard. Measured separately.
        from gui import qt_preload

        t_pre = time.monotonic()
        thread = qt_preload.start_background()
        preload_gaps = measure(lambda: thread is not None and thread.is_alive())
        preload_s = time.monotonic() - t_pre

    if args.download:
        return download_mode(app, window, measure, args.download)
    if args.idle:
        started = time.monotonic()
        gaps = measure(lambda: time.monotonic() - started < args.seconds)
        gaps.sort()
        print(f"idle window with the plots full, {args.seconds:g} s (the machine's noise floor): p50 {statistics.median(gaps):.1f} ms, "
              f"p99 {gaps[int(0.99 * (len(gaps) - 1))]:.1f} ms, max {gaps[-1]:.1f} ms, "
              f"{sum(1 for g in gaps if g > 50)} of {len(gaps)} ticks late by > 50 ms")
        window.close()
        return 0
    if args.real:
        from gui.qt_wizard import PresetWizard

        wizard = PresetWizard(window.fixed_hw, window, initial_preset="demo", sensor_trace=args.trace,
                              extra_overrides={"training.max_steps": args.steps, "training.logging_steps": 1, "training.eval_steps": 20,
                                               **({"device.cpu_threads": args.cpu_threads} if args.cpu_threads else {})})
        plan = wizard.make_plan()
        wizard.deleteLater()
        window.set_state("starting")
        window.controller.start(train_job(plan))
    else:
        window.controller.start(synthetic_job(args.seconds, POINTS, t0))
        window.set_state("starting")
    started = time.monotonic()
    gaps = measure(lambda: window.controller.active)
    window.close()

    if preload_gaps:
        preload_gaps.sort()
        print(f"preload (idle window, torch & co. imported on a background thread, {preload_s:.1f} s): "
              f"p50 {statistics.median(preload_gaps):.1f} ms, p99 {preload_gaps[int(0.99 * (len(preload_gaps) - 1))]:.1f} ms, "
              f"max {preload_gaps[-1]:.1f} ms, {sum(1 for g in preload_gaps if g > 50)} of {len(preload_gaps)} ticks late by > 50 ms")
    gaps.sort()
    p50, p99 = statistics.median(gaps), gaps[int(0.99 * (len(gaps) - 1))]
    over = sum(1 for g in gaps if g > 50)
    print(f"curves: {POINTS:,} points each (loss now {plots.series['loss'].n:,}, GPU temperature "
          f"{plots.series['gpu_temp'].n:,}); run: {'CPU demo training' if args.real else 'synthetic events'} "
          f"for {time.monotonic() - started:.1f} s")
    print(f"run: event-loop stall over a {INTERVAL_MS} ms timer: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {gaps[-1]:.1f} ms, "
          f"{over} of {len(gaps)} ticks late by > 50 ms (target: none)")
    return 0 if over == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
