"""Startup time of the app against a bare QMainWindow, measured in the same run: prints the ratio (target <= 1.5).

Each sample is a fresh process: the clock starts before the interpreter is launched and stops at the
window's first paint. The app's plots (pyqtgraph) load right after that first paint; the time until they
are in place is printed too. Run: python bench/startup.py [--runs 7]   (QT_QPA_PLATFORM=offscreen works)

Both kinds of child start with compiled bytecode for our sources, as an installed app does (pip and PyInstaller
ship .pyc files; a source checkout writes them on its first start): where PYTHONDONTWRITEBYTECODE is set, as
in our dev container, every start would otherwise compile gui/ and core/ again (~50 ms here). The children
write their caches to a temporary PYTHONPYCACHEPREFIX, not into the checkout. --no-bytecode-cache measures
the compile-every-time case.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import sys, time, os
t0 = float(os.environ["LAPTUNE_BENCH_T0"])
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication.instance() or QApplication(["bench"])
mode = sys.argv[1]
if mode == "bare":
    window = QMainWindow()
    window.resize(1366, 740)
else:
    from gui.app import build_main_window
    window = build_main_window()
result = {}

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "paint" not in result:
            result["paint"] = time.time() - t0
            QTimer.singleShot(0, after_paint)
        return False

def after_paint():
    if mode == "app":
        window.ensure_plots()          # what the window's own timer does 30 ms after showing
        app.processEvents()
        result["ready"] = time.time() - t0
        result["torch"] = "torch" in sys.modules or "transformers" in sys.modules
    app.quit()

watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
app.exec()
print(result.get("paint"), result.get("ready"), result.get("torch"))
window.close()
"""


ENV: dict[str, str] = {}


def sample(mode: str) -> tuple[float, float | None, bool]:
    env = {**os.environ, **ENV, "LAPTUNE_BENCH_T0": repr(time.time())}
    out = subprocess.run([sys.executable, "-c", CHILD, mode], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{out.stderr[-3000:]}")
    paint, ready, torch = out.stdout.strip().splitlines()[-1].split()
    return float(paint), None if ready == "None" else float(ready), torch == "True"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-bytecode-cache", action="store_true", help="compile our sources at every start")
    args = parser.parse_args()
    if not args.no_bytecode_cache:
        import tempfile

        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        ENV["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="laptune-pycache-")
    sample("bare"), sample("app")          # warm the file cache for both
    bare, app, ready, torch = [], [], [], False
    for _ in range(args.runs):             # interleaved, so a busy machine slows both alike
        bare.append(sample("bare")[0])
        paint, full, imported = sample("app")
        app.append(paint)
        ready.append(full or paint)
        torch = torch or imported
    b, a, r = statistics.median(bare), statistics.median(app), statistics.median(ready)
    print(f"platform: {os.environ.get('QT_QPA_PLATFORM') or 'default'}, runs: {args.runs} each (median), "
          f"bytecode: {'compiled at every start' if args.no_bytecode_cache else 'cached, as installed'}")
    print(f"bare QMainWindow first paint:     {b * 1000:7.0f} ms")
    print(f"LapTune main window first paint:  {a * 1000:7.0f} ms")
    print(f"LapTune with plots loaded:        {r * 1000:7.0f} ms")
    print(f"ratio (first paint): {a / b:.2f}x (target <= 1.5x); with plots: {r / b:.2f}x")
    print(f"torch/transformers imported at startup: {'YES (bad)' if torch else 'no'}")
    return 0 if a / b <= 1.5 and not torch else 1


if __name__ == "__main__":
    sys.exit(main())
