"""Compare a run's checkpoints: every checkpoint's eval metrics (and benchmark scores) with the best marked,
and the same inputs answered by two checkpoints side by side (seed 004: "the last is not always the best").

    checkpoint_table(run_dir) -> Table          rows in step order, best by the eval metric and by benchmark
    default_pair(table) -> (a, b)               the best and the last checkpoint
    answer_side_by_side(run_dir, a, b, texts)   loads one checkpoint at a time (two 7B models rarely fit)
"""
from __future__ import annotations

import gc
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from core.record.runs import RunDir
from core.use.load import BEST_METRIC, load_for_inference, resolve_checkpoint
from core.use.predict import predict_texts

EVAL_DIR = "evaluations"   # RUN_DIR/evaluations/<benchmark>.json (core/use/evaluate.py)
SHOWN_METRICS = ("eval_loss", "eval_f1", "eval_accuracy", "eval_macro_f1", "eval_perplexity")


@dataclass
class Row:
    name: str
    step: int | None
    path: Path
    complete: bool
    train_loss: float | None
    metrics: dict[str, float] = field(default_factory=dict)
    benchmarks: dict[str, dict[str, float]] = field(default_factory=dict)   # benchmark -> scores
    best: bool = False               # by the run's eval metric
    best_benchmark: bool = False     # by the headline score of the benchmark results present


@dataclass
class Table:
    run_dir: Path
    task: str
    metric: str
    greater_is_better: bool
    rows: list[Row]
    benchmark: str | None = None
    benchmark_metric: str | None = None

    def row(self, name: str) -> Row | None:
        return next((r for r in self.rows if r.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {"run_dir": str(self.run_dir), "task": self.task, "metric": self.metric, "benchmark": self.benchmark,
                "benchmark_metric": self.benchmark_metric,
                "checkpoints": [{"name": r.name, "step": r.step, "complete": r.complete, "train_loss": r.train_loss,
                                 "metrics": r.metrics, "benchmarks": r.benchmarks, "best": r.best,
                                 "best_benchmark": r.best_benchmark} for r in self.rows]}


def read_benchmarks(run_dir: Path) -> dict[str, dict[str, Any]]:
    """benchmark name -> its results file's content (evaluate.py writes them)."""
    out = {}
    for file in sorted((Path(run_dir) / EVAL_DIR).glob("*.json")):
        try:
            out[file.stem] = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
    return out


def checkpoint_table(run_dir: str | Path) -> Table:
    from core.record.runs import best_checkpoint

    rd = RunDir.open(run_dir)
    task = rd.read_config().task
    metric, greater = BEST_METRIC[task]
    infos = rd.checkpoints()
    best = best_checkpoint(infos, metric, greater)
    rows = [Row(c.path.name, c.step, c.path, c.complete, c.train_loss, dict(c.metrics), best=best is not None and c.path == best.path)
            for c in infos]
    if rd.final_dir.is_dir() and any(rd.final_dir.iterdir()):
        last = infos[-1] if infos else None
        rows.append(Row("final", last.step if last else None, rd.final_dir, True, last.train_loss if last else None,
                        dict(last.metrics) if last else {}))
    table = Table(rd.path, task, metric, greater, rows)
    for name, result in read_benchmarks(rd.path).items():
        headline = result.get("headline")
        for ckpt, scores in (result.get("checkpoints") or {}).items():
            row = table.row(ckpt)
            if row is not None:
                row.benchmarks[name] = scores
        if headline and table.benchmark is None:
            table.benchmark, table.benchmark_metric = name, headline
    if table.benchmark:
        scored = [r for r in rows if table.benchmark_metric in r.benchmarks.get(table.benchmark, {})]
        if scored:
            max(scored, key=lambda r: r.benchmarks[table.benchmark][table.benchmark_metric]).best_benchmark = True
    return table


def default_pair(table: Table) -> tuple[str, str]:
    """The best checkpoint and the last one (the same when the last is the best: then the one before)."""
    complete = [r for r in table.rows if r.complete and r.name != "final"]
    if not complete:
        names = [r.name for r in table.rows if r.complete]
        return (names[0], names[-1]) if names else ("final", "final")
    best = next((r.name for r in complete if r.best), complete[-1].name)
    last = complete[-1].name
    if best == last and len(complete) > 1:
        return complete[-2].name, last
    return best, last


def answer_side_by_side(run_dir: str | Path, a: str, b: str, texts: list[str], *, device: str = "cpu",
                        max_new_tokens: int = 256, temperature: float | None = None,
                        on_loaded: Callable[[str], None] | None = None) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(text, answer of a, answer of b) for each text. a and b: "best", "final", "latest", "checkpoint-N" or N."""
    answers: dict[str, list[dict[str, Any]]] = {}
    for which in (a, b):
        if which in answers:
            continue
        loaded = load_for_inference(resolve_checkpoint(run_dir, which), device=device)
        if on_loaded is not None:
            on_loaded(which)
        answers[which] = predict_texts(loaded, texts, max_new_tokens=max_new_tokens, temperature=temperature)
        del loaded
        gc.collect()
    return [(t, answers[a][i], answers[b][i]) for i, t in enumerate(texts)]
