"""CPU encoder training: bf16 where the CPU has it, dropout masks from 16-bit slices, attention dropout off SDPA's math path."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from core.train import cpu_speed
from core.train.cpu_speed import (BF16_SOFTMAX_MIN_KEYS, NUMPY_MIN_WORDS, MaskDropout, MaskStream, attention_forward,
                                  bf16_softmax, keep_mask, random_words, speed_up)


def test_keep_mask_is_bernoulli_in_every_slice_and_follows_the_seed():
    p = 0.1
    torch.manual_seed(0)
    mask = keep_mask((1000, 1001), p)      # not a multiple of four elements
    assert mask.shape == (1000, 1001) and mask.dtype == torch.bool
    assert abs(mask.float().mean().item() - (1 - p)) < 0.002
    lanes = mask.flatten()[:1_000_000].view(-1, 4).float().mean(0)   # the four 16-bit slices of each draw
    assert torch.all((lanes - (1 - p)).abs() < 0.004), lanes
    flat = mask.flatten().float()
    neighbours = torch.corrcoef(torch.stack([flat[:-1], flat[1:]]))[0, 1].item()
    assert abs(neighbours) < 0.01
    torch.manual_seed(0)
    assert torch.equal(keep_mask((1000, 1001), p), mask)
    assert keep_mask((7,), 0.0).all()
    assert abs(keep_mask((200_000,), 0.5).float().mean().item() - 0.5) < 0.005


@pytest.mark.parametrize("words", [100, NUMPY_MIN_WORDS, 300_000])   # torch's generator below, numpy's SFC64 from
def test_random_words_follow_torchs_generator_state(words):
    state = torch.get_rng_state()                     # what a checkpoint keeps and a resumed run restores
    first = random_words(words)
    assert first.dtype == torch.int64 and first.shape == (words,)
    torch.set_rng_state(state)
    assert torch.equal(random_words(words), first)
    second = random_words(words)                      # torch's generator moved on: new numbers
    assert not torch.equal(second, first)
    if words >= 100_000:
        bits = ((first.unsqueeze(1) >> torch.arange(64)) & 1).float().mean(0)   # each bit set half the time
        assert torch.all((bits - 0.5).abs() < 0.01), bits
        same = (first.view(torch.int16) >= 0) == (second.view(torch.int16) >= 0)   # two masks at p = 0.5
        assert abs(same.float().mean().item() - 0.5) < 0.005                     # independent of each other


def test_dropout_scales_kept_elements_and_passes_gradients_through_the_mask():
    torch.manual_seed(1)
    x = torch.randn(300, 300, requires_grad=True)
    layer = MaskDropout(0.25)
    y = layer(x)
    kept = y != 0
    assert abs(kept.float().mean().item() - 0.75) < 0.01
    assert torch.allclose(y[kept], x[kept] / 0.75)
    y.sum().backward()
    assert torch.allclose(x.grad, kept.float() / 0.75)
    layer.eval()
    assert torch.equal(layer(x), x)
    assert MaskDropout(0.0)(x) is x or torch.equal(MaskDropout(0.0)(x), x)
    assert torch.equal(cpu_speed.dropout(x, 1.0), torch.zeros_like(x))


def _reference(q, k, v, additive, keep, p, scale):
    scores = q @ k.transpose(-1, -2) * scale + additive
    return ((scores.softmax(-1) * keep / (1 - p)) @ v).transpose(1, 2)


@pytest.mark.parametrize("mask_kind", ["bool", "float", "none"])
def test_attention_with_dropout_equals_the_eager_formula(mask_kind):
    torch.manual_seed(2)
    b, h, n, d, p = 3, 4, 17, 8, 0.2
    q, k, v = (torch.randn(b, h, n, d, dtype=torch.float64, requires_grad=True) for _ in range(3))
    attend = torch.ones(b, 1, n, n, dtype=torch.bool)
    attend[0, :, :, 11:] = False          # padding keys of the first sequence
    additive = torch.zeros(b, 1, n, n, dtype=torch.float64).masked_fill(~attend, torch.finfo(torch.float64).min)
    mask = {"bool": attend, "float": additive, "none": None}[mask_kind]
    if mask is None:
        additive = torch.zeros_like(additive)
    module = torch.nn.Module()
    torch.manual_seed(3)
    out, weights = attention_forward(module, q, k, v, mask, dropout=p)
    torch.manual_seed(3)
    keep = keep_mask((b, h, n, n), p)
    ref = _reference(q, k, v, additive, keep, p, d ** -0.5)
    assert weights is None and out.shape == (b, n, h, d)
    assert torch.allclose(out, ref, atol=1e-10)
    grads = torch.autograd.grad(out.sum(), (q, k, v))
    ref_grads = torch.autograd.grad(ref.sum(), (q, k, v))
    for g, r in zip(grads, ref_grads):
        assert torch.allclose(g, r, atol=1e-10)


@pytest.mark.parametrize("n", [23, 80])   # below and above BF16_SOFTMAX_MIN_KEYS: both softmax paths
def test_attention_in_bf16_is_the_exact_result_rounded(n):
    torch.manual_seed(7)
    b, h, d, p = 2, 4, 16, 0.1
    q, k, v = (torch.randn(b, h, n, d, dtype=torch.float64) for _ in range(3))
    attend = torch.ones(b, 1, n, n, dtype=torch.bool)
    attend[1, :, :, 15:] = False
    additive = torch.zeros(b, 1, n, n, dtype=torch.float64).masked_fill(~attend, torch.finfo(torch.float64).min)
    qb, kb, vb = (t.bfloat16().requires_grad_() for t in (q, k, v))
    torch.manual_seed(8)
    out, _ = attention_forward(torch.nn.Module(), qb, kb, vb, attend, dropout=p)
    torch.manual_seed(8)
    keep = keep_mask((b, h, n, n), p)
    exact = [t.detach().double().requires_grad_() for t in (qb, kb, vb)]
    ref = _reference(*exact, additive, keep, p, d ** -0.5)
    assert out.dtype == torch.bfloat16
    # bf16 products and one rounding of the probabilities: within bf16's resolution of the exact result
    torch.testing.assert_close(out.double(), ref, atol=3e-2, rtol=2e-2)
    g = torch.randn(out.shape, dtype=torch.float64)
    grads = torch.autograd.grad(out, (qb, kb, vb), g.bfloat16())
    ref_grads = torch.autograd.grad(ref, exact, g)
    for got, want in zip(grads, ref_grads):
        assert got.dtype == torch.bfloat16
        torch.testing.assert_close(got.double(), want, atol=0.03 * want.abs().max().item(), rtol=0.05)


@pytest.mark.parametrize("n", [17, BF16_SOFTMAX_MIN_KEYS, 100])
def test_bf16_softmax_is_the_exact_softmax_rounded_with_its_gradient(n):
    torch.manual_seed(11)
    x = (torch.randn(3, 2, 5, n, dtype=torch.float64) * 4).bfloat16().requires_grad_()
    probs = bf16_softmax(x)
    exact = torch.softmax(x.detach().double(), -1)
    assert probs.dtype == torch.bfloat16
    # one rounding: within half a bf16 unit (2^-9 relative), plus what fp32 accumulation adds
    torch.testing.assert_close(probs.double(), exact, rtol=2 ** -8, atol=1e-7)
    # torch's bf16 kernels from BF16_SOFTMAX_MIN_KEYS keys on (measured faster there), fp32 + a cast below
    assert ("_Bf16Softmax" in type(probs.grad_fn).__name__) == (n >= BF16_SOFTMAX_MIN_KEYS)
    g = torch.randn(probs.shape, dtype=torch.float64).bfloat16()
    (grad,) = torch.autograd.grad(probs, x, g)
    want = exact * (g.double() - (g.double() * exact).sum(-1, keepdim=True))
    assert grad.dtype == torch.bfloat16
    torch.testing.assert_close(grad.double(), want, atol=0.02 * want.abs().max().item(), rtol=0.02)
    with pytest.raises(TypeError, match="bf16"):
        bf16_softmax(x.detach().float())


def test_attention_without_dropout_is_transformers_sdpa():
    from transformers.integrations.sdpa_attention import sdpa_attention_forward

    torch.manual_seed(4)
    q, k, v = (torch.randn(2, 4, 9, 8) for _ in range(3))
    module = torch.nn.Module()
    module.is_causal = False
    ours, _ = attention_forward(module, q, k, v, None, dropout=0.0)
    theirs, _ = sdpa_attention_forward(module, q, k, v, None, dropout=0.0)
    assert torch.equal(ours, theirs)


def _tiny_bert():
    from transformers import BertConfig, BertModel

    torch.manual_seed(5)
    config = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=2, num_attention_heads=2, intermediate_size=32,
                        max_position_embeddings=32)
    return BertModel(config, add_pooling_layer=False)


def test_speed_up_keeps_weights_and_eval_outputs_and_saves_a_plain_model(tmp_path):
    from transformers import AutoModel

    model = _tiny_bert()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    ids = torch.randint(0, 50, (3, 12))
    attention = torch.ones(3, 12, dtype=torch.long)
    attention[1, 8:] = 0
    model.eval()
    expected = model(input_ids=ids, attention_mask=attention).last_hidden_state

    notes = speed_up(model)
    assert notes == ["7 dropout layers and attention dropout use faster CPU masks (same rate)",
                     "2 attention layers compute query, key and value in one product"]
    assert not [m for m in model.modules() if type(m) is torch.nn.Dropout]
    assert model.config._attn_implementation == cpu_speed.ATTENTION_NAME
    assert model.state_dict().keys() == before.keys()
    assert all(torch.equal(model.state_dict()[k], before[k]) for k in before)
    assert torch.allclose(model(input_ids=ids, attention_mask=attention).last_hidden_state, expected, atol=1e-6)

    model.train()
    torch.manual_seed(6)
    a = model(input_ids=ids, attention_mask=attention).last_hidden_state
    torch.manual_seed(6)
    b = model(input_ids=ids, attention_mask=attention).last_hidden_state
    assert torch.equal(a, b) and not torch.allclose(a, expected, atol=1e-3)   # dropout is on, and seeded
    a.sum().backward()
    assert all(p.grad is not None for p in model.parameters() if p.requires_grad)

    model.save_pretrained(tmp_path)
    assert cpu_speed.ATTENTION_NAME not in (tmp_path / "config.json").read_text()
    reloaded = AutoModel.from_pretrained(tmp_path).eval()
    assert reloaded.config._attn_implementation == "sdpa"
    assert torch.allclose(reloaded(input_ids=ids, attention_mask=attention).last_hidden_state, expected, atol=1e-6)


def _inputs():
    ids = torch.randint(0, 50, (3, 12), generator=torch.Generator().manual_seed(1))
    attention = torch.ones(3, 12, dtype=torch.long)
    attention[1, 8:] = 0
    return {"input_ids": ids, "attention_mask": attention}


def _after_one_draw(state: torch.Tensor) -> torch.Tensor:
    torch.set_rng_state(state)
    torch.randint(0, (1 << 63) - 1, (1,), dtype=torch.int64)
    return torch.get_rng_state()


def test_a_forwards_masks_come_from_one_draw_of_torchs_generator():
    model = _tiny_bert()
    speed_up(model)
    model.train()
    state = torch.get_rng_state()
    first = model(**_inputs()).last_hidden_state          # 5 hidden and 2 attention dropout masks
    assert torch.equal(torch.get_rng_state(), _after_one_draw(state))
    torch.set_rng_state(state)                             # what a resumed run restores: the same masks
    assert torch.equal(model(**_inputs()).last_hidden_state, first)
    assert not torch.equal(model(**_inputs()).last_hidden_state, first)   # the next forward: new masks
    model.eval()
    state = torch.get_rng_state()
    model(**_inputs())
    assert torch.equal(torch.get_rng_state(), state)       # evaluation draws nothing


def test_a_forwards_numbers_are_one_sfc64_seeded_by_one_draw():
    stream = MaskStream(torch.nn.Module())
    torch.manual_seed(4)
    stream.start()
    got = torch.cat([stream.words(n) for n in (5, 300, 0, 1, 9_000, 77)])
    torch.manual_seed(4)
    seed = int(torch.randint(0, (1 << 63) - 1, (1,), dtype=torch.int64).item())
    assert torch.equal(got, torch.from_numpy(np.random.SFC64(seed).random_raw(got.numel()).view(np.int64)))
    stream.start()                            # the next forward: a new seed from torch's generator
    assert not torch.equal(stream.words(5), got[:5])


def test_under_gradient_checkpointing_each_mask_draws_on_its_own(monkeypatch):
    """A checkpointed layer runs its forward again in the backward with torch's generator state restored:
    its masks must be drawn from torch's generator again, or the gradients belong to other masks."""
    def run(checkpointing: bool) -> tuple[torch.Tensor, list[torch.Tensor]]:
        model = _tiny_bert()
        if checkpointing:
            model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        speed_up(model)
        model.train()
        torch.manual_seed(11)
        out = model(**_inputs()).last_hidden_state
        out.square().sum().backward()    # not linear in the masks: other masks, other gradients
        return out, [p.grad for p in model.parameters()]

    out, grads = run(checkpointing=True)
    monkeypatch.setattr(MaskStream, "words", lambda self, n: random_words(n))   # each mask on its own
    ref_out, ref_grads = run(checkpointing=False)
    assert torch.equal(out, ref_out)
    for g, r in zip(grads, ref_grads):
        torch.testing.assert_close(g, r)


