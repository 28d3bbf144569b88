"""hf: the model folder (safetensors, config, tokenizer; for NER the CRF head) with a model card README.md.

A LoRA/QLoRA checkpoint is merged first (core/use/export_merged.py), so the folder loads with plain
transformers. Classification with the standard head and SFT load with `from_pretrained`; NER's CRF
head and the encoder+MLP classifier are LapTune's own modules, which `laptune predict` loads.
"""
from __future__ import annotations

import importlib.metadata
import json
import shutil
from pathlib import Path
from typing import Any

from core.use.export_common import TOKENIZER_FILES, ExportSource, Job, copy_model_files

PIPELINE = {"sft": "text-generation", "classify": "text-classification", "ner": "token-classification"}
TASK_NAME = {"sft": "chat fine-tuning (SFT)", "classify": "text classification", "ner": "named-entity recognition (BERT + CRF)"}
SETTINGS = (("training", ("num_epochs", "max_steps", "batch_size", "grad_accum", "learning_rate", "lr_scheduler",
                          "warmup_ratio", "max_seq_length", "optimizer", "seed")),
            ("memory", ("precision", "gradient_checkpointing", "freeze_layers")),
            ("lora", ("enabled", "rank", "alpha", "dropout", "target_modules")))


def laptune_version() -> str:
    try:
        return importlib.metadata.version("laptune")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _data_rows(source: ExportSource) -> list[tuple[str, str, str]]:
    """(split, file, examples) for the run's data files, counted with LapTune's own readers."""
    cfg = source.run_yaml.get("config", {})
    data = cfg.get("data", {})
    preset_dir = source.run_yaml.get("preset_dir")
    rows = []
    for split in ("train", "eval"):
        name = data.get(split)
        if not name:
            continue
        path = Path(name)
        if not path.is_absolute() and preset_dir and (Path(preset_dir) / path).exists():
            path = Path(preset_dir) / path
        count = "?"
        if path.exists():
            try:
                from core.data import check_data

                report = check_data(source.task, path)
                count = str(report.n_examples)
            except Exception:   # a file changed since training: the card still gets written
                count = "?"
        rows.append((split, path.name, count))
    if "eval" not in data or not data.get("eval"):
        rows.append(("eval", f"{data.get('eval_fraction', 0.1):.0%} of train held out", "-"))
    return rows


def _metric_rows(source: ExportSource) -> tuple[list[str], list[list[str]]]:
    if source.run_dir is None:
        return [], []
    from core.record.runs import RunDir

    infos = RunDir(source.run_dir).checkpoints()
    keys = sorted({k for c in infos for k in c.metrics if k not in ("eval_runtime", "eval_samples_per_second",
                                                                     "eval_steps_per_second", "eval_epoch")})
    rows = []
    for c in infos:
        mark = " (best)" if c.best else ""
        here = " (exported)" if c.path.resolve() == source.folder.resolve() else ""
        loss = f"{c.train_loss:.4f}" if c.train_loss is not None else "-"
        rows.append([f"{c.path.name}{mark}{here}", loss] + [_fmt(c.metrics.get(k)) for k in keys])
    return keys, rows


def _fmt(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, float) else ("-" if value is None else str(value))


def _hardware_line(hw: dict[str, Any]) -> str:
    """One line from run.yaml's hardware snapshot: GPUs with their memory, CPU, RAM, OS."""
    if not hw:
        return "not recorded"
    parts = [f"{g.get('name', 'GPU')} ({g.get('total_bytes', 0) / 2**30:.0f} GiB)" for g in hw.get("gpus") or []]
    if not parts:
        parts.append("no GPU (trained on the CPU)")
    system = hw.get("system") or {}
    if system.get("cpu_model"):
        parts.append(str(system["cpu_model"]))
    if system.get("ram_total_bytes"):
        parts.append(f"{system['ram_total_bytes'] / 2**30:.0f} GiB RAM")
    if system.get("os"):
        parts.append(str(system["os"]))
    if str(hw.get("source", "probe")).startswith("fake:"):
        parts.append(f"(scripted profile {hw['source'][5:]})")
    return ", ".join(parts)


def snippet(task: str, folder: str, custom_head: bool) -> str:
    if custom_head or task == "ner":
        return (f"laptune predict {folder} --text \"...\"   # LapTune's own head: load it with LapTune")
    if task == "sft":
        return ("from transformers import pipeline\n"
                f"chat = pipeline(\"text-generation\", model=\"{folder}\")\n"
                "print(chat([{\"role\": \"user\", \"content\": \"Hello!\"}], max_new_tokens=64)[0][\"generated_text\"][-1][\"content\"])")
    return ("from transformers import pipeline\n"
            f"classify = pipeline(\"text-classification\", model=\"{folder}\")\n"
            "print(classify(\"This is great!\"))")


