"""Export: merged LoRA weights equal the adapter model, GGUF files load back with transformers' GGUF
loader and agree with the merged model, the Ollama Modelfile formats chats like the training template,
the hf folder with its model card loads with plain transformers, and a cancelled export leaves nothing.

Tiny random models of each GGUF family (Llama/SmolLM2, Qwen2) with tokenizers built like the real ones,
LoRA-trained for 6 steps through LapTune's real training code (tests/core/export_support.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from core.use.export import ExportCancelled, ExportError, ExportRequest, export, resolve_source
from tests.core.export_support import PROMPTS, lora_run, tiny_causal

FAMILIES = ("llama", "qwen2")
# f16: the GGUF's next-token logits differ from the fp32 merged model's by at most 1.5x what rounding the merged
# weights to fp16 alone costs (measured 0.8-0.9x; the merge for an f16 export runs in fp16), and by at most 5e-2
# times the largest logit (measured 0.005 at 1.1 for Llama, 0.025 at 0.6 for Qwen2). bf16: 8x the absolute bound
# (3 fewer mantissa bits) and 3x its rounding (measured 2.2x: the merge for a bf16 export runs in bf16, so the base
# weights are rounded before the adapters are added and again after).
F16_TOLERANCE = 5e-2
F16_VS_ROUNDING = 1.5
Q8_TOP1 = 0.95           # q8_0: share of positions whose top-1 token matches the merged model's


@pytest.fixture(scope="session")
def runs(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("export-runs")
    return {fam: lora_run(tiny_causal(base / f"{fam}-base", fam), base / f"{fam}-run") for fam in FAMILIES}


@pytest.fixture(scope="session")
def merged(runs, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("merged")
    return {fam: export(ExportRequest(run_dir=run, format="merged", quant="f32", out=out / fam)).out
            for fam, run in runs.items()}


def _logits(model, tokenizer, texts):
    with torch.no_grad():
        return [model(torch.tensor([tokenizer(t)["input_ids"]])).logits[0] for t in texts]


def _no_leftovers(parent: Path) -> list[str]:
    return [p.name for p in parent.iterdir() if ".partial-" in p.name or p.name.endswith(".partial")]


@pytest.mark.parametrize("family", FAMILIES)
def test_merged_equals_adapter_model_and_loads_without_peft(runs, merged, family):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    source = resolve_source(runs[family])
    assert source.is_adapter and source.folder.name == "checkpoint-6"   # the best, as `laptune predict` picks
    folder = merged[family]
    assert not (folder / "adapter_config.json").exists()
    assert "quantization_config" not in json.loads((folder / "config.json").read_text())
    plain = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
    assert not any("lora" in name for name, _ in plain.named_parameters())
    tok = AutoTokenizer.from_pretrained(folder)
    base = AutoModelForCausalLM.from_pretrained(source.base_model, dtype=torch.float32).eval()
    base_logits = _logits(base, tok, PROMPTS)
    adapted = PeftModel.from_pretrained(base, str(source.folder)).eval()
    want, got = _logits(adapted, tok, PROMPTS), _logits(plain, tok, PROMPTS)
    moved = max((a - b).abs().max().item() for a, b in zip(want, base_logits))
    assert moved > 1e-2, "the adapters did not change the model, so the comparison would prove nothing"
    worst = max((a - b).abs().max().item() for a, b in zip(want, got))
    assert worst < 1e-4, f"merged logits differ from the adapter model's by {worst}"


def test_merged_checks_ram_first_and_leaves_nothing(runs, tmp_path):
    out = tmp_path / "merged"
    with pytest.raises(ExportError) as err:
        export(ExportRequest(run_dir=runs["llama"], format="merged", out=out, available_ram=10 * 2**20))
    assert "GiB of free RAM" in err.value.message and err.value.fix
    assert not out.exists() and _no_leftovers(tmp_path) == []


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("quant", ["f16", "bf16", "q8_0"])
def test_gguf_round_trip(runs, merged, tmp_path, family, quant):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    result = export(ExportRequest(run_dir=runs[family], format="gguf", quant=quant, out=tmp_path / "gguf"))
    files = sorted(p.name for p in result.out.iterdir())
    assert files == [result.details["gguf"]] and files[0].endswith(f"-{quant}.gguf")
    assert result.details["arch"] == family
    ref_tok = AutoTokenizer.from_pretrained(merged[family])
    ref = AutoModelForCausalLM.from_pretrained(merged[family], dtype=torch.float32).eval()
    back = AutoModelForCausalLM.from_pretrained(result.out, gguf_file=files[0], dtype=torch.float32).eval()
    back_tok = AutoTokenizer.from_pretrained(result.out, gguf_file=files[0])
    for text in PROMPTS:   # the tokenizer inside the GGUF gives the same ids
        assert back_tok(text, add_special_tokens=False)["input_ids"] == ref_tok(text, add_special_tokens=False)["input_ids"], text
    assert back_tok.chat_template == ref_tok.chat_template
    assert back_tok.eos_token == ref_tok.eos_token
    want, got = _logits(ref, ref_tok, PROMPTS), _logits(back, ref_tok, PROMPTS)
    if quant in ("f16", "bf16"):
        worst = max((a - b).abs().max().item() for a, b in zip(want, got))
        half = torch.float16 if quant == "f16" else torch.bfloat16
        rounded = AutoModelForCausalLM.from_pretrained(merged[family], dtype=half).float().eval()
        rounding = max((a - b).abs().max().item() for a, b in zip(want, _logits(rounded, ref_tok, PROMPTS)))
        scale = max(a.abs().max().item() for a in want)
        assert worst < F16_TOLERANCE * max(1.0, scale) * (1 if quant == "f16" else 8), f"{quant} GGUF logits differ by {worst}"
        ratio = F16_VS_ROUNDING if quant == "f16" else 3.0
        assert worst <= ratio * rounding, f"{quant} GGUF error {worst} vs {quant} rounding alone {rounding}"
    else:
        agree = torch.cat([(a.argmax(-1) == b.argmax(-1)).float() for a, b in zip(want, got)]).mean().item()
        assert agree >= Q8_TOP1, f"q8_0 top-1 agreement {agree:.3f}"


def test_gguf_cancel_leaves_no_file_that_looks_complete(runs, tmp_path):
    seen: list[str] = []

    def progress(frac: float, message: str) -> None:
        seen.append(message)

    # Cancel once the converter is writing tensors: the .gguf is half written at that moment.
    with pytest.raises(ExportCancelled):
        export(ExportRequest(run_dir=runs["qwen2"], format="gguf", quant="f16", out=tmp_path / "gguf"),
               progress=progress, cancelled=lambda: any(m.startswith("writing tensors") for m in seen))
    assert any(m.startswith("writing tensors") for m in seen)
    assert not (tmp_path / "gguf").exists()
    assert list(tmp_path.iterdir()) == []


def test_gguf_refuses_ner_runs_and_unknown_tokenizers(tmp_path, runs):
    from core.use.export_gguf import _pre_tokenizer_name

    from core.use.export_common import ExportSource, Job
    from core.use.export_gguf import export_gguf

    ner = ExportSource(folder=runs["llama"] / "final", task="ner")
    with pytest.raises(ExportError, match="task is ner"):
        export_gguf(ner, tmp_path, "f16", Job())
    tok = json.loads((runs["qwen2"] / "final" / "tokenizer.json").read_text())
    assert _pre_tokenizer_name(tok) == "qwen2"
    tok["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = r"\w+"
    assert _pre_tokenizer_name(tok) is None


def test_ollama_modelfile_matches_the_chat_template(runs, tmp_path):
    from transformers import AutoTokenizer

    from core.use.export_ollama import chat_segments

    result = export(ExportRequest(run_dir=runs["qwen2"], format="ollama", out=tmp_path / "ollama"))
    text = (result.out / "Modelfile").read_text(encoding="utf-8")
    gguf_name = result.details["gguf"]
    assert (result.out / gguf_name).exists() and f"FROM ./{gguf_name}" in text
    assert 'PARAMETER stop "<|im_end|>"' in text and 'PARAMETER stop "<|im_start|>"' in text
    assert result.command == f"ollama create {runs['qwen2'].name} -f {result.out / 'Modelfile'}"
    assert "ollama create" in "\n".join(result.lines())
    tok = AutoTokenizer.from_pretrained(runs["qwen2"] / "final")
    seg = chat_segments(tok)
    convo = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "reverse abcd"},
             {"role": "assistant", "content": "dcba"}, {"role": "user", "content": "repeat ab"}]
    # What the Modelfile's template writes, message by message, equals the Jinja template's rendering.
    rebuilt = "".join(seg[f"{m['role']}_prefix"] + m["content"] + seg[f"{m['role']}_suffix"] for m in convo) + seg["generation"]
    assert rebuilt == tok.apply_chat_template(convo, tokenize=False, add_generation_prompt=True)
    for role in ("system", "user", "assistant"):
        assert f'eq .Role "{role}" }}}}{seg[role + "_prefix"]}{{{{ .Content }}}}{seg[role + "_suffix"]}' in text


def test_hf_export_has_a_model_card_and_loads_with_plain_transformers(runs, tmp_path):
    result = export(ExportRequest(run_dir=runs["llama"], format="hf", out=tmp_path / "hf"))
    card = (result.out / "README.md").read_text(encoding="utf-8")
    base = resolve_source(runs["llama"]).base_model
    for needle in (f"`{base}`", "chat fine-tuning", "`chat_train.jsonl` | 400", "`chat_eval.jsonl` | 60",
                   "checkpoint-3 |", "checkpoint-6 (best)", "eval_loss", "training.learning_rate: 0.05", "lora.rank: 4",
                   "## Hardware", "scripted profile cpu-only", "LapTune ", "pipeline(\"text-generation\""):
        assert needle in card, needle
    snippet = card.split("```python\n")[1].split("```")[0]
    assert len(snippet.strip().splitlines()) == 3
    printed: list[str] = []
    exec(snippet, {"print": printed.append})   # the card's own 3 lines, run as a user would
    assert len(printed) == 1 and isinstance(printed[0], str)


def test_export_errors_name_the_fix(tmp_path, runs):
    with pytest.raises(ExportError, match="does not exist"):
        export(ExportRequest(run_dir=tmp_path / "nope"))
    with pytest.raises(ExportError, match="unknown export format"):
        export(ExportRequest(run_dir=runs["llama"], format="onnx"))
    with pytest.raises(ExportError, match="no checkpoint-99"):
        export(ExportRequest(run_dir=runs["llama"], checkpoint="99"))
    with pytest.raises(ExportError, match="cannot be read"):
        (tmp_path / "bad").mkdir()
        (tmp_path / "bad" / "run.yaml").write_text("config:\n  task: sft\n", encoding="utf-8")
        export(ExportRequest(run_dir=tmp_path / "bad"))
    out = tmp_path / "taken"
    out.mkdir()
    (out / "x").write_text("x")
    with pytest.raises(ExportError, match="already exists"):
        export(ExportRequest(run_dir=runs["llama"], format="hf", out=out))
    assert resolve_source(runs["llama"], "3").folder.name == "checkpoint-3"
    assert resolve_source(runs["llama"], "final").folder.name == "final"
    assert resolve_source(runs["llama"], "last").folder.name == "checkpoint-6"
    assert resolve_source(runs["llama"], "checkpoints/checkpoint-3").folder.name == "checkpoint-3"


def test_cli_export_prints_where_and_exits_with_codes(runs, tmp_path, capsys):
    from core.cli.main import main

    out = tmp_path / "cli-merged"
    assert main(["export", str(runs["llama"]), "--format", "merged", "--quant", "bf16", "--checkpoint", "3",
                 "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert f"to {out}" in printed.out and "checkpoint-3" in printed.out
    assert json.loads((out / "config.json").read_text())["dtype"] == "bfloat16"
    assert main(["export", str(runs["llama"]), "--format", "merged", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "already exists" in err and "fix:" in err and "Traceback" not in err
    assert main(["export", str(runs["llama"]), "--format", "gguf", "--quant", "f32", "--out", str(tmp_path / "g")]) == 1
    assert "f16, bf16 or q8_0" in capsys.readouterr().err
