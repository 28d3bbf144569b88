"""Property tests: any input gives examples or a DataError, never another exception, and
check_data never raises. Returned examples always satisfy the readers' promises."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.data import (ChatExample, ClsExample, DataError, DataReport, NerExample, check_data,
                       read_examples)

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
BIO = re.compile(r"O|[BIES]-.*\S.*", re.DOTALL)
TASK_NAMES = {"ner": ["a.txt", "a.conll", "a.jsonl", "a.json", "a"],
              "classify": ["a.csv", "a.tsv", "a.jsonl", "a.json", "a.txt"],
              "sft": ["a.jsonl", "a.json", "a.txt"]}
TASK_AND_NAME = st.sampled_from([(t, n) for t, names in TASK_NAMES.items() for n in names])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"])


def assert_valid(task: str, examples: list[Any]) -> None:
    assert examples, "a successful read returns at least one example"
    for e in examples:
        assert e.line >= 1
        if task == "ner":
            assert isinstance(e, NerExample)
            assert len(e.tokens) == len(e.labels) > 0
            assert all(isinstance(t, str) and t for t in e.tokens)
            assert all(BIO.fullmatch(label) for label in e.labels)
        elif task == "classify":
            assert isinstance(e, ClsExample)
            assert isinstance(e.text, str) and e.text.strip()
            assert isinstance(e.label, str) and e.label.strip() == e.label and e.label
            assert e.text_pair is None or e.text_pair.strip()
        else:
            assert isinstance(e, ChatExample)
            assert any(m["role"] == "assistant" for m in e.messages)
            for m in e.messages:
                assert set(m) == {"role", "content"}
                assert m["role"] in ("system", "user", "assistant") and m["content"].strip()


def exercise(task: str, name: str, data: bytes) -> None:
    """Strict read and lenient check of one file; the properties every input must keep."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        exercise_path(task, path)


def exercise_path(task: str, path: Path, **kwargs: Any) -> list[DataError]:
    """The properties every file or folder must keep; returns the errors seen (strict, then lenient)."""
    errors: list[DataError] = []
    try:
        examples = read_examples(task, path, **kwargs)
    except DataError as err:
        # a folder's problem may be in one of its files (THUCNews layout): that file is named
        assert err.file == str(path) or (path.is_dir() and str(err.file).startswith(str(path)))
        assert err.line is None or err.line >= 1
        str(err)
        errors.append(err)
    else:
        assert_valid(task, examples)
    errors += check_report(task, path, **kwargs)
    return errors


def check_report(task: str, path: Path, **kwargs: Any) -> list[DataError]:
    """check_data on the file, for the task and detecting it: never raises, always says why."""
    report = check_data(task, path, max_problems=20, **kwargs)
    assert isinstance(report, DataReport)
    assert all(isinstance(p, DataError) for p in report.problems)
    assert len(report.problems) <= 20
    assert len(report.preview) == min(report.n_examples, 5)
    assert report.lines()
    json.dumps(report.preview)     # plain data, ready for the GUI
    if report.preview:
        kind = {"ner": NerExample, "classify": ClsExample, "sft": ChatExample}[task]
        assert_valid(task, [kind(**item) for item in report.preview])
    if report.n_examples == 0:
        assert report.problems, "an unusable file always says why"
    detected = check_data(None, path, max_problems=5)      # detection never raises either
    assert detected.lines() and (detected.n_examples or detected.problems)
    assert detected.shape()
    return [*report.problems, *detected.problems]


@SETTINGS
@given(TASK_AND_NAME, st.binary(max_size=400))
def test_random_bytes(task_and_name: tuple[str, str], data: bytes) -> None:
    exercise(*task_and_name, data)


@SETTINGS
@given(TASK_AND_NAME, st.text(alphabet="{}[]\",:\t\n \\0aB-OIE中", max_size=200), ENCODINGS)
def test_random_structural_text(task_and_name: tuple[str, str], text: str, encoding: str) -> None:
    exercise(*task_and_name, text.encode(encoding))


