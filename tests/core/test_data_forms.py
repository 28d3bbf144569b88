"""The forms people keep their data in: each read from a tiny file written in that form, and a bad
file of each form ends in our error with file, line (or row, or sheet!cell) and the fix."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.data import DataError, check_data, read_chat, read_classification, read_examples, read_ner


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def error(task: str, path: Path, file: Path | None = None, **kwargs: object) -> DataError:
    with pytest.raises(DataError) as info:
        read_examples(task, path, **kwargs)
    assert info.value.file == str(file or path)
    assert info.value.fix
    return info.value


# ---------------------------------------------------------------- SFT
def test_alpaca_with_system_and_history(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", json.dumps([
        {"instruction": "翻译成英文", "input": "你好", "output": "Hello", "system": "你是翻译",
         "history": [["在吗", "在的"]]},
        {"instruction": "一加一", "input": "", "output": "二"},
    ], ensure_ascii=False, indent=2))
    first, second = read_chat(path)
    assert first.messages == [
        {"role": "system", "content": "你是翻译"}, {"role": "user", "content": "在吗"},
        {"role": "assistant", "content": "在的"}, {"role": "user", "content": "翻译成英文\n你好"},
        {"role": "assistant", "content": "Hello"}]
    assert second.messages == [{"role": "user", "content": "一加一"},
                               {"role": "assistant", "content": "二"}]
    assert first.line == 2 and second.line > first.line
    report = check_data("sft", path)
    assert report.form == "alpaca" and report.ok and "Alpaca JSON" in report.lines()[0]


@pytest.mark.parametrize("answer", ["response", "completion"])
def test_prompt_pairs(tmp_path: Path, answer: str) -> None:
    path = write(tmp_path, "a.jsonl", jsonl({"prompt": "问", answer: "答"}, {"prompt": "再问",
                                                                              answer: "再答"}))
    assert [e.messages for e in read_chat(path)][1] == [
        {"role": "user", "content": "再问"}, {"role": "assistant", "content": "再答"}]


@pytest.mark.parametrize("record,field,words", [
    ({"instruction": "x", "input": ""}, "output", "missing field 'output'"),
    ({"instruction": "x", "output": ""}, "output", "empty output"),
    ({"instruction": "x", "output": "y", "history": [["only one"]]}, "history[0]", "pair"),
    ({"instruction": 3, "output": "y"}, "instruction", "a number"),
    ({"prompt": "x", "response": " "}, "response", "empty 'response'"),
])
def test_alpaca_and_pair_errors(tmp_path: Path, record: dict, field: str, words: str) -> None:
    good = {"instruction": "a", "input": "", "output": "b"}
    err = error("sft", write(tmp_path, "a.jsonl", jsonl(good, record)))
    assert (err.line, err.field) == (2, field)
    assert words in err.message


def test_last_user_turn_gets_a_note(tmp_path: Path) -> None:
    user, bot = {"role": "user", "content": "u"}, {"role": "assistant", "content": "a"}
    path = write(tmp_path, "a.jsonl", jsonl({"messages": [user, bot, user]},
                                            {"messages": [user, bot]}))
    report = check_data("sft", path)
    assert report.ok and report.n_examples == 2
    assert any("1 conversation ends with a user turn" in n for n in report.notes)
    clean = write(tmp_path, "b.jsonl", jsonl({"messages": [user, bot]}))
    assert not any("user turn" in n for n in check_data("sft", clean).notes)


# ---------------------------------------------------------------- NER spans
def test_cluener_inclusive_ends(tmp_path: Path) -> None:
    text = "浙商银行企业信贷部叶老桂博士则从另一个角度"
    path = write(tmp_path, "train.json", jsonl(
        {"text": text, "label": {"name": {"叶老桂": [[9, 11]]}, "company": {"浙商银行": [[0, 3]]}}}))
    (example,) = read_ner(path)
    assert example.tokens == list(text)
    assert example.labels[:5] == ["B-company", "I-company", "I-company", "I-company", "O"]
    assert example.labels[9:13] == ["B-name", "I-name", "I-name", "O"]
    report = check_data(None, path)
    assert report.task == "ner" and report.form == "cluener"
    assert any("inclusive" in n for n in report.notes)
    assert report.labels == {"company": 1, "name": 1}


def test_cluener_span_that_disagrees_with_its_text(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", jsonl({"text": "叶老桂博士", "label": {"name": {"叶老桂": [[1, 3]]}}}))
    err = error("ner", path)
    assert (err.line, err.field) == (1, "label.name.叶老桂")
    assert "[1, 3]" in err.message and "'老桂博'" in err.message


def test_doccano_exclusive_ends_detected(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", jsonl(
        {"text": "Alice met Bob in Paris", "label": [[0, 5, "PER"], [10, 13, "PER"], [17, 22, "LOC"]]},
        {"text": "张三在北京", "entities": [{"id": 1, "start_offset": 0, "end_offset": 2, "label": "PER"}]}))
    first, second = read_ner(path)
    assert first.tokens == ["Alice", "met", "Bob", "in", "Paris"]
    assert first.labels == ["B-PER", "O", "B-PER", "O", "B-LOC"]
    assert second.labels == ["B-PER", "I-PER", "O", "O", "O"]
    assert any("exclusive" in n for n in check_data("ner", path).notes)


def test_inclusive_span_ends_detected_from_the_data(tmp_path: Path) -> None:
    # An empty span [3, 3] can only be a one-character entity with an inclusive end.
    path = write(tmp_path, "a.jsonl", jsonl({"text": "我住在京城", "entities": [
        {"start": 3, "end": 3, "label": "LOC"}, {"start": 0, "end": 0, "label": "PER"}]}))
    (example,) = read_ner(path)
    assert example.labels == ["B-PER", "O", "O", "B-LOC", "O"]
    assert any("inclusive" in n for n in check_data("ner", path).notes)


def test_label_studio_export(tmp_path: Path) -> None:
    task = {"id": 1, "data": {"text": "李华去上海"}, "annotations": [{"result": [
        {"type": "labels", "value": {"start": 0, "end": 2, "text": "李华", "labels": ["PER"]}},
        {"type": "labels", "value": {"start": 3, "end": 5, "text": "上海", "labels": ["LOC"]}}]}]}
    path = write(tmp_path, "export.json", json.dumps([task], ensure_ascii=False))
    (example,) = read_ner(path)
    assert example.labels == ["B-PER", "I-PER", "O", "B-LOC", "I-LOC"]
    assert check_data(None, path).form == "labelstudio"
    minimal = write(tmp_path, "min.json", json.dumps([{"text": "李华", "label": [
        {"start": 0, "end": 2, "text": "李华", "labels": ["PER"]}]}], ensure_ascii=False))
    assert read_ner(minimal)[0].labels == ["B-PER", "I-PER"]


def test_span_boundaries_split_words(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", jsonl({"text": "iPhone12 sold", "entities": [
        {"start": 0, "end": 6, "label": "PRODUCT"}]}))
    (example,) = read_ner(path)
    assert example.tokens == ["iPhone", "12", "sold"]
    assert example.labels == ["B-PRODUCT", "O", "O"]


@pytest.mark.parametrize("entities,words", [
    ([[0, 2, "PER"], [1, 3, "LOC"]], "[0, 2] PER and [1, 3] LOC overlap"),
    ([[3, 9, "LOC"]], "outside the text (length 5)"),
    ([[-1, 2, "LOC"]], "outside the text"),
    ([[0, 2]], "cannot read the entity"),
])
def test_bad_spans(tmp_path: Path, entities: list, words: str) -> None:
    path = write(tmp_path, "a.jsonl", jsonl({"text": "张三在北京", "label": [[0, 2, "PER"]]},
                                            {"text": "张三在北京", "label": entities}))
    err = error("ner", path)
    assert err.line == 2 and err.field.startswith("label[")
    assert words in err.message
    report = check_data("ner", path)
    assert report.n_examples == 1 and len(report.problems) == 1


# ---------------------------------------------------------------- CoNLL-2003
def test_conll2003_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "eng.train", "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n"
                                        "German JJ B-NP B-MISC\n\nPeter NNP B-NP B-PER\n")
    first, second = read_ner(path)
    assert first.tokens == ["EU", "rejects", "German"]
    assert first.labels == ["B-ORG", "O", "B-MISC"]
    report = check_data(None, path)
    assert report.task == "ner" and report.ok
    assert any("4 columns" in n for n in report.notes)


# ---------------------------------------------------------------- Excel
def _xlsx(path: Path, rows: list[list[object]], title: str = "Sheet1", extra: str | None = None) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if extra:
        book.create_sheet(extra).append(["text", "label"])
    book.save(path)
    return path


def test_xlsx_header_found_below_a_title(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "a.xlsx", [["评论数据 2024"], [], ["评论", "标签"], ["好吃", 1.0],
                                       ["难吃", 0.0]])
    examples = read_classification(path)
    assert [(e.text, e.label, e.line) for e in examples] == [("好吃", "1", 4), ("难吃", "0", 5)]
    report = check_data(None, path)
    assert report.task == "classify" and report.format == "xlsx" and report.ok


def test_xlsx_without_header_and_named_sheet(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "a.xlsx", [["x", "y"]], extra="数据")
    import openpyxl

    book = openpyxl.load_workbook(path)
    for row in (["好", "pos"], ["坏", "neg"], ["行", "pos"]):
        book["数据"].append(row)
    book.save(path)
    assert len(read_classification(path, sheet="数据")) == 3
    with pytest.raises(DataError, match="no sheet 'Other'"):
        read_classification(path, sheet="Other")
    plain = _xlsx(tmp_path / "b.xlsx", [["好", "pos"], ["坏", "neg"], ["行", "pos"]])
    assert [e.text for e in read_classification(plain)] == ["好", "坏", "行"]
    assert any("no header row" in n for n in check_data("classify", plain).notes)


def test_xlsx_errors_name_the_cell(tmp_path: Path) -> None:
    rows = [["text", "label"]] + [[f"句子{i}", "a"] for i in range(10)] + [["没有标签", None]]
    err = error("classify", _xlsx(tmp_path / "a.xlsx", rows))
    assert err.cell == "Sheet1!B12"
    assert str(err).startswith(f"{tmp_path / 'a.xlsx'}, Sheet1!B12")
    broken = tmp_path / "bad.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    assert "not a readable .xlsx" in error("classify", broken).message


def test_xlsx_empty_cells_and_a_missing_header_name_the_sheet(tmp_path: Path) -> None:
    rows = [["text", "label"], ["好", "pos"], [None, "neg"], ["坏"]]
    report = check_data("classify", _xlsx(tmp_path / "a.xlsx", rows, title="数据"))
    assert [(p.cell, p.message) for p in report.problems] == [("数据!A3", "empty text"),
                                                               ("数据!B4", "empty label")]
    err = error("classify", _xlsx(tmp_path / "b.xlsx", [["a", "b", "c"], ["x", 1, 2]]))
    assert err.cell == "Sheet1!1:1" and "no header row" in err.message


def _patch_sheet(path: Path, out: Path, change) -> Path:
    """A copy of the workbook with its first sheet's XML changed (damage a byte flip would not reach: the
    zip's compression and checksums would catch that on opening)."""
    import zipfile

    with zipfile.ZipFile(path) as book, zipfile.ZipFile(out, "w") as copy:
        for item in book.infolist():
            data = book.read(item.filename)
            copy.writestr(item, change(data) if item.filename == "xl/worksheets/sheet1.xml" else data)
    return out


