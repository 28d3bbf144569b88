"""Prediction over a file: streamed in windows, one output row per input row in input order.

Input: .txt (one text a line; blank lines are not rows), .jsonl (a string, or an object with "text" -
or the run's text column, "prompt", "input", "question", or "messages" for chat), .csv / .tsv (a header
row; the text column as above, and the run's text-pair column for pair classification). UTF-8 or GBK,
as the training readers accept. Excel (.xlsx: the first sheet or a named one; a header row naming the
text column, or texts in column A), .parquet / .arrow files and `datasets` save_to_disk folders are read
by the training data's readers (core/data/excel.py, core/data/tables.py); their rows are numbered as
those readers number them (the Excel row; the table row). Output: .jsonl (one JSON object a line) or .csv.

A row that cannot be read or predicted (bad JSON, no text field, an empty text) becomes an output row
with "line" and "error" and is listed in the report; the rest of the file goes on.
"""
from __future__ import annotations

import csv
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from core.data.errors import DataError, ReadContext
from core.data.excel import TEXT_NAMES as SHEET_TEXT_NAMES
from core.data.excel import iter_sheet_records
from core.data.formats import _EXT_FORMATS, folder_format
from core.data.records import iter_rows
from core.data.tables import iter_table_records
from core.data.text import check_file, iter_lines, open_text
from core.use.load import Loaded, UseError
from core.use.predict import DEFAULT_MAX_NEW_TOKENS, generate, predict_texts

TEXT_KEYS = ("text", "prompt", "input", "question", "instruction", "content", "sentence")
WINDOW = 64   # rows read ahead and sorted by length for batching


@dataclass
class Row:
    line: int
    text: str | None = None
    pair: str | None = None
    messages: list[dict[str, str]] | None = None
    error: str | None = None


@dataclass
class BatchReport:
    rows: int = 0
    ok: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)   # (line, why)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


def _keys(loaded: Loaded) -> tuple[tuple[str, ...], str | None]:
    cfg = loaded.resolved.config
    text_key = cfg.data.text_column if cfg is not None else "text"
    pair_key = cfg.data.text_pair_column if cfg is not None and loaded.task == "classify" else None
    return (text_key, *[k for k in TEXT_KEYS if k != text_key]), pair_key


def _from_object(obj: Any, line: int, keys: tuple[str, ...], pair_key: str | None, task: str) -> Row:
    if isinstance(obj, str):
        return Row(line, text=obj) if obj.strip() else Row(line, error="empty text")
    if not isinstance(obj, dict):
        return Row(line, error=f"expected a string or an object with a '{keys[0]}' field, found {type(obj).__name__}")
    if task == "sft" and isinstance(obj.get("messages"), list):
        msgs = [m for m in obj["messages"] if isinstance(m, dict) and isinstance(m.get("content"), str)]
        while msgs and msgs[-1].get("role") == "assistant":   # a training example: answer its last user turn
            msgs.pop()
        if msgs and msgs[-1].get("role") == "user":
            return Row(line, text=msgs[-1]["content"], messages=[{"role": m["role"], "content": m["content"]} for m in msgs])
        return Row(line, error="'messages' has no user turn to answer")
    if task == "ner" and isinstance(obj.get("tokens"), list) and "text" not in obj:
        tokens = [str(t) for t in obj["tokens"]]
        joined = "".join(tokens) if all(len(t) == 1 for t in tokens) else " ".join(tokens)
        return Row(line, text=joined) if joined.strip() else Row(line, error="empty text")
    for key in keys:
        value = obj.get(key)
        if value is None and key in obj:     # an empty cell, a null
            return Row(line, error=f"'{key}' is empty")
        if isinstance(value, str):
            if not value.strip():
                return Row(line, error=f"'{key}' is empty")
            pair = obj.get(pair_key) if pair_key else None
            return Row(line, text=value, pair=pair if isinstance(pair, str) else None)
    return Row(line, error=f"no text field (looked for {', '.join(repr(k) for k in keys[:4])})")


def table_format(path: Path) -> str | None:
    """"xlsx", "parquet", "arrow" or "hf" (a save_to_disk folder) for inputs the table readers read."""
    if path.is_dir():
        return "hf" if folder_format(ReadContext.for_path(path)) == "hf" else None
    found = _EXT_FORMATS.get(path.suffix.lower())
    return found if found in ("xlsx", "parquet", "arrow") else None


