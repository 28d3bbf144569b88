"""The GPU check's cases, each run in a process of its own by bench/gpu_check.py:

    python bench/gpu_cases.py CASE SPEC.json RESULT.json

A process per case keeps NVML's "used" reading honest (used minus the reading taken before this process
touched CUDA is this process's footprint, CUDA context included), and a crash or a hung kernel costs one
case, not the check. Cases:

- ``prepare``: random-weight model folders with the real architectures' shapes (bundled config.json files),
  the demo tokenizers, nothing downloaded. The 7B QLoRA rows use Qwen1.5-7B's real layer shapes with fewer
  layers; the check extrapolates per layer.
- ``memory``: one or more preset runs; peak ``torch.cuda.max_memory_reserved``, peak NVML used minus the
  idle reading, the estimator's figure for the same settings, samples/s.
- ``oom``: memory capped with ``torch.cuda.set_per_process_memory_fraction`` between the estimates of two
  micro-batches; the run must back off to a smaller micro-batch with the same effective batch and complete.
- ``guard``: the vram rule on real NVML readings: thresholds between the run's resting and in-step use.
- ``loss``: fp16, bf16 and QLoRA (NF4) runs whose loss must fall.

The ``gpu`` argument of every case is a ``RealGpu`` on a CUDA machine; the tests pass a ``FakeGpu`` and run
the same code on the CPU (session.run picks the CPU there), so everything but the readings is exercised.
"""
from __future__ import annotations

import gc
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEMO = ROOT / "resources" / "demo"
CONFIGS = ROOT / "resources" / "model_configs"
DATA = {"ner": DEMO / "ner_train.txt", "classify": DEMO / "cls_train.csv", "sft": DEMO / "chat_train.jsonl"}

# family -> (bundled config, transformers config class, auto class, tokenizer folder, save dtype)
FAMILIES: dict[str, tuple[str, str, str, str, str]] = {
    "bert-base-chinese": ("bert-base-chinese.json", "BertConfig", "AutoModel", "bert-tiny", "float32"),
    "roberta-large": ("roberta-large.json", "RobertaConfig", "AutoModel", "bert-tiny", "float32"),
    # gte-multilingual-base's "new" architecture is remote code (not available offline): a BERT encoder with
    # its widths, depth and 250k vocabulary stands in; its 8192 absolute positions are cut to 1024.
    "gte-shape-bert": ("gte-multilingual-base.json", "BertConfig", "AutoModel", "bert-tiny", "float32"),
    "smollm2-135m": ("smollm2-135m-instruct.json", "LlamaConfig", "AutoModelForCausalLM", "llama-tiny", "bfloat16"),
    "qwen1.5-7b": ("qwen1.5-7b-chat.json", "Qwen2Config", "AutoModelForCausalLM", "llama-tiny", "bfloat16"),
    # A small Qwen2 for the QLoRA loss run (4-bit needs widths that are multiples of the 64-value block).
    "qwen2-small": ("", "Qwen2Config", "AutoModelForCausalLM", "llama-tiny", "bfloat16"),
}
SMALL_QWEN2 = dict(hidden_size=256, intermediate_size=704, num_hidden_layers=4, num_attention_heads=4,
                   num_key_value_heads=2, max_position_embeddings=2048, tie_word_embeddings=False,
                   vocab_size=64, pad_token_id=0, bos_token_id=1, eos_token_id=7,   # the demo tokenizer: 40 tokens
                   initializer_range=0.1)   # random weights big enough that adapters can move the logits in 40 steps


def family_config(family: str, layers: int | None = None, tiny: bool = False) -> dict[str, Any]:
    """The config.json a prepared model gets: the bundled one (real shapes), with `layers` layers.

    `tiny` shrinks the widths for the CPU tests (the shapes that matter on the GPU are the real ones)."""
    file = FAMILIES[family][0]
    data = dict(json.loads((CONFIGS / file).read_text(encoding="utf-8"))) if file else {"model_type": "qwen2", **SMALL_QWEN2}
    for key in ("auto_map", "architectures", "torch_dtype", "dtype", "_name_or_path"):
        data.pop(key, None)
    if family == "gte-shape-bert":
        keep = ("hidden_size", "intermediate_size", "num_attention_heads", "num_hidden_layers", "vocab_size",
                "layer_norm_eps", "type_vocab_size")
        data = {k: data[k] for k in keep if k in data}
        data.update(model_type="bert", max_position_embeddings=1024)
    if family == "roberta-large":
        data["pad_token_id"] = 0   # the demo tokenizer pads with 0
    if layers is not None:
        data["num_hidden_layers"] = layers
        if "max_window_layers" in data:
            data["max_window_layers"] = layers
    if tiny:
        heads = 4
        data.update(hidden_size=64, intermediate_size=128, num_attention_heads=heads,
                    num_hidden_layers=layers or data["num_hidden_layers"])
        if "num_key_value_heads" in data:
            data["num_key_value_heads"] = heads
        data["vocab_size"] = min(data["vocab_size"], 4000)
    data["use_cache"] = False
    return data


