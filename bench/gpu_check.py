"""The GPU check: one prepared command for a CUDA machine that is lent for minutes, with no network.

    make gpu-check                      # = python3 bench/gpu_check.py (the machine's own Python and torch)
    python3 bench/gpu_check.py --out DIR --budget-s 470

It measures, in at most ~8 minutes and without downloads: for every seed preset (random weights with the
real architectures' shapes) the peak memory next to `laptune estimate`'s figure; the 7B QLoRA presets on
Qwen1.5-7B's real layer shapes with 2 and 4 layers, extrapolated per layer to 32; a real out-of-memory
back-off; the guard's vram rule on real NVML readings; fp16, bf16 and QLoRA runs whose loss falls; and
samples/s per preset. It prints a Markdown table and writes DIR/gpu_check.json (schema below) and
DIR/gpu_check.md.

What the machine lacks (pytorch-crf, bitsandbytes, pydantic) travels as wheels that
`make gpu-wheels` puts in .gpu-wheels/; they are installed with `pip install --no-index --no-deps --target
.gpu-deps` (or unpacked, where pip is missing) before anything runs. Without a CUDA GPU the check says so
and exits with status 2 within seconds.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
WHEELS = ROOT / ".gpu-wheels"
DEPS = ROOT / ".gpu-deps"
GIB = 1024**3
SCHEMA_VERSION = 1
EXIT_NO_CUDA = 2
# Importable names the check needs, and the wheel that brings each where the machine lacks it.
NEEDED = {"torch": None, "transformers": None, "accelerate": None, "peft": None, "safetensors": None,
          "yaml": None, "psutil": None, "pynvml": None, "torchcrf": "pytorch_crf", "bitsandbytes": "bitsandbytes",
          "pydantic": "pydantic"}
QWEN_LAYERS = (2, 4)      # measured; extrapolated per layer to the real model's 32
QWEN_FULL_LAYERS = 32
STEPS = 6                 # optimizer steps per memory row: the peak is reached in the first, samples/s after it

# seed preset -> the prepared model family it runs on (random weights, the real shapes)
SEED_PRESETS: dict[str, str] = {
    "ner-bert-crf-4gb": "bert-base-chinese", "ner-bert-crf-4gb-bs1": "bert-base-chinese",
    "ner-bert-crf-4gb-bs4": "bert-base-chinese", "ner-bert-crf-4gb-bs8": "bert-base-chinese",
    "ner-bert-crf-cpu": "bert-base-chinese", "cls-low-memory": "bert-base-chinese", "cls-safe": "bert-base-chinese",
    "cls-cpu": "bert-base-chinese", "cls-full": "roberta-large", "encoder-mlp-gte": "gte-shape-bert",
    "sft-smollm2-8gb": "smollm2-135m", "sft-smollm2-8gb-aggressive": "smollm2-135m", "sft-smollm2-cpu": "smollm2-135m",
    "qlora-qwen-7b-16gb": "qwen1.5-7b", "qlora-qwen-7b-12gb": "qwen1.5-7b",
}


# ---------------------------------------------------------------------- CUDA and dependencies
def cuda_status(python: str = sys.executable, timeout_s: float = 60) -> tuple[bool, str]:
    """(True, device name) or (False, why), asked of a fresh `python` so this process stays free of CUDA."""
    code = ("import json,sys\ntry:\n import torch\nexcept Exception as e:\n print(json.dumps([False,'PyTorch cannot be imported: '+str(e)]));sys.exit()\n"
            "ok=torch.cuda.is_available()\nprint(json.dumps([ok, torch.cuda.get_device_name(0) if ok else "
            "'PyTorch '+torch.__version__+' sees no CUDA GPU (CUDA build: '+str(torch.version.cuda)+')']))")
    try:
        out = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=timeout_s)
        ok, text = json.loads(out.stdout.strip().splitlines()[-1])
        return bool(ok), str(text)
    except (subprocess.TimeoutExpired, ValueError, IndexError, OSError) as exc:
        return False, f"could not ask PyTorch about CUDA ({exc})"


def missing_modules(names: list[str] | None = None) -> list[str]:
    return [n for n in (names or list(NEEDED)) if importlib.util.find_spec(n) is None]


def install_wheels(wheels: Path, target: Path, run: Callable[..., Any] = subprocess.run) -> list[str]:
    """Install every wheel in `wheels` into `target` without the network or dependencies; returns their names.

    pip where the machine has it; otherwise a wheel is a zip whose root (and *.data/purelib|platlib) is what
    site-packages gets, so it is unpacked."""
    files = sorted(wheels.glob("*.whl"))
    if not files:
        return []
    target.mkdir(parents=True, exist_ok=True)
    has_pip = importlib.util.find_spec("pip") is not None
    if has_pip:
        run([sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", "--upgrade", "--target",
             str(target), *map(str, files)], check=True)
    else:
        for wheel in files:
            unpack_wheel(wheel, target)
    return [f.name for f in files]


def unpack_wheel(wheel: Path, target: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            parts = name.split("/")
            if parts[0].endswith(".data"):
                if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                    continue   # scripts, headers: not needed to import
                parts = parts[2:]
            dest = target.joinpath(*parts)
            if name.endswith("/"):
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(zf.read(name))


# ---------------------------------------------------------------------- the plan
@dataclass
class Case:
    name: str            # prepare | memory | oom | guard | loss
    label: str
    spec: dict[str, Any]
    timeout_s: float


def qwen_folder(work: Path, layers: int) -> Path:
    return work / "models" / f"qwen1.5-7b-{layers}l"


def plan(work: Path, tiny: bool = False, presets: list[str] | None = None) -> list[Case]:
    """The cases in the order they run: the cheap and decisive ones first, the 7B-shaped rows last."""
    models = work / "models"
    folder = {fam: models / fam for fam in set(SEED_PRESETS.values()) | {"qwen2-small"} if fam != "qwen1.5-7b"}
    chosen = presets or list(SEED_PRESETS)
    needed = {SEED_PRESETS[p] for p in chosen}
    prep = [{"family": fam, "folder": str(folder[fam])} for fam in sorted(needed - {"qwen1.5-7b"})]
    prep += [{"family": "qwen2-small", "folder": str(folder["qwen2-small"])}, {"family": "smollm2-135m", "folder": str(folder["smollm2-135m"])}]
    if "qwen1.5-7b" in needed:
        prep += [{"family": "qwen1.5-7b", "layers": n, "folder": str(qwen_folder(work, n))} for n in QWEN_LAYERS]
    prep = list({p["folder"]: p for p in prep}.values())
    common = {"work": str(work), "tiny": tiny}
    cases = [Case("prepare", "models", {**common, "models": prep}, 240)]

    demo = str(ROOT / "resources" / "demo" / "llama-tiny")
    steps = {"training.max_steps": 40, "training.num_epochs": 100, "training.logging_steps": 1}
    qlora = {**steps, "training.batch_size": 8, "training.grad_accum": 1, "training.max_seq_length": 256,
             "training.learning_rate": 1e-2, "lora.rank": 16}   # random base: loss 4.3 -> 2.8 in 40 steps (CPU, fp32 LoRA)
    loss_runs = [{"label": "fp16", "preset": "demo-sft", "model": demo, "overrides": {**steps, "memory.precision": "fp16",
                                                                                    "model.init_from_scratch": True}},
                 {"label": "bf16", "preset": "demo-sft", "model": demo, "overrides": {**steps, "memory.precision": "bf16",
                                                                                    "model.init_from_scratch": True}},
                 {"label": "qlora-nf4", "preset": "qlora-qwen-7b-16gb", "model": str(folder["qwen2-small"]), "overrides": qlora}]
    cases.append(Case("loss", "fp16, bf16, QLoRA", {**common, "runs": loss_runs}, 150))

    smol = str(folder["smollm2-135m"])
    heavy = {"training.batch_size": 8, "training.grad_accum": 2, "training.max_seq_length": 1024,
             "memory.gradient_checkpointing": False, "memory.precision": "fp16", "training.max_steps": STEPS,
             "training.optimizer": "adamw"}
    # The classic allocator under the cap: how set_per_process_memory_fraction combines with expandable
    # segments has varied between PyTorch releases, and the check must not depend on it.
    cases.append(Case("oom", "out-of-memory back-off", {**common, "preset": "sft-smollm2-8gb", "model": smol,
                                                        "alloc_conf": "", "overrides": {**heavy, "memory.cuda_alloc_conf": None}},
                      120))
    guard_over = {**heavy, "training.max_steps": 12, "training.max_seq_length": 2048}
    cases.append(Case("guard", "vram rule on NVML", {**common, "preset": "sft-smollm2-8gb", "model": smol,
                                                     "overrides": guard_over}, 120))

    groups: dict[str, list[dict[str, Any]]] = {}
    for preset in chosen:
        fam = SEED_PRESETS[preset]
        over = {"training.max_steps": STEPS, "training.grad_accum": 2, "device.use_cpu": False}
        if fam == "qwen1.5-7b":
            for n in QWEN_LAYERS:
                groups.setdefault(f"qwen-{n}", []).append(
                    {"label": f"{preset}@{n}l", "preset": preset, "model": str(qwen_folder(work, n)), "family": fam,
                     "layers": n, "overrides": over, "full_layers": QWEN_FULL_LAYERS})
        else:
            groups.setdefault(fam, []).append({"label": preset, "preset": preset, "model": str(folder[fam]),
                                               "family": fam, "overrides": over})
    # The 7B-shaped rows first: they are the ones no other machine can measure.
    for name, runs in sorted(groups.items(), key=lambda item: not item[0].startswith("qwen")):
        cases.append(Case("memory", name, {**common, "runs": runs}, 60 + 25 * len(runs)))
    return cases


# ---------------------------------------------------------------------- running the cases
def run_case(case: Case, work: Path, timeout_s: float, env: dict[str, str]) -> dict[str, Any]:
    spec_path = work / f"{case.name}-{case.label.replace(' ', '_').replace(',', '')}.spec.json"
    out_path = spec_path.with_suffix("").with_suffix(".result.json")
    spec_path.write_text(json.dumps(case.spec), encoding="utf-8")
    log_path = spec_path.with_suffix("").with_suffix(".log")
    started = time.monotonic()
    try:
        with open(log_path, "w", encoding="utf-8") as log:
            proc = subprocess.run([sys.executable, str(ROOT / "bench" / "gpu_cases.py"), case.name, str(spec_path),
                                   str(out_path)], stdout=log, stderr=subprocess.STDOUT, timeout=timeout_s, env=env)
        if proc.returncode != 0 or not out_path.exists():
            tail = log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-8:]
            return {"error": f"exit {proc.returncode}", "log_tail": tail, "seconds": round(time.monotonic() - started, 1)}
        return json.loads(out_path.read_text(encoding="utf-8"))
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout_s:.0f} s", "seconds": round(time.monotonic() - started, 1)}


def execute(cases: list[Case], work: Path, budget_s: float, env: dict[str, str],
            runner: Callable[[Case, Path, float, dict[str, str]], dict[str, Any]] = run_case,
            clock: Callable[[], float] = time.monotonic, say: Callable[[str], None] = print) -> dict[str, list[Any]]:
    """Run the cases in order within `budget_s`; a case that cannot start in time is listed as skipped."""
    deadline = clock() + budget_s
    results: dict[str, list[Any]] = {"prepare": [], "memory": [], "oom": [], "guard": [], "loss": [], "skipped": [], "errors": []}
    for case in cases:
        left = deadline - clock()
        if left < 20:
            results["skipped"].append({"case": case.name, "label": case.label, "reason": f"time budget ({budget_s:.0f} s) spent"})
            continue
        say(f"[gpu-check] {case.name}: {case.label} (up to {min(case.timeout_s, left):.0f} s)")
        res = runner(case, work, min(case.timeout_s, left), env)
        if "error" in res:
            results["errors"].append({"case": case.name, "label": case.label, **res})
            if case.name == "prepare":
                break   # nothing else can run without the models
            continue
        results[case.name].append(res)
    return results


# ---------------------------------------------------------------------- the report
def extrapolate(points: list[tuple[int, float]], full_layers: int) -> tuple[float, float]:
    """(per-layer bytes, bytes at `full_layers`) from measurements at different layer counts (least squares)."""
    if len({n for n, _ in points}) < 2:
        raise ValueError("extrapolating per layer needs measurements at two layer counts at least")
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    slope = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)
    return slope, my + slope * (full_layers - mx)


def error(estimate: float | None, measured: float | None) -> float | None:
    """(estimate - measured) / measured: positive when the estimator over-estimates."""
    if estimate is None or not measured:
        return None
    return (estimate - measured) / measured


def memory_rows(results: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Every measured row, plus one extrapolated row per preset measured at several layer counts."""
    rows = [r for group in results["memory"] for r in group["rows"]]
    out: list[dict[str, Any]] = []
    by_preset: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r.get("full_layers") and r.get("status") == "completed":
            by_preset.setdefault(r["preset"], []).append(r)
        out.append({**r, "kind": "measured"})
    for preset, measured in by_preset.items():
        if len({r["layers"] for r in measured}) < 2:
            continue
        full = measured[0]["full_layers"]
        row: dict[str, Any] = {"preset": preset, "label": f"{preset} (extrapolated)", "kind": "extrapolated",
                               "layers": full, "from_layers": sorted(r["layers"] for r in measured),
                               "estimate_bytes": measured[0]["estimate_full_bytes"], "status": "completed",
                               "estimate_context_bytes": measured[0].get("estimate_context_bytes", 0),
                               "samples_per_s": None}
        for key in ("peak_reserved_bytes", "nvml_delta_bytes"):
            pts = [(r["layers"], r[key]) for r in measured if r.get(key) is not None]
            if len({n for n, _ in pts}) >= 2:
                per_layer, total = extrapolate(pts, full)
                row[key] = int(total)
                row[key.replace("_bytes", "_per_layer_bytes")] = int(per_layer)
            else:
                row[key] = None
        out.append(row)
    for r in out:
        ctx = r.get("estimate_context_bytes") or 0
        r["error_vs_nvml"] = error(r.get("estimate_bytes"), r.get("nvml_delta_bytes"))
        est = r.get("estimate_bytes")
        r["error_vs_reserved"] = error(est - ctx if est is not None else None, r.get("peak_reserved_bytes"))
    return out