# Pieces that look like real data; the tests below build mostly valid files and then, half of
# the time, break one part of them, so both the success path and the error paths are exercised.
TOKENS = st.text(st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=4)
WORDS = st.text(st.characters(blacklist_categories=("Cs", "Zs", "Cc", "Zl", "Zp")), min_size=1,
                max_size=3)
GOOD_LABELS = st.sampled_from(["O", "B-PER", "I-PER", "E-LOC", "S-ORG", "M-ORG", "B-地名"])
BAD_LABELS = st.sampled_from(["PER", "0", "o", "b-per", "B-", "B_PER", "I-", ""]) | TOKENS
SEPARATORS = st.sampled_from([" ", "\t", "  ", " \t"])


def corrupt(draw: st.DrawFn, items: list[Any], bad: st.SearchStrategy[Any]) -> list[Any]:
    if draw(st.booleans()):
        position = draw(st.integers(0, len(items)))
        items = [*items]
        items.insert(position, draw(bad))
    return items


@st.composite
def conll_text(draw: st.DrawFn) -> str:
    sentences = draw(st.lists(st.lists(st.tuples(WORDS, GOOD_LABELS), min_size=1, max_size=5),
                              min_size=1, max_size=4))
    lines: list[str] = []
    for sentence in sentences:
        sep = draw(SEPARATORS)
        lines.extend(f"{token}{sep}{label}" for token, label in sentence)
        lines.append(draw(st.sampled_from(["", " ", "-DOCSTART- -X- O"])))
    bad_line = st.one_of(
        st.tuples(WORDS, SEPARATORS, BAD_LABELS).map("".join),               # label not BIO
        st.tuples(WORDS, st.just(" x "), GOOD_LABELS).map("".join),          # extra column
        WORDS,                                                                 # one column
        TOKENS,
    )
    lines = corrupt(draw, lines, bad_line)
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines)


@SETTINGS
@given(conll_text(), ENCODINGS, st.sampled_from(["a.txt", "a.bmes"]))
def test_malformed_conll(text: str, encoding: str, name: str) -> None:
    exercise("ner", name, text.encode(encoding, "ignore"))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TOKENS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TOKENS, inner, max_size=3),
    max_leaves=8)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return strategy | JSON_VALUES


@st.composite
def good_ner_record(draw: st.DrawFn) -> dict[str, Any]:
    pairs = draw(st.lists(st.tuples(TOKENS.filter(bool), GOOD_LABELS), min_size=1, max_size=5))
    return {"tokens": [t for t, _ in pairs], "labels": [label for _, label in pairs]}


@st.composite
def good_span_record(draw: st.DrawFn) -> dict[str, Any]:
    """CLUENER (inclusive ends) or doccano/generic spans (exclusive), spans inside the text."""
    text = draw(st.text("北京上海张三李四在 ab", min_size=1, max_size=12))
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=4)))
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if b > a]
    kind = draw(st.sampled_from(["cluener", "doccano", "entities"]))
    if kind == "cluener":
        label: dict[str, dict[str, list[list[int]]]] = {}
        for a, b in spans:
            label.setdefault("LOC", {}).setdefault(text[a:b], []).append([a, b - 1])
        return {"text": text, "label": label}
    if kind == "doccano":
        return {"text": text, "label": [[a, b, "PER"] for a, b in spans]}
    return {"text": text, "entities": [{"start": a, "end": b, "label": "ORG"} for a, b in spans]}


