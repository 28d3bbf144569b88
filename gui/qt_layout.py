"""The main window's widgets and menus (gui/qt_main.py holds its behaviour).

Strings here use gui.qt_text.tr (the translation file's general context), like the other plain-words texts.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QSplitter, QVBoxLayout, QWidget

from gui.qt_hardware import HardwarePanel
from gui.qt_runs import RunsView
from gui.qt_text import tr

BUTTONS = ("newRunButton", "startButton", "pauseButton", "resumeButton", "stopButton", "resumeCheckpointButton",
           "openRunButton")


def build_layout(self: Any) -> None:
    split = QSplitter()    # horizontal by default
    left = QWidget()
    lv = QVBoxLayout(left)
    lv.setContentsMargins(6, 6, 0, 6)
    self.hardware = HardwarePanel()
    lv.addWidget(self.hardware)
    lv.addWidget(QLabel(tr("Runs (double-click to show):")))
    self.runsView = RunsView()
    self.runsView.runActivated.connect(self.open_run)
    lv.addWidget(self.runsView, 1)
    split.addWidget(left)
    right = QWidget()
    rv = QVBoxLayout(right)
    rv.setContentsMargins(0, 6, 6, 6)
    bar = QHBoxLayout()
    labels = {"newRunButton": tr("New run..."), "startButton": tr("Start"), "pauseButton": tr("Pause"),
              "resumeButton": tr("Resume"), "stopButton": tr("Stop (save first)"),
              "resumeCheckpointButton": tr("Resume from checkpoint..."), "openRunButton": tr("Open run...")}
    tips = {"newRunButton": tr("Choose a preset, data and settings in the wizard"),
            "startButton": tr("Start the run set up in the wizard again, as a new run"),
            "pauseButton": tr("Pause after the current step; the GPU cools down and memory is freed"),
            "resumeButton": tr("Continue a paused run"),
            "stopButton": tr("Save a checkpoint, then stop; the run can be resumed later"),
            "resumeCheckpointButton": tr("Continue a stopped run from one of its checkpoints"),
            "openRunButton": tr("Show the plots of a past run")}
    self.buttons: dict[str, QPushButton] = {}
    for name in BUTTONS:
        button = QPushButton(labels[name])
        button.setObjectName(name)
        button.setToolTip(tips[name])
        button.setAccessibleName(labels[name])
        bar.addWidget(button)
        self.buttons[name] = button
    bar.addStretch(1)
    rv.addLayout(bar)
    self.buttons["newRunButton"].clicked.connect(self.open_wizard)
    self.buttons["startButton"].clicked.connect(self.start_again)
    self.buttons["pauseButton"].clicked.connect(self.request_pause)
    self.buttons["resumeButton"].clicked.connect(self.request_resume)
    self.buttons["stopButton"].clicked.connect(self.request_stop)
    self.buttons["resumeCheckpointButton"].clicked.connect(self.open_resume_dialog)
    self.buttons["openRunButton"].clicked.connect(self.ask_open_run)
    self.statusLine = QLabel()
    self.statusLine.setObjectName("statusLine")
    self.statusLine.setWordWrap(True)
    self.statusLine.setStyleSheet("font-size: 11pt; font-weight: bold; padding: 2px;")
    rv.addWidget(self.statusLine)
    from gui.qt_download import run_download_bar   # the run's download phase (Stop cancels it)

    self.downloadBar = run_download_bar()
    rv.addWidget(self.downloadBar)
    self.plotHost = QWidget()
    self.plotLayout = QVBoxLayout(self.plotHost)
    self.plotLayout.setContentsMargins(0, 0, 0, 0)
    self._placeholder = QLabel(tr("Loading plots..."))
    self.plotLayout.addWidget(self._placeholder)
    rv.addWidget(self.plotHost, 4)
    self.logPanel = QPlainTextEdit()
    self.logPanel.setObjectName("logPanel")
    self.logPanel.setReadOnly(True)
    self.logPanel.setMaximumBlockCount(5000)
    self.logPanel.setMinimumHeight(90)
    rv.addWidget(self.logPanel, 1)
    split.addWidget(right)
    split.setStretchFactor(1, 1)
    split.setSizes([330, 1030])
    self.setCentralWidget(split)
    self.set_status(tr("Ready. Click New run... to choose what to train, or open a past run."))

def build_menus(self: Any) -> None:
    menu = self.menuBar().addMenu(tr("&Run"))
    for text, slot in ((tr("New run..."), self.open_wizard), (tr("Resume from checkpoint..."), self.open_resume_dialog),
                       (tr("Open run..."), self.ask_open_run), (tr("Refresh run history"), self.runsView.reload)):
        action = QAction(text, self)
        action.triggered.connect(slot)
        menu.addAction(action)
    menu.addSeparator()
    quit_action = QAction(tr("Quit"), self)
    quit_action.triggered.connect(self.close)
    menu.addAction(quit_action)
    lang = self.menuBar().addMenu(tr("&Language"))
    group = QActionGroup(self)
    for code, name in (("en", "English"), ("zh_CN", "简体中文")):
        action = QAction(name, self, checkable=True)
        action.setChecked(code == self.language)
        action.setData(code)
        action.triggered.connect(self._language_chosen)
        group.addAction(action)
        lang.addAction(action)
    help_menu = self.menuBar().addMenu(tr("&Help"))
    log_action = QAction(tr("Where is the log file?"), self)
    log_action.triggered.connect(self._show_log_path)
    help_menu.addAction(log_action)
