"""Shared pieces of the benchmarks: generated data, small random-weight models, one timed run.

Nothing here is committed data: every benchmark builds its data and models under a temporary folder
from a fixed seed, so two runs of a benchmark train on the same bytes.

- ``make_ner``: Chinese-like NER sentences (CoNLL, one character and its tag a line) whose lengths are
  mostly short with a long tail, and a 4-layer BERT (hidden 256) with a character vocabulary.
- ``make_sft``: chat conversations of 1-4 rounds, 20-700 tokens, and a 4-layer Llama (hidden 256)
  with a word-level tokenizer (one token per word, so lengths are easy to control).
- ``timed_run``: one ``core.train.session.run`` whose training throughput is measured from the run's own
  events: from the "started" status (Trainer's on_train_begin) to the Log event of the last step.
  Evaluation and the checkpoint save happen after that Log event, so they are not in the time.
"""
from __future__ import annotations

import json
import math
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# ---------------------------------------------------------------------- NER data + BERT
_CJK = [chr(c) for c in range(0x4E00, 0x4E00 + 2400)]
_SURNAMES = _CJK[0:60]
_GIVEN = _CJK[60:400]
_LOC_SUFFIX = ["市", "省", "县", "镇", "山", "河", "湖"]
_ORG_SUFFIX = ["公司", "大学", "银行", "医院", "集团", "研究所"]
_LOC_CHARS = _CJK[400:700]
_ORG_CHARS = _CJK[700:1000]
_FILLER = _CJK[1000:2400]
_PUNCT = ["，", "。", "、", "；"]


def ner_length(rng: random.Random) -> int:
    """Characters in a sentence: 90 % log-normal around 24 (mostly 10-60), 10 % a tail of 60-180."""
    if rng.random() < 0.10:
        return rng.randint(60, 180)
    return max(6, min(200, round(rng.lognormvariate(math.log(24), 0.45))))


def _entity(rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(["PER", "LOC", "ORG"])
    if kind == "PER":
        text = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))
    elif kind == "LOC":
        text = "".join(rng.choice(_LOC_CHARS) for _ in range(rng.randint(1, 2))) + rng.choice(_LOC_SUFFIX)
    else:
        text = "".join(rng.choice(_ORG_CHARS) for _ in range(rng.randint(2, 4))) + rng.choice(_ORG_SUFFIX)
    return kind, text


def ner_sentence(rng: random.Random) -> list[tuple[str, str]]:
    target = ner_length(rng)
    out: list[tuple[str, str]] = []
    while len(out) < target - 1:
        r = rng.random()
        if r < 0.10:
            kind, text = _entity(rng)
            out += [(ch, f"{'B' if i == 0 else 'I'}-{kind}") for i, ch in enumerate(text)]
        elif r < 0.16:
            out.append((rng.choice(_PUNCT), "O"))
        else:
            out.append((rng.choice(_FILLER), "O"))
    out.append(("。", "O"))
    return out


def _write_conll(path: Path, sentences: list[list[tuple[str, str]]]) -> None:
    path.write_text("\n\n".join("\n".join(f"{c} {t}" for c, t in s) for s in sentences) + "\n", encoding="utf-8")


def make_ner(folder: Path, n_train: int, n_eval: int, seed: int = 0, hidden: int = 256, layers: int = 4) -> dict[str, str]:
    from transformers import BertConfig, BertModel, BertTokenizerFast

    rng = random.Random(seed)
    train = [ner_sentence(rng) for _ in range(n_train)]
    evals = [ner_sentence(rng) for _ in range(n_eval)]
    folder.mkdir(parents=True, exist_ok=True)
    _write_conll(folder / "ner_train.txt", train)
    _write_conll(folder / "ner_eval.txt", evals)

    model_dir = folder / "bert"
    model_dir.mkdir(exist_ok=True)
    chars = sorted(set(_CJK) | set(_LOC_SUFFIX) | {c for s in _ORG_SUFFIX for c in s} | set(_PUNCT))
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + chars
    (model_dir / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tok = BertTokenizerFast(vocab=str(model_dir / "vocab.txt"), do_lower_case=False, tokenize_chinese_chars=True)
    tok.model_max_length = 512
    tok.save_pretrained(model_dir)
    config = BertConfig(vocab_size=len(vocab), hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=4,
                        intermediate_size=4 * hidden, max_position_embeddings=512)
    _save_random(lambda: BertModel(config, add_pooling_layer=False), model_dir, seed)
    return {"train": str(folder / "ner_train.txt"), "eval": str(folder / "ner_eval.txt"), "model": str(model_dir)}


def _save_random(build: Callable[[], Any], folder: Path, seed: int) -> None:
    """Random weights drawn from `seed`, saved like a downloaded model (so no init_from_scratch is needed)."""
    import torch

    torch.manual_seed(seed)
    build().save_pretrained(folder)


# ---------------------------------------------------------------------- SFT data + Llama
_SYLLABLES = [c + v for c in "bdfghklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou", "an")]


