"""Chat data for supervised fine-tuning: JSON or JSONL conversations (or the same records in
Parquet/Arrow/datasets folders).

The native shape is smol-smoltalk's {"messages": [{"role": ..., "content": ...}]}. Mapped onto it:
- ShareGPT: {"conversations": [{"from": "human" | "gpt" | "system", "value": ...}]};
- Alpaca (LLaMA-Factory's default, most Chinese instruction data): {"instruction", "input",
  "output"} with optional "system" and "history" ([[user, assistant], ...] earlier turns); the
  instruction and the input, joined by a newline, are the user turn, as LLaMA-Factory does;
- pairs: {"prompt", "response"} or {"prompt", "completion"} (also "query"/"response").
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from core.data.errors import PathArg, ReadContext
from core.data.formats import open_source
from core.data.records import iter_records, json_kind

ROLES = ("system", "user", "assistant")
_ROLE_MAP = {"system": "system", "user": "user", "human": "user",
             "assistant": "assistant", "gpt": "assistant"}
_SHAPE = '{"messages": [{"role": "user", "content": "..."}, {"role": "assistant", ' \
         '"content": "..."}]}'


@dataclass
class ChatExample:
    messages: list[dict[str, str]]
    line: int = 0


def _message(ctx: ReadContext, line: int, key: str, i: int, item: Any) -> dict[str, str] | None:
    if not isinstance(item, dict):
        ctx.problem(f"message {i} is {json_kind(item)}, not an object", line=line,
                    field=f"{key}[{i}]", fix=f"write each message as in {_SHAPE}.")
        return None
    # Each message may use either naming; ShareGPT converters mix them.
    role_key = "role" if "role" in item or "from" not in item else "from"
    text_key = "content" if "content" in item or "value" not in item else "value"
    role = item.get(role_key)
    mapped = _ROLE_MAP.get(role.strip().lower()) if isinstance(role, str) else None
    if mapped is None:
        shown = f"'{role}'" if isinstance(role, str) else ("missing" if role is None
                                                            else json_kind(role))
        ctx.problem(f"unknown role {shown}", line=line, field=f"{key}[{i}].{role_key}",
                    fix="use 'user', 'assistant' or 'system' (ShareGPT: 'human', 'gpt', "
                        "'system').")
        return None
    content = item.get(text_key)
    if not isinstance(content, str):
        what = "missing" if content is None else json_kind(content)
        ctx.problem(f"message content is {what}, not a string", line=line,
                    field=f"{key}[{i}].{text_key}", fix="write the message text as a string.")
        return None
    if not content.strip():
        ctx.problem("empty content", line=line, field=f"{key}[{i}].{text_key}",
                    fix="write the message text, or delete the message.")
        return None
    return {"role": mapped, "content": content}


_ALPACA = '{"instruction": "...", "input": "...", "output": "..."}'
_PAIR_ANSWERS = ("response", "completion", "output", "answer", "chosen")
_PAIR_QUESTIONS = ("prompt", "query", "question")


def _text(ctx: ReadContext, line: int, obj: dict[str, Any], key: str, *, required: bool,
          shape: str) -> str | None:
    """A string field; "" when an optional one is absent; None after a reported problem."""
    value = obj.get(key)
    if value is None and not required:
        return ""
    if key not in obj:              # present but null: "field 'output' is null" below
        found = ", ".join(f"'{k}'" for k in obj) or "none"
        ctx.problem(f"missing field '{key}' (fields found: {found})", line=line, field=key,
                    fix=f"write each example as {shape}.")
        return None
    if not isinstance(value, str):
        ctx.problem(f"field '{key}' is {json_kind(value)}, not a string", line=line, field=key,
                    fix=f"write each example as {shape}.")
        return None
    return value


def _history(ctx: ReadContext, line: int, value: Any) -> list[dict[str, str]] | None:
    if value is None or value == []:
        return []
    turns: list[dict[str, str]] = []
    if isinstance(value, list):
        for i, pair in enumerate(value):
            if not (isinstance(pair, list) and len(pair) == 2
                    and all(isinstance(t, str) and t.strip() for t in pair)):
                break
            turns += [{"role": "user", "content": pair[0]},
                      {"role": "assistant", "content": pair[1]}]
        else:
            return turns
    else:
        i = 0
    ctx.problem(f"history item {i} is not a [question, answer] pair of texts", line=line,
                field=f"history[{i}]", fix='write earlier turns as "history": [["question", '
                                           '"answer"], ...].')
    return None


def _alpaca(ctx: ReadContext, line: int, obj: dict[str, Any]) -> list[dict[str, str]] | None:
    ctx.form = ctx.form or "alpaca"
    parts = [_text(ctx, line, obj, k, required=k != "input", shape=_ALPACA)
             for k in ("instruction", "input", "output")]
    system = _text(ctx, line, obj, "system", required=False, shape=_ALPACA)
    if None in parts or system is None:
        return None
    instruction, extra, output = parts
    user = "\n".join(p for p in (instruction, extra) if p and p.strip())
    if not user.strip():
        ctx.problem("empty instruction and input", line=line, field="instruction",
                    fix="write the instruction, or delete the example.")
        return None
    if not output.strip():
        ctx.problem("empty output", line=line, field="output",
                    fix="write the answer the model should learn, or delete the example.")
        return None
    history = _history(ctx, line, obj.get("history"))
    if history is None:
        return None
    messages = [{"role": "system", "content": system}] if system.strip() else []
    return messages + history + [{"role": "user", "content": user},
                                 {"role": "assistant", "content": output}]


def _pair(ctx: ReadContext, line: int, obj: dict[str, Any], question: str, answer: str
          ) -> list[dict[str, str]] | None:
    ctx.form = ctx.form or f"{question}/{answer}"
    shape = f'{{"{question}": "...", "{answer}": "..."}}'
    texts = [_text(ctx, line, obj, k, required=True, shape=shape) for k in (question, answer)]
    if None in texts:
        return None
    for key, text in zip((question, answer), texts):
        if not text.strip():
            ctx.problem(f"empty '{key}'", line=line, field=key,
                        fix="write the text, or delete the example.")
            return None
    system = obj.get("system")
    head = [{"role": "system", "content": system}] if isinstance(system, str) and system.strip() \
        else []
    return head + [{"role": "user", "content": texts[0]}, {"role": "assistant", "content": texts[1]}]


def sft_form(obj: dict[str, Any]) -> tuple[str, str, str] | None:
    """(form, question key, answer key) of a record that is not in the messages shape."""
    if "instruction" in obj:
        return "alpaca", "instruction", "output"
    question = next((k for k in _PAIR_QUESTIONS if k in obj), None)
    answer = next((k for k in _PAIR_ANSWERS if k in obj), None)
    if question is not None and answer is not None:
        return "pair", question, answer
    return None


def _chat_from_record(ctx: ReadContext, line: int, obj: dict[str, Any]) -> ChatExample | None:
    key = "messages" if "messages" in obj else "conversations" if "conversations" in obj else None
    if key is None and (form := sft_form(obj)) is not None:
        if form[0] == "alpaca":
            messages = _alpaca(ctx, line, obj)
        else:
            messages = _pair(ctx, line, obj, form[1], form[2])
        return None if messages is None else _finish(ctx, line, messages)
    if key is None:
        found = ", ".join(f"'{k}'" for k in obj) or "none"
        ctx.problem(f"missing field 'messages' (fields found: {found})", line=line,
                    field="messages", fix=f"write each conversation as {_SHAPE}.")
        return None
    if key == "conversations":
        ctx.form = ctx.form or "sharegpt"
        ctx.note("read ShareGPT 'conversations' (human/gpt) as user/assistant messages")
    else:
        ctx.form = ctx.form or "messages"
    items = obj[key]
    if not isinstance(items, list) or not items:
        what = "an empty list" if items == [] else json_kind(items)
        ctx.problem(f"'{key}' must be a non-empty list of messages, found {what}", line=line,
                    field=key, fix=f"write each conversation as {_SHAPE}.")
        return None
    messages = []
    for i, item in enumerate(items):
        message = _message(ctx, line, key, i, item)
        if message is None:
            return None
        messages.append(message)
    if not any(m["role"] == "assistant" for m in messages):
        ctx.problem("conversation has no assistant turn", line=line, field=key,
                    fix="add at least one assistant message: the model learns from the "
                        "assistant's replies.")
        return None
    return _finish(ctx, line, messages)


def _finish(ctx: ReadContext, line: int, messages: list[dict[str, str]]) -> ChatExample:
    if messages[-1]["role"] == "user":
        ctx.count("last_turn_user")
    return ChatExample(messages=messages, line=line)


def iter_chat(ctx: ReadContext, format: str | None = None) -> Iterator[ChatExample]:
    """Conversations one by one (check-data streams large files through this)."""
    fmt = open_source(ctx, "sft", format)
    found = False
    for line, obj in iter_records(ctx, fmt):
        example = _chat_from_record(ctx, line, obj)
        if example is not None:
            found = True
            yield example
    last_user = ctx.counts.get("last_turn_user", 0)
    if last_user:
        ctx.note(f"{last_user} conversation{'s end' if last_user > 1 else ' ends'} with a user "
                 "turn: the model learns nothing from that last turn (add the assistant's "
                 "reply, or delete it)")
    if not found and not ctx.problems:
        ctx.problem("no conversations found", fix=f"write each conversation as {_SHAPE}.")


def read_chat_into(ctx: ReadContext, format: str | None = None) -> list[ChatExample]:
    return list(iter_chat(ctx, format))


def read_chat(path: PathArg, format: str | None = None) -> list[ChatExample]:
    """All conversations of a chat file; raises DataError at the first problem."""
    return read_chat_into(ReadContext.for_path(path), format)


def role_counts(examples: Iterable[ChatExample]) -> dict[str, int]:
    counts = Counter(m["role"] for e in examples for m in e.messages)
    return {role: counts[role] for role in ROLES if counts[role]}
