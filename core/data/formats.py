"""Which format a data file is in: by its extension first, by its first bytes where that is unclear.

Folders are data too: a Hugging Face `datasets` folder written by save_to_disk ("hf") and a folder
with one sub-folder of .txt files per class, as THUCNews is laid out ("folder").
"""
from __future__ import annotations

import json
import re

from core.data.errors import DataError, PathArg, ReadContext
from core.data.text import check_file, open_text, sniff_head

TASKS = ("ner", "classify", "sft")
FORMATS = ("conll", "jsonl", "json", "csv", "tsv", "xlsx", "parquet", "arrow", "hf", "folder")
TABLE_FORMATS = ("parquet", "arrow", "hf")          # columnar files read through pyarrow
TEXT_FORMATS = ("conll", "jsonl", "json", "csv", "tsv")
TASK_FORMATS = {
    "ner": ("conll", "jsonl", "json") + TABLE_FORMATS,
    "classify": ("csv", "tsv", "jsonl", "json", "xlsx") + TABLE_FORMATS + ("folder",),
    "sft": ("jsonl", "json") + TABLE_FORMATS,
}
FORMAT_TITLES = {"conll": "CoNLL", "jsonl": "JSONL", "json": "JSON", "csv": "CSV", "tsv": "TSV",
                 "xlsx": "Excel", "parquet": "Parquet", "arrow": "Arrow",
                 "hf": "datasets folder", "folder": "folder of .txt per class"}
_CONLL_EXTS = {".conll", ".conllu", ".bio", ".bmes", ".bioes", ".iob", ".iob2", ".ner"}
_EXT_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv",
                ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet", ".arrow": "arrow"}
FORMAT_HELP = {
    "ner": "a CoNLL/BIO text file (.txt, .conll, .bio: one token and its label per line), JSONL "
           "with tokens and labels, CLUENER JSON, or span JSONL (doccano, Label Studio)",
    "classify": "CSV, TSV, Excel (.xlsx) or JSONL with a text and a label column, or a folder "
                "with one sub-folder of .txt files per class",
    "sft": 'JSON or JSONL conversations ({"messages": [...]}, ShareGPT, or Alpaca '
           '{"instruction", "input", "output"})',
}
_FORMAT_HELP = FORMAT_HELP


def check_task(ctx: ReadContext, task: str) -> None:
    if task not in TASKS:
        raise ctx.error(f"unknown task {task!r}", field="task",
                        fix=f"use one of {', '.join(TASKS)}.")


def _first_line_is_object(head: str) -> bool:
    first, sep, rest = head.lstrip().partition("\n")
    if not sep or not rest.strip():
        return False
    try:
        return isinstance(json.loads(first), dict)
    except (ValueError, RecursionError):
        return False


# "token label" with a BIO-looking label: CoNLL even if the token happens to be "{" or "[".
_CONLL_LINE = re.compile(r"\S+[ \t]+(?:\S+[ \t]+)*(?:O|[BIESM]-\S+)")


def _sniff(head: str, task: str) -> str | None:
    first = next((line for line in head.splitlines() if line.strip()), "")
    if task == "ner" and _CONLL_LINE.fullmatch(first.strip()):
        return "conll"
    start = head.lstrip()[:1]
    if start == "[":
        return "json"
    if start == "{":
        return "jsonl" if _first_line_is_object(head) else "json"
    if task == "ner":
        return "conll"
    if task == "classify":
        first = head.lstrip("\r\n").partition("\n")[0]
        if "\t" in first:
            return "tsv"
        if "," in first:
            return "csv"
    return None


def folder_format(ctx: ReadContext) -> str | None:
    """"hf" for a save_to_disk folder, "folder" for one sub-folder of .txt files per class."""
    path = ctx.path
    if (path / "state.json").is_file() or (path / "dataset_dict.json").is_file():
        return "hf"
    try:
        if any(sub.is_dir() and any(sub.glob("*.txt")) for sub in path.iterdir()):
            return "folder"
    except OSError:
        return None
    return None


def _detect(ctx: ReadContext, task: str) -> str:
    if ctx.path.is_dir():
        found = folder_format(ctx)
        if found is None:
            raise ctx.error("this folder holds no data LapTune can read", field="format",
                            fix="choose the data file inside it, a folder saved with datasets' "
                                "save_to_disk, or a folder with one sub-folder of .txt files "
                                "per class.")
        return found
    ext = ctx.path.suffix.lower()
    if ext in _CONLL_EXTS:
        return "conll"
    known = _EXT_FORMATS.get(ext)
    if known in ("xlsx", "parquet", "arrow"):
        return known
    if known in ("csv", "tsv"):
        if task == "ner" and known == "tsv":
            first = next((ln for ln in sniff_head(ctx).splitlines() if ln.strip()), "")
            if _CONLL_LINE.fullmatch(first.strip()):
                return "conll"
        return known
    head = sniff_head(ctx)
    if known in ("json", "jsonl"):
        # A .json file is often JSON Lines and vice versa; the first character tells.
        start = head.lstrip()[:1]
        if start == "[":
            return "json"
        if start == "{" and _first_line_is_object(head):
            return "jsonl"
        return known
    found = _sniff(head, task)
    if found is None:
        raise ctx.error("cannot tell the format of this file", field="format",
                        fix=f"for this task use {FORMAT_HELP[task]}, and name the file with "
                            "its extension (.jsonl, .json, .csv, .tsv) or give the format (--format, data.format).")
    return found


def detect_format(path: PathArg, task: str) -> str:
    """Return one of FORMATS for a file or folder, or raise a DataError."""
    ctx = ReadContext.for_path(path)
    check_task(ctx, task)
    if not ctx.path.is_dir():
        check_file(ctx)
    try:
        return _detect(ctx, task)
    except OSError as exc:
        raise ctx.error(f"cannot read the file ({exc.strerror or exc})") from exc


def resolve_format(ctx: ReadContext, task: str, format: str | None) -> str:
    """The format to read with: the caller's, or the detected one; checked against the task."""
    check_task(ctx, task)
    if format is None:
        fmt = _detect(ctx, task)
    else:
        fmt = format.lower().lstrip(".")
        if fmt not in FORMATS:
            raise ctx.error(f"unknown format {format!r}", field="format",
                            fix=f"use one of {', '.join(TASK_FORMATS[task])}.")
    if fmt not in TASK_FORMATS[task]:
        raise DataError(f"{FORMAT_TITLES.get(fmt, fmt.upper())} files cannot hold {task} data",
                        file=ctx.name, field="format", fix=f"use {FORMAT_HELP[task]}.")
    ctx.format = fmt
    return fmt


def open_source(ctx: ReadContext, task: str, format: str | None) -> str:
    """Check the file or folder, settle the encoding of text files, and return the format."""
    check_task(ctx, task)
    wanted = (format or "").lower().lstrip(".")
    binary = wanted in ("xlsx", "parquet", "arrow", "hf", "folder") or (
        not wanted and _EXT_FORMATS.get(ctx.path.suffix.lower()) in ("xlsx", "parquet", "arrow"))
    if ctx.path.is_dir():
        pass
    elif binary:
        ctx.size = check_file(ctx)
    else:
        open_text(ctx)
    return resolve_format(ctx, task, format)
