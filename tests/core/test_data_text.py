"""DataError, file-level problems (missing, empty, encodings, long lines) and format detection."""
from __future__ import annotations

import codecs
import json
import pickle
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core.data.text as text_module
from core.data import (DataError, check_data, detect_format, read_chat, read_classification,
                       read_ner)
from core.data.errors import ReadContext

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "data"


def write(tmp_path: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def test_str_names_file_line_field_and_fix() -> None:
    err = DataError("label 'PER' is not in BIO form", file="train.txt", line=12, field="label",
                    fix="use B-PER or I-PER (or O).")
    assert str(err) == ("train.txt, line 12, field 'label': label 'PER' is not in BIO form. "
                        "Fix: use B-PER or I-PER (or O).")
    assert (err.file, err.line, err.field, err.message) == ("train.txt", 12, "label",
                                                            "label 'PER' is not in BIO form")
    assert isinstance(err, ValueError)


def test_str_leaves_out_missing_parts() -> None:
    assert str(DataError("file is empty", file="a.csv")) == "a.csv: file is empty"
    assert str(DataError("oops")) == "oops"


def test_pickle_keeps_every_attribute() -> None:
    err = DataError("m", file="f", line=3, field="x", fix="do y.")
    back = pickle.loads(pickle.dumps(err))
    assert (back.message, back.file, back.line, back.field, back.fix) == ("m", "f", 3, "x", "do y.")


@pytest.mark.parametrize("reader", [read_ner, read_classification, read_chat])
def test_missing_file(tmp_path: Path, reader) -> None:
    path = tmp_path / "nope.jsonl"
    with pytest.raises(DataError) as info:
        reader(path)
    assert info.value.file == str(path)
    assert "file not found" in str(info.value)


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="folder"):
        read_ner(tmp_path)


@pytest.mark.parametrize("reader,name", [(read_ner, "a.txt"), (read_classification, "a.csv"),
                                         (read_chat, "a.jsonl")])
def test_empty_file(tmp_path: Path, reader, name: str) -> None:
    path = write(tmp_path, name, b"")
    with pytest.raises(DataError, match="file is empty") as info:
        reader(path)
    assert info.value.file == str(path)


