"""`laptune`: the same core as the app, from a terminal.

    laptune                      the desktop app (headless: the CPU demo in the terminal)
    laptune detect [--json]      hardware, the recommended preset per task, the command to run it
    laptune presets [--json]     presets and what they need
    laptune validate PRESET      check a preset file; exit 1 with the reason
    laptune check-data FILE [--task T]   (core/cli/data.py; also example-data)
    laptune estimate ...         peak memory before a run (core/cli/estimate.py)
    laptune train --preset NAME [--data F] [--eval-data F] [--model M] [--out DIR] [--set k=v ...]
    laptune resume RUN_DIR [--checkpoint N] [--set k=v ...]   (only settings that keep the resume exact)
    laptune runs [RUN_DIR]
    laptune models get|list|rm   getting models, the model cache (core/cli/models.py)
    laptune export RUN_DIR --format hf|merged|gguf|ollama [--checkpoint C] [--out DIR] [--quant Q]

Exit codes: 0 ok, 1 the thing checked is wrong (bad preset/data, run failed), 2 bad usage,
3 the run was stopped (resumable), 130 interrupted, 141 the output pipe was closed (`| head`), as Unix tools do.
Library warnings go to the run folder's library.log; `--verbose` shows them in the terminal too.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from core.config.schema import ALIASES

EXIT_OK, EXIT_BAD, EXIT_USAGE, EXIT_STOPPED = 0, 1, 2, 3


def _print_json(data: Any) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):   # e.g. redirected on an English Windows (cp1252)
        text = json.dumps(data, indent=2, default=str)   # the same JSON, Chinese as \uXXXX escapes
    print(text)


# ---------------------------------------------------------------- detect / presets / validate
def cmd_detect(args: argparse.Namespace) -> int:
    from core.machine.hardware import choose_gpu, probe
    from core.machine.fakes import fake_probe
    from core.memory.recommend import hardware_tier, recommend_all

    hw = fake_probe(args.fake) if args.fake else probe(with_torch="torch" in sys.modules)
    gpu, why = choose_gpu(hw, _env_gpu_id())
    tier, tier_reason = hardware_tier(hw, _env_gpu_id())
    recs = recommend_all(hw, gpu_id=_env_gpu_id())
    cpu_build = None
    if hw.gpus and not args.fake:
        build = torch_build()
        if build is not None and build[1] is None:
            cpu_build = (f"an NVIDIA GPU is here, but the installed PyTorch ({build[0]}) is the CPU build, so training "
                         "would run on the CPU. Install the CUDA build: `make run CUDA=1`, or the one command for your "
                         "system in the README's \"NVIDIA GPUs\" section")
    commands = {task: f"laptune train --preset {rec.preset} --data YOUR_{task.upper()}_FILE" for task, rec in recs.items() if rec}
    commands["demo"] = "laptune train --preset demo"
    if args.json:
        _print_json({"hardware": hw.to_dict(), "cpu_only": hw.cpu_only, "gpu": gpu.index if gpu else None, "gpu_reason": why,
                     "tier": tier, "tier_reason": tier_reason,
                     "recommended": {t: ({"preset": r.preset, "reason": r.reason} if r else None) for t, r in recs.items()},
                     "demo": "demo", "commands": commands, "torch_cpu_build_with_nvidia_gpu": cpu_build is not None,
                     "warning": cpu_build})
        return EXIT_OK
    for line in hw.summary_lines():
        print(line)
    if cpu_build:
        print()
        print(f"Warning: {cpu_build}.")
    print()
    print(f"GPU to use: {why}")
    print(f"Tier: {tier_reason}")
    print()
    print("Recommended presets:")
    for task, rec in recs.items():
        print(f"  {task:9s} {rec.preset if rec else '(none fits)':28s} {rec.reason if rec else ''}")
    print(f"  {'demo':9s} {'demo':28s} a tiny model and bundled data: see a run learn in a minute")
    print()
    print("Commands:")
    for task, command in commands.items():
        print(f"  {command}")
    return EXIT_OK


def torch_build() -> tuple[str, str | None] | None:
    """(version, CUDA version or None for a CPU build) of the installed PyTorch, read from its version.py
    without importing it (seconds); None when PyTorch is not installed or the file says nothing."""
    import importlib.util
    import re

    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.origin:
        return None
    try:
        text = (Path(spec.origin).parent / "version.py").read_text(encoding="utf-8")
    except OSError:
        return None
    version = re.search(r"^__version__\s*=\s*['\"]([^'\"]+)", text, re.M)
    cuda = re.search(r"^cuda(?:\s*:[^=]+)?=\s*(None|['\"]([^'\"]*)['\"])", text, re.M)
    if version is None or cuda is None:
        return None
    return version.group(1), cuda.group(2)


def _env_gpu_id() -> int | None:
    value = os.environ.get("GPU_ID")
    return int(value) if value and value.strip().isdigit() else None


def cmd_presets(args: argparse.Namespace) -> int:
    from core.config.presets import list_presets, localized_description

    infos = list_presets()
    if args.json:
        _print_json([{"name": i.name, "path": str(i.path), "task": i.config.task if i.config else None,
                      "tier": i.config.tier if i.config else None, "description": i.config.description if i.config else None,
                      "description_zh": i.config.description_zh if i.config else None,
                      "needs": i.needs(), "requires": i.config.requires.model_dump() if i.config else None, "error": i.error}
                     for i in infos])
        return EXIT_OK
    for i in infos:
        if i.config is None:
            print(f"{i.name:28s} INVALID: {i.error}")
        else:
            print(f"{i.name:28s} {i.config.task:9s} {i.needs():40s} {localized_description(i.config)}")
    return EXIT_OK if all(i.config for i in infos) else EXIT_BAD


def cmd_validate(args: argparse.Namespace) -> int:
    from core.train.modeling import ModelError, read_model_config
    from core.config.presets import PresetError, check_with_model_config, resolve

    try:
        resolved = resolve(args.preset, sets=args.set or [])
        try:
            model_cfg = read_model_config(resolved.config.model.name_or_path, resolved.config) \
                if not Path(resolved.config.model.name_or_path).is_absolute() else None
        except ModelError:
            model_cfg = None
        if model_cfg:
            check_with_model_config(resolved.config, model_cfg, str(resolved.preset_path))
    except PresetError as exc:
        print(f"invalid: {exc}", file=sys.stderr)
        return EXIT_BAD
    print(f"ok: {resolved.preset_path} ({resolved.config.task}, {resolved.config.description})")
    return EXIT_OK


# ---------------------------------------------------------------- train / resume / runs
def _set_aliases(parser: argparse.ArgumentParser) -> None:
    """The seed scripts' flags (--batch_size 2, --fp16 ...) are accepted and become --set entries."""
    group = parser.add_argument_group("seed-script flags (same as --set KEY=VALUE)")
    for name in sorted(set(ALIASES)):
        if name in ("model", "train", "eval"):
            continue
        group.add_argument(f"--{name}", dest=f"alias_{name}", metavar="V", help=argparse.SUPPRESS)
    for flag in ("fp16", "bf16", "use_amp"):
        group.add_argument(f"--{flag}", dest=f"alias_{flag}", nargs="?", const="true", metavar="BOOL", help=argparse.SUPPRESS)


