"""Chat data for supervised fine-tuning: JSON or JSONL conversations.

The native shape is smol-smoltalk's {"messages": [{"role": ..., "content": ...}]}. ShareGPT files
({"conversations": [{"from": "human" | "gpt" | "system", "value": ...}]}) are mapped onto it.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from core.data.errors import PathArg, ReadContext
from core.data.formats import resolve_format
from core.data.records import iter_json_records, json_kind
from core.data.text import open_text

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


def _chat_from_record(ctx: ReadContext, line: int, obj: dict[str, Any]) -> ChatExample | None:
    key = "messages" if "messages" in obj else "conversations" if "conversations" in obj else None
    if key is None:
        found = ", ".join(f"'{k}'" for k in obj) or "none"
        ctx.problem(f"missing field 'messages' (fields found: {found})", line=line,
                    field="messages", fix=f"write each conversation as {_SHAPE}.")
        return None
    if key == "conversations":
        ctx.note("read ShareGPT 'conversations' (human/gpt) as user/assistant messages")
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
    return ChatExample(messages=messages, line=line)


def read_chat_into(ctx: ReadContext, format: str | None = None) -> list[ChatExample]:
    open_text(ctx)
    fmt = resolve_format(ctx, "sft", format)
    examples = []
    for line, obj in iter_json_records(ctx, fmt):
        example = _chat_from_record(ctx, line, obj)
        if example is not None:
            examples.append(example)
    if not examples and not ctx.problems:
        ctx.problem("no conversations found", fix=f"write each conversation as {_SHAPE}.")
    return examples


def read_chat(path: PathArg, format: str | None = None) -> list[ChatExample]:
    """All conversations of a chat file; raises DataError at the first problem."""
    return read_chat_into(ReadContext.for_path(path), format)


def role_counts(examples: Iterable[ChatExample]) -> dict[str, int]:
    counts = Counter(m["role"] for e in examples for m in e.messages)
    return {role: counts[role] for role in ROLES if counts[role]}
