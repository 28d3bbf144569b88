"""`laptune export` and the app's Export dialog: one entry point, `export(request, progress, cancelled)`.

Formats (core/use/export_*.py):
  hf      the model folder (safetensors, config, tokenizer, the CRF head for NER) with a model card
  merged  LoRA/QLoRA adapters merged into the base weights (fp16/bf16), loadable without peft
  gguf    one .gguf file (f16, bf16, q8_0) through llama.cpp's converter package, no compiler
  ollama  the .gguf plus a Modelfile (chat template, stop tokens) and the `ollama create` command

Every format writes a folder: first under a hidden temporary name beside it, renamed at the very end,
so a cancelled or failed export never leaves a folder that looks complete.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.use.export_common import (FORMATS, QUANTS, ExportCancelled, ExportError, ExportSource, Job, ProgressFn,
                                    adapter_base, staged_folder)

__all__ = ["FORMATS", "QUANTS", "ExportCancelled", "ExportError", "ExportRequest", "ExportResult", "export",
           "resolve_source", "default_out"]


@dataclass
class ExportRequest:
    run_dir: Path                        # a run folder, or a checkpoint / model folder
    format: str = "hf"
    checkpoint: str | None = None        # None: as `laptune predict`; best | latest | final | a step | a folder
    out: Path | None = None              # default: RUN_DIR/export/<format>[-<quant>]
    quant: str | None = None             # f16 | bf16 | q8_0 (gguf, ollama); f16 | bf16 | f32 (merged)
    overwrite: bool = False
    available_ram: int | None = None     # tests: pretend this much RAM is free


@dataclass
class ExportResult:
    out: Path
    format: str
    checkpoint: Path
    seconds: float
    details: dict[str, Any] = field(default_factory=dict)
    command: str | None = None           # ollama: the command that makes the model

    def lines(self) -> list[str]:
        lines = [f"exported {self.checkpoint} as {self.format} to {self.out} in {self.seconds:.1f} s"]
        if self.command:
            lines.append(f"create the Ollama model with: {self.command}")
        if self.details.get("gguf"):
            lines.append(f"GGUF file: {self.out / self.details['gguf']}")
        return lines


# ----------------------------------------------------------------------------- which checkpoint
def resolve_source(path: Path | str, checkpoint: str | None = None) -> ExportSource:
    """The checkpoint to export: the same one `laptune predict` uses (core/use/load.py: a run folder means
    its best checkpoint, else final/, else the latest), or the one `checkpoint` names: best, final,
    latest (or last), a step number, or a checkpoint folder."""
    from core.record.runs import RunDir, RunError
    from core.use.load import resolve_checkpoint

    if checkpoint is not None and checkpoint.strip().lower() == "last":
        checkpoint = "latest"
    if checkpoint is not None and not checkpoint.strip().isdigit() and checkpoint not in ("best", "final", "latest"):
        folder = Path(checkpoint).expanduser()
        path, checkpoint = (folder if folder.is_absolute() else Path(path) / folder), None
    try:
        resolved = resolve_checkpoint(path, checkpoint)
    except RunError as exc:
        raise ExportError(exc.message, fix=exc.fix) from exc
    except ValueError as exc:   # pydantic: a run.yaml this LapTune cannot read
        raise ExportError(f"the run.yaml in {path} cannot be read: {str(exc).splitlines()[0]}",
                          fix="export with the LapTune version that made the run") from exc
    folder = resolved.checkpoint_dir
    run_yaml = RunDir(resolved.run_dir).read_run_yaml() if resolved.run_dir is not None else {}
    base = adapter_base(folder)
    if (folder / "adapter_config.json").exists() and resolved.config is not None:
        from core.train.modeling import ModelError, resolve_model_path

        try:
            base = resolve_model_path(resolved.config.model.name_or_path, resolved.preset_dir)
        except ModelError:
            pass   # the adapter's own record of its base, checked when it is loaded
    return ExportSource(folder=folder, task=resolved.task, run_dir=resolved.run_dir, run_yaml=run_yaml,
                        base_model=base, resolved=resolved)


def default_out(source: ExportSource, fmt: str, quant: str | None) -> Path:
    base = source.run_dir if source.run_dir is not None else source.folder.parent
    label = fmt if not quant or fmt in ("hf",) else f"{fmt}-{quant}"
    return base / "export" / (f"{label}" if source.run_dir is not None else f"{source.folder.name}-{label}")


# ----------------------------------------------------------------------------- the export
def export(request: ExportRequest, progress: ProgressFn | None = None,
           cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Runs one export. Raises ExportError (a message and a fix) or ExportCancelled (nothing left behind)."""
    fmt = request.format
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}", fix=f"use one of {', '.join(FORMATS)}")
    if request.quant is not None and request.quant not in QUANTS + ("f32",):
        raise ExportError(f"unknown precision {request.quant!r}", fix=f"use one of {', '.join(QUANTS)}")
    job = Job(progress=progress, cancelled=cancelled)
    started = time.monotonic()
    source = resolve_source(request.run_dir, request.checkpoint)
    out = Path(request.out) if request.out else default_out(source, fmt, request.quant)
    job.step(0.0, f"exporting {source.folder} as {fmt}")
    command = None
    with staged_folder(out, overwrite=request.overwrite) as tmp:
        if fmt == "merged":
            from core.use.export_merged import export_merged

            details = export_merged(source, tmp, request.quant, job, request.available_ram)
        elif fmt == "gguf":
            from core.use.export_gguf import export_gguf

            details = export_gguf(source, tmp, request.quant, job, request.available_ram)
        elif fmt == "ollama":
            from core.use.export_ollama import export_ollama

            details = export_ollama(source, tmp, out, request.quant, job, request.available_ram)
            command = details.get("command")
        else:
            from core.use.export_hf import export_hf

            details = export_hf(source, tmp, request.quant, job, request.available_ram, final_dest=out)
        job.check()   # a cancel during the last step still leaves nothing behind
    return ExportResult(out=out, format=fmt, checkpoint=source.folder, seconds=time.monotonic() - started,
                        details=details, command=command)


__all__ += ["ExportSource"]