def model_card(source: ExportSource, folder_name: str, extra: dict[str, Any]) -> str:
    cfg = source.run_yaml.get("config", {})
    base = (source.base_model or cfg.get("model", {}).get("name_or_path") or "unknown")
    base_is_hub = not Path(base).exists() and base.count("/") == 1
    custom = extra.get("custom_head", False)
    lang = "python" if source.task != "ner" and not custom else "bash"
    head = ["---", "library_name: transformers", f"pipeline_tag: {PIPELINE.get(source.task, 'text-generation')}",
            "tags:", "- laptune"]
    if base_is_hub:
        head.insert(1, f"base_model: {base}")
    lines = head + ["---", "", f"# {source.name}", "",
                    f"Fine-tuned with LapTune {laptune_version()} from `{base}`"
                    f" ({TASK_NAME.get(source.task, source.task)}). Exported from `{source.folder.name}`"
                    + (" with the LoRA adapters merged into the weights" if extra.get("adapter") else "") + ".", "",
                    "| | |", "|---|---|", f"| base model | `{base}` |", f"| task | {TASK_NAME.get(source.task, source.task)} |",
                    f"| checkpoint | `{source.folder.name}` |", f"| weights | {extra.get('dtype', 'as trained')} |",
                    f"| LapTune | {laptune_version()} |", "", "## Data", "", "| split | file | examples |", "|---|---|---|"]
    lines += [f"| {s} | `{f}` | {n} |" for s, f, n in _data_rows(source)]
    keys, rows = _metric_rows(source)
    lines += ["", "## Metrics per checkpoint", ""]
    if rows:
        lines += ["| checkpoint | train loss | " + " | ".join(keys) + " |", "|---" * (len(keys) + 2) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
    else:
        lines.append("No checkpoints were recorded.")
    lines += ["", "## Settings", ""]
    for section, keys_ in SETTINGS:
        values = cfg.get(section, {})
        if section == "lora" and not values.get("enabled"):
            continue
        lines += [f"- {section}.{k}: {values[k]}" for k in keys_ if k in values]
    lines += ["", "## Hardware", "", _hardware_line(source.run_yaml.get("hardware", {})), "",
              "## Use it", "", f"```{lang}", snippet(source.task, folder_name, custom), "```", ""]
    return "\n".join(lines)


def export_hf(source: ExportSource, dest: Path, dtype: str | None, job: Job,
              available_ram: int | None = None, final_dest: Path | None = None) -> dict[str, Any]:
    extra: dict[str, Any] = {"adapter": source.is_adapter}
    if source.is_adapter:
        from core.use.export_merged import export_merged

        details = export_merged(source, dest, dtype, Job(progress=job.within(0.0, 0.9), cancelled=job.cancelled),
                                available_ram)
        extra.update(details)
    elif source.task in ("ner", "classify") and source.resolved is not None:
        # Checkpoints of our own heads hold only the weights; core/use/load.py rebuilds the model with its
        # labels, and save_pretrained writes config.json (id2label), the weights and laptune_head.json.
        from core.use.load import load_for_inference

        job.step(0.1, f"loading {source.folder.name}")
        loaded = load_for_inference(source.resolved, "cpu")
        job.step(0.6, "saving the model folder")
        loaded.model.save_pretrained(dest)
        loaded.tokenizer.save_pretrained(dest)
        extra["custom_head"] = (dest / "laptune_head.json").exists()
        extra["dtype"] = "float32"
    else:
        job.step(0.1, f"copying {source.folder.name}")
        copy_model_files(source.folder, dest, job)
        tok = Path(source.tokenizer_folder())
        if tok.is_dir() and tok != source.folder:
            for f in TOKENIZER_FILES:
                if (tok / f).exists() and not (dest / f).exists():
                    shutil.copy2(tok / f, dest / f)
        extra["custom_head"] = (dest / "laptune_head.json").exists()
        config = dest / "config.json"
        if config.exists():
            data = json.loads(config.read_text(encoding="utf-8"))
            extra["dtype"] = str(data.get("dtype") or data.get("torch_dtype") or "float32")
    job.step(0.95, "writing the model card")
    (dest / "README.md").write_text(model_card(source, str(final_dest or dest).replace("\\", "/"), extra),
                                    encoding="utf-8")
    job.step(1.0, "model folder written")
    return extra
