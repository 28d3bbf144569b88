"""Auto-fit on fake hardware: what fits, what changes and why, what is suggested when nothing fits."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.config.schema import RunConfig
from core.memory.estimate import estimate, settings_from_config
from core.memory.terms import GIB
from core.memory.fit import FitResult, fit
from core.machine.fakes import FAKE_PROFILES, fake_probe
from core.memory.model_arch import load_model_config
from core.config.paths import presets_dir
from core.config.presets import load_preset

PRESETS = sorted(p.stem for p in presets_dir().glob("*.yaml"))


def run_fit(preset: str, profile: str, **changes: object) -> FitResult:
    cfg = load_preset(preset)
    if changes:
        data = cfg.model_dump()
        for dotted, value in changes.items():
            section, key = dotted.split("__")
            data[section][key] = value
        cfg = RunConfig.model_validate(data)
    return fit(cfg, fake_probe(profile))


def fields(result: FitResult) -> list[str]:
    return [c.field for c in result.changes]


def assert_consistent(result: FitResult, original: RunConfig) -> None:
    """The invariants every fit keeps."""
    t = result.config.training
    assert t.batch_size * t.grad_accum == original.effective_batch, "the effective batch changed"
    assert "training.effective_batch" not in fields(result)
    assert all(c.why and c.old != c.new for c in result.changes)
    # The GUI applies the changes one by one: every intermediate config must be valid too.
    data = original.model_dump()
    for change in result.changes:
        section, key = change.field.split(".")
        assert data[section][key] == change.old, change.field
        data[section][key] = change.new
        RunConfig.model_validate(data)
    assert RunConfig.model_validate(data) == result.config
    # The fitted config, estimated again, gives the estimate the fit reports.
    mc = load_model_config(result.config.model.name_or_path, result.config.model.config_file, base_dir=presets_dir())
    again = estimate(mc, settings_from_config(result.config, result.device))
    assert again.peak_bytes == result.estimate.peak_bytes
    if result.fits:
        assert result.estimate.peak_bytes <= result.budget_bytes and not result.suggestions
    else:
        assert result.suggestions


def test_seed_000_preset_fits_a_4gb_laptop() -> None:
    result = run_fit("ner-bert-crf-4gb", "laptop-3050-4gb")
    assert result.fits and result.device == "cuda"
    assert result.budget_bytes == int(0.9 * fake_probe("laptop-3050-4gb").gpus[0].free_bytes)
    assert_consistent(result, load_preset("ner-bert-crf-4gb"))
    assert result.config.memory.freeze_layers == 10 and result.config.training.max_seq_length == 64


def test_seed_004_preset_fits_8gb_and_may_grow_the_batch() -> None:
    original = load_preset("sft-smollm2-8gb")
    result = run_fit("sft-smollm2-8gb", "laptop-4060-8gb")
    assert result.fits
    assert_consistent(result, original)
    t = result.config.training
    assert t.batch_size >= original.training.batch_size and 64 % t.batch_size == 0
    if t.batch_size != original.training.batch_size:
        change = next(c for c in result.changes if c.field == "training.batch_size")
        assert "effective batch of 64" in change.why
        assert "training.grad_accum" in fields(result)


def test_qlora_7b_does_not_fit_a_4gb_laptop_and_suggests_smaller_models() -> None:
    original = load_preset("qlora-qwen-7b-16gb")
    result = run_fit("qlora-qwen-7b-16gb", "laptop-3050-4gb")
    assert not result.fits
    assert_consistent(result, original)
    text = "\n".join(result.suggestions)
    assert "Qwen2.5-1.5B" in text and "Qwen2.5-0.5B" in text
    assert "CPU" in text and "GiB" in text
    assert any("0.5B" in s and "fits in" in s for s in result.suggestions)
    assert "does NOT fit" in "\n".join(result.lines())


def test_qlora_7b_fits_a_16gb_desktop_unchanged() -> None:
    result = run_fit("qlora-qwen-7b-16gb", "desktop-4080-16gb")
    assert result.fits and result.config.memory.load_in_4bit and result.config.training.max_seq_length == 1024


def test_cpu_only_sets_precision_auto_and_says_cpu() -> None:
    original = load_preset("ner-bert-crf-4gb")
    result = run_fit("ner-bert-crf-4gb", "cpu-only")
    assert result.device == "cpu" and result.fits
    assert result.config.memory.precision == "auto"   # bf16 where the CPU has it, else fp32 (core/train/setup.py)
    change = next(c for c in result.changes if c.field == "memory.precision")
    assert (change.old, change.new) == ("fp16", "auto") and "CPU" in change.why and "bf16" in change.why
    assert "CPU" in result.reason and result.config.device.use_cpu
    ram = fake_probe("cpu-only").system.ram_available_bytes
    assert result.budget_bytes == int(0.9 * ram)
    assert "cuda_context" not in result.estimate.breakdown
    assert_consistent(result, original)


def test_cpu_turns_off_cuda_only_settings() -> None:
    result = run_fit("qlora-qwen-7b-16gb", "cpu-only")
    assert result.device == "cpu"
    cfg = result.config
    assert not cfg.memory.load_in_4bit and cfg.training.optimizer == "adamw" and cfg.memory.precision == "auto"
    assert not cfg.requires.bf16  # a valid config: the CPU may run it in fp32
    assert not result.fits and any("0.5B" in s for s in result.suggestions)


def test_room_grows_the_micro_batch_and_drops_checkpointing() -> None:
    result = run_fit("cls-low-memory", "desktop-3090-24gb")
    t = result.config.training
    assert result.fits and (t.batch_size, t.grad_accum) == (16, 1)
    assert result.config.memory.gradient_checkpointing is False
    why = next(c.why for c in result.changes if c.field == "memory.gradient_checkpointing")
    assert "time" in why


def test_no_room_shrinks_the_micro_batch_first() -> None:
    original = load_preset("cls-full")
    result = run_fit("cls-full", "laptop-4060-8gb")
    assert result.fits
    assert_consistent(result, original)
    assert result.config.training.batch_size < original.training.batch_size
    # Speed knobs were enough: nothing that changes what is learned.
    assert not {"memory.freeze_layers", "training.max_seq_length"} & set(fields(result))


def test_memory_savers_come_in_order_of_least_intent_change() -> None:
    result = run_fit("cls-full", "laptop-3050-4gb")
    order = [f for f in fields(result) if f in ("training.optimizer", "memory.freeze_layers", "training.max_seq_length")]
    assert order and order[0] == "training.optimizer"
    assert order == sorted(order, key=["training.optimizer", "memory.freeze_layers", "training.max_seq_length"].index)
    assert_consistent(result, load_preset("cls-full"))


def test_gpu_id_is_honoured() -> None:
    hw = fake_probe("8x4090-busy")
    cfg = load_preset("encoder-mlp-gte")
    chosen = fit(RunConfig.model_validate({**cfg.model_dump(), "device": {"gpu_id": 4, "use_cpu": False}}), hw)
    freest = fit(cfg, hw)
    assert chosen.budget_bytes == int(0.9 * hw.gpus[4].free_bytes) and "GPU 4" in chosen.reason
    assert freest.budget_bytes == int(0.9 * hw.gpus[6].free_bytes)


def test_budget_fraction_is_applied() -> None:
    hw = fake_probe("laptop-4060-8gb")
    result = fit(load_preset("sft-smollm2-8gb"), hw, budget_frac=0.5)
    assert result.budget_bytes == int(0.5 * hw.gpus[0].free_bytes)
    with pytest.raises(ValueError):
        fit(load_preset("sft-smollm2-8gb"), hw, budget_frac=0)


def test_bf16_on_a_gpu_without_it_becomes_fp16() -> None:
    result = run_fit("qlora-qwen-7b-12gb", "laptop-1650-4gb")
    change = next(c for c in result.changes if c.field == "memory.precision")
    assert (change.old, change.new) == ("bf16", "fp16") and "bf16" in change.why
    assert result.config.memory.precision == "fp16" and not result.config.requires.bf16


def test_model_config_can_be_given() -> None:
    mc = load_model_config("unused", "smollm2-135m-instruct.json")
    result = fit(load_preset("sft-smollm2-cpu"), fake_probe("cpu-only"), model_config=mc)
    assert result.device == "cpu" and result.estimate.params_total > 100e6


def test_lines_tell_the_story() -> None:
    text = "\n".join(run_fit("ner-bert-crf-4gb", "cpu-only").lines())
    assert "CPU" in text and "memory.precision: fp16 -> auto" in text and "GiB" in text


@pytest.mark.parametrize("profile", sorted(FAKE_PROFILES))
def test_every_preset_on_every_profile_keeps_the_invariants(profile: str) -> None:
    for preset in PRESETS:
        original = load_preset(preset)
        result = fit(original, fake_probe(profile))
        assert_consistent(result, original)
        assert result.budget_bytes > 0 and result.estimate.peak_bytes > 0
        if profile == "cpu-only":
            assert result.device == "cpu" and result.config.memory.precision in ("fp32", "auto")


def test_fit_reads_no_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("fit tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.chdir(tmp_path)  # demo presets name their models relative to presets/, not the working folder
    result = run_fit("demo-sft", "laptop-3050-4gb")
    assert result.fits
    assert result.estimate.peak_bytes < 1 * GIB
