"""The Chinese app speaks Chinese in the main window too: during a run paused by the guard (a replayed
sensor trace), after it finished, in the run history, the resume dialog and after a failed run, no English
sentence appears outside names, numbers, units and file paths."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTreeWidget

from gui.qt_core_text import core_text
from tests.gui.conftest import DEMO_OVERRIDES
from tests.gui.test_zh_wizard import english_sentences

LONG = 120_000


def window_texts(window) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {"status": [window.statusLine.text()], "log": window.logPanel.toPlainText().splitlines()}
    texts["labels"] = [lb.text() for lb in window.findChildren(QLabel) if lb.isVisibleTo(window)]
    texts["boxes"] = [b.title() for b in window.findChildren(QGroupBox)]
    texts["buttons"] = [b.text() for b in window.findChildren(QAbstractButton) if b.isVisibleTo(window)]
    history = []
    for tree in window.findChildren(QTreeWidget):
        history += [tree.headerItem().text(c) for c in range(tree.columnCount())]
        for i in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(i)
            history += [item.text(c) for c in range(tree.columnCount())]
    texts["history"] = history
    plots = window.ensure_plots()
    texts["plots"] = [item.titleLabel.text for item in (p.getPlotItem() for p in plots.plots.values())]
    texts["plots"] += [label.text for p in plots.plots.values() if p.getPlotItem().legend is not None
                       for _, label in p.getPlotItem().legend.items]
    return texts


def dialog_texts(dialog) -> list[str]:
    texts = [dialog.windowTitle()] + [lb.text() for lb in dialog.findChildren(QLabel) if lb.isVisibleTo(dialog)]
    texts += [b.text() for b in dialog.findChildren(QAbstractButton) if b.isVisibleTo(dialog)]
    table = dialog.table
    texts += [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    texts += [table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount())
              if table.item(r, c) is not None]
    texts += [dialog.runCombo.itemText(i) for i in range(dialog.runCombo.count())]
    return texts


COMMAND = re.compile(r"laptune (train|resume) .*")     # the command line a run starts with: options, not words


def english_in(texts: dict[str, list[str]]) -> dict[str, list[str]]:
    found = {where: [s for t in lines for s in english_sentences(COMMAND.sub(" ", t))] for where, lines in texts.items()}
    return {where: s for where, s in found.items() if s}


def test_main_window_in_chinese_during_and_after_a_run(make_window, qtbot, qapp, tmp_path: Path):
    try:
        _run_in_chinese(make_window, qtbot, tmp_path)
    finally:
        qapp._laptune_translations.install("en")        # later tests expect English


def _run_in_chinese(make_window, qtbot, tmp_path: Path) -> None:
    trace = tmp_path / "hot_at_start.jsonl"        # hot from the first reading, cool again after 3 s
    trace.write_text('{"t": 0, "gpu_temp_c": 88}\n{"t": 3, "gpu_temp_c": 70}\n', encoding="utf-8")
    window = make_window("cpu-only", language="zh_CN", initial_preset="demo", sensor_trace=str(trace),
                         extra_overrides={**DEMO_OVERRIDES, "training.max_steps": 40, "training.eval_steps": 20,
                                          "training.save_steps": 20})
    window.show()
    window.open_wizard()
    plan = window.wizard.make_plan()
    window.wizard.reject()
    window.plan = plan
    window.start_plan(plan)
    seen: dict[str, dict[str, list[str]]] = {}
    qtbot.waitUntil(lambda: "85 °C" in window.statusLine.text(), timeout=LONG)
    seen["guard pause"] = window_texts(window)
    qtbot.waitUntil(lambda: window.controller.thread is None and window.state == "idle", timeout=LONG)
    seen["finished"] = window_texts(window)
    log = window.logPanel.toPlainText()
    assert "GPU 88 °C ≥ 85 °C：已暂停" in log and "3 个类别" in log and "训练在 CPU 上运行" in log   # core notes, translated
    assert "已在第 40 步完成" in window.statusLine.text()

    window.open_run(window.current_run)                  # a past run shown again
    seen["opened"] = {"status": [window.statusLine.text()], "log": window.logPanel.toPlainText().splitlines()[-1:]}
    assert "已完成" in window.statusLine.text()

    window.buttons["resumeCheckpointButton"].click()
    dialog = window.resumeDialog
    seen["resume dialog"] = {"dialog": dialog_texts(dialog)}
    dialog.reject()

    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\n,天气\n", encoding="utf-8")
    failing = plan
    failing.config = plan.config.model_copy(update={"data": plan.config.data.model_copy(update={"train": str(bad)})})
    window.start_plan(failing)
    qtbot.waitUntil(lambda: window.controller.thread is None and window.state == "idle", timeout=LONG)
    seen["failed"] = window_texts(window)
    assert "文本为空。解决办法" in window.logPanel.toPlainText() and window.dialogs.failures

    # a setting the CPU cannot honour: a SessionError with its fix, as the failure dialog shows them
    fp16 = plan.config.model_copy(update={"memory": plan.config.memory.model_copy(update={"precision": "fp16"}),
                                          "data": plan.config.data})
    failing.config = fp16
    window.start_plan(failing)
    qtbot.waitUntil(lambda: window.controller.thread is None and window.state == "idle", timeout=LONG)
    failure = window.dialogs.failures[-1]
    assert failure.error_type == "SessionError" and failure.fix
    seen["session error"] = window_texts(window)
    seen["session error"]["dialog"] = [core_text(failure.message), core_text(failure.fix)]
    assert "训练在 CPU 上运行" in core_text(failure.message) and "精度" in core_text(failure.fix)

    seen["notifications"] = {"tray": [part for sent in window.notifier.sent for part in sent]}
    found = {when: english_in(texts) for when, texts in seen.items()}
    found = {when: f for when, f in found.items() if f}
    assert not found, found


def test_recovery_and_guard_stop_lines_in_chinese(qapp, tmp_path: Path):
    """What the core says when it recovers from out-of-memory and NaN and when the guard stops a run on
    critical heat: each log and status line of real runs (core.train.session with injected faults)."""
    from core.train.session import Faults
    from gui.qt_text import event_line
    from tests.conftest import train_preset

    sets = ["max_steps=12", "logging_steps=1", "eval_steps=6", "save_steps=3"]
    _, faults = train_preset("demo", tmp_path / "faults", sets=sets, faults=Faults(oom_at_step=3, nan_at_step=8))
    trace = tmp_path / "hot.jsonl"
    trace.write_text('{"t": 0, "gpu_temp_c": 70}\n{"t": 0.3, "gpu_temp_c": 93}\n', encoding="utf-8")
    summary, heat = train_preset("demo", tmp_path / "heat", faults=Faults(sensor_trace=str(trace)),
                                 sets=["max_steps=400", "logging_steps=1", "save_steps=100", "guard.sample_interval_s=0.1"])
    assert summary["status"] == "stopped" and {e.reason for e in faults.of("backoff")} == {"oom", "nan"}
    from gui.app import app_translations

    translations = app_translations(qapp)
    try:
        translations.install("zh_CN")
        lines = [line for rec in (faults, heat) for e in rec.events if (line := event_line(e)) is not None]
    finally:
        translations.install("en")
    text = "\n".join(lines)
    assert "内存不足" in text and "微批次 16 -> 8" in text and "已回退到" in text and "危险；正在保存检查点并停止" in text
    found = english_in({"log": lines})
    assert not found, found


def test_hardware_panel_with_a_gpu_in_chinese(make_window, qtbot, qapp):
    """The hardware panel's GPU, VRAM, temperature and power lines, from a snapshot and a sensor reading."""
    from core.machine.fakes import fake_probe
    from core.record.events import Sample

    try:
        window = make_window("8x4090-busy", language="zh_CN")
        panel = window.hardware
        panel.on_snapshot(fake_probe("8x4090-busy"))       # other programs hold GPU memory
        panel.on_sample(Sample(vram_used_bytes=6 * 1024**3, vram_total_bytes=24 * 1024**3, vram_used_frac=0.25,
                               gpu_temp_c=71.0, cpu_temp_c=64.0, ram_used_frac=0.4, battery_pct=55.0, on_ac=False))
        texts = [panel.title()] + [label.text() for label in panel.findChildren(QLabel)]
    finally:
        qapp._laptune_translations.install("en")
    joined = "\n".join(texts)
    assert "已用" in joined and "GPU 71 °C" in joined and "CPU 64 °C" in joined and "用电池" in joined, joined
    found = english_in({"hardware": texts})
    assert not found, found


