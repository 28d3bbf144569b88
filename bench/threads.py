"""torch's CPU threads for a training run: each setting alone and beside a busy process, whole process timed.

    .venv/bin/python bench/threads.py                      # threads 1 and 2, alone and busy
    .venv/bin/python bench/threads.py --threads 0 1 2 --task classify   # 0: the default (measured during the run)
    .venv/bin/python bench/threads.py --threads 1 2 4 --busy 0 1 2 --epochs 0.5 --passive

Each sample is a fresh `laptune train` process on the end-to-end data of `--task` (bench/e2e_data.py:
4000 news-shaped NER sentences or 2000 reviews, the tiny BERT from scratch, batch 16, precision auto),
with `--set cpu_threads=N`, or with no setting for N = 0 (the default: the run measures 1 or 2 threads). "busy K" starts K processes that spin on the CPU for the whole sample (what a
browser, a compile or a second run does to a laptop), and stops them afterwards. `--passive` adds
samples with OMP_WAIT_POLICY=PASSIVE (OpenMP threads sleep instead of spinning while they wait).
Samples are interleaved over the settings, `--repeat` times. Prints a JSON line per sample and a table
of wall and CPU time (user + system of the training process).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.e2e_data import make_cls, make_ner  # noqa: E402
from bench.end_to_end import ours_cmd  # noqa: E402


def spin_processes(n: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


def sample(paths: dict[str, str], work: Path, threads: int, busy: int, passive: bool, epochs: float,
           task: str = "ner") -> dict:
    out = work / f"run-{time.time_ns()}"
    cmd = ours_cmd(task, paths, out, 42, epochs, [f"cpu_threads={threads}"] if threads else [])
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("OMP_WAIT_POLICY", None)
    if passive:
        env["OMP_WAIT_POLICY"] = "PASSIVE"
    spinners = spin_processes(busy)
    try:
        time.sleep(0.5 if busy else 0)
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=str(work))
        wall = time.perf_counter() - t0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        for p in spinners:
            p.kill()
            p.wait()
    if proc.returncode != 0:
        raise RuntimeError(proc.stdout[-2000:] + proc.stderr[-2000:])
    shutil.rmtree(out, ignore_errors=True)
    # the spinners are children too, but they are reaped after r1 is read
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return {"threads": threads, "busy": busy, "passive": passive, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="0: no setting (the measured default)")
    ap.add_argument("--task", choices=["ner", "classify"], default="ner")
    ap.add_argument("--busy", type=int, nargs="+", default=[0, 1])
    ap.add_argument("--passive", action="store_true", help="also run each multi-thread setting with OMP_WAIT_POLICY=PASSIVE")
    ap.add_argument("--epochs", type=float, default=0.5)
    ap.add_argument("--sentences", type=int, default=4000)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="laptune-threads-"))
    settings = [(t, b, False) for b in args.busy for t in args.threads]
    if args.passive:
        settings += [(t, b, True) for b in args.busy for t in args.threads if t > 1]
    rows = []
    try:
        paths = (make_ner(work / "ner", args.sentences, args.sentences // 4) if args.task == "ner"
                 else make_cls(work / "cls", args.sentences // 2, args.sentences // 8))
        for _ in range(args.repeat):
            for threads, busy, passive in settings:
                r = sample(paths, work, threads, busy, passive, args.epochs, args.task)
                print(json.dumps(r), flush=True)
                rows.append(r)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n| busy processes | cpu_threads | OpenMP wait | wall s | CPU s |")
    print("|---|---|---|---|---|")
    for threads, busy, passive in settings:
        mine = [r for r in rows if (r["threads"], r["busy"], r["passive"]) == (threads, busy, passive)]
        walls, cpus = [r["wall_s"] for r in mine], [r["cpu_s"] for r in mine]
        print(f"| {busy} | {threads or 'default (measured)'} | {'passive' if passive else 'default'} | "
              f"{statistics.mean(walls):.1f} ({', '.join(f'{w:.1f}' for w in walls)}) | {statistics.mean(cpus):.1f} |")


if __name__ == "__main__":
    main()