def test_fused_qkv_gives_the_same_outputs_and_gradients_to_the_same_parameters():
    from core.train.cpu_speed import fuse_qkv

    def run(model):
        torch.manual_seed(7)
        ids = torch.randint(0, 50, (3, 12))
        attention = torch.ones(3, 12, dtype=torch.long)
        attention[2, 5:] = 0
        out = model(input_ids=ids, attention_mask=attention).last_hidden_state
        (out * torch.linspace(-1, 1, out.shape[-1], dtype=out.dtype)).sum().backward()
        return out.detach(), {n: p.grad.clone() for n, p in model.named_parameters()}

    plain, fused = _tiny_bert().double(), _tiny_bert().double()     # same seed, same weights
    for model in (plain, fused):
        model.config.hidden_dropout_prob = model.config.attention_probs_dropout_prob = 0.0
        model.eval()
    assert fuse_qkv(fused) == 2
    layer = fused.encoder.layer[0].attention.self
    assert type(layer.query).__name__ == "_FusedQuery" and type(layer.key).__name__ == "_SharedProjection"
    assert fused.state_dict().keys() == plain.state_dict().keys()
    out_plain, grads_plain = run(plain)
    out_fused, grads_fused = run(fused)
    assert torch.allclose(out_fused, out_plain, atol=1e-12)
    assert grads_fused.keys() == grads_plain.keys()
    for name, grad in grads_plain.items():                            # each gradient on its own parameter
        assert torch.allclose(grads_fused[name], grad, atol=1e-12), name
    assert grads_fused["encoder.layer.0.attention.self.value.weight"].abs().sum() > 0

    x, other = torch.randn(2, 5, 16, dtype=torch.float64), torch.randn(2, 5, 16, dtype=torch.float64)
    q = layer.query(x)
    assert torch.allclose(q, x @ layer.query.weight.T + layer.query.bias)
    k = layer.key(x)
    assert torch.allclose(k, x @ layer.key.weight.T + layer.key.bias)
    assert k.untyped_storage().data_ptr() == q.untyped_storage().data_ptr()                # from the one product
    assert torch.allclose(layer.value(other), other @ layer.value.weight.T + layer.value.bias)  # another input
    assert layer.key._pending is None and layer.value._pending is None
    assert torch.allclose(layer.key(other), other @ layer.key.weight.T + layer.key.bias)    # nothing waiting


