"""Predict on tiny trained demo runs: the answers must be the ones evaluation scored (NER, classification),
the ones a hand-written greedy loop gives (SFT), and a file with bad rows keeps one output row per input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from core.cli.main import main
from core.data import read_examples
from core.record.runs import RunDir
from core.use.batch import predict_file
from core.use.load import UseError, load_for_inference, resolve_checkpoint
from core.use.predict import Word, entities, predict_text, predict_texts, split_words

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"


@pytest.fixture(scope="module")
def loaded(runs: dict[str, Path]):
    return {name: load_for_inference(resolve_checkpoint(runs[name])) for name in ("ner", "cls", "sft")}


def _spans(tags: list[str]) -> set[tuple[int, int, str]]:
    words = [Word("x", i, i + 1) for i in range(len(tags))]
    return {(e["start"], e["end"], e["label"]) for e in entities("x" * len(tags), words, tags)}


def test_ner_predictions_score_what_evaluation_scored(runs: dict[str, Path], loaded) -> None:
    """Predicting the eval sentences as raw text gives back exactly the best checkpoint's eval F1."""
    gold = read_examples("ner", DEMO / "ner_eval.txt")
    results = predict_texts(loaded["ner"], ["".join(ex.tokens) for ex in gold])
    tp = n_pred = n_gold = 0
    for ex, res in zip(gold, results):
        want = _spans(ex.labels)
        got = {(e["start"], e["end"], e["label"]) for e in res["entities"]}
        tp, n_pred, n_gold = tp + len(want & got), n_pred + len(got), n_gold + len(want)
        for e in res["entities"]:
            assert e["text"] == "".join(ex.tokens)[e["start"]:e["end"]]
        assert 0 < res["probability"] <= 1 and not res["truncated"]
    f1 = 2 * tp / (n_pred + n_gold)
    best = RunDir.open(runs["ner"]).read_summary()["best_eval"]["eval_f1"]
    assert f1 == pytest.approx(best, abs=1e-9)
    assert f1 > 0.5   # the tiny model did learn: "华为公司" is an ORG
    first = predict_text(loaded["ner"], "华为公司位于杭州。")
    assert {"text": "华为公司", "label": "ORG", "start": 0, "end": 4} in first["entities"]


def test_ner_path_score_is_the_crf_score(loaded) -> None:
    """The reported score is the CRF's unnormalised score of the Viterbi path, and no other path scores higher."""
    ner = loaded["ner"]
    text = "张伟在北京"
    res = predict_text(ner, text)
    model = ner.model
    enc = ner.tokenizer(list(text), is_split_into_words=True, return_tensors="pt")
    starts = torch.arange(1, len(text) + 1).unsqueeze(0)
    with torch.no_grad():
        em = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], word_starts=starts,
                   word_mask=torch.ones_like(starts)).logits[0]
    crf = model.crf

    def score(path: list[int]) -> float:
        s = crf.start_transitions[path[0]] + em[0, path[0]] + crf.end_transitions[path[-1]]
        for i in range(1, len(path)):
            s = s + crf.transitions[path[i - 1], path[i]] + em[i, path[i]]
        return float(s)

    viterbi = crf.decode(em.unsqueeze(0))[0]
    assert res["score"] == pytest.approx(score(viterbi), abs=1e-3)
    for alt in range(ner.model.num_labels):   # change one tag: never better
        for pos in range(len(text)):
            other = list(viterbi)
            other[pos] = alt
            assert score(other) <= score(viterbi) + 1e-5


def test_classification_matches_eval_accuracy(runs: dict[str, Path], loaded) -> None:
    gold = read_examples("classify", DEMO / "cls_eval.csv")
    results = predict_texts(loaded["cls"], [ex.text for ex in gold], batch_size=7)
    accuracy = sum(r["label"] == ex.label for r, ex in zip(results, gold)) / len(gold)
    best = RunDir.open(runs["cls"]).read_summary()["best_eval"]["eval_accuracy"]
    assert accuracy == pytest.approx(best, abs=1e-9)
    for r in results:
        assert sum(r["probabilities"].values()) == pytest.approx(1.0, abs=1e-4)
        assert r["label"] == max(r["probabilities"], key=r["probabilities"].get)
    # Batching and sorting by length change nothing.
    assert predict_text(loaded["cls"], gold[5].text) == results[5]


