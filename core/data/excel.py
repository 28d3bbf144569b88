"""Excel workbooks (.xlsx) through openpyxl: the first sheet or a named one, the header row found.

People keep labelled texts in spreadsheets with a title row or two above the table, Chinese column
names, or no header at all. The header is the first row (of the first ten) that names a text and a
label column; without one, a two-column sheet is read as text, label (said in the notes). Rows
become dicts like JSON records, and problems name the cell: "Sheet1!B12".
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from core.data.errors import DataError, ReadContext

_HEADER_ROWS = 10
# What openpyxl returns for a cell holding an error (a failed formula, a date out of range).
_EXCEL_ERRORS = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
TEXT_NAMES = ("text", "sentence", "content", "text_a", "sentence1", "文本", "内容", "句子", "评论",
              "正文", "标题")
LABEL_NAMES = ("label", "labels", "category", "class", "标签", "类别", "分类", "类型")


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)           # Excel stores every number as a float: 1.0 is the label 1
    if value is None:
        return None
    if isinstance(value, (str, int, float)):
        return value
    return str(value)               # dates and times: their text


def _is_name(value: Any, names: tuple[str, ...]) -> bool:
    return isinstance(value, str) and value.strip().lower() in names


def _open(ctx: ReadContext, sheet: str | None) -> Any:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise DataError("reading .xlsx files needs the openpyxl package",
                        fix="install it with: pip install openpyxl") from exc
    try:
        book = openpyxl.load_workbook(ctx.path, read_only=True, data_only=True)
    except Exception as exc:    # openpyxl raises zipfile, KeyError, ValueError... for bad files
        raise ctx.error(f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
                        fix="open it in Excel or WPS and save it again as .xlsx (an old .xls "
                            "must be saved as .xlsx).") from exc
    if sheet is None:
        return book, book.worksheets[0]
    if sheet not in book.sheetnames:
        book.close()
        raise ctx.error(f"no sheet '{sheet}' (sheets: {', '.join(book.sheetnames)})",
                        field="sheet", fix="give one of the sheet names above.")
    return book, book[sheet]


def iter_sheet_records(ctx: ReadContext, sheet: str | None = None, *,
                       text_names: tuple[str, ...] = TEXT_NAMES, need_label: bool = True
                       ) -> Iterator[tuple[int, dict[str, Any]]]:
    """(Excel row number, {column name: value}) for the rows under the header.

    Training data needs a text and a label column; texts to predict on (`need_label=False`) only a
    text column, named as one of `text_names`, or column A of a sheet without a header."""
    book, ws = _open(ctx, sheet)
    try:
        ctx.sheet = ws.title
        rows = _rows(ctx, ws)
        head: list[tuple[int, list[Any]]] = []
        header: list[str] | None = None
        number = 0
        for number, raw in enumerate(rows, start=1):
            values = [_cell(v) for v in raw]
            if not any(v is not None and str(v).strip() for v in values):
                continue
            head.append((number, values))
            if any(_is_name(v, text_names) for v in values) and \
                    (not need_label or any(_is_name(v, LABEL_NAMES) for v in values)):
                header = [str(v).strip() if v is not None else "" for v in values]
                head = []
                ctx.note(f"header in row {number} of sheet '{ws.title}'")
                break
            if len(head) >= _HEADER_ROWS:
                break
        if header is None:
            header = _positional_header(ctx, head) if need_label else _text_only_header(ctx, head)
        ctx.columns = {name: column_letter(i) for i, name in enumerate(header) if name}
        for n, values in head:
            if (record := _record(ctx, n, header, values)) is not None:
                yield n, record
        for number, raw in enumerate(rows, start=number + 1):
            values = [_cell(v) for v in raw]
            if any(v is not None and str(v).strip() for v in values):
                if (record := _record(ctx, number, header, values)) is not None:
                    yield number, record
    finally:
        book.close()


def _rows(ctx: ReadContext, ws: Any) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows; openpyxl parses the sheet as it goes, so a damaged one fails here, not on opening."""
    rows = ws.iter_rows(values_only=True)
    done = 0
    while True:
        try:
            raw = next(rows)
        except StopIteration:
            return
        except Exception as exc:    # ParseError, ValueError, zip errors... from openpyxl's lazy reading
            raise ctx.error(f"sheet '{ws.title}' is damaged after row {done} ({type(exc).__name__}: {exc})",
                            line=done + 1, fix="open it in Excel or WPS and save it again as .xlsx.") from exc
        done += 1
        yield raw


def _record(ctx: ReadContext, number: int, header: list[str], values: list[Any]) -> dict[str, Any] | None:
    """The row as {column: value}; None after reporting a cell that holds an Excel error (#N/A, #VALUE!...)."""
    record = {name: (values[i] if i < len(values) else None) for i, name in enumerate(header) if name}
    for name, value in record.items():
        if isinstance(value, str) and value in _EXCEL_ERRORS:
            ctx.problem(f"the cell holds the Excel error {value}", line=number, field=name,
                        fix="correct the formula or the value in that cell (a date must lie within the "
                            "years 1900-9999), or delete the row.")
            return None
    return record


def _text_only_header(ctx: ReadContext, head: list[tuple[int, list[Any]]]) -> list[str]:
    """Texts to predict on without a header row: column A holds them."""
    if not head:
        raise ctx.error(f"sheet '{ctx.sheet}' is empty", fix="put one text per row in column A.")
    ctx.note("no header row: column A is the text")
    return ["text"]


def _positional_header(ctx: ReadContext, head: list[tuple[int, list[Any]]]) -> list[str]:
    """No row names the columns: a sheet of text, label is read by position."""
    if not head:
        raise ctx.error(f"sheet '{ctx.sheet}' is empty",
                        fix="put one example per row: the text in column A, its label in B.")
    first_number, first = head[0]
    width = max(i + 1 for _, values in head for i, v in enumerate(values) if v is not None)
    if width != 2:
        found = ", ".join(f"{column_letter(i)}: {v}" for i, v in enumerate(first) if v is not None)
        raise ctx.error(f"no header row names a text and a label column (row {first_number} "
                        f"has {found})", line=first_number, fix="add a header row with the names text and label "
                                             "(or 文本 and 标签) above the data.")
    # Row 1 is a header with other names when its B value is never a label below it.
    labels_below = {values[1] for _, values in head[1:] if len(values) > 1}
    if len(head) > 2 and first[1] not in labels_below and isinstance(first[1], str) \
            and len(labels_below) < len(head) - 1:
        ctx.note(f"row {first_number} taken as the header ({first[0]}, {first[1]}): column A is "
                 "the text, column B the label")
        del head[0]
    else:
        ctx.note("no header row: column A is the text, column B the label")
    return ["text", "label"]
