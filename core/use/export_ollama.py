"""ollama: the GGUF file plus a Modelfile (chat template in Ollama's Go template syntax, stop tokens)
and the `ollama create` command to print.

Ollama does not read the Jinja chat template inside the GGUF; it needs its own TEMPLATE. We derive it
from the model's Jinja template by rendering conversations with marker contents and reading off what
the template puts before and after each role's message (ChatML for Qwen and SmolLM2, LapTune's simple
'<|role|>' template, Llama 3's header blocks, ...), so the Modelfile formats prompts exactly as training did.
"""
from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from core.use.export_common import ExportError, ExportSource, Job

_MARK = {"system": "\u2063SYSTEM\u2063", "user": "\u2063USER\u2063", "assistant": "\u2063ASSISTANT\u2063"}


def _render(tokenizer: Any, messages: list[dict[str, str]], generation: bool = False) -> str:
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation)


def chat_segments(tokenizer: Any) -> dict[str, str]:
    """What the chat template writes around each role's content: keys system_prefix, system_suffix,
    user_prefix, ..., assistant_suffix, and generation (the text that starts the model's reply).

    Each role's block is what one more message adds to the rendering; the marker splits it into the
    prefix and the suffix."""
    if not getattr(tokenizer, "chat_template", None):
        raise ExportError("the tokenizer has no chat template, so Ollama would not know how to format a chat",
                          fix="export a run trained with a chat template (SFT runs save one), or use --format gguf")
    msg = {role: {"role": role, "content": mark} for role, mark in _MARK.items()}
    seg: dict[str, str] = {"system_prefix": "", "system_suffix": ""}
    for convo in ([msg["system"], msg["user"], msg["assistant"]], [msg["user"], msg["assistant"]]):
        try:
            renders = [""] + [_render(tokenizer, convo[:i]) for i in range(1, len(convo) + 1)]
            seg["generation"] = _render(tokenizer, convo[:-1], generation=True)
            break
        except Exception as exc:   # templates that refuse a system message (Gemma, Mistral) get a second try
            error = exc
    else:
        raise ExportError(f"the chat template cannot be rendered: {error}",
                          fix="check chat_template in tokenizer_config.json or chat_template.jinja")
    bad = ExportError("the chat template renders earlier messages differently once another follows, so it cannot be "
                      "written as an Ollama template", fix="use --format gguf and set the chat template in your runner")
    for i, m in enumerate(convo):
        before, upto = renders[i], renders[i + 1]
        if not upto.startswith(before) or upto.count(m["content"]) != 1:
            raise bad
        prefix, _, suffix = upto[len(before):].partition(m["content"])
        seg[f"{m['role']}_prefix"], seg[f"{m['role']}_suffix"] = prefix, suffix
    if not seg["generation"].startswith(renders[-2]):
        raise bad
    seg["generation"] = seg["generation"][len(renders[-2]):]
    return seg


def _go(text: str) -> str:
    """Literal text inside a Go template ('{{' would start an action)."""
    return text.replace("{{", '{{ "{{" }}')


def go_template(seg: dict[str, str]) -> str:
    """Ollama's TEMPLATE. No '{{-' after literal text: it would trim the newline a suffix ends with."""
    branches = "".join(f'{{{{ {"if" if i == 0 else "else if"} eq .Role "{role}" }}}}{_go(seg[role + "_prefix"])}'
                       f'{{{{ .Content }}}}{_go(seg[role + "_suffix"])}'
                       for i, role in enumerate(("system", "user", "assistant")))
    return f"{{{{- range .Messages }}}}{branches}{{{{ end }}}}{{{{ end }}}}{_go(seg['generation'])}"


def stop_tokens(tokenizer: Any, seg: dict[str, str]) -> list[str]:
    """The special tokens that end a reply or start another turn, and the end-of-sequence token."""
    special = [t for t in getattr(tokenizer, "all_special_tokens", []) if t]
    special += [str(t) for t in tokenizer.get_added_vocab()] if hasattr(tokenizer, "get_added_vocab") else []
    where = seg["assistant_suffix"] + seg["user_prefix"] + seg.get("system_prefix", "")
    stops = [t for t in dict.fromkeys(special) if len(t) > 1 and t in where]
    eos = getattr(tokenizer, "eos_token", None)
    if eos and eos not in stops:
        stops.insert(0, eos)
    return stops


def modelfile(gguf_name: str, tokenizer: Any) -> str:
    seg = chat_segments(tokenizer)
    template = go_template(seg)
    if '"""' in template:
        raise ExportError('the chat template contains """, which a Modelfile cannot quote', fix="use --format gguf")
    lines = [f"FROM ./{gguf_name}", "", f'TEMPLATE """{template}"""', ""]
    lines += [f"PARAMETER stop {_quote(t)}" for t in stop_tokens(tokenizer, seg)]
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def model_name(source: ExportSource) -> str:
    """An Ollama model name from the run's name: lower case letters, digits, '-', '_' and '.'."""
    name = "".join(c if c.isalnum() or c in "-_." else "-" for c in source.name.lower()).strip("-.")
    return name or "laptune-model"


def export_ollama(source: ExportSource, dest: Path, final_dest: Path, quant: str | None, job: Job,
                  available_ram: int | None = None) -> dict[str, Any]:
    from transformers import AutoTokenizer

    from core.use.export_gguf import export_gguf

    tokenizer = AutoTokenizer.from_pretrained(str(source.tokenizer_folder()))
    chat_segments(tokenizer)   # refuse before the long conversion when the template cannot be written
    quant = quant or "q8_0"
    details = export_gguf(source, dest, quant, Job(progress=job.within(0.0, 0.95), cancelled=job.cancelled),
                          available_ram, file_name=f"{model_name(source)}-{quant}.gguf")
    text = modelfile(details["gguf"], tokenizer)
    (dest / "Modelfile").write_text(text, encoding="utf-8")
    command = f"ollama create {model_name(source)} -f {shlex.quote(str(final_dest / 'Modelfile'))}"
    job.step(1.0, f"Modelfile written; {command}")
    return {**details, "modelfile": "Modelfile", "command": command}
