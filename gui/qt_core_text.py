"""Translating what the core says (hardware notes, tier and recommendation reasons, data problems and
their fixes) in the GUI; preset descriptions come in both languages from the preset files themselves.

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

from PySide6.QtCore import QCoreApplication, QLocale

CONTEXT = "CoreText"


class CoreText:
    """The translation context of the core's sentences (the .ts file has one per class)."""


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    return text


TEMPLATES: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("CoreText", "{where}: {message}. Fix: {fix}"),
    QT_TRANSLATE_NOOP("CoreText", "{file}, line {line}, field '{field}'"),
    QT_TRANSLATE_NOOP("CoreText", "{file}, row {line}, field '{field}'"),
    QT_TRANSLATE_NOOP("CoreText", "{file}, line {line}"),
    QT_TRANSLATE_NOOP("CoreText", "{file}, row {line}"),
    QT_TRANSLATE_NOOP("CoreText", "{file}, field '{field}'"),
    QT_TRANSLATE_NOOP("CoreText", "file not found"),
    QT_TRANSLATE_NOOP("CoreText", "check the path, or choose the file again."),
    QT_TRANSLATE_NOOP("CoreText", "file is empty"),
    QT_TRANSLATE_NOOP("CoreText", "choose the file that holds the training data."),
    QT_TRANSLATE_NOOP("CoreText", "missing field '{field}' (fields found: {found})"),
    QT_TRANSLATE_NOOP("CoreText", "field '{key}' is {what}, not a string (fields found: {found})"),
    QT_TRANSLATE_NOOP("CoreText", "field '{key}' is {what}, not a string"),
    QT_TRANSLATE_NOOP("CoreText", "write each example as {shape}."),
    QT_TRANSLATE_NOOP("CoreText", "write each conversation as {shape}."),
    QT_TRANSLATE_NOOP("CoreText", "empty output"),
    QT_TRANSLATE_NOOP("CoreText", "write the answer the model should learn, or delete the example."),
    QT_TRANSLATE_NOOP("CoreText", "empty instruction and input"),
    QT_TRANSLATE_NOOP("CoreText", "write the instruction, or delete the example."),
    QT_TRANSLATE_NOOP("CoreText", "invalid JSON: {msg} at column {col}"),
    QT_TRANSLATE_NOOP("CoreText", "each line must be one complete JSON object; a pretty-printed file spread over many lines should be named .json instead."),
    QT_TRANSLATE_NOOP("CoreText", "label '{label}' is not in BIO form"),
    QT_TRANSLATE_NOOP("CoreText", "use B-{a} or I-{b} (or O)."),
    QT_TRANSLATE_NOOP("CoreText", "use the letter O (not the digit 0) for tokens outside any entity."),
    QT_TRANSLATE_NOOP("CoreText", "spans {a} and {b} overlap"),
    QT_TRANSLATE_NOOP("CoreText", "delete one of them: BIO tags cannot hold nested or overlapping entities."),
    QT_TRANSLATE_NOOP("CoreText", "span {span} is outside the text (length {n}) or empty"),
    QT_TRANSLATE_NOOP("CoreText", "offsets count characters from 0; the end is {ends}. Correct or delete this entity."),
    QT_TRANSLATE_NOOP("CoreText", "the last character's offset"),
    QT_TRANSLATE_NOOP("CoreText", "one past the last character"),
    QT_TRANSLATE_NOOP("CoreText", "span {span} covers '{covered}', but the entity is '{mention}'"),
    QT_TRANSLATE_NOOP("CoreText", "correct the offsets (they count characters from 0) or the entity text."),
    QT_TRANSLATE_NOOP("CoreText", "cannot read the entity {item}"),
    QT_TRANSLATE_NOOP("CoreText", "no column '{name}' (columns found: {found})"),
    QT_TRANSLATE_NOOP("CoreText", "no field '{name}' (fields found: {found})"),
    QT_TRANSLATE_NOOP("CoreText", "empty text"),
    QT_TRANSLATE_NOOP("CoreText", "fill in the text or delete the row."),
    QT_TRANSLATE_NOOP("CoreText", "empty label"),
    QT_TRANSLATE_NOOP("CoreText", "fill in the label or delete the row."),
    QT_TRANSLATE_NOOP("CoreText", "{n} fields, but the header (line {h}) has {m}"),
    QT_TRANSLATE_NOOP("CoreText", "cannot tell which task this data is for"),
    QT_TRANSLATE_NOOP("CoreText", "this looks like {what} data ({pct} of the sampled records fit): choose the {task} task (--task {t})"),
    QT_TRANSLATE_NOOP("CoreText", "This looks like {what} data ({pct} of the sampled records fit): choose the {task} task (--task {t})"),
    QT_TRANSLATE_NOOP("CoreText", "no conversations found"),
    QT_TRANSLATE_NOOP("CoreText", "no sentences found"),
    QT_TRANSLATE_NOOP("CoreText", "no examples found"),
    QT_TRANSLATE_NOOP("CoreText", "conversation has no assistant turn"),
    QT_TRANSLATE_NOOP("CoreText", "add at least one assistant message: the model learns from the assistant's replies."),
    QT_TRANSLATE_NOOP("CoreText", "expected a token and its label separated by a space or tab, found one column"),
    QT_TRANSLATE_NOOP("CoreText", "cannot tell the format of this file"),
    QT_TRANSLATE_NOOP("CoreText", "the file is not text in UTF-8 or GBK ({why})"),
    QT_TRANSLATE_NOOP("CoreText", "open it in a text editor and save it again with the encoding UTF-8."),
    QT_TRANSLATE_NOOP("CoreText", "empty file"),
    QT_TRANSLATE_NOOP("CoreText", "write the text into it, or delete it."),
    QT_TRANSLATE_NOOP("CoreText", "read as {encoding}"),
    QT_TRANSLATE_NOOP("CoreText", "CLUENER spans: end offsets are inclusive"),
    QT_TRANSLATE_NOOP("CoreText", "span ends read as exclusive (end = one past the last character)"),
    QT_TRANSLATE_NOOP("CoreText", "span ends read as exclusive, as doccano and Label Studio write them"),
    QT_TRANSLATE_NOOP("CoreText", "span ends read as inclusive (the spans' own texts say so)"),
    QT_TRANSLATE_NOOP("CoreText", "{n} columns per line: the first is the token, the last the label"),
    QT_TRANSLATE_NOOP("CoreText", "read BMES tags: M-X is taken as I-X"),
    QT_TRANSLATE_NOOP("CoreText", "used column '{column}' as {role}"),
    QT_TRANSLATE_NOOP("CoreText", "used field '{column}' as the labels"),
    QT_TRANSLATE_NOOP("CoreText", "only one label in the file: a classifier needs at least two"),
    QT_TRANSLATE_NOOP("CoreText", "{n} conversations end with a user turn: the model learns nothing from that last turn (add the assistant's reply, or delete it)"),
    QT_TRANSLATE_NOOP("CoreText", "{n} conversation ends with a user turn: the model learns nothing from that last turn (add the assistant's reply, or delete it)"),
    QT_TRANSLATE_NOOP("CoreText", "read ShareGPT 'conversations' (human/gpt) as user/assistant messages"),
    QT_TRANSLATE_NOOP("CoreText", "header in row {n} of sheet '{sheet}'"),
    QT_TRANSLATE_NOOP("CoreText", "no header row: column A is the text, column B the label"),
    QT_TRANSLATE_NOOP("CoreText", "class names taken from the dataset's features: {columns}"),
    QT_TRANSLATE_NOOP("CoreText", "one example per .txt file, the sub-folder name is the label ({n} sub-folders)"),
    QT_TRANSLATE_NOOP("CoreText", "{n} more problems not listed (showing the first {m})"),
    QT_TRANSLATE_NOOP("CoreText", "{n} entities start with I- or E- instead of B- (read as starts)"),
    QT_TRANSLATE_NOOP("CoreText", "NER, {shape}"),
    QT_TRANSLATE_NOOP("CoreText", "classification, {shape}"),
    QT_TRANSLATE_NOOP("CoreText", "chat SFT, {shape}"),
    QT_TRANSLATE_NOOP("CoreText", "classification"),
    QT_TRANSLATE_NOOP("CoreText", "chat SFT"),
    QT_TRANSLATE_NOOP("CoreText", "unknown task"),
    QT_TRANSLATE_NOOP("CoreText", "token lists {fmt}"),
    QT_TRANSLATE_NOOP("CoreText", "spans {fmt}"),
    QT_TRANSLATE_NOOP("CoreText", "doccano spans {fmt}"),
    QT_TRANSLATE_NOOP("CoreText", "Label Studio spans {fmt}"),
    QT_TRANSLATE_NOOP("CoreText", "folder of .txt per class"),
    QT_TRANSLATE_NOOP("CoreText", "datasets folder"),
    QT_TRANSLATE_NOOP("CoreText", "unknown format"),
    QT_TRANSLATE_NOOP("CoreText", "looks like {title} but {n} records lack '{need}'"),
    QT_TRANSLATE_NOOP("CoreText", "looks like {title} but {n} record lacks '{need}'"),
    QT_TRANSLATE_NOOP("CoreText", "{n} records fit no known shape (fields: {keys})"),
    QT_TRANSLATE_NOOP("CoreText", "{n} record fit no known shape (fields: {keys})"),
    QT_TRANSLATE_NOOP("CoreText", "No NVIDIA GPU found: training runs on the CPU."),
    QT_TRANSLATE_NOOP("CoreText", "GPU {i} ({name}) is the only GPU: {free} of {total} GiB free."),
    QT_TRANSLATE_NOOP("CoreText", "GPU {i} ({name}) has the most free memory: {free} of {total} GiB free; GPU {j} next with {other} GiB."),
    QT_TRANSLATE_NOOP("CoreText", "no NVIDIA GPU, {ram} GB RAM: CPU tier"),
    QT_TRANSLATE_NOOP("CoreText", "{gpu} has {vram} GB VRAM, {ram} GB RAM: low-memory tier (VRAM <= 4 GB or RAM < 8 GB)"),
    QT_TRANSLATE_NOOP("CoreText", "{gpu} has {vram} GB VRAM, {ram} GB RAM: safe tier (VRAM 4-8 GB or RAM 8-16 GB)"),
    QT_TRANSLATE_NOOP("CoreText", "{gpu} has {vram} GB VRAM, {ram} GB RAM: full tier (VRAM > 8 GB and RAM > 16 GB)"),
    QT_TRANSLATE_NOOP("CoreText", "{reason}; this is the {tier} preset"),
    QT_TRANSLATE_NOOP("CoreText", "{reason}; the {tier} preset fits"),
    QT_TRANSLATE_NOOP("CoreText", "needs an NVIDIA GPU with CUDA"),
    QT_TRANSLATE_NOOP("CoreText", "needs {n} GB VRAM, this machine has no GPU"),
    QT_TRANSLATE_NOOP("CoreText", "needs {n} GB VRAM, this machine has {have}"),
    QT_TRANSLATE_NOOP("CoreText", "needs a GPU with bf16 (RTX 30xx or newer)"),
    QT_TRANSLATE_NOOP("CoreText", "needs {n} GB RAM, this machine has {have} GB"),
    QT_TRANSLATE_NOOP("CoreText", "GPU {i} ({name}): the driver does not report {what}; those readings stay empty."),
    QT_TRANSLATE_NOOP("CoreText", "GPU {i} was found but could not be read, so it is left out."),
    QT_TRANSLATE_NOOP("CoreText", "The NVIDIA driver is present but reports no GPU: CPU only."),
    QT_TRANSLATE_NOOP("CoreText", "No GPU could be read: CPU only."),
    QT_TRANSLATE_NOOP("CoreText", "PyTorch cannot use the GPU (the driver may be too old for its CUDA version)."),
    QT_TRANSLATE_NOOP("CoreText", "PyTorch could not be imported: compute capability and bf16 support come from the driver only."),
    QT_TRANSLATE_NOOP("CoreText", "GPU{pad}none (CPU only)"),
    QT_TRANSLATE_NOOP("CoreText", "RAM{pad}{a} of {b} GiB available"),
    QT_TRANSLATE_NOOP("CoreText", "Swap{pad}{a} of {b} GiB used"),
    QT_TRANSLATE_NOOP("CoreText", "CPU{pad}{cpu}, {c} cores / {t} threads"),
    QT_TRANSLATE_NOOP("CoreText", "Battery{pad}{pct} %, on AC"),
    QT_TRANSLATE_NOOP("CoreText", "Battery{pad}{pct} %, on battery"),
    QT_TRANSLATE_NOOP("CoreText", "Driver{pad}{version}, CUDA usable: yes"),
    QT_TRANSLATE_NOOP("CoreText", "Driver{pad}{version}, CUDA usable: no"),
    QT_TRANSLATE_NOOP("CoreText", "Note{pad}{note}"),
    QT_TRANSLATE_NOOP("CoreText", "No NVIDIA driver found (NVML library missing): CPU only."),
)


