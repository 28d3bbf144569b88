"""The tray on an X11 desktop that has one (Xvfb + trayer): docs/screenshots/check_tray.py's eight checks.

Offscreen Qt has no tray, so the other GUI tests check what the app sends (Notifier.sent); this one checks
that a real tray shows the icon and the balloons and that the icon brings the window back. It needs the
`Xvfb` and `trayer` programs (Debian/Ubuntu: apt-get install xvfb trayer; xdotool for the icon click) and
says so when they are missing.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MISSING = [tool for tool in ("Xvfb", "trayer") if shutil.which(tool) is None]


def _free_display() -> int:
    for number in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number between :90 and :139")


@pytest.mark.skipif(sys.platform != "linux" or bool(MISSING),
                    reason=f"needs Linux with Xvfb and trayer installed (missing: {', '.join(MISSING) or 'not Linux'}); "
                           "apt-get install xvfb trayer xdotool")
def test_tray_notifications_and_restore_on_a_desktop_with_a_tray(tmp_path):
    display = f":{_free_display()}"
    env = {**os.environ, "DISPLAY": display, "LAPTUNE_HOME": str(tmp_path / "home")}
    env.pop("QT_QPA_PLATFORM", None)               # the real X11 platform, not offscreen
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tray = None
    try:
        time.sleep(1.0)
        tray = subprocess.Popen(["trayer", "--edge", "bottom", "--align", "right", "--widthtype", "pixel",
                                 "--width", "120", "--height", "28"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)
        result = subprocess.run([sys.executable, str(ROOT / "docs" / "screenshots" / "check_tray.py"), "--out", str(tmp_path)],
                                env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
        checks = [line for line in result.stdout.splitlines() if line.startswith(("PASS", "FAIL"))]
        assert result.returncode == 0 and len(checks) == 8 and all(c.startswith("PASS") for c in checks), \
            result.stdout + result.stderr[-3000:]
        assert (tmp_path / "tray-paused-en.png").stat().st_size > 10_000
    finally:
        for proc in (tray, xvfb):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=10)