# ---------------------------------------------------------------------- the GPU, real or scripted
class RealGpu:
    cuda = True

    def __init__(self, index: int = 0) -> None:
        import torch

        from core.machine.hardware import read_gpu_sensors

        self.torch, self.index, self._read = torch, index, read_gpu_sensors

    def nvml_used(self) -> int | None:
        return self._read(self.index).get("vram_used_bytes")

    def total(self) -> int:
        return int(self.torch.cuda.get_device_properties(0).total_memory)

    def reset_peak(self) -> None:
        gc.collect()
        self.torch.cuda.synchronize()
        self.torch.cuda.empty_cache()
        self.torch.cuda.reset_peak_memory_stats()

    def peak_reserved(self) -> int:
        return int(self.torch.cuda.max_memory_reserved())

    def peak_allocated(self) -> int:
        return int(self.torch.cuda.max_memory_allocated())

    def allocated(self) -> int:
        return int(self.torch.cuda.memory_allocated())

    def reserved(self) -> int:
        return int(self.torch.cuda.memory_reserved())

    def set_fraction(self, fraction: float) -> None:
        self.torch.cuda.set_per_process_memory_fraction(fraction, 0)


class FakeGpu:
    """Scripted readings for the CPU tests: a 16 GiB card whose use follows a counter."""
    cuda = False

    def __init__(self, total: int = 16 * 1024**3) -> None:
        self._total = total
        self.fractions: list[float] = []
        self.calls = 0

    def nvml_used(self) -> int | None:
        self.calls += 1
        return 600 * 1024**2 + (self.calls % 7) * 64 * 1024**2

    def total(self) -> int:
        return self._total

    def reset_peak(self) -> None:
        gc.collect()

    def peak_reserved(self) -> int:
        return 900 * 1024**2

    def peak_allocated(self) -> int:
        return 800 * 1024**2

    def allocated(self) -> int:
        return 300 * 1024**2

    def reserved(self) -> int:
        return 400 * 1024**2

    def set_fraction(self, fraction: float) -> None:
        self.fractions.append(fraction)


class NvmlPeak:
    """Reads NVML "used" every `interval_s` on a thread while the block runs; `peak` is the highest."""

    def __init__(self, gpu: Any, interval_s: float = 0.02) -> None:
        self.gpu, self.interval_s = gpu, interval_s
        self.peak: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="gpu-check-nvml", daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            used = self.gpu.nvml_used()
            if used is not None:
                self.peak = used if self.peak is None else max(self.peak, used)
            self._stop.wait(self.interval_s)

    def __enter__(self) -> NvmlPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


# ---------------------------------------------------------------------- prepare
def prepare(spec: dict[str, Any], gpu: Any) -> dict[str, Any]:
    """Save each requested model: {"models": [{"family", "layers"?, "folder"}], "tiny": bool}."""
    import torch
    import transformers
    from transformers import AutoTokenizer

    made = []
    for item in spec["models"]:
        family, folder = item["family"], Path(item["folder"])
        _, config_cls, auto_cls, tok_name, dtype_name = FAMILIES[family]
        started = time.monotonic()
        data = family_config(family, item.get("layers"), tiny=spec.get("tiny", False))
        config = getattr(transformers, config_cls)(**{k: v for k, v in data.items() if k != "model_type"})
        dtype = getattr(torch, dtype_name)
        torch.manual_seed(0)
        device = "cuda" if gpu.cuda else "cpu"
        with torch.device(device):   # random init on the GPU: seconds for the 2 B parameters of the 7B-shaped rows
            model = getattr(transformers, auto_cls).from_config(config, dtype=dtype)
        model.save_pretrained(folder)
        params = sum(p.numel() for p in model.parameters())
        del model
        gc.collect()
        if gpu.cuda:
            torch.cuda.empty_cache()
        tok = AutoTokenizer.from_pretrained(DEMO / tok_name)
        tok.model_max_length = 8192
        tok.save_pretrained(folder)
        made.append({"family": family, "folder": str(folder), "layers": config.num_hidden_layers, "params": params,
                     "seconds": round(time.monotonic() - started, 1)})
    return {"models": made}


