"""Encoder training on the CPU: bf16 where the CPU has it, cheaper dropout, clipping and memory reuse.

What torch, transformers and glibc leave slow for the small encoders LapTune trains on laptops
(profiled in docs/benchmarks.md, a 2-layer BERT, batch 16, on one core):

- **bf16.** CPUs with AVX512-BF16 or AMX (AMD Zen 4 and later, Intel Xeon 4th generation and later)
  multiply bf16 matrices ~4x as fast as fp32 ones (390 vs 90 GFLOP/s on one core). `precision: auto`
  picks bf16 autocast there (`cpu_bf16_supported`, used by core/train/setup.py): the weights, the
  optimizer and the CRF stay fp32, only the matrix products run in bf16, as mixed precision does on a GPU.
- **Dropout masks.** torch draws a dropout mask one 32-bit random number per element (`bernoulli_`,
  ~6 ns each on the CPU): a quarter of a classification step at 256 tokens, where attention dropout
  masks batch x heads x length x length probabilities. `keep_mask` draws one 64-bit number for four
  elements and compares 16-bit slices with a threshold: same Bernoulli(1 - p) (p rounded to 1/65536),
  4x fewer draws. torch's CPU generator (mt19937) still took ~6 ms for the 1M numbers of one attention
  mask at 256 tokens; numpy's SFC64 gives them in ~2 ms, so a large mask's numbers come from an SFC64
  seeded by one draw from torch's generator: seeds and resumed runs (torch's generator state is in every
  checkpoint) repeat as before.
- **One generator a forward.** Inside a training step, seeding a generator and drawing one mask's
  numbers took ~0.2 ms a mask (the first numpy call after the model's own work runs cold; ~50 us when
  timed alone), ~1.5 ms of a NER step's eight masks. A model given to `speed_up` has a `MaskStream`:
  at each forward's first mask, one draw from torch's generator seeds one SFC64, and that forward's
  masks take consecutive numbers from it. A forward's masks depend only on torch's generator state
  when it starts: seeds and resumed runs repeat. Under gradient checkpointing (layers run their forward
  again in the backward, with torch's generator state restored) each mask draws on its own, as before.
- **Attention dropout.** With dropout in training, torch's scaled_dot_product_attention leaves its fused
  CPU kernel for the unfused math path and draws its mask with `bernoulli_`. `attention_forward` (a
  transformers attention function, registered as "laptune_cpu") computes the same softmax(QK^T)V with
  the mask above, and hands everything else (no dropout, evaluation, causal or grouped attention, GPUs)
  to transformers' own SDPA function. In bf16 its softmax is `bf16_softmax`: from 64 keys on torch's
  bf16 kernels, where an fp32 softmax with casts on each side cost ~19 ms forward + backward at
  16 x 4 x 256 x 256 against ~6 ms (and kept an fp32 copy of the probabilities for the backward).
  The dropout mask multiplies as 0/1 and 1 / (1 - p) scales the output, 8x smaller than the
  probabilities at 256 tokens.

- **Freed memory.** glibc's malloc hands large freed blocks back to the kernel (above its trim
  threshold), so the next step's tensors of the same sizes fault their pages in again: ~1500 page faults
  a NER step here, 3-11 % of a step's time in a virtual machine. `freed_memory_kept()` raises glibc's
  thresholds for the run (the freed blocks are reused, as jemalloc or tcmalloc would; the process keeps
  its peak, which a training run returns to at every step anyway), then trims the heap and keeps at
  most 64 MB of free heap from then on. Windows and macOS have other allocators: nothing is changed
  there (not measured).

- **Gradient clipping.** torch's `clip_grad_norm_` has no foreach path on the CPU: it takes one norm
  and one multiplication per parameter tensor from Python (~1 ms of a NER step, 40 tensors).
  `clip_grad_norm_cpu` computes the same with torch's foreach kernels (one call each); LapTuneTrainer
  uses it for CPU runs.

- **Query, key and value in one product.** A small encoder's step is mostly per-operation overhead:
  `fuse_qkv` computes the three projections of each self-attention as one (same parameters).

`speed_up(model)` applies the dropout and attention changes to an encoder model built for a CPU run;
state dicts, saved models (config.json does not record the attention function) and runs on other
devices do not change.
"""
from __future__ import annotations

import ctypes
import math
import sys
from contextlib import contextmanager
from typing import Any, Iterator

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


def keep_mask(shape: torch.Size | tuple[int, ...], p: float, device: torch.device | str = "cpu",
              stream: MaskStream | None = None) -> torch.Tensor:
    """A bool tensor of `shape`, each element True with probability 1 - p (p rounded to 1/65536).

    One random int64 (`random_words`, or a forward's `stream` on the CPU) gives four independent 16-bit
    slices; an element is kept when its slice is at or above -32768 + round(p * 65536)."""
    n = math.prod(shape)
    words = (n + 3) // 4
    cpu = torch.device(device).type == "cpu"
    bits = stream.words(words) if stream is not None and cpu else random_words(words, device)
    threshold = -(1 << 15) + round(p * _THRESHOLD_SPAN)
    return bits.view(torch.int16)[:n].view(shape) >= threshold


