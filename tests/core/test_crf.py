"""The batched CRF against pytorch-crf: same parameters, same log-likelihood, gradients and paths."""
from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torchcrf import CRF

from core.train.tasks.crf import BatchedCRF


@st.composite
def crf_case(draw):
    num_tags = draw(st.integers(1, 9))
    batch = draw(st.integers(1, 6))
    steps = draw(st.integers(1, 12))
    seed = draw(st.integers(0, 2**31 - 1))
    # pytorch-crf's contract: each mask is a prefix that starts on (every sample has >= 1 step).
    lengths = draw(st.lists(st.integers(1, steps), min_size=batch, max_size=batch))
    scale = draw(st.sampled_from([0.1, 1.0, 5.0, 20.0]))
    return num_tags, batch, steps, seed, lengths, scale


def _pair(num_tags: int, gen: torch.Generator, scale: float) -> tuple[CRF, BatchedCRF]:
    ref = CRF(num_tags, batch_first=True).double()
    with torch.no_grad():
        for p in ref.parameters():
            p.copy_(torch.randn(p.shape, generator=gen, dtype=torch.float64) * scale)
    ours = BatchedCRF(num_tags).double()
    ours.load_state_dict(ref.state_dict())     # the same checkpoint loads into both
    return ref, ours


@settings(max_examples=60, deadline=None)
@given(crf_case(), st.sampled_from(["none", "sum", "mean", "token_mean"]))
def test_loglik_gradients_and_paths_equal_pytorch_crf(case, reduction):
    num_tags, batch, steps, seed, lengths, scale = case
    gen = torch.Generator().manual_seed(seed)
    ref, ours = _pair(num_tags, gen, scale)
    emissions = (torch.randn(batch, steps, num_tags, generator=gen, dtype=torch.float64) * scale).requires_grad_()
    tags = torch.randint(0, num_tags, (batch, steps), generator=gen)
    mask = torch.arange(steps)[None, :] < torch.tensor(lengths)[:, None]

    want = ref(emissions, tags, mask=mask, reduction=reduction)
    got = ours(emissions, tags, mask=mask, reduction=reduction)
    torch.testing.assert_close(got, want, atol=1e-5, rtol=1e-7)

    # With one step the transitions take no part (None): compare them as zeros.
    grads_want = torch.autograd.grad(want.sum(), [emissions, *ref.parameters()], allow_unused=True)
    grads_got = torch.autograd.grad(got.sum(), [emissions, *ours.parameters()], allow_unused=True)
    for g, w, p in zip(grads_got, grads_want, [emissions, *ref.parameters()]):
        zero = torch.zeros_like(p)
        torch.testing.assert_close(zero if g is None else g, zero if w is None else w, atol=1e-5, rtol=1e-7)

    with torch.no_grad():
        assert ours.decode(emissions, mask) == ref.decode(emissions, mask)
        padded = ours.decode_tensor(emissions, mask)
    assert padded.shape == (batch, steps)
    assert ((padded == -100) == ~mask).all()


@settings(max_examples=20, deadline=None)
@given(crf_case())
def test_float32_within_1e5_relative(case):
    """What training runs: fp32 emissions (the model casts them to float before the CRF)."""
    num_tags, batch, steps, seed, lengths, scale = case
    gen = torch.Generator().manual_seed(seed)
    ref, ours = _pair(num_tags, gen, scale)
    ref, ours = ref.float(), ours.float()
    emissions = torch.randn(batch, steps, num_tags, generator=gen) * scale
    tags = torch.randint(0, num_tags, (batch, steps), generator=gen)
    mask = torch.arange(steps)[None, :] < torch.tensor(lengths)[:, None]
    want = ref(emissions, tags, mask=mask, reduction="none")
    got = ours(emissions, tags, mask=mask, reduction="none")
    torch.testing.assert_close(got, want, atol=1e-4, rtol=1e-5)


def test_state_dict_keys_are_pytorch_crfs():
    assert set(BatchedCRF(5).state_dict()) == set(CRF(5, batch_first=True).state_dict()) == {
        "start_transitions", "end_transitions", "transitions"}


def test_invalid_input_is_refused_like_pytorch_crf():
    crf = BatchedCRF(3)
    with pytest.raises(ValueError):
        crf(torch.zeros(2, 4, 3), torch.zeros(2, 4, dtype=torch.long), mask=torch.zeros(2, 4, dtype=torch.bool))
    with pytest.raises(ValueError):
        crf(torch.zeros(2, 4, 3), torch.zeros(2, 4, dtype=torch.long), reduction="avg")
