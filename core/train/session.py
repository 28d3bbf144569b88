"""One training run: `run(config, emit, control)`, the single entry point of the CLI, the GUI and the self-test.

It builds the task, the TrainingArguments and our Trainer, starts the sensors and the guard, and
keeps the run alive through what usually kills it: CUDA out-of-memory (halve the micro-batch, double
accumulation, carry on from the current state), a NaN loss (roll back to the last good checkpoint),
and a stop request (save a checkpoint, then stop). Everything it does is an event.
"""
from __future__ import annotations

import time
import traceback
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from core.config.schema import RunConfig
from core.hub import DownloadCancelled
from core.record import noise
from core.record.disk import disk_full_message, folder_bytes, free_bytes, is_disk_full
from core.record.events import Backoff, Control, Emit, GuardAction, Sample, Status
from core.record.runs import EventLog, RunDir, RunError, best_checkpoint, is_rank_zero, new_run_path
from core.train import collector
from core.train.cpu_threads import ThreadTuner, choice_note, measured_candidates, start_note
from core.train.recovery import NAN_ADVICE, Attempt, Faults, backoff_plan
from core.train.setup import (Device, SessionError, _prepare_cuda, apply_cpu_threads, build_task, choose_device,
                              training_arguments)


def _weights_bytes(cfg: RunConfig) -> int:
    """About how many bytes the model's weights are on the hub: its parameters (from config.json, bundled or
    cached; no network) at the dtype it is stored in. 0 when the shape is unknown."""
    from core.config.paths import presets_dir
    from core.memory.estimate import estimate_config
    from core.memory.model_arch import ModelConfigError, load_model_config

    try:
        params = estimate_config(cfg, "cpu").params_total
        stored = load_model_config(cfg.model.name_or_path, cfg.model.config_file, base_dir=presets_dir())
    except (ModelConfigError, ValueError, OSError):
        return 0
    dtype = str(stored.get("torch_dtype") or stored.get("dtype") or "float32")
    return params * (2 if dtype in ("float16", "bfloat16") else 4)