def _cfg(task: str, precision: str):
    from core.config.presets import resolve

    preset = {"ner": "demo-ner", "classify": "demo", "sft": "demo-sft"}[task]
    return resolve(preset, sets=[f"precision={precision}", "use_cpu=true"], env={}, dotenv=None).config


@pytest.mark.parametrize("native", [True, False])
def test_cpu_precision_auto_is_bf16_only_for_encoders_on_cpus_with_native_bf16(monkeypatch, native):
    from core.train.setup import SessionError, choose_device

    monkeypatch.setattr(cpu_speed, "cpu_bf16_supported", lambda: native)
    assert choose_device(_cfg("ner", "auto")).precision == ("bf16" if native else "fp32")
    assert choose_device(_cfg("classify", "auto")).precision == ("bf16" if native else "fp32")
    assert choose_device(_cfg("sft", "auto")).precision == "fp32"
    assert choose_device(_cfg("ner", "fp32")).precision == "fp32"
    with pytest.raises(SessionError, match="fp16 is for CUDA GPUs.*Fix: set precision to fp32 or auto"):
        choose_device(_cfg("ner", "fp16"))
    with pytest.raises(SessionError, match="sft runs in fp32 on the CPU"):
        choose_device(_cfg("sft", "bf16"))
    if native:
        assert choose_device(_cfg("classify", "bf16")).precision == "bf16"
    else:
        with pytest.raises(SessionError, match="no native bf16"):
            choose_device(_cfg("classify", "bf16"))


