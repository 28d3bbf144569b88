"""The desktop app: QApplication, translations (English, Simplified Chinese) and the main window.

`build_main_window(probe=None)` returns the window without entering the event loop (entry point, tests,
self-test); `main(argv)` runs the app. torch and transformers are not imported here: a run imports them
on its worker thread, and pyqtgraph loads just after the window shows.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from core.config.paths import resource_path, user_data_dir

LANGUAGES = ("en", "zh_CN")
SWITCH_INTERVAL_S = 0.001


def settings() -> QSettings:
    return QSettings(str(user_data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def system_language() -> str:
    return "zh_CN" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def chosen_language() -> str:
    value = settings().value("language", "")
    return value if value in LANGUAGES else system_language()


class Translations:
    """Our translator plus Qt's own (standard buttons), swapped together."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.installed: list[QTranslator] = []
        self.language = "en"

    def install(self, language: str) -> bool:
        for translator in self.installed:
            self.app.removeTranslator(translator)
        self.installed = []
        self.language = language
        locale = QLocale(QLocale.Language.Chinese, QLocale.Country.China) if language == "zh_CN" else QLocale(QLocale.Language.English)
        QLocale.setDefault(locale)
        if language == "en":
            return True
        ours = QTranslator(self.app)
        ok = ours.load(str(resource_path("translations", f"laptune_{language}.qm")))
        if ok:
            self.app.installTranslator(ours)
            self.installed.append(ours)
        qt = QTranslator(self.app)
        if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            self.app.installTranslator(qt)
            self.installed.append(qt)
        return ok


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 32, 48, 256):
        path = resource_path("icons", f"laptune-{size}.png")
        if path.exists():
            icon.addFile(str(path))
    return icon


def ensure_app(argv: list[str] | None = None) -> QApplication:
    from gui.qt_compat import protect_bool_refcounts

    protect_bool_refcounts()     # PySide6 6.12 on Python 3.11 would abort after a few thousand signals
    # The GUI thread gives up the GIL in every Qt call that may block and must win it back afterwards; while
    # the run's thread executes Python, each win-back can wait up to the switch interval (default 5 ms), and a
    # repaint makes dozens of such calls. 1 ms keeps that wait short; training loses little (its heavy work
    # runs in torch with the GIL released). See docs/benchmarks.md, "GUI startup and responsiveness".
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    app = QApplication.instance()
    if app is None:
        app = QApplication(["laptune"] + list(argv or []))
    app.setApplicationName("LapTune")
    app.setOrganizationName("LapTune")
    return app


def app_translations(app: Any) -> Translations:
    """The application's one Translations (made on first use), which the windows and tests switch."""
    translations = getattr(app, "_laptune_translations", None)
    if translations is None:
        translations = Translations(app)
        app._laptune_translations = translations
    return translations


def build_main_window(probe: Any = None, language: str | None = None) -> Any:
    """The main window, translated, not yet shown. `probe`: a HardwareSnapshot (e.g. fake_probe) or a callable."""
    from gui.qt_main import MainWindow

    app = ensure_app()
    translations = app_translations(app)
    language = language or chosen_language()
    if language != translations.language or (language != "en" and not translations.installed):
        translations.install(language)
    return MainWindow(probe=probe, icon=app_icon(), language=language)


class _Holder:
    """Keeps the current window and rebuilds it when the language changes while idle."""

    def __init__(self, app: QApplication, window: Any) -> None:
        self.app, self.window = app, window
        window.languageRequested.connect(self.change_language)

    def change_language(self, language: str) -> None:
        settings().setValue("language", language)
        old = self.window
        if old.state != "idle":
            old.dialogs.info(QCoreApplication.translate("MainWindow", "Language"),
                             QCoreApplication.translate("MainWindow", "The new language applies when the current run "
                                                                      "ends and LapTune is started again."))
            return
        geometry = old.saveGeometry()
        new = build_main_window(probe=old.fixed_hw or old.probe_source, language=language)
        new.restoreGeometry(geometry)
        new.wizard_defaults = old.wizard_defaults
        new.languageRequested.connect(self.change_language)
        self.window = new
        new.show()
        old.close()
        old.deleteLater()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--verbose" not in argv:
        from core.record import noise

        noise.quiet_libraries()   # the libraries' warnings go to each run's library.log, not the app's terminal
    app = ensure_app([a for a in argv if a != "--verbose"])
    app.setQuitOnLastWindowClosed(True)
    window = build_main_window()
    window.preload_runtime = True
    holder = _Holder(app, window)
    window.show()
    code = app.exec()
    del holder
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