def test_xlsx_damaged_sheets_and_error_cells(tmp_path: Path) -> None:
    """openpyxl parses a sheet while it is read: a broken sheet raised ParseError or ValueError from the middle
    of reading; an Excel error (#VALUE!, here a date past 9999) became a label."""
    import datetime
    import re

    good = _xlsx(tmp_path / "a.xlsx", [["text", "label"], ["好", "a"], ["坏", datetime.datetime(2020, 1, 1)]])
    cases = {"xml": lambda d: d.replace(b'<c r="B3"', b'<c r="B3" <<', 1),
             "cut": lambda d: d[: len(d) * 2 // 3],
             "number": lambda d: re.sub(rb'(<c r="B3"[^>]*><v>)[^<]*', rb"\g<1>abc", d)}
    for name, change in cases.items():
        err = error("classify", _patch_sheet(good, tmp_path / f"{name}.xlsx", change))
        assert "sheet 'Sheet1' is damaged" in err.message and err.cell.startswith("Sheet1!"), name
    date = _patch_sheet(good, tmp_path / "date.xlsx", lambda d: re.sub(rb'(<c r="B3"[^>]*><v>)[^<]*', rb"\g<1>99999999999", d))
    with pytest.warns(UserWarning, match="outside the limits for dates"):
        report = check_data("classify", date)
    assert report.n_examples == 1 and [(p.cell, p.message) for p in report.problems] == [
        ("Sheet1!B3", "the cell holds the Excel error #VALUE!")]


# ---------------------------------------------------------------- THUCNews folder
def test_thucnews_folder(tmp_path: Path) -> None:
    for label, texts in {"体育": ["球赛", "比赛结果"], "财经": ["股市上涨"]}.items():
        (tmp_path / "news" / label).mkdir(parents=True)
        for i, text in enumerate(texts):
            (tmp_path / "news" / label / f"{i}.txt").write_text(text, encoding="utf-8")
    examples = read_classification(tmp_path / "news")
    assert sorted((e.label, e.text) for e in examples) == [
        ("体育", "比赛结果"), ("体育", "球赛"), ("财经", "股市上涨")]
    (tmp_path / "news" / "财经" / "9.txt").write_bytes(b"")
    err = error("classify", tmp_path / "news", file=tmp_path / "news" / "财经" / "9.txt")
    assert "empty file" in err.message
    report = check_data(None, tmp_path / "news")
    assert report.task == "classify" and report.n_examples == 3 and len(report.problems) == 1


# ---------------------------------------------------------------- datasets, Parquet, Arrow
def _dataset(tmp_path: Path):
    datasets = pytest.importorskip("datasets", reason="datasets is a dev dependency")
    features = datasets.Features({
        "tokens": datasets.Sequence(datasets.Value("string")),
        "ner_tags": datasets.Sequence(datasets.ClassLabel(names=["O", "B-LOC", "I-LOC"]))})
    return datasets, datasets.Dataset.from_dict(
        {"tokens": [["北", "京", "好"], ["上", "海"]], "ner_tags": [[1, 2, 0], [1, 2]]},
        features=features)


def test_save_to_disk_parquet_and_arrow(tmp_path: Path) -> None:
    datasets, ds = _dataset(tmp_path)
    ds.save_to_disk(str(tmp_path / "hf"))
    ds.to_parquet(str(tmp_path / "a.parquet"))
    datasets.DatasetDict(train=ds, test=ds.select([1])).save_to_disk(str(tmp_path / "dd"))
    arrow = next((tmp_path / "hf").glob("*.arrow"))
    for path in (tmp_path / "hf", tmp_path / "a.parquet", arrow, tmp_path / "dd"):
        examples = read_ner(path)
        assert examples[0].labels == ["B-LOC", "I-LOC", "O"], path    # ClassLabel names used
        report = check_data(None, path)
        assert report.task == "ner" and report.ok and report.n_examples == 2, path
    assert any("'train' split" in n for n in check_data("ner", tmp_path / "dd").notes)
    cls = datasets.Dataset.from_dict({"sentence": ["好", "坏"], "label": [1, 0]}, features=datasets.Features(
        {"sentence": datasets.Value("string"), "label": datasets.ClassLabel(names=["neg", "pos"])}))
    cls.to_parquet(str(tmp_path / "c.parquet"))
    assert [e.label for e in read_classification(tmp_path / "c.parquet")] == ["pos", "neg"]


def test_bad_table_rows_and_files(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets", reason="datasets is a dev dependency")
    datasets.Dataset.from_dict({"text": ["好", ""], "label": ["a", "b"]}).to_parquet(
        str(tmp_path / "a.parquet"))
    err = error("classify", tmp_path / "a.parquet")
    assert (err.line, err.unit) == (2, "row") and "row 2" in str(err)
    (tmp_path / "b.parquet").write_bytes(b"PAR1 broken")
    assert "not a readable Parquet" in error("classify", tmp_path / "b.parquet").message
    (tmp_path / "empty").mkdir()
    assert "no data" in error("classify", tmp_path / "empty").message


def test_nulls_and_binary_columns_say_what_they_hold(tmp_path: Path) -> None:
    """A null in a table is an empty cell, not a missing column; bytes are not "a number"."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    def problems(task: str, columns: dict) -> list[str]:
        pq.write_table(pa.table(columns), tmp_path / "t.parquet")
        return [str(p).split(": ", 1)[1] for p in check_data(task, tmp_path / "t.parquet").problems]

    assert problems("ner", {"tokens": [["北"], None], "labels": [["O"], ["O"]]}) == [
        "'tokens' must be a non-empty list of strings, found null. Fix: list the tokens: \"tokens\": [\"北\", \"京\"]."]
    assert problems("sft", {"instruction": ["a", "b"], "output": ["x", None]})[0].startswith(
        "field 'output' is null, not a string")
    assert problems("classify", {"text": ["好", None], "label": ["a", "b"]})[0].startswith("empty text")
    assert problems("classify", {"text": [b"ab"], "label": ["a"]})[0].startswith(
        "'text' is binary data, not a string")


def test_a_timestamp_past_year_9999_is_a_data_error(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"text": ["好", "坏"], "label": ["a", "b"],
                             "when": pa.array([0, 2**62], pa.timestamp("us"))}), tmp_path / "t.parquet")
    err = error("classify", tmp_path / "t.parquet")
    assert err.line == 1 and "rows 1-2" in err.message and "9999" in str(err.fix)


def test_damaged_arrow_files_are_data_errors(tmp_path: Path) -> None:
    """pyarrow does not check the data of an IPC stream when it reads it: bad UTF-8, offsets past the
    buffers and buffer lengths past the file's end came out as UnicodeDecodeError, SystemError or OSError."""
    pa = pytest.importorskip("pyarrow")
    import struct

    table = pa.table({"text": ["北京欢迎你"], "label": ["a"]})
    with pa.OSFile(str(tmp_path / "ok.arrow"), "wb") as sink, pa.ipc.new_stream(sink, table.schema) as out:
        out.write_table(table)
    data = (tmp_path / "ok.arrow").read_bytes()
    text = "北京欢迎你".encode()
    offsets = struct.pack("<ii", 0, len(text))          # the text's offsets, and a buffer length of 15
    first = data.index(offsets)
    second = data.index(offsets, first + 1)
    big = struct.pack("<ii", 0, 1 << 20)
    for name, raw in {"utf8": data.replace(text, b"\xff" * len(text)),
                      "first": data[:first] + big + data[first + 8:],
                      "second": data[:second] + big + data[second + 8:]}.items():
        path = tmp_path / f"{name}.arrow"
        path.write_bytes(raw)
        err = error("classify", path)
        assert "the table is damaged from its first row" in err.message, name
        assert "damaged" in str(check_data("classify", path).problems[0]), name


# ---------------------------------------------------------------- detection and the wrong task
def test_wrong_task_suggests_the_right_one(tmp_path: Path) -> None:
    path = write(tmp_path, "train.conll", "北 B-LOC\n京 I-LOC\n\n人 O\n")
    report = check_data("classify", path)
    assert "NER" in str(report.problems[0]) and "--task ner" in str(report.problems[0])
    assert "()" not in report.lines()[0] and "(, " not in report.lines()[0]
    err = error("classify", path)
    assert "--task ner" in err.fix
    alpaca = write(tmp_path, "a.jsonl", jsonl({"instruction": "x", "output": "y"}))
    assert "--task sft" in error("ner", alpaca).fix


def test_near_misses(tmp_path: Path) -> None:
    good = [{"instruction": f"q{i}", "output": "a"} for i in range(8)]
    bad = [{"instruction": "q", "input": "x"} for _ in range(2)]
    report = check_data(None, write(tmp_path, "a.jsonl", jsonl(*good, *bad)))
    assert report.task == "sft" and report.detection.confidence == pytest.approx(0.8)
    assert "looks like Alpaca but 2 records lack 'output'" in report.detection.near_misses
    assert report.n_examples == 8 and len(report.problems) == 2
    unknown = check_data(None, write(tmp_path, "b.jsonl", jsonl({"foo": 1}, {"foo": 2})))
    assert unknown.task == "" and "cannot tell which task" in str(unknown.problems[0])
