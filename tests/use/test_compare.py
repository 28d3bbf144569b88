"""Compare: every checkpoint's metrics with the best marked, and two checkpoints answering the same inputs."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.cli.main import main
from core.record.runs import RunDir
from core.use.compare import answer_side_by_side, checkpoint_table, default_pair
from core.use.load import load_for_inference, resolve_checkpoint
from core.use.predict import predict_texts


def test_table_marks_the_best_checkpoint(runs: dict[str, Path]) -> None:
    table = checkpoint_table(runs["ner"])
    rd = RunDir.open(runs["ner"])
    names = [c.path.name for c in rd.checkpoints()]
    assert [r.name for r in table.rows] == names + ["final"]
    best = [r.name for r in table.rows if r.best]
    assert best == [Path(rd.read_summary()["best_checkpoint"]).name]
    for row, info in zip(table.rows, rd.checkpoints()):
        assert row.metrics == info.metrics and "eval_f1" in row.metrics
    assert table.metric == "eval_f1" and table.benchmark is None


def test_default_pair_is_best_and_last(runs: dict[str, Path]) -> None:
    table = checkpoint_table(runs["cls"])
    a, b = default_pair(table)
    complete = [r.name for r in table.rows if r.complete and r.name != "final"]
    assert b == complete[-1]
    best = next(r.name for r in table.rows if r.best)
    assert a == (best if best != complete[-1] else complete[-2])


def test_side_by_side_answers_are_each_checkpoints_own(runs: dict[str, Path]) -> None:
    rd = RunDir.open(runs["ner"])
    first, last = rd.checkpoints()[0].path.name, rd.checkpoints()[-1].path.name
    texts = ["华为公司位于杭州。", "张伟去了上海"]
    rows = answer_side_by_side(runs["ner"], first, last, texts)
    for which, column in ((first, 1), (last, 2)):
        alone = predict_texts(load_for_inference(resolve_checkpoint(runs["ner"], which)), texts)
        assert [r[column] for r in rows] == alone
    assert [r[0] for r in rows] == texts
    # An early and a late checkpoint are different models: their path scores differ.
    assert rows[0][1]["score"] != rows[0][2]["score"]


def test_cli_compare(runs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(runs["cls"]), "--text", "今天下雨", "--json", "--device", "cpu"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["task"] == "classify" and len(data["answers"]) == 1 and set(data["answers"][0]) == {"text", "a", "b"}
    assert sum(c["best"] for c in data["checkpoints"]) == 1
    assert main(["compare", str(runs["cls"]), "--text", "今天下雨", "--device", "cpu"]) == 0
    out = capsys.readouterr().out
    assert "* best by accuracy" in out and "A: " in out and "B: " in out
