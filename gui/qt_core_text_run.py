"""The core's sentences about a run (session notes, device, out-of-memory and NaN recovery, probe
lines, guard stops, failures) as templates for gui/qt_core_text.py, in the same "CoreText" context.

Each template is the English the core writes (core/train/session.py, setup.py, callbacks.py, probe.py,
tasks/*.py, core/machine/guard.py), with its values as {parameters}.
"""
from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    return text


RUN_TEMPLATES: tuple[str, ...] = (
    # session notes and the started line
    QT_TRANSLATE_NOOP("CoreText", "{n} CPU thread for torch (device.cpu_threads; default: all physical cores but one)"),
    QT_TRANSLATE_NOOP("CoreText", "{n} CPU threads for torch (device.cpu_threads; default: all physical cores but one)"),
    QT_TRANSLATE_NOOP("CoreText", "{n} classes: {labels}"),
    QT_TRANSLATE_NOOP("CoreText", "{name} from {checkpoint} on {device} ({precision}); {reason}"),
    QT_TRANSLATE_NOOP("CoreText", "{name} on {device} ({precision}); {reason}"),
    QT_TRANSLATE_NOOP("CoreText", "training runs on the CPU: {why}"),
    QT_TRANSLATE_NOOP("CoreText", "no CUDA GPU is available to PyTorch"),
    QT_TRANSLATE_NOOP("CoreText", "use_cpu is set"),
    QT_TRANSLATE_NOOP("CoreText", "memory.precision is {precision} but training runs on the CPU ({why})"),
    QT_TRANSLATE_NOOP("CoreText", "sensors are off (guard.sensors: false): no guard, no hardware readings"),
    QT_TRANSLATE_NOOP("CoreText", "sensors stopped: {error}"),
    QT_TRANSLATE_NOOP("CoreText", "resumed after {s} s"),
    QT_TRANSLATE_NOOP("CoreText", "already complete at step {step}: nothing to resume"),
    QT_TRANSLATE_NOOP("CoreText", "{key}: {old} -> {new} for the rest of this run"),
    QT_TRANSLATE_NOOP("CoreText", "skipped {name}: incomplete (its save was interrupted)"),
    QT_TRANSLATE_NOOP("CoreText", "no complete checkpoint in {path}: the run stopped before its first save, so it starts "
                                  "again from step 0 in the same folder with its saved settings"),
    QT_TRANSLATE_NOOP("CoreText", "dropped {n} conversations with no assistant token left after truncation to {limit} tokens"),
    QT_TRANSLATE_NOOP("CoreText", "the tokenizer has no chat template: using LapTune's simple '<|role|>' template"),
    QT_TRANSLATE_NOOP("CoreText", "LoRA r={r} on {targets}: {n} trainable parameters"),
    QT_TRANSLATE_NOOP("CoreText", "{n} sentences were longer than max_seq_length and were cut (their tail words are not trained)"),
    # out of memory, NaN
    QT_TRANSLATE_NOOP("CoreText", "Out of memory: {changes}; continuing from {where}"),
    QT_TRANSLATE_NOOP("CoreText", "the start"),
    QT_TRANSLATE_NOOP("CoreText", "micro-batch {a} -> {b}, accumulation {c} -> {d} (effective batch stays {e})"),
    QT_TRANSLATE_NOOP("CoreText", "already at batch 1: sequence length {a} -> {b} (longer samples are cut)"),
    QT_TRANSLATE_NOOP("CoreText", "gradient checkpointing on (slower, much less memory)"),
    QT_TRANSLATE_NOOP("CoreText", "the loss became non-finite twice ({error}); stopped. {advice}"),
    QT_TRANSLATE_NOOP("CoreText", "Loss became {value} at step {step}: rolled back to {where}. If it happens again: {advice}"),
    QT_TRANSLATE_NOOP("CoreText", "lower the head/CRF learning rate (e.g. --set crf_learning_rate=1e-3), turn fp16 off "
                                  "(--set precision=fp32), and check the data (seed 000's advice)"),
    # the probe
    QT_TRANSLATE_NOOP("CoreText", "probe: micro-batch {b} fits, {s} s per step"),
    QT_TRANSLATE_NOOP("CoreText", "probing {n} steps at the longest samples ({tokens} tokens) on {device}"),
    QT_TRANSLATE_NOOP("CoreText", "probe on {device}: micro-batch {b} x accumulation {a}"),
    QT_TRANSLATE_NOOP("CoreText", "measured peak {peak}, estimated {estimate}"),
    QT_TRANSLATE_NOOP("CoreText", "{s} s per optimizer step at the longest samples; about {epoch} min per epoch, {total} min in total"),
    QT_TRANSLATE_NOOP("CoreText", "no estimate to compare: {error}"),
    QT_TRANSLATE_NOOP("CoreText", "micro-batch {b} did not fit; {best} x {accum} keeps the effective batch {effective}"),
    QT_TRANSLATE_NOOP("CoreText", "times are measured at the longest samples, so the epoch time is an upper bound"),
    # guard decisions as the core words them (stop reasons reach the GUI as text only)
    QT_TRANSLATE_NOOP("CoreText", "{label} {value} {unit} ≥ {limit} {unit}: critical; saving a checkpoint and stopping"),
    QT_TRANSLATE_NOOP("CoreText", "{label} {value} {unit} ≥ {limit} {unit}: paused; resumes below {resume} {unit}"),
    QT_TRANSLATE_NOOP("CoreText", "{label} {value} {unit} ≥ {limit} {unit}: paused and freeing the CUDA cache; resumes below {resume} {unit}"),
    QT_TRANSLATE_NOOP("CoreText", "{label} back to {value} {unit} < {limit} {unit}: resumed"),
    QT_TRANSLATE_NOOP("CoreText", "Battery {value} % < {limit} %: saving a checkpoint and stopping"),
    QT_TRANSLATE_NOOP("CoreText", "Paused for {value} min (maximum {limit} min): saving a checkpoint and stopping"),
    QT_TRANSLATE_NOOP("CoreText", "On battery: keep the charger connected; a laptop on battery throttles and may shut down"),
    QT_TRANSLATE_NOOP("CoreText", "On battery ({pct} %): keep the charger connected; a laptop on battery throttles and may shut down"),
    QT_TRANSLATE_NOOP("CoreText", "Swap use grew by {n} MiB since the start: memory pressure; the system is short of RAM and "
                                  "training will slow down; close other programs or lower the batch size"),
    # errors that end a run, and their fixes (str() of the core's errors: "<message> Fix: <fix>")
    QT_TRANSLATE_NOOP("CoreText", "{message} Fix: {fix}"),
    QT_TRANSLATE_NOOP("CoreText", "set precision to fp32 or auto (--set precision=fp32), or pick a CPU preset"),
    QT_TRANSLATE_NOOP("CoreText", "memory.precision is bf16 but this GPU has no bf16 (it arrived with RTX 30xx)"),
    QT_TRANSLATE_NOOP("CoreText", "set precision to fp16 or auto"),
    QT_TRANSLATE_NOOP("CoreText", "out of memory even at batch 1 with short sequences and gradient checkpointing"),
    QT_TRANSLATE_NOOP("CoreText", "use a smaller model, LoRA/QLoRA, or the CPU (`laptune estimate` shows what fits)"),
    QT_TRANSLATE_NOOP("CoreText", "cannot write to the run folder {path}: {why}"),
    QT_TRANSLATE_NOOP("CoreText", "choose another folder with --out, or free space / fix permissions"),
    QT_TRANSLATE_NOOP("CoreText", "{path} is not a LapTune run folder (no run.yaml)"),
    QT_TRANSLATE_NOOP("CoreText", "pass a folder under runs/"),
    QT_TRANSLATE_NOOP("CoreText", "checkpoint-{step} in {path} is incomplete (the save was interrupted)"),
    QT_TRANSLATE_NOOP("CoreText", "resume from another checkpoint; `laptune runs RUN_DIR` lists them"),
    QT_TRANSLATE_NOOP("CoreText", "no checkpoint-{step} in {path}"),
    QT_TRANSLATE_NOOP("CoreText", "`laptune runs RUN_DIR` lists the checkpoints"),
    QT_TRANSLATE_NOOP("CoreText", "not enough disk space in {path}: {free} GB free, a checkpoint needs about {need} GB "
                                  "(two are kept while the newer one is written)"),
    QT_TRANSLATE_NOOP("CoreText", "free disk space, lower save_total_limit, or choose another folder with --out"),
    # Auto-fit's reasons for each change (core/memory/fit.py)
    QT_TRANSLATE_NOOP("CoreText", "no usable NVIDIA GPU: training runs on the CPU"),
    QT_TRANSLATE_NOOP("CoreText", "training runs on the CPU, which has no fast half precision"),
    QT_TRANSLATE_NOOP("CoreText", "8-bit optimizers (bitsandbytes) need CUDA"),
    QT_TRANSLATE_NOOP("CoreText", "quantised training (bitsandbytes) needs CUDA; LoRA stays on over fp32 weights"),
    QT_TRANSLATE_NOOP("CoreText", "{gpu} has no bf16 (compute capability {cc}, bf16 needs 8.0); fp16 uses the same memory"),
    QT_TRANSLATE_NOOP("CoreText", "the fitted config runs without bf16"),
    QT_TRANSLATE_NOOP("CoreText", "4-bit loading trains on CUDA only"),
    QT_TRANSLATE_NOOP("CoreText", "8-bit AdamW (bitsandbytes, CUDA only) keeps 2 bytes of state per trained weight instead of 8"),
    QT_TRANSLATE_NOOP("CoreText", "QLoRA (CUDA only) stores the frozen layers' weights in 4-bit NF4, about a quarter of their size"),
    QT_TRANSLATE_NOOP("CoreText", "replaced by 4-bit loading"),
    QT_TRANSLATE_NOOP("CoreText", "even batch 1 with checkpointing needs {need} of {budget}; {why}, saving {saved}"),
    QT_TRANSLATE_NOOP("CoreText", "even batch 1 with checkpointing needs {need} of {budget}; training the last {left} of {n} "
                                  "layers (and the head) needs no gradients or optimizer state for the frozen ones"),
    QT_TRANSLATE_NOOP("CoreText", "even batch 1 with checkpointing needs {need} of {budget}; samples longer than {len} tokens "
                                  "are truncated"),
    QT_TRANSLATE_NOOP("CoreText", "the smallest micro-batch; {b} x {a} keeps the effective batch of {e}"),
    QT_TRANSLATE_NOOP("CoreText", "{b} x {a} keeps the effective batch of {e} and fits ({peak} of {budget}): fewer, larger "
                                  "steps train faster"),
    QT_TRANSLATE_NOOP("CoreText", "micro-batch {m} needs {need} of {budget}; {b} x {a} keeps the effective batch of {e}"),
    QT_TRANSLATE_NOOP("CoreText", "micro-batch {b} x {a} = the effective batch of {e}"),
    QT_TRANSLATE_NOOP("CoreText", "without it even micro-batch 1 needs {need} of {budget}; recomputing activations in backward "
                                  "saves memory for {time} more time per step"),
    QT_TRANSLATE_NOOP("CoreText", "the run fits without recomputing activations, which saves {time} time per step"),
    # the estimator's summary (core/memory/estimate.py), the memory bar's tooltip
    QT_TRANSLATE_NOOP("CoreText", "Estimated peak GPU memory: {peak}"),
    QT_TRANSLATE_NOOP("CoreText", "Estimated peak RAM (training on the CPU): {peak}"),
    QT_TRANSLATE_NOOP("CoreText", "Model: {model}"),
    QT_TRANSLATE_NOOP("CoreText", "Parameters: {total} M, of which {trainable} M trainable"),
    QT_TRANSLATE_NOOP("CoreText", "Note: {note}"),
    QT_TRANSLATE_NOOP("CoreText", "{type}: {layers} layers, hidden {hidden}, {heads} heads, MLP {mlp}, vocabulary {vocab}"),
    QT_TRANSLATE_NOOP("CoreText", "{type}: {layers} layers, hidden {hidden}, {heads} heads, {kv} kv heads, MLP {mlp}, vocabulary {vocab}"),
    QT_TRANSLATE_NOOP("CoreText", "CUDA context, kernels, cuBLAS workspace"),
    QT_TRANSLATE_NOOP("CoreText", "Python, torch, transformers, tokenizer, dataset"),
    QT_TRANSLATE_NOOP("CoreText", "{n} B weights in NF4, the rest {rest}, LoRA fp32"),
    QT_TRANSLATE_NOOP("CoreText", "{n} B weights in int8, the rest {rest}, LoRA fp32"),
    QT_TRANSLATE_NOOP("CoreText", "{n} M parameters, {dtype}, LoRA fp32"),
    QT_TRANSLATE_NOOP("CoreText", "{n} M parameters, {dtype}"),
    QT_TRANSLATE_NOOP("CoreText", "half precision"),
    QT_TRANSLATE_NOOP("CoreText", "half-precision copies of fp32 weights (autocast)"),
    QT_TRANSLATE_NOOP("CoreText", "none in fp32"),
    QT_TRANSLATE_NOOP("CoreText", "{n} M trainable x 4 bytes"),
    QT_TRANSLATE_NOOP("CoreText", "AdamW: 2 fp32 states"),
    QT_TRANSLATE_NOOP("CoreText", "8-bit AdamW: 2 one-byte states"),
    QT_TRANSLATE_NOOP("CoreText", "paged 8-bit AdamW: 2 one-byte states"),
    QT_TRANSLATE_NOOP("CoreText", "Adafactor: factored second moment"),
    QT_TRANSLATE_NOOP("CoreText", "SGD: no state"),
    QT_TRANSLATE_NOOP("CoreText", "{a} of {n} layers on the gradient path, checkpointed, {b} x {s} tokens"),
    QT_TRANSLATE_NOOP("CoreText", "{a} of {n} layers on the gradient path, all kept, {b} x {s} tokens"),
    QT_TRANSLATE_NOOP("CoreText", "fp32 log-probabilities and their gradients over {n} tokens"),
    QT_TRANSLATE_NOOP("CoreText", "{n} labels per token"),
    QT_TRANSLATE_NOOP("CoreText", "{n} labels per sample"),
    QT_TRANSLATE_NOOP("CoreText", "cached blocks that differently shaped batches cannot reuse"),
    QT_TRANSLATE_NOOP("CoreText", "foreach AdamW's temporary beyond the freed activations"),
    QT_TRANSLATE_NOOP("CoreText", "no large temporaries"),
    QT_TRANSLATE_NOOP("CoreText", "The CPU trains in fp32: {p} is counted as fp32."),
    QT_TRANSLATE_NOOP("CoreText", "4-bit/8-bit loading trains on CUDA only: counted as LoRA over fp32 weights."),
    QT_TRANSLATE_NOOP("CoreText", "8-bit optimizers need CUDA: counted as AdamW."),
    QT_TRANSLATE_NOOP("CoreText", "The paged optimizer's states can move to CPU RAM under pressure; they are counted on the GPU."),
    QT_TRANSLATE_NOOP("CoreText", "Mixed precision trains fp32 master weights under autocast; activations are half precision."),
    QT_TRANSLATE_NOOP("CoreText", "seq_len {s} exceeds the model's {n} positions."),
    # run states the core reports in words
    QT_TRANSLATE_NOOP("CoreText", "training finished"),
    QT_TRANSLATE_NOOP("CoreText", "stopped by the user"),
    QT_TRANSLATE_NOOP("CoreText", "paused by the user"),
    QT_TRANSLATE_NOOP("CoreText", "the app was closed"),
)
