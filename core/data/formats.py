"""Which format a data file is in: by its extension first, by its first bytes where that is unclear."""
from __future__ import annotations

import json
import re

from core.data.errors import DataError, PathArg, ReadContext
from core.data.text import check_file, sniff_head

TASKS = ("ner", "classify", "sft")
FORMATS = ("conll", "jsonl", "json", "csv", "tsv")
TASK_FORMATS = {
    "ner": ("conll", "jsonl", "json"),
    "classify": ("csv", "tsv", "jsonl", "json"),
    "sft": ("jsonl", "json"),
}
_CONLL_EXTS = {".conll", ".conllu", ".bio", ".bmes", ".bioes", ".iob", ".iob2", ".ner"}
_EXT_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv"}
_FORMAT_HELP = {
    "ner": "a CoNLL/BIO text file (.txt, .conll, .bio: one token and its label per line) or "
           "JSONL with tokens and labels",
    "classify": "CSV, TSV or JSONL with a text and a label column",
    "sft": 'JSON or JSONL with {"messages": [{"role": ..., "content": ...}]} per conversation',
}


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


def _detect(ctx: ReadContext, task: str) -> str:
    ext = ctx.path.suffix.lower()
    if ext in _CONLL_EXTS:
        return "conll"
    known = _EXT_FORMATS.get(ext)
    if known in ("csv", "tsv"):
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
                        fix=f"for this task use {_FORMAT_HELP[task]}, and name the file with "
                            "its extension (.jsonl, .json, .csv, .tsv) or pass format=.")
    return found


def detect_format(path: PathArg, task: str) -> str:
    """Return "conll", "jsonl", "json", "csv" or "tsv" for a file, or raise a DataError."""
    ctx = ReadContext.for_path(path)
    check_task(ctx, task)
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
        raise DataError(f"{fmt.upper()} files cannot hold {task} data", file=ctx.name,
                        field="format", fix=f"use {_FORMAT_HELP[task]}.")
    ctx.format = fmt
    return fmt
