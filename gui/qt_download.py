"""Getting a model from the wizard: where it comes from, "in cache" or "to download: 15.4 GB from <source>",
Download now with a progress bar and Cancel.

Everything that touches the network or the disk runs on a Python worker thread; it reports through the
signals of `_Bridge`, a QObject living in the GUI thread, so Qt queues every report to the GUI thread (a
signal emitted from another thread to a GUI-thread receiver is a queued connection). The GUI thread only
updates labels and the bar. Cancel sets a flag the download reads between chunks: nothing is killed, and
what was downloaded is resumed next time.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QVBoxLayout, QWidget

from core.record.events import fmt_eta
from gui.qt_text import tr   # module-level strings: the empty context, as lupdate files them



def fmt_bytes(n: float | None) -> str:
    if n is None:
        return "-"
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.1f} MB"


def _safe(signal: Any) -> Any:
    """An emit for worker threads that outlive the panel (the wizard closed): dropped instead of raising."""
    def emit(*args: Any) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:   # the C++ object is gone
            pass
    return emit


def download_text(event: Any) -> str:
    """One status line for a Download event (the main window's status area uses it too)."""
    if event.status == "done":
        return tr("Model {model} is in the cache ({size}).").format(model=event.repo_id, size=fmt_bytes(event.bytes_total))
    if event.status == "cancelled":
        return tr("Download cancelled; it continues where it stopped next time.")
    if event.status == "failed":
        return tr("Download failed: {why}").format(why=event.message)
    pct = 100.0 * event.bytes_done / event.bytes_total if event.bytes_total else 0.0
    speed = fmt_bytes(event.speed_bps) + "/s" if event.speed_bps else "--"
    return tr("Downloading {model} from {source}: {pct:.0f}% ({done} of {total}), {speed}, {eta} left").format(
        model=event.repo_id, source=event.source, pct=pct, done=fmt_bytes(event.bytes_done),
        total=fmt_bytes(event.bytes_total), speed=speed, eta=fmt_eta(event.eta_s))


def run_download_bar() -> QProgressBar:
    """The main window's bar for a run's download phase, under the status line; hidden otherwise."""
    bar = QProgressBar()
    bar.setObjectName("runDownloadBar")
    bar.setRange(0, 1000)
    bar.setTextVisible(False)
    bar.setMaximumHeight(10)
    bar.setVisible(False)
    return bar


def update_run_download_bar(bar: QProgressBar, event: Any) -> None:
    bar.setVisible(event.status in ("downloading", "verifying"))
    if event.bytes_total:
        bar.setValue(int(1000 * event.bytes_done / event.bytes_total))


class _Bridge(QObject):
    status = Signal(int, object)      # (request number, model_status dict or an error string)
    progress = Signal(object)         # a Download event
    finished = Signal(object)         # the snapshot path, or None when cancelled/failed
    failed = Signal(str)


class DownloadPanel(QWidget):
    downloaded = Signal(str)   # the snapshot folder, once a download is complete

    SOURCES = (("hf", "Hugging Face (huggingface.co)"), ("mirror", "hf-mirror.com"), ("modelscope", "ModelScope"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("downloadPanel")
        self.repo_id: str | None = None
        self._request = 0
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._downloading = False   # from Download now until the GUI thread has shown how it ended
        self.bridge = _Bridge(self)
        self.bridge.status.connect(self._on_status)
        self.bridge.progress.connect(self._on_progress)
        self.bridge.finished.connect(self._on_finished)
        self.bridge.failed.connect(self._on_failed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Get models from")))
        self.sourceCombo = QComboBox()
        self.sourceCombo.setObjectName("sourceCombo")
        for key, label in self.SOURCES:
            self.sourceCombo.addItem(label, key)
        self.sourceCombo.setToolTip(self.tr("In mainland China huggingface.co is often unreachable: choose hf-mirror.com "
                                            "or ModelScope. The choice is remembered."))
        row.addWidget(self.sourceCombo, 1)
        self.endpointEdit = QLineEdit()
        self.endpointEdit.setObjectName("mirrorEndpoint")
        self.endpointEdit.setPlaceholderText("https://hf-mirror.com")
        self.endpointEdit.setToolTip(self.tr("The mirror's address (any server speaking the Hugging Face hub's API)."))
        row.addWidget(self.endpointEdit, 1)
        layout.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Hub token")))
        self.tokenEdit = QLineEdit()
        self.tokenEdit.setObjectName("hubToken")
        self.tokenEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.tokenEdit.setPlaceholderText(self.tr("only for gated models; saved for you only, never in run folders"))
        row.addWidget(self.tokenEdit, 1)
        layout.addLayout(row)
        self.stateLabel = QLabel()
        self.stateLabel.setObjectName("downloadState")
        self.stateLabel.setWordWrap(True)
        layout.addWidget(self.stateLabel)
        row = QHBoxLayout()
        self.bar = QProgressBar()
        self.bar.setObjectName("downloadBar")
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        row.addWidget(self.bar, 1)
        self.downloadButton = QPushButton(self.tr("Download now"))
        self.downloadButton.setObjectName("downloadButton")
        self.cancelButton = QPushButton(self.tr("Cancel"))
        self.cancelButton.setObjectName("cancelDownloadButton")
        row.addWidget(self.downloadButton)
        row.addWidget(self.cancelButton)
        layout.addLayout(row)
        self.downloadButton.clicked.connect(self.start_download)
        self.cancelButton.clicked.connect(self.cancel)
        self._load_source()
        self.sourceCombo.currentIndexChanged.connect(self._source_changed)
        self.endpointEdit.editingFinished.connect(self._endpoint_changed)
        self.tokenEdit.editingFinished.connect(self._token_changed)
        self._show_idle()
        self.setVisible(False)

    # ------------------------------------------------------------ source (remembered in the user's settings)
    def _load_source(self) -> None:
        from core.config.user_settings import load_user_settings

        settings = load_user_settings()
        index = self.sourceCombo.findData(settings.hub_source)
        self.sourceCombo.setCurrentIndex(max(0, index))
        self.endpointEdit.setText(settings.hub_endpoint)
        self.endpointEdit.setVisible(settings.hub_source == "mirror")
        if settings.hub_token:
            self.tokenEdit.setPlaceholderText(self.tr("a token is saved (type a new one to replace it)"))

    @Slot(int)
    def _source_changed(self, _index: int) -> None:
        from core.config.user_settings import load_user_settings, save_user_settings

        settings = load_user_settings()
        settings.hub_source = self.sourceCombo.currentData()
        save_user_settings(settings)
        self.endpointEdit.setVisible(settings.hub_source == "mirror")
        if self.repo_id:
            self.set_model(self.repo_id)

    @Slot()
    def _endpoint_changed(self) -> None:
        from core.config.user_settings import load_user_settings, save_user_settings

        settings = load_user_settings()
        if settings.hub_endpoint != self.endpointEdit.text().strip():
            settings.hub_endpoint = self.endpointEdit.text().strip()
            save_user_settings(settings)
            if self.repo_id:
                self.set_model(self.repo_id)

    @Slot()
    def _token_changed(self) -> None:
        """Saved in the user's settings file (owner-only); the field is cleared so the token is not kept on screen."""
        from core.config.user_settings import load_user_settings, save_user_settings

        token = self.tokenEdit.text().strip()
        if not token:
            return
        settings = load_user_settings()
        settings.hub_token = token
        save_user_settings(settings)
        self.tokenEdit.clear()
        self.tokenEdit.setPlaceholderText(self.tr("a token is saved (type a new one to replace it)"))
        if self.repo_id:
            self.set_model(self.repo_id)

    def source(self) -> Any:
        from core.hub import resolve_source

        kind = self.sourceCombo.currentData()
        endpoint = self.endpointEdit.text().strip() if kind == "mirror" else None
        # HF_ENDPOINT (or .env) set to a mirror or a proxy is respected when Hugging Face is chosen.
        return resolve_source(kind, endpoint or None)

    # ------------------------------------------------------------ state
    def _show_idle(self) -> None:
        self.bar.setVisible(False)
        self.cancelButton.setVisible(False)
        self.downloadButton.setVisible(False)

    def busy(self) -> bool:
        """True from Download now until its end is on screen: the worker thread exits before the GUI thread
        has handled its last (queued) signal."""
        return self._downloading

    def set_model(self, name_or_path: str, preset_dir: Path | None = None) -> None:
        """Show where `name_or_path` stands: hidden for a local folder; else cached or the size to download."""
        from core.hub import find_cached, is_hub_id

        if self.busy():
            return
        self._request += 1
        if not name_or_path or not is_hub_id(name_or_path, preset_dir):
            self.repo_id = None
            self.setVisible(False)
            return
        self.repo_id = name_or_path
        self.setVisible(True)
        self._show_idle()
        cached = find_cached(name_or_path)   # local files only: instant
        if cached is not None:
            self.stateLabel.setText(self.tr("In cache: {path}").format(path=cached))
            return
        self.stateLabel.setText(self.tr("Not in the cache; asking {source} for its size...").format(source=self.source().label))
        request, source, emit = self._request, self.source(), _safe(self.bridge.status)

        def ask() -> None:
            from core.hub import model_status

            try:
                emit(request, model_status(name_or_path, source))
            except Exception as exc:  # noqa: BLE001 - shown on the page as the reason
                emit(request, getattr(exc, "message", None) or str(exc))

        threading.Thread(target=ask, name="laptune-hub-size", daemon=True).start()

    @Slot(int, object)
    def _on_status(self, request: int, status: Any) -> None:
        if request != self._request:
            return   # an answer for a model no longer shown
        if isinstance(status, str):
            self.stateLabel.setText(self.tr("Cannot get its size: {why}").format(why=status))
            self.downloadButton.setVisible(True)
            return
        if status["cached"]:
            self.stateLabel.setText(self.tr("In cache: {path}").format(path=status["path"]))
            return
        text = self.tr("To download: {size} from {source}").format(size=fmt_bytes(status["bytes_needed"]), source=status["source"])
        if status["bytes_needed"] < status["bytes_total"]:
            text += " " + self.tr("(continues an earlier download of {total})").format(total=fmt_bytes(status["bytes_total"]))
        self.stateLabel.setText(text)
        self.downloadButton.setVisible(True)

    # ------------------------------------------------------------ download
    @Slot()
    def start_download(self) -> None:
        if self.busy() or not self.repo_id:
            return
        from core.hub import get_model

        self._cancel.clear()
        self.bar.setValue(0)
        self.bar.setVisible(True)
        self.cancelButton.setVisible(True)
        self.cancelButton.setEnabled(True)
        self.downloadButton.setVisible(False)
        self.sourceCombo.setEnabled(False)
        repo_id, source, cancel = self.repo_id, self.source(), self._cancel
        progress, finished, failed = _safe(self.bridge.progress), _safe(self.bridge.finished), _safe(self.bridge.failed)
        self.stateLabel.setText(self.tr("Starting the download from {source}...").format(source=source.label))

        def work() -> None:
            try:
                path = get_model(repo_id, source=source, emit=progress, should_stop=cancel.is_set)
            except Exception as exc:  # noqa: BLE001 - a HubError's message (the token is never in it)
                if cancel.is_set():
                    finished(None)
                else:
                    failed(getattr(exc, "message", None) or str(exc))
                return
            finished(str(path))

        self._downloading = True
        self._thread = threading.Thread(target=work, name="laptune-download", daemon=True)
        self._thread.start()

    @Slot()
    def cancel(self) -> None:
        self._cancel.set()
        self.cancelButton.setEnabled(False)
        self.stateLabel.setText(self.tr("Cancelling..."))

    @Slot(object)
    def _on_progress(self, event: Any) -> None:
        if event.bytes_total:
            self.bar.setValue(int(1000 * event.bytes_done / event.bytes_total))
        if event.status in ("downloading", "verifying") and not self._cancel.is_set():
            self.stateLabel.setText(download_text(event))

    @Slot(object)
    def _on_finished(self, path: Any) -> None:
        self._downloading = False
        self.sourceCombo.setEnabled(True)
        self.cancelButton.setVisible(False)
        if path is None:
            self.stateLabel.setText(self.tr("Download cancelled; it continues where it stopped next time."))
            self.bar.setVisible(False)
            self.downloadButton.setVisible(True)
            return
        self.bar.setValue(1000)
        self.stateLabel.setText(self.tr("In cache: {path}").format(path=path))
        self.downloadButton.setVisible(False)
        self.downloaded.emit(str(path))

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._downloading = False
        self.sourceCombo.setEnabled(True)
        self.cancelButton.setVisible(False)
        self.bar.setVisible(False)
        self.downloadButton.setVisible(True)
        self.stateLabel.setText(self.tr("Download failed: {why}").format(why=message))

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Cancel a running download and wait for its thread (the partial file is kept for next time)."""
        self._cancel.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
