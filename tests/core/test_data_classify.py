"""Classification readers: CSV, TSV, JSONL and JSON with text, label and optional text pair."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.data import ClsExample, DataError, check_data, read_classification, read_examples

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "data"


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", newline="")
    return path


def error(path: Path, **kwargs: object) -> DataError:
    with pytest.raises(DataError) as info:
        read_classification(path, **kwargs)  # type: ignore[arg-type]
    assert info.value.file == str(path)
    return info.value


def test_csv_fixture_with_quoted_comma() -> None:
    examples = read_classification(FIXTURES / "cls.csv")
    assert examples[2] == ClsExample("好看, 但是太长了", "neutral", None, 4)
    assert [e.line for e in examples] == [2, 3, 4, 5]


def test_tsv_fixture_with_pairs() -> None:
    examples = read_classification(FIXTURES / "pair.tsv")
    assert examples[0] == ClsExample("今天天气怎么样", "1", "今天天气如何", 2)
    report = check_data("classify", FIXTURES / "pair.tsv")
    assert report.labels == {"1": 2, "0": 1}
    assert report.preview[0]["text_pair"] == "今天天气如何"


def test_quoted_field_spanning_lines_keeps_start_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", 'text,label\n"first\nsecond",a\nthird,b\n')
    examples = read_classification(path)
    assert [(e.text, e.line) for e in examples] == [("first\nsecond", 2), ("third", 4)]


def test_tsv_keeps_bare_quotes(tmp_path: Path) -> None:
    path = write(tmp_path, "a.tsv", 'text\tlabel\n他说"好\t1\n然后"走了\t0\n')
    assert [e.text for e in read_classification(path)] == ['他说"好', '然后"走了']


@pytest.mark.parametrize("header,text_col,label_col", [
    ("sentence,label", "sentence", None),
    ("content,category", "content", "category"),
    ("text,labels", None, "labels"),
    ("Text,Label", "Text", "Label"),
])
def test_alternative_column_names(tmp_path: Path, header: str, text_col: str | None,
                                  label_col: str | None) -> None:
    path = write(tmp_path, "a.csv", f"{header}\n好看,pos\n难看,neg\n")
    assert [(e.text, e.label) for e in read_classification(path)] == [("好看", "pos"),
                                                                      ("难看", "neg")]
    notes = check_data("classify", path).notes
    if text_col:
        assert f"used column '{text_col}' as text" in notes
    if label_col:
        assert f"used column '{label_col}' as label" in notes


def test_sentence_pair_alternatives(tmp_path: Path) -> None:
    path = write(tmp_path, "a.tsv", "sentence1\tsentence2\tlabel\n甲\t乙\t1\n")
    assert read_classification(path)[0] == ClsExample("甲", "1", "乙", 2)


def test_configured_column_names(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "review,stars,other\n好,5,x\n")
    examples = read_classification(path, text_column="review", label_column="stars",
                                   text_pair_column="other")
    assert examples == [ClsExample("好", "5", "x", 2)]
    no_pair = read_classification(path, text_column="review", label_column="stars",
                                  text_pair_column=None)
    assert no_pair[0].text_pair is None


def test_missing_column_lists_columns_found(tmp_path: Path) -> None:
    err = error(write(tmp_path, "a.csv", "review,label\n好,1\n"))
    assert (err.line, err.field) == (1, "text")
    assert "columns found: 'review', 'label'" in err.message
    err = error(write(tmp_path, "b.csv", "text,stars\n好,1\n"))
    assert (err.line, err.field) == (1, "label")
    err = error(write(tmp_path, "c.csv", "text,label\n好,1\n"), text_pair_column="question2")
    assert err.field == "question2"


def test_semicolon_header_gets_a_hint(tmp_path: Path) -> None:
    err = error(write(tmp_path, "a.csv", "text;label\n好;1\n"))
    assert "';'" in err.fix


def test_headerless_file_explains_header(tmp_path: Path) -> None:
    err = error(write(tmp_path, "a.csv", "这部电影很好,1\n太差了,0\n"))
    assert err.line == 1 and "first line must name the columns" in err.fix


def test_wrong_number_of_fields(tmp_path: Path) -> None:
    err = error(write(tmp_path, "a.csv", "text,label\n好,1\n好,很好,1\n"))
    assert (err.line, err.field) == (3, "columns")
    assert "3 fields, but the header (line 1) has 2" in err.message
    assert "double quotes" in err.fix


def test_trailing_empty_fields_are_tolerated(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "text,label\n好,1,,\n")
    assert read_classification(path)[0].label == "1"


def test_unclosed_quote_is_named(tmp_path: Path) -> None:
    err = error(write(tmp_path, "a.csv", 'text,label\n好,1\n"坏,0\n还有,1\n'))
    assert err.line == 3 and "never closed" in err.message


def test_empty_text_and_label(tmp_path: Path) -> None:
    err = error(write(tmp_path, "a.csv", "text,label\n好,1\n  ,0\n"))
    assert (err.line, err.field, err.message) == (3, "text", "empty text")
    err = error(write(tmp_path, "b.csv", "sentence,label\n好,\n"))
    assert (err.line, err.field, err.message) == (2, "label", "empty label")


def test_jsonl_int_labels_are_strings(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", '{"text": "好", "label": 1}\n{"content": "x", "text": "坏", '
                                      '"label": "0"}\n')
    assert [(e.text, e.label) for e in read_classification(path)] == [("好", "1"), ("坏", "0")]


@pytest.mark.parametrize("line2,field,words", [
    ('{"text": "坏"}', "label", "missing field 'label' (fields found: 'text')"),
    ('{"text": "坏", "label": [1, 2]}', "label", "not a string or an integer"),
    ('{"text": ["坏"], "label": "1"}', "text", "not a string"),
    ('{"text": "", "label": "1"}', "text", "empty text"),
    ('{"text": "坏", "label": "1"', None, "invalid JSON"),
    ('["坏", "1"]', None, "expected a JSON object"),
])
def test_jsonl_errors(tmp_path: Path, line2: str, field: str | None, words: str) -> None:
    err = error(write(tmp_path, "a.jsonl", '{"text": "好", "label": "0"}\n' + line2 + "\n"))
    assert (err.line, err.field) == (2, field)
    assert words in err.message


def test_jsonl_missing_column_from_first_record(tmp_path: Path) -> None:
    err = error(write(tmp_path, "a.jsonl", '{"review": "好", "label": "0"}\n'))
    assert (err.line, err.field) == (1, "text")
    assert "fields found: 'review', 'label'" in err.message


def test_json_list(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", json.dumps([{"text": "好", "label": "p"},
                                                 {"text": "坏", "label": "n"}]))
    assert [e.label for e in read_examples("classify", path)] == ["p", "n"]


def test_lenient_report(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "text,label\n好,1\n,0\n坏,0\nx,y,z\n中,1\n")
    report = check_data("classify", path)
    assert report.n_examples == 3
    assert report.labels == {"1": 2, "0": 1}
    assert [(p.line, p.field) for p in report.problems] == [(3, "text"), (5, "columns")]
