"""Regenerate the bundled demo data and tiny model folders (config + tokenizer, no weights).

    python resources/demo/make_demo.py

Deterministic: the same files every time. The demo presets train these from scratch
(`init_from_scratch: true`) in under a minute on two CPU cores, so a newcomer sees a run learn
without downloading anything.
"""
from __future__ import annotations

import csv
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

TOPICS = {
    "体育": ["足球", "篮球", "比赛", "球队", "冠军", "进球", "教练", "运动员", "跑步", "游泳"],
    "天气": ["下雨", "晴天", "刮风", "气温", "下雪", "阴天", "台风", "雷雨", "降温", "湿度"],
    "美食": ["米饭", "面条", "饺子", "火锅", "包子", "炒菜", "甜点", "烤鸭", "豆腐", "馄饨"],
}
FILLERS = ["今天", "我们", "听说", "明天", "大家", "昨天", "真的", "非常", "觉得", "一起", "看到", "喜欢"]
NAMES = ["张伟", "李娜", "王芳", "刘洋", "陈静", "杨帆", "赵磊", "黄敏"]
PLACES = ["北京", "上海", "广州", "深圳", "成都", "杭州", "武汉", "西安"]
ORGS = ["清华大学", "华为公司", "人民医院", "中国银行", "北京大学", "腾讯公司"]
NER_TEMPLATES = [
    ("{PER}在{LOC}的{ORG}工作。", ),
    ("{PER}昨天去了{LOC}。", ),
    ("{ORG}位于{LOC}。", ),
    ("{PER}和{PER2}在{ORG}见面。", ),
    ("我在{LOC}遇到了{PER}。", ),
]


def classification(rng: random.Random, n: int) -> list[tuple[str, str]]:
    rows = []
    labels = list(TOPICS)
    for _ in range(n):
        label = rng.choice(labels)
        words = rng.sample(TOPICS[label], 2) + rng.sample(FILLERS, 3)
        rng.shuffle(words)
        rows.append(("".join(words), label))
    return rows


def ner(rng: random.Random, n: int) -> list[list[tuple[str, str]]]:
    sentences = []
    for _ in range(n):
        (template,) = rng.choice(NER_TEMPLATES)
        values = {"PER": rng.choice(NAMES), "PER2": rng.choice(NAMES), "LOC": rng.choice(PLACES), "ORG": rng.choice(ORGS)}
        tagged: list[tuple[str, str]] = []
        i = 0
        while i < len(template):
            if template[i] == "{":
                key = template[i + 1:template.index("}", i)]
                ent = "PER" if key.startswith("PER") else key
                for j, ch in enumerate(values[key]):
                    tagged.append((ch, f"{'B' if j == 0 else 'I'}-{ent}"))
                i = template.index("}", i) + 1
            else:
                tagged.append((template[i], "O"))
                i += 1
        sentences.append(tagged)
    return sentences


def chats(rng: random.Random, n: int) -> list[dict]:
    """Small deterministic skills a tiny model can pick up: reverse, repeat, count."""
    out = []
    letters = "abcdefgh"
    for _ in range(n):
        word = "".join(rng.choice(letters) for _ in range(rng.randint(3, 6)))
        kind = rng.choice(["reverse", "repeat", "upper"])
        answer = {"reverse": word[::-1], "repeat": f"{word} {word}", "upper": word.upper()}[kind]
        messages = [{"role": "user", "content": f"{kind} {word}"}, {"role": "assistant", "content": answer}]
        if rng.random() < 0.3:
            messages.insert(0, {"role": "system", "content": "You are a tiny helpful model."})
        out.append({"messages": messages})
    return out


def write_bert(folder: Path, texts: list[str]) -> None:
    from transformers import BertConfig, BertTokenizerFast

    chars = sorted({ch for text in texts for ch in text})
    folder.mkdir(parents=True, exist_ok=True)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + chars
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    # transformers 5 ignores vocab_file=; vocab= takes the path (PLATFORM-NOTES).
    tok = BertTokenizerFast(vocab=str(folder / "vocab.txt"), do_lower_case=False, tokenize_chinese_chars=True)
    tok.model_max_length = 128
    tok.save_pretrained(folder)
    BertConfig(vocab_size=len(vocab), hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
               intermediate_size=128, max_position_embeddings=128).save_pretrained(folder)


def write_llama(folder: Path, texts: list[str]) -> None:
    from tokenizers import Tokenizer, models, pre_tokenizers, decoders
    from transformers import LlamaConfig, PreTrainedTokenizerFast

    specials = ["<pad>", "<s>", "</s>", "<unk>", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>"]
    chars = sorted({ch for text in texts for ch in text} | set("\n "))
    vocab = {tok: i for i, tok in enumerate(specials + chars)}
    tokenizer = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Split("", behavior="isolated")
    tokenizer.decoder = decoders.Fuse()
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, pad_token="<pad>", bos_token="<s>", eos_token="<|end|>",
                                   unk_token="<unk>", additional_special_tokens=specials[4:])
    fast.chat_template = (
        "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}<|end|>\n{% endfor %}"
        "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
    )
    fast.model_max_length = 128
    folder.mkdir(parents=True, exist_ok=True)
    fast.save_pretrained(folder)
    LlamaConfig(vocab_size=len(vocab), hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                num_key_value_heads=2, max_position_embeddings=256, tie_word_embeddings=True,
                pad_token_id=vocab["<pad>"], bos_token_id=vocab["<s>"], eos_token_id=vocab["<|end|>"]).save_pretrained(folder)


def main() -> None:
    rng = random.Random(1234)
    cls_train, cls_eval = classification(rng, 480), classification(rng, 120)
    for name, rows in (("cls_train.csv", cls_train), ("cls_eval.csv", cls_eval)):
        with open(HERE / name, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["text", "label"])
            writer.writerows(rows)
    ner_train, ner_eval = ner(rng, 400), ner(rng, 80)
    for name, sents in (("ner_train.txt", ner_train), ("ner_eval.txt", ner_eval)):
        (HERE / name).write_text("\n\n".join("\n".join(f"{c} {t}" for c, t in s) for s in sents) + "\n", encoding="utf-8")
    chat_train, chat_eval = chats(rng, 400), chats(rng, 60)
    for name, convs in (("chat_train.jsonl", chat_train), ("chat_eval.jsonl", chat_eval)):
        (HERE / name).write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in convs), encoding="utf-8")

    bert_texts = [t for t, _ in cls_train + cls_eval] + ["".join(c for c, _ in s) for s in ner_train + ner_eval]
    write_bert(HERE / "bert-tiny", bert_texts)
    chat_texts = [m["content"] for c in chat_train + chat_eval for m in c["messages"]] + [kind for kind in ("reverse", "repeat", "upper")]
    write_llama(HERE / "llama-tiny", chat_texts + ["ABCDEFGH"])


if __name__ == "__main__":
    main()
