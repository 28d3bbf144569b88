"""What a user ran before LapTune: a seed-style training script (seeds 000 and 001), for bench/end_to_end.py.

    python bench/seed_style.py ner --train T --eval E --model DIR --out DIR [--seed 42]
    python bench/seed_style.py classify --train T.csv --eval E.csv --model DIR --out DIR

Written the way the seed scripts are: every sentence padded to max_length, random batches, HF
Trainer with a second learning rate for the head/CRF, pytorch-crf over all token positions ([CLS]
and [SEP] tagged "O", mask = attention mask), one evaluation at the end, the final model saved.
The model is the same tiny BERT that LapTune trains, built from the folder's config.json with random
weights drawn from the seed. torch's thread count is left at its default, as the scripts do.
Prints one JSON line with the metric.
"""
from __future__ import annotations

import argparse
import csv
import json
import time

T0 = time.perf_counter()

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402
from torchcrf import CRF  # noqa: E402
from transformers import (BertConfig, BertModel, BertTokenizerFast, Trainer, TrainingArguments,  # noqa: E402
                          set_seed)


class BertCrf(nn.Module):
    def __init__(self, config: BertConfig, num_tags: int) -> None:
        super().__init__()
        self.bert = BertModel(config, add_pooling_layer=False)
        self.dropout = nn.Dropout(0.1)
        self.classifier = nn.Linear(config.hidden_size, num_tags)
        self.crf = CRF(num_tags, batch_first=True)

    def forward(self, input_ids, attention_mask, token_type_ids=None, labels=None):
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
        emissions = self.classifier(self.dropout(hidden))
        mask = attention_mask.bool()
        if labels is not None:
            return {"loss": -self.crf(emissions, labels, mask=mask, reduction="mean"), "logits": emissions}
        return {"logits": emissions}


class BertClassifier(nn.Module):
    def __init__(self, config: BertConfig, num_labels: int) -> None:
        super().__init__()
        self.bert = BertModel(config, add_pooling_layer=False)
        self.head = nn.Sequential(nn.Dropout(0.1), nn.Linear(config.hidden_size, num_labels))

    def forward(self, input_ids, attention_mask, token_type_ids=None, labels=None):
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)   # seed 003: mean over real tokens
        logits = self.head((hidden * mask).sum(1) / mask.sum(1).clamp(min=1))
        out = {"logits": logits}
        if labels is not None:
            out["loss"] = nn.functional.cross_entropy(logits, labels)
        return out


class TwoRateTrainer(Trainer):
    """Seed 000's --crf_learning_rate: the head and CRF get their own learning rate."""

    def __init__(self, *args, head_lr: float, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.head_lr = head_lr

    def create_optimizer(self, model=None):
        if self.optimizer is None:
            body = [p for n, p in self.model.named_parameters() if n.startswith("bert.")]
            head = [p for n, p in self.model.named_parameters() if not n.startswith("bert.")]
            self.optimizer = torch.optim.AdamW([{"params": body, "lr": self.args.learning_rate},
                                                {"params": head, "lr": self.head_lr}],
                                               weight_decay=self.args.weight_decay)
        return self.optimizer


def read_conll(path: str) -> list[tuple[list[str], list[str]]]:
    sents, chars, tags = [], [], []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line:
            if chars:
                sents.append((chars, tags))
            chars, tags = [], []
            continue
        c, t = line.split()
        chars.append(c)
        tags.append(t)
    if chars:
        sents.append((chars, tags))
    return sents


class NerDataset(torch.utils.data.Dataset):
    def __init__(self, sents, tokenizer, label2id, max_length):
        self.items = []
        for chars, tags in sents:
            enc = tokenizer(chars, is_split_into_words=True, truncation=True, max_length=max_length, padding="max_length")
            labels, prev = [], None
            for wid in enc.word_ids():
                labels.append(label2id["O"] if wid is None else label2id[tags[wid]])
            self.items.append({**{k: torch.tensor(v) for k, v in enc.items()}, "labels": torch.tensor(labels)})

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("task", choices=["ner", "classify"])
    ap.add_argument("--train", required=True)
    ap.add_argument("--eval", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--epochs", type=float, default=3)
    ap.add_argument("--batch_size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--head_lr", type=float, default=5e-2)
    ap.add_argument("--max_length", type=int, default=64)
    args = ap.parse_args()

    set_seed(args.seed)
    tokenizer = BertTokenizerFast.from_pretrained(args.model)
    config = BertConfig.from_pretrained(args.model)
    if args.task == "ner":
        train, evals = read_conll(args.train), read_conll(args.eval)
        tags = sorted({t for _, ts in train + evals for t in ts})
        label2id = {t: i for i, t in enumerate(tags)}
        train_ds = NerDataset(train, tokenizer, label2id, args.max_length)
        eval_ds = NerDataset(evals, tokenizer, label2id, args.max_length)
        model = BertCrf(config, len(tags))

        def metrics(pred):
            from seqeval.metrics import f1_score

            paths, (labels, mask) = pred.predictions, pred.label_ids
            y_true, y_pred = [], []
            for p, g, m in zip(paths, labels, mask):
                n = int(m.sum())
                y_true.append([tags[i] for i in g[1:n - 1]])
                y_pred.append([tags[i] for i in p[1:n - 1]])
            return {"f1": f1_score(y_true, y_pred)}

        def preprocess(logits, labels):
            mask = labels[1] if isinstance(labels, (tuple, list)) else labels
            out = torch.zeros(logits.shape[:2], dtype=torch.long)
            for i, path in enumerate(model.crf.decode(logits, mask=mask.bool())):
                out[i, : len(path)] = torch.tensor(path)
            return out

        label_names = ["labels", "attention_mask"]
    else:
        def read(path):
            with open(path, encoding="utf-8") as f:
                return [(r["text"], r["label"]) for r in csv.DictReader(f)]

        train, evals = read(args.train), read(args.eval)
        labels_sorted = sorted({lab for _, lab in train + evals})
        label2id = {lab: i for i, lab in enumerate(labels_sorted)}

        def encode(rows):
            enc = tokenizer([t for t, _ in rows], truncation=True, max_length=args.max_length, padding="max_length")
            return [{**{k: torch.tensor(v[i]) for k, v in enc.items()}, "labels": torch.tensor(label2id[rows[i][1]])}
                    for i in range(len(rows))]

        train_ds, eval_ds = encode(train), encode(evals)
        model = BertClassifier(config, len(labels_sorted))

        def metrics(pred):
            return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}

        preprocess = None
        label_names = ["labels"]

    targs = TrainingArguments(output_dir=args.out, per_device_train_batch_size=args.batch_size,
                              per_device_eval_batch_size=args.batch_size, num_train_epochs=args.epochs,
                              learning_rate=args.lr, weight_decay=0.01, logging_steps=50, save_strategy="no",
                              eval_strategy="no", seed=args.seed, use_cpu=True, report_to=[], label_names=label_names,
                              remove_unused_columns=False, disable_tqdm=True)
    trainer = TwoRateTrainer(model=model, args=targs, train_dataset=train_ds, eval_dataset=eval_ds,
                             compute_metrics=metrics, preprocess_logits_for_metrics=preprocess, head_lr=args.head_lr)
    trainer.train()
    result = trainer.evaluate()
    torch.save(model.state_dict(), f"{args.out}/model.pt")
    print(json.dumps({"metric": result.get("eval_f1", result.get("eval_accuracy")), "eval": result,
                      "seconds_in_script": round(time.perf_counter() - T0, 2)}))


if __name__ == "__main__":
    np.set_printoptions(precision=4)
    main()
