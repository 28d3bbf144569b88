"""check_data: the lenient report for the GUI's data page."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.data import DataError, DataReport, check_data, read_examples

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "data"


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize("task,name,n", [
    ("ner", "ner_zh.txt", 4), ("ner", "ner_zh_gbk.txt", 4), ("ner", "ner.jsonl", 3),
    ("classify", "cls.csv", 4), ("classify", "pair.tsv", 3),
    ("sft", "chat.jsonl", 2), ("sft", "chat_sharegpt.json", 1),
])
def test_fixtures_are_clean(task: str, name: str, n: int) -> None:
    report = check_data(task, FIXTURES / name)
    assert isinstance(report, DataReport)
    assert report.problems == [] and report.ok
    assert report.n_examples == n == len(read_examples(task, FIXTURES / name))
    assert report.task == task and report.file == str(FIXTURES / name)
    assert len(report.preview) == min(n, 5)
    assert report.lines()[-1] == "no problems found"


def test_file_level_problem_is_a_single_problem(tmp_path: Path) -> None:
    report = check_data("classify", tmp_path / "missing.csv")
    assert report.n_examples == 0 and not report.ok
    assert len(report.problems) == 1 and "file not found" in report.problems[0].message
    assert report.labels == {} and report.preview == []
    assert any("file not found" in line for line in report.lines())


def test_missing_column_is_a_single_problem(tmp_path: Path) -> None:
    report = check_data("classify", write(tmp_path, "a.csv", "a,b\n1,2\n3,4\n"))
    assert [(p.line, p.field) for p in report.problems] == [(1, "text")]


def test_unknown_task_does_not_raise(tmp_path: Path) -> None:
    report = check_data("translate", FIXTURES / "cls.csv")
    assert report.problems[0].field == "task"
    with pytest.raises(DataError):
        read_examples("translate", FIXTURES / "cls.csv")


def test_max_problems_caps_the_list_and_counts_the_rest(tmp_path: Path) -> None:
    text = "".join(f"t{i} PER\n\n" for i in range(30)) + "ok O\n"
    report = check_data("ner", write(tmp_path, "a.txt", text), max_problems=10)
    assert len(report.problems) == 10
    assert report.problems[0].line == 1 and report.problems[9].line == 19
    assert any("20 more problems" in n for n in report.notes)
    assert report.n_examples == 1


def test_kwargs_reach_the_reader(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "review,stars\n好,5\n")
    report = check_data("classify", path, text_column="review", label_column="stars")
    assert report.ok and report.labels == {"5": 1}


def test_lines_are_readable(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "sentence,label\n好,1\n,0\n")
    lines = check_data("classify", path).lines()
    assert lines[0] == f"{path}: classification, 1 example (CSV, UTF-8)"
    assert "labels: 1 1" in lines
    assert "used column 'sentence' as text" in lines
    assert lines[-2] == "1 problem:"
    assert lines[-1].strip().startswith(f"{path}, line 3, field 'sentence': empty text")
