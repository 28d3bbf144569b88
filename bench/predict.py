"""Prediction throughput of `laptune predict --file` against transformers.pipeline on the same model and inputs,
and the chat's time to first token (CPU).

    .venv/bin/python bench/predict.py [--rows 2000] [--threads 2]

Classification: the demo preset is trained (a 2-layer BERT from scratch, ~20 s), its best checkpoint answers
`--rows` sentences (the demo's eval sentences repeated and shuffled) three ways: our batch path
(core.use.batch.predict_file, what `laptune predict --file` runs: length-sorted batches of 16, JSONL written),
transformers.pipeline("text-classification") with its default batch (1), and the pipeline with batch_size=16.
Model loading is left out of every timing; each is timed twice and the faster kept.

Chat: a random-weight Llama with SmolLM2-135M-Instruct's shape (resources/model_configs), so the prompt's
forward pass costs what the real model's does; time from sending a message to the first streamed piece,
for a short first turn and for a third turn carrying the history.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def best_of(n: int, fn):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def classification(work: Path, rows: int) -> dict:
    from transformers import pipeline

    from core.config.presets import resolve
    from core.machine.fakes import fake_probe
    from core.train import session
    from core.use.batch import predict_file
    from core.use.load import load_for_inference, resolve_checkpoint

    resolved = resolve("demo", sets=[], env={}, dotenv=None)
    session.run(resolved.config, None, None, run_dir=work / "run", preset_path=resolved.preset_path,
                sources=resolved.sources, hardware=fake_probe("cpu-only"))
    texts = [line.split(",", 1)[0] for line in (ROOT / "resources/demo/cls_eval.csv").read_text(encoding="utf-8").splitlines()[1:]]
    rng = random.Random(0)
    data = [rng.choice(texts) + rng.choice(["", "，今天", "。我们觉得非常好", "，明天的比赛和天气都很重要，大家一起看看"]) for _ in range(rows)]
    src = work / "in.jsonl"
    src.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in data), encoding="utf-8")
    res = resolve_checkpoint(work / "run")
    loaded = load_for_inference(res)
    ours = best_of(2, lambda: predict_file(loaded, src, work / "out.jsonl"))
    pipe = pipeline("text-classification", model=str(res.checkpoint_dir), tokenizer=str(res.checkpoint_dir), device="cpu",
                    top_k=None)
    pipe(data[:8])   # warm-up
    base1 = best_of(2, lambda: pipe(data))
    base16 = best_of(2, lambda: pipe(data, batch_size=16))
    # Same answers: the pipeline's top label equals ours for every row.
    ours_rows = [json.loads(x) for x in (work / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    theirs = pipe(data, batch_size=16)
    agree = sum(r["label"] == max(t, key=lambda d: d["score"])["label"] for r, t in zip(ours_rows, theirs)) / rows
    return {"rows": rows, "checkpoint": res.describe(), "ours_rows_per_s": rows / ours, "pipeline_rows_per_s": rows / base1,
            "pipeline_b16_rows_per_s": rows / base16, "ratio_vs_pipeline": base1 / ours, "ratio_vs_pipeline_b16": base16 / ours,
            "label_agreement": agree}


def chat_first_token(work: Path) -> dict:
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    from core.use.chat import ChatSession
    from core.use.load import load_for_inference, resolve_checkpoint

    cfg = json.loads((ROOT / "resources/model_configs/smollm2-135m-instruct.json").read_text(encoding="utf-8"))
    tok = AutoTokenizer.from_pretrained(ROOT / "resources/demo/llama-tiny")
    torch.manual_seed(0)
    config = LlamaConfig(**{k: v for k, v in cfg.items() if k not in ("architectures", "model_type", "torch_dtype", "dtype")})
    config.eos_token_id, config.pad_token_id = tok.eos_token_id, tok.pad_token_id
    LlamaForCausalLM(config).save_pretrained(work / "smollm2-shape")
    tok.save_pretrained(work / "smollm2-shape")
    loaded = load_for_inference(resolve_checkpoint(work / "smollm2-shape"))
    params = sum(p.numel() for p in loaded.model.parameters())
    chat = ChatSession(loaded, max_new_tokens=24)
    first, third = [], []
    for _ in range(3):
        chat.reset()
        chat.reply("reverse abcd and say why")
        first.append(chat.first_token_seconds)
        chat.reply("upper cgd")
        chat.reply("repeat cbcgb twice")
        third.append(chat.first_token_seconds)
    return {"params": params, "first_turn_ms": statistics.median(first) * 1000, "third_turn_ms": statistics.median(third) * 1000}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as tmp:
        cls = classification(Path(tmp), args.rows)
        print(json.dumps(cls, indent=2, ensure_ascii=False), file=sys.stderr)
        chat = chat_first_token(Path(tmp))
    print(json.dumps({"classification": cls, "chat": chat, "torch_threads": args.threads}, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
