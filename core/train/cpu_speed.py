"""Encoder training on the CPU: bf16 where the CPU multiplies bf16 natively, and cheaper dropout.

Three things torch and transformers leave slow for the small encoders LapTune trains on laptops
(profiled in docs/benchmarks.md, a 2-layer BERT, batch 16, on one core):

- **bf16.** CPUs with AVX512-BF16 or AMX (AMD Zen 4 and later, Intel Xeon 4th generation and later)
  multiply bf16 matrices ~4x as fast as fp32 ones (390 vs 90 GFLOP/s on one core). `precision: auto`
  picks bf16 autocast there (`cpu_bf16_supported`, used by core/train/setup.py): the weights, the
  optimizer and the CRF stay fp32, only the matrix products run in bf16, as mixed precision does on a GPU.
- **Dropout masks.** torch draws a dropout mask one 32-bit random number per element (`bernoulli_`,
  ~6 ns each on the CPU): a quarter of a classification step at 256 tokens, where attention dropout
  masks batch x heads x length x length probabilities. `keep_mask` draws one 64-bit number for four
  elements and compares 16-bit slices with a threshold: same Bernoulli(1 - p) (p rounded to 1/65536),
  same torch generator (so seeds and resumed runs repeat), 4x fewer draws.
- **Attention dropout.** With dropout in training, torch's scaled_dot_product_attention leaves its fused
  CPU kernel for the unfused math path and draws its mask with `bernoulli_`. `attention_forward` (a
  transformers attention function, registered as "laptune_cpu") computes the same softmax(QK^T)V with
  the mask above, and hands everything else (no dropout, evaluation, causal or grouped attention, GPUs)
  to transformers' own SDPA function.

`speed_up(model)` applies the last two to an encoder model built for a CPU run; state dicts, saved
models (config.json does not record the attention function) and runs on other devices do not change.
"""
from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

ATTENTION_NAME = "laptune_cpu"
_THRESHOLD_SPAN = 1 << 16


def cpu_bf16_supported() -> bool:
    """True when this CPU has native bf16 dot products (AVX512-BF16 or AMX); torch asks the CPU itself."""
    cpu = getattr(torch, "cpu", None)
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    try:
        return any(bool(getattr(cpu, name)()) for name in checks if hasattr(cpu, name))
    except Exception:   # an unusual build without the cpuinfo checks: assume not
        return False


def keep_mask(shape: torch.Size | tuple[int, ...], p: float, device: torch.device | str = "cpu") -> torch.Tensor:
    """A bool tensor of `shape`, each element True with probability 1 - p (p rounded to 1/65536).

    One int64 from torch's default generator gives four independent 16-bit slices; an element is kept
    when its slice is at or above -32768 + round(p * 65536)."""
    n = math.prod(shape)
    words = (n + 3) // 4
    bits = torch.randint(-(1 << 63), (1 << 63) - 1, (words,), dtype=torch.int64, device=device)
    threshold = -(1 << 15) + round(p * _THRESHOLD_SPAN)
    return bits.view(torch.int16)[:n].view(shape) >= threshold


def scaled_keep(shape: torch.Size | tuple[int, ...], p: float, dtype: torch.dtype) -> torch.Tensor:
    """`keep_mask` as 1 / (1 - p) for a kept element and 0 for a dropped one, in `dtype`.

    Through uint8: torch converts bool to bf16 ~10x slower than uint8 to bf16 on the CPU, and multiplying
    by a bool tensor converts it each time (forward and backward)."""
    return keep_mask(shape, p).view(torch.uint8).to(dtype).mul_(1.0 / (1.0 - p))


def dropout(x: torch.Tensor, p: float, training: bool = True) -> torch.Tensor:
    """nn.functional.dropout with `keep_mask` on the CPU; unchanged elsewhere or when nothing drops."""
    if not training or p <= 0.0 or x.device.type != "cpu":
        return nn.functional.dropout(x, p, training)
    if p >= 1.0:
        return torch.zeros_like(x)
    return x * scaled_keep(x.shape, p, x.dtype)


class MaskDropout(nn.Dropout):
    """nn.Dropout whose CPU training masks come from `keep_mask` (same p, same scaling)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.inplace or x.device.type != "cpu":
            return super().forward(x)
        return dropout(x, self.p, self.training)


def attention_forward(module: nn.Module, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                      attention_mask: torch.Tensor | None, dropout: float = 0.0, scaling: float | None = None,
                      is_causal: bool | None = None, **kwargs: Any) -> tuple[torch.Tensor, None]:
    """transformers' SDPA attention, with training-time attention dropout drawn by `keep_mask` on the CPU."""
    from transformers.integrations.sdpa_attention import sdpa_attention_forward

    plain = (dropout > 0.0 and query.device.type == "cpu" and not is_causal and not getattr(module, "is_causal", False)
             and getattr(module, "num_key_value_groups", 1) == 1 and kwargs.get("position_bias") is None
             and kwargs.get("softcap") is None and query.shape[-1] == value.shape[-1])
    if not plain:
        return sdpa_attention_forward(module, query, key, value, attention_mask, dropout=dropout, scaling=scaling,
                                      is_causal=is_causal, **kwargs)
    scale = query.shape[-1] ** -0.5 if scaling is None else scaling
    # Scale and mask in place on the product (its backward needs neither), softmax in the compute dtype as
    # transformers' eager attention does.
    scores = torch.matmul(query, key.transpose(-1, -2)).mul_(scale)
    if attention_mask is not None:
        if attention_mask.dtype == torch.bool:   # transformers' SDPA masks: True = attend
            bias = torch.zeros(attention_mask.shape, dtype=scores.dtype, device=scores.device)
            attention_mask = bias.masked_fill_(~attention_mask, torch.finfo(scores.dtype).min)
        scores = scores.add_(attention_mask.to(scores.dtype))
    probs = torch.softmax(scores, dim=-1)
    out = torch.matmul(probs * scaled_keep(probs.shape, dropout, probs.dtype), value)
    return out.transpose(1, 2).contiguous(), None


def _register_attention() -> None:
    from transformers import AttentionInterface
    from transformers.masking_utils import ALL_MASK_ATTENTION_FUNCTIONS, sdpa_mask

    AttentionInterface.register(ATTENTION_NAME, attention_forward)
    ALL_MASK_ATTENTION_FUNCTIONS.register(ATTENTION_NAME, sdpa_mask)   # the same masks as SDPA


def speed_up(model: nn.Module) -> list[str]:
    """Cheaper dropout for a model about to train on the CPU; returns what changed, for the run's log.

    Every nn.Dropout becomes a MaskDropout; sub-models whose configs use transformers' SDPA attention use
    `attention_forward`. Parameters, buffers and state dicts are untouched."""
    swapped = 0
    for parent in model.modules():
        for name, child in list(parent.named_children()):
            if type(child) is nn.Dropout and not child.inplace:
                replacement = MaskDropout(child.p)
                replacement.train(child.training)
                setattr(parent, name, replacement)
                swapped += 1
    configs = {id(m.config): m.config for m in model.modules()
               if getattr(getattr(m, "config", None), "_attn_implementation", None) == "sdpa"}
    if configs:
        _register_attention()
        for config in configs.values():
            config._attn_implementation = ATTENTION_NAME
    if not swapped:
        return []
    return [f"{swapped} dropout layers{' and attention dropout' if configs else ''} use faster CPU masks (same rate)"]
