"""Chat SFT readers: smol-smoltalk messages and ShareGPT conversations, JSON and JSONL."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.data import ChatExample, DataError, check_data, read_chat, read_examples

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "data"
USER = {"role": "user", "content": "你好"}
ASSISTANT = {"role": "assistant", "content": "你好！"}


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", newline="")
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def error(path: Path) -> DataError:
    with pytest.raises(DataError) as info:
        read_chat(path)
    assert info.value.file == str(path)
    return info.value


def test_multi_turn_fixture() -> None:
    examples = read_chat(FIXTURES / "chat.jsonl")
    assert [m["role"] for m in examples[0].messages] == ["system", "user", "assistant", "user",
                                                         "assistant"]
    assert examples[1].line == 2
    report = check_data("sft", FIXTURES / "chat.jsonl")
    assert report.labels == {"system": 1, "user": 3, "assistant": 3}
    assert report.preview[0]["messages"][0] == {"role": "system",
                                                "content": "You are a helpful assistant."}


def test_sharegpt_is_mapped() -> None:
    examples = read_chat(FIXTURES / "chat_sharegpt.json")
    assert examples == [ChatExample([{"role": "system", "content": "You answer briefly."},
                                     {"role": "user", "content": "2+2?"},
                                     {"role": "assistant", "content": "4"}], line=2)]
    assert any("ShareGPT" in n for n in check_data("sft", FIXTURES / "chat_sharegpt.json").notes)


def test_json_list_with_line_numbers(tmp_path: Path) -> None:
    conv = {"messages": [USER, ASSISTANT]}
    path = write(tmp_path, "a.json", "[\n" + json.dumps(conv) + ",\n\n" + json.dumps(conv) + "\n]")
    assert [e.line for e in read_examples("sft", path)] == [2, 4]


def test_json_single_object_and_jsonl_named_json(tmp_path: Path) -> None:
    conv = {"messages": [USER, ASSISTANT]}
    assert len(read_chat(write(tmp_path, "a.json", json.dumps(conv, indent=2)))) == 1
    path = write(tmp_path, "b.json", jsonl(conv, conv, conv))
    assert [e.line for e in read_chat(path)] == [1, 2, 3]


@pytest.mark.parametrize("record,field,words", [
    ({"messages": [{"role": "bot", "content": "x"}, ASSISTANT]}, "messages[0].role",
     "unknown role 'bot'"),
    ({"messages": [USER, {"role": "assistant", "content": "  "}]}, "messages[1].content",
     "empty content"),
    ({"messages": [USER, {"role": "assistant"}]}, "messages[1].content", "missing"),
    ({"messages": [USER, {"role": "assistant", "content": ["x"]}]}, "messages[1].content",
     "a list"),
    ({"messages": [USER]}, "messages", "no assistant turn"),
    ({"messages": []}, "messages", "non-empty list"),
    ({"messages": [USER, "hi"]}, "messages[1]", "not an object"),
    ({"conversations": [{"from": "human", "value": "x"}, {"from": "robot", "value": "y"}]},
     "conversations[1].from", "unknown role 'robot'"),
    ({"conversations": [{"from": "human", "value": "x"}, {"from": "gpt", "value": ""}]},
     "conversations[1].value", "empty content"),
    ({"q": "x", "a": "y"}, "messages", "fields found: 'q', 'a'"),
])
def test_chat_errors(tmp_path: Path, record: dict, field: str, words: str) -> None:
    good = {"messages": [USER, ASSISTANT]}
    err = error(write(tmp_path, "a.jsonl", jsonl(good, record)))
    assert (err.line, err.field) == (2, field)
    assert words in err.message
    assert err.fix


def test_invalid_json_in_document_names_line_and_column(tmp_path: Path) -> None:
    conv = json.dumps({"messages": [USER, ASSISTANT]})
    path = write(tmp_path, "a.json", f'[\n  {conv},\n  {{"messages": [}}\n]')
    err = error(path)
    assert err.line == 3 and "invalid JSON" in err.message and "column 17" in err.message


@pytest.mark.parametrize("content,words", [
    ('[{"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]}',
     "never closed"),
    ('[{"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]} '
     '{"a": 1}]', "expected ',' or ']'"),
    ('"just a string"', "expected a JSON list"),
    ('[1]', "expected a JSON object"),
    ('[] []', "extra text"),
])
def test_json_document_structure_errors(tmp_path: Path, content: str, words: str) -> None:
    err = error(write(tmp_path, "a.json", content))
    assert words in err.message
    assert err.line == 1


def test_deep_nesting_is_a_data_error(tmp_path: Path) -> None:
    err = error(write(tmp_path, "a.jsonl", "[" * 100_000 + "\n"))
    assert err.line == 1
    assert "nested too deeply" in err.message


def test_lenient_keeps_good_conversations(tmp_path: Path) -> None:
    good = {"messages": [USER, ASSISTANT]}
    path = write(tmp_path, "a.jsonl",
                 jsonl(good, {"messages": [USER]}) + "{oops\n" + jsonl(good))
    report = check_data("sft", path)
    assert report.n_examples == 2
    assert [p.line for p in report.problems] == [2, 3]
    assert report.labels == {"user": 2, "assistant": 2}
