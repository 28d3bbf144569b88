"""Our Trainer subclass: the few things transformers.Trainer lacks for LapTune's users.

- a separate learning rate for the task head / CRF (seed 000: crf_learning_rate 5e-3 vs 5e-5);
- a length-grouped sampler whose order is re-seeded per epoch, so resume stays exact (PLATFORM-NOTES);
- checkpoints written to a staging folder and renamed into place: a kill mid-save never leaves a
  broken latest checkpoint;
- non-finite losses stop the step before the optimizer sees them;
- an out-of-memory error during evaluation halves the eval batch only (transformers #32215 shrinks
  the training batch instead);
- fault injection (`simulate_oom_at_step`, `simulate_nan_at_step`) so the recovery paths run on a CPU.
"""
from __future__ import annotations

import gc
import math
import os
import shutil
from pathlib import Path
from typing import Any, Callable

import torch
from torch.utils.data import Sampler
from transformers import Trainer
from transformers.trainer_callback import PrinterCallback
from transformers.trainer_utils import sort_checkpoints

from core.record.events import Backoff, Emit, Eval
from core.record.runs import COMPLETE_MARK

STAGING = ".staging"


def discard_checkpoint(folder: Path) -> None:
    """Delete a checkpoint folder so that no moment of the deletion looks complete: the mark goes first."""
    (folder / COMPLETE_MARK).unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)


class NonFiniteLoss(RuntimeError):
    def __init__(self, step: int, value: float) -> None:
        super().__init__(f"loss became {value} at step {step}")
        self.step, self.value = step, value


def is_oom(exc: BaseException) -> bool:
    """CUDA OOM as torch raises it now, and the RuntimeErrors older stacks raise."""
    if isinstance(exc, torch.OutOfMemoryError):
        return True
    return isinstance(exc, RuntimeError) and "out of memory" in str(exc).lower()


def free_memory() -> None:
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