GOOD_RECORDS = {
    "ner": good_ner_record() | good_span_record(),
    "classify": st.fixed_dictionaries({"text": WORDS, "label": WORDS | st.integers()},
                                      optional={"text_pair": WORDS}),
    "sft": st.lists(st.fixed_dictionaries({"role": st.sampled_from(["user", "system"]),
                                           "content": WORDS}), max_size=2).flatmap(
        lambda head: st.builds(lambda c: {"messages": [*head, {"role": "assistant",
                                                                "content": c}]}, WORDS))
    | st.fixed_dictionaries({"instruction": WORDS, "output": WORDS},
                            optional={"input": TOKENS, "system": TOKENS,
                                      "history": st.lists(st.tuples(WORDS, WORDS).map(list),
                                                          max_size=2)})
    | st.fixed_dictionaries({"prompt": WORDS, "response": WORDS}),
}
BAD_RECORDS = {
    "ner": st.fixed_dictionaries({}, optional={
        "tokens": maybe(st.lists(TOKENS, max_size=4)),
        "labels": maybe(st.lists(BAD_LABELS | GOOD_LABELS | st.integers(), max_size=4)),
        "ner_tags": maybe(st.lists(GOOD_LABELS, max_size=4)),
        "text": maybe(TOKENS),
        "label": maybe(st.dictionaries(TOKENS, maybe(st.dictionaries(TOKENS, maybe(st.lists(
            maybe(st.lists(st.integers(-2, 20), max_size=3)), max_size=2)), max_size=2)),
            max_size=2) | st.lists(maybe(st.tuples(st.integers(-2, 20), st.integers(-2, 20),
                                                     TOKENS).map(list)), max_size=3)),
        "entities": maybe(st.lists(maybe(st.fixed_dictionaries({}, optional={
            "start": maybe(st.integers(-2, 20)), "end": maybe(st.integers(-2, 20)),
            "label": maybe(TOKENS)})), max_size=3))}),
    "classify": st.fixed_dictionaries({}, optional={
        "text": maybe(TOKENS), "sentence": maybe(TOKENS), "label": maybe(TOKENS | st.integers()),
        "category": maybe(TOKENS), "text_pair": maybe(TOKENS)}),
    "sft": st.fixed_dictionaries({}, optional={
        "messages": maybe(st.lists(maybe(st.fixed_dictionaries({}, optional={
            "role": maybe(st.sampled_from(["user", "assistant", "system", "human", "gpt", "bot",
                                           ""])),
            "content": maybe(TOKENS), "from": maybe(st.sampled_from(["human", "gpt", "x"])),
            "value": maybe(TOKENS)})), max_size=4)),
        "conversations": maybe(st.lists(st.fixed_dictionaries(
            {"from": st.sampled_from(["human", "gpt", "system", "bot"]), "value": TOKENS}),
            max_size=4)),
        "instruction": maybe(TOKENS), "input": maybe(TOKENS), "output": maybe(TOKENS),
        "history": maybe(st.lists(maybe(st.lists(maybe(TOKENS), max_size=3)), max_size=2)),
        "prompt": maybe(TOKENS), "completion": maybe(TOKENS)}),
}


def render(records: list[Any], as_list: bool, cut: int | None) -> str:
    parts = [json.dumps(r, ensure_ascii=False) for r in records]
    if cut is not None and parts:
        index = cut % len(parts)
        parts[index] = parts[index][: len(parts[index]) // 2]     # a record cut in half
    return ("[" + ",\n".join(parts) + "]") if as_list else "\n".join(parts)


@SETTINGS
@given(st.sampled_from(["ner", "classify", "sft"]), st.data(), st.booleans(),
       st.none() | st.none() | st.integers(0, 10), ENCODINGS)
def test_malformed_json_records(task: str, data: st.DataObject, as_list: bool,
                                cut: int | None, encoding: str) -> None:
    records = data.draw(st.lists(GOOD_RECORDS[task], min_size=1, max_size=5))
    records = corrupt(data.draw, records, BAD_RECORDS[task] | JSON_VALUES)
    text = render(records, as_list, cut)
    exercise(task, "a.json" if as_list else "a.jsonl", text.encode(encoding, "ignore"))


CELLS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=6) | st.sampled_from(
    ['"', '"quoted, comma"', "a,b", "a\tb", "line\nbreak", "", " "])
HEADER_NAMES = st.sampled_from(["text", "label", "text_pair", "sentence", "category", "labels",
                                "content", "Text", "x", ""])


