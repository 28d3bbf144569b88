"""The Try it panel's worker (gui/qt_try.py): loading, predicting, chatting, comparing and scoring on its own
QThread, never the GUI thread; requests arrive as queued signals, results leave as signals. Also the HTML of
highlighted entities, shared by Try it and Compare."""
from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

COLORS = ("#ffd54f", "#81d4fa", "#a5d6a7", "#f48fb1", "#ce93d8", "#ffab91", "#b0bec5")


def entity_html(text: str, entities: list[dict[str, Any]], labels: list[str]) -> str:
    """The text with each entity on a coloured background and its label after it, in small capitals."""
    kinds = sorted({lab.split("-", 1)[-1] for lab in labels if lab != "O"})
    out, at = [], 0
    for e in sorted(entities, key=lambda e: e["start"]):
        color = COLORS[kinds.index(e["label"]) % len(COLORS)] if e["label"] in kinds else COLORS[-1]
        out.append(html.escape(text[at:e["start"]]))
        out.append(f'<span style="background-color:{color};">{html.escape(text[e["start"]:e["end"]])}'
                   f'<sub><b> {html.escape(e["label"])}</b></sub></span>')
        at = e["end"]
    out.append(html.escape(text[at:]))
    return f'<p style="font-size:14pt; line-height:150%;">{"".join(out)}</p>'


class InferenceWorker(QObject):
    """Lives on the panel's QThread. Requests arrive as queued signals; results leave as signals."""

    loaded = Signal(object)        # (description, task, labels, device)
    result = Signal(object)        # a prediction dict
    compared = Signal(object)      # (table rows, [(text, a, b)])
    piece = Signal(str)            # a streamed piece of a chat reply
    replyDone = Signal(object)     # (first-token seconds or None, tokens)
    failed = Signal(str)
    evalProgress = Signal(str, int, int)   # checkpoint, prompts answered, prompts
    evalDone = Signal(object)              # the results dict (evaluations/ifeval.json)

    def __init__(self) -> None:
        super().__init__()
        import threading

        self.cancel_eval = threading.Event()
        self.loaded_model: Any = None
        self.chat: Any = None
        self.run_path: str | None = None
        self.device = "cpu"

    @Slot(str, str, bool)
    def load(self, path: str, checkpoint: str, training_active: bool) -> None:
        try:
            import torch

            from core.use.chat import ChatSession
            from core.use.load import load_for_inference, resolve_checkpoint

            self.device = "cuda" if torch.cuda.is_available() and not training_active else "cpu"
            resolved = resolve_checkpoint(path, checkpoint or None)   # "" for a model folder
            self.loaded_model = None
            self.loaded_model = load_for_inference(resolved, device=self.device)
            self.run_path = path
            self.chat = ChatSession(self.loaded_model, max_new_tokens=256) if resolved.task == "sft" else None
            self.loaded.emit((resolved.describe(), resolved.task, self.loaded_model.labels or [], self.device))
        except Exception as exc:  # noqa: BLE001 - shown in the panel with its message
            self.failed.emit(error_text(exc))

    @Slot(str)
    def predict(self, text: str) -> None:
        try:
            from core.use.predict import predict_text

            self.result.emit(predict_text(self.loaded_model, text))
        except Exception as exc:  # noqa: BLE001
            self.failed.emit(error_text(exc))

    @Slot(str)
    def send(self, text: str) -> None:
        try:
            for piece in self.chat.stream(text):
                self.piece.emit(piece)
            self.replyDone.emit((self.chat.first_token_seconds, self.chat.last_tokens))
        except Exception as exc:  # noqa: BLE001
            self.failed.emit(error_text(exc))

    def stop(self) -> None:
        """Called from the GUI thread: ChatSession.stop only sets a threading.Event."""
        if self.chat is not None:
            self.chat.stop()

    @Slot()
    def reset(self) -> None:
        if self.chat is not None:
            self.chat.reset()

    @Slot(str, str, str)
    def compare(self, a: str, b: str, text: str) -> None:
        try:
            from core.use.compare import answer_side_by_side

            self.compared.emit(answer_side_by_side(self.run_path, a, b, [text], device=self.device, max_new_tokens=128))
        except Exception as exc:  # noqa: BLE001
            self.failed.emit(error_text(exc))


    @Slot(str, str, int, int)
    def evaluate(self, prompts: str, checkpoints: str, limit: int, max_new_tokens: int) -> None:
        try:
            from core.use.evaluate import evaluate_run

            results = evaluate_run(self.run_path, checkpoints=checkpoints, limit=limit or None, prompts_file=prompts or None,
                                   device=self.device, max_new_tokens=max_new_tokens,
                                   progress=lambda name, done, total: self.evalProgress.emit(name, done, total),
                                   should_stop=self.cancel_eval.is_set)
            self.evalDone.emit(results)
        except Exception as exc:  # noqa: BLE001
            self.failed.emit(error_text(exc))


def error_text(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    fix = getattr(exc, "fix", None)
    return f"{message} ({fix})" if fix else str(message)
