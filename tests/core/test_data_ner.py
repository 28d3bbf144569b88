"""NER readers: CoNLL/BIO text and JSONL token lists."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.data import DataError, NerExample, check_data, read_examples, read_ner

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "data"


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", newline="")
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def error(path: Path, **kwargs: object) -> DataError:
    with pytest.raises(DataError) as info:
        read_ner(path, **kwargs)  # type: ignore[arg-type]
    assert info.value.file == str(path)
    return info.value


def test_chinese_conll_fixture() -> None:
    examples = read_ner(FIXTURES / "ner_zh.txt")
    assert len(examples) == 4
    first = examples[0]
    assert "".join(first.tokens) == "张三在北京大学读书。"
    assert first.labels[:4] == ["B-PER", "I-PER", "O", "B-ORG"]
    assert [e.line for e in examples] == [1, 12, 20, 32]
    report = check_data("ner", FIXTURES / "ner_zh.txt")
    assert report.labels == {"PER": 3, "ORG": 3, "LOC": 2}
    assert report.format == "conll" and report.encoding == "utf-8"


def test_jsonl_fixture_with_bioes() -> None:
    examples = read_ner(FIXTURES / "ner.jsonl")
    assert examples[2] == NerExample(list("马云在杭州"), ["B-PER", "E-PER", "O", "B-LOC", "E-LOC"], 3)


def test_tabs_docstart_crlf_and_four_columns(tmp_path: Path) -> None:
    text = ("-DOCSTART- -X- -X- O\r\n\r\nEU NNP B-NP B-ORG\r\nrejects VBZ B-VP O\r\n\r\n"
            "Peter NNP B-NP B-PER\r\n")
    examples = read_ner(write(tmp_path, "a.conll", text))
    assert [(e.tokens, e.labels, e.line) for e in examples] == [
        (["EU", "rejects"], ["B-ORG", "O"], 3), (["Peter"], ["B-PER"], 6)]
    tabbed = read_ner(write(tmp_path, "b.txt", "北\tB-LOC\n京\tI-LOC\n"))
    assert tabbed[0].labels == ["B-LOC", "I-LOC"]


def test_full_width_space_is_a_token(tmp_path: Path) -> None:
    examples = read_ner(write(tmp_path, "a.txt", "\u3000 O\n北 B-LOC\n"))
    assert examples[0].tokens == ["\u3000", "北"]


def test_bmes_middle_tags_become_inside(tmp_path: Path) -> None:
    path = write(tmp_path, "a.bmes", "中 B-ORG\n国 M-ORG\n队 E-ORG\n")
    assert read_ner(path)[0].labels == ["B-ORG", "I-ORG", "E-ORG"]
    assert any("M-X is taken as I-X" in n for n in check_data("ner", path).notes)


@pytest.mark.parametrize("label,fix", [
    ("PER", "use B-PER or I-PER (or O)."),
    ("0", "use the letter O (not the digit 0)"),
    ("b-per", "write it as B-per."),
    ("B_PER", "write it as B-PER."),
    ("B-", "add the entity type after the dash"),
    ("o", "use a capital O"),
])
def test_conll_label_not_bio(tmp_path: Path, label: str, fix: str) -> None:
    path = write(tmp_path, "train.txt", "北 B-LOC\n京 I-LOC\n\n张 B-PER\n三 " + label + "\n")
    err = error(path)
    assert (err.line, err.field) == (5, "label")
    assert err.message == f"label '{label}' is not in BIO form"
    assert fix in err.fix


def test_spec_example_message(tmp_path: Path) -> None:
    path = write(tmp_path, "train.txt", "张 PER\n")
    assert str(error(path)) == (f"{path}, line 1, field 'label': label 'PER' is not in BIO "
                                "form. Fix: use B-PER or I-PER (or O).")


def test_conll_wrong_number_of_columns(tmp_path: Path) -> None:
    err = error(write(tmp_path, "a.txt", "北 B-LOC\n京 NN I-LOC\n"))
    assert (err.line, err.field) == (2, "columns")
    assert "3 columns, but line 1 has 2" in err.message
    err = error(write(tmp_path, "b.txt", "北 B-LOC\n\n京\n"))
    assert (err.line, err.field) == (3, "columns")
    assert "one column" in err.message


def test_only_docstart_has_no_sentences(tmp_path: Path) -> None:
    err = error(write(tmp_path, "a.txt", "-DOCSTART- O\n\n"))
    assert "no sentences" in err.message


@pytest.mark.parametrize("record,field,words", [
    ({"tokens": ["a", "b"], "labels": ["O"]}, "labels", "1 label for 2 tokens"),
    ({"tokens": ["a"], "labels": ["PER"]}, "labels[0]", "not in BIO form"),
    ({"tokens": ["a"], "labels": [3]}, "labels[0]", "not a string"),
    ({"tokens": ["a"]}, "labels", "missing field 'labels'"),
    ({"words": ["a"], "labels": ["O"]}, "tokens", "fields found: 'words', 'labels'"),
    ({"tokens": [], "labels": []}, "tokens", "non-empty list"),
    ({"tokens": "ab", "labels": ["O", "O"]}, "tokens", "found a string"),
    ({"tokens": ["a", 5], "labels": ["O", "O"]}, "tokens[1]", "not a non-empty string"),
    ({"tokens": ["a"], "labels": "O"}, "labels", "must be a list"),
])
def test_jsonl_errors(tmp_path: Path, record: dict, field: str, words: str) -> None:
    good = {"tokens": ["北"], "labels": ["S-LOC"]}
    err = error(write(tmp_path, "a.jsonl", jsonl(good, good, record)))
    assert (err.line, err.field) == (3, field)
    assert words in err.message
    assert err.fix


def test_jsonl_invalid_json_names_position(tmp_path: Path) -> None:
    err = error(write(tmp_path, "a.jsonl", '{"tokens": ["a"], "labels": ["O"]}\n{"tokens": [}\n'))
    assert err.line == 2 and "invalid JSON" in err.message and "column 13" in err.message


def test_jsonl_ner_tags_alternative(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", jsonl({"tokens": ["a"], "ner_tags": ["B-X"]}))
    assert read_ner(path)[0].labels == ["B-X"]
    assert "used field 'ner_tags' as the labels" in check_data("ner", path).notes


def test_json_list_of_records(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", json.dumps([{"tokens": ["a"], "labels": ["O"]},
                                                 {"tokens": ["b"], "labels": ["B-X"]}], indent=1))
    assert [e.line for e in read_ner(path)] == [2, 10]


def test_lenient_collects_every_bad_sentence(tmp_path: Path) -> None:
    text = "a O\nb PER\n\nc O\n\nd LOC\ne X Y\n\nf B-X\n"
    report = check_data("ner", write(tmp_path, "a.txt", text))
    assert report.n_examples == 2        # the sentences at lines 4 and 9
    assert [(p.line, p.field) for p in report.problems] == [(2, "label"), (6, "label"),
                                                           (7, "columns")]
    assert [p["line"] for p in report.preview] == [4, 9]


def test_orphan_inside_tags_are_noted(tmp_path: Path) -> None:
    report = check_data("ner", write(tmp_path, "a.txt", "a I-PER\nb I-PER\nc O\nd I-LOC\n"))
    assert report.labels == {"PER": 1, "LOC": 1}
    assert any("start with I- or E-" in n for n in report.notes)


def test_read_examples_dispatches(tmp_path: Path) -> None:
    assert read_examples("ner", FIXTURES / "ner.jsonl")[0].tokens[0] == "EU"
