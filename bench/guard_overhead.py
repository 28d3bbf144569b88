"""What the sensors and the guard cost a training run: samples/s with them on vs off, same config, one process.

    .venv/bin/python bench/guard_overhead.py              # 6 interleaved repetitions, ~10 min on 2 shared cores
    .venv/bin/python bench/guard_overhead.py --reps 3 --steps 20

Three configurations of the same run (the NER benchmark workload of bench/throughput.py: a 4-layer
BERT + CRF, preset ner-bert-crf-cpu with LapTune's defaults, no evaluation):

- ``sensors+guard``: the default. core.train.session starts the SensorLoop thread (every
  guard.sample_interval_s = 0.5 s: psutil RAM/swap/CPU temperature/battery, NVML on a GPU, the CUDA
  allocator), each reading goes to events.jsonl (thinned to one a second) and through Guard.observe.
- ``guard-off``: ``guard.enabled: false``. core/train/session.py `_start_sensors` still starts the SensorLoop
  and still logs every reading; only Guard.observe (and any action) is skipped. So this measures the
  guard's decision logic alone.
- ``no-sensors``: no sensor thread at all. core has no switch for that, so this benchmark replaces
  Session._start_sensors in its own process with one that starts nothing (what a
  `guard.sensors: false` switch would do). This is the baseline for the overhead.
- ``amplified``: sensors+guard reading every ``--amplify-interval`` s (default 0.005 s, 100x as often).
  On a shared machine the run-to-run noise is larger than the overhead at 0.5 s; 100x the readings
  make it measurable, and scaled back by interval / 0.5 s it gives the default's overhead.

Runs are interleaved in a rotating order (A B C, B C A, C A B, ...) and each is compared with the
no-sensors run of its own repetition; the median ratio is printed, for wall-clock samples/s and for
samples per CPU-second (CPU time of the whole process, sensor thread included: the less noisy
measure on a shared machine). A micro-benchmark of one sensor iteration (read + guard + event log)
gives the same overhead from first principles: cost per reading / sample interval.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RunResult, make_ner, median, quiet_logging, timed_run  # noqa: E402

CONFIGS = ["sensors+guard", "guard-off", "no-sensors"]
AMPLIFIED = "amplified"   # sensors+guard reading every --amplify-interval seconds instead of every 0.5 s


def no_sensor_patch():
    """Make Session._start_sensors start nothing (no thread, no guard), in this process only."""
    from core.train import session
    original = session.Session._start_sensors

    def start_nothing(self, device):
        self.guard = None
        self._guard_paused = False
        return None

    session.Session._start_sensors = start_nothing

    def undo() -> None:
        session.Session._start_sensors = original

    return undo


def sensor_iteration_cost(work: Path, gpu_index: int | None, n: int = 200, rounds: int = 5) -> dict[str, float]:
    """CPU and wall milliseconds of one sensor iteration as the session runs it: SensorLoop.read(),
    Guard.observe(), and EventLog (which writes at most one sample a second). Median of `rounds`
    interleaved rounds of `n` calls each."""
    from core.config.schema import GuardSection
    from core.machine.guard import Guard
    from core.record.runs import EventLog
    from core.machine.sensors import SensorLoop

    loop = SensorLoop(lambda s: None, gpu_index=gpu_index)
    guard = Guard(GuardSection())
    log = EventLog(work / "micro-events.jsonl")

    def full() -> None:
        sample = loop.read()
        guard.observe(sample)
        log(sample)

    parts = {"read": loop.read, "read+guard+log": full}
    times: dict[str, list[float]] = {}
    for fn in parts.values():
        for _ in range(10):
            fn()   # warm-up: first psutil calls open /proc and /sys files
    for _ in range(rounds):
        for name, fn in parts.items():
            w0, c0 = time.perf_counter(), time.thread_time()
            for _ in range(n):
                fn()
            times.setdefault(f"{name}_wall_ms", []).append((time.perf_counter() - w0) / n * 1000)
            times.setdefault(f"{name}_cpu_ms", []).append((time.thread_time() - c0) / n * 1000)
    log.close()
    return {k: median(v) for k, v in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=6, help="interleaved repetitions of each configuration")
    parser.add_argument("--steps", type=int, default=30, help="optimizer steps per run (batch 8 x 2 = 16 sentences each)")
    parser.add_argument("--amplify-interval", type=float, default=0.005,
                        help="also run sensors+guard at this sample interval (0: skip); the overhead there, scaled by "
                             "interval / 0.5 s, checks the default's overhead above the noise of a shared machine")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (default 1: on a shared 2-core machine two threads stall on each other)")
    parser.add_argument("--keep", type=Path, help="build data, model and runs here and keep them (default: a temp folder)")
    parser.add_argument("--json", type=Path, help="also write the numbers as JSON")
    args = parser.parse_args(argv)

    import torch

    quiet_logging()
    if args.threads:
        torch.set_num_threads(args.threads)
    work = args.keep or Path(tempfile.mkdtemp(prefix="laptune-bench-guard-"))
    try:
        return _bench(args, work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def _bench(args: argparse.Namespace, work: Path) -> int:
    import torch

    from core.config.schema import GuardSection

    interval = GuardSection().sample_interval_s
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s); {args.reps} interleaved repetition(s) of "
          f"{', '.join(CONFIGS)}; sensor interval {interval} s", flush=True)
    # The GPU the session would train on reads NVML too (core.train.setup.choose_device picks it).
    gpu_index = 0 if torch.cuda.is_available() else None
    micro = sensor_iteration_cost(work, gpu_index)
    where = f"GPU {gpu_index}" if gpu_index is not None else "no GPU"
    print(f"one sensor iteration ({where}): " + ", ".join(f"{k} {v:.3f}" for k, v in micro.items()), flush=True)

    paths = make_ner(work / "ner", n_train=args.steps * 16, n_eval=0)
    overrides = {"model.name_or_path": paths["model"], "data.train": paths["train"], "data.eval_fraction": 0.0,
                 "training.max_seq_length": 128, "memory.freeze_layers": 0, "training.learning_rate": 1e-3,
                 "training.head_learning_rate": 1e-2, "training.warmup_ratio": 0.1, "training.max_steps": args.steps,
                 "training.logging_steps": args.steps, "training.save_steps": args.steps, "training.save_total_limit": 1}
    configs = CONFIGS + ([AMPLIFIED] if args.amplify_interval else [])
    results: dict[str, list[RunResult]] = {c: [] for c in configs}
    for rep in range(args.reps):
        order = configs[rep % len(configs):] + configs[:rep % len(configs)]
        for name in order:
            run_dir = work / "runs" / f"{name}-{rep}"
            guard = {"guard.enabled": name != "guard-off"}
            if name == AMPLIFIED:
                guard["guard.sample_interval_s"] = args.amplify_interval
            r = timed_run(name, "ner-bert-crf-cpu", {**overrides, **guard}, run_dir,
                          patch=no_sensor_patch if name == "no-sensors" else None)
            samples_logged = sum(1 for line in (run_dir / "events.jsonl").read_text(encoding="utf-8").splitlines()
                                 if '"type": "sample"' in line)
            shutil.rmtree(run_dir, ignore_errors=True)
            results[name].append(r)
            print(f"  rep {rep + 1} {name:14s} {r.samples} samples in {r.wall_seconds:6.1f} s = {r.samples_per_s:6.2f} samples/s "
                  f"({r.samples_per_cpu_s:6.2f} per CPU-s); {samples_logged} sensor samples in events.jsonl"
                  + (f"; paused {r.paused_seconds:.0f} s by the guard" if r.paused_seconds else ""), flush=True)

    base = results["no-sensors"]
    print(f"\nGuard overhead (ner-bert-crf-cpu workload, {args.steps} steps = {base[0].samples} samples per run, "
          f"{args.reps} interleaved repetitions; overhead = 1 - rate / no-sensors rate, median of the pairs)")
    header = f"{'config':14s} {'samples/s':>10s} {'overhead':>9s} {'per CPU-s':>10s} {'overhead':>9s}   pairs (wall)"
    print(header)
    print("-" * len(header))
    summary: dict[str, dict] = {"micro_ms": micro, "interval_s": interval}
    for name in configs:
        runs = results[name]
        wall = [1 - r.samples_per_s / b.samples_per_s for r, b in zip(runs, base)]
        cpu = [1 - r.samples_per_cpu_s / b.samples_per_cpu_s for r, b in zip(runs, base)]
        row = {"samples_per_s": median([r.samples_per_s for r in runs]), "overhead": median(wall),
               "samples_per_cpu_s": median([r.samples_per_cpu_s for r in runs]), "cpu_overhead": median(cpu),
               "wall_pairs": wall, "cpu_pairs": cpu}
        summary[name] = row
        print(f"{name:14s} {row['samples_per_s']:10.2f} {row['overhead']:8.1%} {row['samples_per_cpu_s']:10.2f} "
              f"{row['cpu_overhead']:8.1%}   " + " ".join(f"{x:+.1%}" for x in wall))
    per_reading = micro["read+guard+log_cpu_ms"] / 1000
    print(f"micro-benchmark: {micro['read+guard+log_cpu_ms']:.2f} ms CPU per reading, one every {interval} s = "
          f"{per_reading / interval:.2%} of one core")
    if args.amplify_interval:
        amp = summary[AMPLIFIED]
        scale = args.amplify_interval / interval
        summary["extrapolated"] = {"overhead": amp["overhead"] * scale, "cpu_overhead": amp["cpu_overhead"] * scale}
        print(f"amplified: reading every {args.amplify_interval} s ({1 / scale:.0f}x as often) costs {amp['overhead']:.1%} of "
              f"samples/s ({amp['cpu_overhead']:.1%} per CPU-s); scaled to one reading every {interval} s: "
              f"{amp['overhead'] * scale:.2%} ({amp['cpu_overhead'] * scale:.2%} per CPU-s)")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
