"""Generated data with the length distribution of real Chinese text, and a tiny BERT config over its characters.

NER (news sentences): a real corpus measured median 41 characters, 10th percentile 13, 90th percentile
81 (4000 train / 1000 test). One log-normal cannot match all three: its quantiles are symmetric in
log space, and this corpus has a longer short tail (ln 41 - ln 13 = 1.15 below the median, ln 81 - ln 41
= 0.68 above). So lengths are drawn from a two-piece ("split") log-normal: ln(length) is normal with
median mu = ln 41, spread sigma_low = ln(41/13) / 1.2816 = 0.896 below the median and sigma_high =
ln(81/41) / 1.2816 = 0.531 above it (1.2816 is the standard normal's 90th percentile). Each half is
a half-normal, drawn with probability 1/2, so the median, p10 and p90 are met exactly.
`python bench/e2e_data.py` prints the fitted quantiles and the share of real tokens in a 64-token
fixed pad, which the real corpus had at 65 % (a fourth figure the fit was not made to match).

Classification (reviews): median 148 characters, 90th percentile 540, cut at 256 tokens. Two
quantiles fix a plain log-normal: mu = ln 148, sigma = ln(540/148) / 1.2816 = 1.010.

The text is random CJK characters with entities (NER) or sentiment characters (classification: 10 %
of a review's characters from its class's set, 3 % from the other's) mixed in at fixed rates, so a
small model learns something measurable in a few epochs.
"""
from __future__ import annotations

import csv
import json
import math
import random
from pathlib import Path

Z90 = 1.2815515655446004
NER_MEDIAN, NER_P10, NER_P90 = 41, 13, 81
CLS_MEDIAN, CLS_P90 = 148, 540

_CJK = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
# Entity characters also occur as ordinary text, so the model has to use the context (as in real news).
_SURNAMES, _GIVEN = _CJK[1000:1060], _CJK[1000:1400]
_LOC_CHARS, _ORG_CHARS = _CJK[1200:1500], _CJK[1300:1700]
_LOC_SUFFIX = ["市", "省", "县", "镇", "山", "河", "湖", "区"]
_ORG_SUFFIX = ["公司", "大学", "银行", "医院", "集团", "研究所", "局", "会"]
_FILLER = _CJK[1000:2400]
_POSITIVE, _NEGATIVE = _CJK[2400:2550], _CJK[2550:2700]
_PUNCT = ["，", "。", "、", "；"]


def ner_length(rng: random.Random) -> int:
    """Characters in one sentence: the split log-normal above, at least 2."""
    mu, g = math.log(NER_MEDIAN), abs(rng.gauss(0.0, 1.0))
    if rng.random() < 0.5:
        return max(2, round(math.exp(mu - g * math.log(NER_MEDIAN / NER_P10) / Z90)))
    return round(math.exp(mu + g * math.log(NER_P90 / NER_MEDIAN) / Z90))


def cls_length(rng: random.Random) -> int:
    return max(4, round(rng.lognormvariate(math.log(CLS_MEDIAN), math.log(CLS_P90 / CLS_MEDIAN) / Z90)))


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
        elif r < 0.18:   # suffix characters outside entities too
            out.append((rng.choice(_LOC_SUFFIX + [s[-1] for s in _ORG_SUFFIX]), "O"))
        else:
            out.append((rng.choice(_FILLER), "O"))
    out.append(("。", "O"))
    return out[:max(target, 2)]


def review(rng: random.Random) -> tuple[str, str]:
    label = rng.choice(["neg", "pos"])
    own, other = (_POSITIVE, _NEGATIVE) if label == "pos" else (_NEGATIVE, _POSITIVE)
    chars = []
    for _ in range(cls_length(rng)):
        r = rng.random()
        chars.append(rng.choice(own) if r < 0.10 else rng.choice(other) if r < 0.13 else
                     rng.choice(_PUNCT) if r < 0.12 else rng.choice(_FILLER))
    return "".join(chars), label


def write_tiny_bert(folder: Path, texts: list[str], hidden: int = 128, layers: int = 2, heads: int = 4) -> Path:
    """config.json + a character vocabulary from the training text, no weights (init_from_scratch)."""
    from transformers import BertConfig, BertTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    chars = sorted({c for t in texts for c in t})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + chars
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tok = BertTokenizerFast(vocab=str(folder / "vocab.txt"), do_lower_case=False, tokenize_chinese_chars=True)
    tok.model_max_length = 512
    tok.save_pretrained(folder)
    BertConfig(vocab_size=len(vocab), hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
               intermediate_size=4 * hidden, max_position_embeddings=512).save_pretrained(folder)
    return folder


def make_ner(folder: Path, n_train: int = 4000, n_eval: int = 1000, seed: int = 0) -> dict[str, str]:
    rng = random.Random(seed)
    train = [ner_sentence(rng) for _ in range(n_train)]
    evals = [ner_sentence(rng) for _ in range(n_eval)]
    folder.mkdir(parents=True, exist_ok=True)
    for name, sents in (("ner_train.txt", train), ("ner_eval.txt", evals)):
        (folder / name).write_text("\n\n".join("\n".join(f"{c} {t}" for c, t in s) for s in sents) + "\n", encoding="utf-8")
    model = write_tiny_bert(folder / "bert-ner", ["".join(c for c, _ in s) for s in train] + ["".join(_PUNCT) + "。"])
    return {"train": str(folder / "ner_train.txt"), "eval": str(folder / "ner_eval.txt"), "model": str(model)}


def make_cls(folder: Path, n_train: int = 2000, n_eval: int = 500, seed: int = 0) -> dict[str, str]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    rows = {"cls_train.csv": [review(rng) for _ in range(n_train)], "cls_eval.csv": [review(rng) for _ in range(n_eval)]}
    for name, data in rows.items():
        with open(folder / name, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["text", "label"])
            w.writerows(data)
    model = write_tiny_bert(folder / "bert-cls", [t for t, _ in rows["cls_train.csv"]])
    return {"train": str(folder / "cls_train.csv"), "eval": str(folder / "cls_eval.csv"), "model": str(model)}


def describe(n: int = 20000, seed: int = 1) -> dict[str, float]:
    rng = random.Random(seed)
    ner = sorted(ner_length(rng) for _ in range(n))
    cls = sorted(cls_length(rng) for _ in range(n))
    q = lambda xs, p: xs[int(p * (len(xs) - 1))]  # noqa: E731
    real64 = sum(min(x + 2, 64) for x in ner) / (64 * n)
    real256 = sum(min(x + 2, 256) for x in cls) / (256 * n)
    return {"ner_p10": q(ner, 0.1), "ner_median": q(ner, 0.5), "ner_p90": q(ner, 0.9), "ner_real_share_of_64": round(real64, 3),
            "cls_median": q(cls, 0.5), "cls_p90": q(cls, 0.9), "cls_real_share_of_256": round(real256, 3)}


if __name__ == "__main__":
    print(json.dumps(describe(), indent=2))