def test_sft_greedy_answer_is_the_argmax_loop(chatty_llama: Path) -> None:
    """A bare model folder (a random tiny Llama): greedy = a hand-written argmax loop."""
    sft = load_for_inference(resolve_checkpoint(chatty_llama))
    assert sft.task == "sft" and sft.kind == "causal"
    tok, model = sft.tokenizer, sft.model
    prompt = "reverse abcd"
    answer = predict_text(sft, prompt, max_new_tokens=8)["text"]
    ids = tok(tok.apply_chat_template([{"role": "user", "content": prompt}], tokenize=False, add_generation_prompt=True),
              add_special_tokens=False, return_tensors="pt")["input_ids"]
    new = []
    with torch.no_grad():
        for _ in range(8):
            nxt = int(model(input_ids=ids).logits[0, -1].argmax())
            if nxt == tok.eos_token_id:
                break
            new.append(nxt)
            ids = torch.cat([ids, torch.tensor([[nxt]])], dim=1)
    assert answer and answer == tok.decode(new, skip_special_tokens=True).strip()
    # Batched (left padding) generation answers each prompt as it would alone.
    prompts = ["upper cgd", "reverse abcd", "repeat cbcgb please"]
    together = predict_texts(sft, prompts, max_new_tokens=8)
    assert together[1]["text"] == answer
    assert together[0] == predict_text(sft, prompts[0], max_new_tokens=8)
    # A temperature samples: different seeds give different answers.
    torch.manual_seed(1)
    hot = {predict_text(sft, prompt, max_new_tokens=8, temperature=5.0)["text"] for _ in range(3)}
    assert len(hot) > 1


def test_lora_run_merged_equals_peft(loaded) -> None:
    """The LoRA run's adapters merged into the base give peft's own outputs."""
    sft = loaded["sft"]
    assert sft.kind == "lora"
    unmerged = load_for_inference(sft.resolved, merge=False)
    ids = torch.tensor([sft.tokenizer("reverse abcd")["input_ids"]])
    with torch.no_grad():
        a, b = sft.model(input_ids=ids).logits, unmerged.model(input_ids=ids).logits
    assert torch.allclose(a, b, atol=1e-4)
    assert predict_text(sft, "reverse abcd", max_new_tokens=6) == predict_text(unmerged, "reverse abcd", max_new_tokens=6)


def test_words_and_entities() -> None:
    assert [w.text for w in split_words("李明 visited New-York 2024年。")] == \
        ["李", "明", "visited", "New", "-", "York", "2024", "年", "。"]
    text = "a b c d e"
    words = split_words(text)
    assert entities(text, words, ["B-PER", "I-PER", "O", "S-LOC", "I-ORG"]) == [
        {"text": "a b", "label": "PER", "start": 0, "end": 3}, {"text": "d", "label": "LOC", "start": 6, "end": 7},
        {"text": "e", "label": "ORG", "start": 8, "end": 9}]


def test_empty_text_is_refused(loaded) -> None:
    with pytest.raises(UseError, match="empty"):
        predict_text(loaded["cls"], "  ")


def test_batch_file_with_bad_rows(loaded, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "华为公司位于杭州。"}\nnot json\n\n"张伟去了上海"\n{"foo": 1}\n{"text": ""}\n'
                   '{"tokens": ["李", "明"], "labels": ["B-PER", "I-PER"]}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    seen = []
    report = predict_file(loaded["ner"], src, out, progress=lambda done, total: seen.append((done, total)))
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 4, 5, 6, 7]
    assert report.rows == 6 and report.ok == 3
    assert [line for line, _ in report.bad] == [2, 5, 6]
    assert "not valid JSON" in rows[1]["error"] and "no text field" in rows[3]["error"] and "empty" in rows[4]["error"]
    assert rows[0]["entities"] == predict_text(loaded["ner"], "华为公司位于杭州。")["entities"]
    assert rows[5]["input"] == "李明"
    assert seen[-1] == (6, 6)


def test_batch_csv_in_order(loaded, tmp_path: Path) -> None:
    gold = read_examples("classify", DEMO / "cls_eval.csv")[:70]
    src = tmp_path / "in.csv"
    src.write_text("id,text\n" + "".join(f"{i},{ex.text}\n" for i, ex in enumerate(gold)), encoding="gbk")
    out = tmp_path / "out.csv"
    report = predict_file(loaded["cls"], src, out, batch_size=8)
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert report.ok == 70 and [r["text"] for r in rows] == [ex.text for ex in gold]
    expected = predict_texts(loaded["cls"], [ex.text for ex in gold])
    assert [r["label"] for r in rows] == [e["label"] for e in expected]
    assert "read as GBK" in report.notes


