"""The memory estimator against the seed guides' own VRAM figures.

    python bench/estimate_seeds.py                     # print the comparison as Markdown
    python bench/estimate_seeds.py --update-docs docs/benchmarks.md   # replace that section in the file

The seeds' figures are what their authors saw in nvidia-smi / Task Manager (CUDA context included) or
expected; "GB" is read as GiB, the unit both tools count in. None of the seeds' scripts set
expandable_segments, so their rows are estimated with the classic allocator. Runs in well under a second
on a CPU: nothing is loaded but the bundled config.json files.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.memory.estimate import Estimate, estimate  # noqa: E402
from core.memory.terms import GIB, EstimateSettings
from core.memory.model_arch import load_model_config, parse_arch  # noqa: E402

HEADING = "## Memory estimator vs the seeds' figures"
TOLERANCE = 0.20

BERT = "bert-base-chinese.json"
QWEN = "qwen1.5-7b-chat.json"
SMOL = "smollm2-135m-instruct.json"
GTE = "gte-multilingual-base.json"

_S000 = dict(task="ner", seq_len=64, precision="fp16", use_crf=True, expandable_segments=False)
_S002 = dict(task="sft", seq_len=1024, precision="bf16", load_in_4bit=True, gradient_checkpointing=True,
             optimizer="paged_adamw_8bit", batch_size=1, expandable_segments=False)
_S003 = dict(task="classify", classify_head="mlp", mlp_hidden=512, batch_size=16, seq_len=512, expandable_segments=False)
_S004 = dict(task="sft", batch_size=1, precision="fp16", gradient_checkpointing=True, expandable_segments=False)


@dataclass(frozen=True)
class Row:
    seed: str
    scenario: str
    config: str
    settings: dict[str, Any]
    figure: str  # the seed's words
    low: float  # GiB
    high: float
    kind: str  # "compare": within 20 % of the range; "explained": see the note; "oom": must exceed `low`
    note: str = ""

    def run(self) -> Estimate:
        return estimate(load_model_config("seed", self.config), EstimateSettings(**self.settings))


ROWS: tuple[Row, ...] = (
    *(Row("000", f"bert-base-chinese + CRF, len 64, 10 of 12 layers frozen, fp16, batch {b}", BERT,
          dict(_S000, batch_size=b, freeze_layers=10), f"~{fig} GB (\"verified\")", fig, fig, "explained", "A")
      for b, fig in ((1, 2.0), (2, 2.5), (4, 3.0), (8, 3.5))),
    *(Row("000", f"the same with nothing frozen (what the seed's breakdown counts), batch {b}", BERT,
          dict(_S000, batch_size=b, freeze_layers=0), f"~{fig} GB", fig, fig, "explained", "A")
      for b, fig in ((1, 2.0), (8, 3.5))),
    Row("002", "Qwen1.5-7B-Chat QLoRA r32, len 1024, batch 1, checkpointing, bf16 (plan 1)", QWEN,
        dict(_S002, lora_rank=32), "peak 12-14 GB (training 10-12)", 12.0, 14.0, "compare"),
    Row("002", "the same at len 512, r16 (plan 3)", QWEN, dict(_S002, lora_rank=16, seq_len=512),
        "8-10 GB", 8.0, 10.0, "compare", "B"),
    Row("002", "the run that failed: batch 2, len 2048, r64 on a 16 GB card", QWEN,
        dict(_S002, lora_rank=64, batch_size=2, seq_len=2048), "OOM (\"Tried to allocate 2.32 GiB\")",
        16.0, 16.0, "oom", "C"),
    Row("003", "gte-multilingual-base + MLP head, batch 16, len 512, fp32", GTE, dict(_S003, precision="fp32"),
        "~21 GB in use (its OOM message)", 21.0, 21.0, "compare", "D"),
    Row("003", "the seed's recommendation: batch 8, fp16, len 512", GTE, dict(_S003, precision="fp16", batch_size=8),
        "1-1.5 GB (its estimate)", 1.0, 1.5, "explained", "D"),
    Row("004", "SmolLM2-135M full SFT, len 1024, batch 1, checkpointing, fp16 (strategy A)", SMOL,
        dict(_S004, seq_len=1024), "4-5 GB (~4.5)", 4.0, 5.0, "compare", "E"),
    Row("004", "the same at len 768 (strategy B)", SMOL, dict(_S004, seq_len=768), "~4-4.5 GB", 4.0, 4.5, "compare", "E"),
)


@dataclass
class Result:
    row: Row
    est: Estimate
    gib: float = field(init=False)
    deviation: float = field(init=False)  # 0 inside the seed's range, else relative to its nearest end

    def __post_init__(self) -> None:
        self.gib = self.est.peak_bytes / GIB
        lo, hi = self.row.low, self.row.high
        self.deviation = 0.0 if lo <= self.gib <= hi else (self.gib - lo) / lo if self.gib < lo else (self.gib - hi) / hi

    @property
    def verdict(self) -> str:
        if self.row.kind == "oom":
            return "OOM as seen" if self.gib > self.row.low else "MISSED the OOM"
        if abs(self.deviation) <= TOLERANCE:
            return "within 20 %"
        return f"see {self.row.note}" if self.row.kind == "explained" else "OUTSIDE 20 %"


def results() -> list[Result]:
    return [Result(row, row.run()) for row in ROWS]


def _seed003_breakdown() -> list[str]:
    est = ROWS[[r.seed for r in ROWS].index("003")].run()
    b = {k: v / GIB for k, v in est.breakdown.items()}
    other = b["cuda_context"] + b["allocator_overhead"] + b["weight_copies"] + b["optimizer_step"] + b["logits"]
    return [
        "| term | seed 003's breakdown | this estimator |",
        "|---|---|---|",
        f"| parameters | ~110 M, 440-450 MB | {est.params_total / 1e6:.1f} M, {b['weights']:.2f} GiB |",
        f"| activations | ~25 MB | {b['activations']:.2f} GiB |",
        f"| gradients | ~450 MB | {b['gradients']:.2f} GiB |",
        f"| AdamW states | ~900 MB | {b['optimizer']:.2f} GiB |",
        f"| other (context, temporaries) | 200-500 MB | {other:.2f} GiB |",
        f"| total | ~2-2.5 GB | {est.peak_bytes / GIB:.2f} GiB |",
    ]


def _g(n: float) -> str:
    return f"{n / GIB:.2f} GiB"


def _notes() -> dict[str, str]:
    """The explanations, with their numbers taken from the estimator so they cannot go stale."""
    def est(config: str, **kw: Any) -> Estimate:
        return estimate(load_model_config("seed", config), EstimateSettings(**kw))

    fz1, fz8 = (est(BERT, **_S000, batch_size=b, freeze_layers=10) for b in (1, 8))
    nf1, nf8 = (est(BERT, **_S000, batch_size=b, freeze_layers=0) for b in (1, 8))
    oom = est(QWEN, **dict(_S002, lora_rank=64, batch_size=2, seq_len=2048))
    oom16 = est(QWEN, **dict(_S002, lora_rank=64, batch_size=2, seq_len=2048, upcast_non_quantised=False))
    smol = est(SMOL, **dict(_S004, seq_len=1024))
    gte_params = parse_arch(load_model_config("seed", GTE)).params("base")

    def fwd_end(e: Estimate, upcast: bool) -> float:
        # First step, end of forward: no gradients or optimizer state yet; layer-input checkpoints
        # (fp32 or bf16 residual stream) and the bf16 logits.
        b = e.breakdown
        ckpt = 32 * 2 * 2048 * 4096 * (4 if upcast else 2)
        return b["cuda_context"] + b["weights"] + b["weight_copies"] + ckpt + 2 * 2048 * 151936 * 2

    upcast = 2 * 2048 * 151936 * 4
    bf = fz8.breakdown
    return {
        "A": f"""**A (seed 000).** With 10 of 12 layers and the embeddings frozen, {fz1.params_trainable / 1e6:.1f} M of \
{fz1.params_total / 1e6:.1f} M parameters train: their gradients and AdamW states take \
{_g(bf["gradients"] + bf["optimizer"])}, the fp32 weights {_g(bf["weights"])}, and the two trainable layers keep \
{_g(bf["activations"])} of activations at batch 8 x 64 tokens. The estimate is {_g(fz1.peak_bytes)} at batch 1 and \
{_g(fz8.peak_bytes)} at batch 8; the seed reports 2.0-3.5 GB. The seed's own breakdown counts AdamW states for all \
weights (1.2 GB), i.e. nothing frozen, and with nothing frozen the estimate is {_g(nf1.peak_bytes)} at batch 1, \
near its 2.0 GB. No physical term makes memory grow by 0.5 GB per doubling of the batch at 64 tokens: from batch 1 \
to 8 even an unfrozen BERT-base's activations grow by \
{_g(nf8.breakdown["activations"] - nf1.breakdown["activations"])}. What nvidia-smi adds on a Windows laptop lies \
outside the training process: the desktop and other programs on the same GPU (the 4 GB fake profile has 0.3 GiB in \
use at idle), a larger context without lazy kernel loading (667 MB instead of 287 MB, pytorch PR #86509), and \
memory the caching allocator keeps after evaluation. The round 2.0/2.5/3.0/3.5 steps read as impressions rather \
than readings; the constants were not bent to meet them, and the OOM back-off in core/train/session.py covers the risk \
that they are real.""",
        "B": """**B (seed 002, plan 3).** The seed's "8-10 GB" is its author's expectation for the fallback plan; the \
estimate, 18 % over its top, keeps the fp32 embeddings and LM head that the failed run implies (note C).""",
        "C": f"""**C (seed 002, the OOM).** `peft.prepare_model_for_kbit_training` turns gradient checkpointing on by \
default and upcasts the embeddings and LM head (1.24 B parameters) to fp32. At the end of that run's first forward \
the estimator's terms hold {_g(fwd_end(oom, True))} (context, weights, autocast copies, fp32 layer-input \
checkpoints, bf16 logits); the loss's fp32 upcast of the logits, 2 x 2048 x 151936 x 4 bytes = {_g(upcast)} (the \
exact allocation in the seed's error), then needs {_g(fwd_end(oom, True) + upcast)} of a 16 GB card's 15.99 GiB, \
leaving {_g(15.99 * GIB - fwd_end(oom, True) - upcast)} for the allocator's fragmentation and anything else on the \
GPU: that is where it failed (the whole step would need {_g(oom.peak_bytes)}). Without the fp32 upcast the forward would have reached the loss at \
{_g(fwd_end(oom16, False) + upcast)}, with room to spare, so the OOM supports the estimator's assumption.""",
        "D": f"""**D (seed 003).** gte-multilingual-base has {gte_params / 1e6:.1f} M \
parameters, not ~110 M: its 250 048-token multilingual vocabulary alone is 192 M. The seed's 25 MB of activations is \
one 512 x 768 hidden state per sample; twelve layers keep far more, and this model's SDPA path (memory-efficient \
kernel switched off, a padding bias) runs the math kernel, which stores the 12 x 512 x 512 attention probabilities \
of every layer and sample. The ~21 GB in its OOM message is 18 % above the fp32 estimate and may include other \
processes (the seed says the GPUs were shared). Its expectation of 1-1.5 GB for batch 8 in fp16 follows from the \
same undercount.""",
        "E": f"""**E (seed 004).** Full fine-tuning with fp32 master weights: weights, gradients and AdamW states take \
{_g(smol.breakdown["weights"] + smol.breakdown["gradients"] + smol.breakdown["optimizer"])}, the fp32 \
log-probabilities over the 49 152-token vocabulary and their gradients {_g(smol.breakdown["logits"])} at 1024 \
tokens, for {_g(smol.peak_bytes)} in all, 11 % under the seed's "4-5 GB". Its script computes the loss in its own \
loss_functions.py, which may keep another fp32 copy of the logits ({_g(1024 * 49152 * 4)}), and its figures are \
expectations (预期) as much as readings.""",
    }