def test_cpu_bf16_support_comes_from_torchs_cpu_checks(monkeypatch):
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False, raising=False)
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: True, raising=False)
    assert cpu_speed.cpu_bf16_supported()
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False, raising=False)
    assert not cpu_speed.cpu_bf16_supported()


def test_a_bf16_cpu_run_trains_saves_fp32_weights_and_resumes_exactly(tmp_path, monkeypatch):
    """bf16 autocast on the CPU (torch runs it on any x86 CPU; natively fast only with AVX512-BF16/AMX)."""
    from core.train import session
    from tests.conftest import Recorder, train_preset
    from tests.core.test_training import _stop_at

    monkeypatch.setattr(cpu_speed, "cpu_bf16_supported", lambda: True)
    sets = ["precision=auto", "max_steps=12", "logging_steps=1", "eval_steps=6", "save_steps=4"]
    full, rec = train_preset("demo-ner", tmp_path / "full", sets=sets)
    assert full["status"] == "completed"
    started = [e for e in rec.events if getattr(e, "message", "") and "on cpu (bf16)" in e.message]
    assert started, "the run says it trains in bf16"
    assert any("dropout layers" in (getattr(e, "message", "") or "") for e in rec.events)
    from safetensors.torch import load_file

    weights = load_file(str(tmp_path / "full" / "final" / "model.safetensors"))
    assert {t.dtype for t in weights.values()} == {torch.float32}
    assert json.loads((tmp_path / "full" / "final" / "config.json").read_text()).get("_attn_implementation") is None

    control, on_event = _stop_at(5)
    cut, _ = train_preset("demo-ner", tmp_path / "cut", sets=sets, control=control, on_event=on_event)
    assert cut["status"] == "stopped"
    resumed = session.resume(tmp_path / "cut", Recorder())
    assert resumed["status"] == "completed" and resumed["global_step"] == 12
    assert resumed["last_train_loss"] == pytest.approx(full["last_train_loss"], abs=1e-5)
    assert resumed["last_eval"]["eval_loss"] == pytest.approx(full["last_eval"]["eval_loss"], abs=1e-5)


