"""Named-entity data: CoNLL/BIO text (one token and its label per line; several columns as in
CoNLL-2003 are fine: the token is the first, the label the last), token lists in JSON/JSONL or
tables, and text with character spans (CLUENER, doccano, Label Studio: core/data/ner_spans.py).

Labels must be BIO or BIOES (O, B-X, I-X, E-X, S-X). BMES files, common in Chinese corpora, use
M-X for "inside"; that is the same scheme, so M-X is read as I-X (and said so in the notes).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from core.data.errors import PathArg, ReadContext
from core.data.formats import open_source
from core.data.ner_spans import iter_span_examples, span_form
from core.data.records import iter_records, json_kind
from core.data.text import iter_marked_lines


@dataclass
class NerExample:
    tokens: list[str]
    labels: list[str]
    line: int          # where the sentence starts


_TAG = re.compile(r"([BIESM])-(.*\S.*)", re.DOTALL)
_LOOSE_TAG = re.compile(r"([BIESMbiesm])[-_:](.*)", re.DOTALL)
_COLUMNS = re.compile(r"[ \t]+")
_ALT_LABEL_KEYS = ("ner_tags", "tags")


def normalize_label(ctx: ReadContext, label: str) -> str | None:
    """The label in BIO/BIOES form, or None when it is not in that form."""
    if label == "O":
        return label
    match = _TAG.fullmatch(label)
    if match is None:
        return None
    if match.group(1) == "M":
        ctx.note("read BMES tags: M-X is taken as I-X")
        return "I-" + match.group(2)
    return label


def label_fix(label: str) -> str:
    if label == "0":
        return "use the letter O (not the digit 0) for tokens outside any entity."
    if label in ("o", ""):
        return "use a capital O for tokens outside any entity."
    loose = _LOOSE_TAG.fullmatch(label)
    if loose is not None:
        if not loose.group(2).strip():
            return f"add the entity type after the dash, e.g. {loose.group(1).upper()}-PER."
        return f"write it as {loose.group(1).upper()}-{loose.group(2)}."
    return f"use B-{label} or I-{label} (or O)."


def _bad_label(ctx: ReadContext, label: str, line: int, field: str) -> None:
    ctx.problem(f"label '{label}' is not in BIO form", line=line, field=field,
                fix=label_fix(label))


def _read_conll(ctx: ReadContext) -> Iterator[NerExample]:
    examples: list[NerExample] = []     # at most one sentence: flushed by the loop below
    tokens: list[str] = []
    labels: list[str] = []
    start = 0
    bad = False              # a sentence with a bad line is dropped whole, not half-kept
    n_columns, columns_line = 0, 0
    known: dict[str, str | None] = {}

    def flush() -> None:
        nonlocal tokens, labels, start, bad
        if tokens and not bad:
            examples.append(NerExample(tokens, labels, start))
        tokens, labels, start, bad = [], [], 0, False

    ctx.form = "conll"
    for number, line in iter_marked_lines(ctx):
        yield from examples
        examples.clear()
        if line is None:         # refused (too long) and already reported
            start = start or number
            bad = True
            continue
        # Only ASCII whitespace separates columns: U+3000 (full-width space) can be a token.
        stripped = line.strip(" \t\r\n\v\f")
        if not stripped or stripped.startswith("-DOCSTART-"):
            flush()
            continue
        if start == 0:
            start = number
        parts = stripped.split(" ")        # the common case, much faster than the regex
        if "\t" in stripped or "" in parts:
            parts = _COLUMNS.split(stripped)
        if len(parts) < 2:
            ctx.problem("expected a token and its label separated by a space or tab, found one "
                        "column", line=number, field="columns",
                        fix="write the token, a space or tab, then its label (e.g. '北 B-LOC'); "
                            "separate sentences with an empty line.")
            bad = True
            continue
        if n_columns == 0:
            n_columns, columns_line = len(parts), number
        elif len(parts) != n_columns:
            ctx.problem(f"found {len(parts)} columns, but line {columns_line} has {n_columns}",
                        line=number, field="columns",
                        fix="give every line the same columns: the token first and the label "
                            "last, separated by spaces or tabs.")
            bad = True
            continue
        raw = parts[-1]
        # A file has a handful of distinct labels and millions of lines.
        label = known[raw] if raw in known else known.setdefault(raw, normalize_label(ctx, raw))
        if label is None:
            _bad_label(ctx, parts[-1], number, "label")
            bad = True
            continue
        tokens.append(parts[0])
        labels.append(label)
    flush()
    yield from examples
    if n_columns > 2:
        ctx.note(f"{n_columns} columns per line: the first is the token, the last the label")


def _ner_from_record(ctx: ReadContext, number: int, obj: dict[str, Any]) -> NerExample | None:
    found = ", ".join(map(repr, obj)) or "none"
    tokens = obj.get("tokens")
    if "tokens" not in obj:         # present but null (a table's empty cell): reported below
        ctx.problem(f"missing field 'tokens' (fields found: {found})", line=number,
                    field="tokens", fix='write {"tokens": [...], "labels": [...]} per line.')
        return None
    label_key = "labels"
    if label_key not in obj:
        label_key = next((k for k in _ALT_LABEL_KEYS if k in obj), "labels")
        if label_key != "labels":
            ctx.note(f"used field '{label_key}' as the labels")
    labels = obj.get(label_key)
    if label_key not in obj:
        ctx.problem(f"missing field 'labels' (fields found: {found})", line=number,
                    field="labels", fix='write {"tokens": [...], "labels": [...]} per line.')
        return None
    if not isinstance(tokens, list) or not tokens:
        what = "an empty list" if tokens == [] else json_kind(tokens)
        ctx.problem(f"'tokens' must be a non-empty list of strings, found {what}", line=number,
                    field="tokens", fix='list the tokens: "tokens": ["北", "京"].')
        return None
    for i, token in enumerate(tokens):
        if not isinstance(token, str) or not token:
            ctx.problem(f"token {i} is {json_kind(token) if token != '' else 'empty'}, not a "
                        "non-empty string", line=number, field=f"tokens[{i}]",
                        fix="make every token a non-empty string.")
            return None
    if not isinstance(labels, list):
        ctx.problem(f"'{label_key}' must be a list of strings, found {json_kind(labels)}",
                    line=number, field=label_key,
                    fix='give one label per token: "labels": ["B-LOC", "I-LOC"].')
        return None
    if len(labels) != len(tokens):
        ctx.problem(f"{len(labels)} label{'s' * (len(labels) != 1)} for {len(tokens)} "
                    f"token{'s' * (len(tokens) != 1)}", line=number,
                    field=label_key, fix="give exactly one label per token.")
        return None
    normalized: list[str] = []
    for i, raw in enumerate(labels):
        if not isinstance(raw, str):
            fix = ("labels must be tag names like B-PER, not numbers; export the names "
                   "(Hugging Face datasets keep them in features['ner_tags'].feature.names)."
                   if isinstance(raw, int) else "make every label a string like B-PER or O.")
            ctx.problem(f"label {i} is {json_kind(raw)}, not a string", line=number,
                        field=f"{label_key}[{i}]", fix=fix)
            return None
        label = normalize_label(ctx, raw)
        if label is None:
            _bad_label(ctx, raw, number, f"{label_key}[{i}]")
            return None
        normalized.append(label)
    return NerExample(list(tokens), normalized, number)


def _read_records(ctx: ReadContext, fmt: str) -> Iterator[NerExample]:
    records = iter_records(ctx, fmt)
    first = next(records, None)
    if first is None:
        return
    form = span_form(first[1])
    if form is not None:
        for number, tokens, labels in iter_span_examples(ctx, records, form, first):
            yield NerExample(tokens, labels, number)
        return
    ctx.form = "tokens"
    for number, obj in _chain(first, records):
        example = _ner_from_record(ctx, number, obj)
        if example is not None:
            yield example


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def iter_ner(ctx: ReadContext, format: str | None = None) -> Iterator[NerExample]:
    """Sentences one by one (check-data streams large files through this)."""
    fmt = open_source(ctx, "ner", format)
    found = False
    for example in (_read_conll(ctx) if fmt == "conll" else _read_records(ctx, fmt)):
        found = True
        yield example
    if not found and not ctx.problems:
        ctx.problem("no sentences found", fix="write one token and its label per line, with an "
                                              "empty line between sentences.")


def read_ner_into(ctx: ReadContext, format: str | None = None) -> list[NerExample]:
    return list(iter_ner(ctx, format))


def read_ner(path: PathArg, format: str | None = None) -> list[NerExample]:
    """All sentences of an NER file; raises DataError at the first problem."""
    return read_ner_into(ReadContext.for_path(path), format)


def entity_counts(examples: list[NerExample]) -> tuple[dict[str, int], int]:
    """Entities per type, and how many I-/E- tags start an entity (IOB1-style, a likely slip)."""
    counts: Counter[str] = Counter()
    orphans = 0
    for example in examples:
        current = None
        for label in example.labels:
            if label == "O":
                current = None
                continue
            prefix, kind = label[0], label[2:]
            if prefix in "BS" or kind != current:
                counts[kind] += 1
                orphans += prefix in "IE"
            current = None if prefix in "ES" else kind
    return dict(counts.most_common()), orphans
