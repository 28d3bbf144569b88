"""A rough time per optimizer step, per epoch and per run, from FLOPs and the device's throughput, without training.

seconds per step = FLOPs of one optimizer step / effective FLOP/s of the device.

FLOPs: a matmul with P weights costs 2 x P FLOPs per token forward; backward costs 2 x P for the input
gradient and 2 x P for the weight gradient (Kaplan et al. 2020, "Scaling laws", section 2.1). So a layer
that is trained costs 6 x P per token, a frozen layer in front of everything trained costs 2 x P (forward
only), and a frozen layer that gradients still pass through (LoRA's base weights) 4 x P. Attention scores
add 4 x seq x hidden per layer and token forward. Gradient checkpointing runs the forward of the
backward-path layers twice. Embedding lookups, norms and the optimizer step are left out (small).

Throughput: a GPU's dense fp16/bf16 tensor-core TFLOPS with fp32 accumulation (what PyTorch autocast
uses), from NVIDIA's spec sheets and architecture whitepapers, times UTILISATION: small-batch
fine-tuning on a laptop keeps the tensor cores busy for about a third of the time (short sequences,
kernel launches, data loading, the optimizer). On the CPU either a 0.2 s matmul measurement, when torch
is already imported (importing it just for this would cost seconds), or a labelled conservative guess.
Small models are dominated by a fixed cost per micro-batch instead (Python, the Trainer's callbacks, kernel
launches, data loading, the optimizer step): the demo (2-layer BERT, 0.2 GFLOP per step) takes 47-170 ms
per step on 2 CPU cores, not the 6 ms its FLOPs give. OVERHEAD_S adds that cost.
The result is good to a factor of about two: "probe first" measures the real step time.
"""
from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.memory.model_arch import Arch, lora_linears

if TYPE_CHECKING:
    from core.config.schema import RunConfig

UTILISATION_GPU = 0.3
UTILISATION_CPU = 0.5          # of a measured large-matmul rate: training adds many small, memory-bound ops
CPU_ASSUMED_GFLOPS_PER_CORE = 10.0   # effective fp32 training rate per physical core when nothing is measured
UNKNOWN_GPU_TFLOPS = 10.0            # a low-end laptop GPU, for names not in the table
OVERHEAD_S = {"cpu": 0.04, "cuda": 0.015}   # fixed seconds per micro-batch (see above; the GPU's is a guess)

# (pattern on the lower-cased name, dense fp16/bf16 tensor TFLOPS with fp32 accumulate, fp32 TFLOPS).
# GeForce cards run fp16 with fp32 accumulation at half their fp16-accumulate rate, i.e. 2 x their fp32
# shader rate (RTX 4090: 82.6 fp32 -> 165.2; RTX 3090: 35.6 -> 71). Laptop parts: NVIDIA's boost clock
# at a typical power limit; a thin laptop at a low power limit is slower.
GPU_TABLE: tuple[tuple[str, float, float], ...] = (
    (r"h100", 989.0, 67.0),                 # H100 SXM; the PCIe card is ~25 % slower
    (r"a100", 312.0, 19.5),
    (r"l4\b", 121.0, 30.3),
    (r"t4\b", 65.0, 8.1),                   # Turing: fp16 only (no bf16)
    (r"rtx 4090 laptop", 2 * 33.0, 33.0),
    (r"rtx 4090", 165.2, 82.6),
    (r"rtx 4080 laptop", 2 * 24.7, 24.7),
    (r"rtx 4080", 97.5, 48.7),
    (r"rtx 4070 laptop", 2 * 15.6, 15.6),
    (r"rtx 4070", 58.3, 29.1),
    (r"rtx 4060 laptop", 2 * 11.6, 11.6),
    (r"rtx 4060", 30.2, 15.1),
    (r"rtx 4050 laptop", 2 * 9.0, 9.0),
    (r"rtx 3090", 71.0, 35.6),
    (r"rtx 3080 laptop", 2 * 18.7, 18.7),
    (r"rtx 3080", 59.5, 29.8),
    (r"rtx 3070 laptop", 2 * 16.6, 16.6),
    (r"rtx 3060 laptop", 2 * 10.9, 10.9),
    (r"rtx 3060", 25.4, 12.7),
    (r"rtx 3050 ti laptop", 2 * 7.6, 7.6),
    (r"rtx 3050 laptop", 2 * 6.1, 6.1),
    (r"rtx 3050", 18.2, 9.1),
)


@dataclass(frozen=True)
class Throughput:
    flops_per_s: float      # effective, utilisation included
    source: str             # where the number comes from, in words
    measured: bool = False
    overhead_s: float = 0.0  # fixed seconds per micro-batch on top of the FLOPs


@dataclass(frozen=True)
class TimeEstimate:
    flops_per_step: float
    seconds_per_step: float
    steps_per_epoch: int | None
    total_steps: int | None
    throughput: Throughput
    tokens_per_step: int

    @property
    def seconds_per_epoch(self) -> float | None:
        return None if self.steps_per_epoch is None else self.steps_per_epoch * self.seconds_per_step

    @property
    def seconds_total(self) -> float | None:
        return None if self.total_steps is None else self.total_steps * self.seconds_per_step