@st.composite
def table_text(draw: st.DrawFn, sep: str) -> str:
    text_col = draw(st.sampled_from(["text", "sentence", "content", "Text"]))
    label_col = draw(st.sampled_from(["label", "labels", "category"]))
    header = draw(st.permutations([text_col, label_col, *draw(st.sampled_from(
        [[], ["text_pair"], ["id"]]))]))
    header = corrupt(draw, header, HEADER_NAMES)
    cell = WORDS.filter(lambda c: "\t" not in c and "\n" not in c and "\r" not in c) \
        if sep == "\t" else WORDS | st.sampled_from(["好, 很好", 'say "hi"', "two\nlines"])
    rows = [[draw(cell) for _ in header] for _ in range(draw(st.integers(1, 5)))]
    rows = corrupt(draw, rows, st.lists(CELLS, max_size=5))
    if sep == ",":
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([header, *rows])
        text = out.getvalue()
    else:
        text = "\n".join("\t".join(row) for row in [header, *rows])
    if draw(st.booleans()):      # raw damage that quoting cannot hide
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(['"', sep, "\n", "\r", ",,"])) + text[at:]
    return text


@SETTINGS
@given(st.sampled_from([",", "\t"]).flatmap(lambda sep: st.tuples(st.just(sep), table_text(sep))),
       ENCODINGS)
def test_malformed_tables(sep_and_text: tuple[str, str], encoding: str) -> None:
    sep, text = sep_and_text
    exercise("classify", "a.csv" if sep == "," else "a.tsv", text.encode(encoding, "ignore"))


