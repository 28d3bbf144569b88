"""Work-arounds for bugs in the Qt binding we ship with, each detected at run time (not by version number).

PySide6 6.12.0 on Python 3.11 returns `None`, `True` and `False` to Python without owning a reference:
every void Qt call (`QTimer.start`, `processEvents`, `setObjectName`, ...) takes one reference from `None`,
every `SignalInstance.emit()` one from `True` (it looks built for Python 3.12+, where these objects are
immortal). On Python < 3.12 the interpreter aborts with "Fatal Python error: bool_dealloc" (or
none_dealloc) when a count reaches zero: the app emits on every training event and sensor reading and
pyqtgraph emits on every redraw, so an unpatched app dies after a few thousand signals. These three
objects are never freed anyway, so a reserve of 2**40 references each makes them immortal in effect,
as they are on 3.12. The check makes ten such calls and compares the counts.
"""
from __future__ import annotations

import ctypes
import sys

RESERVE = 1 << 40
_checked: bool | None = None


def binding_steals_references() -> bool:
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(10):
        probe.ping.emit()
        probe.setObjectName("probe")
    after = sys.getrefcount(None), sys.getrefcount(True)
    return after[0] < before[0] or after[1] < before[1]


def protect_bool_refcounts() -> bool:
    """Apply the work-around once if this PySide6 has the bug; returns whether it was needed."""
    global _checked
    if _checked is None:
        _checked = False
        if sys.implementation.name == "cpython" and sys.version_info < (3, 12) and binding_steals_references():
            for value in (None, True, False):
                ctypes.c_ssize_t.from_address(id(value)).value += RESERVE   # ob_refcnt, the first field
            _checked = True
    return _checked