class SeededLengthGroupedSampler(Sampler[int]):
    """Mega-batches of similar length, in an order drawn from (seed + epoch) only.

    Trainer calls set_epoch at each epoch (also when resuming), so an interrupted run draws the same
    order as the uninterrupted one; transformers' LengthGroupedSampler draws from the global RNG.
    """

    def __init__(self, lengths: list[int], group_size: int, seed: int) -> None:
        self.lengths, self.group_size, self.seed, self.epoch = lengths, max(1, group_size), seed, 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __len__(self) -> int:
        return len(self.lengths)

    def __iter__(self):
        gen = torch.Generator().manual_seed(self.seed + self.epoch)
        order = torch.randperm(len(self.lengths), generator=gen).tolist()
        # Mega-batches of up to 50 groups, but at least four per epoch (transformers' rule): with one
        # mega-batch a small data set was sorted whole, so every epoch had exactly the same batches.
        mega = self.group_size * max(1, min(len(self.lengths) // (4 * self.group_size), 50))
        groups = [sorted(order[i:i + mega], key=lambda j: -self.lengths[j]) for i in range(0, len(order), mega)]
        # Batches of similar length, in random order: sorted order would feed the model a long-to-short
        # curriculum within each mega-batch. The longest batch goes first so an out-of-memory error
        # shows at step 1, not hours in.
        batches = [g[i:i + self.group_size] for g in groups for i in range(0, len(g), self.group_size)]
        if batches:
            longest = max(range(len(batches)), key=lambda b: self.lengths[batches[b][0]])
            first = batches.pop(longest)
            batches = [first] + [batches[i] for i in torch.randperm(len(batches), generator=gen).tolist()]
        for batch in batches:
            yield from batch


class LapTuneTrainer(Trainer):
    def __init__(self, *args: Any, emit: Emit, head_parameters: Callable[[], list[torch.nn.Parameter]],
                 head_learning_rate: float | None, group_by_length: bool, faults: dict[str, int],
                 generate_sample: Callable[[], str | None] | None = None, thread_tuner: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.remove_callback(PrinterCallback)   # our events replace its print(logs)
        self.emit = emit
        self._head_parameters = head_parameters
        self._head_lr = head_learning_rate
        self._group_by_length = group_by_length
        self._faults = faults            # fault name -> step; each fires once, then is removed
        self._generate_sample = generate_sample
        self._thread_tuner = thread_tuner  # core/train/cpu_threads.py, CPU runs without device.cpu_threads

    # ------------------------------------------------------------ optimizer with a head learning rate
    def create_optimizer(self, model: Any = None) -> torch.optim.Optimizer:
        if self.optimizer is not None or not self._head_lr:
            return super().create_optimizer(model)
        opt_model = self.model if model is None else model
        decay = set(self.get_decay_parameter_names(opt_model))
        head = {id(p) for p in self._head_parameters()}
        groups: dict[tuple[bool, bool], list[torch.nn.Parameter]] = {}
        for name, p in opt_model.named_parameters():
            if p.requires_grad:
                groups.setdefault((id(p) in head, name in decay), []).append(p)
        param_groups = [
            {"params": params, "weight_decay": self.args.weight_decay if is_decay else 0.0,
             **({"lr": self._head_lr} if is_head else {})}
            for (is_head, is_decay), params in groups.items()
        ]
        optimizer_cls, optimizer_kwargs = self.get_optimizer_cls_and_kwargs(self.args, opt_model)
        self.optimizer = optimizer_cls(param_groups, **optimizer_kwargs)
        return self.optimizer

    # ------------------------------------------------------------ sampling
    def _get_train_sampler(self, train_dataset: Any = None) -> Sampler | None:
        dataset = train_dataset if train_dataset is not None else self.train_dataset
        if self._group_by_length and hasattr(dataset, "lengths") and self.args.world_size <= 1:
            group = self.args.train_batch_size * self.args.gradient_accumulation_steps
            return SeededLengthGroupedSampler(dataset.lengths, group, self.args.seed)
        return super()._get_train_sampler(train_dataset)

    # ------------------------------------------------------------ one step
    def _fault(self, name: str) -> bool:
        step = self._faults.get(name)
        if step is not None and self.state.global_step + 1 >= step:
            del self._faults[name]
            return True
        return False

    def training_step(self, model: Any, inputs: dict[str, Any], num_items_in_batch: Any = None) -> torch.Tensor:
        if self._fault("oom"):
            # A real torch.OutOfMemoryError, as CUDA raises it, so the back-off path is the real one.
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.32 GiB (simulated by LapTune)")
        if self._thread_tuner is not None:   # times whole steps, start to start, and sets this one's threads
            ids = inputs.get("input_ids") if isinstance(inputs, dict) else None
            self._thread_tuner.step(int(ids.numel()) if ids is not None else 1)
        loss = super().training_step(model, inputs, num_items_in_batch)
        if self._fault("nan"):
            loss = loss * float("nan")
        if not torch.isfinite(loss).all():
            # Raise before the optimizer step, so the weights stay as they were after the last good step.
            raise NonFiniteLoss(self.state.global_step + 1, float(loss.detach().float().mean()))
        return loss

    def _clip_grad_norm(self, model: Any) -> Any:
        # torch's clip_grad_norm_ loops over the parameters in Python on the CPU (no foreach path there):
        # the same clipping with foreach kernels for a single-process CPU run (core/train/cpu_speed.py).
        # The parameter list once per model: walking the module tree took ~0.2 ms of every CPU step.
        if getattr(self, "_grad_params_of", None) is not model:
            self._grad_params_of, self._grad_params = model, list(model.parameters())
        grads = [p.grad for p in self._grad_params if p.grad is not None]
        if (self.args.world_size > 1 or getattr(self.accelerator, "scaler", None) is not None or not grads
                or any(g.device.type != "cpu" or g.is_sparse for g in grads)):
            return super()._clip_grad_norm(model)
        from core.train.cpu_speed import clip_grad_norm_cpu

        return clip_grad_norm_cpu(grads, self.args.max_grad_norm)

    # ------------------------------------------------------------ evaluation with its own back-off
    def evaluate(self, eval_dataset: Any = None, ignore_keys: Any = None, metric_key_prefix: str = "eval") -> dict[str, float]:
        while True:
            try:
                if self._fault("eval_oom"):
                    raise torch.OutOfMemoryError("CUDA out of memory during evaluation (simulated by LapTune)")
                metrics = super().evaluate(eval_dataset, ignore_keys, metric_key_prefix)
                break
            except Exception as exc:
                if not is_oom(exc) or self.args.per_device_eval_batch_size <= 1:
                    raise
                old = self.args.per_device_eval_batch_size
                free_memory()
                self.args.per_device_eval_batch_size = max(1, old // 2)
                self.emit(Backoff(step=self.state.global_step, reason="eval_oom",
                                  changes={"eval_batch_size": [old, self.args.per_device_eval_batch_size]},
                                  message=f"Out of memory while evaluating: eval batch {old} -> "
                                          f"{self.args.per_device_eval_batch_size}; the training batch is unchanged"))
        if f"{metric_key_prefix}_loss" in metrics and "perplexity" not in metrics and self._generate_sample is not None:
            metrics[f"{metric_key_prefix}_perplexity"] = math.exp(min(metrics[f"{metric_key_prefix}_loss"], 50))
        generation = self._generate_sample() if self._generate_sample is not None and self.is_world_process_zero() else None
        self.emit(Eval(step=self.state.global_step, metrics={k: float(v) for k, v in metrics.items()
                                                               if isinstance(v, (int, float))}, generation=generation))
        return metrics

    # ------------------------------------------------------------ atomic checkpoints
    def _get_output_dir(self, trial: Any) -> str:
        return getattr(self, "_staging_dir", None) or super()._get_output_dir(trial)

    def _save_checkpoint(self, model: Any, trial: Any) -> None:
        run_dir = self.args.output_dir
        name = f"checkpoint-{self.state.global_step}"
        staging = os.path.join(run_dir, STAGING)
        if self.args.should_save:
            shutil.rmtree(staging, ignore_errors=True)   # leftovers of a save that was killed
        self._staging_dir = staging
        try:
            super()._save_checkpoint(model, trial)
            if self.args.should_save and self._fault("disk_full"):
                # What torch's zip writer raises when the disk fills mid-save (seen on a 6 MB folder).
                raise RuntimeError("[enforce fail at inline_container.cc:672] . unexpected pos 112576 vs 112464 "
                                   "(a full disk simulated by LapTune)")
            staged = Path(staging) / name
            if self.args.should_save:
                if self.state.best_model_checkpoint and self.state.best_model_checkpoint.startswith(staging):
                    self.state.best_model_checkpoint = self.state.best_model_checkpoint.replace(staging, run_dir, 1)
                    self.state.save_to_json(str(staged / "trainer_state.json"))
                (staged / COMPLETE_MARK).write_text("ok", encoding="utf-8")
                final = Path(run_dir) / name
                if final.exists():
                    discard_checkpoint(final)
                os.replace(staged, final)   # atomic on one filesystem: the checkpoint appears whole or not at all
        except BaseException:
            if self.args.should_save:
                shutil.rmtree(staging, ignore_errors=True)   # the previous checkpoint stays the latest
            raise
        finally:
            self._staging_dir = None
        if self.args.should_save:
            shutil.rmtree(staging, ignore_errors=True)
            self._rotate(run_dir)

    def _rotate(self, run_dir: str) -> None:
        """transformers' rotate_checkpoints rule (keep save_total_limit, always the latest and the best), with
        each deletion made safe: it rmtree's in place, so a kill mid-delete left a folder that still carried our
        complete-mark without its optimizer state."""
        limit = self.args.save_total_limit
        if not limit or limit <= 0:
            return
        checkpoints = sort_checkpoints(run_dir, "checkpoint", False)
        protected = {checkpoints[-1]} if checkpoints else set()
        if self.state.best_model_checkpoint is not None:
            protected.add(str(Path(self.state.best_model_checkpoint)))
        remaining, keep = len(checkpoints), max(limit, len(protected))
        for checkpoint in checkpoints:
            if remaining <= keep:
                break
            if checkpoint not in protected:
                discard_checkpoint(Path(checkpoint))
                remaining -= 1
