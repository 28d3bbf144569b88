"""`laptune check-data FILE_OR_FOLDER [--task T] [--json]` and `laptune example-data TASK FILE`.

Without --task the task and shape are detected from the content. Large files stream, with the
progress on stderr (so --json output stays clean).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

EXIT_OK, EXIT_BAD = 0, 1
_PROGRESS_FROM = 32 * 1024 * 1024     # bytes: smaller files read in a moment


class _Progress:
    """`reading: 42% (420 MB of 1000 MB)` on stderr, at most twice a second."""

    def __init__(self, always: bool) -> None:
        self.always = always
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not total or (total < _PROGRESS_FROM and not self.always):
            return
        now = time.monotonic()
        if now - self.last < 0.5 and done < total:
            return
        self.last = now
        self.shown = True
        tty = sys.stderr.isatty()
        unit, scale = ("MB", 1024 * 1024) if total > 10 * 1024 * 1024 else ("", 1)
        text = f"reading: {done / total:.0%} ({done / scale:.0f}{' ' + unit if unit else ''} of " \
               f"{total / scale:.0f}{' ' + unit if unit else ''})"
        print(("\r" if tty else "") + text, end="" if tty else "\n", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.shown and sys.stderr.isatty():
            print(file=sys.stderr)


def cmd_check_data(args: argparse.Namespace) -> int:
    from core.data import check_data

    kwargs: dict[str, Any] = {}
    if args.format:
        kwargs["format"] = args.format
    if args.sheet:
        kwargs["sheet"] = args.sheet
    progress = _Progress(args.progress)
    try:
        report = check_data(args.task, args.file, progress=progress, **kwargs)
    finally:
        progress.close()
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        for line in report.lines():
            print(line)
    return EXIT_BAD if report.problems or report.n_examples == 0 else EXIT_OK


def cmd_example_data(args: argparse.Namespace) -> int:
    from core.data.examples import write_example

    path = write_example(args.task, args.file, form=args.form)
    print(f"wrote {path}: a small {args.task} file; check it with `laptune check-data {path}`")
    return EXIT_OK


def add_parsers(sub: Any) -> None:
    from core.data.examples import FORMS

    p = sub.add_parser("check-data", help="check a data file or folder; the task is detected "
                                          "unless given")
    p.add_argument("file", help="data file or folder (save_to_disk, one sub-folder per class)")
    p.add_argument("--task", choices=["ner", "classify", "sft"],
                   help="the task (default: detected from the content)")
    p.add_argument("--format", help="the file format, if detection gets it wrong")
    p.add_argument("--sheet", help=".xlsx: the sheet to read (default: the first)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--progress", action="store_true",
                   help="show progress even for small files (large files always show it)")
    p.set_defaults(func=cmd_check_data)

    p = sub.add_parser("example-data", help="write a small valid data file for a task")
    p.add_argument("task", choices=["ner", "classify", "sft"])
    p.add_argument("file", help="where to write it (the extension picks the format)")
    p.add_argument("--form", choices=sorted({f for forms in FORMS.values() for f in forms}),
                   help="the shape (default: the task's usual one)")
    p.set_defaults(func=cmd_example_data)
