"""Run history (`runsView`), read from the run folders on disk; the resume picker is in gui/qt_resume.py.

Built at startup, so it avoids the `Qt` namespace enums (their first use costs ~80 ms): item roles are ints.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

USER_ROLE = 256   # USER_ROLE
PRIMARY_METRICS = ("eval_f1", "eval_macro_f1", "eval_accuracy", "eval_perplexity", "eval_loss")


def primary_metric(metrics: dict[str, float]) -> tuple[str, float] | None:
    for key in PRIMARY_METRICS:
        if key in metrics:
            return key, metrics[key]
    return None


def metric_text(metrics: dict[str, float]) -> str:
    found = primary_metric(metrics)
    return "" if found is None else f"{found[0][5:]} {found[1]:.4g}"


def list_runs(base: Path) -> list[dict[str, Any]]:
    """Every run folder under base, newest first, with what the history shows."""
    import yaml

    from core.record.runs import RunDir

    rows = []
    for run_yaml in base.glob("*/run.yaml"):
        rd = RunDir(run_yaml.parent)
        try:
            data = yaml.safe_load(run_yaml.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            data = {}
        try:
            summary = rd.read_summary()
        except (OSError, ValueError):
            summary = {}
        rows.append({"path": rd.path, "preset": (data.get("config") or {}).get("name", "?"),
                     "status": summary.get("status"), "step": summary.get("global_step"),
                     "best": summary.get("best_eval") or summary.get("last_eval") or {},
                     "time": run_yaml.stat().st_mtime})
    rows.sort(key=lambda r: r["time"], reverse=True)
    return rows


class RunsView(QTreeWidget):
    """Past runs: date, preset, status, step, best metric. Activating a row emits its folder."""

    runActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsView")
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setHeaderLabels([self.tr("Date"), self.tr("Preset"), self.tr("Status"), self.tr("Step"), self.tr("Best metric")])
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.header().setStretchLastSection(True)
        self.itemActivated.connect(self._on_activated)
        self.base: Path | None = None

    def status_word(self, status: str | None) -> str:
        return {"completed": self.tr("finished"), "stopped": self.tr("stopped (resumable)"), "failed": self.tr("failed"),
                None: self.tr("running or interrupted")}.get(status, status or "")

    @Slot()
    def reload(self, base: Path | None = None) -> None:
        from core.config.paths import default_runs_dir

        self.base = base or self.base or default_runs_dir()
        self.clear()
        for row in list_runs(self.base) if self.base.exists() else []:
            item = QTreeWidgetItem([time.strftime("%Y-%m-%d %H:%M", time.localtime(row["time"])), row["preset"],
                                    self.status_word(row["status"]), "" if row["step"] is None else str(row["step"]),
                                    metric_text(row["best"])])
            item.setData(0, USER_ROLE, str(row["path"]))
            item.setToolTip(0, str(row["path"]))
            self.addTopLevelItem(item)

    def selected_path(self) -> str | None:
        item = self.currentItem()
        return item.data(0, USER_ROLE) if item is not None else None

    @Slot(QTreeWidgetItem, int)
    def _on_activated(self, item: QTreeWidgetItem, column: int) -> None:
        self.runActivated.emit(item.data(0, USER_ROLE))
