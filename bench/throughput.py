"""Training throughput: our defaults (dynamic padding + length-grouped batches) vs the seeds' way
(every batch padded to max_seq_length, random batches), same data, same steps, one process.

    .venv/bin/python bench/throughput.py                 # NER and SFT, 2 interleaved repetitions
    .venv/bin/python bench/throughput.py --tasks ner --reps 3 --breakdown

For each task it builds data with a generator (mostly short samples with a long tail) and a small
random-weight model under a temporary folder, then trains each configuration through
``core.train.session.run`` for the same number of optimizer steps: exactly one epoch (or --epochs), so
every configuration trains on every sample equally often. Configurations run interleaved (A B, B A, ...) so a
change in machine load hits both; the ratio of each pair is taken, and the median pair is printed.

- NER: preset ``ner-bert-crf-cpu`` (batch 8 x accumulation 2) with a 4-layer BERT (hidden 256) + CRF,
  max_seq_length 128, sentences of ~10-60 characters with a 10 % tail of 60-180.
- SFT: preset ``sft-smollm2-cpu`` (batch 1 x accumulation 16) with a 4-layer Llama (hidden 256, 8k
  vocabulary), max_seq_length 512, conversations of 20-700 tokens (median ~150).

Both presets get the same overrides in both configurations: the model and data, learning rates for
random weights, max_steps, and evaluation/saving only at the last step. Throughput is samples per
second of training from Trainer's start to the last step's log (evaluation and saving excluded);
samples per CPU-second is printed beside it because it is less sensitive to other work on a shared
machine. The eval metric of each configuration shows that quality is unchanged; seeds and ours are
also trained with --metric-seeds other training seeds (metric only), so the difference between them
can be read against how much the metric moves from seed to seed anyway.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (PadCounter, RunResult, make_ner, make_sft, median, percentiles, quiet_logging,  # noqa: E402
                          resolve_config, timed_run)

# name -> (fixed_padding, group_by_length)
CONFIGS = {
    "seeds": (True, False),          # the seeds' way: pad to max_seq_length, random batches
    "dynamic": (False, False),       # dynamic padding only (--breakdown)
    "ours": (False, True),           # LapTune's defaults: dynamic padding + length-grouped batches
}


def task_setup(task: str, folder: Path, steps: int, epochs: int = 1) -> tuple[str, dict, str, bool]:
    """(preset, overrides, eval metric key, higher is better)."""
    common = {"training.max_steps": steps, "training.logging_steps": steps // 2 if steps % 2 == 0 else steps,
              "training.eval_steps": steps, "training.save_steps": steps, "training.save_total_limit": 1}
    if task == "ner":
        per_step = 8 * 2
        paths = make_ner(folder, n_train=steps * per_step // epochs, n_eval=400)
        return "ner-bert-crf-cpu", {
            **common, "model.name_or_path": paths["model"], "data.train": paths["train"], "data.eval": paths["eval"],
            "training.max_seq_length": 128,
            # Random weights: train all layers (the preset freezes 10 of 12 pretrained ones) at rates
            # that learn something in 60 steps. The same in every configuration.
            "memory.freeze_layers": 0, "training.learning_rate": 1e-3, "training.head_learning_rate": 1e-2,
            "training.warmup_ratio": 0.1,
        }, "eval_f1", True
    per_step = 1 * 16
    paths = make_sft(folder, n_train=steps * per_step // epochs, n_eval=40)
    return "sft-smollm2-cpu", {
        **common, "model.name_or_path": paths["model"], "data.train": paths["train"], "data.eval": paths["eval"],
        "training.max_seq_length": 512, "training.learning_rate": 1e-3, "sft.sample_max_new_tokens": 8,
    }, "eval_loss", False


def length_summary(task: str, overrides: dict) -> str:
    """Tokens per training sample before truncation, and max_seq_length."""
    limit = overrides["training.max_seq_length"]
    if task == "ner":
        text = Path(overrides["data.train"]).read_text(encoding="utf-8").strip()
        lengths = [len(block.splitlines()) + 2 for block in text.split("\n\n")]   # characters + [CLS] + [SEP]
    else:
        from transformers import AutoTokenizer

        tok = AutoTokenizer.from_pretrained(overrides["model.name_or_path"])
        lengths = []
        for line in Path(overrides["data.train"]).read_text(encoding="utf-8").splitlines():
            text = tok.apply_chat_template(json.loads(line)["messages"], tokenize=False)
            lengths.append(len(tok(text, add_special_tokens=False)["input_ids"]))
    p = percentiles(lengths, (10, 50, 90, 99))
    over = sum(1 for n in lengths if n > limit) / len(lengths)
    mean = sum(min(n, limit) for n in lengths) / len(lengths)
    return (f"{len(lengths)} samples, p10 {p[10]}, median {p[50]}, p90 {p[90]}, p99 {p[99]}, max {max(lengths)} tokens; "
            f"{over:.0%} longer than max_seq_length {limit}; mean after truncation {mean:.0f} "
            f"({mean / limit:.0%} of a fixed-length batch)")


def bench_task(task: str, steps: int, epochs: int, reps: int, configs: list[str], work: Path, metric_seeds: int) -> dict:
    folder = work / task
    t0 = time.perf_counter()
    preset, overrides, metric, _higher = task_setup(task, folder, steps, epochs)
    print(f"\n[{task}] preset {preset}; data and model built in {time.perf_counter() - t0:.0f} s under {folder}", flush=True)
    print(f"  training sample lengths: {length_summary(task, overrides)}", flush=True)
    results: dict[str, list[RunResult]] = {c: [] for c in configs}
    for rep in range(reps):
        order = configs if rep % 2 == 0 else list(reversed(configs))
        for name in order:
            fixed, grouped = CONFIGS[name]
            run_dir = work / "runs" / f"{task}-{name}-{rep}"
            r = timed_run(name, preset, {**overrides, "training.group_by_length": grouped}, run_dir,
                          fixed_padding=fixed, counter=PadCounter(labels_to_input_length=(task == "sft")))
            shutil.rmtree(run_dir, ignore_errors=True)
            results[name].append(r)
            print(f"  rep {rep + 1} {name:8s} {r.samples} samples in {r.wall_seconds:6.1f} s = {r.samples_per_s:6.2f} samples/s "
                  f"({r.samples_per_cpu_s:6.2f} per CPU-s); padded tokens {r.padded_tokens} "
                  f"({r.real_tokens / max(1, r.padded_tokens):.0%} real); {metric} {r.metrics.get(metric, float('nan')):.4f}"
                  + (f"; paused {r.paused_seconds:.0f} s by the guard" if r.paused_seconds else ""), flush=True)
    # The metric's noise: seeds and ours again with other training seeds (dropout, head init, batch order).
    # Same configurations, so their spread is what "equal within noise" is measured against.
    base_seed = resolve_config(preset, overrides).config.training.seed
    extra: dict[str, list[float]] = {"seeds": [], "ours": []}
    for k in range(1, metric_seeds + 1):
        for name in ("seeds", "ours"):
            fixed, grouped = CONFIGS[name]
            run_dir = work / "runs" / f"{task}-{name}-seed{base_seed + k}"
            r = timed_run(name, preset, {**overrides, "training.group_by_length": grouped, "training.seed": base_seed + k},
                          run_dir, fixed_padding=fixed, counter=PadCounter(labels_to_input_length=(task == "sft")))
            shutil.rmtree(run_dir, ignore_errors=True)
            extra[name].append(r.metrics.get(metric, float("nan")))
            print(f"  training seed {base_seed + k} {name:8s} {metric} {extra[name][-1]:.4f} (metric only)", flush=True)
    return {"preset": preset, "metric": metric, "results": results, "overrides": overrides, "extra_seeds": extra,
            "base_seed": base_seed}


def report(task: str, data: dict, baseline: str = "seeds") -> dict:
    results, metric = data["results"], data["metric"]
    base = results[baseline]
    print(f"\n{task.upper()} ({data['preset']}, {base[0].steps} optimizer steps, {base[0].samples} samples each run)")
    header = (f"{'config':10s} {'samples/s':>10s} {'x seeds':>8s} {'per CPU-s':>10s} {'x seeds':>8s} "
              f"{'padded tok':>11s} {'real %':>7s} {metric:>10s}")
    print(header)
    print("-" * len(header))
    summary = {}
    for name, runs in results.items():
        wall_ratio = median([r.samples_per_s / b.samples_per_s for r, b in zip(runs, base)])
        cpu_ratio = median([r.samples_per_cpu_s / b.samples_per_cpu_s for r, b in zip(runs, base)])
        values = [r.metrics.get(metric, float("nan")) for r in runs]
        row = {"samples_per_s": median([r.samples_per_s for r in runs]), "ratio": wall_ratio,
               "samples_per_cpu_s": median([r.samples_per_cpu_s for r in runs]), "cpu_ratio": cpu_ratio,
               "padded_tokens": runs[0].padded_tokens, "real_tokens": runs[0].real_tokens,
               metric: median(values), "metric_values": values,
               "pair_ratios": [r.samples_per_s / b.samples_per_s for r, b in zip(runs, base)]}
        summary[name] = row
        print(f"{name:10s} {row['samples_per_s']:10.2f} {wall_ratio:7.2f}x {row['samples_per_cpu_s']:10.2f} {cpu_ratio:7.2f}x "
              f"{row['padded_tokens']:11d} {row['real_tokens'] / max(1, row['padded_tokens']):6.0%} {row[metric]:10.4f}")
    ours = summary.get("ours")
    if ours:
        pairs = ", ".join(f"{x:.2f}" for x in ours["pair_ratios"])
        print(f"ours / seeds: {ours['ratio']:.2f}x samples/s (pairs: {pairs}), {ours['cpu_ratio']:.2f}x per CPU-second; "
              f"{metric}: ours {ours[metric]:.4f} vs seeds {summary[baseline][metric]:.4f} "
              f"(difference {ours[metric] - summary[baseline][metric]:+.4f})")
    extra = data.get("extra_seeds") or {}
    if any(extra.values()):
        print(f"{metric} over training seeds {data['base_seed']}..{data['base_seed'] + len(extra['ours'])} (mean +- sd):")
        for name in ("seeds", "ours"):
            values = [summary[name]["metric_values"][0]] + extra[name]
            mean, sd = statistics.mean(values), statistics.stdev(values)
            summary[name]["over_seeds"] = {"values": values, "mean": mean, "sd": sd}
            print(f"  {name:8s} {mean:.4f} +- {sd:.4f}  ({', '.join(f'{v:.4f}' for v in values)})")
        diff = summary["ours"]["over_seeds"]["mean"] - summary["seeds"]["over_seeds"]["mean"]
        print(f"  difference of the means {diff:+.4f}")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", default="ner,sft", help="comma-separated: ner, sft")
    parser.add_argument("--reps", type=int, default=2, help="interleaved repetitions of each configuration")
    parser.add_argument("--ner-steps", type=int, default=60, help="optimizer steps (batch 8 x 2 = 16 sentences each)")
    parser.add_argument("--sft-steps", type=int, default=10, help="optimizer steps (batch 1 x 16 = 16 conversations each)")
    parser.add_argument("--metric-seeds", type=int, default=1,
                        help="extra training seeds for seeds and ours, metric only (its noise); 0 to skip")
    parser.add_argument("--epochs", type=int, default=1,
                        help="epochs over the data in those steps (the data set has steps x 16 / epochs samples)")
    parser.add_argument("--breakdown", action="store_true", help="also run dynamic padding without length grouping")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (default 1: on a shared 2-core machine two threads stall on each other)")
    parser.add_argument("--keep", type=Path, help="build data, models and runs here and keep them (default: a temp folder)")
    parser.add_argument("--json", type=Path, help="also write the numbers as JSON")
    args = parser.parse_args(argv)

    import torch

    quiet_logging()
    if args.threads:
        torch.set_num_threads(args.threads)
    configs = ["seeds", "dynamic", "ours"] if args.breakdown else ["seeds", "ours"]
    work = args.keep or Path(tempfile.mkdtemp(prefix="laptune-bench-throughput-"))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s); configurations: {', '.join(configs)}; "
          f"{args.reps} interleaved repetition(s)")
    out = {}
    try:
        for task in [t.strip() for t in args.tasks.split(",") if t.strip()]:
            if task not in ("ner", "sft"):
                parser.error(f"unknown task {task!r}")
            steps = args.ner_steps if task == "ner" else args.sft_steps
            out[task] = report(task, bench_task(task, steps, args.epochs, args.reps, configs, work, args.metric_seeds))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
