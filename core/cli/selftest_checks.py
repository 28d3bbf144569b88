"""The self-test's checks (`laptune --selftest`, core/cli/selftest.py runs them and reports).

Each check takes the Context an earlier one filled (the hardware snapshot, the demo run folder) and returns a
one-line detail, or raises CheckFailed with the whole story. In order: imports, the transformers model families
the app supports, the app's own files and data folder, the model cache, the hardware probe, CUDA torch and
bitsandbytes' native library, every preset, the demo trained a few steps and stopped at a checkpoint, that
checkpoint resumed to the end, one text predicted, the demo exported and reloaded, llama.cpp's GGUF converter,
and the main window built and rendered unshown.
"""
from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

# Importable modules the app uses (distribution names differ: torchcrf is pytorch-crf, pynvml is
# nvidia-ml-py, yaml is PyYAML).
IMPORTS = ("torch", "transformers", "accelerate", "peft", "bitsandbytes", "torchcrf",
           "safetensors", "tokenizers", "huggingface_hub", "pydantic", "yaml", "psutil", "pynvml", "tensorboardX",
           "openpyxl", "pyarrow.parquet", "pyarrow.ipc",
           "PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "pyqtgraph")
VERSIONS_SHOWN = ("torch", "transformers", "peft", "bitsandbytes", "PySide6", "pyqtgraph")

# The demo preset shortened to seconds: 4 optimizer steps, a checkpoint every 2.
DEMO_SETS = ("max_steps=4", "save_steps=2", "eval_steps=2", "logging_steps=1")

AUTO_MAPPINGS = ("MODEL_MAPPING", "MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING", "MODEL_FOR_TOKEN_CLASSIFICATION_MAPPING",
                 "MODEL_FOR_CAUSAL_LM_MAPPING")


class CheckFailed(Exception):
    """A check's expected failure: the message is the whole story (no traceback needed)."""


@dataclass
class Context:
    """What one check hands to a later one (the hardware snapshot, the demo run folder)."""
    work: Path
    build_window: Callable[[], Any] | None = None
    hardware: Any = None
    run_dir: Path | None = None
    stopped_at: int | None = None


# ---------------------------------------------------------------- the checks
def check_imports(ctx: Context) -> str:
    failed = []
    for name in IMPORTS:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - an import can fail with anything (OSError for a DLL, ...)
            failed.append(f"{name}: {type(exc).__name__}: {first_line(exc)}")
    if failed:
        raise CheckFailed("; ".join(failed))
    versions = []
    for name in VERSIONS_SHOWN:
        module = sys.modules.get(name)
        versions.append(f"{name} {getattr(module, '__version__', '?')}")
    return ", ".join(versions)


def check_model_families(ctx: Context) -> str:
    """Resolve every model and tokenizer class of the families the app supports: each resolution
    imports a lazily loaded transformers module that a frozen build has to bundle."""
    from transformers import AutoConfig
    from transformers.models.auto import modeling_auto, tokenization_auto

    from core.memory.model_arch import SUPPORTED

    checked, failed = [], []
    for model_type in SUPPORTED:
        if model_type == "new":   # gte's "new" architecture is the model's own code from the hub (trust_remote_code)
            continue
        try:
            config = AutoConfig.for_model(model_type)
            for mapping_name in AUTO_MAPPINGS:
                mapping = getattr(modeling_auto, mapping_name)
                if type(config) in mapping:
                    mapping[type(config)]   # noqa: B018 - the lookup is the import being checked
            names = tokenization_auto.TOKENIZER_MAPPING_NAMES.get(model_type)
            for tok_name in (names,) if isinstance(names, str) else (names or ()):
                if tok_name and tokenization_auto.tokenizer_class_from_name(tok_name) is None:
                    raise CheckFailed(f"tokenizer class {tok_name} not found")
            checked.append(model_type)
        except Exception as exc:  # noqa: BLE001 - reported per family
            failed.append(f"{model_type}: {type(exc).__name__}: {first_line(exc)}")
    if failed:
        raise CheckFailed("; ".join(failed))
    return ", ".join(checked)


def check_app_files(ctx: Context) -> str:
    """Presets, demo data, model configs, icon and translations where core.config.paths says, and a writable data folder."""
    from core.config.paths import app_root, default_runs_dir, presets_dir, resource_path, user_data_dir

    presets = sorted(presets_dir().glob("*.yaml"))
    configs = sorted(resource_path("model_configs").glob("*.json"))
    missing = [str(p) for p in (resource_path("demo", "bert-tiny", "config.json"), resource_path("demo", "cls_train.csv"),
                                resource_path("icons", "laptune.png")) if not p.is_file()]
    if not presets:
        missing.append(f"{presets_dir()}/*.yaml")
    if not configs:
        missing.append(f"{resource_path('model_configs')}/*.json")
    translations = resource_path("translations")
    sources = sorted(translations.glob("*.ts")) if translations.is_dir() else []
    compiled = sorted(translations.glob("*.qm")) if translations.is_dir() else []
    uncompiled = [p.stem for p in sources if not p.with_suffix(".qm").exists()]
    if uncompiled:
        missing.append(f"compiled translations (.qm) for {', '.join(uncompiled)}")
    if missing:
        raise CheckFailed(f"missing under {app_root()}: {', '.join(missing)}")

    data = user_data_dir()
    runs = default_runs_dir()
    _require_writable(data, "the data folder")
    if getattr(sys, "frozen", False):
        exe_dir = Path(sys.executable).resolve().parent
        if exe_dir == runs.resolve() or exe_dir in runs.resolve().parents:
            raise CheckFailed(f"runs would be written next to the executable ({runs}); they belong in {data}")
    qm = f"{len(compiled)} translation(s) ({', '.join(p.stem for p in compiled)})" if compiled else "no translations bundled yet"
    where = "frozen bundle" if getattr(sys, "frozen", False) else "source tree"
    return (f"{where} {app_root()}: {len(presets)} presets, {len(configs)} model configs, demo data, icon, {qm}; "
            f"writes to {data} (runs: {runs})")


def _require_writable(folder: Path, what: str, fix: str = "") -> None:
    """Create `folder` if needed and write and remove a file in it; CheckFailed naming it otherwise."""
    probe_file = folder / f".selftest-write-{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe_file.write_text("ok", encoding="utf-8")
        probe_file.unlink()
    except OSError as exc:
        raise CheckFailed(f"{what} {folder} is not writable: {exc}" + (f"; {fix}" if fix else "")) from exc


def check_model_cache(ctx: Context) -> str:
    """The hub client imports (huggingface_hub, filelock; the download code) and the model cache folder is writable."""
    import filelock  # noqa: F401
    import huggingface_hub

    from core.hub.cache import hub_cache_dir
    from core.hub.source import resolve_source

    cache = hub_cache_dir()
    _require_writable(cache, "the model cache", fix="set HF_HOME to a writable folder")
    source = resolve_source()
    return (f"huggingface_hub {huggingface_hub.__version__}; cache {cache} writable; models from {source.label}; "
            f"{_modelscope_client()}")


def _modelscope_client() -> str:
    """The ModelScope source's client: required in the frozen app (users cannot pip install there), optional from
    source (the `modelscope` extra)."""
    from core.hub.source import HubError

    try:
        from core.hub.modelscope import _require_package
        from modelscope.hub.snapshot_download import snapshot_download  # noqa: F401

        _require_package()
    except (HubError, ImportError) as exc:
        if getattr(sys, "frozen", False):
            raise CheckFailed(f"the ModelScope client does not import in the frozen app: {exc}") from exc
        return "ModelScope client not installed (pip install 'laptune[modelscope]')"
    return "ModelScope client ok"


def check_hardware(ctx: Context) -> str:
    from core.machine.hardware import probe

    ctx.hardware = probe(with_torch=True)
    hw = ctx.hardware
    s = hw.system
    gpus = ", ".join(f"GPU {g.index} {g.short_name} {g.total_gb:.1f} GiB" for g in hw.gpus) or "no NVIDIA GPU"
    return f"{gpus}; {s.ram_total_bytes / 2**30:.1f} GiB RAM, {s.cpu_logical_cores} threads, {s.os}"


def check_cuda_torch(ctx: Context) -> str:
    import torch

    gpus = ctx.hardware.gpus if ctx.hardware is not None else ()
    if torch.version.cuda is None:
        if gpus:
            return (f"not available: torch {torch.__version__} is a CPU build; the NVIDIA GPU is unused "
                    "(a CUDA build of LapTune uses it, see docs/windows.md)")
        return f"not available: torch {torch.__version__} is a CPU build and there is no NVIDIA GPU"
    if not torch.cuda.is_available():
        if gpus:
            raise CheckFailed(f"the driver shows {len(gpus)} NVIDIA GPU(s) but torch {torch.__version__} (CUDA {torch.version.cuda}) "
                              f"cannot use them; driver {ctx.hardware.driver_version} may be too old for CUDA {torch.version.cuda}")
        return f"not available: torch {torch.__version__} is a CUDA {torch.version.cuda} build, but there is no NVIDIA GPU/driver here"
    index = torch.cuda.current_device()
    a = torch.randn(256, 256, device="cuda")
    value = float((a @ a).sum().item())   # a real kernel launch, not just device enumeration
    if value != value:
        raise CheckFailed("a matmul on the GPU returned NaN")
    major, minor = torch.cuda.get_device_capability(index)
    bf16 = "bf16" if torch.cuda.is_bf16_supported() else "no bf16"
    return (f"CUDA {torch.version.cuda}, {torch.cuda.get_device_name(index)} (cc {major}.{minor}, {bf16}), "
            f"{torch.cuda.device_count()} device(s), matmul ok")


def check_bitsandbytes(ctx: Context) -> str:
    """bitsandbytes picks its native library from torch's CUDA version at import (PyInstaller #7911
    is this step failing in a frozen app)."""
    import bitsandbytes.cextension as cext

    lib = cext.lib
    if isinstance(lib, cext.ErrorHandlerMockBNBNativeLibrary):
        reason = getattr(lib, "error_msg", "") or "unknown reason"
        if cext.BNB_BACKEND == "CPU":   # bitsandbytes' own rule: its CPU ops run without the native library
            return f"no native CPU library ({reason}); CUDA not available (QLoRA needs an NVIDIA GPU)"
        raise CheckFailed(f"no native library loaded for backend {cext.BNB_BACKEND}: {reason}")
    native = getattr(lib, "_lib", None)
    name = Path(getattr(native, "_name", "?")).name
    if cext.BNB_BACKEND == "CUDA":
        if not isinstance(lib, cext.CudaBNBNativeLibrary):
            raise CheckFailed(f"torch has CUDA but bitsandbytes loaded {name}, not its CUDA library")
        import torch
        from bitsandbytes.functional import dequantize_4bit, quantize_4bit

        weights = torch.randn(64, 64, device="cuda", dtype=torch.float16)
        packed, state = quantize_4bit(weights, quant_type="nf4")
        error = float((dequantize_4bit(packed, state) - weights).abs().mean())
        if not error < 0.2:
            raise CheckFailed(f"4-bit round trip error {error:.3f} on the GPU")
        return f"CUDA library {name} loaded, 4-bit round trip ok"
    return f"{cext.BNB_BACKEND} library {name} loaded; CUDA not available (QLoRA needs an NVIDIA GPU)"


def check_presets(ctx: Context) -> str:
    from core.train.modeling import ModelError, read_model_config, resolve_model_path
    from core.config.presets import PresetError, check_with_model_config, list_presets
    from core.config.paths import resource_path

    infos = list_presets()
    if not infos:
        raise CheckFailed("no presets found")
    invalid = [f"{i.name}: {i.error}" for i in infos if i.config is None]
    if invalid:
        raise CheckFailed(f"{len(invalid)} of {len(infos)} invalid: " + "; ".join(invalid))
    against_model = 0
    problems = []
    for info in infos:
        cfg = info.config
        try:   # only what is here: a local model folder or the bundled config.json (no network)
            local = resolve_model_path(cfg.model.name_or_path, info.path.parent)
            if Path(local).is_dir():
                model_cfg = read_model_config(local, cfg)
            elif cfg.model.config_file and resource_path("model_configs", cfg.model.config_file).is_file():
                model_cfg = read_model_config(cfg.model.name_or_path, cfg)
            else:
                continue
            check_with_model_config(cfg, model_cfg, str(info.path))
            against_model += 1
        except (PresetError, ModelError) as exc:
            problems.append(f"{info.name}: {exc}")
    if problems:
        raise CheckFailed("; ".join(problems))
    return f"{len(infos)} valid, {against_model} checked against their model's config"


def check_train(ctx: Context) -> str:
    from core.train import session
    from core.record.events import Checkpoint, Control
    from core.config.presets import resolve

    resolved = resolve("demo", sets=DEMO_SETS, env={}, dotenv=None)
    control = Control()

    def emit(event: Any) -> None:
        if isinstance(event, Checkpoint) and not control.stop_requested:
            control.stop("self-test: stop after the first checkpoint")

    ctx.run_dir = ctx.work / "demo"
    summary = session.run(resolved.config, emit, control, run_dir=ctx.run_dir, preset_path=resolved.preset_path,
                          sources=resolved.sources, hardware=ctx.hardware)
    if summary["status"] != "stopped":
        raise CheckFailed(f"expected the run to stop after its first checkpoint, it ended '{summary['status']}': {summary['message']}")
    from core.record.runs import RunDir

    checkpoints = [c for c in RunDir.open(ctx.run_dir).checkpoints() if c.complete]
    if not checkpoints:
        raise CheckFailed("the run stopped but left no complete checkpoint")
    ctx.stopped_at = checkpoints[-1].step
    loss = summary.get("last_train_loss")
    from core.train.setup import choose_device

    device = choose_device(resolved.config).kind.upper()
    return (f"demo stopped at step {summary['global_step']} of 4 with {', '.join(c.path.name for c in checkpoints)}, "
            f"loss {loss:.3f} ({device}), {summary['wall_seconds']:.1f} s")


def check_resume(ctx: Context) -> str:
    from core.train import session
    from core.record.events import Control, Status

    if ctx.run_dir is None or ctx.stopped_at is None:
        raise CheckFailed("nothing to resume: the training check did not leave a checkpoint")
    started: list[int] = []

    def emit(event: Any) -> None:
        if isinstance(event, Status) and event.status == "started":
            started.append(event.step)

    summary = session.resume(ctx.run_dir, emit, Control())
    if summary["status"] != "completed":
        raise CheckFailed(f"the resumed run ended '{summary['status']}': {summary['message']}")
    if started[:1] != [ctx.stopped_at]:
        raise CheckFailed(f"resumed at step {started[:1]}, expected {ctx.stopped_at}")
    if summary["global_step"] != 4:
        raise CheckFailed(f"the resumed run ended at step {summary['global_step']}, expected 4")
    final = ctx.run_dir / "final"
    if not final.is_dir() or not any(final.iterdir()):
        raise CheckFailed(f"no final model in {final}")
    accuracy = summary.get("last_eval", {}).get("eval_accuracy")
    acc = f", eval accuracy {accuracy:.2f}" if accuracy is not None else ""
    return f"checkpoint-{ctx.stopped_at} resumed to step 4, final model saved{acc}"


def check_predict(ctx: Context) -> str:
    """The trained demo loaded as a user's `laptune predict RUN_DIR` loads it, and one text classified."""
    from core.use.load import load_for_inference, resolve_checkpoint
    from core.use.predict import predict_text

    if ctx.run_dir is None or not (ctx.run_dir / "final").is_dir():
        raise CheckFailed("nothing to predict with: the demo run did not finish")
    resolved = resolve_checkpoint(ctx.run_dir)
    loaded = load_for_inference(resolved, device="cpu")
    result = predict_text(loaded, "今天天气很好")
    probs = result["probabilities"]
    if set(probs) != set(loaded.labels or []) or abs(sum(probs.values()) - 1) > 1e-3:
        raise CheckFailed(f"the prediction does not cover the demo's labels: {result}")
    return f"{resolved.describe()}: '今天天气很好' -> {result['label']} ({probs[result['label']]:.2f})"


def check_export(ctx: Context) -> str:
    """The trained demo exported as `laptune export RUN_DIR --format hf` does, then loaded back with plain
    transformers (no LapTune code) and one text classified; the model card is there."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from core.use.export import ExportRequest, export

    if ctx.run_dir is None or not (ctx.run_dir / "final").is_dir():
        raise CheckFailed("nothing to export: the demo run did not finish")
    result = export(ExportRequest(run_dir=ctx.run_dir, format="hf", out=ctx.work / "demo-hf"))
    card = result.out / "README.md"
    if not card.exists() or "## Metrics per checkpoint" not in card.read_text(encoding="utf-8"):
        raise CheckFailed(f"the export has no model card with metrics: {card}")
    model = AutoModelForSequenceClassification.from_pretrained(result.out).eval()
    tokenizer = AutoTokenizer.from_pretrained(result.out)
    with torch.no_grad():
        label = model.config.id2label[int(model(**tokenizer("今天天气很好", return_tensors="pt")).logits.argmax(-1))]
    return f"hf folder with model card in {result.seconds:.1f} s, reloaded by transformers: '今天天气很好' -> {label}"


def check_gguf_converter(ctx: Context) -> str:
    """llama.cpp's converter package (collected by the spec) imports, knows the GGUF families the app
    exports and quantises to Q8_0 with its own gguf module: the GGUF export needs nothing else."""
    import numpy as np

    from core.use.export_gguf import _converter

    gguf, (_, _, _, get_model_class) = _converter()
    archs = [gguf.MODEL_ARCH_NAMES[get_model_class(a, mmproj=False).model_arch]
             for a in ("LlamaForCausalLM", "Qwen2ForCausalLM")]
    block = np.linspace(-1, 1, 64, dtype=np.float32).reshape(2, 32)
    back = gguf.quants.dequantize(gguf.quants.quantize(block, gguf.GGMLQuantizationType.Q8_0), gguf.GGMLQuantizationType.Q8_0)
    error = float(np.abs(back - block).max())
    if error > 0.01:
        raise CheckFailed(f"Q8_0 round trip is off by {error}")
    return f"converter for {', '.join(archs)}; Q8_0 round trip max error {error:.4f}"


def check_main_window(ctx: Context) -> str:
    if ctx.build_window is None:
        raise CheckFailed("no main-window builder was passed in: the entry point must call core.cli.main.main(..., "
                          "window_builder=...) with gui.app.build_main_window, as launcher.py (the frozen app's entry) "
                          "does; core never imports gui")
    window = ctx.build_window()
    try:
        for method in ("grab", "windowTitle", "close"):
            if not callable(getattr(window, method, None)):
                raise CheckFailed(f"the builder returned {type(window).__name__}, not a window (no {method}())")
        pixmap = window.grab()   # renders every child (plots included) without showing a window
        if pixmap.isNull():
            raise CheckFailed("rendering the window gave an empty image")
        platform = os.environ.get("QT_QPA_PLATFORM") or "native"
        return f"{type(window).__name__} '{window.windowTitle()}' rendered {pixmap.width()}x{pixmap.height()} ({platform} platform)"
    finally:
        if callable(getattr(window, "close", None)):
            window.close()
            window.deleteLater()


CHECKS: tuple[tuple[str, Callable[[Context], str]], ...] = (
    ("imports", check_imports),
    ("model families", check_model_families),
    ("app files", check_app_files),
    ("model cache", check_model_cache),
    ("hardware", check_hardware),
    ("cuda torch", check_cuda_torch),
    ("bitsandbytes", check_bitsandbytes),
    ("presets", check_presets),
    ("train demo", check_train),
    ("resume checkpoint", check_resume),
    ("predict demo", check_predict),
    ("export demo", check_export),
    ("gguf converter", check_gguf_converter),
    ("main window", check_main_window),
)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else repr(exc)