def _collect_sets(args: argparse.Namespace) -> list[str]:
    sets = list(args.set or [])
    for key, value in vars(args).items():
        if key.startswith("alias_") and value is not None:
            sets.append(f"{key[6:]}={value}")
    return sets


def _faults(args: argparse.Namespace):
    from core.train.session import Faults

    return Faults(oom_at_step=args.simulate_oom_at_step, nan_at_step=args.simulate_nan_at_step,
                  sensor_trace=args.simulate_sensors, disk_full_at_step=args.simulate_disk_full_at_step)


def _run_with_progress(target: Any) -> int:
    """Run training with a terminal progress display; Ctrl-C saves a checkpoint and stops."""
    from core.record.events import Control
    from core.cli.progress import TerminalProgress

    control = Control()
    progress = TerminalProgress()
    interrupted = {"n": 0}

    def on_sigint(signum: int, frame: Any) -> None:
        interrupted["n"] += 1
        if interrupted["n"] > 1:
            raise KeyboardInterrupt
        print("\nStopping: saving a checkpoint first (Ctrl-C again to abort without saving)...", file=sys.stderr)
        control.stop("stopped with Ctrl-C")

    previous = signal.signal(signal.SIGINT, on_sigint)
    from core.hub import DownloadCancelled

    try:
        summary = target(progress, control)
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    except DownloadCancelled as exc:   # Ctrl-C during the download phase: the partial files stay for next time
        print(f"\nStopped: {exc}", file=sys.stderr)
        return EXIT_STOPPED
    finally:
        signal.signal(signal.SIGINT, previous)
        progress.close()
    if summary.get("already_complete"):
        return EXIT_OK   # the note said it; nothing ran
    progress.print_summary(summary)
    return {"completed": EXIT_OK, "stopped": EXIT_STOPPED}.get(summary["status"], EXIT_BAD)