def _gib(value: float | None) -> str:
    return "-" if value is None else f"{value / GIB:.2f} GiB"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:+.0%}"


def markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = ["## GPU check", "",
             f"`make gpu-check` on {m.get('gpu', '?')} ({_gib(m.get('total_bytes'))}), torch {m.get('torch', '?')}, "
             f"transformers {m.get('transformers', '?')}, Python {m.get('python', '?')}; {report['seconds']:.0f} s.",
             "Random weights with the real architectures' shapes, fixed padding to max_seq_length, "
             f"{STEPS} optimizer steps per row. Error = (estimate - measured) / measured; the NVML column is used "
             "minus the idle reading (CUDA context included, as in the estimate); the reserved column is compared "
             "with the estimate less its CUDA context term.", "",
             "| preset | layers | torch peak reserved | NVML used - idle | estimate | error vs NVML | error vs reserved | samples/s |",
             "|---|---|---|---|---|---|---|---|"]
    for r in report["memory"]:
        if r.get("status") != "completed":
            lines.append(f"| {r['label']} | - | {r.get('status')}: {str(r.get('message', ''))[:80]} | | | | | |")
            continue
        layers = str(r.get("layers", "-"))
        if r["kind"] == "extrapolated":
            per = r.get("peak_reserved_per_layer_bytes")
            layers = f"{r['layers']} (extrapolated from {' and '.join(map(str, r['from_layers']))}; {_gib(per)} a layer)"
        sps = r.get("samples_per_s")
        lines.append(f"| {r['label']} | {layers} | {_gib(r.get('peak_reserved_bytes'))} | {_gib(r.get('nvml_delta_bytes'))} | "
                     f"{_gib(r.get('estimate_bytes'))} | {_pct(r.get('error_vs_nvml'))} | {_pct(r.get('error_vs_reserved'))} | "
                     f"{'-' if sps is None else f'{sps:g}'} |")
    lines += ["", "| check | result | details |", "|---|---|---|"]
    for o in report["oom"]:
        steps = "; ".join(b["message"] for b in o.get("backoffs", []))
        lines.append(f"| OOM back-off (cap {_gib(o.get('cap_bytes'))}) | {'ok' if o.get('ok') else 'FAILED'} | "
                     f"{o.get('status')}, micro-batch {o.get('batch_size')} -> {o.get('final_config', {}).get('batch_size')}, "
                     f"effective batch {o.get('start_effective_batch')} -> {o.get('effective_batch')}; {steps} |")
    for g in report["guard"]:
        lines.append(f"| guard vram rule (pause {g.get('vram_pause_frac', 0):.2%}, resume {g.get('vram_resume_frac', 0):.2%}) | "
                     f"{'ok' if g.get('ok') else 'FAILED'} | {g.get('pauses')} pauses, {g.get('resumes')} resumes, "
                     f"{g.get('nvml_samples')} NVML samples, run {g.get('status')} |")
    for row in report["loss"]:
        lines.append(f"| loss falls: {row['label']} | {'ok' if row.get('ok') else 'FAILED'} | "
                     f"{row.get('status')}, loss {row.get('first_loss')} -> {row.get('last_loss')} (mean of the first and last 5 logs) |")
    for s in report["skipped"]:
        lines.append(f"| {s['case']}: {s['label']} | not run | {s['reason']} |")
    for e in report["errors"]:
        lines.append(f"| {e['case']}: {e['label']} | ERROR | {e['error']}: {' / '.join(e.get('log_tail', [])[-2:])[:200]} |")
    return "\n".join(lines) + "\n"


