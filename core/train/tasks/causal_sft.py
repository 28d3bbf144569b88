"""Causal-LM SFT on chat data (seed 004), with LoRA or QLoRA (seed 002) as options.

Loss only on assistant tokens: we render the conversation with the tokenizer's chat template and mark
the characters of each assistant turn (the text the template adds between the prompt-with-generation-
prompt and the conversation including that turn), then keep the tokens whose offsets fall inside.
That works for any template without the template having to declare {% generation %} blocks.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from core.config.schema import RunConfig
from core.train.modeling import ModelError, freeze_lower_layers, load_config, load_pretrained, load_tokenizer
from core.train.tasks.base import TOKEN_KEYS, ListDataset, TaskBundle, load_split, max_length, pad_batch

SIMPLE_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)


def keep_rounds(messages: list[dict[str, str]], max_rounds: int | None) -> list[dict[str, str]]:
    """System messages plus the first N user/assistant rounds (seed 004: max_rounds 6)."""
    if max_rounds is None:
        return messages
    out, rounds = [], 0
    for msg in messages:
        if msg["role"] == "user":
            if rounds == max_rounds:
                break
            rounds += 1
        out.append(msg)
    return out


def render(tokenizer: Any, messages: list[dict[str, str]]) -> tuple[str, list[tuple[int, int]]]:
    """The full text and the character spans of assistant replies."""
    spans = []
    for i, msg in enumerate(messages):
        if msg["role"] != "assistant":
            continue
        prompt = tokenizer.apply_chat_template(messages[:i], tokenize=False, add_generation_prompt=True)
        upto = tokenizer.apply_chat_template(messages[: i + 1], tokenize=False)
        if not upto.startswith(prompt):   # a template that rewrites earlier turns: fall back to the content itself
            start = upto.rfind(msg["content"])
            spans.append((start, start + len(msg["content"])))
        else:
            spans.append((len(prompt), len(upto)))
    return tokenizer.apply_chat_template(messages, tokenize=False), spans


def _features(examples: list[Any], tokenizer: Any, cfg: RunConfig, limit: int, notes: list[str]) -> list[dict[str, Any]]:
    features, dropped = [], 0
    for ex in examples:
        messages = keep_rounds(ex.messages, cfg.data.max_rounds)
        text, spans = render(tokenizer, messages)
        enc = tokenizer(text, truncation=True, max_length=limit, add_special_tokens=False, return_offsets_mapping=True)
        labels = []
        for tok_id, (start, end) in zip(enc["input_ids"], enc["offset_mapping"]):
            inside = any(s <= start and end <= e and end > start for s, e in spans)
            labels.append(tok_id if inside else -100)
        if all(lab == -100 for lab in labels):
            dropped += 1   # truncation cut every assistant token: nothing to learn from this sample
            continue
        features.append({"input_ids": list(enc["input_ids"]), "attention_mask": list(enc["attention_mask"]), "labels": labels})
    if dropped:
        notes.append(f"dropped {dropped} conversations with no assistant token left after truncation to {limit} tokens")
    return features


def _quantization(cfg: RunConfig, compute_dtype: torch.dtype):
    from transformers import BitsAndBytesConfig

    if cfg.memory.load_in_4bit:
        # NF4 with double quantisation (seed 002 / QLoRA paper): ~0.5 byte per weight.
        return BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                                  bnb_4bit_compute_dtype=compute_dtype)
    if cfg.memory.load_in_8bit:
        return BitsAndBytesConfig(load_in_8bit=True)
    return None


def build(cfg: RunConfig, model_path: str, preset_dir: Path | None, fixed_padding: bool = False,
          device: str = "cpu", compute_dtype: torch.dtype = torch.float32) -> TaskBundle:
    from transformers import AutoModelForCausalLM

    if (cfg.memory.load_in_4bit or cfg.memory.load_in_8bit) and device != "cuda":
        raise ModelError(
            "QLoRA (4-bit/8-bit) training needs an NVIDIA GPU with CUDA: on the CPU bitsandbytes repacks the weights after "
            "the first evaluation and the LoRA gradients silently become zero",
            fix="train LoRA in 16/32-bit instead: --set load_in_4bit=false (or pick a CPU preset)")
    notes: list[str] = []
    train, evals = load_split(cfg, preset_dir)
    tokenizer = load_tokenizer(model_path, cfg)
    if not getattr(tokenizer, "chat_template", None):
        if cfg.sft.chat_template_fallback == "error":
            raise ModelError(f"the tokenizer of '{model_path}' has no chat template",
                             fix="use an instruct/chat model, or set sft.chat_template_fallback: simple")
        tokenizer.chat_template = SIMPLE_TEMPLATE
        notes.append("the tokenizer has no chat template: using LapTune's simple '<|role|>' template")
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token

    quant = _quantization(cfg, compute_dtype)
    kwargs: dict[str, Any] = {}
    if quant is not None:
        kwargs.update(quantization_config=quant, dtype=compute_dtype, device_map={"": torch.cuda.current_device()})
    elif cfg.lora.enabled:
        kwargs["dtype"] = compute_dtype   # the frozen base can sit in half precision; peft keeps adapters in fp32
    config = load_config(model_path, cfg)
    config.use_cache = False   # the KV cache is useless in training and costs memory
    model = load_pretrained(AutoModelForCausalLM, model_path, cfg, config=config, **kwargs)

    if cfg.lora.enabled:
        from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training

        if quant is not None:
            model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=cfg.memory.gradient_checkpointing,
                                                    gradient_checkpointing_kwargs={"use_reentrant": False})
        elif cfg.memory.gradient_checkpointing:
            model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
            model.enable_input_require_grads()   # checkpointed blocks need an input that requires grad
        targets = "all-linear" if cfg.lora.target_modules == "auto" else list(cfg.lora.target_modules)
        model = get_peft_model(model, LoraConfig(r=cfg.lora.rank, lora_alpha=cfg.lora.alpha, lora_dropout=cfg.lora.dropout,
                                                 target_modules=targets, task_type="CAUSAL_LM"))
        trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
        notes.append(f"LoRA r={cfg.lora.rank} on {targets}: {trainable:,} trainable parameters")
    else:
        if cfg.memory.gradient_checkpointing:
            model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        if cfg.memory.freeze_layers:
            freeze_lower_layers(model.get_decoder() if hasattr(model, "get_decoder") else model, cfg.memory.freeze_layers)

    limit = max_length(cfg, tokenizer)
    train_ds = ListDataset(_features(train, tokenizer, cfg, limit, notes))
    eval_ds = ListDataset(_features(evals, tokenizer, cfg, limit, notes)) if evals else None
    if len(train_ds) == 0:
        from core.data import DataError

        raise DataError("no training conversation has an assistant reply within max_seq_length",
                        field="training.max_seq_length", fix="raise max_seq_length or lower data.max_rounds")
    pad_id = tokenizer.pad_token_id

    def collate(features: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        # Labels are per token here: they must be padded to the same length as the inputs.
        return pad_batch(features, pad_id, limit if fixed_padding else None, fixed_keys=TOKEN_KEYS + ("labels",),
                         limit=limit)

    prompt = cfg.sft.sample_prompt or (evals[0].messages[0]["content"] if evals else train[0].messages[0]["content"])

    @torch.no_grad()
    def sample() -> str:
        """A short greedy reply to the sample prompt, to see what the model has learned."""
        text = tokenizer.apply_chat_template([{"role": "user", "content": prompt}], tokenize=False, add_generation_prompt=True)
        enc = tokenizer(text, return_tensors="pt", add_special_tokens=False).to(next(model.parameters()).device)
        was_training = model.training
        model.eval()
        try:
            out = model.generate(**enc, max_new_tokens=cfg.sft.sample_max_new_tokens, do_sample=False,
                                 pad_token_id=pad_id, eos_token_id=tokenizer.eos_token_id)
        finally:
            model.train(was_training)
        return f"{prompt} -> {tokenizer.decode(out[0, enc['input_ids'].shape[1]:], skip_special_tokens=True).strip()}"

    def save_final(folder: Path) -> None:
        model.save_pretrained(folder)
        tokenizer.save_pretrained(folder)

    # QLoRA on a CPU is refused above; in 4-bit on CUDA a generation is safe, on CPU it would zero LoRA grads.
    return TaskBundle(model=model, tokenizer=tokenizer, train_dataset=train_ds, eval_dataset=eval_ds, collator=collate,
                      compute_metrics=None, preprocess_logits_for_metrics=None, metric_for_best="eval_loss",
                      greater_is_better=False, save_final=save_final, notes=notes, generate_sample=sample)