def test_cli_predict(runs: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["predict", str(runs["cls"]), "--text", "今天下雨刮风", "--json", "--device", "cpu"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"label", "probabilities"} and data["label"] in data["probabilities"]
    assert main(["predict", str(runs["ner"]), "--checkpoint", "final", "--text", "华为公司位于杭州。"]) == 0
    out = capsys.readouterr().out
    assert "ORG" in out and "华为公司" in out and "CRF path score" in out
    # Errors a user can cause: a message with the fix, exit 1 or 2, no traceback.
    assert main(["predict", str(runs["cls"]), "--checkpoint", "77", "--text", "x"]) == 1
    assert "no checkpoint-77" in capsys.readouterr().err
    assert main(["predict", str(runs["cls"]), "--file", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o.jsonl")]) == 1
    assert "file not found" in capsys.readouterr().err
    assert main(["predict", str(runs["cls"])]) == 2


def test_batch_from_excel_parquet_and_a_datasets_folder(loaded, runs: dict[str, Path], tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Spreadsheets and tables are read by the training data's readers: the Excel row or the table row is
    each output row's line, an empty cell is a bad row, and the predictions are those of the texts."""
    import csv

    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    gold = [ex.text for ex in read_examples("classify", DEMO / "cls_eval.csv")[:5]]
    expected = [e["label"] for e in predict_texts(loaded["cls"], gold)]
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["the texts are on the next sheet"])
    sheet = book.create_sheet("数据")
    sheet.append(["待预测文本"])                      # a title row above the table
    sheet.append(["编号", "文本"])
    for i, text in enumerate(gold):
        sheet.append([i, text])
    sheet.append([5, None])                              # row 8: an empty cell
    sheet.append([6, 2024])                              # a number is a text too
    book.save(tmp_path / "in.xlsx")
    report = predict_file(loaded["cls"], tmp_path / "in.xlsx", tmp_path / "x.jsonl", sheet="数据")
    rows = [json.loads(line) for line in (tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["line"] for r in rows] == [3, 4, 5, 6, 7, 8, 9]
    assert [r.get("label") for r in rows[:5]] == expected and rows[6]["input"] == "2024"
    assert report.bad == [(8, rows[5]["error"])] and rows[5]["error"] == "'text' is empty"
    assert "header in row 2 of sheet '数据'" in report.notes

    plain = openpyxl.Workbook()                          # no header: column A holds the texts
    for text in gold:
        plain.active.append([text])
    plain.save(tmp_path / "plain.xlsx")
    predict_file(loaded["cls"], tmp_path / "plain.xlsx", tmp_path / "p.csv")
    with (tmp_path / "p.csv").open(encoding="utf-8-sig") as f:
        assert [r["label"] for r in csv.DictReader(f)] == expected

    pq.write_table(pa.table({"id": list(range(5)), "text": gold}), tmp_path / "in.parquet")
    report = predict_file(loaded["cls"], tmp_path / "in.parquet", tmp_path / "q.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "q.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3, 4, 5] and [r["label"] for r in rows] == expected

    datasets = pytest.importorskip("datasets", reason="datasets is a dev dependency")
    datasets.Dataset.from_dict({"text": gold}).save_to_disk(str(tmp_path / "hf"))
    assert main(["predict", str(runs["cls"]), "--file", str(tmp_path / "hf"), "--out", str(tmp_path / "h.jsonl"),
                 "--device", "cpu"]) == 0
    rows = [json.loads(line) for line in (tmp_path / "h.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["label"] for r in rows] == expected
    assert main(["predict", str(runs["cls"]), "--file", str(tmp_path / "in.xlsx"), "--sheet", "没有",
                 "--out", str(tmp_path / "y.jsonl"), "--device", "cpu"]) == 1
    assert "no sheet '没有' (sheets: 说明, 数据)" in capsys.readouterr().err
    pq.write_table(pa.table({"sentence_id": [1]}), tmp_path / "bad.parquet")
    with pytest.raises(UseError, match="no text column"):
        predict_file(loaded["cls"], tmp_path / "bad.parquet", tmp_path / "z.jsonl")
