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


def _case_tensors(case, max_scale=None):
    """A pytorch-crf / BatchedCRF pair with the same random parameters, and float64 inputs."""
    num_tags, batch, steps, seed, lengths, scale = case
    scale = scale if max_scale is None else min(scale, max_scale)
    gen = torch.Generator().manual_seed(seed)
    ref, ours = _pair(num_tags, gen, scale)
    emissions = (torch.randn(batch, steps, num_tags, generator=gen, dtype=torch.float64) * scale).requires_grad_()
    tags = torch.randint(0, num_tags, (batch, steps), generator=gen)
    mask = torch.arange(steps)[None, :] < torch.tensor(lengths)[:, None]
    return ref, ours, emissions, tags, mask


def _assert_same_gradients(got, want, ours, ref, emissions, atol, rtol):
    # With one step the transitions take no part (None): compare them as zeros.
    grads_want = torch.autograd.grad(want.sum(), [emissions, *ref.parameters()], allow_unused=True)
    grads_got = torch.autograd.grad(got.sum(), [emissions, *ours.parameters()], allow_unused=True)
    for g, w, p in zip(grads_got, grads_want, [emissions, *ref.parameters()]):
        zero = torch.zeros_like(p)
        torch.testing.assert_close(zero if g is None else g, zero if w is None else w, atol=atol, rtol=rtol)


@settings(max_examples=60, deadline=None)
@given(crf_case(), st.sampled_from(["none", "sum", "mean", "token_mean"]))
def test_loglik_gradients_and_paths_equal_pytorch_crf(case, reduction):
    ref, ours, emissions, tags, mask = _case_tensors(case)
    want = ref(emissions, tags, mask=mask, reduction=reduction)
    got = ours(emissions, tags, mask=mask, reduction=reduction)
    torch.testing.assert_close(got, want, atol=1e-5, rtol=1e-7)
    _assert_same_gradients(got, want, ours, ref, emissions, atol=1e-5, rtol=1e-7)

    with torch.no_grad():   # evaluation: the same numbers without a graph
        torch.testing.assert_close(ours(emissions, tags, mask=mask, reduction=reduction), want.detach(), atol=1e-5, rtol=1e-7)
        assert ours.decode(emissions, mask) == ref.decode(emissions, mask)
        padded = ours.decode_tensor(emissions, mask)
    assert padded.shape == mask.shape
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


def _loop_not_expected(self, emissions, mask):
    raise AssertionError("the log-space loop ran for scores of ordinary size")


@settings(max_examples=40, deadline=None)
@given(crf_case(), st.sampled_from(["sum", "token_mean"]))
def test_scaled_normaliser_is_the_path_taken_and_equals_pytorch_crf(case, reduction):
    """Scores of ordinary size take the scaled forward-backward path (the log-space loop is not run)."""
    ref, ours, emissions, tags, mask = _case_tensors(case, max_scale=5.0)
    want = ref(emissions, tags, mask=mask, reduction=reduction)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(BatchedCRF, "log_partition_loop", _loop_not_expected)
        got = ours(emissions, tags, mask=mask, reduction=reduction)
    torch.testing.assert_close(got, want, atol=1e-9, rtol=1e-9)
    _assert_same_gradients(got, want, ours, ref, emissions, atol=1e-9, rtol=1e-9)


def test_extreme_scores_fall_back_to_the_log_space_loop():
    """fp32 transitions 150 apart underflow exp(): the loop runs and still equals pytorch-crf."""
    gen = torch.Generator().manual_seed(3)
    ref, ours = _pair(4, gen, 1.0)
    ref, ours = ref.float(), ours.float()
    with torch.no_grad():
        for crf in (ref, ours):
            crf.transitions[:, 1] -= 150.0
            crf.transitions[1, :] -= 150.0
    emissions = torch.randn(3, 7, 4, generator=gen)
    emissions[:, :, 1] += 160.0          # tag 1 wins each step's emissions, but no transition reaches it
    emissions.requires_grad_()
    tags = torch.randint(0, 4, (3, 7), generator=gen)
    mask = torch.arange(7)[None, :] < torch.tensor([7, 4, 1])[:, None]
    calls = []
    loop = BatchedCRF.log_partition_loop

    def counting(self, *args):
        calls.append(1)
        return loop(self, *args)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(BatchedCRF, "log_partition_loop", counting)
        got = ours(emissions, tags, mask=mask, reduction="none")
    want = ref(emissions, tags, mask=mask, reduction="none")
    assert calls, "the scaled path should have refused these scores"
    assert torch.isfinite(got).all()
    torch.testing.assert_close(got, want, atol=1e-3, rtol=1e-5)
    g_got, = torch.autograd.grad(got.sum(), emissions)
    assert torch.isfinite(g_got).all()