def cmd_train(args: argparse.Namespace) -> int:
    from core.train import session
    from core.config.presets import resolve

    overrides: dict[str, Any] = {}
    if args.data:
        overrides["data.train"] = str(Path(args.data).resolve())
    if args.eval_data:
        overrides["data.eval"] = str(Path(args.eval_data).resolve())
    if args.model:
        overrides["model.name_or_path"] = str(Path(args.model).resolve()) if Path(args.model).exists() else args.model
    resolved = resolve(args.preset, sets=_collect_sets(args), overrides=overrides)
    out = Path(args.out) if args.out else None
    if args.dry_run:
        for line in resolved.describe():
            print(line)
        return EXIT_OK
    return _run_with_progress(lambda emit, control: session.run(
        resolved.config, emit, control, run_dir=out, preset_path=resolved.preset_path, sources=resolved.sources,
        faults=_faults(args), probe=args.probe))


def cmd_resume(args: argparse.Namespace) -> int:
    from core.train import session
    return _run_with_progress(lambda emit, control: session.resume(args.run_dir, emit, control, checkpoint=args.checkpoint,
                                                                    faults=_faults(args), sets=args.set or []))


def cmd_runs(args: argparse.Namespace) -> int:
    from core.config.paths import default_runs_dir
    from core.record.runs import RunDir

    if args.run_dir:
        rd = RunDir.open(args.run_dir)
        summary = rd.read_summary()
        checkpoints = rd.checkpoints()
        if args.json:
            _print_json({"run_dir": str(rd.path), "summary": summary, "checkpoints": [
                {"step": c.step, "path": str(c.path), "complete": c.complete, "train_loss": c.train_loss,
                 "metrics": c.metrics, "best": c.best} for c in checkpoints]})
            return EXIT_OK
        print(f"{rd.path}: {summary.get('status', 'running or killed')} at step {summary.get('global_step', '?')}")
        print(f"{'':2s}{'checkpoint':18s}{'step':>7s}{'train loss':>12s}  eval")
        for c in checkpoints:
            metrics = ", ".join(f"{k[5:]} {v:.4g}" for k, v in c.metrics.items() if k in ("eval_loss", "eval_f1", "eval_accuracy", "eval_macro_f1", "eval_perplexity"))
            loss = f"{c.train_loss:.4f}" if c.train_loss is not None else "-"
            mark = "* " if c.best else "  "
            print(f"{mark}{c.path.name:18s}{c.step:7d}{loss:>12s}  {metrics}{'' if c.complete else '  (incomplete: skipped on resume)'}")
        if any(c.best for c in checkpoints):
            print("* best by the evaluation metric (seed 004: the last checkpoint is not always the best)")
        return EXIT_OK
    base = Path(args.base) if args.base else default_runs_dir()
    rows = []
    for folder in sorted(base.glob("*/run.yaml")):
        rd = RunDir(folder.parent)
        s = rd.read_summary()
        rows.append({"run_dir": str(rd.path), "status": s.get("status", "running or killed"), "step": s.get("global_step"),
                     "best_eval": s.get("best_eval", {})})
    if args.json:
        _print_json(rows)
        return EXIT_OK
    if not rows:
        print(f"no runs in {base}")
    for r in rows:
        print(f"{r['run_dir']}  {r['status']}  step {r['step']}")
    return EXIT_OK