class Session:
    def __init__(self, config: RunConfig, emit: Emit | None, control: Control | None, run_dir: RunDir,
                 preset_dir: Path | None, hardware: Any, faults: Faults, fixed_padding: bool = False) -> None:
        self.config = config
        self.control = control or Control()
        self.rd = run_dir
        self.log = EventLog(run_dir.events_path, emit, tensorboard=True)
        self.preset_dir = preset_dir
        self.hardware = hardware
        self.faults = faults
        self.fixed_padding = fixed_padding
        self.started = time.time()
        self.peak_memory = 0
        self.paused_seconds = 0.0
        self._trainer: Any = None
        self._sensors: Any = None
        self.guard: Any = None
        self.checkpoint_bytes: int | None = None   # the size of one checkpoint: estimated, then measured

    # ------------------------------------------------------------ the guard on the sensor thread
    def _on_sample(self, sample: Sample) -> None:
        self.log(sample)
        if sample.torch_peak_reserved_bytes:
            self.peak_memory = max(self.peak_memory, sample.torch_peak_reserved_bytes)
        for action in self.guard.observe(sample) if self.guard else []:
            action.step = self.log.step
            self.log(action)
            self._apply(action)

    def _apply(self, action: GuardAction) -> None:
        if action.action == "pause" and not self.control.pause_requested:
            self.control.pause(action.message)
            self._guard_paused = True
        elif action.action == "resume" and self._guard_paused and self.guard.state == "run":
            self._guard_paused = False
            self.control.resume()
        elif action.action == "stop":
            self.control.stop(action.message)

    def _thread_tuner(self, device: Device):
        """A ThreadTuner for a CPU run whose thread count is not fixed (core/train/cpu_threads.py), else None."""
        candidates = measured_candidates(self.config.device.cpu_threads) if device.kind == "cpu" else []
        if not candidates:
            return None

        def chosen(threads: int, measured: dict[int, float]) -> None:
            step = self._trainer.state.global_step if self._trainer is not None else 0
            self.log(Status(status="note", step=step, message=choice_note(threads, step, measured)))
        return ThreadTuner(candidates, on_choice=chosen)

    def _start_sensors(self, device: Device):
        from core.machine.guard import Guard
        from core.machine.sensors import SensorLoop, load_trace

        self._guard_paused = False
        if not self.config.guard.sensors:   # the switch that turns the sampling thread off altogether
            self.log(Status(status="note", message="sensors are off (guard.sensors: false): no guard, no hardware readings"))
            return None
        self.guard = Guard(self.config.guard) if self.config.guard.enabled else None
        trace = load_trace(self.faults.sensor_trace) if self.faults.sensor_trace else None
        if not is_rank_zero():
            return None
        return SensorLoop(self._on_sample, gpu_index=device.gpu_index, interval_s=self.config.guard.sample_interval_s,
                          trace=trace, disk_path=self.rd.checkpoints_dir,
                          on_error=lambda exc: self.log(Status(status="warning", message=f"sensors stopped: {exc}"))).start()

    def _checkpoint_saved(self, path: str) -> None:
        """A checkpoint's real size is what the next one needs on disk (the guard's disk rule)."""
        size = folder_bytes(Path(path))
        if size:
            self.checkpoint_bytes = size
            if self.guard is not None:
                self.guard.disk_needed_bytes = size

    # ------------------------------------------------------------ one attempt with Trainer
    def _attempt(self, attempt: Attempt, device: Device, trainer_faults: dict[str, int]):
        import transformers

        from core.train.callbacks import ControlCallback, EventCallback
        from core.train.cpu_speed import freed_memory_kept
        from core.train.trainer import LapTuneTrainer, free_memory

        cfg = attempt.config
        transformers.utils.logging.disable_progress_bar()   # our progress display replaces the shard-writing bars
        noise.after_import()   # load reports and deprecation notes to library.log (core/record/noise.py)
        transformers.set_seed(cfg.training.seed)   # the same initial weights and order on every attempt
        # training.dynamic_padding: false pads every batch to max_seq_length, as the seed scripts did.
        bundle = build_task(cfg, device, self.preset_dir, self.fixed_padding or not cfg.training.dynamic_padding)
        for note in bundle.notes:
            self.log(Status(status="note", message=note))
        self._size_checkpoint(bundle.model, check=attempt.resume_from is None and not attempt.backoffs)
        args = training_arguments(cfg, device, self.rd.checkpoints_dir, bundle)
        origin = f" from {Path(attempt.resume_from).name}" if attempt.resume_from else ""
        started = Status(status="started", run_dir=str(self.rd.path),
                         message=f"{cfg.name}{origin} on {device.kind} ({device.precision}); {device.reason}")
        events = EventCallback(self.log, started, on_checkpoint=self._checkpoint_saved)
        ctrl = ControlCallback(self.control, self.log, on_pause=free_memory)
        trainer = LapTuneTrainer(
            model=bundle.model, args=args, train_dataset=bundle.train_dataset, eval_dataset=bundle.eval_dataset,
            data_collator=bundle.collator, processing_class=bundle.tokenizer, compute_metrics=bundle.compute_metrics,
            preprocess_logits_for_metrics=bundle.preprocess_logits_for_metrics, callbacks=[events, ctrl],
            emit=self.log, head_parameters=bundle.head_parameters, head_learning_rate=cfg.training.head_learning_rate,
            group_by_length=cfg.training.group_by_length, faults=trainer_faults, generate_sample=bundle.generate_sample,
            thread_tuner=self._thread_tuner(device))
        self._trainer = trainer
        if self._sensors is not None and not attempt.backoffs and attempt.nan_rollbacks == 0:
            self._sensors.restart_trace_clock()
        try:
            with freed_memory_kept() if device.kind == "cpu" else nullcontext(), collector.frozen_for_training():
                trainer.train(resume_from_checkpoint=attempt.resume_from)
        finally:
            self.paused_seconds += ctrl.paused_seconds
        return trainer, bundle, events, ctrl

    def _fetch_model(self, cfg: RunConfig) -> RunConfig:
        """The download phase (core/hub): a hub model not on disk is fetched first with "download" events and
        can be cancelled; a cached one is loaded from its cache folder with no network call. run.yaml keeps the id."""
        from core.hub import ModelOffline, ensure_model

        try:
            local = ensure_model(cfg.model.name_or_path, self.preset_dir, emit=self.log,
                                 should_stop=lambda: self.control.stop_requested)
        except ModelOffline as exc:   # say how big the download will be, from the shape the estimator knows
            raise exc.with_estimate(_weights_bytes(cfg)) from exc
        return cfg if local is None else cfg.model_copy(update={"model": cfg.model.model_copy(update={"name_or_path": local})})

    def _size_checkpoint(self, model: Any, check: bool) -> None:
        weights = sum(p.numel() * p.element_size() for p in model.parameters())
        trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
        # weights + AdamW's two fp32 states for trainable ones; two checkpoints live during rotation.
        one = int(1.2 * (weights + 8 * trainable))
        if self.checkpoint_bytes is None:
            latest = self.rd.latest_checkpoint()
            self.checkpoint_bytes = folder_bytes(latest.path) if latest else one
            if self.guard is not None:
                self.guard.disk_needed_bytes = self.checkpoint_bytes
        if check:
            self.rd.check_free_space(2 * one)

    def _disk_full(self) -> str:
        return disk_full_message(self.rd.checkpoints_dir, free_bytes(self.rd.checkpoints_dir), self.checkpoint_bytes,
                                 self.rd.path)

    def _save_in_place(self, trainer: Any) -> str | None:
        """After an OOM the weights and optimizer are those of the last finished step: save them."""
        if trainer is None or trainer.state.global_step == 0:
            return None
        try:
            trainer.model.zero_grad(set_to_none=True)
            trainer._save_checkpoint(trainer.model, None)
            return str(self.rd.checkpoints_dir / f"checkpoint-{trainer.state.global_step}")
        except Exception:
            latest = self.rd.latest_checkpoint()
            return str(latest.path) if latest else None

    def import_training(self) -> None:
        """Import the training stack, leaving out what this run does not use (core/train/lean.py), then
        freeze what the imports made (core/train/collector.py): before a probe, so its leftovers are not."""
        from core.train import lean

        hidden = lean.trim(self.config)
        if hidden:
            noise.note(f"not imported for this run (not used by it): {', '.join(hidden)}")
        import core.train.trainer  # noqa: F401 - the Trainer, transformers and torch

        collector.imports_done()

    def execute(self, resume_from: str | None) -> dict[str, Any]:
        self.import_training()
        from core.train.trainer import NonFiniteLoss, free_memory, is_oom

        attempt = Attempt(self.config, resume_from)
        trainer_faults = self.faults.as_trainer_faults()
        sensors = None
        status, message, trainer, bundle, events, error_type = "failed", "", None, None, None, None
        try:
            device = choose_device(self.config)
            if device.kind == "cuda":
                _prepare_cuda(self.config, device)
            threads = apply_cpu_threads(self.config, device)
            if threads is not None:
                candidates = measured_candidates(self.config.device.cpu_threads)
                self.log(Status(status="note", message=start_note(threads, candidates)))
            sensors = self._sensors = self._start_sensors(device)   # a bad trace file fails the run with its line
            attempt.config = self._fetch_model(attempt.config)
            while True:
                self._trainer = None
                try:
                    trainer, bundle, events, ctrl = self._attempt(attempt, device, trainer_faults)
                    status = "stopped" if ctrl.stopped else "completed"
                    message = self.control.stop_reason if ctrl.stopped else "training finished"
                    break
                except Exception as exc:
                    trainer = self._trainer
                    if is_disk_full(exc):   # a resumable stop: the checkpoints already written are whole
                        status, message = "stopped", self._disk_full()
                        break
                    if is_oom(exc):
                        plan = backoff_plan(attempt.config)
                        if plan is None:
                            raise SessionError("out of memory even at batch 1 with short sequences and gradient checkpointing",
                                               fix="use a smaller model, LoRA/QLoRA, or the CPU (`laptune estimate` shows what fits)") from exc
                        new_cfg, changes, text = plan
                        resume = self._save_in_place(trainer) or attempt.resume_from
                        self.log(Backoff(reason="oom", changes=changes, message=f"Out of memory: {text}; continuing from "
                                         f"{Path(resume).name if resume else 'the start'}"))
                        attempt = Attempt(new_cfg, resume, attempt.nan_rollbacks, attempt.backoffs + [changes])
                    elif isinstance(exc, NonFiniteLoss):
                        latest = self.rd.latest_checkpoint()
                        if attempt.nan_rollbacks >= 1:
                            status, message = "stopped", f"the loss became non-finite twice ({exc}); stopped. {NAN_ADVICE}"
                            self.log(Backoff(reason="nan", message=message))
                            break
                        target = str(latest.path) if latest else None
                        self.log(Backoff(reason="nan", changes={"rollback_to": [exc.step, latest.step if latest else 0]},
                                         message=f"Loss became {exc.value} at step {exc.step}: rolled back to "
                                                 f"{latest.path.name if latest else 'the start'}. If it happens again: {NAN_ADVICE}"))
                        attempt = Attempt(attempt.config, target, attempt.nan_rollbacks + 1, attempt.backoffs)
                    else:
                        raise
                # Out of the except clause the exception is gone, and with its traceback the failed step's frames
                # and their tensors. Drop the failed attempt's Trainer too (its model, gradients and optimizer
                # states) and collect, so the next attempt does not build its model beside the old one.
                trainer = self._trainer = None
                free_memory()
        except BaseException as exc:  # noqa: BLE001 - every failure becomes a 'failed' status with its message
            status, message, error_type = "failed", str(exc), type(exc).__name__
            if not isinstance(exc, (SessionError, RunError, ValueError)):
                (self.rd.path / "error.log").write_text(traceback.format_exc(), encoding="utf-8")
            if isinstance(exc, KeyboardInterrupt):
                status, message = "stopped", "interrupted"
            elif isinstance(exc, DownloadCancelled):   # Stop during the download phase: resumable, not a failure
                status = "stopped"
            raise
        finally:
            if sensors is not None:
                sensors.stop()
            summary = self._finish(status, message, trainer, bundle, events, attempt, error_type)
        return summary

    def _finish(self, status: str, message: str, trainer: Any, bundle: Any, events: Any, attempt: Attempt,
                error_type: str | None) -> dict[str, Any]:
        import torch

        if status == "completed" and bundle is not None and is_rank_zero():
            try:
                bundle.save_final(self.rd.final_dir)
            except Exception as exc:
                if not is_disk_full(exc):
                    raise
                status, message = "stopped", self._disk_full()
        if torch.cuda.is_available():
            self.peak_memory = max(self.peak_memory, torch.cuda.max_memory_reserved())
        else:
            import psutil

            self.peak_memory = max(self.peak_memory, psutil.Process().memory_info().rss)
        checkpoints = self.rd.checkpoints()
        best = (best_checkpoint(checkpoints, bundle.metric_for_best, bundle.greater_is_better) if bundle is not None
                else best_checkpoint(checkpoints))
        evals = [e for e in self.rd.read_events() if e.get("type") == "eval"]
        best_eval = best.metrics if best else _best_of(evals, bundle)
        summary = {
            "status": status,
            "run_dir": str(self.rd.path),
            "message": message,
            "global_step": trainer.state.global_step if trainer is not None else (checkpoints[-1].step if checkpoints else 0),
            "last_train_loss": events.last_loss if events is not None else _last_loss(self.rd),
            "last_eval": evals[-1]["metrics"] if evals else {},
            "best_eval": best_eval,
            "best_checkpoint": str(best.path) if best else None,
            "wall_seconds": round(time.time() - self.started, 2),
            "paused_seconds": round(self.paused_seconds, 2),
            "peak_memory_bytes": int(self.peak_memory),
            "final_config": {"batch_size": attempt.config.training.batch_size, "grad_accum": attempt.config.training.grad_accum,
                             "max_seq_length": attempt.config.training.max_seq_length,
                             "gradient_checkpointing": attempt.config.memory.gradient_checkpointing},
        }
        if is_rank_zero():
            self.rd.write_summary(summary)
        self.log(Status(status=status, message=message, run_dir=str(self.rd.path), error_type=error_type))
        self.log.close()
        return summary


