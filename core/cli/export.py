"""`laptune export RUN_DIR [--checkpoint C] --format hf|merged|gguf|ollama [--out DIR] [--quant Q]`.

Writes the model where people run it: a Hugging Face folder with a model card, LoRA merged into the
weights, one GGUF file (llama.cpp, LM Studio) or a GGUF plus an Ollama Modelfile. Ctrl-C stops it and
leaves no half-written output behind.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

EXIT_OK, EXIT_BAD, EXIT_INTERRUPTED = 0, 1, 130

EPILOG = """formats:
  hf      model folder (safetensors, config, tokenizer) + README.md model card; LoRA runs are merged
  merged  LoRA/QLoRA adapters merged into the base weights (--quant f16|bf16), loads without peft
  gguf    one .gguf file for llama.cpp / LM Studio (--quant f16|bf16|q8_0, default f16)
  ollama  .gguf + Modelfile (chat template, stop tokens) and the `ollama create` command (default q8_0)

--checkpoint: best | last | final | a step number | a folder (default: final, else best, else last)
"""


class _Progress:
    """One updating line on a terminal; plain lines (only when the message changes kind) otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.tty = stream, stream.isatty()
        self.last = ""

    def __call__(self, fraction: float, message: str) -> None:
        if self.tty:
            bar = "#" * int(fraction * 30)
            self.stream.write(f"\r[{bar:<30}] {fraction:4.0%} {message[:70]:<70}")
            self.stream.flush()
            return
        kind = message.split(":")[0]
        if kind != self.last:
            self.stream.write(f"{fraction:4.0%} {message}\n")
            self.last = kind

    def done(self) -> None:
        if self.tty:
            self.stream.write("\n")


def cmd_export(args: argparse.Namespace) -> int:
    from core.use.export import ExportCancelled, ExportError, ExportRequest, export

    request = ExportRequest(run_dir=Path(args.run_dir), format=args.format, checkpoint=args.checkpoint,
                            out=Path(args.out) if args.out else None, quant=args.quant, overwrite=args.overwrite)
    progress = _Progress(sys.stderr)
    import transformers

    transformers.utils.logging.disable_progress_bar()   # our progress line replaces the loading/saving bars
    try:
        result = export(request, progress=progress)
    except ExportError as exc:
        progress.done()
        print(f"error: {exc.message}" + (f"\n  fix: {exc.fix}" if exc.fix else ""), file=sys.stderr)
        return EXIT_BAD
    except (ExportCancelled, KeyboardInterrupt):
        progress.done()
        print("export cancelled; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    progress.done()
    for line in result.lines():
        print(line)
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    from core.use.export_common import FORMATS, QUANTS

    p = sub.add_parser("export", help="export a run's model: hf folder + card, merged LoRA, GGUF, Ollama",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("run_dir", help="a run folder (or a checkpoint folder inside one)")
    p.add_argument("--format", choices=FORMATS, default="hf")
    p.add_argument("--checkpoint", help="best | last | final | a step number | a folder")
    p.add_argument("--out", help="output folder (default RUN_DIR/export/FORMAT[-QUANT])")
    p.add_argument("--quant", choices=QUANTS + ("f32",), help="precision: f16 | bf16 | q8_0 (gguf/ollama) | f32 (merged)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing output folder")
    p.set_defaults(func=cmd_export)