def _table_rows(path: Path, fmt: str, ctx: ReadContext, keys: tuple[str, ...], pair_key: str | None, task: str,
                sheet: str | None) -> Iterator[Row]:
    if fmt == "xlsx":
        # A header cell names the text column as the run does ("text", the run's text column) or as a
        # spreadsheet would ("Text", "文本"); its values are read under the run's name.
        canon = {name: keys[0] for name in SHEET_TEXT_NAMES}
        canon.update({k.lower(): k for k in (*keys, *([pair_key] if pair_key else []))})
        records: Iterator[tuple[int, dict[str, Any]]] = iter_sheet_records(
            ctx, sheet, text_names=tuple(canon), need_label=False)
    else:
        canon = {}
        records = iter_table_records(ctx, fmt)
    checked = False
    for number, obj in records:
        if canon:
            obj = {canon.get(str(k).strip().lower(), k): _cell_text(v) for k, v in obj.items()}
        if not checked:
            checked = True
            if task != "sft" or "messages" not in obj:
                if not any(k in obj for k in keys) and not (task == "ner" and "tokens" in obj):
                    raise UseError(f"{path}: no text column (columns: {', '.join(map(str, obj))})",
                                   fix=f"name the column of texts '{keys[0]}'")
        yield _from_object(obj, number, keys, pair_key, task)


def _cell_text(value: Any) -> Any:
    """A spreadsheet cell holding a number is a text to predict on ("2024", "3.5")."""
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def read_rows(path: Path, loaded: Loaded, ctx: ReadContext, sheet: str | None = None) -> Iterator[Row]:
    """Input rows as they are read; problems of one row become a Row with an error."""
    keys, pair_key = _keys(loaded)
    suffix = path.suffix.lower()
    reported = 0
    fmt = table_format(path)

    def refused() -> Iterator[Row]:   # rows the readers refused (over-long lines, unclosed quotes)
        nonlocal reported
        while reported < len(ctx.problems):
            problem = ctx.problems[reported]
            reported += 1
            yield Row(problem.line or 0, error=problem.message)

    if fmt is not None:
        yield from _table_rows(path, fmt, ctx, keys, pair_key, loaded.task, sheet)
    elif suffix in (".jsonl", ".ndjson", ".json"):
        for number, text in iter_lines(ctx):
            yield from refused()
            if not text.strip():
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                yield Row(number, error=f"not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            yield _from_object(obj, number, keys, pair_key, loaded.task)
    elif suffix in (".csv", ".tsv"):
        header: list[str] | None = None
        for first, _last, cells in iter_rows(ctx, "csv" if suffix == ".csv" else "tsv"):
            yield from refused()
            if header is None:
                header = [c.strip().lstrip("\ufeff") for c in cells]
                if not any(k in header for k in keys):
                    raise UseError(f"{path}: no text column in the header ({', '.join(header)})",
                                   fix=f"name the column of texts '{keys[0]}'")
                continue
            yield _from_object(dict(zip(header, cells)), first, keys, pair_key, loaded.task)
    else:
        for number, text in iter_lines(ctx):
            yield from refused()
            if text.strip():
                yield Row(number, text=text)
    yield from refused()


def count_rows(path: Path) -> int | None:
    """Lines in the file (a cheap upper bound for the progress bar); None when it cannot be read."""
    fmt = table_format(path)
    if fmt == "parquet":
        try:
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(str(path)).metadata.num_rows)
        except Exception:      # noqa: BLE001 - a damaged file: the reader will say what is wrong
            return None
    if fmt is not None:
        return None
    try:
        with open(path, "rb") as f:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) + 1
    except OSError:
        return None


class _Writer:
    def __init__(self, path: Path, task: str, labels: list[str] | None) -> None:
        self.path, self.task, self.labels = path, task, labels or []
        self.csv = path.suffix.lower() in (".csv", ".tsv")
        self.file = open(path, "w", encoding="utf-8-sig" if self.csv else "utf-8", newline="" if self.csv else None)
        if self.csv:
            self.writer = csv.writer(self.file, delimiter="," if path.suffix.lower() == ".csv" else "\t")
            extra = {"ner": ["entities", "score"], "classify": ["label", *[f"p_{lab}" for lab in self.labels]],
                     "sft": ["answer"]}[task]
            self.writer.writerow(["line", "text", *extra, "error"])

    def write(self, row: Row, result: dict[str, Any] | None) -> None:
        if not self.csv:
            data: dict[str, Any] = {"line": row.line}
            if row.text is not None:
                data["input"] = row.text
            data.update(result or {})
            if row.error:
                data["error"] = row.error
            self.file.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            if result is None:
                cells = {"ner": ["", ""], "classify": ["", *["" for _ in self.labels]], "sft": [""]}[self.task]
            elif self.task == "ner":
                cells = [json.dumps(result["entities"], ensure_ascii=False), result["score"]]
            elif self.task == "classify":
                cells = [result["label"], *[result["probabilities"].get(lab, "") for lab in self.labels]]
            else:
                cells = [result["text"]]
            self.writer.writerow([row.line, row.text or "", *cells, row.error or ""])
        self.file.flush()

    def close(self) -> None:
        self.file.close()