# ---------------------------------------------------------------- app / demo
def cmd_app(args: argparse.Namespace) -> int:
    """The GUI where there is a display; otherwise the CPU demo in the terminal."""
    headless = sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    launcher = getattr(args, "app_launcher", None)
    if not headless and not args.headless:
        if launcher is not None:
            return launcher([])
        print("The desktop app starts with `laptune` or `python -m gui`; running the demo in the terminal.", file=sys.stderr)
    print("No display found: running the LapTune demo in the terminal (the same training the app runs).")
    print("Hardware:")
    cmd_detect(argparse.Namespace(json=False, fake=None))
    print()
    ns = build_parser().parse_args(["train", "--preset", "demo"] + (["--out", args.out] if args.out else []))
    return cmd_train(ns)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="laptune", description="Fine-tune language models on laptops and small GPUs.")
    parser.add_argument("--headless", action="store_true", help="with no command: run the demo in the terminal")
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--selftest", action="store_true", help="check that everything the app needs works, then exit")
    parser.add_argument("--verbose", action="store_true",
                        help="show the libraries' warnings too (otherwise they go to the run folder's library.log)")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("detect", help="hardware and the recommended presets")
    p.add_argument("--json", action="store_true")
    p.add_argument("--fake", metavar="PROFILE", help="scripted hardware instead of this machine (for trying it out)")
    p.set_defaults(func=cmd_detect)

    p = sub.add_parser("presets", help="list presets and what they need")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_presets)

    p = sub.add_parser("validate", help="check a preset (name or YAML file)")
    p.add_argument("preset")
    p.add_argument("--set", action="append", metavar="KEY=VALUE")
    p.set_defaults(func=cmd_validate)

    from core.cli.data import add_parsers as add_data_parsers

    add_data_parsers(sub)

    for name, func, helptext in (("train", cmd_train, "train a preset"), ("resume", cmd_resume, "continue a run")):
        p = sub.add_parser(name, help=helptext)
        if name == "train":
            p.add_argument("--preset", default="demo")
            p.add_argument("--data", help="training data file")
            p.add_argument("--eval-data", help="evaluation data file")
            p.add_argument("--model", help="hub id or local folder")
            p.add_argument("--out", help="the run directory (default runs/<timestamp>-<preset>/)")
            p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a setting (dotted or seed flag name)")
            p.add_argument("--dry-run", action="store_true", help="print the resolved settings and where each came from")
            p.add_argument("--probe", action="store_true",
                           help="first train 3 steps at the longest samples: measured memory, time per epoch, a micro-batch that fits")
            _set_aliases(p)
        else:
            p.add_argument("run_dir")
            p.add_argument("--checkpoint", type=int, help="step of the checkpoint (default: the latest complete one)")
            p.add_argument("--set", action="append", metavar="KEY=VALUE",
                           help="change a setting that keeps the resume exact: save_steps, eval_steps, logging_steps, "
                                "save_total_limit, guard.*")
        p.add_argument("--simulate-sensors", metavar="TRACE.jsonl", help="replay sensor readings over the real ones")
        p.add_argument("--simulate-oom-at-step", type=int, metavar="N", help="raise a real torch.OutOfMemoryError at step N")
        p.add_argument("--simulate-nan-at-step", type=int, metavar="N", help="make the loss NaN at step N")
        p.add_argument("--simulate-disk-full-at-step", type=int, metavar="N",
                       help="fail the checkpoint save at step N as a full disk does")
        p.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS,
                       help="also show the libraries' warnings (they always go to the run's library.log)")
        p.set_defaults(func=func)

    p = sub.add_parser("runs", help="list runs, or one run's checkpoints")
    p.add_argument("run_dir", nargs="?")
    p.add_argument("--base", help="folder holding runs (default ./runs or the user data folder)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_runs)

    from core.cli.models import add_parsers as add_model_parsers   # `laptune models get|list|rm`

    add_model_parsers(sub)
    try:
        from core.cli.estimate import register
    except ImportError:
        pass
    else:
        register(sub)
    from core.cli.use import add_parsers as add_use_parsers   # predict, chat, compare, evaluate

    add_use_parsers(sub)
    from core.cli.export import register as register_export

    register_export(sub)
    return parser


def main(argv: list[str] | None = None, app_launcher: Any = None, window_builder: Any = None,
         own_process: bool = False) -> int:
    """`app_launcher(argv) -> int` starts the desktop app; gui/entry.py passes it (core never imports gui).
    `window_builder() -> QWidget` builds the main window unshown, for `--selftest`'s window check.
    `own_process`: this process runs this one command and exits (the console script), so `train` and `resume`
    may leave out the libraries their run does not use (core/train/lean.py)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if own_process and args.command in ("train", "resume"):
        from core.train import lean

        lean.enable_for_this_process()
    args.app_launcher = app_launcher
    for stream in (sys.stdout, sys.stderr):   # Chinese text where the output cannot show it: '?', not a traceback
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="replace")
    if not args.verbose:
        from core.record import noise

        noise.quiet_libraries()
    try:
        code = _dispatch(args, window_builder)
        sys.stdout.flush()   # here, not at exit, so a closed pipe is caught below
        return code
    except BrokenPipeError:
        return _closed_pipe()


def _closed_pipe() -> int:
    """The reader went away (`laptune runs --json | head -1`): stop quietly, as Unix tools do."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())   # Python's flush at exit must not fail again
    except (OSError, ValueError):
        pass
    return 128 + getattr(signal, "SIGPIPE", 13)


def _dispatch(args: argparse.Namespace, window_builder: Any) -> int:
    from core.data import DataError
    from core.train.modeling import ModelError
    from core.config.presets import PresetError
    from core.record.runs import RunError

    try:
        if args.selftest:
            from core.cli.selftest import main as selftest_main

            return selftest_main(build_window=window_builder)
        if args.command is None:
            return cmd_app(args)
        return args.func(args)
    except (PresetError, DataError, ModelError, RunError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD
    except Exception as exc:
        from core.train.setup import SessionError
        from core.machine.sensors import TraceError
        from core.hub import HubError

        if isinstance(exc, (SessionError, TraceError, HubError)):
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_BAD
        raise


if __name__ == "__main__":
    from core.train import lean

    exit_code = main(own_process=True)
    if lean.is_enabled():   # as gui/entry.py: a training process skips the interpreter's teardown
        lean.leave(exit_code)
    sys.exit(exit_code)