# From this many 64-bit numbers on, numpy's SFC64 (~2 ns a number, plus ~17 us to seed it) is the cheaper
# source here; torch's generator takes ~6 ns a number.
NUMPY_MIN_WORDS = 8192


def random_words(words: int, device: torch.device | str = "cpu") -> torch.Tensor:
    """`words` uniformly random int64 numbers, determined by torch's default generator.

    On the CPU, from `NUMPY_MIN_WORDS` on: numpy's SFC64 (a small-state generator that passes the usual
    statistical test batteries), seeded with one number drawn from torch's generator, so
    `torch.manual_seed` and a restored generator state repeat the numbers."""
    if words < NUMPY_MIN_WORDS or torch.device(device).type != "cpu":
        return torch.randint(-(1 << 63), (1 << 63) - 1, (words,), dtype=torch.int64, device=device)
    import numpy as np

    seed = int(torch.randint(0, (1 << 63) - 1, (1,), dtype=torch.int64).item())
    return torch.from_numpy(np.random.SFC64(seed).random_raw(words).view(np.int64))


class MaskStream:
    """The random numbers of one forward's dropout masks, from one generator (module docstring).

    `start` is a forward pre-hook of the model; `words(n)` hands out the next n numbers of the forward's
    SFC64, seeded at its first call by one draw from torch's generator."""

    def __init__(self, model: nn.Module) -> None:
        # Modules that can recompute their forward in the backward (transformers' checkpointing switch).
        self._checkpointing = [m for m in model.modules() if isinstance(getattr(m, "gradient_checkpointing", None), bool)]
        self._generator: Any = None

    def start(self, *_: Any) -> None:
        """A new forward: the next mask seeds a new generator from torch's."""
        self._generator = None

    def words(self, n: int) -> torch.Tensor:
        """The forward's next `n` random int64 numbers."""
        if any(m.gradient_checkpointing for m in self._checkpointing):
            return random_words(n)   # a recomputed forward must draw what the first one drew
        import numpy as np

        if self._generator is None:
            seed = int(torch.randint(0, (1 << 63) - 1, (1,), dtype=torch.int64).item())
            self._generator = np.random.SFC64(seed)
        # Each mask's numbers when it asks: numbers made ahead in one piece measured no faster, and made
        # too many where a long batch follows a short one.
        return torch.from_numpy(self._generator.random_raw(n).view(np.int64))


def scaled_keep(shape: torch.Size | tuple[int, ...], p: float, dtype: torch.dtype,
                stream: MaskStream | None = None) -> torch.Tensor:
    """`keep_mask` as 1 / (1 - p) for a kept element and 0 for a dropped one, in `dtype`.

    Through uint8: torch converts bool to bf16 ~10x slower than uint8 to bf16 on the CPU, and multiplying
    by a bool tensor converts it each time (forward and backward)."""
    return keep_mask(shape, p, stream=stream).view(torch.uint8).to(dtype).mul_(1.0 / (1.0 - p))


def dropout(x: torch.Tensor, p: float, training: bool = True, stream: MaskStream | None = None) -> torch.Tensor:
    """nn.functional.dropout with `keep_mask` on the CPU; unchanged elsewhere or when nothing drops."""
    if not training or p <= 0.0 or x.device.type != "cpu":
        return nn.functional.dropout(x, p, training)
    if p >= 1.0:
        return torch.zeros_like(x)
    return x * scaled_keep(x.shape, p, x.dtype, stream)


class MaskDropout(nn.Dropout):
    """nn.Dropout whose CPU training masks come from `keep_mask` (same p, same scaling), from the
    model's `MaskStream` when `speed_up` gave it one."""

    stream: MaskStream | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.inplace or x.device.type != "cpu":
            return super().forward(x)
        return dropout(x, self.p, self.training, self.stream)


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
    # Scale and mask in place on the product (its backward needs neither); the probabilities accumulate in
    # fp32 and are rounded once to the compute dtype, as transformers' eager attention of most models does.
    scores = torch.matmul(query, key.transpose(-1, -2)).mul_(scale)
    if attention_mask is not None:
        if attention_mask.dtype == torch.bool:   # transformers' SDPA masks: True = attend
            bias = torch.zeros(attention_mask.shape, dtype=scores.dtype, device=scores.device)
            attention_mask = bias.masked_fill_(~attention_mask, torch.finfo(scores.dtype).min)
        scores = scores.add_(attention_mask.to(scores.dtype))
    if scores.dtype == torch.bfloat16:
        probs = bf16_softmax(scores)
    elif scores.dtype == torch.float16:
        probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(scores.dtype)
    else:
        probs = torch.softmax(scores, dim=-1)
    # (probs * keep) @ V / (1 - p): the same product as probs * keep / (1 - p) @ V, with the scaling on
    # the output ([.., length, head_dim]) instead of the probabilities ([.., length, length]).
    keep = keep_mask(probs.shape, dropout, stream=getattr(module, "_mask_stream", None)).view(torch.uint8).to(probs.dtype)
    out = torch.matmul(probs * keep, value).mul_(1.0 / (1.0 - dropout))
    return out.transpose(1, 2).contiguous(), None


