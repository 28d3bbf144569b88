"""Generic record sources shared by the task readers: JSON Lines, JSON documents and CSV/TSV rows.

Each yields (1-based line where the record starts, record). Broken records are reported through
the ReadContext; in lenient mode the iteration goes on where the format allows it.
"""
from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from core.data.errors import ReadContext
from core.data.text import MAX_LINE_BYTES, iter_lines, read_text

_JSON_WS = re.compile(r"[ \t\n\r]*")


def json_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object {...}"
    if isinstance(value, list):
        return "a list [...]"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (bytes, bytearray)):
        return "binary data"            # a binary column of a Parquet/Arrow table
    return f"a {type(value).__name__} value"


def iter_records(ctx: ReadContext, fmt: str, sheet: str | None = None
                 ) -> Iterator[tuple[int, dict[str, Any]]]:
    """Records (dicts) from JSON/JSONL, Parquet/Arrow/datasets folders or an Excel sheet."""
    if fmt in ("parquet", "arrow", "hf"):
        from core.data.tables import iter_table_records

        yield from iter_table_records(ctx, fmt)
    elif fmt == "xlsx":
        from core.data.excel import iter_sheet_records

        yield from iter_sheet_records(ctx, sheet)
    else:
        yield from iter_json_records(ctx, fmt)


def iter_json_records(ctx: ReadContext, fmt: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Objects from a JSONL file (one per line) or a JSON document (a list of objects)."""
    if fmt == "jsonl":
        yield from _iter_jsonl(ctx)
    else:
        yield from _iter_json_document(ctx)


def _iter_jsonl(ctx: ReadContext) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in iter_lines(ctx):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            ctx.problem(f"invalid JSON: {exc.msg} at column {exc.colno}", line=number,
                        fix="each line must be one complete JSON object; a pretty-printed file "
                            "spread over many lines should be named .json instead.")
            continue
        except RecursionError:
            ctx.problem("JSON nested too deeply", line=number,
                        fix="each line must be one flat JSON object.")
            continue
        if not isinstance(obj, dict):
            ctx.problem(f"expected a JSON object {{...}} on this line, found {json_kind(obj)}",
                        line=number, fix="write one JSON object per line.")
            continue
        yield number, obj


def _iter_json_document(ctx: ReadContext) -> Iterator[tuple[int, dict[str, Any]]]:
    text = read_text(ctx)
    decoder = json.JSONDecoder()
    end = len(text)
    counted_to, line = 0, 1

    def line_at(pos: int) -> int:
        # Positions only move forward, so count newlines incrementally (O(file) in total).
        nonlocal counted_to, line
        line += text.count("\n", counted_to, pos)
        counted_to = pos
        return line

    def skip(pos: int) -> int:
        return _JSON_WS.match(text, pos).end()  # type: ignore[union-attr]

    def decode(pos: int) -> tuple[Any, int] | None:
        try:
            return decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            ctx.problem(f"invalid JSON: {exc.msg} at column {exc.colno}", line=exc.lineno,
                        fix="correct the JSON here (a JSON checker or editor shows the spot); "
                            "the rest of the file cannot be read until it is fixed.")
        except RecursionError:
            ctx.problem("JSON nested too deeply", line=line_at(pos),
                        fix="write a list of flat objects.")
        return None

    def record(pos: int, obj: Any) -> Iterator[tuple[int, dict[str, Any]]]:
        if isinstance(obj, dict):
            yield line_at(pos), obj
        else:
            ctx.problem(f"expected a JSON object {{...}} here, found {json_kind(obj)}",
                        line=line_at(pos), fix="make every item of the list an object.")

    pos = skip(0)
    if pos == end:
        ctx.problem("file holds only whitespace", fix="choose the file with the data.")
        return
    if text[pos] == "{":
        # One object, or objects one after another: JSON Lines saved with a .json name.
        count = 0
        while pos < end:
            decoded = decode(pos)
            if decoded is None:
                return
            count += 1
            yield from record(pos, decoded[0])
            pos = skip(decoded[1])
        if count > 1:
            ctx.note("read as JSON Lines (one object after another)")
        return
    if text[pos] != "[":
        ctx.problem("expected a JSON list [...] of objects", line=line_at(pos),
                    fix="put the examples in a list: [{...}, {...}].")
        return
    pos = skip(pos + 1)
    if pos < end and text[pos] == "]":
        pos = skip(pos + 1)
    else:
        while True:
            if pos >= end:
                ctx.problem("the JSON list is never closed with ']'", line=line_at(end),
                            fix="end the file with ']'; it may have been cut off.")
                return
            decoded = decode(pos)
            if decoded is None:
                return
            yield from record(pos, decoded[0])
            pos = skip(decoded[1])
            if pos < end and text[pos] == ",":
                pos = skip(pos + 1)
                continue
            if pos < end and text[pos] == "]":
                pos = skip(pos + 1)
                break
            if pos >= end:
                continue         # reported as a list that is never closed
            where = line_at(pos)
            ctx.problem("expected ',' or ']' after an item of the JSON list", line=where,
                        fix="separate the items with commas and close the list with ']'.")
            return
    if pos < end:
        ctx.problem("extra text after the end of the JSON list", line=line_at(pos),
                    fix="delete it, or move it inside the list.")


@contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    # The csv module's default (128 KiB per field) is below our per-line limit; long documents
    # are legitimate classification inputs. The setting is global, so put it back afterwards.
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, limit))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _csv_fix(message: str) -> tuple[str, str]:
    if "new-line" in message:
        return ("a stray carriage return (\\r) inside the line",
                "remove it, or quote the field that contains it.")
    if "end of data" in message or "field larger" in message:
        return ("a double quote opened on this line is never closed",
                'quote whole fields ("like this") and double any quote inside one ("").')
    return (f"cannot parse this row ({message})",
            'quote fields that contain the separator, and double quotes inside them ("").')


def iter_rows(ctx: ReadContext, fmt: str) -> Iterator[tuple[int, int, list[str]]]:
    """Non-blank rows of a CSV (quoted fields may span lines) or TSV file (no quoting).

    Yields (first line, last line, fields): a row spanning many lines usually means an
    unclosed quote, and the reader says so.
    """
    starts: list[int] = []

    def feed() -> Iterator[str]:
        for number, text in iter_lines(ctx, keepends=True):
            starts.append(number)
            yield text

    if fmt == "csv":
        reader = csv.reader(feed(), delimiter=",")
    else:
        # TSV text often holds bare quotes (Chinese corpora do); quoting would swallow lines.
        reader = csv.reader(feed(), delimiter="\t", quoting=csv.QUOTE_NONE)
    with _csv_field_limit(MAX_LINE_BYTES):
        while True:
            starts.clear()
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                message, fix = _csv_fix(str(exc))
                ctx.problem(message, line=starts[0] if starts else None, fix=fix)
                continue
            if not starts or not any(cell.strip() for cell in row):
                continue
            yield starts[0], starts[-1], row
