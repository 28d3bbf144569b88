"""Text classification data: CSV, TSV, Excel, JSONL/JSON or Parquet/Arrow with a text, a label and an
optional pair column; or a folder with one sub-folder of .txt files per class (THUCNews).

Column names are configurable. When the default name is absent, common alternatives are tried
(the choice goes into the notes), because public datasets disagree on what to call the text.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from core.data.errors import DataError, PathArg, ReadContext
from core.data.formats import open_source
from core.data.records import iter_records, iter_rows, json_kind

DEFAULT_TEXT, DEFAULT_LABEL, DEFAULT_PAIR = "text", "label", "text_pair"
_ALTERNATIVES = {
    DEFAULT_TEXT: ("sentence", "content", "text_a", "sentence1", "文本", "内容", "句子",
                   "评论", "正文"),
    DEFAULT_LABEL: ("labels", "category", "class", "标签", "类别", "分类"),
    DEFAULT_PAIR: ("text_b", "sentence2"),
}


@dataclass
class ClsExample:
    text: str
    label: str
    text_pair: str | None = None
    line: int = 0


@dataclass
class _Columns:
    text: str
    label: str
    pair: str | None


def _find(found: Sequence[str], name: str) -> str | None:
    if name in found:
        return name
    # Excel headers come as "Text" or " label"; the intent is plain.
    return next((c for c in found if c.strip().lower() == name.strip().lower()), None)


def _missing_fix(found: Sequence[str], fmt: str, role: str, wanted: str) -> str:
    if fmt in ("csv", "tsv"):
        fix = (f"the first line must name the columns (e.g. text,label); name the {role} column "
               f"'{wanted}' there, or choose which column holds the {role}.")
        if len(found) == 1:
            for sep, advice in ((";", "commas (CSV)"), ("\t", "a .tsv name"), (",", "a .csv name")):
                if sep in found[0] and sep != {"csv": ",", "tsv": "\t"}[fmt]:
                    fix += f" The header looks separated by {sep!r}: save the file with {advice}."
                    break
        return fix
    return f"give every record a '{wanted}' field, or choose which field holds the {role}."


def _resolve(ctx: ReadContext, found: Sequence[str], line: int, wanted: str | None, role: str,
             *, required: bool) -> str | None:
    if wanted is None:
        return None
    column = _find(found, wanted)
    default = {"text": DEFAULT_TEXT, "label": DEFAULT_LABEL, "text pair": DEFAULT_PAIR}[role]
    if column is None and wanted == default:
        column = next((c for alt in _ALTERNATIVES[default] if (c := _find(found, alt))), None)
    if column is not None:
        if column != wanted:
            ctx.note(f"used column '{column}' as {role}")
        return column
    if not required:
        return None
    listed = ", ".join(f"'{c}'" for c in found) or "none"
    kind = "field" if ctx.format in ("json", "jsonl") else "column"
    raise ctx.error(f"no {kind} '{wanted}' ({kind}s found: {listed})", line=line, field=wanted,
                    fix=_missing_fix(found, ctx.format, role, wanted))


def _columns(ctx: ReadContext, found: Sequence[str], line: int, text: str, label: str,
             pair: str | None) -> _Columns:
    cols = _Columns(
        text=_resolve(ctx, found, line, text, "text", required=True) or text,
        label=_resolve(ctx, found, line, label, "label", required=True) or label,
        # An explicitly named pair column must exist; the default one is optional.
        pair=_resolve(ctx, found, line, pair, "text pair", required=pair != DEFAULT_PAIR),
    )
    if cols.pair in (cols.text, cols.label):
        cols.pair = None
    return cols


def _example(ctx: ReadContext, line: int, cols: _Columns, text: str, label: str,
             pair: str | None) -> ClsExample | None:
    if not text.strip():
        ctx.problem("empty text", line=line, field=cols.text, fix="fill in the text or delete "
                                                                  "the row.")
        return None
    if not label.strip():
        ctx.problem("empty label", line=line, field=cols.label, fix="fill in the label or delete "
                                                                    "the row.")
        return None
    if cols.pair is not None and (pair is None or not pair.strip()):
        ctx.problem("empty text pair", line=line, field=cols.pair,
                    fix="fill in the second text or delete the row.")
        return None
    return ClsExample(text=text, label=label.strip(), text_pair=pair, line=line)


def _read_table(ctx: ReadContext, fmt: str, names: tuple[str, str, str | None]
                ) -> Iterator[ClsExample]:
    rows = iter_rows(ctx, fmt)
    first = next(rows, None)
    if first is None:
        return
    header_line, _, raw_header = first
    header = [h.strip() for h in raw_header]
    cols = _columns(ctx, header, header_line, *names)
    index = {name: i for i, name in reversed(list(enumerate(header)))}
    sep_fix = ('put text that contains commas in double quotes ("好，很好, 真的",pos), or save '
               'as TSV.' if fmt == "csv" else "remove tab characters from inside the text.")
    for line, last, row in rows:
        if len(row) > len(header) and not any(c.strip() for c in row[len(header):]):
            row = row[: len(header)]     # trailing separators, as spreadsheets write them
        if len(row) != len(header):
            if last > line:
                ctx.problem(f"this row runs on to line {last}: a double quote opened here is "
                            "probably never closed", line=line, field="columns",
                            fix='close the quote; inside quoted text write a quote as "".')
            else:
                ctx.problem(f"{_plural(len(row), 'field')}, but the header (line {header_line}) "
                            f"has {len(header)}", line=line, field="columns", fix=sep_fix)
            continue
        pair = row[index[cols.pair]] if cols.pair is not None else None
        example = _example(ctx, line, cols, row[index[cols.text]], row[index[cols.label]], pair)
        if example is not None:
            yield example


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _as_text(ctx: ReadContext, value: Any, line: int, field: str, *, label: bool) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not label and isinstance(value, float):
        return str(value)
    what = "a string or an integer" if label else "a string"
    ctx.problem(f"'{field}' is {json_kind(value)}, not {what}", line=line, field=field,
                fix=("use one label per example, as a string such as \"positive\" or an "
                     "integer." if label else "write the text as a JSON string."))
    return None


def _read_records(ctx: ReadContext, fmt: str, names: tuple[str, str, str | None],
                  sheet: str | None = None) -> Iterator[ClsExample]:
    cols: _Columns | None = None
    for line, obj in iter_records(ctx, fmt, sheet=sheet):
        if cols is None:
            cols = _columns(ctx, list(obj), line, *names)
        values: dict[str, str | None] = {}
        for field, is_label in ((cols.text, False), (cols.label, True), (cols.pair, False)):
            if field is None:
                continue
            if field not in obj:
                found = ", ".join(f"'{k}'" for k in obj) or "none"
                ctx.problem(f"missing field '{field}' (fields found: {found})", line=line,
                            field=field, fix=f"give every record a '{field}' field.")
                break
            if obj[field] is None:        # an empty cell, a null in a table or in JSON
                values[field] = ""        # reported below as an empty text or label
                continue
            values[field] = _as_text(ctx, obj[field], line, field, label=is_label)
            if values[field] is None:
                break
        else:
            pair = values[cols.pair] if cols.pair is not None else None
            example = _example(ctx, line, cols, values[cols.text] or "",
                               values[cols.label] or "", pair)
            if example is not None:
                yield example


def _read_folder(ctx: ReadContext) -> Iterator[ClsExample]:
    """THUCNews layout: FOLDER/<label>/<any name>.txt, one example per file."""
    from core.data.text import open_text, read_text

    ctx.form = "thucnews"
    classes = sorted(p for p in ctx.path.iterdir() if p.is_dir() and any(p.glob("*.txt")))
    ctx.note(f"one example per .txt file, the sub-folder name is the label "
             f"({len(classes)} sub-folders)")
    for folder in classes:
        for number, path in enumerate(sorted(folder.glob("*.txt")), start=1):
            one = ReadContext.for_path(path, strict=ctx.strict)
            try:
                text = ""
                if path.stat().st_size:
                    open_text(one)
                    text = read_text(one).strip()
            except (DataError, OSError) as exc:       # this file only
                ctx.add(one.error(str(getattr(exc, "message", exc)),
                                  fix=getattr(exc, "fix", None)))
                continue
            if not text:
                ctx.add(one.error("empty file", fix="write the text into it, or delete it."))
                continue
            yield ClsExample(text=text, label=folder.name, line=1)


def iter_classification(ctx: ReadContext, format: str | None = None,
                        text_column: str = DEFAULT_TEXT, label_column: str = DEFAULT_LABEL,
                        text_pair_column: str | None = DEFAULT_PAIR, sheet: str | None = None
                        ) -> Iterator[ClsExample]:
    """Examples one by one (check-data streams large files through this)."""
    fmt = open_source(ctx, "classify", format)
    names = (text_column, label_column, text_pair_column)
    if fmt in ("csv", "tsv"):
        ctx.form = fmt
        examples = _read_table(ctx, fmt, names)
    elif fmt == "folder":
        examples = _read_folder(ctx)
    else:
        ctx.form = "records"
        examples = _read_records(ctx, fmt, names, sheet)
    found = False
    for example in examples:
        found = True
        yield example
    if not found and not ctx.problems:
        ctx.problem("no examples found", fix="put one example per row, under a header line "
                                             "such as text,label.")


def read_classification_into(ctx: ReadContext, format: str | None = None,
                             text_column: str = DEFAULT_TEXT, label_column: str = DEFAULT_LABEL,
                             text_pair_column: str | None = DEFAULT_PAIR, sheet: str | None = None
                             ) -> list[ClsExample]:
    return list(iter_classification(ctx, format, text_column, label_column, text_pair_column,
                                    sheet))


def read_classification(path: PathArg, format: str | None = None, text_column: str = DEFAULT_TEXT,
                        label_column: str = DEFAULT_LABEL,
                        text_pair_column: str | None = DEFAULT_PAIR,
                        sheet: str | None = None) -> list[ClsExample]:
    """All examples of a classification file; raises DataError at the first problem."""
    return read_classification_into(ReadContext.for_path(path), format, text_column,
                                    label_column, text_pair_column, sheet)


def label_counts(examples: Iterable[ClsExample]) -> dict[str, int]:
    return dict(Counter(e.label for e in examples).most_common())
