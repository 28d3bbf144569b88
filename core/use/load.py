"""Which checkpoint, and the model ready for inference.

    resolve_checkpoint(path, checkpoint=None) -> Resolved
        path: a run folder (runs/<id>/), one of its checkpoint folders, its final/ folder, or a model folder
        saved with save_pretrained (no run around it). checkpoint: None or "best" (a run folder's best
        checkpoint by its eval metric; final/ when the run has no eval), "final", "latest" (the newest
        complete checkpoint, for a run still training), or a step number.
    load_for_inference(resolved, device="cpu") -> Loaded
        the model in eval mode on `device`, its tokenizer and its labels (id order), for the three task
        families: "ner" (encoder + CRF, or a token-classification model), "classify" (sequence
        classification, or encoder + MLP head) and "sft" (causal LM; LoRA adapters are loaded onto their
        base model through peft and merged unless merge=False).

Checkpoints written by Trainer for our own heads (NER CRF, encoder + MLP) hold only model.safetensors: the
encoder config and the head come from final/ when the run finished, and otherwise from the run config, the
model's own config and the labels read again from the run's data (in the same order training used).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.config.schema import RunConfig
from core.record.runs import RunDir, RunError, best_checkpoint
from core.train.tasks.base import HEAD_FILE

TASKS = ("ner", "classify", "sft")
# The metric each task family's run picks its best checkpoint by (the TaskBundle's metric_for_best).
BEST_METRIC = {"ner": ("eval_f1", True), "classify": ("eval_accuracy", True), "sft": ("eval_loss", False)}


class UseError(RunError):
    """A path or checkpoint the user gave that cannot be used; message and fix, no traceback."""


@dataclass
class Resolved:
    run_dir: Path | None             # None for a model folder that is not part of a run
    checkpoint_dir: Path             # the folder the weights are loaded from
    task: str                        # "ner" | "classify" | "sft"
    config: RunConfig | None         # the run's config (None for a bare model folder)
    name: str                        # "checkpoint-30", "final" or the folder's name
    step: int | None = None
    why: str = ""                    # how it was chosen, for messages ("best by eval_f1 0.96")
    preset_dir: Path | None = None   # where the run's relative model/data paths are resolved

    def describe(self) -> str:
        where = f"{self.run_dir.name}/{self.name}" if self.run_dir else str(self.checkpoint_dir)
        return f"{where} ({self.why})" if self.why else where


@dataclass
class Loaded:
    resolved: Resolved
    task: str
    model: Any                       # torch.nn.Module in eval mode
    tokenizer: Any
    labels: list[str] | None         # id order (NER tags, classes); None for SFT
    device: str = "cpu"
    kind: str = ""                   # "crf" | "token" | "sequence" | "mlp" | "causal" | "lora"
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- resolving
def _step(folder: Path) -> int | None:
    try:
        return int(folder.name.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return None


def _run_of(path: Path) -> tuple[Path, Path | None] | None:
    """(run folder, the checkpoint folder inside it or None) when `path` is a run or a folder inside one."""
    if (path / "run.yaml").exists():
        return path, None
    if path.name == "final" and (path.parent / "run.yaml").exists():
        return path.parent, path
    if path.parent.name == "checkpoints" and (path.parent.parent / "run.yaml").exists():
        return path.parent.parent, path
    return None


def infer_task(folder: Path) -> str:
    """The task family of a saved model folder, from our head file, a peft adapter or the architecture."""
    head = folder / HEAD_FILE
    if head.exists():
        kind = json.loads(head.read_text(encoding="utf-8")).get("task")
        return "ner" if kind == "ner_crf" else "classify"
    if (folder / "adapter_config.json").exists():
        return "sft"
    config_file = folder / "config.json"
    if not config_file.exists():
        raise UseError(f"{folder} holds no model (no config.json, adapter_config.json or {HEAD_FILE})",
                       fix="pass a run folder under runs/, a checkpoint folder, or a folder saved with save_pretrained")
    archs = json.loads(config_file.read_text(encoding="utf-8")).get("architectures") or []
    for arch in archs:
        if arch.endswith("ForCausalLM") or arch.endswith("ForConditionalGeneration"):
            return "sft"
        if arch.endswith("ForSequenceClassification"):
            return "classify"
        if arch.endswith("ForTokenClassification"):
            return "ner"
    raise UseError(f"cannot tell what {folder} was trained for (architectures: {', '.join(archs) or 'none'})",
                   fix="pass the run folder it came from, or a causal-LM / classification / token-classification model")


def resolve_checkpoint(path: str | Path, checkpoint: str | int | None = None) -> Resolved:
    path = Path(path).expanduser()
    if not path.exists():
        raise UseError(f"{path} does not exist", fix="pass a run folder (`laptune runs` lists them) or a model folder")
    if not path.is_dir():
        raise UseError(f"{path} is a file, not a folder", fix="pass the run folder or the model folder")
    choice = _parse_choice(checkpoint)
    found = _run_of(path.resolve())
    if found is None:
        if choice not in (None, "best", "final"):
            raise UseError(f"{path} is a model folder, not a run: it has no checkpoints to choose from",
                           fix="leave out --checkpoint, or pass the run folder")
        return Resolved(None, path.resolve(), infer_task(path), None, path.name, None, "model folder")
    run_path, inner = found
    rd = RunDir.open(run_path)
    data = rd.read_run_yaml()
    config = rd.read_config()
    preset_dir = Path(data["preset_dir"]) if data.get("preset_dir") else None
    base = dict(run_dir=rd.path, task=config.task, config=config, preset_dir=preset_dir)
    if inner is not None:
        if choice is not None:
            raise UseError(f"{path} is already one checkpoint; --checkpoint {checkpoint} chooses another",
                           fix="pass the run folder with --checkpoint, or the checkpoint folder alone")
        if inner.name != "final" and not (inner / "laptune_complete").exists():
            raise UseError(f"{inner.name} in {rd.path} is incomplete (its save was interrupted)",
                           fix="choose another checkpoint; `laptune runs RUN_DIR` lists them")
        return Resolved(checkpoint_dir=inner, name=inner.name, step=_step(inner), why="as given", **base)
    if isinstance(choice, int):
        info = rd.checkpoint(choice)
        return Resolved(checkpoint_dir=info.path, name=info.path.name, step=info.step, why=f"step {info.step}", **base)
    final = rd.final_dir if rd.final_dir.is_dir() and any(rd.final_dir.iterdir()) else None
    if choice == "final":
        if final is None:
            raise UseError(f"{rd.path} has no final/ model (the run has not finished)",
                           fix="use --checkpoint best, latest or a step number (`laptune runs RUN_DIR` lists them)")
        return Resolved(checkpoint_dir=final, name="final", step=None, why="final model", **base)
    latest = rd.latest_checkpoint()
    if choice == "latest":
        if latest is not None:
            return Resolved(checkpoint_dir=latest.path, name=latest.path.name, step=latest.step, why="latest checkpoint", **base)
    else:   # best
        metric, greater = BEST_METRIC[config.task]
        best = best_checkpoint(rd.checkpoints(), metric, greater)
        if best is not None:
            return Resolved(checkpoint_dir=best.path, name=best.path.name, step=best.step,
                            why=f"best by {metric[5:]} {best.metrics[metric]:.4g}", **base)
    if final is not None:
        return Resolved(checkpoint_dir=final, name="final", step=None, why="final model (no evaluation to pick by)", **base)
    if latest is not None:
        return Resolved(checkpoint_dir=latest.path, name=latest.path.name, step=latest.step,
                        why="latest checkpoint (no evaluation yet)", **base)
    raise UseError(f"{rd.path} has no complete checkpoint and no final model yet",
                   fix="wait for the first checkpoint (save_steps), or ask the run for one with its Checkpoint button")


def _parse_choice(checkpoint: str | int | None) -> str | int | None:
    if checkpoint is None or isinstance(checkpoint, int):
        return checkpoint
    text = str(checkpoint).strip().lower()
    if text in ("best", "final", "latest"):
        return text
    if text.startswith("checkpoint-"):
        text = text[len("checkpoint-"):]
    if text.isdigit():
        return int(text)
    raise UseError(f"--checkpoint {checkpoint!r} is not a step number, best, final or latest",
                   fix="e.g. --checkpoint 120, --checkpoint best")


# ---------------------------------------------------------------- loading
def load_for_inference(resolved: Resolved, device: str = "cpu", merge: bool = True) -> Loaded:
    """The model in eval mode on `device` ("cpu", "cuda", "cuda:1"), with its tokenizer and labels."""
    import transformers

    transformers.utils.logging.disable_progress_bar()   # no "Loading weights" bars in the terminal or the app
    if resolved.task == "sft":
        loaded = _load_causal(resolved, device, merge)
    else:
        loaded = _load_encoder(resolved)
    if not getattr(loaded.model, "is_quantized", False) and not getattr(getattr(loaded.model, "base_model", None), "is_quantized", False):
        loaded.model.to(device)   # bitsandbytes models are placed by device_map and refuse .to()
    loaded.model.eval()
    loaded.device = device
    if loaded.task == "sft":
        loaded.model.config.use_cache = True   # training saved use_cache=False; generation wants the KV cache
    return loaded


def _trust(resolved: Resolved) -> bool:
    return bool(resolved.config and resolved.config.model.trust_remote_code)


def _model_path(resolved: Resolved) -> str:
    from core.train.modeling import resolve_model_path

    assert resolved.config is not None
    path = resolve_model_path(resolved.config.model.name_or_path, resolved.preset_dir)
    if not Path(path).is_dir():   # a hub id: the copy training downloaded (core/hub), without a network call
        from core.hub import find_cached, is_hub_id
        from core.hub import modelscope

        if is_hub_id(path, resolved.preset_dir):
            cached = find_cached(path) or modelscope.find_cached(path)
            if cached is not None:
                return str(cached)
    return path


def _tokenizer(resolved: Resolved) -> Any:
    from transformers import AutoTokenizer

    folder = resolved.checkpoint_dir
    source = str(folder) if (folder / "tokenizer_config.json").exists() else None
    if source is None and resolved.run_dir is not None and (resolved.run_dir / "final" / "tokenizer_config.json").exists():
        source = str(resolved.run_dir / "final")
    if source is None:
        if resolved.config is None:
            raise UseError(f"no tokenizer in {folder}", fix="save the tokenizer with the model (tokenizer.save_pretrained)")
        source = _model_path(resolved)
    try:
        return AutoTokenizer.from_pretrained(source, trust_remote_code=_trust(resolved))
    except (OSError, ValueError) as exc:
        raise UseError(f"cannot load the tokenizer from {source}: {exc}", fix="check the folder is complete") from exc


def _run_labels(resolved: Resolved) -> list[str]:
    """The labels in the order training numbered them (tasks/ner_crf.py and tasks/classify.py sort them so)."""
    from core.data import DataError
    from core.train.tasks.base import load_split

    cfg = resolved.config
    assert cfg is not None
    try:
        if cfg.task == "ner":
            train, evals = load_split(cfg, resolved.preset_dir)
            return sorted({t for ex in train + evals for t in ex.labels}, key=lambda t: (t != "O", t[2:], t))
        d = cfg.data
        train, evals = load_split(cfg, resolved.preset_dir, text_column=d.text_column, label_column=d.label_column,
                                  text_pair_column=d.text_pair_column)
        return sorted({ex.label for ex in train + evals})
    except (DataError, OSError) as exc:
        raise UseError(f"{resolved.name} of {resolved.run_dir} has no label names beside it and its training data "
                       f"cannot be read again ({exc})",
                       fix="use --checkpoint final when the run finished, or restore the data files the run used") from exc


def _labels_of(config: Any) -> list[str] | None:
    id2label = getattr(config, "id2label", None) or {}
    if not id2label:
        return None
    labels = [str(id2label[i]) for i in sorted(int(k) for k in id2label)]
    return None if all(lab.startswith("LABEL_") for lab in labels) else labels


def _load_encoder(resolved: Resolved) -> Loaded:
    from transformers import AutoConfig, AutoModelForSequenceClassification, AutoModelForTokenClassification

    from core.train.tasks.classify import EncoderMlpClassifier
    from core.train.tasks.ner_crf import EncoderCrfTagger

    folder, trust = resolved.checkpoint_dir, _trust(resolved)
    tokenizer = _tokenizer(resolved)
    own_head = EncoderCrfTagger if resolved.task == "ner" else EncoderMlpClassifier
    if (folder / HEAD_FILE).exists():
        head = json.loads((folder / HEAD_FILE).read_text(encoding="utf-8"))
        model = _own_head_from_state(own_head, AutoConfig.from_pretrained(folder, trust_remote_code=trust), head,
                                     folder / "model.safetensors", trust)
        return Loaded(resolved, resolved.task, model, tokenizer, _labels_of(model.config) or _run_labels(resolved),
                      kind=_kind(resolved.task, model))
    if (folder / "config.json").exists():
        auto = AutoModelForTokenClassification if resolved.task == "ner" else AutoModelForSequenceClassification
        model = auto.from_pretrained(folder, trust_remote_code=trust)
        labels = _labels_of(model.config) or [str(model.config.id2label[i]) for i in range(model.config.num_labels)]
        return Loaded(resolved, resolved.task, model, tokenizer, labels, kind="token" if resolved.task == "ner" else "sequence")
    if resolved.config is None or not (folder / "model.safetensors").exists():
        raise UseError(f"{folder} has no model weights (model.safetensors)", fix="choose another checkpoint")
    # A Trainer checkpoint of our own head: the state dict only. Rebuild the module around it.
    final = resolved.run_dir / "final" if resolved.run_dir else None
    if final is not None and (final / HEAD_FILE).exists():
        head = json.loads((final / HEAD_FILE).read_text(encoding="utf-8"))
        config = AutoConfig.from_pretrained(final, trust_remote_code=trust)
        labels = _labels_of(config) or _run_labels(resolved)
    else:
        cfg = resolved.config
        labels = _run_labels(resolved)
        id2label = dict(enumerate(labels))
        config = AutoConfig.from_pretrained(_model_path(resolved), trust_remote_code=trust, id2label=id2label,
                                            label2id={lab: i for i, lab in id2label.items()})
        if resolved.task == "ner":
            head = {"num_labels": len(labels), "dropout": cfg.ner.dropout, "use_crf": cfg.ner.use_crf}
        else:
            head = {"num_labels": len(labels), "pooling": cfg.classify.pooling, "hidden": cfg.classify.mlp_hidden,
                    "dropout": cfg.classify.dropout}
    model = _own_head_from_state(own_head, config, head, folder / "model.safetensors", trust)
    return Loaded(resolved, resolved.task, model, tokenizer, labels, kind=_kind(resolved.task, model))


def _kind(task: str, model: Any) -> str:
    if task == "ner":
        return "crf" if getattr(model, "crf", None) is not None else "token"
    return "mlp"


def _own_head_from_state(cls: Any, config: Any, head: dict[str, Any], weights: Path, trust: bool) -> Any:
    from safetensors.torch import load_file
    from transformers import AutoModel

    from core.train.tasks.base import encoder_kwargs

    encoder = AutoModel.from_config(config, trust_remote_code=trust, **encoder_kwargs(config))
    model = cls.from_head(encoder, head)
    state = load_file(str(weights))
    # A run trained from scratch keeps BERT's pooler (from_config got no add_pooling_layer=False); our heads
    # never read it, so its weights are left out rather than refused.
    state = {k: v for k, v in state.items() if not k.startswith("encoder.pooler.")}
    try:
        result = model.load_state_dict(state, strict=False)
    except RuntimeError as exc:   # shapes differ: the labels read again are not those the run trained with
        raise UseError(f"the weights in {weights.parent} do not match the model rebuilt from the run's config "
                       f"({str(exc).splitlines()[1].strip() if len(str(exc).splitlines()) > 1 else exc})",
                       fix="use --checkpoint final, or restore the training data exactly as the run used it") from exc
    if result.missing_keys or result.unexpected_keys:
        raise UseError(f"the weights in {weights.parent} do not fit the {cls.__name__} model "
                       f"(missing {result.missing_keys[:3]}, unexpected {result.unexpected_keys[:3]})",
                       fix="pass the run folder the checkpoint came from, or its final/ model")
    return model


def _load_causal(resolved: Resolved, device: str, merge: bool) -> Loaded:
    import torch
    from transformers import AutoModelForCausalLM

    from core.train.modeling import has_weights
    from core.train.tasks.causal_sft import SIMPLE_TEMPLATE

    folder, trust = resolved.checkpoint_dir, _trust(resolved)
    tokenizer = _tokenizer(resolved)
    notes: list[str] = []
    if not getattr(tokenizer, "chat_template", None):
        tokenizer.chat_template = SIMPLE_TEMPLATE   # the template training used when the model had none
        notes.append("the tokenizer has no chat template: using LapTune's simple '<|role|>' template")
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    cfg = resolved.config
    quantized = bool(cfg and (cfg.memory.load_in_4bit or cfg.memory.load_in_8bit))
    if device == "cpu":
        # A QLoRA run's base is a large model: bf16 halves the RAM an fp32 copy would take.
        dtype = torch.bfloat16 if quantized else torch.float32
    else:
        dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if not (folder / "adapter_config.json").exists():
        model = AutoModelForCausalLM.from_pretrained(folder, dtype=dtype, trust_remote_code=trust)
        return Loaded(resolved, "sft", model, tokenizer, None, kind="causal", notes=notes)

    from peft import PeftModel

    adapter = json.loads((folder / "adapter_config.json").read_text(encoding="utf-8"))
    base_path = _model_path(resolved) if resolved.config is not None else adapter.get("base_model_name_or_path")
    if not base_path:
        raise UseError(f"{folder} holds LoRA adapters but does not say which base model they belong to",
                       fix="pass the run folder the adapters came from")
    base_dir = Path(base_path)
    if base_dir.is_dir() and not has_weights(base_dir):
        if not (resolved.config and resolved.config.model.init_from_scratch):
            raise UseError(f"the base model {base_dir} of these LoRA adapters has no weights", fix="restore the base model folder")
        # The run trained adapters on a randomly initialised base: the same seed draws the same base again
        # (tasks/causal_sft.py builds it right after transformers.set_seed with nothing drawn in between).
        import transformers
        from transformers import AutoConfig

        transformers.set_seed(resolved.config.training.seed)
        config = AutoConfig.from_pretrained(base_dir, trust_remote_code=trust)
        base = AutoModelForCausalLM.from_config(config, trust_remote_code=trust).to(dtype)
        notes.append("the base model was initialised from scratch: rebuilt from the run's seed")
    else:
        kwargs: dict[str, Any] = {}
        if quantized and device != "cpu":
            # As the run trained it (4-bit NF4 / 8-bit): a 7B base in 16-bit would not fit the GPU it trained on.
            from core.train.tasks.causal_sft import _quantization

            index = int(device.split(":", 1)[1]) if ":" in device else torch.cuda.current_device()
            kwargs.update(quantization_config=_quantization(cfg, dtype), device_map={"": index})
            merge = False   # merging into quantised weights would round the adapters away
            notes.append("the base model is loaded quantised, as the run trained it; adapters not merged")
        try:
            base = AutoModelForCausalLM.from_pretrained(base_path, dtype=dtype, trust_remote_code=trust, **kwargs)
        except (OSError, ValueError) as exc:
            raise UseError(f"cannot load the base model '{base_path}' of these LoRA adapters: {str(exc).splitlines()[0]}",
                           fix="download the base model (or restore its folder) and try again") from exc
    model = PeftModel.from_pretrained(base, str(folder))
    if merge:
        model = model.merge_and_unload()   # plain Linear layers again: faster generation, same outputs
    return Loaded(resolved, "sft", model, tokenizer, None, kind="lora", notes=notes)