def test_tensors_off_the_cpu_take_the_log_space_loop(monkeypatch):
    """The scaled path was measured on CPUs only; other devices keep the log-space recursion."""
    def scaled_not_expected(*args):
        raise AssertionError("the scaled path ran off the CPU")

    monkeypatch.setattr("core.train.tasks.crf._scaled_forward", scaled_not_expected)
    crf = BatchedCRF(5).to("meta")
    emissions = torch.empty(3, 6, 5, device="meta")
    mask = torch.ones(3, 6, dtype=torch.bool, device="meta")
    assert crf.log_partition(emissions, mask).shape == (3,)


@pytest.mark.parametrize("emissions_dtype, params_dtype", [(torch.bfloat16, torch.bfloat16), (torch.float32, torch.float64)])
def test_other_or_mixed_dtypes_take_the_log_space_loop(monkeypatch, emissions_dtype, params_dtype):
    """The numpy path takes fp32 or fp64 with parameters of the same dtype; anything else keeps the loop
    (numpy has no bf16, and mixed dtypes would promote differently), with pytorch-crf's result."""
    def scaled_not_expected(*args):
        raise AssertionError("the scaled path took emissions it does not handle")

    monkeypatch.setattr("core.train.tasks.crf._scaled_forward", scaled_not_expected)
    gen = torch.Generator().manual_seed(9)
    ref, ours = _pair(5, gen, 1.0)
    ours = ours.to(params_dtype)
    emissions = torch.randn(4, 6, 5, generator=gen, dtype=torch.float64)
    mask = torch.arange(6)[None, :] < torch.tensor([6, 3, 1, 5])[:, None]
    got = ours.log_partition(emissions.to(emissions_dtype), mask)
    want = ref._compute_normalizer(emissions.transpose(0, 1), mask.t())
    torch.testing.assert_close(got.double(), want, atol=0.1, rtol=0.02)


def test_under_bf16_autocast_the_crf_computes_in_fp32():
    """Training on a bf16 CPU runs the model under autocast; the CRF's matrix products must not drop to bf16."""
    gen = torch.Generator().manual_seed(5)
    ref, ours = _pair(7, gen, 1.0)
    ref, ours = ref.float(), ours.float()
    emissions = torch.randn(16, 40, 7, generator=gen) * 3
    tags = torch.randint(0, 7, (16, 40), generator=gen)
    mask = torch.arange(40)[None, :] < torch.randint(1, 41, (16,), generator=gen)[:, None]
    mask[:, 0] = True
    want = ref(emissions, tags, mask=mask, reduction="none")
    with torch.autocast("cpu", dtype=torch.bfloat16):
        got = ours(emissions, tags, mask=mask, reduction="none")
    assert got.dtype == torch.float32
    torch.testing.assert_close(got, want, atol=1e-3, rtol=1e-5)


def test_state_dict_keys_are_pytorch_crfs():
    assert set(BatchedCRF(5).state_dict()) == set(CRF(5, batch_first=True).state_dict()) == {
        "start_transitions", "end_transitions", "transitions"}


def test_invalid_input_is_refused_like_pytorch_crf():
    crf = BatchedCRF(3)
    with pytest.raises(ValueError):
        crf(torch.zeros(2, 4, 3), torch.zeros(2, 4, dtype=torch.long), mask=torch.zeros(2, 4, dtype=torch.bool))
    with pytest.raises(ValueError):
        crf(torch.zeros(2, 4, 3), torch.zeros(2, 4, dtype=torch.long), reduction="avg")
