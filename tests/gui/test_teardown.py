"""Closing LapTune in any order never aborts: the sensor thread is stopped whether the window is closed, deleted,
or never closed at all when the application object or the interpreter goes away (seen before: "QThread:
Destroyed while thread 'laptune-sensors' is still running", then SIGABRT), nor when a run is still going (it is
asked to stop, saving a checkpoint, and waited for). Each order runs in a process of its own."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

SCRIPT = r'''
import sys, time
order = sys.argv[1]
from core.machine.fakes import fake_probe
from gui.app import ensure_app, build_main_window
app = ensure_app()
w = build_main_window(probe=fake_probe("cpu-only"))
w.show()
end = time.monotonic() + 10
while not w.monitor.thread.isRunning() and time.monotonic() < end:
    app.processEvents()
    time.sleep(0.01)
app.processEvents()
assert w.monitor.thread.isRunning(), "the sensor thread never started"
if order == "app-then-window":
    del app
    del w
elif order == "window-then-app":
    del w
    del app
elif order == "exit-with-both":
    sys.exit(0)
elif order == "quit":
    from PySide6.QtCore import QTimer
    QTimer.singleShot(50, app.quit)
    app.exec()
elif order == "delete-window":
    w.deleteLater()
    app.processEvents()
    del w
elif order == "close":
    w.close()
    app.processEvents()
elif order == "exit-during-run":
    # A run is going (a stand-in job that trains until asked to stop) when the interpreter exits.
    def job(emit, control):
        while not control.stop_requested:
            time.sleep(0.02)
        print("run asked to stop:", control.stop_reason, flush=True)
        return {"status": "stopped"}
    w.controller.start(job)
    app.processEvents()
    assert w.controller.thread.isRunning()
    sys.exit(0)
print("clean end")
'''
ORDERS = ("app-then-window", "window-then-app", "exit-with-both", "quit", "delete-window", "close", "exit-during-run")


def test_every_teardown_order_ends_without_abort(tmp_path):
    script = tmp_path / "teardown.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "LAPTUNE_HOME": str(tmp_path)}
    procs = {order: subprocess.Popen([sys.executable, str(script), order], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True) for order in ORDERS}
    failures = []
    for order, proc in procs.items():
        try:
            out, _ = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail(f"{order}: hung on teardown")
        if proc.returncode != 0 or "QThread: Destroyed" in out:
            failures.append(f"{order}: exit {proc.returncode}\n{out[-800:]}")
        elif order == "exit-during-run" and "run asked to stop: the app was closed" not in out:
            failures.append(f"{order}: the run was not stopped before exit\n{out[-800:]}")
        elif not order.startswith("exit-") and "clean end" not in out:
            failures.append(f"{order}: did not reach the end\n{out[-800:]}")
    assert not failures, "\n".join(failures)
