"""The first window is sized from the screen's available area (1280x720 logical, less a taskbar, on many Windows
laptops at 150 %), and the size the user leaves is used again next time."""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize


def test_first_size_fits_a_1280x720_screen_and_keeps_the_layout_minimum():
    from gui.qt_geometry import DEFAULT_SIZE, first_size

    small = QRect(0, 0, 1280, 680)
    size = first_size(small, QSize(938, 430))
    assert size.width() <= 1280 and size.height() <= 680 and size.width() >= 938 and size.height() >= 430
    assert first_size(QRect(0, 0, 2560, 1400), QSize(938, 430)) == DEFAULT_SIZE     # large screens: the default
    assert first_size(QRect(0, 0, 800, 600), QSize(938, 430)).width() == 800         # never wider than the screen


def test_the_window_opens_within_the_available_area_and_is_remembered(make_window, qtbot, monkeypatch):
    from gui import qt_geometry

    monkeypatch.setattr(qt_geometry, "available_area", lambda window: QRect(0, 0, 1280, 680))
    window = make_window()
    assert window.minimumSizeHint().width() <= 1280 and window.minimumSizeHint().height() <= 680
    assert window.width() <= 1280 and window.height() <= 680
    window.show()
    window.close()          # saves the geometry the user left
    from gui.app import settings

    saved = settings().value(qt_geometry.KEY)
    assert saved is not None and len(bytes(saved)) > 0
    from gui.qt_main import MainWindow

    restored = []
    monkeypatch.setattr(MainWindow, "restoreGeometry", lambda self, data: restored.append(bytes(data)) or True)
    monkeypatch.setattr(qt_geometry, "_fits_a_screen", lambda frame: True)
    make_window()
    assert restored == [bytes(saved)]   # the next window takes it (the 800x800 test screen cannot show 1280 wide)