# ---------------------------------------------------------------------- one measured run
def _config(preset: str, model: str, overrides: dict[str, Any]):
    from core.config.presets import resolve

    task = _preset_task(preset)
    base = {"model.name_or_path": model, "model.config_file": None, "model.trust_remote_code": False,
            "model.init_from_scratch": False, "data.train": str(DATA[task]), "data.eval": None,
            "data.eval_fraction": 0.0, "training.logging_steps": 1, "training.save_steps": 100000,
            "training.eval_steps": None}
    return resolve(preset, env={}, dotenv=None, overrides={**base, **overrides})


def _preset_task(preset: str) -> str:
    from core.config.presets import load_preset

    return load_preset(preset).task


def run_measured(preset: str, model: str, overrides: dict[str, Any], gpu: Any, run_dir: Path, *,
                 faults: Any = None, fixed_padding: bool = True, on_event: Callable[[Any], None] | None = None,
                 idle: int | None = None) -> dict[str, Any]:
    """Train once through core.train.session.run and measure it."""
    from core.record.events import Backoff, GuardAction, Log
    from core.train.session import run

    resolved = _config(preset, model, overrides)
    cfg = resolved.config
    logs: list[tuple[float, int, float]] = []
    backoffs: list[dict[str, Any]] = []
    guard: list[dict[str, Any]] = []

    def emit(event: Any) -> None:
        if isinstance(event, Log) and event.loss is not None:
            logs.append((time.perf_counter(), event.step, float(event.loss)))
        elif isinstance(event, Backoff):
            backoffs.append({"reason": event.reason, "changes": event.changes, "message": event.message})
        elif isinstance(event, GuardAction):
            guard.append({"action": event.action, "rule": event.rule, "value": event.value, "threshold": event.threshold})
        if on_event is not None:
            on_event(event)

    gpu.reset_peak()
    idle = gpu.nvml_used() if idle is None else idle
    with NvmlPeak(gpu) as nvml:
        summary = run(cfg, emit, run_dir=run_dir, preset_path=resolved.preset_path, sources=resolved.sources,
                      faults=faults, fixed_padding=fixed_padding)
    fc = summary.get("final_config") or {}
    eff = int(fc.get("batch_size", cfg.training.batch_size)) * int(fc.get("grad_accum", cfg.training.grad_accum))
    return {
        "preset": preset, "status": summary["status"], "message": summary.get("message", ""),
        "steps": summary.get("global_step"), "batch_size": cfg.training.batch_size, "grad_accum": cfg.training.grad_accum,
        "seq_len": cfg.training.max_seq_length, "precision": cfg.memory.precision,
        "final_config": fc, "effective_batch": eff,
        "peak_reserved_bytes": gpu.peak_reserved(), "nvml_idle_bytes": idle, "nvml_peak_bytes": nvml.peak,
        "nvml_delta_bytes": None if nvml.peak is None or idle is None else nvml.peak - idle,
        "samples_per_s": samples_per_s(logs, cfg.training.batch_size * cfg.training.grad_accum),
        "losses": [loss for _, _, loss in logs], "backoffs": backoffs, "guard": guard, "run_dir": str(run_dir),
        "_config": cfg,
    }


def samples_per_s(logs: list[tuple[float, int, float]], effective_batch: int, skip: int = 1) -> float | None:
    """Samples a second between the Log of step `skip` (after the warm-up step) and the last Log."""
    if len(logs) <= skip + 1:
        return None
    (t0, s0, _), (t1, s1, _) = logs[skip], logs[-1]
    return round((s1 - s0) * effective_batch / (t1 - t0), 2) if t1 > t0 else None


def _estimate(cfg: Any, model_config: dict[str, Any]) -> Any:
    from core.memory.estimate import estimate, settings_from_config

    return estimate(model_config, settings_from_config(cfg, "cuda"))