def _best_of(evals: list[dict[str, Any]], bundle: Any) -> dict[str, float]:
    """The best evaluation when no checkpoint holds it (a short run that saved only at the end, or never)."""
    metric = bundle.metric_for_best if bundle is not None else "eval_loss"
    greater = bundle.greater_is_better if bundle is not None else False
    scored = [e["metrics"] for e in evals if isinstance((e.get("metrics") or {}).get(metric), (int, float))]
    if not scored:
        return evals[-1]["metrics"] if evals else {}
    return (max if greater else min)(scored, key=lambda m: m[metric])


def _last_loss(rd: RunDir) -> float | None:
    losses = [e["loss"] for e in rd.read_events() if e.get("type") == "log" and e.get("loss") is not None]
    return losses[-1] if losses else None


@collector.start_up_paused()   # no collections of start-up's long-lived objects (core/train/collector.py)
def run(config: RunConfig, emit: Emit | None = None, control: Control | None = None, *, run_dir: Path | None = None,
        preset_path: Path | None = None, sources: dict[str, str] | None = None, hardware: Any = None,
        faults: Faults | None = None, fixed_padding: bool = False, probe: bool = False) -> dict[str, Any]:
    """Train `config` to the end (or a stop), writing the run directory. Returns summary.json's content.

    With `probe`, a few real steps at the longest samples run first (core/train/probe.py); a micro-batch
    that does not fit is replaced by the largest that does, keeping the effective batch."""
    from core.machine.hardware import probe as probe_hardware

    hardware = hardware or probe_hardware()
    rd = RunDir.create(run_dir or new_run_path(config.name))
    if noise.active():
        noise.attach(rd.path / noise.LOG_NAME)
    preset_dir = preset_path.parent if preset_path else None
    if is_rank_zero():
        rd.write_run_yaml(config, preset=str(preset_path) if preset_path else None, preset_dir=str(preset_dir) if preset_dir else None,
                          sources=sources or {}, hardware=hardware.to_dict(),
                          faults={k: v for k, v in (faults or Faults()).__dict__.items() if v})
    session = Session(config, emit, control, rd, preset_dir, hardware, faults or Faults(), fixed_padding)
    if probe:
        session.import_training()   # here, so transformers' log handler can be routed before the probe loads

        from core.train.probe import run_probe

        noise.after_import()

        result = run_probe(session._fetch_model(config), preset_dir, session.log, hardware=hardware)   # download first
        if result.batch_size and result.batch_size != config.training.batch_size:
            session.log(Backoff(reason="probe", changes={"batch_size": [config.training.batch_size, result.batch_size],
                                                         "grad_accum": [config.training.grad_accum, result.grad_accum]},
                                message=result.notes[0]))
            session.config = config = config.model_copy(update={"training": config.training.model_copy(
                update={"batch_size": result.batch_size, "grad_accum": result.grad_accum})})
        if is_rank_zero():
            data = rd.read_run_yaml()
            data["config"] = config.model_dump(mode="json")
            data["probe"] = result.to_dict()
            rd.write_run_yaml(config, **{k: v for k, v in data.items() if k != "config"})
    return session.execute(resume_from=None)


