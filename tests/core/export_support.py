"""Tiny causal LMs of the GGUF families (Llama/SmolLM2 and Qwen2) with byte-level BPE tokenizers built
like the real ones (SmolLM2's digits + GPT-2 byte-level pre-tokenizer, Qwen2's split regex), ChatML chat
templates, and short LoRA SFT runs on them through LapTune's real training code, for the export tests."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import DEMO, train_preset

CHATML = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
          "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")
QWEN2_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|"
               r"\s*[\r\n]+|\s+(?!\S)|\s+")
# The fixed prompt set of the round-trip checks: ASCII, digits, Chinese, code, runs of spaces, a chat turn.
PROMPTS = ["The quick brown fox jumps over the lazy dog.", "reverse abcd", "repeat ecgga", "Hello world, 12345 and 3.14!",
           "我想在apple工作1314151天", "def f(x):\n    return x * 2\n", "  spaced   words\tand\ttabs",
           "<|im_start|>user\nupper hello<|im_end|>\n<|im_start|>assistant\n"]


def tiny_tokenizer(family: str):
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    if family == "llama":   # SmolLM2
        tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Digits(individual_digits=True),
                                                     pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)])
    else:                   # Qwen2 / Qwen2.5 / Qwen1.5
        tok.normalizer = normalizers.NFC()
        tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(QWEN2_SPLIT), behavior="isolated"),
                                                     pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    corpus = (DEMO / "chat_train.jsonl").read_text(encoding="utf-8").splitlines() + PROMPTS
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(corpus, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|im_start|>" if family == "llama" else None,
                                   eos_token="<|im_end|>", pad_token="<|endoftext|>")
    fast.chat_template = CHATML
    return fast


def tiny_causal(folder: Path, family: str) -> Path:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

    torch.manual_seed(0)
    tok = tiny_tokenizer(family)
    # hidden 64: every row a multiple of Q8_0's 32-value blocks, so q8_0 quantises every matrix.
    common = dict(vocab_size=len(tok), hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                  num_key_value_heads=2, max_position_embeddings=256, eos_token_id=tok.eos_token_id,
                  pad_token_id=tok.pad_token_id, tie_word_embeddings=True)
    if family == "llama":
        model = LlamaForCausalLM(LlamaConfig(**common, bos_token_id=tok.bos_token_id))
    else:
        model = Qwen2ForCausalLM(Qwen2Config(**common))
    model.save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


def lora_run(base: Path, run_dir: Path) -> Path:
    """A short LoRA SFT run: 6 steps at a high learning rate (so the adapters move well away from zero),
    checkpoints at steps 3 and 6 (evaluated at 6 only, to stay fast), then final/."""
    summary, _ = train_preset("demo-sft", run_dir, sets=["max_steps=6", "logging_steps=1", "eval_steps=6", "save_steps=3",
                                                         "learning_rate=5e-2", "lora.enabled=true", "lora.rank=4",
                                                         "batch_size=2"],
                              overrides={"model.name_or_path": str(base), "model.init_from_scratch": False})
    assert summary["status"] == "completed", summary
    return run_dir