def build_report(results: dict[str, list[Any]], machine: dict[str, Any], seconds: float) -> dict[str, Any]:
    loss_rows = [r for group in results["loss"] for r in group["rows"]]
    report = {"schema": SCHEMA_VERSION, "machine": machine, "seconds": round(seconds, 1),
              "memory": memory_rows(results), "oom": results["oom"], "guard": results["guard"], "loss": loss_rows,
              "skipped": results["skipped"], "errors": results["errors"]}
    report["ok"] = (not report["errors"] and not report["skipped"] and all(o.get("ok") for o in report["oom"])
                    and all(g.get("ok") for g in report["guard"]) and all(r.get("ok") for r in loss_rows)
                    and all(r.get("status") == "completed" for r in report["memory"]) and bool(report["memory"]))
    return report


# The JSON file's shape: key -> type, for every top-level key and every memory row (tests check it).
REPORT_KEYS = {"schema": int, "machine": dict, "seconds": float, "memory": list, "oom": list, "guard": list,
               "loss": list, "skipped": list, "errors": list, "ok": bool}
MEMORY_ROW_KEYS = {"preset": str, "label": str, "kind": str, "status": str, "layers": int,
                   "peak_reserved_bytes": (int, type(None)), "nvml_delta_bytes": (int, type(None)),
                   "estimate_bytes": int, "error_vs_nvml": (float, type(None)),
                   "error_vs_reserved": (float, type(None)), "samples_per_s": (float, int, type(None))}