@collector.start_up_paused()
def resume(run_dir: Path | str, emit: Emit | None = None, control: Control | None = None, *, checkpoint: int | None = None,
           faults: Faults | None = None, sets: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """Continue a run from its latest complete checkpoint (or checkpoint N) with the same optimizer, RNG and data position.

    `sets` change the settings that keep the resume exact (core/config/resume_sets.py); they are saved in run.yaml.
    A run that completed answers at once; a run killed before its first checkpoint starts again from step 0 in
    the same folder with its saved configuration."""
    from core.config.resume_sets import apply_resume_sets
    from core.machine.hardware import probe

    rd = RunDir.open(run_dir)
    data = rd.read_run_yaml()
    saved, changes = apply_resume_sets(rd.read_config(), sets)
    config = saved
    summary = rd.read_summary()
    if summary.get("status") == "completed" and checkpoint is None:
        message = f"already complete at step {summary.get('global_step', '?')}: nothing to resume"
        if emit is not None:
            emit(Status(status="note", message=message, run_dir=str(rd.path)))
        return {**summary, "message": message, "already_complete": True}
    if summary.get("final_config"):   # keep the smaller settings an OOM back-off chose
        fc = summary["final_config"]
        config = config.model_copy(update={
            "training": config.training.model_copy(update={k: fc[k] for k in ("batch_size", "grad_accum", "max_seq_length")}),
            "memory": config.memory.model_copy(update={"gradient_checkpointing": fc["gradient_checkpointing"]})})
    if changes and is_rank_zero():
        rd.write_run_yaml(saved, **{k: v for k, v in data.items() if k != "config"},
                          resume_sets=[*data.get("resume_sets", []), *sets])
    if noise.active():
        noise.attach(rd.path / noise.LOG_NAME)
    skipped = [c for c in rd.checkpoints() if not c.complete]
    target = rd.checkpoint(checkpoint) if checkpoint is not None else rd.latest_checkpoint()
    preset_dir = Path(data["preset_dir"]) if data.get("preset_dir") else None
    session = Session(config, emit, control, rd, preset_dir, probe(), faults or Faults())
    for key, (old, new) in changes.items():
        session.log(Status(status="note", message=f"{key}: {old} -> {new} for the rest of this run"))
    if checkpoint is None:
        for bad in skipped:
            session.log(Status(status="note", message=f"skipped {bad.path.name}: incomplete (its save was interrupted)"))
    if target is None:
        session.log(Status(status="note", message=f"no complete checkpoint in {rd.path}: the run stopped before its first "
                                                  "save, so it starts again from step 0 in the same folder with its saved settings"))
        return session.execute(resume_from=None)
    return session.execute(resume_from=str(target.path))
