"""The main window's first size and place: from the screen's available area, then as the user left it.

Windows' default on many 14-15" laptops is 1920x1080 at 150 %: 1280x720 logical pixels, less the taskbar. A fixed
1366x740 start size put the learning-rate and RAM plots and the bottom of the log off screen there. The first
window takes at most the default size and at most ~95 % of the available area (never less than the layout's
minimum), centred; afterwards the geometry the user left is restored, when it still fits a screen.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QGuiApplication

DEFAULT_SIZE = QSize(1366, 740)
KEY = "window/geometry"


def first_size(available: QRect, minimum: QSize, default: QSize = DEFAULT_SIZE) -> QSize:
    width = min(default.width(), int(available.width() * 0.96))
    height = min(default.height(), int(available.height() * 0.94))
    return QSize(max(width, min(minimum.width(), available.width())), max(height, min(minimum.height(), available.height())))


def available_area(window: Any) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, DEFAULT_SIZE.width(), DEFAULT_SIZE.height())


def _fits_a_screen(frame: QRect) -> bool:
    return any(screen.availableGeometry().intersected(frame).width() >= min(200, frame.width())
               for screen in QGuiApplication.screens())


def place(window: Any, settings: Any) -> None:
    """Restore the user's geometry, or size and centre the first window on the available area."""
    saved = settings.value(KEY) if settings is not None else None
    if isinstance(saved, (QByteArray, bytes)) and window.restoreGeometry(QByteArray(saved)) and _fits_a_screen(window.geometry()):
        return
    area = available_area(window)
    size = first_size(area, window.minimumSizeHint())
    window.resize(size)
    window.move(area.x() + max(0, (area.width() - size.width()) // 2), area.y() + max(0, (area.height() - size.height()) // 2))


def app_settings() -> Any:
    """The app's settings file (the same one gui.app.settings opens), or None where it cannot be opened."""
    from PySide6.QtCore import QSettings

    from core.config.paths import user_data_dir

    try:
        return QSettings(str(user_data_dir() / "settings.ini"), QSettings.Format.IniFormat)
    except OSError:
        return None


def remember(window: Any, settings: Any) -> None:
    if settings is not None:
        settings.setValue(KEY, window.saveGeometry())