# ---------------------------------------------------------------------- cases
def memory(spec: dict[str, Any], gpu: Any) -> dict[str, Any]:
    """{"runs": [{"label", "preset", "model", "family", "layers", "overrides", "full_layers"?}], "work"}"""
    idle = gpu.nvml_used()   # before this process touched CUDA: what the machine uses without us
    rows = []
    for i, item in enumerate(spec["runs"]):
        try:
            result = run_measured(item["preset"], item["model"], item.get("overrides", {}), gpu,
                                  Path(spec["work"]) / f"memory-{item['label']}-{i}", idle=idle)
            cfg = result.pop("_config")
            model_config = json.loads((Path(item["model"]) / "config.json").read_text(encoding="utf-8"))
            est = _estimate(cfg, model_config)
            result.update(label=item["label"], family=item.get("family"), layers=model_config.get("num_hidden_layers"),
                          estimate_bytes=est.peak_bytes, estimate_context_bytes=int(est.breakdown.get("cuda_context", 0)))
            if item.get("full_layers"):
                full = family_config(item["family"], item["full_layers"])
                result["full_layers"] = item["full_layers"]
                result["estimate_full_bytes"] = _estimate(cfg, full).peak_bytes
        except Exception as exc:  # noqa: BLE001 - one failed row must not lose the others
            result = {"label": item["label"], "preset": item["preset"], "status": "error", "message": f"{type(exc).__name__}: {exc}"}
        rows.append(result)
    return {"rows": rows}


