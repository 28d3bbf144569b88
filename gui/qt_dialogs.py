"""The app's questions and messages, in one replaceable object (tests swap in one that never blocks)."""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QWidget

from gui.qt_text import failure_texts


class Dialogs(QObject):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = parent

    def failure(self, failure: object) -> None:
        """The one failure dialog: what happened, what to do, where the details are; never a traceback."""
        from PySide6.QtWidgets import QMessageBox

        from gui.qt_core_text import core_text

        title, default_fix = failure_texts(failure.error_type)
        text = core_text(failure.message)
        fix = core_text(failure.fix) if failure.fix else default_fix
        info = self.tr("What to do: {fix}").format(fix=fix)
        if failure.log_path:
            info += "\n\n" + self.tr("Details for a bug report are in {path}").format(path=failure.log_path)
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("failureDialog")
        box.setInformativeText(info)
        box.exec()

    def close_during_run(self) -> str:
        """'stop' (save a checkpoint, then quit), 'tray' (keep training, hide the window) or 'cancel'."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Training is running"),
                          self.tr("A run is in progress. Closing never interrupts a training step."),
                          QMessageBox.StandardButton.NoButton, self.window)
        box.setObjectName("closeDialog")
        stop = box.addButton(self.tr("Save a checkpoint and stop"), QMessageBox.ButtonRole.DestructiveRole)
        tray = box.addButton(self.tr("Keep training in the background"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return "stop" if clicked is stop else "tray" if clicked is tray else "cancel"

    def info(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(self.window, title, text)


class Notifier(QObject):
    """Tray notifications (laptop users walk away); every message is also kept for the log and tests."""

    def __init__(self, icon: QIcon, parent: QWidget) -> None:
        super().__init__(parent)
        self.sent: list[tuple[str, str]] = []
        self.icon = icon
        self.tray = None
        self._checked = False

    def setup(self):
        """Create the tray icon where the desktop has a tray (after the window shows: it is not free)."""
        if not self._checked:
            from PySide6.QtWidgets import QSystemTrayIcon

            self._checked = True
            if QSystemTrayIcon.isSystemTrayAvailable():
                self.tray = QSystemTrayIcon(self.icon, self)
                self.tray.setToolTip("LapTune")
                self.tray.show()
        return self.tray

    def notify(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QSystemTrayIcon

        self.sent.append((title, text))
        tray = self.setup()
        if tray is not None and QSystemTrayIcon.supportsMessages():
            tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 8000)

    def hide(self) -> None:
        if self.tray is not None:
            self.tray.hide()