def _vocabulary(n: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3))))
    return sorted(words)


def sft_length(rng: random.Random) -> int:
    """Target tokens of a conversation: log-normal around 150, clipped to 20-700 (very varied, long tail)."""
    return max(20, min(700, round(rng.lognormvariate(math.log(150), 0.75))))


class _ChatMaker:
    """Conversations where the assistant answers in the vocabulary of the topic the user names, so a
    model can learn something beyond word frequencies in a few dozen steps."""

    def __init__(self, seed: int, n_words: int = 8000, n_topics: int = 40) -> None:
        self.rng = random.Random(seed)
        self.words = _vocabulary(n_words, self.rng)
        self.topics = [f"topic{i}" for i in range(n_topics)]
        per = n_words // n_topics
        self.topic_words = {t: self.words[i * per:(i + 1) * per] for i, t in enumerate(self.topics)}
        self.common = self.words[: n_words // 10]
        # Zipf-like weights inside each topic.
        self.weights = [1.0 / (k + 1) for k in range(per)]

    def _text(self, topic: str, n: int) -> str:
        rng = self.rng
        picks = rng.choices(self.topic_words[topic], weights=self.weights, k=n)
        return " ".join(w if rng.random() > 0.15 else rng.choice(self.common) for w in picks)

    def conversation(self) -> dict[str, Any]:
        rng = self.rng
        total = sft_length(rng)
        rounds = rng.randint(1, 4)
        per_round = max(8, total // rounds)
        messages: list[dict[str, str]] = []
        if rng.random() < 0.3:
            messages.append({"role": "system", "content": "you are a helpful assistant"})
        for _ in range(rounds):
            topic = rng.choice(self.topics)
            user_n = max(2, per_round // 4)
            messages.append({"role": "user", "content": f"tell {topic} " + self._text(topic, user_n - 2)})
            messages.append({"role": "assistant", "content": self._text(topic, max(2, per_round - user_n - 6))})
        return {"messages": messages}


def make_sft(folder: Path, n_train: int, n_eval: int, seed: int = 0, hidden: int = 256, layers: int = 4) -> dict[str, str]:
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    maker = _ChatMaker(seed)
    train = [maker.conversation() for _ in range(n_train)]
    evals = [maker.conversation() for _ in range(n_eval)]
    folder.mkdir(parents=True, exist_ok=True)
    for name, convs in (("chat_train.jsonl", train), ("chat_eval.jsonl", evals)):
        (folder / name).write_text("".join(json.dumps(c) + "\n" for c in convs), encoding="utf-8")

    specials = ["<pad>", "<s>", "<unk>", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>"]
    extra = ["tell", "you", "are", "a", "helpful", "assistant"] + maker.topics
    vocab = {tok: i for i, tok in enumerate(dict.fromkeys(specials + extra + maker.words))}
    tokenizer = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, pad_token="<pad>", bos_token="<s>", eos_token="<|end|>",
                                   unk_token="<unk>", additional_special_tokens=specials[3:])
    fast.chat_template = (
        "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}<|end|>\n{% endfor %}"
        "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
    )
    fast.model_max_length = 2048
    model_dir = folder / "llama"
    fast.save_pretrained(model_dir)
    config = LlamaConfig(vocab_size=len(vocab), hidden_size=hidden, intermediate_size=int(hidden * 8 / 3) // 16 * 16,
                         num_hidden_layers=layers, num_attention_heads=4, num_key_value_heads=4,
                         max_position_embeddings=2048, tie_word_embeddings=True, pad_token_id=vocab["<pad>"],
                         bos_token_id=vocab["<s>"], eos_token_id=vocab["<|end|>"])
    _save_random(lambda: LlamaForCausalLM(config), model_dir, seed)
    return {"train": str(folder / "chat_train.jsonl"), "eval": str(folder / "chat_eval.jsonl"), "model": str(model_dir)}


# ---------------------------------------------------------------------- one timed run
@dataclass
class RunResult:
    label: str
    steps: int
    samples: int
    wall_seconds: float                 # Trainer start -> Log event of the last step
    cpu_seconds: float                  # this process's CPU time over the same span (all threads)
    metrics: dict[str, float] = field(default_factory=dict)
    padded_tokens: int = 0              # tokens the model computed on (input_ids.numel()) while training
    real_tokens: int = 0                # attention_mask.sum(): tokens that are not padding
    paused_seconds: float = 0.0

    @property
    def samples_per_s(self) -> float:
        return self.samples / self.wall_seconds if self.wall_seconds > 0 else float("nan")

    @property
    def samples_per_cpu_s(self) -> float:
        return self.samples / self.cpu_seconds if self.cpu_seconds > 0 else float("nan")


class PadCounter:
    """Counts padded and real tokens of the training batches by wrapping the tasks' `pad_batch`.

    With `labels_to_input_length`, causal-LM labels are padded (with -100) to the input length, as the
    seeds' collators do with padding="max_length" (core's SFT collator now does this itself under fixed
    padding; the wrapper is kept so results stay comparable with the recorded runs). Counting happens
    only while `active` (between Trainer start and the last step).
    """

    MODULES = ("core.train.tasks.ner_crf", "core.train.tasks.causal_sft", "core.train.tasks.classify")

    def __init__(self, labels_to_input_length: bool = False) -> None:
        self.labels_to_input_length = labels_to_input_length
        self.active = False
        self.padded = 0
        self.real = 0
        self._saved: list[tuple[Any, Any]] = []

    def install(self) -> Callable[[], None]:
        import importlib

        import torch

        from core.train.tasks import base

        original = base.pad_batch

        def pad_batch(features: list[dict[str, Any]], pad_id: int, fixed_length: int | None,
                      pad_values: dict[str, int] | None = None, **options: Any) -> dict[str, torch.Tensor]:
            batch = original(features, pad_id, fixed_length, pad_values, **options)
            labels = batch.get("labels")
            if (self.labels_to_input_length and labels is not None and labels.dim() == 2
                    and labels.shape[1] < batch["input_ids"].shape[1]):
                grown = torch.full(batch["input_ids"].shape, -100, dtype=labels.dtype)
                grown[:, : labels.shape[1]] = labels
                batch["labels"] = grown
            if self.active:
                self.padded += batch["input_ids"].numel()
                self.real += int(batch["attention_mask"].sum()) if "attention_mask" in batch else batch["input_ids"].numel()
            return batch

        for name in self.MODULES:
            module = importlib.import_module(name)
            self._saved.append((module, module.pad_batch))
            module.pad_batch = pad_batch

        def undo() -> None:
            for module, fn in self._saved:
                module.pad_batch = fn
            self._saved.clear()

        return undo


def resolve_config(preset: str, overrides: dict[str, Any]):
    from core.config.presets import resolve

    # env={} and dotenv=None: a shell variable or a .env file must not change the benchmark.
    return resolve(preset, env={}, dotenv=None, overrides=overrides)


def timed_run(label: str, preset: str, overrides: dict[str, Any], run_dir: Path, *, fixed_padding: bool = False,
              patch: Callable[[], Callable[[], None]] | None = None, counter: PadCounter | None = None) -> RunResult:
    """Train once through core.train.session.run. Times are taken when the events arrive (an event's own `t`
    is when it was created): from the "started" status, which EventCallback sends from Trainer's
    on_train_begin, to the Log event of step max_steps, which Trainer sends before the final evaluation
    and checkpoint save. So model loading, tokenising, evaluation and saving are not in the time."""
    from core.record.events import Log, Status
    from core.train.session import run

    import torch

    # A run sets torch's threads from device.cpu_threads; keep what the bench chose (--threads).
    resolved = resolve_config(preset, {"device.cpu_threads": torch.get_num_threads(), **overrides})
    cfg = resolved.config
    steps = cfg.training.max_steps
    if steps <= 0 or steps % (cfg.training.logging_steps or 1):
        raise ValueError("max_steps must be positive and a multiple of logging_steps")
    marks: dict[str, tuple[float, float]] = {}

    def emit(event: Any) -> None:
        if isinstance(event, Status) and event.status == "started":
            marks["start"] = (time.perf_counter(), time.process_time())
            if counter is not None:
                counter.active = True
        elif isinstance(event, Log) and event.step == steps:
            marks["end"] = (time.perf_counter(), time.process_time())
            if counter is not None:
                counter.active = False

    undo = [p() for p in (patch, counter.install if counter is not None else None) if p is not None]
    try:
        summary = run(cfg, emit, run_dir=run_dir, preset_path=resolved.preset_path, sources=resolved.sources,
                      fixed_padding=fixed_padding)
    finally:
        for u in reversed(undo):
            u()
    if summary.get("status") != "completed" or "start" not in marks or "end" not in marks:
        raise RuntimeError(f"{label}: the run did not reach step {steps}: {summary.get('status')}: {summary.get('message')}")
    (w0, c0), (w1, c1) = marks["start"], marks["end"]
    return RunResult(label=label, steps=steps, samples=steps * cfg.training.batch_size * cfg.training.grad_accum,
                     wall_seconds=w1 - w0, cpu_seconds=c1 - c0, metrics=dict(summary.get("last_eval") or {}),
                     padded_tokens=counter.padded if counter else 0, real_tokens=counter.real if counter else 0,
                     paused_seconds=float(summary.get("paused_seconds") or 0.0))


# ---------------------------------------------------------------------- small helpers
def percentiles(values: list[int], qs: tuple[int, ...] = (50, 90, 99)) -> dict[int, int]:
    ordered = sorted(values)
    return {q: ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] for q in qs}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def quiet_logging() -> None:
    import logging
    import warnings

    warnings.filterwarnings("ignore")
    logging.getLogger("transformers").setLevel(logging.ERROR)
    try:
        import transformers

        transformers.utils.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
    except ImportError:
        pass
