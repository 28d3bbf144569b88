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
    checkpoint: str | None = None        # None: the run's default; best | last | final | a step | a folder
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
        if self.details.get("gguf"):
            lines.append(f"GGUF file: {self.out / self.details['gguf']}")
        if self.command:
            lines.append(f"create the Ollama model with: {self.command}")
        return lines


# ----------------------------------------------------------------------------- which checkpoint
def _has_model(folder: Path) -> bool:
    return folder.is_dir() and any((folder / f).exists() for f in (
        "model.safetensors", "adapter_model.safetensors", "model.safetensors.index.json", "pytorch_model.bin"))


def resolve_source(path: Path | str, checkpoint: str | None = None) -> ExportSource:
    """The checkpoint folder to export and what the run says about it.

    A run folder means its final model when the run finished, else its best checkpoint, else the latest
    complete one; `checkpoint` picks another: best, last, final, a step number, or a folder."""
    from core.record.runs import RunDir, RunError, best_checkpoint

    path = Path(path).expanduser()
    if not path.exists():
        raise ExportError(f"{path} does not exist", fix="pass a run folder (under runs/) or a checkpoint folder")
    run_root = path if (path / "run.yaml").exists() else next(
        (p for p in path.parents if (p / "run.yaml").exists()), None)
    if run_root is None:
        if not _has_model(path):
            raise ExportError(f"{path} is neither a LapTune run folder (no run.yaml) nor a model folder",
                              fix="pass a folder under runs/, or a folder with model.safetensors and config.json")
        return ExportSource(folder=path, task="sft", base_model=adapter_base(path))
    rd = RunDir.open(run_root)
    run_yaml = rd.read_run_yaml()
    task = run_yaml.get("config", {}).get("task", "sft")
    folder: Path | None = path if path != run_root else None
    try:
        if checkpoint is not None:
            folder = _pick(rd, checkpoint)
        elif folder is None:
            folder = _default(rd, best_checkpoint, run_yaml)
    except RunError as exc:
        raise ExportError(exc.message, fix=exc.fix) from exc
    if not _has_model(folder):
        raise ExportError(f"{folder} holds no model weights", fix="pick another checkpoint with --checkpoint")
    base = adapter_base(folder)
    if base is None and (folder / "adapter_config.json").exists():
        base = run_yaml.get("config", {}).get("model", {}).get("name_or_path")
    return ExportSource(folder=folder, task=task, run_dir=run_root, run_yaml=run_yaml, base_model=base)


def _pick(rd: Any, checkpoint: str) -> Path:
    from core.record.runs import RunError

    if checkpoint == "final":
        if not _has_model(rd.final_dir):
            raise RunError(f"{rd.path} has no final model (the run did not finish)",
                           fix="use --checkpoint best or last, or a step number")
        return rd.final_dir
    if checkpoint in ("last", "latest"):
        latest = rd.latest_checkpoint()
        if latest is None:
            raise RunError(f"{rd.path} has no complete checkpoint", fix="train the run further, or use --checkpoint final")
        return latest.path
    if checkpoint == "best":
        best = rd.read_summary().get("best_checkpoint")
        if not best or not Path(best).is_dir():
            raise RunError(f"{rd.path} has no best checkpoint recorded", fix="use --checkpoint last or final")
        return Path(best)
    if checkpoint.isdigit():
        return rd.checkpoint(int(checkpoint)).path
    folder = Path(checkpoint)
    folder = folder if folder.is_absolute() else rd.path / folder
    if not folder.is_dir():
        raise RunError(f"no checkpoint {checkpoint!r} in {rd.path}",
                       fix="use best, last, final, a step number or a checkpoint folder")
    return folder


def _default(rd: Any, best_checkpoint: Callable[..., Any], run_yaml: dict[str, Any]) -> Path:
    from core.record.runs import RunError

    if _has_model(rd.final_dir):
        return rd.final_dir
    best = rd.read_summary().get("best_checkpoint")
    if best and Path(best).is_dir():
        return Path(best)
    latest = rd.latest_checkpoint()
    if latest is None:
        raise RunError(f"{rd.path} has no final model and no complete checkpoint",
                       fix="train the run (or resume it) until it saves a checkpoint")
    return latest.path


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
