"""A batched linear-chain CRF with pytorch-crf's parameters, checkpoints and results.

pytorch-crf (seed 000's CRF) computes the gold path's score with a Python loop over time steps,
the normaliser with another, and decodes with a loop over time followed by a Python loop over the
samples of the batch, one `.item()` per word. This subclass keeps its three parameters
(`start_transitions`, `end_transitions`, `transitions`, so the state-dict keys and old checkpoints
are unchanged) and its results, and computes:

- the gold path's score with tensor ops over the whole batch (no time loop);
- the normaliser with all step matrices built in one op, then one short loop over the longest
  sequence of the batch (a padded step keeps its sample's scores);
- Viterbi with one loop over the longest sequence of the batch and a batched back-trace (no loop
  over samples, no `.item()`), returning a padded tensor.

tests/core/test_crf.py checks log-likelihoods, gradients and decoded paths against pytorch-crf on
random emissions, masks and tags (hypothesis).
"""
from __future__ import annotations

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
        llh = self.score(emissions, tags, mask) - self.log_partition(emissions, mask)
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

    def log_partition(self, emissions: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """log Z per sample, [batch]: the forward algorithm over the longest sequence of the batch."""
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
        history = []
        for t in range(1, steps):
            best, idx = (score.unsqueeze(2) + self.transitions + emissions[:, t].unsqueeze(1)).max(dim=1)
            on = mask[:, t].unsqueeze(1)
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