def _faults_per_round(rounds: int = 20) -> float:
    import resource

    sizes = [3 << 20, 5 << 20, 2 << 20]     # a step's worth of activations of a few sizes, freed each round
    for _ in range(3):
        [torch.ones(n // 4) for n in sizes]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(rounds):
        kept = [torch.ones(n // 4) for n in sizes]
        del kept
    return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / rounds


@pytest.mark.skipif(cpu_speed._glibc() is None, reason="glibc's malloc only (Linux): nothing is changed elsewhere")
def test_freed_memory_kept_stops_page_faults_for_repeated_steps_and_trims_afterwards():
    pages = sum([3 << 20, 5 << 20, 2 << 20]) // 4096
    with cpu_speed.freed_memory_kept() as applied:
        assert applied
        inside = _faults_per_round()
    # Each round writes 2560 pages; kept memory is written without faulting them in again.
    assert inside < pages * 0.05, (inside, pages)
    after = _faults_per_round()   # glibc's settings after the run still reuse blocks of a step's size
    assert after < pages * 0.05, (after, pages)
    calls = []

    class FakeLibc:
        def mallopt(self, param, value):
            calls.append((param, value))
            return 1

        def malloc_trim(self, pad):
            calls.append(("trim", pad))
            return 1

    import unittest.mock
    with unittest.mock.patch.object(cpu_speed, "_glibc", return_value=FakeLibc()):
        with pytest.raises(RuntimeError):
            with cpu_speed.freed_memory_kept():
                raise RuntimeError("a run that fails")
    assert calls == [(-3, 32 << 20), (-1, 1 << 30), (-1, 64 << 20), ("trim", 0)]


def test_freed_memory_kept_does_nothing_without_glibc(monkeypatch):
    monkeypatch.setattr(cpu_speed, "_glibc", lambda: None)
    with cpu_speed.freed_memory_kept() as applied:
        assert applied is False


@pytest.mark.parametrize("max_norm", [0.5, 1e6])   # clipped, and left as it is
def test_clip_grad_norm_cpu_equals_torchs(max_norm):
    torch.manual_seed(9)
    shapes = [(128, 64), (64,), (7, 7), (1,), (300,)]
    grads = [torch.randn(s) * 3 for s in shapes]
    mine, theirs = [g.clone() for g in grads], [torch.nn.Parameter(torch.zeros(s)) for s in shapes]
    for p, g in zip(theirs, grads):
        p.grad = g.clone()
    want = torch.nn.utils.clip_grad_norm_(theirs, max_norm)
    got = cpu_speed.clip_grad_norm_cpu(mine, max_norm)
    torch.testing.assert_close(got, want, rtol=1e-6, atol=0)
    for g, p in zip(mine, theirs):
        torch.testing.assert_close(g, p.grad, rtol=1e-6, atol=1e-7)


def test_trainer_clips_cpu_gradients_with_foreach(monkeypatch):
    """A CPU run's Trainer takes the foreach clipping, with the value torch's own would give."""
    from core.train.trainer import LapTuneTrainer

    calls = []
    real = cpu_speed.clip_grad_norm_cpu
    monkeypatch.setattr(cpu_speed, "clip_grad_norm_cpu", lambda grads, m: calls.append(len(grads)) or real(grads, m))
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Linear(3, 2))
    model(torch.randn(5, 4)).pow(2).sum().mul(100).backward()
    expected = torch.nn.utils.get_total_norm([p.grad for p in model.parameters()])
    fake = type("FakeTrainer", (), {"args": type("A", (), {"world_size": 1, "max_grad_norm": 1.0})(),
                                    "accelerator": type("Acc", (), {"scaler": None})()})()
    norm = LapTuneTrainer._clip_grad_norm(fake, model)
    assert calls == [4]
    torch.testing.assert_close(norm, expected)
    torch.testing.assert_close(torch.nn.utils.get_total_norm([p.grad for p in model.parameters()]), torch.tensor(1.0), rtol=1e-5, atol=0)
    other = torch.nn.Linear(4, 2)             # another model (a rebuilt one): its own parameters
    other(torch.randn(5, 4)).sum().backward()
    LapTuneTrainer._clip_grad_norm(fake, other)
    assert calls == [4, 2]
