"""A batched linear-chain CRF with pytorch-crf's parameters, checkpoints and results.

pytorch-crf (seed 000's CRF) computes the gold path's score with a Python loop over time steps,
the normaliser with another, and decodes with a loop over time followed by a Python loop over the
samples of the batch, one `.item()` per word. This subclass keeps its three parameters
(`start_transitions`, `end_transitions`, `transitions`, so the state-dict keys and old checkpoints
are unchanged) and its results, and computes:

- the gold path's score with tensor ops over the whole batch (no time loop); on the CPU's scaled path
  below, in numpy together with log Z as one autograd function (`_ScaledLogLikelihood`), whose
  gradient for the gold path is its tag and transition counts;
- the normaliser (log Z), on the CPU, with the scaled forward algorithm in probability space
  (Rabiner's scaling): each step is one small matrix product, a product with the step's emissions and
  a normalisation, in numpy without an autograd graph; its gradient comes from the matching scaled
  backward pass (the tag marginals), written out in `_ScaledLogZ.backward`. A NER step's CRF went from
  ~3.5 ms (log-space loop under autograd, ~10 ops a time step each way) to ~1.1 ms for a batch of
  16 x 47 words on one core in torch, and to ~0.5 ms in numpy (its per-operation cost is a fifth of
  torch's on arrays this small). When the scaled numbers would underflow (transition or emission scores
  that differ by more than ~40 in fp32, or ~350 in fp64) the log-space loop runs instead, so the
  result never depends on the shortcut; on other devices (not measured) the log-space loop runs too;
- Viterbi with one loop over the longest sequence of the batch and a batched back-trace (no loop
  over samples, no `.item()`), returning a padded tensor.

tests/core/test_crf.py checks log-likelihoods, gradients and decoded paths against pytorch-crf on
random emissions, masks and tags (hypothesis), on both paths of the normaliser.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torchcrf import CRF


class BatchedCRF(CRF):
    """Drop-in for `torchcrf.CRF(num_tags, batch_first=True)`: same parameters, same `forward`/`decode`."""

    def __init__(self, num_tags: int, batch_first: bool = True) -> None:
        super().__init__(num_tags, batch_first=batch_first)

    # ------------------------------------------------------------------ log-likelihood
    def forward(self, emissions: torch.Tensor, tags: torch.LongTensor, mask: torch.ByteTensor | None = None,
                reduction: str = "sum") -> torch.Tensor:
        self._validate(emissions, tags=tags, mask=mask)
        if reduction not in ("none", "sum", "mean", "token_mean"):
            raise ValueError(f"invalid reduction: {reduction}")
        if mask is None:
            mask = torch.ones_like(tags, dtype=torch.bool)
        if not self.batch_first:
            emissions, tags, mask = emissions.transpose(0, 1), tags.transpose(0, 1), mask.transpose(0, 1)
        mask = mask.bool()
        llh = self.log_likelihood(emissions, tags, mask)
        if reduction == "none":
            return llh
        if reduction == "sum":
            return llh.sum()
        if reduction == "mean":
            return llh.mean()
        return llh.sum() / mask.float().sum()

    def score(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Score of the given tag paths, [batch]; emissions [batch, time, tags], mask bool [batch, time]."""
        maskf = mask.to(emissions.dtype)
        emit = emissions.gather(2, tags.unsqueeze(-1)).squeeze(-1)          # [B, T]
        # pytorch-crf counts the first emission whatever the mask says (it must be on anyway).
        total = self.start_transitions[tags[:, 0]] + emit[:, 0] + (emit[:, 1:] * maskf[:, 1:]).sum(1)
        if tags.size(1) > 1:
            total = total + (self.transitions[tags[:, :-1], tags[:, 1:]] * maskf[:, 1:]).sum(1)
        last = mask.long().sum(1) - 1
        last_tags = tags.gather(1, last.clamp(min=0).unsqueeze(1)).squeeze(1)
        return total + self.end_transitions[last_tags]

    def log_likelihood(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """score - log Z per sample, [batch]; on the scaled path both in numpy, as one autograd function
        (the gold path's gradient is its tag and transition counts: ~25 small torch operations fewer)."""
        scaled = self._scaled(emissions, mask)
        if scaled is None:
            return self.score(emissions, tags, mask) - self.log_partition(emissions, mask)
        logz, saved = scaled
        if not self._needs_grad(emissions):
            return torch.from_numpy(_gold_score(emissions, tags, mask, *self._params)[0]) - logz
        return _ScaledLogLikelihood.apply(emissions, *self._params, tags, mask, logz, saved)

    def log_partition(self, emissions: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """log Z per sample, [batch]; emissions [batch, time, tags], mask bool [batch, time]."""
        scaled = self._scaled(emissions, mask)
        if scaled is None:
            return self.log_partition_loop(emissions, mask)
        logz, saved = scaled
        if not self._needs_grad(emissions):
            return logz
        return _ScaledLogZ.apply(emissions, *self._params, logz, saved)

    @property
    def _params(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """start, end and transition scores, in `_scaled_forward`'s order."""
        return self.start_transitions, self.end_transitions, self.transitions

    def _needs_grad(self, emissions: torch.Tensor) -> bool:
        return torch.is_grad_enabled() and any(t.requires_grad for t in (emissions, *self._params))

    def _scaled(self, emissions: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, tuple[np.ndarray, ...]] | None:
        """`_scaled_forward`'s log Z and saved arrays, or None where the log-space loop must run."""
        if (emissions.device.type != "cpu" or emissions.dtype not in (torch.float32, torch.float64)
                or any(p.device.type != "cpu" or p.dtype != emissions.dtype for p in self._params)):
            # Measured on CPUs only; on a GPU the matrix products could also run in TF32 when a user turns
            # it on, which the log-space loop does not use. Other dtypes (or mixed ones): the loop as well.
            return None
        return _scaled_forward(emissions, mask, *self._params)   # None where the scaled numbers would underflow

    def log_partition_loop(self, emissions: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """log Z by the forward algorithm in log space, under autograd: exact for any scores."""
        alpha = self.start_transitions + emissions[:, 0]                       # [B, K]
        # All step matrices at once: M_t[i, j] = transitions[i, j] + emission_t[j], [B, T-1, K, K].
        # (A pairwise reduction of these matrices, log2(T) rounds instead of T steps, was tried and
        # was slower on the CPU: its [B, T/2, K, K, K] intermediates cost more than the loop saves.)
        mats = self.transitions + emissions[:, 1:].unsqueeze(2)
        on = mask[:, 1:].unsqueeze(-1)
        for t in range(mats.size(1)):
            alpha = torch.where(on[:, t], torch.logsumexp(alpha.unsqueeze(-1) + mats[:, t], dim=1), alpha)
        return torch.logsumexp(alpha + self.end_transitions, dim=1)

    # ------------------------------------------------------------------ Viterbi
    @torch.no_grad()
    def decode_tensor(self, emissions: torch.Tensor, mask: torch.Tensor | None = None, pad: int = -100) -> torch.Tensor:
        """Best paths as a [batch, time] tensor (batch first), `pad` after each sequence's end."""
        if not self.batch_first:
            emissions = emissions.transpose(0, 1)
            mask = mask.transpose(0, 1) if mask is not None else None
        batch, steps, k = emissions.shape
        mask = torch.ones(batch, steps, dtype=torch.bool, device=emissions.device) if mask is None else mask.bool()
        score = self.start_transitions + emissions[:, 0]
        keep = torch.arange(k, device=emissions.device).expand(batch, k)
        steps_em = emissions.unbind(1)                 # views made in one op, not one indexing op a step
        steps_on = mask.unsqueeze(-1).unbind(1)
        history = []
        for t in range(1, steps):
            # pytorch-crf's order of additions, so ties break the same way
            best, idx = (score.unsqueeze(2) + self.transitions + steps_em[t].unsqueeze(1)).max(dim=1)
            on = steps_on[t]
            score = torch.where(on, best, score)
            history.append(torch.where(on, idx, keep))   # a padded step keeps each tag where it is
        score = score + self.end_transitions
        tag = score.argmax(dim=1)
        path = [tag]
        for idx in reversed(history):
            tag = idx.gather(1, tag.unsqueeze(1)).squeeze(1)
            path.append(tag)
        out = torch.stack(path[::-1], dim=1)
        return torch.where(mask, out, torch.full_like(out, pad))

    def decode(self, emissions: torch.Tensor, mask: torch.ByteTensor | None = None) -> list[list[int]]:
        """pytorch-crf's API: a list of tag lists, one per sample."""
        self._validate(emissions, mask=mask)
        paths = self.decode_tensor(emissions, mask)
        lengths = (paths != -100).sum(1).tolist()
        return [row[:n] for row, n in zip(paths.tolist(), lengths)]


def _scaled_forward(emissions: torch.Tensor, mask: torch.Tensor, start: torch.Tensor, end: torch.Tensor,
                    trans: torch.Tensor) -> tuple[torch.Tensor, tuple[np.ndarray, ...]] | None:
    """log Z and what `_ScaledLogZ.backward` needs, or None where the scaled numbers underflow.

    In probability space with every score shifted by its maximum (each factor is at most 1):
    a_0 = exp(start) * exp(e_0), a_t = (a_{t-1} @ exp(T)) * exp(e_t), each a_t divided by its sum s_t
    (kept: a padded step leaves a_t as it is with s_t = 1); log Z = log(a_last . exp(end)) + sum log s_t
    + the shifts. In numpy, on CPU tensors of one float dtype, without autograd: a time step is a few
    operations on [batch, tags] arrays (16 x 7 in a NER step), where torch's cost per operation (~5-20 us
    inside a training step) was most of the time and numpy's is ~1 us: 0.99 -> 0.31 ms forward and
    0.81 -> 0.21 ms backward for 16 x 48 words (docs/benchmarks.md, ninth round)."""
    with np.errstate(all="ignore"):   # underflow is checked below, and then the log-space loop runs
        em = emissions.detach().numpy()
        batch, steps, k = emissions.shape
        on = mask.detach().numpy().T[:, :, None]                              # [T, B, 1]
        shift_e = em.max(-1, keepdims=True)                                   # [B, T, 1]
        x = np.exp(em - shift_e).transpose(1, 0, 2).copy()                    # [T, B, K], each step contiguous
        tr, st, en = (t.detach().numpy() for t in (trans, start, end))
        shift_t, shift_s, shift_end = tr.max(), st.max(), en.max()
        e_trans = np.exp(tr - shift_t)
        alpha = np.empty_like(x)
        sums = np.empty((steps, batch, 1), x.dtype)
        a = np.exp(st - shift_s) * x[0]
        s = a.sum(-1, keepdims=True)
        a /= s
        alpha[0], sums[0] = a, s
        for t in range(1, steps):
            nxt = a @ e_trans
            nxt *= x[t]
            s = nxt.sum(-1, keepdims=True)
            nxt /= s
            a = np.where(on[t], nxt, a)
            alpha[t], sums[t] = a, s
        scale = np.where(on, sums, x.dtype.type(1))                           # [T, B, 1]
        e_end = np.exp(en - shift_end)
        z_last = (a * e_end).sum(-1)                                          # [B]
        steps_on = on[:, :, 0]                                                # [T, B]
        logz = (np.log(z_last) + shift_end + shift_s + (steps_on.sum(0) - 1) * shift_t
                + np.log(scale[:, :, 0]).sum(0) + (shift_e[:, :, 0].T * steps_on).sum(0))
    # Healthy when no sum came near the smallest normal number: then whatever underflowed weighed
    # less than 1e-19 (fp32) of what was kept.
    floor = np.finfo(x.dtype).tiny ** 0.5
    if not (scale.min() > floor and z_last.min() > floor and np.isfinite(logz).all()):
        return None
    return torch.from_numpy(logz.astype(x.dtype, copy=False)), (on, alpha, scale, x, e_trans, e_end, z_last)


def _gold_score(emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor, start: torch.Tensor, end: torch.Tensor,
                trans: torch.Tensor) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`BatchedCRF.score` in numpy: the scores [batch], the tags and mask as arrays and the last tags."""
    em = emissions.detach().numpy()
    tg = tags.detach().numpy()
    on = mask.detach().numpy()
    tr, st, en = (t.detach().numpy() for t in (trans, start, end))
    emit = np.take_along_axis(em, tg[:, :, None], 2)[:, :, 0]                  # [B, T]
    # pytorch-crf counts the first emission whatever the mask says (it must be on anyway).
    total = st[tg[:, 0]] + emit[:, 0] + (emit[:, 1:] * on[:, 1:]).sum(1)
    if tg.shape[1] > 1:
        total = total + (tr[tg[:, :-1], tg[:, 1:]] * on[:, 1:]).sum(1)
    last = tg[np.arange(tg.shape[0]), on.sum(1) - 1]
    return (total + en[last]).astype(em.dtype, copy=False), tg, on, last


def _logz_gradients(saved: tuple[np.ndarray, ...], g: np.ndarray) -> tuple[np.ndarray, ...]:
    """g-weighted gradients of log Z (emissions [B, T, K], start, end, transitions): the scaled backward.

    With b_last = exp(end) / z_last and b_{t-1} = exp(T) @ (exp(e_t) * b_t / s_t), the tag marginals are
    p_t = a_t * b_t and the transition marginals a_{t-1}[i] exp(T)[i, j] exp(e_t)[j] b_t[j] / s_t:
    d log Z / d e_t = p_t, / d start = p_0, / d end = p_last, / d T = the transition marginals summed."""
    on, alpha, scale, x, e_trans, e_end, z_last = saved
    steps, batch, k = alpha.shape
    b = np.broadcast_to(e_end / z_last[:, None], (batch, k))
    betas = np.empty_like(alpha)
    betas[-1] = b
    weights = np.zeros_like(alpha)
    e_trans_t = np.ascontiguousarray(e_trans.T)
    for t in range(steps - 1, 0, -1):
        w = x[t] * b / scale[t]                       # exp(e_t) * b_t / s_t
        weights[t] = w
        b = np.where(on[t], w @ e_trans_t, b)
        betas[t - 1] = b
    g = g.astype(alpha.dtype, copy=False)[None, :, None]   # [1, B, 1]
    on_g = on * g
    marginals = alpha * betas * on_g                  # [T, B, K], weighted
    g_start = marginals[0].sum(0)
    g_end = (alpha[-1] * e_end / z_last[:, None] * g[0]).sum(0)
    if steps > 1:
        w = (weights[1:] * on_g[1:]).reshape(-1, k)    # [(T-1) B, K]
        g_trans = (alpha[:-1].reshape(-1, k).T @ w) * e_trans
    else:
        g_trans = np.zeros_like(e_trans)
    return marginals.transpose(1, 0, 2), g_start, g_end, g_trans


def _tensors(arrays: tuple[np.ndarray, ...], dtype: np.dtype) -> tuple[torch.Tensor, ...]:
    return tuple(torch.from_numpy(np.ascontiguousarray(a, dtype=dtype)) for a in arrays)


class _ScaledLogZ(torch.autograd.Function):
    """log Z with the gradient of the scaled forward-backward algorithm (`_logz_gradients`), in numpy."""

    @staticmethod
    def forward(ctx: Any, emissions: torch.Tensor, start: torch.Tensor, end: torch.Tensor, trans: torch.Tensor,
                logz: torch.Tensor, saved: tuple[np.ndarray, ...]) -> torch.Tensor:
        ctx.saved = saved   # numpy arrays made without autograd: nothing for save_for_backward to check
        return logz.clone()

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[torch.Tensor | None, ...]:
        grads = _logz_gradients(ctx.saved, grad.detach().numpy())
        return (*_tensors(grads, ctx.saved[1].dtype), None, None)


class _ScaledLogLikelihood(torch.autograd.Function):
    """score - log Z: the gold path's score and its gradient (its tag and transition counts) with log Z's."""

    @staticmethod
    def forward(ctx: Any, emissions: torch.Tensor, start: torch.Tensor, end: torch.Tensor, trans: torch.Tensor,
                tags: torch.Tensor, mask: torch.Tensor, logz: torch.Tensor, saved: tuple[np.ndarray, ...]) -> torch.Tensor:
        score, tg, on, last = _gold_score(emissions, tags, mask, start, end, trans)
        ctx.saved, ctx.gold = saved, (tg, on, last)
        return torch.from_numpy(score) - logz

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[torch.Tensor | None, ...]:
        tg, on, last = ctx.gold
        dtype = ctx.saved[1].dtype
        g = grad.detach().numpy().astype(dtype, copy=False)
        g_em, g_start, g_end, g_trans = _logz_gradients(ctx.saved, g)
        batch, steps, k = g_em.shape
        counted = on.astype(dtype)
        counted[:, 0] = 1.0                        # the first emission counts whatever the mask says
        gold = np.zeros((batch, steps, k), dtype)
        np.put_along_axis(gold, tg[:, :, None], (counted * g[:, None])[:, :, None], 2)
        gold_start = np.bincount(tg[:, 0], weights=g, minlength=k)
        gold_end = np.bincount(last, weights=g, minlength=k)
        pairs = (tg[:, :-1] * k + tg[:, 1:])[on[:, 1:]]
        gold_trans = np.bincount(pairs, weights=np.broadcast_to(g[:, None], on[:, 1:].shape)[on[:, 1:]],
                                 minlength=k * k).reshape(k, k)
        grads = (gold - g_em, gold_start - g_start, gold_end - g_end, gold_trans - g_trans)
        return (*_tensors(grads, dtype), None, None, None, None)
