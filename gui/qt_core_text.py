"""Translating what the core says (hardware notes, tier and recommendation reasons, preset
descriptions, data problems and their fixes) in the GUI.

The core speaks English and stays free of Qt. Its sentences are templates with parameters; the
templates are listed here (TEMPLATES), so lupdate puts them in the "CoreText" context of the .ts file
like any other string. `core_text(text)` finds the template a sentence was made from, translates the
template and puts the parameters back (themselves translated when they are core sentences too).
A sentence without a template stays English; `untranslated()` lists such sentences in tests.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QCoreApplication

CONTEXT = "CoreText"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    return text


TEMPLATES: tuple[str, ...] = ()


@lru_cache(maxsize=None)
def _compiled() -> list[tuple[re.Pattern[str], str]]:
    out = []
    for template in TEMPLATES:
        parts = re.split(r"(\{\w+\})", template)
        pattern = "".join(f"(?P<{p[1:-1]}>.+?)" if re.fullmatch(r"\{\w+\}", p) else re.escape(p) for p in parts)
        out.append((re.compile(pattern + r"\Z", re.DOTALL), template))
    # Longer templates first: the more literal text a template has, the more specific it is.
    out.sort(key=lambda item: -len(re.sub(r"\{\w+\}", "", item[1])))
    return out


def core_text(text: str, widget: Any = None) -> str:
    """`text` in the app's language, where a template for it is known."""
    if not text:
        return text
    for pattern, template in _compiled():
        match = pattern.match(text)
        if match is None:
            continue
        translated = QCoreApplication.translate(CONTEXT, template)
        if translated == template and not match.groupdict():
            return text
        params = {k: core_text(v) for k, v in match.groupdict().items()}
        try:
            return translated.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    if "\n" in text:
        return "\n".join(core_text(line) for line in text.split("\n"))
    return text
