"""One entry point per task for the trainer (strict) and for the GUI's data page and check-data
(lenient report).

check_data streams: examples are counted, tallied and dropped as they are read (only a preview is
kept), so memory follows the largest example, not the file. Without a task, the task and shape
are detected from the content first (core/data/detect.py).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from core.data.chat import iter_chat
from core.data.classify import iter_classification
from core.data.detect import FORM_TITLES, TASK_TITLES, Detection, detect, suggest_task
from core.data.errors import DataError, PathArg, ReadContext
from core.data.formats import FORMAT_TITLES, TASKS, check_task
from core.data.ner import entity_counts, iter_ner
from core.data.text import encoding_name

PREVIEW_SIZE = 5
_ITERS: dict[str, Callable[..., Iterator[Any]]] = {
    "ner": iter_ner,
    "classify": iter_classification,
    "sft": iter_chat,
}
_LABEL_TITLES = {"ner": "entities", "classify": "labels", "sft": "messages"}
_UNITS = {"ner": "sentence", "classify": "example", "sft": "conversation"}


@dataclass
class DataReport:
    task: str
    file: str
    format: str
    encoding: str
    n_examples: int
    labels: dict[str, int]        # NER: entities per type; classify: examples per class; sft: messages per role
    problems: list[DataError] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    form: str = ""                # the shape inside the format: alpaca, cluener, conll...
    detection: Detection | None = None   # set when the task was detected, not given

    @property
    def ok(self) -> bool:
        return not self.problems and self.n_examples > 0

    def shape(self) -> str:
        """ "CLUENER JSONL", "CSV"; never empty."""
        parts = [FORM_TITLES.get(self.form, self.form), FORMAT_TITLES.get(self.format,
                                                                          self.format.upper())]
        return " ".join(p for p in parts if p) or "unknown format"

    def lines(self) -> list[str]:
        what = _UNITS.get(self.task, "example") + ("" if self.n_examples == 1 else "s")
        details = ", ".join(p for p in (self.shape(), encoding_name(self.encoding)) if p)
        task = TASK_TITLES.get(self.task, self.task or "unknown task")
        out = [f"{self.file}: {task}, {self.n_examples:,} {what} ({details})"]
        if self.detection is not None:
            out.append(f"detected: {self.detection.title()} ({self.detection.sureness}, "
                       f"{self.detection.confidence:.0%} of {self.detection.sampled} sampled "
                       "records fit)")
            out.extend(f"near miss: {m}" for m in self.detection.near_misses)
        if self.labels:
            shown = [f"{k} {v}" for k, v in list(self.labels.items())[:20]]
            more = len(self.labels) - len(shown)
            title = _LABEL_TITLES.get(self.task, "labels")
            out.append(f"{title}: {', '.join(shown)}" + (f", and {more} more" if more else ""))
        out.extend(self.notes)
        if self.problems:
            out.append(f"{len(self.problems)} problem{'s' if len(self.problems) > 1 else ''}:")
            out.extend(f"  {p}" for p in self.problems)
        else:
            out.append("no problems found")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"task": self.task, "file": self.file, "format": self.format, "form": self.form,
                "shape": self.shape(), "encoding": self.encoding, "examples": self.n_examples,
                "labels": self.labels, "notes": self.notes,
                "problems": [str(p) for p in self.problems], "preview": self.preview,
                "detected": self.detection.to_dict() if self.detection is not None else None}


def read_examples(task: str, path: PathArg, **kwargs: Any) -> list[Any]:
    """Strict read for a task ("ner", "classify", "sft"); raises the first DataError. A file that
    fits another task says so in the error's fix."""
    ctx = ReadContext.for_path(path)
    check_task(ctx, task)
    try:
        return list(_ITERS[task](ctx, **kwargs))
    except DataError as err:
        hint = suggest_task(path, task)
        if hint is not None:
            err.fix = f"{err.fix.rstrip('.')}; or {hint}." if err.fix else f"{hint}."
        raise


class _Tally:
    """Label statistics gathered example by example."""

    def __init__(self, task: str) -> None:
        self.task = task
        self.counts: Counter[str] = Counter()
        self.orphans = 0      # NER: I-/E- tags that start an entity (IOB1-style, a likely slip)

    def add(self, example: Any) -> None:
        if self.task == "classify":
            self.counts[example.label] += 1
        elif self.task == "sft":
            self.counts.update(m["role"] for m in example.messages)
        else:
            counts, orphans = entity_counts([example])
            self.counts.update(counts)
            self.orphans += orphans

    def labels(self, ctx: ReadContext) -> dict[str, int]:
        if self.task == "ner" and self.orphans:
            ctx.note(f"{self.orphans} entities start with I- or E- instead of B- (read as "
                     "starts)")
        if self.task == "classify" and len(self.counts) == 1:
            ctx.note("only one label in the file: a classifier needs at least two")
        if self.task == "sft":
            return {r: self.counts[r] for r in ("system", "user", "assistant") if self.counts[r]}
        return dict(self.counts.most_common())


def check_data(task: str | None, path: PathArg, max_problems: int = 50,
               progress: Callable[[int, int], None] | None = None, **kwargs: Any) -> DataReport:
    """Lenient read: every problem it can find (up to max_problems), counts and a preview.

    `task` None: detect it from the content. `progress(done, total)` is called as the file is
    read (bytes for text files, rows for tables). Never raises for bad input: a problem with the
    whole file (missing, empty, not text, a missing column) becomes the report's single problem.
    """
    ctx = ReadContext.for_path(path, strict=False, max_problems=max(1, max_problems))
    ctx.progress = progress
    detection = None
    if task is None:
        try:
            detection = detect(path)
        except DataError as err:
            ctx.add(err)
        else:
            task = detection.task
            if task is None:
                ctx.add(ctx.error("cannot tell which task this data is for",
                                  fix="give the task (--task ner, classify or sft); the file "
                                      "should hold " + "; ".join(detection.near_misses[:3])
                                      if detection.near_misses else
                                      "give the task (--task ner, classify or sft)."))
    tally = _Tally(task or "")
    n = 0
    preview: list[dict[str, Any]] = []
    if task is not None and task not in TASKS:
        ctx.add(ctx.error(f"unknown task {task!r}", field="task",
                          fix=f"use one of {', '.join(TASKS)}."))
    elif task is not None:
        try:
            for example in _ITERS[task](ctx, **kwargs):
                n += 1
                tally.add(example)
                if len(preview) < PREVIEW_SIZE:
                    preview.append(asdict(example))
        except DataError as err:
            ctx.add(err)
        except OSError as exc:    # the file vanished or was locked while we read it
            ctx.add(ctx.error(f"cannot read the file ({exc.strerror or exc})"))
        if detection is None and (n == 0 or len(ctx.problems) > n):
            hint = suggest_task(path, task)
            if hint is not None:
                ctx.problems.insert(0, ctx.error(hint[0].upper() + hint[1:]))
    labels = tally.labels(ctx) if n else {}
    if ctx.dropped_problems:
        ctx.note(f"{ctx.dropped_problems} more problems not listed (showing the first "
                 f"{len(ctx.problems)})")
    return DataReport(
        task=task or "", file=ctx.name, format=ctx.format, encoding=ctx.encoding,
        n_examples=n, labels=labels, problems=ctx.problems, preview=preview, notes=ctx.notes,
        form=ctx.form, detection=detection,
    )
