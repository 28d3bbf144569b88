"""Fit a run config to this machine: the fastest settings whose estimated peak memory fits the budget.

The budget is a share (default 90 %) of the free memory of the GPU that choose_gpu picks (honouring
device.gpu_id), or of the available RAM when training runs on the CPU. What fit may change, in order:

1. Speed knobs, always re-chosen: the micro-batch (a divisor of the effective batch, which never changes:
   grad_accum = effective / micro-batch) and gradient checkpointing. Without checkpointing beats with it
   (recomputation costs about a quarter more time per step); then the largest micro-batch wins.
2. Only when even micro-batch 1 with checkpointing does not fit, memory savers in the order that changes
   the preset's intent least: the 8-bit optimizer (same model, data and steps; CUDA only), 4-bit loading
   of a LoRA run (QLoRA; CUDA only), more frozen layers (encoders), shorter sequences (truncates data).
Each change carries its reason in words. When nothing fits, the result says so and suggests what would:
a smaller model of the same family, QLoRA, or the CPU, each with its own estimate.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from core.config.schema import RunConfig
from core.memory.estimate import Estimate, estimate, gib, settings_from_config
from core.memory.terms import Device, EstimateSettings
from core.machine.hardware import choose_gpu
from core.machine.snapshot import GpuInfo, HardwareSnapshot
from core.memory.model_arch import Arch, ModelConfigError, load_model_config, parse_arch
from core.config.paths import presets_dir

CHECKPOINTING_TIME = "~25 %"  # extra time per step for recomputing activations (seeds 002-004: 20-30 %)

# Smaller models of the same family, largest first, each with a bundled config so it can be estimated offline.
SMALLER_MODELS: dict[str, tuple[tuple[str, str], ...]] = {
    "chinese-encoder": (("uer/chinese_roberta_L-4_H-512", "chinese_roberta_l-4_h-512.json"),),
    "encoder": (("distilbert/distilbert-base-multilingual-cased", "distilbert-base-multilingual-cased.json"),),
    "qwen": (("Qwen/Qwen2.5-1.5B-Instruct", "qwen2.5-1.5b-instruct.json"),
             ("Qwen/Qwen2.5-0.5B-Instruct", "qwen2.5-0.5b-instruct.json")),
    "llama": (("HuggingFaceTB/SmolLM2-360M-Instruct", "smollm2-360m-instruct.json"),
              ("HuggingFaceTB/SmolLM2-135M-Instruct", "smollm2-135m-instruct.json")),
}
CHINESE_BERT_VOCAB = 21128  # bert-base-chinese, chinese-roberta-wwm-ext, uer/chinese_roberta_*


@dataclass(frozen=True)
class Change:
    field: str  # dotted config path
    old: Any
    new: Any
    why: str

    def line(self) -> str:
        return f"{self.field}: {self.old} -> {self.new} ({self.why})"


@dataclass
class FitResult:
    config: RunConfig
    changes: list[Change]
    estimate: Estimate
    budget_bytes: int
    fits: bool
    device: Device
    suggestions: list[str] = field(default_factory=list)
    reason: str = ""  # which device and why

    def lines(self) -> list[str]:
        verdict = "fits" if self.fits else "does NOT fit"
        out = [self.reason,
               f"Budget: {gib(self.budget_bytes)}; estimated peak {gib(self.estimate.peak_bytes)}: {verdict}"]
        if self.changes:
            out.append("Changes:")
            out.extend(f"  {c.line()}" for c in self.changes)
        else:
            out.append("No changes: the config fits as it is.")
        if self.suggestions:
            out.append("Suggestions:")
            out.extend(f"  - {s}" for s in self.suggestions)
        return out


@dataclass
class _Found:
    settings: EstimateSettings
    estimate: Estimate
    fits: bool
    changes: list[Change]  # memory savers applied (step 2 above)


def fit(cfg: RunConfig, hw: HardwareSnapshot, budget_frac: float = 0.9,
        model_config: dict[str, Any] | None = None) -> FitResult:
    if not 0 < budget_frac <= 1:
        raise ValueError(f"budget_frac must be in (0, 1], got {budget_frac}")
    # Bundled presets name their demo models relative to presets/; a caller with another preset folder
    # passes model_config itself.
    mc = model_config if model_config is not None else load_model_config(
        cfg.model.name_or_path, cfg.model.config_file, base_dir=presets_dir())
    arch = parse_arch(mc)
    gpu, reason = choose_gpu(hw, cfg.device.gpu_id)
    device: Device = "cuda"
    if cfg.device.use_cpu:
        device, reason = "cpu", "device.use_cpu is set: training runs on the CPU."
    elif gpu is None:
        device = "cpu"
    elif not hw.cuda_available:
        device, reason = "cpu", f"{reason} PyTorch cannot use it here, so training runs on the CPU."
    if device == "cuda":
        assert gpu is not None
        free = gpu.free_bytes
        budget = int(budget_frac * free)
        reason += f" Budget {budget_frac:.0%} of its {gib(free)} free."
    else:
        free = hw.system.ram_available_bytes
        budget = int(budget_frac * free)
        reason = (reason + f" Budget {budget_frac:.0%} of the {gib(free)} of RAM available.").strip()

    data = cfg.model_dump(mode="python")
    changes = _device_changes(data, device, gpu)
    start = settings_from_config(RunConfig.model_validate(data), device)
    effective = cfg.effective_batch
    found = _search(mc, arch, start, effective, budget, device)
    changes += _speed_changes(mc, cfg, found, effective, budget)
    changes += found.changes
    if found.settings.load_in_4bit and not data["requires"]["cuda"]:
        # The config validator insists on it (bitsandbytes training is CUDA-only); it comes first so that
        # applying the changes one by one never passes through an invalid config.
        at = next(i for i, c in enumerate(changes) if c.field == "memory.load_in_4bit")
        changes.insert(at, Change("requires.cuda", False, True, "4-bit loading trains on CUDA only"))
    for change in changes:
        _set(data, change.field, change.new)
    fitted = RunConfig.model_validate(data)
    suggestions = [] if found.fits else _suggestions(cfg, mc, arch, found, effective, budget, device, gpu, hw,
                                                      budget_frac)
    return FitResult(config=fitted, changes=changes, estimate=found.estimate, budget_bytes=budget, fits=found.fits,
                     device=device, suggestions=suggestions, reason=reason)


# ----------------------------------------------------------------------------- the search
def _divisors_desc(n: int) -> list[int]:
    return [d for d in range(n, 0, -1) if n % d == 0]


def _fastest_batch(mc: dict[str, Any], st: EstimateSettings, effective: int,
                   budget: int) -> tuple[EstimateSettings, Estimate] | None:
    """The fastest (micro-batch, checkpointing) that fits: no checkpointing first, then the largest micro-batch."""
    for ckpt in (False, True):
        for micro in _divisors_desc(effective):
            cand = replace(st, batch_size=micro, grad_accum=effective // micro, gradient_checkpointing=ckpt)
            est = estimate(mc, cand)
            if est.peak_bytes <= budget:
                return cand, est
    return None


def _smallest(st: EstimateSettings, effective: int) -> EstimateSettings:
    return replace(st, batch_size=1, grad_accum=effective, gradient_checkpointing=True)


def _search(mc: dict[str, Any], arch: Arch, st: EstimateSettings, effective: int, budget: int,
            device: Device) -> _Found:
    changes: list[Change] = []

    def done(hit: tuple[EstimateSettings, Estimate] | None) -> _Found | None:
        return _Found(hit[0], hit[1], True, changes) if hit else None

    def smallest_need(s: EstimateSettings) -> int:
        return estimate(mc, _smallest(s, effective)).peak_bytes

    if found := done(_fastest_batch(mc, st, effective, budget)):
        return found
    need = smallest_need(st)

    def take(nxt: EstimateSettings, step: list[Change]) -> _Found | None:
        """Apply a switch if it lowers the need; the first change of the step carries the numbers."""
        nonlocal st, need
        after = smallest_need(nxt)
        if after >= need:
            return None
        over = f"even batch 1 with checkpointing needs {gib(need)} of {gib(budget)}"
        changes.append(replace(step[0], why=f"{over}; {step[0].why}, saving {gib(need - after)}"))
        changes.extend(step[1:])
        st, need = nxt, after
        return done(_fastest_batch(mc, st, effective, budget))

    # Switches that keep model, data and steps. Each is taken only where it lowers the need: on a small
    # model 4-bit loading does not (the fp32 embeddings it brings outweigh the 4-bit layers).
    if device == "cuda" and st.optimizer == "adamw":
        if found := take(replace(st, optimizer="adamw_8bit"), [Change(
                "training.optimizer", "adamw", "adamw_8bit",
                "8-bit AdamW (bitsandbytes, CUDA only) keeps 2 bytes of state per trained weight instead of 8")]):
            return found
    if device == "cuda" and st.task == "sft" and st.lora_rank and not st.load_in_4bit:
        step = [Change("memory.load_in_4bit", False, True,
                       "QLoRA (CUDA only) stores the frozen layers' weights in 4-bit NF4, about a quarter of their size")]
        if st.load_in_8bit:
            step.append(Change("memory.load_in_8bit", True, False, "replaced by 4-bit loading"))
        if found := take(replace(st, load_in_4bit=True, load_in_8bit=False), step):
            return found
    over = f"even batch 1 with checkpointing needs {gib(need)} of {gib(budget)}"

    if not arch.is_decoder and not st.lora_rank and st.freeze_layers < arch.layers:
        old = st.freeze_layers
        for frozen in range(old + 1, arch.layers + 1):
            hit = _fastest_batch(mc, replace(st, freeze_layers=frozen), effective, budget)
            if hit or frozen == arch.layers:
                left = arch.layers - frozen
                changes.append(Change("memory.freeze_layers", old, frozen,
                                      f"{over}; training the last {left} of {arch.layers} layers (and the head) "
                                      "needs no gradients or optimizer state for the frozen ones"))
                st = replace(st, freeze_layers=frozen)
                if found := done(hit):
                    return found
        need = estimate(mc, _smallest(st, effective)).peak_bytes
        over = f"even batch 1 with checkpointing needs {gib(need)} of {gib(budget)}"

    floor = min(st.seq_len, max(32, st.seq_len // 4))
    if floor < st.seq_len:
        # Memory grows with length, so bisect for the longest length (in steps of 8) that fits.
        lengths = list(range(floor, st.seq_len, 8))
        lo, hi, best = 0, len(lengths) - 1, None
        while lo <= hi:
            mid = (lo + hi) // 2
            hit = _fastest_batch(mc, replace(st, seq_len=lengths[mid]), effective, budget)
            if hit:
                best, lo = hit, mid + 1
            else:
                hi = mid - 1
        new_len = best[0].seq_len if best else floor
        changes.append(Change("training.max_seq_length", st.seq_len, new_len,
                              f"{over}; samples longer than {new_len} tokens are truncated"))
        st = replace(st, seq_len=new_len)
        if found := done(best):
            return found

    last = _smallest(st, effective)
    return _Found(last, estimate(mc, last), False, changes)


def _speed_changes(mc: dict[str, Any], cfg: RunConfig, found: _Found, effective: int, budget: int) -> list[Change]:
    """Changes of micro-batch, accumulation and checkpointing, with their reasons."""
    t, st = cfg.training, found.settings
    out: list[Change] = []
    if st.batch_size != t.batch_size:
        if not found.fits:
            why = f"the smallest micro-batch; {st.batch_size} x {st.grad_accum} keeps the effective batch of {effective}"
        elif st.batch_size > t.batch_size:
            why = (f"{st.batch_size} x {st.grad_accum} keeps the effective batch of {effective} and fits "
                   f"({gib(found.estimate.peak_bytes)} of {gib(budget)}): fewer, larger steps train faster")
        else:
            old = estimate(mc, replace(st, batch_size=t.batch_size, grad_accum=t.grad_accum)).peak_bytes
            why = (f"micro-batch {t.batch_size} needs {gib(old)} of {gib(budget)}; {st.batch_size} x {st.grad_accum} "
                   f"keeps the effective batch of {effective}")
        out.append(Change("training.batch_size", t.batch_size, st.batch_size, why))
    if st.grad_accum != t.grad_accum:
        out.append(Change("training.grad_accum", t.grad_accum, st.grad_accum,
                          f"micro-batch {st.batch_size} x {st.grad_accum} = the effective batch of {effective}"))
    old_ckpt = cfg.memory.gradient_checkpointing
    if st.gradient_checkpointing != old_ckpt:
        if st.gradient_checkpointing:
            without = estimate(mc, replace(st, batch_size=1, grad_accum=effective, gradient_checkpointing=False))
            why = (f"without it even micro-batch 1 needs {gib(without.peak_bytes)} of {gib(budget)}; recomputing "
                   f"activations in backward saves memory for {CHECKPOINTING_TIME} more time per step")
        else:
            why = f"the run fits without recomputing activations, which saves {CHECKPOINTING_TIME} time per step"
        out.append(Change("memory.gradient_checkpointing", old_ckpt, st.gradient_checkpointing, why))
    return out


def _device_changes(data: dict[str, Any], device: Device, gpu: GpuInfo | None) -> list[Change]:
    """Settings the device forces, applied to `data` before the search."""
    mem, out = data["memory"], []
    if device == "cpu":
        if not data["device"]["use_cpu"]:
            out.append(Change("device.use_cpu", False, True, "no usable NVIDIA GPU: training runs on the CPU"))
        if mem["precision"] not in ("fp32", "auto"):
            out.append(Change("memory.precision", mem["precision"], "auto",
                              "training runs on the CPU: auto is bf16 where the CPU multiplies bf16 natively "
                              "(AVX512-BF16 or AMX), else fp32"))
        if data["training"]["optimizer"] in ("adamw_8bit", "paged_adamw_8bit"):
            out.append(Change("training.optimizer", data["training"]["optimizer"], "adamw",
                              "8-bit optimizers (bitsandbytes) need CUDA"))
        for key in ("load_in_4bit", "load_in_8bit"):
            if mem[key]:
                out.append(Change(f"memory.{key}", True, False,
                                  "quantised training (bitsandbytes) needs CUDA; LoRA stays on over fp32 weights"))
    elif gpu is not None and gpu.bf16_supported is False and mem["precision"] == "bf16":
        cc = ".".join(map(str, gpu.compute_capability)) if gpu.compute_capability else "?"
        out.append(Change("memory.precision", "bf16", "fp16",
                          f"{gpu.short_name} has no bf16 (compute capability {cc}, bf16 needs 8.0); fp16 uses the "
                          "same memory"))
    at = next((i for i, c in enumerate(out) if c.field == "memory.precision"), None)
    if data["requires"]["bf16"] and at is not None:  # before the precision, so every step stays valid
        out.insert(at, Change("requires.bf16", True, False, "the fitted config runs without bf16"))
    for change in out:
        _set(data, change.field, change.new)
    return out


def _set(data: dict[str, Any], dotted: str, value: Any) -> None:
    section, key = dotted.split(".")
    data[section][key] = value


# ----------------------------------------------------------------------------- suggestions when nothing fits
def _family(arch: Arch) -> str | None:
    if arch.style in ("bert", "gte"):
        return "chinese-encoder" if arch.vocab == CHINESE_BERT_VOCAB else "encoder"
    if arch.model_type == "qwen2":
        return "qwen"
    if arch.style == "llama":
        return "llama"
    return None


def _verdict(found: _Found) -> str:
    st = found.settings
    how = f"batch {st.batch_size} x {st.grad_accum}, length {st.seq_len}" + (
        ", checkpointing" if st.gradient_checkpointing else "")
    if st.freeze_layers:
        how += f", {st.freeze_layers} layers frozen"
    quant = " with 4-bit loading" if st.load_in_4bit else " with 8-bit loading" if st.load_in_8bit else ""
    if st.lora_rank and not quant:
        quant = " without quantisation"
    state = "fits in" if found.fits else "still needs"
    return f"{state} {gib(found.estimate.peak_bytes)} ({how}{quant})"


def _suggestions(cfg: RunConfig, mc: dict[str, Any], arch: Arch, found: _Found, effective: int, budget: int,
                 device: Device, gpu: GpuInfo | None, hw: HardwareSnapshot, budget_frac: float) -> list[str]:
    out: list[str] = []
    # The run as the preset meant it (before any memory saver), tried on each alternative.
    intent = settings_from_config(cfg, device)
    if device == "cpu":
        intent = replace(intent, precision="fp32", load_in_4bit=False, load_in_8bit=False,
                         optimizer="adamw" if "8bit" in intent.optimizer else intent.optimizer)
    params = arch.params("causal" if arch.is_decoder else "base")
    family = _family(arch)
    for name, bundled in SMALLER_MODELS.get(family or "", ()):
        try:
            smaller_mc = load_model_config(name, bundled)
        except ModelConfigError:
            continue
        smaller = parse_arch(smaller_mc)
        if smaller.params("causal" if smaller.is_decoder else "base") >= params:
            continue
        alt = _search(smaller_mc, smaller, intent, effective, budget, device)
        if intent.load_in_4bit or intent.load_in_8bit:
            # Small models can need less without quantisation (see core/memory/estimate.py on the fp32 upcast).
            plain = _search(smaller_mc, smaller, replace(intent, load_in_4bit=False, load_in_8bit=False), effective,
                            budget, device)
            if (plain.fits, plain.settings.seq_len, -plain.estimate.peak_bytes) > (
                    alt.fits, alt.settings.seq_len, -alt.estimate.peak_bytes):
                alt = plain
        size = smaller.params("causal" if smaller.is_decoder else "base") / 1e6
        out.append(f"a smaller model of the same family, {name} ({size:,.0f} M parameters): {_verdict(alt)}")
    if cfg.task == "sft" and not intent.lora_rank:
        alt = _search(mc, arch, replace(intent, lora_rank=16), effective, budget, device)
        out.append(f"LoRA r16 instead of full fine-tuning: {_verdict(alt)}")
    if device == "cuda" and cfg.task == "sft" and not intent.load_in_4bit:
        what = "LoRA" if intent.lora_rank else "full fine-tuning"
        qlora = replace(intent, lora_rank=intent.lora_rank or 16, load_in_4bit=True, load_in_8bit=False)
        alt = _search(mc, arch, qlora, effective, budget, device)
        out.append(f"QLoRA (4-bit base + LoRA r{qlora.lora_rank}) instead of {what}: {_verdict(alt)}")
    if device == "cuda":
        cpu_st = replace(intent, device="cpu", precision="fp32", load_in_4bit=False, load_in_8bit=False,
                         optimizer="adamw" if "8bit" in intent.optimizer else intent.optimizer)
        ram = hw.system.ram_available_bytes
        alt = _search(mc, arch, cpu_st, effective, int(budget_frac * ram), "cpu")
        state = "fits" if alt.fits else "does not fit either"
        out.append(f"training on the CPU (slow): needs {gib(alt.estimate.peak_bytes)} of RAM, "
                   f"{gib(ram)} available: {state}")
        if gpu is not None:
            held = sum(p.used_bytes or 0 for p in gpu.processes)
            if held:
                out.append(f"other processes hold {gib(held)} of GPU {gpu.index}: closing them frees that memory")
            need = estimate(mc, _smallest(intent, effective)).peak_bytes
            out.append(f"a GPU with at least {gib(need / budget_frac)} free: the config as given needs "
                       f"{gib(need)} at batch 1 with checkpointing")
    return out

