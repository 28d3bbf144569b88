"""Small valid data files, one per task and shape: "Save an example file" in the app and
`laptune example-data`. A user sees the shape before converting their own data; every file here
reads back through the same readers (tested)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from core.data.errors import DataError, PathArg

FORMS = {
    "ner": ("conll", "cluener", "spans", "tokens"),
    "classify": ("csv", "tsv", "jsonl", "xlsx"),
    "sft": ("messages", "alpaca", "sharegpt", "pair"),
}
DEFAULT_FORM = {"ner": "conll", "classify": "csv", "sft": "messages"}
SUFFIX = {"conll": ".txt", "cluener": ".json", "spans": ".jsonl", "tokens": ".jsonl", "csv": ".csv",
          "tsv": ".tsv", "jsonl": ".jsonl", "xlsx": ".xlsx", "messages": ".jsonl",
          "alpaca": ".json", "sharegpt": ".json", "pair": ".jsonl"}
_EXT_FORM = {"ner": {".txt": "conll", ".conll": "conll", ".bio": "conll", ".json": "cluener",
                     ".jsonl": "spans"},
             "classify": {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".json": "jsonl",
                          ".xlsx": "xlsx"},
             "sft": {".jsonl": "messages", ".json": "alpaca"}}

_NER = [("李华住在北京。", [("李华", "PER"), ("北京", "LOC")]),
        ("张伟在上海的华为公司工作。", [("张伟", "PER"), ("上海", "LOC"), ("华为公司", "ORG")]),
        ("王芳明天去杭州。", [("王芳", "PER"), ("杭州", "LOC")])]
_CLS = [("这家餐厅的菜很好吃，服务也热情。", "正面"), ("等了一个小时才上菜，太失望了。", "负面"),
        ("价格实惠，环境干净，还会再来。", "正面"), ("菜是凉的，服务员态度很差。", "负面")]
_SFT = [("用一句话介绍北京。", "北京是中国的首都，有三千多年的建城史。"),
        ("把“你好”翻译成英文。", "Hello."),
        ("一年有几个季节？", "一年有四个季节：春、夏、秋、冬。")]
_SYSTEM = "你是一个乐于助人的助手。"


def _offsets(text: str, entities: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    return [(text.index(m), text.index(m) + len(m), label) for m, label in entities]


def _bio(text: str, entities: list[tuple[str, str]]) -> list[tuple[str, str]]:
    labels = ["O"] * len(text)
    for start, end, label in _offsets(text, entities):
        labels[start:end] = [f"B-{label}"] + [f"I-{label}"] * (end - start - 1)
    return list(zip(text, labels))


def _records(task: str, form: str) -> list[dict[str, Any]]:
    if task == "ner":
        if form == "cluener":
            out = []
            for text, ents in _NER:
                label: dict[str, dict[str, list[list[int]]]] = {}
                for s, e, kind in _offsets(text, ents):
                    label.setdefault(kind, {})[text[s:e]] = [[s, e - 1]]
                out.append({"text": text, "label": label})
            return out
        if form == "spans":
            return [{"text": t, "entities": [{"start": s, "end": e, "label": k}
                                             for s, e, k in _offsets(t, ents)]} for t, ents in _NER]
        return [{"tokens": [c for c, _ in _bio(t, ents)], "labels": [lab for _, lab in _bio(t, ents)]}
                for t, ents in _NER]
    if task == "classify":
        return [{"text": t, "label": lab} for t, lab in _CLS]
    if form == "alpaca":
        return [{"instruction": q, "input": "", "output": a, "system": _SYSTEM} for q, a in _SFT]
    if form == "sharegpt":
        return [{"conversations": [{"from": "human", "value": q}, {"from": "gpt", "value": a}]}
                for q, a in _SFT]
    if form == "pair":
        return [{"prompt": q, "response": a} for q, a in _SFT]
    return [{"messages": [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": q},
                          {"role": "assistant", "content": a}]} for q, a in _SFT]


def example_text(task: str, form: str) -> str:
    """The file's text (not for .xlsx)."""
    if task == "ner" and form == "conll":
        return "\n".join("\n".join(f"{c} {lab}" for c, lab in _bio(t, ents)) + "\n"
                         for t, ents in _NER)
    if task == "classify" and form in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if form == "csv" else "\t", lineterminator="\n")
        writer.writerow(["text", "label"])
        writer.writerows(_CLS)
        return buf.getvalue()
    records = _records(task, form)
    if SUFFIX[form] == ".json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def write_example(task: str, path: PathArg, form: str | None = None) -> Path:
    """Write a small valid file for `task`; the form follows `form`, else the file's extension."""
    target = Path(path)
    if task not in FORMS:
        raise DataError(f"unknown task {task!r}", field="task", fix="use ner, classify or sft.")
    form = form or _EXT_FORM[task].get(target.suffix.lower()) or DEFAULT_FORM[task]
    if form not in FORMS[task]:
        raise DataError(f"no example shape '{form}' for {task}", field="form",
                        fix=f"use one of {', '.join(FORMS[task])}.")
    if not target.suffix:
        target = target.with_suffix(SUFFIX[form])
    target.parent.mkdir(parents=True, exist_ok=True)
    if form == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "Sheet1"
        sheet.append(["text", "label"])
        for row in _CLS:
            sheet.append(list(row))
        book.save(target)
    else:
        target.write_text(example_text(task, form), encoding="utf-8")
    return target
