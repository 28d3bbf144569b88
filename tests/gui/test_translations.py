"""Every user-visible string is translated: the .ts covers every tr() in gui/, nothing is left unfinished,
placeholders survive translation, and the shipped .qm is the compiled .ts."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "laptune_zh_CN.ts"
QM = TS.with_suffix(".qm")


def _tool(name: str) -> str | None:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


def _messages(path: Path) -> list[ET.Element]:
    return list(ET.parse(path).getroot().iter("message"))


def test_every_message_is_translated_with_its_placeholders() -> None:
    messages = _messages(TS)
    assert len(messages) > 300
    problems = []
    for message in messages:
        source = message.findtext("source") or ""
        translation = message.find("translation")
        kind = translation.get("type")
        text = translation.text or ""
        if kind in ("unfinished", "vanished", "obsolete") or not text.strip():
            problems.append(f"{kind or 'empty'}: {source[:60]!r}")
        elif sorted(re.findall(r"\{\w*\}", source)) != sorted(re.findall(r"\{\w*\}", text)):
            problems.append(f"placeholders differ: {source[:60]!r} -> {text[:60]!r}")
    assert not problems, "\n".join(problems)


def test_every_context_is_one_the_app_looks_up() -> None:
    """tr() looks a string up under its class's name (PySide6 walks the MRO); module-level helpers use "".
    A `page.tr(...)` outside a class lands under a context named "page" that no lookup uses: English in the
    Chinese UI (it happened to the wizard's time estimate)."""
    classes = {m.group(1) for path in (ROOT / "gui").glob("*.py")
               for m in re.finditer(r"^class (\w+)", path.read_text(encoding="utf-8"), re.M)}
    contexts = {c.findtext("name") or "" for c in ET.parse(TS).getroot().iter("context")}
    assert contexts - classes - {""} == set()


def test_the_time_estimate_is_translated(qapp) -> None:
    from gui.app import Translations
    from gui.qt_wizard_settings import _span

    translations = Translations(qapp)
    translations.install("zh_CN")
    try:
        assert (_span(30), _span(600), _span(7200)) == ("不到一分钟", "约 10 分钟", "约 2.0 小时")
    finally:
        translations.install("en")
    assert _span(30) == "under a minute"


@pytest.mark.skipif(_tool("pyside6-lupdate") is None, reason="pyside6-lupdate is not installed (it ships with PySide6)")
def test_the_ts_file_has_every_string_of_gui(tmp_path) -> None:
    """lupdate over gui/*.py adds nothing new: no tr() string is missing from the translation source."""
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    sources = sorted(str(p) for p in (ROOT / "gui").glob("*.py"))
    subprocess.run([_tool("pyside6-lupdate"), *sources, "-ts", str(copy)], check=True, capture_output=True)
    before = {(m.findtext("source"), m.find("translation").get("type")) for m in _messages(TS)}
    after = {(m.findtext("source"), m.find("translation").get("type")) for m in _messages(copy)}
    new = sorted(src for src, kind in after - before if kind == "unfinished")
    gone = sorted(src for src, kind in after - before if kind == "vanished")
    assert not new, f"strings in gui/ missing from {TS.name} (run resources/translations/update_translations.py): {new}"
    assert not gone, f"strings in {TS.name} no longer in gui/: {gone}"


@pytest.mark.skipif(_tool("pyside6-lrelease") is None, reason="pyside6-lrelease is not installed (it ships with PySide6)")
def test_the_shipped_qm_is_the_compiled_ts(tmp_path) -> None:
    out = tmp_path / "out.qm"
    subprocess.run([_tool("pyside6-lrelease"), str(TS), "-qm", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == QM.read_bytes(), "recompile: python resources/translations/update_translations.py --compile-only"