# ----------------------------------------------------------------------------- FLOPs
def flops_per_token(arch: Arch, *, task: str, seq_len: float, freeze_layers: int = 0, lora_rank: int | None = None,
                    lora_targets: str | tuple[str, ...] | list[str] = "auto",
                    gradient_checkpointing: bool = False) -> float:
    """Training FLOPs for one token of one micro-batch (forward + backward)."""
    L = arch.layers
    w = sum(x.weight_params for x in arch.layer_linears)        # matmul weights of one layer
    attn = 4.0 * seq_len * arch.heads * arch.head_dim           # QK^T and AV, forward, per layer
    head = arch.vocab * arch.hidden if task == "sft" else 0     # the LM head runs on every token
    recompute = 2.0 if gradient_checkpointing else 0.0
    if lora_rank:
        adapters = sum(lora_rank * (x.n_in + x.n_out) for x in lora_linears(arch, lora_targets))
        per_layer = (4.0 + recompute) * w + (6.0 + recompute) * adapters + (3.0 + recompute / 2) * attn
        return L * per_layer + 4.0 * head
    frozen = min(freeze_layers, L)
    trained = L - frozen
    forward_only = frozen * (2.0 * w + attn)
    backward_path = trained * ((6.0 + recompute) * w + (3.0 + recompute / 2) * attn)
    return forward_only + backward_path + 6.0 * head


def step_flops(arch: Arch, *, task: str, batch_size: int, seq_len: float, grad_accum: int = 1, **kw: Any) -> float:
    """FLOPs of one optimizer step: grad_accum micro-batches of batch_size samples of seq_len tokens."""
    tokens = batch_size * grad_accum * seq_len
    return tokens * flops_per_token(arch, task=task, seq_len=seq_len, **kw)


# ----------------------------------------------------------------------------- throughput
def gpu_throughput(name: str, precision: str = "auto") -> Throughput:
    """Effective FLOP/s of a GPU by name; fp32 runs on the shader cores (TF32 is off by default in PyTorch)."""
    low = " ".join(name.lower().replace("geforce", "").replace("nvidia", "").split())
    for pattern, half, single in GPU_TABLE:
        if re.search(pattern, low):
            peak = single if precision == "fp32" else half
            kind = "fp32" if precision == "fp32" else "fp16/bf16 tensor"
            return Throughput(peak * 1e12 * UTILISATION_GPU,
                              f"{name}: {peak:g} TFLOPS {kind} (spec sheet) x {UTILISATION_GPU:g} utilisation",
                              overhead_s=OVERHEAD_S["cuda"])
    return Throughput(UNKNOWN_GPU_TFLOPS * 1e12 * UTILISATION_GPU,
                      f"{name}: not in the table, assumed {UNKNOWN_GPU_TFLOPS:g} TFLOPS x {UTILISATION_GPU:g} utilisation",
                      overhead_s=OVERHEAD_S["cuda"])


def measure_cpu_gflops(seconds: float = 0.2) -> float | None:
    """fp32 matmul GFLOP/s over about `seconds`, only if torch is already imported (else None)."""
    torch = sys.modules.get("torch")
    if torch is None or not hasattr(torch, "mm"):
        return None
    n = 256
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)                                  # warm-up
    count, start = 0, time.perf_counter()
    while True:
        torch.mm(a, b)
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return 2.0 * n ** 3 * count / elapsed / 1e9


def cpu_throughput(physical_cores: int | None, measured_gflops: float | None = None) -> Throughput:
    if measured_gflops:
        return Throughput(measured_gflops * 1e9 * UTILISATION_CPU,
                          f"CPU: {measured_gflops:.0f} GFLOPS measured (matmul) x {UTILISATION_CPU:g} utilisation",
                          measured=True, overhead_s=OVERHEAD_S["cpu"])
    cores = physical_cores or 2
    return Throughput(cores * CPU_ASSUMED_GFLOPS_PER_CORE * 1e9,
                      f"CPU: assumed {CPU_ASSUMED_GFLOPS_PER_CORE:g} GFLOPS per core x {cores} cores (not measured)",
                      overhead_s=OVERHEAD_S["cpu"])


# ----------------------------------------------------------------------------- a run config
def estimate_time(cfg: RunConfig, throughput: Throughput, *, avg_seq_len: float | None = None,
                  train_examples: int | None = None, model_config: dict[str, Any] | None = None) -> TimeEstimate:
    """Seconds per step from the config; per epoch and in total when the number of training examples is known.

    avg_seq_len: the data's mean tokens per sample (capped at max_seq_length); default max_seq_length."""
    import math

    from core.memory.model_arch import load_model_config, parse_arch
    from core.config.paths import presets_dir

    if model_config is None:
        model_config = load_model_config(cfg.model.name_or_path, cfg.model.config_file, base_dir=presets_dir())
    arch = parse_arch(model_config)
    t, lora = cfg.training, cfg.lora
    seq = min(float(avg_seq_len), t.max_seq_length) if avg_seq_len else float(t.max_seq_length)
    targets = lora.target_modules if lora.target_modules == "auto" else tuple(lora.target_modules)
    flops = step_flops(arch, task=cfg.task, batch_size=t.batch_size, seq_len=seq, grad_accum=t.grad_accum,
                       freeze_layers=cfg.memory.freeze_layers, lora_rank=lora.rank if lora.enabled else None,
                       lora_targets=targets, gradient_checkpointing=cfg.memory.gradient_checkpointing)
    per_epoch = math.ceil(train_examples / (t.batch_size * t.grad_accum)) if train_examples else None
    if t.max_steps and t.max_steps > 0:
        total = t.max_steps
    elif per_epoch is not None:
        total = math.ceil(per_epoch * t.num_epochs)
    else:
        total = None
    seconds = flops / throughput.flops_per_s + t.grad_accum * throughput.overhead_s
    return TimeEstimate(flops_per_step=flops, seconds_per_step=seconds,
                        steps_per_epoch=per_epoch, total_steps=total, throughput=throughput,
                        tokens_per_step=int(t.batch_size * t.grad_accum * seq))
