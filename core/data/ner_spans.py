"""NER data as text with character spans, turned into tokens with BIO labels.

Forms read (one record per line, or a JSON list):
- CLUENER: {"text": ..., "label": {"name": {"叶老桂": [[9, 11]]}}}; end offsets are inclusive.
- doccano: {"text": ..., "label": [[start, end, "LOC"], ...]} or {"text": ..., "entities":
  [{"start_offset", "end_offset", "label"}]}; end offsets exclusive.
- Label Studio: the JSON export ({"data": {"text"}, "annotations": [{"result": [{"value": {"start",
  "end", "labels": [...]}}]}]}) and JSON-MIN ({"text", "label": [{"start", "end", "labels"}]}).
- generic: {"text", "entities": [{"start", "end", "label"}]}.

Exclusive or inclusive ends are decided once per file from the data (a span's own text where
the record carries it, otherwise spans ending at the text's end or empty spans), and said in the
notes. Tokens: each CJK character, punctuation mark or run of letters/digits is one token, cut
again at every span boundary, so a span always covers whole tokens.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from core.data.errors import ReadContext
from core.data.records import json_kind

_TOKEN = re.compile(r"[A-Za-z0-9_]+|\S")
_SPAN_SHAPE = '{"text": "...", "entities": [{"start": 0, "end": 2, "label": "PER"}]}'
_CLUENER_SHAPE = '{"text": "...", "label": {"PER": {"张三": [[0, 1]]}}}'
# How many records decide the end convention before the file is read on.
DECIDE_AFTER = 200


@dataclass
class Span:
    start: int
    end: int                 # as written in the file; the convention decides what it means
    label: str
    mention: str | None      # the span's own text, where the record gives it
    field: str


def span_form(obj: dict[str, Any]) -> str | None:
    """"cluener", "doccano", "labelstudio" or "spans" when the record is text with spans."""
    if isinstance(obj.get("data"), dict) and isinstance(obj.get("annotations"), list):
        return "labelstudio"
    if not isinstance(obj.get("text"), str):
        return None
    label = obj.get("label")
    if isinstance(label, dict):
        return "cluener"
    if isinstance(label, list):
        return "labelstudio" if label and isinstance(label[0], dict) else "doccano"
    entities = obj.get("entities")
    if isinstance(entities, list):
        return "doccano" if entities and isinstance(entities[0], dict) and \
            "start_offset" in entities[0] else "spans"
    return None


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _spans(ctx: ReadContext, number: int, obj: dict[str, Any], form: str
           ) -> tuple[str, list[Span]] | None:
    """The text and its spans, as written; None after a reported problem."""
    spans: list[Span] = []
    if form == "labelstudio" and "annotations" in obj:
        text = obj["data"].get("text")
        results = [r for a in obj["annotations"] if isinstance(a, dict)
                   for r in (a.get("result") or []) if isinstance(r, dict)]
        items = [(f"annotations.result[{i}].value", r.get("value")) for i, r in enumerate(results)]
    elif form == "cluener":
        text = obj["text"]
        items = []
        for label, mentions in obj["label"].items():
            if not isinstance(mentions, dict):
                ctx.problem(f"label '{label}' holds {json_kind(mentions)}, not "
                            "{mention: [[start, end]]}", line=number, field=f"label.{label}",
                            fix=f"write entities as {_CLUENER_SHAPE}.")
                return None
            for mention, pairs in mentions.items():
                for pair in pairs if isinstance(pairs, list) else [pairs]:
                    field = f"label.{label}.{mention}"
                    if not (isinstance(pair, list) and len(pair) == 2 and all(map(_int, pair))):
                        ctx.problem(f"span {pair!r} is not a [start, end] pair of integers",
                                    line=number, field=field,
                                    fix=f"write entities as {_CLUENER_SHAPE}.")
                        return None
                    spans.append(Span(pair[0], pair[1], str(label), mention, field))
    else:
        text = obj["text"]
        key = "entities" if isinstance(obj.get("entities"), list) else "label"
        items = [(f"{key}[{i}]", item) for i, item in enumerate(obj[key])]
    if not isinstance(text, str) or not text.strip():
        ctx.problem("empty text", line=number, field="text", fix="write the text, or delete the "
                                                                 "line.")
        return None
    if form != "cluener":
        for field, item in items:
            span = _one_span(item, field)
            if span is None:
                ctx.problem(f"cannot read the entity {item!r}", line=number, field=field,
                            fix=f"write entities as {_SPAN_SHAPE} (or [start, end, label]).")
                return None
            spans.append(span)
    return text, spans


def _one_span(item: Any, field: str) -> Span | None:
    if isinstance(item, list) and len(item) == 3 and _int(item[0]) and _int(item[1]) \
            and isinstance(item[2], str):
        return Span(item[0], item[1], item[2], None, field)
    if not isinstance(item, dict):
        return None
    start = item.get("start", item.get("start_offset"))
    end = item.get("end", item.get("end_offset"))
    label = item.get("label", item.get("labels"))
    if isinstance(label, list) and len(label) == 1:
        label = label[0]
    if not (_int(start) and _int(end) and isinstance(label, str) and label.strip()):
        return None
    mention = item.get("text")
    return Span(start, end, label.strip(), mention if isinstance(mention, str) else None, field)


def decide_inclusive(form: str, records: Iterable[tuple[str, list[Span]]]) -> tuple[bool, str]:
    """(inclusive ends?, why) from the first records of a file."""
    if form == "cluener":
        return True, "CLUENER spans: end offsets are inclusive"
    inclusive = exclusive = 0
    for text, spans in records:
        for s in spans:
            if s.mention is not None:
                exclusive += text[s.start:s.end] == s.mention
                inclusive += text[s.start:s.end + 1] == s.mention
            elif s.end == len(text) and s.end > s.start:
                exclusive += 1            # only an exclusive end can equal the length
            elif s.start == s.end:
                inclusive += 1            # an exclusive span cannot be empty
    if inclusive > exclusive:
        return True, "span ends read as inclusive (the spans' own texts say so)"
    if exclusive:
        return False, "span ends read as exclusive (end = one past the last character)"
    return False, "span ends read as exclusive, as doccano and Label Studio write them"


def tokens_and_labels(ctx: ReadContext, number: int, text: str, spans: list[Span],
                      inclusive: bool) -> tuple[list[str], list[str]] | None:
    """BIO-labelled tokens of a text; overlapping or out-of-range spans are problems."""
    shift = 1 if inclusive else 0
    spans = sorted(spans, key=lambda s: (s.start, s.end))
    ranges: list[tuple[int, int, Span]] = []
    ends_word = "the last character's offset" if inclusive else "one past the last character"
    for s in spans:
        start, end = s.start, s.end + shift
        shown = f"[{s.start}, {s.end}] {s.label}"
        if start < 0 or end > len(text) or start >= end:
            ctx.problem(f"span {shown} is outside the text (length {len(text)}) or empty",
                        line=number, field=s.field,
                        fix=f"offsets count characters from 0; the end is {ends_word}. Correct "
                            "or delete this entity.")
            return None
        if s.mention is not None and text[start:end] != s.mention:
            ctx.problem(f"span {shown} covers '{text[start:end]}', but the entity is "
                        f"'{s.mention}'", line=number, field=s.field,
                        fix="correct the offsets (they count characters from 0) or the entity "
                            "text.")
            return None
        if ranges and start < ranges[-1][1]:
            other = ranges[-1][2]
            ctx.problem(f"spans [{other.start}, {other.end}] {other.label} and {shown} overlap",
                        line=number, field=s.field,
                        fix="delete one of them: BIO tags cannot hold nested or overlapping "
                            "entities.")
            return None
        ranges.append((start, end, s))
    cuts = sorted({b for start, end, _ in ranges for b in (start, end)})
    tokens: list[str] = []
    labels: list[str] = []
    index = 0
    for match in _TOKEN.finditer(text):
        pieces = [match.start()] + [c for c in cuts if match.start() < c < match.end()] + \
            [match.end()]
        for a, b in zip(pieces, pieces[1:]):
            while index < len(ranges) and ranges[index][1] <= a:
                index += 1
            label = "O"
            if index < len(ranges) and ranges[index][0] <= a < ranges[index][1]:
                kind = ranges[index][2].label
                label = ("B-" if a == ranges[index][0] or (labels and labels[-1] == "O")
                         else "I-") + kind
            tokens.append(text[a:b])
            labels.append(label)
    if not tokens:
        ctx.problem("the text has no tokens", line=number, field="text",
                    fix="write the text, or delete the line.")
        return None
    return tokens, labels


def iter_span_examples(ctx: ReadContext, records: Iterator[tuple[int, dict[str, Any]]], form: str,
                       first: tuple[int, dict[str, Any]]) -> Iterator[tuple[int, list[str],
                                                                           list[str]]]:
    """(line, tokens, labels) for span records, deciding the end convention on the first ones."""
    buffered: list[tuple[int, str, list[Span]]] = []

    def parse(number: int, obj: dict[str, Any]) -> tuple[str, list[Span]] | None:
        this = span_form(obj)
        if this is None:
            found = ", ".join(f"'{k}'" for k in obj) or "none"
            ctx.problem(f"expected a text with entities (fields found: {found})", line=number,
                        field="text", fix=f"write each line as {_SPAN_SHAPE}.")
            return None
        return _spans(ctx, number, obj, this)

    def parsed(number: int, obj: dict[str, Any]) -> None:
        got = parse(number, obj)
        if got is not None:
            buffered.append((number, *got))

    parsed(*first)
    for number, obj in records:
        parsed(number, obj)
        if len(buffered) >= DECIDE_AFTER:
            break
    inclusive, why = decide_inclusive(form, [(t, s) for _, t, s in buffered])
    ctx.note(why)
    ctx.form = form

    def convert(number: int, text: str, spans: list[Span]) -> Iterator[tuple[int, list[str],
                                                                             list[str]]]:
        done = tokens_and_labels(ctx, number, text, spans, inclusive)
        if done is not None:
            yield number, done[0], done[1]

    for item in buffered:
        yield from convert(*item)
    buffered.clear()
    for number, obj in records:
        got = parse(number, obj)
        if got is not None:
            yield from convert(number, *got)
