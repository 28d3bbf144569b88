"""Trainer callbacks: training progress -> our events, and our Control flags -> Trainer's control.

HF's rule (trainer_callback.py): the TrainerControl object is the only thing a callback may change.
Pause and stop are read here, between optimizer steps, never by killing a thread.
"""
from __future__ import annotations

import time
from typing import Any

from transformers import TrainerCallback

from core.record.events import Checkpoint, Control, Emit, Log, Status


class EventCallback(TrainerCallback):
    def __init__(self, emit: Any, start_status: Status, on_checkpoint: Any = None) -> None:
        self.emit = emit   # an EventLog: it also tracks the current step for the sensor thread's events
        self.start_status = start_status
        self.on_checkpoint = on_checkpoint   # called with each saved checkpoint's folder
        self.last_loss: float | None = None
        self.last_eval: dict[str, float] = {}

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        # On resume Trainer has just loaded the checkpoint's state, intervals included: the run's own settings
        # (changed with `laptune resume --set`) decide when to log, evaluate and save from here on.
        state.compute_steps(args, state.max_steps)
        # Only now does Trainer know the total number of optimizer steps (and, on resume, where it is).
        self.start_status.total_steps = state.max_steps
        self.start_status.step = state.global_step
        self.emit(self.start_status)

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.emit.step = state.global_step

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, float] | None = None, **kwargs: Any) -> None:
        logs = logs or {}
        if "loss" in logs:
            self.last_loss = float(logs["loss"])
            self.emit(Log(step=state.global_step, loss=self.last_loss, learning_rate=logs.get("learning_rate"),
                          grad_norm=logs.get("grad_norm"), epoch=logs.get("epoch")))
        if any(k.startswith("eval_") for k in logs):
            self.last_eval = {k: float(v) for k, v in logs.items() if k.startswith("eval_")}

    def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        path = f"{args.output_dir}/checkpoint-{state.global_step}"
        evals = [h for h in state.log_history if h.get("step") == state.global_step and "eval_loss" in h]
        metrics = {k: float(v) for k, v in evals[-1].items() if k.startswith("eval_")} if evals else {}
        self.emit(Checkpoint(step=state.global_step, path=path, train_loss=self.last_loss, metrics=metrics))
        if self.on_checkpoint is not None:
            self.on_checkpoint(path)


class ControlCallback(TrainerCallback):
    """Applies pause/stop/checkpoint requests at the end of an optimizer step."""

    def __init__(self, control: Control, emit: Emit, on_pause: Any = None) -> None:
        self.control = control
        self.emit = emit
        self.on_pause = on_pause   # frees the CUDA cache while waiting
        self.paused_seconds = 0.0
        self.stopped = False

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> Any:
        if self.control.take_pause_request():
            reason = self.control.pause_reason
            self.emit(Status(step=state.global_step, status="paused", message=reason))
            if self.on_pause is not None:
                self.on_pause()
            started = time.monotonic()
            self.control.wait_while_paused()
            self.paused_seconds += time.monotonic() - started
            if not self.control.stop_requested:
                self.emit(Status(step=state.global_step, status="resumed",
                                 message=f"resumed after {time.monotonic() - started:.0f} s"))
        if self.control.stop_requested:
            # A stop always saves first: Trainer writes the checkpoint, then leaves the loop.
            self.stopped = True
            control.should_save = True
            control.should_training_stop = True
        elif self.control.take_checkpoint_request():
            control.should_save = True
        return control
