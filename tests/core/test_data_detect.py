"""`laptune check-data` detects the task of one file of every supported form; large JSONL streams
with progress in bounded memory; example files read back; `train --data` reads every form."""
from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from core.cli.main import main
from core.data import check_data, detect, read_examples
from core.data.examples import FORMS, write_example


def _forms(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """{name: (path, task)}: one file or folder per supported form."""
    files: dict[str, tuple[Path, str]] = {}
    for task, forms in FORMS.items():
        for form in forms:
            files[f"{task}-{form}"] = (write_example(task, tmp_path / f"{task}_{form}", form=form), task)
    conll = tmp_path / "eng.train"
    conll.write_text("-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n", encoding="utf-8")
    files["ner-conll2003"] = (conll, "ner")
    ls = tmp_path / "ls.json"
    ls.write_text(json.dumps([{"data": {"text": "李华"}, "annotations": [{"result": [
        {"value": {"start": 0, "end": 2, "labels": ["PER"]}}]}]}], ensure_ascii=False), encoding="utf-8")
    files["ner-labelstudio"] = (ls, "ner")
    doccano = tmp_path / "doccano.jsonl"
    doccano.write_text(json.dumps({"text": "张三", "label": [[0, 2, "PER"]]}, ensure_ascii=False) + "\n",
                       encoding="utf-8")
    files["ner-doccano"] = (doccano, "ner")
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes("\ufefftext\tlabel\r\n好\tpos\r\n坏\tneg\r\n".encode("utf-16-le"))
    files["classify-utf16-tsv"] = (utf16, "classify")
    news = tmp_path / "news"
    for label in ("体育", "财经"):
        (news / label).mkdir(parents=True)
        (news / label / "1.txt").write_text(f"{label}新闻", encoding="utf-8")
    files["classify-thucnews"] = (news, "classify")
    datasets = pytest.importorskip("datasets", reason="datasets is a dev dependency")
    ds = datasets.Dataset.from_list([{"messages": [{"role": "user", "content": "hi"},
                                                   {"role": "assistant", "content": "hello"}]}] * 3)
    ds.save_to_disk(str(tmp_path / "sft_hf"))
    files["sft-save_to_disk"] = (tmp_path / "sft_hf", "sft")
    datasets.Dataset.from_dict({"text": ["好", "坏"], "label": ["p", "n"]}).to_parquet(
        str(tmp_path / "cls.parquet"))
    files["classify-parquet"] = (tmp_path / "cls.parquet", "classify")
    arrow = tmp_path / "ner.arrow"
    import pyarrow as pa

    table = pa.table({"tokens": [["北", "京"]], "ner_tags": [["B-LOC", "I-LOC"]]})
    with pa.ipc.new_file(str(arrow), table.schema) as writer:
        writer.write_table(table)
    files["ner-arrow"] = (arrow, "ner")
    return files


FORM_NAMES = [f"{task}-{form}" for task, forms in FORMS.items() for form in forms] + [
    "ner-conll2003", "ner-labelstudio", "ner-doccano", "classify-utf16-tsv", "classify-thucnews",
    "sft-save_to_disk", "classify-parquet", "ner-arrow"]


@pytest.fixture(scope="module")
def form_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    return _forms(tmp_path_factory.mktemp("forms"))


@pytest.mark.parametrize("name", FORM_NAMES)
def test_every_form_is_detected_and_reads(form_files: dict[str, tuple[Path, str]], name: str,
                                          capsys: pytest.CaptureFixture) -> None:
    path, task = form_files[name]
    assert detect(path).task == task
    assert main(["check-data", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["task"] == task and report["examples"] >= 1 and not report["problems"]
    assert report["shape"] and report["detected"]["sureness"] == "sure"
    assert read_examples(task, path)     # what `train --data` reads


def test_the_sweep_covers_every_form(form_files: dict[str, tuple[Path, str]]) -> None:
    assert sorted(form_files) == sorted(FORM_NAMES)


def test_summary_names_task_shape_and_certainty(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = write_example("ner", tmp_path / "a.json", form="cluener")
    assert main(["check-data", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{path}: NER, 3 sentences (CLUENER JSON, UTF-8)"
    assert out[1].startswith("detected: NER, CLUENER JSON (sure")
    assert main(["check-data", str(path), "--task", "classify"]) == 1
    assert "--task ner" in capsys.readouterr().out


def _peak(path: Path, seen: list[tuple[int, int]]) -> tuple[int, object]:
    tracemalloc.start()
    try:
        report = check_data(None, path, progress=lambda done, total: seen.append((done, total)))
        return tracemalloc.get_traced_memory()[1], report
    finally:
        tracemalloc.stop()


def test_large_jsonl_streams_with_progress_in_bounded_memory(tmp_path: Path) -> None:
    """Memory follows the read block (1 MB of text), not the file: a file 4x larger peaks the same."""
    line = json.dumps({"instruction": "把这句话翻译成英文" * 5, "input": "", "output": "x" * 200},
                      ensure_ascii=False) + "\n"
    peaks = []
    for n in (8_000, 32_000):
        path = tmp_path / f"big{n}.jsonl"
        with open(path, "w", encoding="utf-8") as f:
            f.writelines([line] * n)
        size = path.stat().st_size                   # 3 MB and 12 MB
        seen: list[tuple[int, int]] = []
        peak, report = _peak(path, seen)
        assert report.ok and report.n_examples == n
        assert len(seen) >= 3 and seen[-1] == (size, size)
        assert all(a[0] <= b[0] for a, b in zip(seen, seen[1:]))
        peaks.append(peak)
    assert peaks[1] < peaks[0] * 1.25 + 1e6, peaks
    assert peaks[1] < size * 0.9, f"peak {peaks[1] / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"


def test_example_files_read_back(tmp_path: Path) -> None:
    for task, forms in FORMS.items():
        for form in forms:
            path = write_example(task, tmp_path / f"{task}-{form}", form=form)
            report = check_data(task, path)
            assert report.ok and report.n_examples >= 3, (task, form, report.lines())
    assert main(["example-data", "sft", str(tmp_path / "x.json")]) == 0
    assert check_data(None, tmp_path / "x.json").form == "alpaca"


def test_train_reads_any_form_through_the_preset(tmp_path: Path) -> None:
    from core.config.presets import resolve
    from core.train.tasks.base import load_split

    data = write_example("ner", tmp_path / "train.json", form="cluener")
    cfg = resolve("demo-ner", overrides={"data.train": str(data), "data.eval": None}).config
    train, held_out = load_split(cfg, None)
    assert len(train) == 3 and train[0].labels[:2] == ["B-PER", "I-PER"]
    wrong = resolve("demo", overrides={"data.train": str(data), "data.eval": None}).config  # classify
    with pytest.raises(Exception, match="--task ner"):
        load_split(wrong, None)


def test_train_reads_a_named_excel_sheet(tmp_path: Path) -> None:
    import openpyxl

    from core.config.presets import resolve
    from core.train.tasks.base import load_split

    book = openpyxl.Workbook()
    book.active.append(["说明"])
    sheet = book.create_sheet("数据")
    sheet.append(["评论", "标签"])
    for i in range(4):
        sheet.append([f"第{i}条评论", "正面" if i % 2 else "负面"])
    book.save(tmp_path / "cls.xlsx")
    cfg = resolve("demo", overrides={"data.train": str(tmp_path / "cls.xlsx"), "data.eval": None,
                                     "data.sheet": "数据"}).config
    d = cfg.data
    train, _ = load_split(cfg, None, text_column=d.text_column, label_column=d.label_column,
                          text_pair_column=d.text_pair_column, sheet=d.sheet)
    assert [e.label for e in train] == ["负面", "正面", "负面", "正面"]
