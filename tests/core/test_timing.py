"""core/memory/timing.py: FLOPs per step and time per epoch from fixed numbers (no torch, no GPU)."""
from __future__ import annotations

import pytest

from core.memory import timing
from core.config.schema import RunConfig
from core.memory.model_arch import parse_arch

# A 2-layer BERT, hidden 64, MLP 256: one layer's matmul weights are 4 x 64 x 64 + 2 x 64 x 256 = 49 152.
BERT = {"model_type": "bert", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
        "intermediate_size": 256, "vocab_size": 1000, "max_position_embeddings": 128, "type_vocab_size": 2}
# A 2-layer Llama, hidden 64, 2 kv heads of 16, MLP 128: 64x64 + 2 x 64x32 + 64x64 + 3 x 64x128 = 36 864.
LLAMA = {"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
         "num_key_value_heads": 2, "intermediate_size": 128, "vocab_size": 500}
W_BERT, W_LLAMA = 49_152, 36_864


def test_full_fine_tuning_is_six_flops_per_weight_and_token_plus_attention():
    arch = parse_arch(BERT)
    attn = 4 * 32 * 64                                   # QK^T and AV at seq 32, hidden 64
    per_token = 2 * (6 * W_BERT + 3 * attn)               # = 638 976
    assert timing.flops_per_token(arch, task="classify", seq_len=32) == per_token == 638_976
    flops = timing.step_flops(arch, task="classify", batch_size=8, seq_len=32, grad_accum=2)
    assert flops == 8 * 2 * 32 * per_token == 327_155_712


def test_frozen_layers_run_forward_only_and_checkpointing_recomputes_the_forward():
    arch = parse_arch(BERT)
    attn = 4 * 32 * 64
    frozen_one = (2 * W_BERT + attn) + (6 * W_BERT + 3 * attn)
    assert timing.flops_per_token(arch, task="classify", seq_len=32, freeze_layers=1) == frozen_one == 425_984
    all_frozen = timing.flops_per_token(arch, task="classify", seq_len=32, freeze_layers=5)   # more than the model has
    assert all_frozen == 2 * (2 * W_BERT + attn)
    ckpt = timing.flops_per_token(arch, task="classify", seq_len=32, gradient_checkpointing=True)
    assert ckpt == 2 * (8 * W_BERT + 4 * attn) == 851_968


def test_lora_pays_forward_and_input_gradients_on_the_base_and_the_lm_head():
    arch = parse_arch(LLAMA)
    adapters = 4 * (128 + 96 + 96 + 128 + 192 + 192 + 192)   # rank 4 on all seven projections = 4 096
    attn = 4 * 16 * 64
    per_token = 2 * (4 * W_LLAMA + 6 * adapters + 3 * attn) + 4 * 500 * 64
    assert per_token == 496_640
    assert timing.flops_per_token(arch, task="sft", seq_len=16, lora_rank=4) == per_token
    assert timing.step_flops(arch, task="sft", batch_size=2, seq_len=16, lora_rank=4) == 32 * per_token


def test_gpu_table_matches_names_laptop_parts_first_and_labels_unknown_ones():
    laptop = timing.gpu_throughput("NVIDIA GeForce RTX 4060 Laptop GPU", "bf16")
    assert laptop.flops_per_s == pytest.approx(23.2e12 * 0.3)
    assert "23.2 TFLOPS" in laptop.source and "0.3 utilisation" in laptop.source
    assert timing.gpu_throughput("NVIDIA GeForce RTX 4060", "fp16").flops_per_s == pytest.approx(30.2e12 * 0.3)
    assert timing.gpu_throughput("NVIDIA GeForce RTX 4090", "auto").flops_per_s == pytest.approx(165.2e12 * 0.3)
    assert timing.gpu_throughput("NVIDIA GeForce RTX 3090", "fp32").flops_per_s == pytest.approx(35.6e12 * 0.3)
    assert timing.gpu_throughput("NVIDIA GeForce RTX 3050 Laptop GPU").flops_per_s == pytest.approx(12.2e12 * 0.3)
    assert timing.gpu_throughput("NVIDIA GeForce RTX 4080").flops_per_s == pytest.approx(97.5e12 * 0.3)
    unknown = timing.gpu_throughput("Quadro P1000")
    assert unknown.flops_per_s == pytest.approx(10e12 * 0.3) and "not in the table" in unknown.source


def test_cpu_throughput_measured_or_a_labelled_assumption():
    assumed = timing.cpu_throughput(4)
    assert assumed.flops_per_s == 40e9 and not assumed.measured and "not measured" in assumed.source
    assert assumed.overhead_s == timing.OVERHEAD_S["cpu"] == 0.04
    measured = timing.cpu_throughput(4, measured_gflops=100.0)
    assert measured.flops_per_s == 50e9 and measured.measured


def test_estimate_time_from_a_run_config():
    cfg = RunConfig(task="classify", model={"name_or_path": "unused"},
                    training={"batch_size": 8, "grad_accum": 2, "max_seq_length": 32, "num_epochs": 3})
    rate = timing.Throughput(flops_per_s=1e9, source="fixed")
    est = timing.estimate_time(cfg, rate, train_examples=1000, model_config=BERT)
    assert est.flops_per_step == 327_155_712
    assert est.seconds_per_step == pytest.approx(0.327155712)
    assert est.steps_per_epoch == 63                       # ceil(1000 / 16)
    assert est.total_steps == 189
    assert est.seconds_per_epoch == pytest.approx(63 * 0.327155712)
    assert est.seconds_total == pytest.approx(189 * 0.327155712)
    shorter = timing.estimate_time(cfg, rate, avg_seq_len=16, model_config=BERT)   # the data's mean length
    assert shorter.tokens_per_step == 256 and shorter.steps_per_epoch is None and shorter.seconds_total is None
    capped = cfg.model_copy(update={"training": cfg.training.model_copy(update={"max_steps": 50})})
    assert timing.estimate_time(capped, rate, train_examples=1000, model_config=BERT).total_steps == 50
    with_overhead = timing.Throughput(flops_per_s=1e9, source="fixed", overhead_s=0.04)   # per micro-batch
    assert timing.estimate_time(cfg, with_overhead, model_config=BERT).seconds_per_step == pytest.approx(0.327155712 + 0.08)


def test_measure_cpu_gflops_never_imports_torch(monkeypatch):
    import sys

    monkeypatch.delitem(sys.modules, "torch", raising=False)
    assert timing.measure_cpu_gflops(0.01) is None
    assert "torch" not in sys.modules
