"""Chat: streamed pieces make the greedy answer, turns build on the history, and `laptune chat` reads scripted input."""
from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest

from core.cli.main import main
from core.use.chat import ChatSession
from core.use.load import UseError, load_for_inference, resolve_checkpoint
from core.use.predict import generate


@pytest.fixture(scope="module")
def sft(chatty_llama: Path):
    
    return load_for_inference(resolve_checkpoint(chatty_llama))


def test_streamed_turns_are_the_greedy_answers_with_history(sft) -> None:
    chat = ChatSession(sft, system="You are a tiny helpful model.", max_new_tokens=10)
    pieces = list(chat.stream("reverse abcd"))
    first = "".join(pieces).strip()
    assert len(pieces) >= 2 and first   # streamed in pieces, not one block
    sys_msg = {"role": "system", "content": "You are a tiny helpful model."}
    assert first == generate(sft, [[sys_msg, {"role": "user", "content": "reverse abcd"}]], max_new_tokens=10)[0]
    assert chat.first_token_seconds is not None and chat.first_token_seconds > 0
    second = chat.reply("upper cgd")
    expected = generate(sft, [[sys_msg, {"role": "user", "content": "reverse abcd"}, {"role": "assistant", "content": first},
                               {"role": "user", "content": "upper cgd"}]], max_new_tokens=10)[0]
    assert second == expected
    assert [m["role"] for m in chat.history] == ["user", "assistant", "user", "assistant"]
    chat.reset()
    assert chat.history == [] and chat.reply("reverse abcd") == first


def test_stop_ends_the_reply_early(sft) -> None:
    chat = ChatSession(sft, max_new_tokens=200)
    got = []
    for piece in chat.stream("repeat cbcgb"):
        got.append(piece)
        if len(got) == 2:
            chat.stop()
    assert chat.last_tokens < 20 and len(chat.history) == 2


def test_old_rounds_leave_the_prompt_when_it_outgrows_the_context(sft) -> None:
    chat = ChatSession(sft, max_new_tokens=200)   # the tiny model's context is 256 positions
    chat.history = [{"role": "user", "content": "word " * 30}, {"role": "assistant", "content": "ok"}] * 4
    ids = chat._fitting_prompt("hi")
    assert len(ids) <= 256 - 200
    assert chat.reply("hi") is not None and len(chat.history) == 10


def test_chat_refuses_a_classifier(runs: dict[str, Path]) -> None:
    with pytest.raises(UseError, match="chat needs a chat"):
        ChatSession(load_for_inference(resolve_checkpoint(runs["cls"])))


def test_cli_chat_with_scripted_input(chatty_llama: Path, sft, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("reverse abcd\n\n/reset\nreverse abcd\nupper cgd\n/exit\nnever read\n"))
    assert main(["chat", str(chatty_llama), "--max-new-tokens", "10", "--device", "cpu"]) == 0
    out = capsys.readouterr().out
    replies = out.split("model> ")[1:]
    alone = generate(sft, [[{"role": "user", "content": "reverse abcd"}]], max_new_tokens=10)[0]
    assert len(replies) == 3 and replies[0] == alone + "\n(conversation forgotten)\n"
    assert replies[1].strip() == alone   # after /reset: the same answer again