def test_whitespace_only_file_has_no_examples(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no sentences"):
        read_ner(write(tmp_path, "a.txt", "\n  \n\n"))
    with pytest.raises(DataError, match="only whitespace"):
        read_chat(write(tmp_path, "a.json", "\n  \n"))


def test_gbk_file_is_read_and_reported() -> None:
    utf8 = read_ner(FIXTURES / "ner_zh.txt")
    gbk = read_ner(FIXTURES / "ner_zh_gbk.txt")
    assert [(e.tokens, e.labels, e.line) for e in gbk] == [(e.tokens, e.labels, e.line)
                                                           for e in utf8]
    report = check_data("ner", FIXTURES / "ner_zh_gbk.txt")
    assert report.encoding == "gbk"
    assert "read as GBK" in report.notes
    assert any("GBK" in line for line in report.lines())


def test_utf8_bom_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", codecs.BOM_UTF8 + "text,label\n好看,pos\n".encode())
    examples = read_classification(path)
    assert [(e.text, e.label) for e in examples] == [("好看", "pos")]
    assert check_data("classify", path).encoding == "utf-8-sig"


def test_gbk_csv_from_excel(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "text,label\r\n这部电影很好,正面\r\n", encoding="gbk")
    assert [(e.text, e.label) for e in read_classification(path)] == [("这部电影很好", "正面")]


def test_binary_file_is_not_text(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", b'{"a": 1}\n\x89PNG\x00\x01\x02')
    with pytest.raises(DataError, match="not text in UTF-8 or GBK") as info:
        read_chat(path)
    assert info.value.line == 2
    assert "UTF-8" in info.value.fix


def test_undecodable_bytes_name_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", b"a O\nb O\n\xff\xff\xff O\n")
    with pytest.raises(DataError, match="not text in UTF-8 or GBK") as info:
        read_ner(path)
    assert info.value.line == 3
    assert "save it again with the encoding UTF-8" in str(info.value)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_read(tmp_path: Path, codec: str) -> None:
    """Excel's "Unicode text" and Notepad's "Unicode" save UTF-16 with a BOM (little-endian on
    Windows); both byte orders read, lines and notes as for UTF-8."""
    bom = "\ufeff"
    path = write(tmp_path, "a.txt", (bom + "北 B-LOC\r\n京 I-LOC\r\n\r\n人 O\r\n").encode(codec))
    assert [e.tokens for e in read_ner(path)] == [["北", "京"], ["人"]]
    report = check_data("ner", path)
    assert report.ok and report.encoding == "utf-16" and "UTF-16" in report.lines()[0]
    tsv = write(tmp_path, "b.tsv", (bom + "text\tlabel\n好\tpos\n坏\tneg\n").encode(codec))
    assert [(e.text, e.label) for e in read_classification(tsv)] == [("好", "pos"), ("坏", "neg")]
    chat = write(tmp_path, "c.jsonl", (bom + json.dumps({"messages": [
        {"role": "user", "content": "你好"}, {"role": "assistant", "content": "您好"}]},
        ensure_ascii=False) + "\n").encode(codec))
    assert read_chat(chat)[0].messages[1]["content"] == "您好"


def test_damaged_utf16_names_the_line(tmp_path: Path) -> None:
    good = "\ufeff北 O\n京 O\n".encode("utf-16-le")
    path = write(tmp_path, "a.txt", good + b"\x00\xd8" + " O\n".encode("utf-16-le"))  # lone surrogate
    with pytest.raises(DataError, match="UTF-16") as info:
        read_ner(path)
    assert info.value.line == 3


def test_damaged_utf8_is_not_mistaken_for_gbk(tmp_path: Path) -> None:
    good = "".join(f"{c} O\n" for c in "这是一段很长的中文句子用来证明文件是UTF八编码的")
    path = write(tmp_path, "a.txt", good.encode() + b"\xe4\xb8 O\n")
    with pytest.raises(DataError, match="lines before are UTF-8") as info:
        read_ner(path)
    assert info.value.line == good.count("\n") + 1


def test_line_over_the_limit_is_refused_and_skipped(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(text_module, "MAX_LINE_BYTES", 1000)
    path = write(tmp_path, "a.jsonl",
                 '{"text": "' + "x" * 5000 + '", "label": "a"}\n{"text": "ok", "label": "b"}\n')
    with pytest.raises(DataError, match="longer than") as info:
        read_classification(path)
    assert info.value.line == 1
    report = check_data("classify", path)
    assert report.n_examples == 1 and report.preview[0]["text"] == "ok"
    assert report.problems[0].line == 1


def test_real_10_mb_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with open(path, "wb") as f:
        f.write(b"a O\n")
        f.write(b"x" * (10 * 1024 * 1024 + 10))
        f.write(b" O\n\nb O\n")
    with pytest.raises(DataError, match="10 MB") as info:
        read_ner(path)
    assert info.value.line == 2
    report = check_data("ner", path)
    assert report.n_examples == 1 and [p.line for p in report.problems] == [2]


@pytest.mark.parametrize("name,task,content,expected", [
    ("a.txt", "ner", "北 B-LOC\n", "conll"),
    ("a.bmes", "ner", "北 B-LOC\n", "conll"),
    ("a.bio", "ner", "北 B-LOC\n", "conll"),
    ("a.txt", "ner", "{ O\n} O\n", "conll"),
    ("a.txt", "ner", "[ B-X\n", "conll"),
    ("a.jsonl", "ner", '{"tokens": []}\n', "jsonl"),
    ("a.txt", "ner", '{"tokens": ["a"], "labels": ["O"]}\n{"tokens": []}\n', "jsonl"),
    ("a.json", "sft", '[{"messages": []}]', "json"),
    ("a.json", "sft", '{"messages": []}\n{"messages": []}\n', "jsonl"),
    ("a.json", "sft", '{\n  "messages": []\n}\n', "json"),
    ("a.jsonl", "sft", '[\n{"messages": []}\n]', "json"),
    ("a.csv", "classify", "text,label\n", "csv"),
    ("a.tsv", "classify", "text\tlabel\n", "tsv"),
    ("a.txt", "classify", "text\tlabel\n", "tsv"),
    ("a.txt", "classify", "text,label\n", "csv"),
    ("data", "classify", "text,label\n", "csv"),
])
def test_detect_format(tmp_path: Path, name: str, task: str, content: str, expected: str) -> None:
    assert detect_format(write(tmp_path, name, content), task) == expected


def test_detect_format_gives_up_with_advice(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot tell the format") as info:
        detect_format(write(tmp_path, "a.txt", "hello\n"), "sft")
    assert info.value.field == "format"


def test_unknown_task_and_format(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "a O\n")
    with pytest.raises(DataError, match="unknown task") as info:
        detect_format(path, "translate")
    assert info.value.field == "task"
    with pytest.raises(DataError, match="unknown format"):
        read_ner(path, format="xml")
    with pytest.raises(DataError, match="CSV files cannot hold ner data"):
        read_ner(path, format="csv")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab中\r ", max_size=12), max_size=8), st.booleans(),
       st.integers(1, 16), st.integers(1, 30), st.sampled_from(["utf-8", "utf-8-sig", "gbk"]),
       st.booleans())
def test_block_line_reader_matches_plain_splitting(lines: list[str], trailing: bool, chunk: int,
                                                   limit: int, encoding: str,
                                                   keepends: bool) -> None:
    text = "\n".join(lines) + ("\n" if trailing and lines else "")
    raw = text.encode(encoding)
    pieces = raw[3:].split(b"\n") if encoding == "utf-8-sig" else raw.split(b"\n")
    expected: list[tuple[int, str | None]] = []
    for number, piece in enumerate(pieces, start=1):
        if number == len(pieces) and not piece:
            break                              # nothing after the last newline
        if len(piece) > limit:
            expected.append((number, None))
            continue
        line = piece.decode("utf-8" if encoding == "utf-8-sig" else encoding)
        has_newline = number < len(pieces)
        expected.append((number, line + "\n" if keepends and has_newline
                         else line if keepends else line.rstrip("\r")))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.txt"
        path.write_bytes(raw)
        ctx = ReadContext.for_path(path, strict=False)
        ctx.encoding = encoding
        with mock.patch.object(text_module, "_CHUNK", chunk), \
                mock.patch.object(text_module, "MAX_LINE_BYTES", limit):
            got = list(text_module.iter_marked_lines(ctx, keepends=keepends))
    assert got == expected
    assert [p.line for p in ctx.problems] == [n for n, t in expected if t is None]
