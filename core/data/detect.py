"""Which task and which shape a data file holds, from its content: "NER, CLUENER JSON, sure".

Only the head of the file is looked at (the first 64 KB of text, or the first rows of a table), so
detection is instant even for large files; the reader then checks every example. Each record is
matched against the shapes the readers know; the commonest shape wins and its share of the sampled
records is the confidence. Records that almost fit a shape become near-misses ("looks like Alpaca
but 12 records lack 'output'").
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from core.data.chat import sft_form
from core.data.errors import DataError, PathArg, ReadContext
from core.data.formats import _CONLL_LINE, _EXT_FORMATS, FORMAT_TITLES, folder_format
from core.data.ner_spans import span_form
from core.data.text import check_file, sniff_head

SAMPLE = 200
TASK_TITLES = {"ner": "NER", "classify": "classification", "sft": "chat SFT"}
FORM_TITLES = {"conll": "", "tokens": "token lists", "cluener": "CLUENER",
               "doccano": "doccano spans", "labelstudio": "Label Studio spans", "spans": "spans",
               "messages": "messages", "sharegpt": "ShareGPT", "alpaca": "Alpaca",
               "pair": "prompt/response", "thucnews": "THUCNews", "records": "", "csv": "",
               "tsv": ""}
_TEXT_KEYS = ("text", "sentence", "content", "text_a", "sentence1", "文本", "内容", "句子",
              "评论", "正文")
_LABEL_KEYS = ("label", "labels", "category", "class", "标签", "类别", "分类")
_NER_LABEL_KEYS = ("labels", "ner_tags", "tags")
# Shapes a record may almost fit: (title, keys that show the intent, keys it needs).
_PARTIAL = (
    ("Alpaca", ("instruction",), ("output",)),
    ("prompt/response", ("prompt",), ("response",)),
    ("token lists", ("tokens",), ("labels",)),
    ("classification", ("text",), ("label",)),
    ("messages", ("role", "content"), ("messages",)),
)


@dataclass
class Detection:
    task: str | None
    format: str                 # the file format: jsonl, csv, conll, hf...
    form: str                   # the shape inside it: alpaca, cluener, conll, tokens...
    confidence: float           # share of the sampled records that fit
    sampled: int = 0
    near_misses: list[str] = field(default_factory=list)
    others: dict[str, float] = field(default_factory=dict)   # other tasks that fit some records

    @property
    def sureness(self) -> str:
        return "sure" if self.confidence >= 0.95 else "likely" if self.confidence >= 0.6 \
            else "unsure"

    def title(self) -> str:
        """ "NER, CLUENER JSONL" """
        shape = " ".join(p for p in (FORM_TITLES.get(self.form, self.form),
                                     FORMAT_TITLES.get(self.format, self.format.upper())) if p)
        task = TASK_TITLES.get(self.task or "", "unknown task")
        return f"{task}, {shape}" if shape else task

    def to_dict(self) -> dict[str, Any]:
        return {"task": self.task, "format": self.format, "form": self.form,
                "confidence": round(self.confidence, 3), "sureness": self.sureness,
                "sampled": self.sampled, "near_misses": self.near_misses, "title": self.title()}


def _has(obj: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    lowered = {str(k).strip().lower(): k for k in obj}
    return next((lowered[k] for k in keys if k in lowered), None)


def record_form(obj: dict[str, Any]) -> tuple[str, str] | None:
    """(task, form) of one record, or None when it fits no shape."""
    if isinstance(obj.get("messages"), list):
        return "sft", "messages"
    if isinstance(obj.get("conversations"), list):
        return "sft", "sharegpt"
    form = sft_form(obj)
    if form is not None and all(k in obj for k in form[1:]):
        return "sft", form[0]
    spans = span_form(obj)
    if spans is not None:
        return "ner", spans
    if isinstance(obj.get("tokens"), list) and any(isinstance(obj.get(k), list)
                                                   for k in _NER_LABEL_KEYS):
        return "ner", "tokens"
    text, label = _has(obj, _TEXT_KEYS), _has(obj, _LABEL_KEYS)
    if text is not None and label is not None and isinstance(obj[text], str) and \
            isinstance(obj[label], (str, int)) and not isinstance(obj[label], bool):
        return "classify", "records"
    return None


def _near_misses(records: list[dict[str, Any]], fits: list[tuple[str, str] | None]) -> list[str]:
    counts: Counter[tuple[str, str, str]] = Counter()
    for obj, fit in zip(records, fits):
        if fit is not None:
            continue
        for title, shows, needs in _PARTIAL:
            if all(k in obj for k in shows):
                for need in needs:
                    if need not in obj:
                        counts[("lack", title, need)] += 1
                break
        else:
            keys = ", ".join(f"'{k}'" for k in list(obj)[:6]) or "no fields"
            counts[("none", keys, "")] += 1
    out = []
    for (kind, a, b), n in counts.most_common(5):
        s = "" if n == 1 else "s"
        out.append(f"looks like {a} but {n} record{s} lack{'' if s else 's'} '{b}'" if kind == "lack"
                   else f"{n} record{s} fit no known shape (fields: {a})")
    return out


def _from_records(fmt: str, records: list[dict[str, Any]]) -> Detection:
    fits = [record_form(r) for r in records]
    tally = Counter(f for f in fits if f is not None)
    near = _near_misses(records, fits)
    if not tally:
        return Detection(None, fmt, "", 0.0, len(records), near)
    (task, form), n = tally.most_common(1)[0]
    others: dict[str, float] = {}
    for (t, _), m in tally.items():
        if t != task:
            others[t] = others.get(t, 0.0) + m / len(records)
    return Detection(task, fmt, form, n / len(records), len(records), near, others)


def _json_head(head: str, complete: bool) -> tuple[str, list[Any]]:
    """The format and the first records of a JSON or JSONL file from its head."""
    text = head.lstrip()
    decoder = json.JSONDecoder()
    items: list[Any] = []
    if text.startswith("["):
        pos = 1
        while len(items) < SAMPLE:
            while pos < len(text) and text[pos] in " \t\r\n,":
                pos += 1
            if pos >= len(text) or text[pos] == "]":
                break
            try:
                item, pos = decoder.raw_decode(text, pos)
            except (ValueError, RecursionError):
                break
            items.append(item)
        return "json", items
    lines = text.splitlines()
    if not complete:
        lines = lines[:-1]          # the last line may be cut in the middle
    fmt = "jsonl"
    for line in lines[:SAMPLE]:
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except (ValueError, RecursionError):
            fmt = "json"            # a pretty-printed object over many lines
            break
    if fmt == "json":
        items = []
        pos = 0
        while len(items) < SAMPLE:
            while pos < len(text) and text[pos] in " \t\r\n":
                pos += 1
            if pos >= len(text):
                break
            try:
                item, pos = decoder.raw_decode(text, pos)
            except (ValueError, RecursionError):
                break
            items.append(item)
    return fmt, items


def _from_text(ctx: ReadContext, ext_fmt: str | None) -> Detection:
    head = sniff_head(ctx)
    complete = ctx.size <= len(head.encode("utf-8", "replace")) or ctx.size <= 64 * 1024
    start = head.lstrip()[:1]
    lines = [ln.strip() for ln in head.splitlines() if ln.strip()]
    if not complete and len(lines) > 1:
        lines = lines[:-1]
    conll_lines = [ln for ln in lines[:SAMPLE * 5] if not ln.startswith("-DOCSTART-")]
    conll = sum(bool(_CONLL_LINE.fullmatch(ln)) for ln in conll_lines)
    if start not in ("[", "{") or ext_fmt == "conll":
        if conll_lines and conll / len(conll_lines) >= 0.5:
            return Detection("ner", "conll", "conll", conll / len(conll_lines), len(conll_lines))
    if start in ("[", "{") and ext_fmt not in ("csv", "tsv"):
        fmt, items = _json_head(head, complete)
        records = [r for r in items if isinstance(r, dict)]
        if records:
            det = _from_records(fmt, records)
            det.confidence *= len(records) / len(items)
            return det
        return Detection(None, fmt, "", 0.0, len(items),
                         ["the JSON holds no objects {...}" if items else
                          "the JSON cannot be read from its start"])
    if lines:
        sep = "\t" if ext_fmt == "tsv" or "\t" in lines[0] else ","
        fmt = "tsv" if sep == "\t" else "csv"
        header = [h.strip().strip('"') for h in lines[0].split(sep)]
        record = {h: "" for h in header}
        if _has(record, _TEXT_KEYS) is not None and _has(record, _LABEL_KEYS) is not None:
            return Detection("classify", fmt, fmt, 1.0, len(lines) - 1)
        if len(header) >= 2:
            return Detection("classify", fmt, fmt, 0.3, len(lines) - 1,
                             [f"a {fmt.upper()} table, but its first line ({lines[0][:60]}) "
                              "names no text and label columns"])
    return Detection(None, ext_fmt or "", "", 0.0, 0,
                     ["not JSON, a table, or token-per-line CoNLL"])


def _from_table(ctx: ReadContext, fmt: str) -> Detection:
    from core.data.records import iter_records

    probe = ReadContext(path=ctx.path, name=ctx.name, strict=False)
    records = []
    for _, record in iter_records(probe, fmt):
        records.append(record)
        if len(records) >= SAMPLE:
            break
    if fmt == "xlsx":
        return Detection("classify", fmt, "records", 1.0 if records else 0.0, len(records))
    return _from_records(fmt, records)


def detect(path: PathArg) -> Detection:
    """The task and shape of a data file or folder; raises DataError only for unreadable paths."""
    ctx = ReadContext.for_path(path)
    if ctx.path.is_dir():
        fmt = folder_format(ctx)
        if fmt == "folder":
            return Detection("classify", "folder", "thucnews", 1.0)
        if fmt is None:
            return Detection(None, "", "", 0.0, 0, ["a folder without data LapTune can read"])
        return _from_table(ctx, fmt)
    ctx.size = check_file(ctx)
    ext = ctx.path.suffix.lower()
    fmt = _EXT_FORMATS.get(ext)
    try:
        if fmt in ("xlsx", "parquet", "arrow"):
            return _from_table(ctx, fmt)
        return _from_text(ctx, "conll" if ext in (".conll", ".bio", ".bmes", ".iob") else fmt)
    except DataError:
        raise
    except OSError as exc:
        raise ctx.error(f"cannot read the file ({exc.strerror or exc})") from exc


def suggest_task(path: PathArg, task: str) -> str | None:
    """A sentence naming the task the file fits, when that is not `task`; None otherwise."""
    try:
        found = detect(path)
    except DataError:
        return None
    if found.task is None or found.task == task or found.confidence < 0.5:
        return None
    return (f"this looks like {found.title()} data ({found.confidence:.0%} of the sampled "
            f"records fit): choose the {TASK_TITLES[found.task]} task (--task {found.task})")

