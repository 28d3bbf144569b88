"""The Chinese app speaks Chinese on every wizard page, core messages included (gui/qt_core_text.py):
no English sentence outside names, numbers, units and file paths."""
from __future__ import annotations

import json
import re
from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QLabel, QListWidget, QPlainTextEdit

from gui.qt_core_text import core_text

# Four English words in a row make a sentence; names and units are shorter.
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,'’-]+[A-Za-z]{2,}){3,}")
NAMES = re.compile(r"\S*[/\\]\S*|bert-base-chinese|SmolLM2-\S+|Qwen\S+|roberta-large|gte-multilingual-base|"
                   r"Hugging Face|Label Studio|\d+th Gen Intel|\(R\)|\(TM\)|Laptop GPU|[A-Z][A-Za-z]+ ?[A-Z][A-Za-z]+ [A-Z]\w+")


def english_sentences(text: str) -> list[str]:
    return ENGLISH.findall(NAMES.sub(" ", text))


def page_texts(page) -> list[str]:
    texts = [page.title(), page.subTitle()]
    for label in page.findChildren(QLabel):
        if label.isVisibleTo(page):
            texts.append(re.sub(r"<[^>]+>", " ", label.text()))
    for box in page.findChildren(QListWidget):
        texts += [box.item(i).text() for i in range(box.count())]
    for edit in page.findChildren(QPlainTextEdit):
        if edit.objectName() not in ("commandLine", "reviewConfig"):   # a command and setting names
            texts.append(edit.toPlainText())
    texts += [b.text() for b in page.findChildren(QAbstractButton) if b.isVisibleTo(page)]
    return texts


def test_every_wizard_page_in_chinese(make_window, qtbot, qapp, tmp_path: Path):
    try:
        _walk_in_chinese(make_window, qtbot, tmp_path)
    finally:
        qapp._laptune_translations.install("en")        # later tests expect English


def _walk_in_chinese(make_window, qtbot, tmp_path: Path) -> None:
    data = tmp_path / "train.jsonl"
    rows = [{"instruction": f"问题{i}", "input": "", "output": "回答"} for i in range(6)]
    rows.append({"instruction": "没有回答", "input": ""})                      # a problem, listed
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    window = make_window("laptop-3050-4gb", language="zh_CN")
    window.open_wizard(initial_data=str(data))
    wizard = window.wizard
    start = wizard.currentPage()
    qtbot.waitUntil(lambda: start.report is not None)
    assert start.taskCombo.currentData() == "sft"
    seen: dict[str, list[str]] = {start.objectName(): page_texts(start)}
    start.customise.setChecked(True)
    while wizard.currentPage() is not wizard.pages[-1]:
        wizard.next()
        page = wizard.currentPage()
        seen[page.objectName()] = page_texts(page)
    assert len(seen) == 7
    found = {name: [s for text in texts for s in english_sentences(text)] for name, texts in seen.items()}
    assert not any(found.values()), found
    joined = "\n".join(seen["startPage"])
    assert "对话 SFT" in joined and "缺少" in joined and "解决办法" in joined     # core messages, translated
    assert "驱动不报告" in "\n".join(seen["hardwarePage"])
    wizard.reject()


def test_core_text_keeps_unknown_sentences_and_fills_parameters(qapp):
    assert core_text("a sentence no template knows") == "a sentence no template knows"
    from gui.qt_core_text import TEMPLATES

    assert "needs {n} GB VRAM, this machine has {have}" in TEMPLATES


def test_cpu_speed_notes_are_translated(qapp):
    from core.train.cpu_speed import speed_up
    from transformers import BertConfig, BertModel

    model = BertModel(BertConfig(vocab_size=30, hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                                 intermediate_size=32), add_pooling_layer=False)
    notes = speed_up(model)
    assert len(notes) == 2
    from gui.app import app_translations

    translations = app_translations(qapp)
    try:
        translations.install("zh_CN")
        translated = [core_text(note) for note in notes]
    finally:
        translations.install("en")        # later tests expect English
    assert translated[1] == "2 个注意力层在一次矩阵乘法中计算 query、key 和 value"
    assert not any(english_sentences(text) for text in translated), translated