def oom(spec: dict[str, Any], gpu: Any) -> dict[str, Any]:
    """Cap memory between the estimates of micro-batch B and B/2: the run must back off and complete."""
    from core.train.session import Faults

    overrides = dict(spec["overrides"])
    resolved = _config(spec["preset"], spec["model"], overrides)
    cfg = resolved.config
    model_config = json.loads((Path(spec["model"]) / "config.json").read_text(encoding="utf-8"))
    big = _estimate(cfg, model_config)
    half_cfg = cfg.model_copy(update={"training": cfg.training.model_copy(update={"batch_size": cfg.training.batch_size // 2})})
    half = _estimate(half_cfg, model_config)
    context = big.breakdown.get("cuda_context", 0)
    cap = int((big.peak_bytes + half.peak_bytes) / 2 - context)
    fraction = cap / gpu.total()
    gpu.set_fraction(fraction)
    faults = None if gpu.cuda else Faults(oom_at_step=2)   # the CPU tests: a real torch.OutOfMemoryError at step 2
    result = run_measured(spec["preset"], spec["model"], overrides, gpu, Path(spec["work"]) / "oom", faults=faults)
    result.pop("_config")
    start_eff = cfg.training.batch_size * cfg.training.grad_accum
    ok = (result["status"] == "completed" and any(b["reason"] == "oom" for b in result["backoffs"])
          and result["effective_batch"] == start_eff and result["final_config"].get("batch_size", 0) < cfg.training.batch_size)
    result.update(cap_bytes=cap, fraction=round(fraction, 5), estimate_bytes=big.peak_bytes,
                  estimate_half_bytes=half.peak_bytes, start_effective_batch=start_eff, ok=ok)
    return result


def guard_thresholds(total: int, base: int, resting: int, peak: int) -> tuple[float, float]:
    """vram pause/resume shares between the run's resting use (between steps) and its in-step peak.

    `base` is what NVML counts beyond this process's live tensors and cache (CUDA context, other
    programs); the guard's "in use" is base + allocated. Pause half-way up, resume near the rest."""
    span = max(peak - resting, 1)
    pause = (base + resting + 0.5 * span) / total
    resume = (base + resting + 0.15 * span) / total
    return round(pause, 6), round(min(resume, pause - 1e-6), 6)


def guard(spec: dict[str, Any], gpu: Any) -> dict[str, Any]:
    """Calibrate on a short run, then run with the vram thresholds just under the run's own in-step use."""
    from core.record.events import Log

    resting: list[int] = []
    bases: list[int] = []

    def on_event(event: Any) -> None:
        if isinstance(event, Log):   # sent between optimizer steps: activations are gone
            used = gpu.nvml_used()
            resting.append(gpu.allocated())
            if used is not None:
                bases.append(used - gpu.reserved())

    calib = run_measured(spec["preset"], spec["model"], {**spec["overrides"], "training.max_steps": 3}, gpu,
                         Path(spec["work"]) / "guard-calibration", on_event=on_event)
    calib.pop("_config")
    peak = gpu.peak_allocated()
    rest = int(statistics.median(resting)) if resting else 0
    base = int(statistics.median(bases)) if bases else 0
    pause, resume = guard_thresholds(gpu.total(), base, rest, peak)
    overrides = {**spec["overrides"], "guard.vram_pause_frac": pause, "guard.vram_resume_frac": resume,
                 "guard.sample_interval_s": spec.get("sample_interval_s", 0.05), "guard.max_pause_minutes": 1.0}
    faults = None
    if not gpu.cuda:   # the CPU tests: no NVML, so a replay trace crosses the thresholds instead
        from core.train.session import Faults

        faults = Faults(sensor_trace=spec["trace"])
    result = run_measured(spec["preset"], spec["model"], overrides, gpu, Path(spec["work"]) / "guard", faults=faults)
    result.pop("_config")
    verdict = guard_verdict(Path(result["run_dir"]) / "events.jsonl")
    result.update(calibration={"resting_allocated_bytes": rest, "peak_allocated_bytes": peak, "base_bytes": base,
                               "total_bytes": gpu.total()},
                  vram_pause_frac=pause, vram_resume_frac=resume, **verdict)
    return result


def guard_verdict(events_path: Path) -> dict[str, Any]:
    """Pauses and resumes by the vram rule, and whether the readings behind them came from NVML."""
    events = [json.loads(line) for line in events_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    actions = [e for e in events if e.get("type") == "guard" and e.get("rule") == "vram"]
    pauses = [e for e in actions if e["action"] == "pause"]
    resumes = [e for e in actions if e["action"] == "resume"]
    samples = [e for e in events if e.get("type") == "sample" and e.get("vram_used_bytes") is not None]
    nvml = [e for e in samples if "vram_used_frac" not in (e.get("simulated") or [])]
    statuses = [e.get("status") for e in events if e.get("type") == "status"]
    return {"pauses": len(pauses), "resumes": len(resumes), "nvml_samples": len(nvml), "samples": len(samples),
            "first_pause": pauses[0] if pauses else None, "first_resume": resumes[0] if resumes else None,
            "paused_statuses": statuses.count("paused"), "ok": bool(pauses and resumes and nvml)}


def loss(spec: dict[str, Any], gpu: Any) -> dict[str, Any]:
    """{"runs": [{"label", "preset", "model", "overrides"}]}: each loss must fall."""
    rows = []
    for i, item in enumerate(spec["runs"]):
        try:
            result = run_measured(item["preset"], item["model"], item.get("overrides", {}), gpu,
                                  Path(spec["work"]) / f"loss-{item['label']}-{i}", fixed_padding=False)
            result.pop("_config")
            result.update(label=item["label"], **loss_falls(result["losses"]))
            result["ok"] = result["status"] == "completed" and result["falls"]
        except Exception as exc:  # noqa: BLE001
            result = {"label": item["label"], "preset": item["preset"], "status": "error", "ok": False,
                      "message": f"{type(exc).__name__}: {exc}"}
        rows.append(result)
    return {"rows": rows}


def loss_falls(losses: list[float], window: int = 5) -> dict[str, Any]:
    """The mean of the first and last `window` logged losses; falls when the last is 10 % lower and finite."""
    if len(losses) < 2 * window:
        return {"first_loss": None, "last_loss": None, "falls": False}
    first, last = statistics.fmean(losses[:window]), statistics.fmean(losses[-window:])
    ok = all(x == x and abs(x) != float("inf") for x in losses) and last < 0.9 * first
    return {"first_loss": round(first, 4), "last_loss": round(last, 4), "falls": ok}


CASES: dict[str, Callable[[dict[str, Any], Any], dict[str, Any]]] = {
    "prepare": prepare, "memory": memory, "oom": oom, "guard": guard, "loss": loss}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3 or args[0] not in CASES:
        print(f"usage: gpu_cases.py {{{','.join(CASES)}}} SPEC.json RESULT.json", file=sys.stderr)
        return 2
    case, spec_path, out_path = args
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    alloc = spec.get("alloc_conf", "expandable_segments:True")   # the presets' default, set before CUDA starts
    if alloc:
        os.environ.setdefault("PYTORCH_CUDA_ALLOC_CONF", alloc)
    else:
        os.environ.pop("PYTORCH_CUDA_ALLOC_CONF", None)
    gpu = FakeGpu() if spec.get("fake_gpu") else RealGpu(spec.get("gpu_index", 0))
    started = time.monotonic()
    result = CASES[case](spec, gpu)
    result["seconds"] = round(time.monotonic() - started, 1)
    Path(out_path).write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
