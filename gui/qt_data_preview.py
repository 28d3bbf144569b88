"""Rich-text previews of data on the wizard's data page: NER entities highlighted inline with their
types, chat conversations turn by turn."""
from __future__ import annotations

_ENTITY_COLOURS = ("#ffe08a", "#b8e0ff", "#c8f0c0", "#ffc8d8", "#e0d0ff", "#ffd8b0")


def entity_html(tokens: list[str], labels: list[str]) -> str:
    """Tokens as rich text, each entity on a coloured background with its type after it."""
    from html import escape

    colours: dict[str, str] = {}
    out: list[str] = []
    current: str | None = None
    joiner = "" if all(len(t) == 1 for t in tokens) else " "
    for token, label in zip(tokens, labels):
        kind = None if label == "O" else label[2:]
        starts = kind is not None and (label[0] in "BS" or kind != current)
        if current is not None and (kind is None or starts):
            out.append(f"<sub>{escape(current)}</sub></span>")
            current = None
        if starts:
            colour = colours.setdefault(kind, _ENTITY_COLOURS[len(colours) % len(_ENTITY_COLOURS)])
            out.append(f'<span style="background-color:{colour};">')
            current = kind
        out.append(escape(token) + joiner)
    if current is not None:
        out.append(f"<sub>{escape(current)}</sub></span>")
    return "".join(out)


def chat_html(messages: list[dict[str, str]]) -> str:
    from html import escape

    return "<br>".join(f"<b>{escape(m['role'])}</b>: {escape(m['content'][:300])}" for m in messages)