def schema_problems(report: dict[str, Any]) -> list[str]:
    problems = [f"{k}: expected {t.__name__}" for k, t in REPORT_KEYS.items() if not isinstance(report.get(k), t)]
    for i, row in enumerate(report.get("memory") or []):
        if row.get("status") != "completed":
            continue
        problems += [f"memory[{i}].{k}: expected {t}" for k, t in MEMORY_ROW_KEYS.items() if not isinstance(row.get(k), t)]
    return problems


def machine_info() -> dict[str, Any]:
    code = ("import json,platform,torch,transformers;p=torch.cuda.get_device_properties(0);"
            "print(json.dumps({'gpu':p.name,'total_bytes':p.total_memory,'torch':torch.__version__,'cuda':torch.version.cuda,"
            "'transformers':transformers.__version__,'python':platform.python_version()}))")
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        return json.loads(out.stdout.strip().splitlines()[-1])
    except (subprocess.TimeoutExpired, ValueError, IndexError, OSError):
        return {"python": platform.python_version()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "gpu-check-results", help="folder for gpu_check.json and .md")
    parser.add_argument("--budget-s", type=float, default=450, help="time for the cases (the whole check stays under 8 min)")
    parser.add_argument("--work", type=Path, help="scratch folder for models and runs (default: a temporary one)")
    parser.add_argument("--presets", nargs="*", help="only these seed presets (default: all)")
    args = parser.parse_args(argv)
    started = time.monotonic()

    ok, what = cuda_status()
    if not ok:
        print(f"gpu-check: no CUDA GPU here: {what}. The check needs an NVIDIA GPU with a CUDA build of PyTorch; "
              "nothing was run.", file=sys.stderr)
        return EXIT_NO_CUDA
    print(f"[gpu-check] CUDA GPU: {what}")
    env = dict(os.environ)
    lacking = [n for n in missing_modules() if NEEDED[n]]
    if lacking:
        installed = install_wheels(WHEELS, DEPS)
        print(f"[gpu-check] installed {len(installed)} wheels into {DEPS} for {', '.join(lacking)}")
    paths = [str(DEPS), str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_DATASETS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    sys.path[:0] = [str(DEPS)]
    still = [n for n in missing_modules() if n in NEEDED]
    if still:
        print(f"gpu-check: still missing after the wheels: {', '.join(still)}; run `make gpu-wheels` where there is "
              "network and bring .gpu-wheels/ along", file=sys.stderr)
        return 1

    work = args.work or Path(tempfile.mkdtemp(prefix="laptune-gpu-check-"))
    work.mkdir(parents=True, exist_ok=True)
    results = execute(plan(work, presets=args.presets), work, args.budget_s - (time.monotonic() - started), env)
    report = build_report(results, machine_info(), time.monotonic() - started)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "gpu_check.json").write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    text = markdown(report)
    (args.out / "gpu_check.md").write_text(text, encoding="utf-8")
    print(text)
    problems = schema_problems(report)
    if problems:
        print("gpu-check: report schema: " + "; ".join(problems), file=sys.stderr)
    print(f"[gpu-check] {'all checks passed' if report['ok'] else 'some checks FAILED'}; {args.out / 'gpu_check.json'}")
    return 0 if report["ok"] and not problems else 1


if __name__ == "__main__":
    raise SystemExit(main())
