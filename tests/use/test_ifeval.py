"""IFEval scoring with lm-eval's instruction checkers on a small local file in google/IFEval's format, offline."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.cli.main import main
from core.use.compare import checkpoint_table
from core.use.evaluate import read_prompts, score_responses
from core.use.load import UseError

pytest.importorskip("lm_eval", reason="IFEval scoring needs lm-eval (pip install 'laptune[eval]')")
SAMPLE = Path(__file__).with_name("ifeval_sample.jsonl")

# Known answers: (response, strict verdicts, loose verdicts) per prompt of ifeval_sample.jsonl.
ANSWERS = [
    # a capital in the first line only: strict fails, loose (first line removed) passes
    ("Sure, here it is:\nsoft rain on the roof\nquiet puddles gather light\nthe street hums along", [False], [True]),
    ("Tea calms the mind, and it warms the body.", [False], [False]),          # a comma: fails both ways
    # three bullets (loose drops the last line: two) and the keyword
    ("* The Seine river runs through it.\n* It has the Eiffel Tower.\n* The food is great.", [False, True], [True, True]),
    ("Paris is old. It is big. People like it.", [True], [True]),                # three sentences
]


def test_scores_of_known_answers() -> None:
    docs = read_prompts(SAMPLE)
    scores = score_responses(docs, [a for a, _, _ in ANSWERS])
    assert [d["strict"] for d in scores.details] == [s for _, s, _ in ANSWERS]
    assert [d["loose"] for d in scores.details] == [lo for _, _, lo in ANSWERS]
    assert scores.metrics == {"prompt_level_strict_acc": 0.25, "inst_level_strict_acc": 0.4,
                              "prompt_level_loose_acc": 0.75, "inst_level_loose_acc": 0.8}
    assert (scores.n_prompts, scores.n_instructions) == (4, 5)
    # An empty answer follows nothing.
    assert score_responses(docs[:1], [""]).metrics["prompt_level_loose_acc"] == 0.0


def test_bad_prompt_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"key": 1, "prompt": "x", "instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]}\n'
                   '{"key": 2, "prompt": "y", "instruction_id_list": ["punctuation:no_comma"]}\n')
    with pytest.raises(UseError, match="line 2: no kwargs"):
        read_prompts(bad)
    assert len(read_prompts(SAMPLE, limit=2)) == 2


def test_evaluate_run_writes_results_the_compare_table_reads(runs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(runs["sft"]), "--checkpoints", "all", "--limit", "2", "--prompts", str(SAMPLE),
                 "--max-new-tokens", "4", "--device", "cpu"]) == 0
    out = capsys.readouterr().out
    results = json.loads((runs["sft"] / "evaluations" / "ifeval.json").read_text())
    names = [r.name for r in checkpoint_table(runs["sft"]).rows if r.name != "final"]
    assert list(results["checkpoints"]) == names and results["n_prompts"] == 2 and results["punkt"] in ("untrained", "nltk data")
    for name in names:
        details = [json.loads(x) for x in (runs["sft"] / "evaluations" / f"ifeval-{name}.jsonl").read_text().splitlines()]
        rescored = score_responses(read_prompts(SAMPLE, limit=2), [d["response"] for d in details]).metrics
        assert {k: results["checkpoints"][name][k] for k in rescored} == pytest.approx(rescored)
    table = checkpoint_table(runs["sft"])
    assert table.benchmark == "ifeval" and table.benchmark_metric == "prompt_level_strict_acc"
    marked = [r for r in table.rows if r.best_benchmark]
    assert len(marked) == 1
    assert marked[0].benchmarks["ifeval"]["prompt_level_strict_acc"] == max(
        r.benchmarks["ifeval"]["prompt_level_strict_acc"] for r in table.rows if r.benchmarks)
    assert "IFEval (2 prompts" in out and "+ best by prompt_level_strict_acc" in out


def test_evaluate_refuses_a_classifier(runs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(runs["cls"]), "--prompts", str(SAMPLE)]) == 1
    assert "IFEval scores chat models" in capsys.readouterr().err


def test_prompts_unreachable_says_how_to_give_them(runs: dict[str, Path], capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    assert main(["evaluate", str(runs["sft"]), "--limit", "1"]) == 1
    err = capsys.readouterr().err
    assert "cannot get the IFEval prompts (google/IFEval)" in err and "--prompts FILE" in err