@lru_cache(maxsize=None)
def _compiled() -> list[tuple[re.Pattern[str], str]]:
    from gui.qt_core_text_run import RUN_TEMPLATES

    out = []
    for template in TEMPLATES + RUN_TEMPLATES:
        parts, seen = re.split(r"(\{\w+\})", template), set()
        pieces = []
        for p in parts:
            if not re.fullmatch(r"\{\w+\}", p):
                pieces.append(re.escape(p))
            elif p in seen:                       # a parameter used twice (a unit) matches the same text again
                pieces.append(f"(?P={p[1:-1]})")
            else:
                seen.add(p)
                pieces.append(f"(?P<{p[1:-1]}>.+?)")
        pattern = "".join(pieces)
        out.append((re.compile(pattern + r"\Z", re.DOTALL), template))
    # Longer templates first: the more literal text a template has, the more specific it is.
    out.sort(key=lambda item: -len(re.sub(r"\{\w+\}", "", item[1])))
    return out


def _keep_space(value: str) -> str:
    """A parameter translated as a sentence of its own, its surrounding spaces (alignment) kept."""
    core = value.strip()
    if not core:
        return value
    start = value.index(core)
    return value[:start] + core_text(core) + value[start + len(core):]


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
        params = {k: _keep_space(v) for k, v in match.groupdict().items()}
        try:
            return translated.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    if "\n" in text:
        return "\n".join(core_text(line) for line in text.split("\n"))
    return text


