"""One entry point per task for the trainer (strict) and for the GUI's data page (lenient report)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from core.data.chat import read_chat_into, role_counts
from core.data.classify import label_counts, read_classification_into
from core.data.errors import DataError, PathArg, ReadContext
from core.data.formats import TASKS, check_task
from core.data.ner import entity_counts, read_ner_into
from core.data.text import encoding_name

PREVIEW_SIZE = 5
_READERS: dict[str, Callable[..., list[Any]]] = {
    "ner": read_ner_into,
    "classify": read_classification_into,
    "sft": read_chat_into,
}
_LABEL_TITLES = {"ner": "entities", "classify": "labels", "sft": "messages"}


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

    @property
    def ok(self) -> bool:
        return not self.problems and self.n_examples > 0

    def lines(self) -> list[str]:
        what = {"ner": "sentence", "classify": "example", "sft": "conversation"}.get(
            self.task, "example") + ("" if self.n_examples == 1 else "s")
        details = ", ".join(p for p in (self.format.upper(), encoding_name(self.encoding)) if p)
        out = [f"{self.file}: {self.n_examples} {what}" + (f" ({details})" if details else "")]
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


def read_examples(task: str, path: PathArg, **kwargs: Any) -> list[Any]:
    """Strict read for a task ("ner", "classify", "sft"); raises the first DataError."""
    ctx = ReadContext.for_path(path)
    check_task(ctx, task)
    return _READERS[task](ctx, **kwargs)


def _labels(task: str, examples: list[Any], ctx: ReadContext) -> dict[str, int]:
    if task == "ner":
        counts, orphans = entity_counts(examples)
        if orphans:
            ctx.note(f"{orphans} entities start with I- or E- instead of B- (read as starts)")
        return counts
    if task == "classify":
        counts = label_counts(examples)
        if len(counts) == 1:
            ctx.note("only one label in the file: a classifier needs at least two")
        return counts
    return role_counts(examples)


def check_data(task: str, path: PathArg, max_problems: int = 50, **kwargs: Any) -> DataReport:
    """Lenient read: every problem it can find (up to max_problems), counts and a preview.

    Never raises for bad input: a problem with the whole file (missing, empty, not text, a
    missing column) becomes the report's single problem.
    """
    ctx = ReadContext.for_path(path, strict=False, max_problems=max(1, max_problems))
    examples: list[Any] = []
    if task not in TASKS:
        ctx.add(ctx.error(f"unknown task {task!r}", field="task",
                          fix=f"use one of {', '.join(TASKS)}."))
    else:
        try:
            examples = _READERS[task](ctx, **kwargs)
        except DataError as err:
            ctx.add(err)
        except OSError as exc:    # the file vanished or was locked while we read it
            ctx.add(ctx.error(f"cannot read the file ({exc.strerror or exc})"))
    labels = _labels(task, examples, ctx) if examples else {}
    if ctx.dropped_problems:
        ctx.note(f"{ctx.dropped_problems} more problems not listed (showing the first "
                 f"{len(ctx.problems)})")
    return DataReport(
        task=task, file=ctx.name, format=ctx.format, encoding=ctx.encoding,
        n_examples=len(examples), labels=labels, problems=ctx.problems,
        preview=[asdict(e) for e in examples[:PREVIEW_SIZE]], notes=ctx.notes,
    )
