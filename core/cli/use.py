"""After training, from a terminal:

    laptune predict RUN_DIR|MODEL_DIR [--checkpoint N|best|final|latest] (--text "..." | --file IN --out OUT [--sheet S])
                    [--json] [--max-new-tokens N] [--temperature T] [--device cpu|cuda|auto]
    laptune chat RUN_DIR [--checkpoint ...] [--system "..."]       interactive, streaming, multi-turn
    laptune compare RUN_DIR [--a N] [--b N] [--text "..."]          two checkpoints side by side + every
                                                                    checkpoint's eval metrics
    laptune evaluate RUN_DIR --benchmark ifeval [--checkpoints all|best|N,M] [--limit N] [--prompts FILE]
                                                                    lm-eval's IFEval checkers; Ctrl-C cancels
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

EXIT_OK, EXIT_BAD, EXIT_USAGE = 0, 1, 2


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def pick_device(choice: str) -> str:
    import torch

    if choice == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if choice.startswith("cuda") and not torch.cuda.is_available():
        from core.use.load import UseError

        raise UseError("--device cuda but PyTorch sees no CUDA GPU here", fix="use --device cpu")
    return choice


def _load(args: argparse.Namespace, *, quiet: bool = False) -> Any:
    from core.use.load import load_for_inference, resolve_checkpoint

    resolved = resolve_checkpoint(args.path, args.checkpoint)
    device = pick_device(args.device)
    if not quiet:
        print(f"Loading {resolved.describe()} ({resolved.task}) on {device}...", file=sys.stderr)
    loaded = load_for_inference(resolved, device=device)
    for note in loaded.notes:
        print(f"note: {note}", file=sys.stderr)
    return loaded


# ---------------------------------------------------------------- predict
def format_result(task: str, text: str, result: dict[str, Any]) -> list[str]:
    """A prediction as lines for a person."""
    if task == "ner":
        if not result["entities"]:
            lines = ["(no entities)"]
        else:
            lines = [f"{e['label']:8s} {e['text']}  [{e['start']}:{e['end']}]" for e in result["entities"]]
        lines.append(f"CRF path score {result['score']:.3f}, p(path) {result['probability']:.3f}"
                     + ("  (text cut at max_seq_length)" if result.get("truncated") else ""))
        return lines
    if task == "classify":
        probs = sorted(result["probabilities"].items(), key=lambda kv: -kv[1])
        width = max(len(k) for k, _ in probs)
        return [f"{result['label']}"] + [f"  {k:{width}s} {p:6.1%} {'#' * round(p * 30)}" for k, p in probs]
    return [result["text"]]


class FileProgress:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.started = time.monotonic()

    def __call__(self, done: int, total: int | None) -> None:
        rate = done / max(time.monotonic() - self.started, 1e-9)
        of = f"/{total}" if total else ""
        self.stream.write(f"\r  {done}{of} rows  {rate:.1f} rows/s")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")


def cmd_predict(args: argparse.Namespace) -> int:
    from core.use.batch import predict_file
    from core.use.predict import predict_text

    if (args.text is None) == (args.file is None):
        print("error: give --text TEXT or --file IN --out OUT", file=sys.stderr)
        return EXIT_USAGE
    if args.file and not args.out:
        print("error: --file needs --out OUT.jsonl (or .csv)", file=sys.stderr)
        return EXIT_USAGE
    loaded = _load(args, quiet=args.json and args.text is not None)
    if args.text is not None:
        result = predict_text(loaded, args.text, max_new_tokens=args.max_new_tokens, temperature=args.temperature,
                              system=args.system)
        if args.json:
            _print_json(result)
        else:
            for line in format_result(loaded.task, args.text, result):
                print(line)
        return EXIT_OK
    progress = FileProgress()
    try:
        report = predict_file(loaded, args.file, args.out, batch_size=args.batch_size, max_new_tokens=args.max_new_tokens,
                              temperature=args.temperature, progress=progress, sheet=args.sheet)
    except KeyboardInterrupt:
        print(f"\ninterrupted: the rows before the current batch are in {args.out}", file=sys.stderr)
        return 130
    finally:
        progress.close()
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"{report.rows} rows -> {args.out} in {report.seconds:.1f} s ({report.rows_per_second:.1f} rows/s); "
          f"{len(report.bad)} bad", file=sys.stderr)
    for line, why in report.bad[:20]:
        print(f"  {args.file}:{line}: {why}", file=sys.stderr)
    if len(report.bad) > 20:
        print(f"  ... and {len(report.bad) - 20} more (rows with an \"error\" field in {args.out})", file=sys.stderr)
    return EXIT_OK if report.ok or not report.rows else EXIT_BAD


# ---------------------------------------------------------------- chat
CHAT_HELP = ("Type a message and Enter. /reset forgets the conversation, /exit (or Ctrl-D, or Ctrl-C at the prompt) "
             "leaves; Ctrl-C during a reply stops it.")


def cmd_chat(args: argparse.Namespace, stdin: TextIO | None = None) -> int:
    import signal
    import threading

    from core.use.chat import ChatSession

    stdin = stdin or sys.stdin
    loaded = _load(args)
    chat = ChatSession(loaded, system=args.system, max_new_tokens=args.max_new_tokens, temperature=args.temperature)
    interactive = stdin.isatty() if hasattr(stdin, "isatty") else False
    print(f"Chatting with {loaded.resolved.describe()}. {CHAT_HELP}", file=sys.stderr)
    previous = None
    generating = threading.Event()

    def on_sigint(signum: int, frame: Any) -> None:
        if not generating.is_set():
            raise KeyboardInterrupt   # at the prompt: leave
        chat.stop()                   # during a reply: end the reply, keep chatting

    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        while True:
            if interactive:
                sys.stdout.write("\nyou> ")
                sys.stdout.flush()
            line = stdin.readline()
            if not line:
                break
            text = line.strip()
            if not text:
                continue
            if text in ("/exit", "/quit"):
                break
            if text == "/reset":
                chat.reset()
                print("(conversation forgotten)")
                continue
            sys.stdout.write("model> ")
            generating.set()
            try:
                for piece in chat.stream(text):
                    sys.stdout.write(piece)
                    sys.stdout.flush()
            finally:
                generating.clear()
            sys.stdout.write("\n")
            if args.timing and chat.first_token_seconds is not None:
                print(f"(first token after {chat.first_token_seconds * 1000:.0f} ms, {chat.last_tokens} tokens)", file=sys.stderr)
    except KeyboardInterrupt:
        sys.stdout.write("\n")
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    return EXIT_OK


# ---------------------------------------------------------------- compare
def short_result(task: str, result: dict[str, Any]) -> str:
    if task == "ner":
        return ", ".join(f"{e['text']}/{e['label']}" for e in result["entities"]) or "(no entities)"
    if task == "classify":
        return f"{result['label']} ({result['probabilities'][result['label']]:.1%})"
    return result["text"].replace("\n", " ")


def print_table(table: Any) -> None:
    metrics = [m for m in ("eval_loss", "eval_f1", "eval_accuracy", "eval_macro_f1", "eval_perplexity")
               if any(m in r.metrics for r in table.rows)]
    bench = table.benchmark
    head = f"  {'checkpoint':18s}{'step':>7s}{'train loss':>12s}" + "".join(f"{m[5:]:>12s}" for m in metrics)
    if bench:
        head += f"  {bench + ' ' + table.benchmark_metric:>30s}"
    print(head)
    for r in table.rows:
        mark = ("*" if r.best else " ") + ("+" if r.best_benchmark else " ")
        loss = f"{r.train_loss:.4f}" if r.train_loss is not None else "-"
        line = f"{mark}{r.name:18s}{r.step if r.step is not None else '-':>7}{loss:>12s}"
        line += "".join(f"{r.metrics[m]:12.4g}" if m in r.metrics else f"{'-':>12s}" for m in metrics)
        if bench:
            score = r.benchmarks.get(bench, {}).get(table.benchmark_metric)
            line += f"  {score:30.4f}" if score is not None else f"  {'-':>30s}"
        print(line + ("" if r.complete else "  (incomplete)"))
    print(f"* best by {table.metric[5:]}" + (f"; + best by {bench} ({table.benchmark_metric})" if bench else ""))


def cmd_compare(args: argparse.Namespace) -> int:
    from core.use.compare import answer_side_by_side, checkpoint_table, default_pair

    table = checkpoint_table(args.path)
    a_default, b_default = default_pair(table)
    a, b = args.a or a_default, args.b or b_default
    texts = list(args.text or [])
    if args.file:
        texts += [line.strip() for line in Path(args.file).read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = answer_side_by_side(args.path, a, b, texts, device=pick_device(args.device),
                                max_new_tokens=args.max_new_tokens) if texts else []
    if args.json:
        _print_json({**table.to_dict(), "a": a, "b": b,
                     "answers": [{"text": t, "a": ra, "b": rb} for t, ra, rb in pairs]})
        return EXIT_OK
    print_table(table)
    if pairs:
        print()
        print(f"A = {a}, B = {b}")
        for text, ra, rb in pairs:
            print(f"> {text}")
            print(f"  A: {short_result(table.task, ra)}")
            print(f"  B: {short_result(table.task, rb)}")
    return EXIT_OK


# ---------------------------------------------------------------- evaluate
def cmd_evaluate(args: argparse.Namespace) -> int:
    import signal
    import threading

    from core.use.evaluate import HEADLINE, METRICS, evaluate_run

    if args.benchmark != "ifeval":
        print(f"error: unknown benchmark {args.benchmark!r} (available: ifeval)", file=sys.stderr)
        return EXIT_USAGE
    cancelled = threading.Event()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, lambda signum, frame: cancelled.set())
    started = time.monotonic()

    def progress(name: str, done: int, total: int) -> None:
        width = 30
        bar = "#" * round(width * done / max(total, 1))
        sys.stderr.write(f"\r  {name:18s} [{bar:{width}s}] {done}/{total}  {time.monotonic() - started:.0f} s")
        sys.stderr.flush()
        if done == total:
            sys.stderr.write("\n")

    try:
        results = evaluate_run(args.path, checkpoints=args.checkpoints, limit=args.limit, prompts_file=args.prompts,
                               device=pick_device(args.device), max_new_tokens=args.max_new_tokens, progress=progress,
                               should_stop=cancelled.is_set)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if args.json:
        _print_json(results)
    else:
        scores = results["checkpoints"]
        best = max(scores, key=lambda n: scores[n][HEADLINE]) if scores else None
        print(f"IFEval ({results['n_prompts']} prompts from {results['prompts']}; scored by lm-eval's checkers"
              f"{', untrained Punkt' if results.get('punkt') == 'untrained' else ''})")
        print(f"  {'checkpoint':18s}" + "".join(f"{m.replace('_acc', ''):>20s}" for m in METRICS))
        for name, row in scores.items():
            print(f"{'+' if name == best else ' '} {name:18s}" + "".join(f"{row[m]:20.2%}" for m in METRICS))
        print(f"+ best by {HEADLINE}; results in {Path(args.path) / 'evaluations' / 'ifeval.json'}")
    if results.get("cancelled"):
        print("cancelled: the checkpoints finished before are saved", file=sys.stderr)
        return 130
    return EXIT_OK


# ---------------------------------------------------------------- registration
def _common(p: argparse.ArgumentParser, path_help: str = "a run folder, a checkpoint folder or a model folder") -> None:
    p.add_argument("path", metavar="RUN_DIR", help=path_help)
    p.add_argument("--checkpoint", help="best (default for a run), final, latest, or a step number")
    p.add_argument("--device", default="auto", help="cpu, cuda, cuda:N or auto (default: a GPU when PyTorch sees one)")


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("predict", help="try a trained model on a text or a file")
    _common(p)
    p.add_argument("--text", help="one text to predict on")
    p.add_argument("--file", help="a .txt/.jsonl/.csv/.tsv, .xlsx, .parquet/.arrow file or a datasets folder: "
                                  "one prediction per row")
    p.add_argument("--sheet", help="with an .xlsx --file: the sheet to read (default: the first)")
    p.add_argument("--out", help="where --file's predictions go (.jsonl or .csv)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--max-new-tokens", type=int, default=256, help="SFT: longest answer in tokens (default 256)")
    p.add_argument("--temperature", type=float, default=None, help="SFT: sample with this temperature (default: greedy)")
    p.add_argument("--system", help="SFT: a system message before the prompt")
    p.add_argument("--batch-size", type=int, default=16, help="rows per forward pass with --file (default 16)")
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("chat", help="chat with a trained SFT model in the terminal (streaming, multi-turn)")
    _common(p)
    p.add_argument("--system", help="a system message at the start of the conversation")
    p.add_argument("--max-new-tokens", type=int, default=512, help="longest reply in tokens (default 512)")
    p.add_argument("--temperature", type=float, default=None, help="sample with this temperature (default: greedy)")
    p.add_argument("--timing", action="store_true", help="print the time to the first token of each reply")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("compare", help="a run's checkpoints: eval metrics with the best marked, two answering side by side")
    p.add_argument("path", metavar="RUN_DIR")
    p.add_argument("--a", help="first checkpoint (default: the best)")
    p.add_argument("--b", help="second checkpoint (default: the last)")
    p.add_argument("--text", action="append", help="an input both answer (repeatable)")
    p.add_argument("--file", help="a text file of inputs, one a line")
    p.add_argument("--max-new-tokens", type=int, default=256)
    p.add_argument("--device", default="auto")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("evaluate", help="score a run's checkpoints on a benchmark (IFEval, with lm-eval's checkers)")
    p.add_argument("path", metavar="RUN_DIR")
    p.add_argument("--benchmark", default="ifeval", help="ifeval")
    p.add_argument("--checkpoints", default="best", help="all, best, latest, final or steps N,M (default best)")
    p.add_argument("--limit", type=int, help="only the first N prompts (quicker, less exact)")
    p.add_argument("--prompts", help="a local JSONL file in google/IFEval's format (default: download google/IFEval)")
    p.add_argument("--max-new-tokens", type=int, default=1280, help="longest answer (IFEval's own setting: 1280)")
    p.add_argument("--device", default="auto")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_evaluate)