def test_auto_fit_reasons_in_chinese(make_window, qtbot, qapp):
    """Auto-fit's reasons on the settings page (core/memory/fit.py) and the memory estimate behind its bar
    (core/memory/estimate.py), on a 4 GB GPU and on the CPU."""
    from tests.gui.test_zh_wizard import page_texts

    demo = Path(__file__).resolve().parents[2] / "resources" / "demo" / "cls_train.csv"
    try:
        for profile in ("laptop-3050-4gb", "cpu-only"):
            window = make_window(profile, language="zh_CN")
            window.open_wizard(initial_data=str(demo))
            wizard = window.wizard
            start = wizard.currentPage()
            qtbot.waitUntil(lambda: start.report is not None)
            start.customise.setChecked(True)
            while wizard.currentPage().objectName() != "settingsPage":
                wizard.next()
            page = wizard.currentPage()
            page.autoFitButton.click()
            qtbot.waitUntil(lambda: page.fitChanges.count() > 0)
            texts = page_texts(page) + page.vramBar.toolTip().splitlines()      # the estimate's breakdown
            assert "有效批次" in "\n".join(texts) and "梯度路径" in page.vramBar.toolTip(), texts
            found = english_in({profile: texts})
            assert not found, found
            wizard.reject()
    finally:
        qapp._laptune_translations.install("en")


def test_auto_fit_suggestions_in_chinese(qapp):
    """When nothing fits (QLoRA of a 7B model on a 4 GB laptop, and the same on the CPU), each of Auto-fit's
    suggestions reads in Chinese, the settings in its parentheses included."""
    from gui.app import app_translations
    from gui.qt_core_text import core_text, suggestion_text
    from tests.core.test_fit import run_fit

    results = [run_fit("qlora-qwen-7b-16gb", "laptop-3050-4gb"), run_fit("qlora-qwen-7b-16gb", "laptop-1650-4gb",
                                                                         training__max_seq_length=4096)]
    suggestions = [s for r in results for s in r.suggestions]
    changes = [c.why for r in results for c in r.changes]
    assert suggestions and not results[0].fits
    translations = app_translations(qapp)
    try:
        translations.install("zh_CN")
        texts = [suggestion_text(s) for s in suggestions] + [core_text(why) for why in changes]
    finally:
        translations.install("en")
    assert any("同系列更小的模型" in t and "放得下" in t for t in texts), texts
    found = english_in({"auto-fit": texts})
    assert not found, found
