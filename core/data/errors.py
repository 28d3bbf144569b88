"""The one error type of the data readers, and the context that collects problems while reading.

Every reader reports a problem through ``ReadContext.problem``. In strict mode that raises the
first ``DataError``; in lenient mode (``check_data``) it stores the problem and the reader skips
the bad example and goes on, so one code path serves both the trainer and the GUI's data page.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from os import PathLike
from pathlib import Path
from typing import Any, Callable, Union

PathArg = Union[str, "PathLike[str]"]


class DataError(ValueError):
    """A problem in a data file: where it is (file, 1-based line, field) and how to fix it."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        fix: str | None = None,
        cell: str | None = None,
        unit: str = "line",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        self.fix = fix
        self.cell = cell          # a spreadsheet cell such as "Sheet1!B12", shown instead of the line
        self.unit = unit          # "line", or "row" for tables without lines (Parquet, Arrow)

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file)
        if self.cell is not None:
            where.append(self.cell)
        elif self.line is not None:
            where.append(f"{self.unit} {self.line}")
        if self.field is not None:
            where.append(f"field '{self.field}'")
        text = f"{', '.join(where)}: {self.message}" if where else self.message
        if self.fix:
            text = f"{text.rstrip('.')}. Fix: {self.fix}"
        return text

    def __repr__(self) -> str:
        return f"DataError({str(self)!r})"

    # Keyword-only arguments are lost by the default exception pickling; keep them (a run's
    # failure may cross a process boundary).
    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.message, self.file, self.line, self.field, self.fix, self.cell,
                           self.unit))


def _rebuild(message: str, file: str | None, line: int | None, field: str | None,
             fix: str | None, cell: str | None = None, unit: str = "line") -> DataError:
    return DataError(message, file=file, line=line, field=field, fix=fix, cell=cell, unit=unit)


@dataclass
class ReadContext:
    """State shared by one read of one file: where problems go, what we learned on the way."""

    path: Path
    name: str                      # the path as the caller wrote it; used in every message
    strict: bool = True
    max_problems: int = 50
    problems: list[DataError] = dc_field(default_factory=list)
    dropped_problems: int = 0      # lenient mode: problems beyond max_problems, only counted
    notes: list[str] = dc_field(default_factory=list)
    encoding: str = ""
    format: str = ""
    form: str = ""                 # the shape inside the format: "alpaca", "cluener", "conll"...
    unit: str = "line"             # "row" for Parquet/Arrow tables
    sheet: str | None = None       # .xlsx: problems name cells (Sheet1!B12) through `columns`
    columns: dict[str, str] = dc_field(default_factory=dict)   # field -> column letter
    counts: dict[str, int] = dc_field(default_factory=dict)     # things noted per example
    progress: Callable[[int, int], None] | None = None          # (bytes read, file size)
    size: int = 0

    @classmethod
    def for_path(cls, path: PathArg, *, strict: bool = True, max_problems: int = 50) -> ReadContext:
        return cls(path=Path(path), name=str(path), strict=strict, max_problems=max_problems)

    def error(self, message: str, *, line: int | None = None, field: str | None = None,
              fix: str | None = None) -> DataError:
        cell = None
        if self.sheet is not None and line is not None:
            letter = self.columns.get(field or "", "")
            cell = f"{self.sheet}!{letter}{line}" if letter else f"{self.sheet}!{line}:{line}"
        return DataError(message, file=self.name, line=line, field=field, fix=fix, cell=cell,
                         unit=self.unit)

    def add(self, err: DataError) -> None:
        if self.strict:
            raise err
        if len(self.problems) < self.max_problems:
            self.problems.append(err)
        else:
            self.dropped_problems += 1

    def problem(self, message: str, *, line: int | None = None, field: str | None = None,
                fix: str | None = None) -> None:
        """Report a problem with one example; raises in strict mode, records it otherwise."""
        self.add(self.error(message, line=line, field=field, fix=fix))

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def advance(self, done: int) -> None:
        if self.progress is not None:
            self.progress(done, self.size)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)