# From this many keys on, torch's bf16 softmax kernels (forward and backward) measured faster here than
# fp32 ones with casts on each side: 16 x 4 x 64 x 64, one thread, 0.48 vs 0.59 ms forward + backward; at 256
# keys 6.1 vs 18.9 ms. Below it the bf16 kernels were the slower ones (at 30 keys 0.81 vs 0.33 ms).
BF16_SOFTMAX_MIN_KEYS = 64


class _Bf16Softmax(torch.autograd.Function):
    """softmax over the last dimension of a bf16 tensor, forward and backward in torch's bf16 kernels.

    Both accumulate in fp32 and round once; the backward, p * (g - sum(g * p)), uses the rounded p that
    the rest of the step also uses, and only that bf16 copy of the probabilities is kept for it (the fp32
    path keeps an fp32 copy as well)."""

    @staticmethod
    def forward(ctx: Any, scores: torch.Tensor) -> torch.Tensor:
        probs = torch.softmax(scores, dim=-1)
        ctx.save_for_backward(probs)
        return probs

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> torch.Tensor:
        (probs,) = ctx.saved_tensors
        return torch._softmax_backward_data(grad.contiguous(), probs, -1, torch.bfloat16)


def bf16_softmax(scores: torch.Tensor) -> torch.Tensor:
    """Softmax over the last dimension of bf16 `scores`, in bf16: torch's bf16 kernels from
    BF16_SOFTMAX_MIN_KEYS keys on, below it fp32 with a cast back (each the faster one, measured)."""
    if scores.dtype != torch.bfloat16:
        raise TypeError(f"bf16_softmax takes bf16 scores, not {scores.dtype}")
    if scores.shape[-1] < BF16_SOFTMAX_MIN_KEYS:
        return torch.softmax(scores, dim=-1, dtype=torch.float32).to(torch.bfloat16)
    return _Bf16Softmax.apply(scores)


def _register_attention() -> None:
    from transformers import AttentionInterface
    from transformers.masking_utils import ALL_MASK_ATTENTION_FUNCTIONS, sdpa_mask

    AttentionInterface.register(ATTENTION_NAME, attention_forward)
    ALL_MASK_ATTENTION_FUNCTIONS.register(ATTENTION_NAME, sdpa_mask)   # the same masks as SDPA


class _FusedQuery(nn.Linear):
    """The query projection of a self-attention, computing the key and value projections with it.

    One product with the three weight matrices side by side instead of three: a small encoder's step is
    mostly per-operation overhead on the CPU (each bf16 product ~50 us before any arithmetic, its casts
    and its backward as many again), so the three projections of a 2-layer BERT cost ~4 % of a NER step
    more than one (docs/benchmarks.md, eighth round). The key and value results wait on their own
    modules and are handed out when those are called with the very same input tensor, as every
    self-attention does; called with anything else they compute their own product. The parameters stay
    where they were (same names, same state dict, same checkpoints): the side-by-side weight is a
    `torch.cat` under autograd, so each gradient lands on its own parameter."""

    _siblings: tuple[nn.Linear, ...] = ()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        parts = (self, *self._siblings)
        biases = [m.bias for m in parts]
        bias = torch.cat(biases) if all(b is not None for b in biases) else None
        out = nn.functional.linear(x, torch.cat([m.weight for m in parts]), bias)
        pieces = out.split([m.out_features for m in parts], dim=-1)
        for module, piece in zip(self._siblings, pieces[1:]):
            module._pending = (x, piece)
        return pieces[0]


class _SharedProjection(nn.Linear):
    """A key or value projection whose result `_FusedQuery` may already have computed for this input."""

    _pending: tuple[torch.Tensor, torch.Tensor] | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pending, self._pending = self._pending, None
        if pending is not None and pending[0] is x:
            return pending[1]
        return super().forward(x)