def markdown() -> str:
    res = results()
    out = [HEADING, "",
           "Produced by `python bench/estimate_seeds.py` (CPU, no downloads: the bundled config.json files).",
           "Seed figures are nvidia-smi-style (CUDA context included); \"GB\" is read as GiB. The difference is",
           "measured from the nearest end of the seed's range; every row is within 20 % or explained below.", "",
           "| seed | run | seed's figure | estimate | difference | verdict |", "|---|---|---|---|---|---|"]
    for r in res:
        diff = "-" if r.row.kind == "oom" else "inside" if r.deviation == 0 else f"{r.deviation:+.0%}"
        out.append(f"| {r.row.seed} | {r.row.scenario} | {r.row.figure} | {r.gib:.2f} GiB | {diff} | {r.verdict} |")
    out += ["", "Seed 003's own breakdown of the batch 16, length 512 run, next to the estimate's terms (fp32):", ""]
    out += _seed003_breakdown()
    notes = _notes()
    out += [""] + [notes[k] + "\n" for k in sorted(notes)]
    return "\n".join(out).rstrip() + "\n"


def update_docs(path: Path, section: str) -> None:
    """Replace this section (up to the next '## ' heading) or append it; other sections stay as they are."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == HEADING), None)
    if start is None:
        new = text.rstrip("\n") + "\n\n" + section
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        tail = "".join(lines[end:])
        new = "".join(lines[:start]) + section + ("\n" + tail if tail else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update-docs", type=Path, metavar="FILE", help="write the section into this Markdown file")
    args = parser.parse_args(argv)
    section = markdown()
    if args.update_docs:
        update_docs(args.update_docs, section)
    print(section, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