def predict_file(loaded: Loaded, in_path: str | Path, out_path: str | Path, *, batch_size: int = 16,
                 max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS, temperature: float | None = None,
                 progress: Callable[[int, int | None], None] | None = None,
                 should_stop: Callable[[], bool] | None = None, sheet: str | None = None) -> BatchReport:
    """Predict every row of `in_path` into `out_path`; `progress(done, total_or_None)` after each window."""
    in_path, out_path = Path(in_path), Path(out_path)
    if out_path.suffix.lower() not in (".jsonl", ".csv", ".tsv", ".json"):
        raise UseError(f"cannot write predictions to {out_path.name}", fix="name the output file .jsonl or .csv")
    if in_path.resolve() == out_path.resolve():
        raise UseError(f"the output file {out_path} is the input file", fix="choose another --out")
    ctx = ReadContext.for_path(in_path, strict=False, max_problems=10**9)
    # File-level problems (missing, empty, not text) stop here with their message.
    if table_format(in_path) is None:
        open_text(ctx)
    elif not in_path.is_dir():
        check_file(ctx)
    total = count_rows(in_path)
    report = BatchReport(notes=list(ctx.notes))
    started = time.perf_counter()
    writer = _Writer(out_path, loaded.task, loaded.labels)
    try:
        window: list[Row] = []
        # Generation is slow: report progress after every batch of prompts, not every 64 rows.
        size = batch_size if loaded.task == "sft" else max(WINDOW, batch_size)
        for row in read_rows(in_path, loaded, ctx, sheet):
            window.append(row)
            if len(window) >= size:
                _run_window(loaded, window, writer, report, batch_size, max_new_tokens, temperature)
                window = []
                if progress is not None:
                    progress(report.rows, total)
                if should_stop is not None and should_stop():
                    report.notes.append(f"stopped after {report.rows} rows")
                    break
        if window:
            _run_window(loaded, window, writer, report, batch_size, max_new_tokens, temperature)
    except DataError as exc:
        raise UseError(str(exc)) from exc
    finally:
        writer.close()
        report.seconds = time.perf_counter() - started
        report.notes += [n for n in ctx.notes if n not in report.notes]   # e.g. where a sheet's header was
    if progress is not None:
        progress(report.rows, report.rows)
    return report


def _run_window(loaded: Loaded, rows: list[Row], writer: _Writer, report: BatchReport, batch_size: int,
                max_new_tokens: int, temperature: float | None) -> None:
    good = [r for r in rows if r.error is None]
    results: dict[int, dict[str, Any]] = {}
    if good:
        try:
            if loaded.task == "sft":
                convs = [r.messages or [{"role": "user", "content": r.text or ""}] for r in good]
                answers: list[str] = []
                for at in range(0, len(convs), batch_size):
                    answers += generate(loaded, convs[at:at + batch_size], max_new_tokens=max_new_tokens,
                                        temperature=temperature)
                outs = [{"text": a} for a in answers]
            else:
                outs = predict_texts(loaded, [r.text or "" for r in good], pairs=[r.pair for r in good],
                                     batch_size=batch_size)
            results = {id(r): o for r, o in zip(good, outs)}
        except (ValueError, RuntimeError, IndexError) as exc:   # one bad row must not lose the window: retry row by row
            for r in good:
                try:
                    results[id(r)] = _one(loaded, r, max_new_tokens, temperature)
                except (ValueError, RuntimeError, IndexError) as row_exc:
                    r.error = f"prediction failed: {str(row_exc).splitlines()[0] if str(row_exc) else type(row_exc).__name__}"
            if not results and good:
                report.notes.append(f"a batch failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
    for r in rows:
        result = results.get(id(r))
        writer.write(r, result)
        report.rows += 1
        if result is None:
            report.bad.append((r.line, r.error or "no result"))
        else:
            report.ok += 1


def _one(loaded: Loaded, row: Row, max_new_tokens: int, temperature: float | None) -> dict[str, Any]:
    if loaded.task == "sft":
        conv = row.messages or [{"role": "user", "content": row.text or ""}]
        return {"text": generate(loaded, [conv], max_new_tokens=max_new_tokens, temperature=temperature)[0]}
    return predict_texts(loaded, [row.text or ""], pairs=[row.pair])[0]
