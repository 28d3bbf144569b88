"""A preset's description in the app's language: the Chinese app shows the preset file's description_zh on the
data page, the task/preset page (label and combo tooltip) and the review page; the English app the English one."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from core.config.presets import load_preset


def _data(tmp_path: Path) -> Path:
    path = tmp_path / "train.csv"
    rows = ["text,label"] + [f"今天的比赛第{i}场很精彩,体育" if i % 2 else f"明天第{i}天有雨,天气" for i in range(12)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _tooltip(combo) -> str:
    return combo.itemData(combo.currentIndex(), Qt.ItemDataRole.ToolTipRole)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_preset_description_follows_the_language(make_window, qtbot, qapp, tmp_path: Path, language: str):
    try:
        window = make_window("cpu-only", language=language)
        window.open_wizard(initial_data=str(_data(tmp_path)))
        wizard = window.wizard
        start = wizard.currentPage()
        qtbot.waitUntil(lambda: start.report is not None)
        name = start.presetCombo.currentData()
        config = load_preset(name)
        assert config.description_zh and config.description
        shown, other = ((config.description_zh, config.description) if language == "zh_CN"
                        else (config.description, config.description_zh))
        assert shown in start.reason.text() and other not in start.reason.text()
        assert _tooltip(start.presetCombo) == shown

        start.customise.setChecked(True)
        wizard.next()
        while wizard.currentPage().objectName() != "taskModelPage":
            wizard.next()
        page = wizard.currentPage()
        assert page.presetCombo.currentData() == name
        assert shown in page.reason.text() and other not in page.reason.text()
        assert _tooltip(page.presetCombo) == shown

        while wizard.currentPage() is not wizard.pages[-1]:
            wizard.next()
        summary = wizard.currentPage().summary.text()
        assert shown in summary and other not in summary
        wizard.reject()
    finally:
        qapp._laptune_translations.install("en")        # later tests expect English


def test_a_preset_without_a_chinese_line_shows_the_english_one(qapp):
    from gui.app import app_translations
    from gui.qt_core_text import preset_description

    config = load_preset("demo").model_copy(update={"description_zh": None})
    translations = app_translations(qapp)
    translations.install("zh_CN")
    try:
        assert preset_description(config) == config.description
        assert preset_description(load_preset("demo")) == load_preset("demo").description_zh
    finally:
        translations.install("en")
    assert preset_description(load_preset("demo")) == load_preset("demo").description