def fuse_qkv(model: nn.Module) -> int:
    """Let each self-attention with `query`, `key` and `value` linear layers of one input size compute
    them in one product (`_FusedQuery`); returns how many. Parameters and state dicts are unchanged."""
    fused = 0
    for module in model.modules():
        q, k, v = (getattr(module, name, None) for name in ("query", "key", "value"))
        if not all(type(m) is nn.Linear for m in (q, k, v)) or len({m.in_features for m in (q, k, v)}) != 1:
            continue
        if getattr(module, "is_cross_attention", False):
            continue   # its key and value read another input: nothing to share
        q.__class__, k.__class__, v.__class__ = _FusedQuery, _SharedProjection, _SharedProjection
        q._siblings = (k, v)   # a plain tuple: not registered as sub-modules, so not in the state dict twice
        fused += 1
    return fused


def speed_up(model: nn.Module) -> list[str]:
    """Cheaper dropout and attention for a model about to train on the CPU; returns what changed, for the
    run's log.

    Every nn.Dropout becomes a MaskDropout; sub-models whose configs use transformers' SDPA attention use
    `attention_forward`; the masks of each forward of `model` come from one `MaskStream`; query, key and
    value projections run as one product (`fuse_qkv`). Parameters, buffers and state dicts are untouched."""
    swapped = 0
    stream = MaskStream(model)
    for parent in model.modules():
        for name, child in list(parent.named_children()):
            if type(child) is nn.Dropout and not child.inplace:
                replacement = MaskDropout(child.p)
                replacement.train(child.training)
                replacement.stream = stream
                setattr(parent, name, replacement)
                swapped += 1
    configs = {id(m.config): m.config for m in model.modules()
               if getattr(getattr(m, "config", None), "_attn_implementation", None) == "sdpa"}
    if configs:
        _register_attention()
        for config in configs.values():
            config._attn_implementation = ATTENTION_NAME
        for module in model.modules():   # attention_forward gets the attention module: its masks' stream
            if getattr(module, "config", None) is not None and id(module.config) in configs:
                module._mask_stream = stream
    if swapped or configs:
        model.register_forward_pre_hook(stream.start)
    fused = fuse_qkv(model)
    notes = []
    if swapped:
        notes.append(f"{swapped} dropout layers{' and attention dropout' if configs else ''} use faster CPU masks (same rate)")
    if fused:
        notes.append(f"{fused} attention layers compute query, key and value in one product")
    return notes


# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_KEEP_MMAP_THRESHOLD = 32 * 1024 * 1024     # the largest mmap threshold glibc accepts on 64-bit systems
_KEEP_TRIM_THRESHOLD = 1 << 30
# Afterwards: where glibc's own adaptive thresholds end up once a 32 MB block was freed (trim = 2 x mmap).
# Any mallopt call turns that adaptation off for good, so its end state is set rather than its start.
_AFTER_TRIM_THRESHOLD = 2 * _KEEP_MMAP_THRESHOLD


def _glibc() -> Any:
    """The C library when it is glibc (mallopt and malloc_trim exist), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version   # glibc only (musl has no such function)
        libc.mallopt.argtypes, libc.mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
        libc.malloc_trim.argtypes, libc.malloc_trim.restype = [ctypes.c_size_t], ctypes.c_int
        return libc
    except (OSError, AttributeError):
        return None


@contextmanager
def freed_memory_kept() -> Iterator[bool]:
    """Keep freed blocks (up to 32 MB each) in glibc's heap while the block runs; yields whether it applied.

    Afterwards the kept memory goes back to the system (malloc_trim) and at most 64 MB of free heap is
    kept from then on, as glibc's adaptive thresholds would, so a desktop app that trained once does not
    hold the run's peak."""
    libc = _glibc()
    applied = bool(libc) and libc.mallopt(_M_MMAP_THRESHOLD, _KEEP_MMAP_THRESHOLD) == 1 \
        and libc.mallopt(_M_TRIM_THRESHOLD, _KEEP_TRIM_THRESHOLD) == 1
    try:
        yield applied
    finally:
        if libc:
            libc.mallopt(_M_TRIM_THRESHOLD, _AFTER_TRIM_THRESHOLD)
            libc.malloc_trim(0)


def clip_grad_norm_cpu(grads: list[torch.Tensor], max_norm: float) -> torch.Tensor:
    """torch.nn.utils.clip_grad_norm_ (L2, non-finite norms not raised) for dense CPU gradients.

    Same arithmetic as torch's: the norm of the per-tensor norms, each gradient scaled in place by
    min(1, max_norm / (norm + 1e-6)); returns the norm before clipping."""
    if not grads:
        return torch.tensor(0.0)
    norms = torch._foreach_norm(grads, 2.0)
    if len({n.dtype for n in norms}) > 1:   # fp32 and bf16 gradients side by side: one dtype to stack
        norms = [n.float() for n in norms]
    total = torch.linalg.vector_norm(torch.stack(norms), 2.0)
    coef = torch.clamp(max_norm / (total + 1e-6), max=1.0)
    torch._foreach_mul_(grads, coef)
    return total