# ---------------------------------------------------------------- binary formats
# Excel workbooks, Parquet/Arrow files and `datasets` folders are built by the libraries that write
# them (openpyxl, pyarrow), filled with random cells and columns, and sometimes cut or damaged.
# FUZZ_N=2000 searches longer (about a minute per test).
SLOW = settings(max_examples=int(os.environ.get("FUZZ_N", 100)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
BINARY_NAMES = st.sampled_from(["a.xlsx", "a.parquet", "a.arrow"])
MAGIC = st.sampled_from([b"", b"PK\x03\x04", b"PAR1", b"ARROW1\x00\x00", b"\xff\xff\xff\xff"])
CELL_ADDRESS = re.compile(r".+!(?:[A-Z]+\d+|\d+:\d+)")


@SETTINGS
@given(st.sampled_from(["ner", "classify", "sft"]), BINARY_NAMES, MAGIC, st.binary(max_size=300))
def test_random_bytes_under_binary_names(task: str, name: str, magic: bytes, data: bytes) -> None:
    exercise(task, name, magic + data)


XLSX_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8)
XLSX_VALUES = st.one_of(
    st.none(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.just(""), st.just(" "), XLSX_TEXT, st.sampled_from(["正面", "负面", "体育", "1"]),
    st.dates(), st.datetimes(), st.times(), st.just("x" * 3000), st.just("=1+1"),
    st.sampled_from(["text", "label", "文本", "标签", "category", "Text", "LABEL"]))
XLSX_HEADERS = st.lists(st.sampled_from(["text", "label", "文本", "标签", "类别", "sentence",
                                         "text_pair", "id", "", None]), min_size=1, max_size=4)


@st.composite
def workbook_sheets(draw: st.DrawFn) -> list[tuple[str, list[list[Any]]]]:
    sheets = []
    names = draw(st.lists(st.sampled_from(["Sheet1", "数据", "train", "Sheet 2", "x"]), min_size=1,
                          max_size=3, unique=True))
    for name in names:
        rows: list[list[Any]] = []
        for _ in range(draw(st.integers(0, 2))):                       # title rows above the table
            rows.append([draw(XLSX_VALUES)])
        if draw(st.booleans()):
            rows.append(draw(XLSX_HEADERS))
        width = draw(st.integers(1, 4))
        good = st.lists(st.sampled_from(["今天很好", "下雨了", "好", "a b"]), min_size=width,
                        max_size=width)
        for _ in range(draw(st.integers(0, 6))):
            rows.append(draw(good | st.lists(XLSX_VALUES, max_size=5)))
        sheets.append((name, rows))
    return sheets


def write_workbook(path: Path, sheets: list[tuple[str, list[list[Any]]]]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)


def damage(draw: st.DrawFn, path: Path) -> bool:
    """Half of the time leave the file alone (True); else cut it or overwrite a few bytes."""
    how = draw(st.sampled_from(["keep", "keep", "cut", "flip"]))
    data = path.read_bytes()
    # Positions are drawn independently of the size: a workbook's size varies with its timestamps.
    at = draw(st.integers(0, 10**6)) % max(1, len(data))
    if how == "cut":
        path.write_bytes(data[:at])
    elif how == "flip" and data:
        path.write_bytes(data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at + 8:])
    return how == "keep"


def damage_sheet_xml(draw: st.DrawFn, path: Path) -> bool:
    """A third of the time cut the first sheet's XML or put text into it (a flipped byte of the zip would
    be caught on opening; this reaches openpyxl's parser, which runs while the rows are read)."""
    import zipfile

    how = draw(st.sampled_from(["none", "none", "cut", "insert"]))
    if how == "none":
        return False
    at = draw(st.integers(0, 10**6))
    junk = draw(st.sampled_from([b"<", b"&", b'"', b"<v>x</v>", b"</row>", b"\xff", b"<c r=\"ZZZ0\">"]))
    copy = path.with_name("copy.xlsx")
    with zipfile.ZipFile(path) as book, zipfile.ZipFile(copy, "w") as out:
        for item in book.infolist():
            raw = book.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                at %= max(1, len(raw))
                raw = raw[:at] if how == "cut" else raw[:at] + junk + raw[at:]
            out.writestr(item, raw)
    copy.replace(path)
    return True


@SLOW
@given(workbook_sheets(), st.data())
def test_random_workbooks(sheets: list[tuple[str, list[list[Any]]]], data: st.DataObject) -> None:
    names = [name for name, _ in sheets]
    sheet = data.draw(st.sampled_from([None, *names, "没有这张表"]))
    task = data.draw(st.sampled_from(["classify", "classify", "classify", "ner", "sft"]))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.xlsx"
        write_workbook(path, sheets)
        intact = damage(data.draw, path) and not damage_sheet_xml(data.draw, path)
        kwargs = {"sheet": sheet} if task == "classify" else {}
        for err in exercise_path(task, path, **kwargs):
            assert err.file == str(path)
            if err.line is not None:      # a problem in a row names the sheet and the cell
                assert err.cell is not None and CELL_ADDRESS.fullmatch(err.cell), str(err)
                assert err.cell.split("!")[0] in names, str(err)
        if sheet == "没有这张表" and task == "classify" and intact:
            problem = str(check_data(task, path, sheet=sheet).problems[0])
            assert "没有这张表" in problem and all(name in problem for name in names), problem


COLUMN_NAMES = st.sampled_from(["text", "label", "tokens", "labels", "ner_tags", "messages",
                                "instruction", "input", "output", "prompt", "response",
                                "conversations", "entities", "text_pair", "id", "x", "文本"])
SHORT = st.text("北京张三ab O-", max_size=5)


def column_values(kind: str, n: int) -> st.SearchStrategy[list[Any]]:
    value = {
        "str": SHORT, "int": st.integers(-3, 5), "float": st.floats(allow_nan=True),
        "bool": st.booleans(), "bytes": st.binary(max_size=4),
        "tags": st.lists(st.sampled_from(["O", "B-PER", "I-PER", "X", ""]), max_size=4),
        "strs": st.lists(SHORT, max_size=4), "ints": st.lists(st.integers(-2, 5), max_size=4),
        "nested": st.lists(st.lists(st.integers(0, 9), max_size=2), max_size=2),
        "messages": st.lists(st.fixed_dictionaries({
            "role": st.sampled_from(["user", "assistant", "system", "x"]), "content": SHORT}),
            max_size=3),
        "struct": st.fixed_dictionaries({"start": st.integers(-1, 9), "end": st.integers(-1, 9)}),
        "time": st.datetimes(), "large": SHORT, "dict": SHORT,
    }[kind]
    return st.lists(st.none() | value, min_size=n, max_size=n)


@st.composite
def arrow_table(draw: st.DrawFn) -> Any:
    import pyarrow as pa

    n = draw(st.integers(0, 6))
    names = draw(st.lists(COLUMN_NAMES, min_size=1, max_size=4, unique=True))
    columns = {}
    for name in names:
        kind = draw(st.sampled_from(["str", "int", "float", "bool", "bytes", "tags", "strs",
                                     "ints", "nested", "messages", "struct", "time", "large", "dict"]))
        values = draw(column_values(kind, n))
        typed = {"large": pa.large_string(), "dict": pa.string()}.get(kind)
        column = pa.array(values, typed) if typed is not None else pa.array(values)
        columns[name] = column.dictionary_encode() if kind == "dict" else column
    table = pa.table(columns)
    if draw(st.booleans()):         # class names as `datasets` records them, sometimes wrong
        column = draw(st.sampled_from(names))
        feature = draw(st.sampled_from([
            {"_type": "ClassLabel", "names": ["neg", "pos"]},
            {"_type": "Sequence", "feature": {"_type": "ClassLabel", "names": ["O", "B-PER", "I-PER"]}},
            [{"_type": "ClassLabel", "names": ["O", "B-LOC"]}],
            {"_type": "ClassLabel", "names": "not a list"}, {"_type": "ClassLabel"}, "junk", None]))
        meta = draw(st.sampled_from([json.dumps({"info": {"features": {column: feature}}}),
                                     "{not json", json.dumps([1, 2]), json.dumps({"info": 3})]))
        table = table.replace_schema_metadata({"huggingface": meta})
    return table


def write_table(path: Path, table: Any, kind: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if kind == "parquet":
        pq.write_table(table, path)
        return
    writer = pa.ipc.new_stream if kind == "stream" else pa.ipc.new_file
    with pa.OSFile(str(path), "wb") as sink, writer(sink, table.schema) as out:
        out.write_table(table)


@SLOW
@given(arrow_table(), st.sampled_from(["parquet", "stream", "file"]),
       st.sampled_from(["ner", "classify", "sft"]), st.data())
def test_random_parquet_and_arrow_files(table: Any, kind: str, task: str, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("a.parquet" if kind == "parquet" else "a.arrow")
        write_table(path, table, kind)
        damage(data.draw, path)
        for err in exercise_path(task, path):
            assert err.cell is None and (err.line is None or err.unit == "row"), str(err)


@SLOW
@given(arrow_table(), st.sampled_from(["ner", "classify", "sft"]), st.data())
def test_random_datasets_folders(table: Any, task: str, data: st.DataObject) -> None:
    """A save_to_disk layout (state.json + data-*.arrow, optionally under a dataset_dict.json split),
    written by hand so that its pieces can be missing or wrong."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ds"
        split = data.draw(st.sampled_from([None, "train", "validation"]))
        folder = root / split if split else root
        folder.mkdir(parents=True)
        if split:
            (root / "dataset_dict.json").write_text(data.draw(st.sampled_from([
                json.dumps({"splits": [split]}), json.dumps({"splits": []}), json.dumps([1]),
                "{bad", json.dumps({"splits": ["train", "test"]})])), encoding="utf-8")
        write_table(folder / "data-00000-of-00001.arrow", table, "stream")
        damage(data.draw, folder / "data-00000-of-00001.arrow")
        state = data.draw(st.sampled_from([
            {"_data_files": [{"filename": "data-00000-of-00001.arrow"}]},
            {"_data_files": [{"filename": "missing.arrow"}]}, {"_data_files": "x"},
            {"_data_files": [{}]}, {}, None]))
        if state is not None:
            (folder / "state.json").write_text(json.dumps(state), encoding="utf-8")
        exercise_path(task, root)


FILE_BYTES = st.binary(max_size=40) | st.text(max_size=12).map(str.encode) | \
    st.text("体育新闻比赛", max_size=8).map(lambda t: t.encode("gbk"))


@SLOW
@given(st.dictionaries(st.sampled_from(["体育", "财经", "a b", "x"]), st.lists(FILE_BYTES, max_size=3),
                       max_size=3), st.lists(st.sampled_from(["loose.txt", "note.md", "sub/deeper.txt"]),
                                             max_size=2))
def test_random_class_folders(classes: dict[str, list[bytes]], extra: list[str]) -> None:
    """THUCNews layout: one sub-folder of .txt files per class, with empty, binary and GBK files."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "news"
        root.mkdir()
        for label, files in classes.items():
            (root / label).mkdir()
            for i, data in enumerate(files):
                (root / label / f"{i}.txt").write_bytes(data)
        for name in extra:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(b"stray")
        for err in exercise_path("classify", root):
            assert err.file is not None and err.file.startswith(str(root)), str(err)