def preset_description(config: Any) -> str:
    """A preset's description in the app's language: its `description_zh` in the Chinese app; otherwise (English
    app, or a preset of the user's without one) its `description`, through core_text like any core sentence."""
    if config.description_zh and QLocale().language() == QLocale.Language.Chinese:
        return str(config.description_zh)
    return core_text(config.description)


def estimate_text(lines: list[str]) -> str:
    """The estimator's lines in the app's language; a breakdown row keeps its term and size, its explanation
    is translated."""
    out = []
    for line in lines:
        row = re.match(r"(\s+\S+\s+[\d.]+ GiB\s+)(.+)\Z", line)
        if row:
            out.append(row.group(1) + core_text(row.group(2)))
        elif line.startswith("Model: "):    # the model's shape would match its own template first
            out.append(QCoreApplication.translate("CoreText", "Model: {model}").format(model=core_text(line[7:])))
        else:
            out.append(core_text(line))
    return "\n".join(out)


_HOW = re.compile(r"\((batch (\d+) x (\d+), length (\d+))(, checkpointing)?(?:, (\d+) layers frozen)?"
                  r"(?: (with 4-bit loading|with 8-bit loading|without quantisation))?\)")


def suggestion_text(text: str) -> str:
    """One of Auto-fit's suggestions when nothing fits; its settings in parentheses are put together from
    translated pieces first (their optional parts are too many for whole templates)."""
    def how(match: re.Match[str]) -> str:
        def word(t: str) -> str:            # the pieces' entries come from gui/qt_core_text_run.py
            return QCoreApplication.translate(CONTEXT, t)

        parts = [word("batch {b} x {a}, length {n}").format(b=match[2], a=match[3], n=match[4])]
        if match[5]:
            parts.append(word("checkpointing"))
        if match[6]:
            parts.append(word("{n} layers frozen").format(n=match[6]))
        if match[7]:
            parts.append(word(match[7]))
        english = QCoreApplication.translate(CONTEXT, "checkpointing") == "checkpointing"
        return match[0] if english else "(" + "，".join(parts) + ")"

    return core_text(_HOW.sub(how, text))
