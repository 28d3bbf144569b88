"""A multi-turn chat with a causal LM, streaming tokens as they are generated (the CLI's `laptune chat` and the
GUI's Try it panel both use it).

    chat = ChatSession(loaded, system="...", max_new_tokens=512, temperature=None)
    for piece in chat.stream("hello"):     # text pieces as they come; the reply joins the history at the end
        print(piece, end="")
    chat.stop()                            # from another thread: the reply ends after the current token
    chat.reset()                           # forget the conversation (the system message stays)

Generation runs in a thread of its own, feeding transformers' TextIteratorStreamer; `stream` reads it, so the
caller's thread (the GUI's worker) can stop between pieces. When the conversation outgrows the model's
context, the oldest rounds are left out of the prompt (the history keeps them).
"""
from __future__ import annotations

import threading
import time
from typing import Any, Iterator

from core.use.load import Loaded, UseError
from core.use.predict import generation_kwargs, prompt_ids

DEFAULT_CHAT_TOKENS = 512


class ChatSession:
    def __init__(self, loaded: Loaded, system: str | None = None, max_new_tokens: int = DEFAULT_CHAT_TOKENS,
                 temperature: float | None = None) -> None:
        if loaded.task != "sft":
            raise UseError(f"chat needs a chat (SFT) model; {loaded.resolved.describe()} is a {loaded.task} model",
                           fix="use `laptune predict` for NER and classification models")
        self.loaded = loaded
        self.system = system
        self.max_new_tokens = max_new_tokens
        self.temperature = temperature
        self.history: list[dict[str, str]] = []
        self.first_token_seconds: float | None = None   # of the last reply: message sent -> first token generated
        self.last_tokens = 0
        self._stop = threading.Event()

    def messages(self, user_text: str | None = None) -> list[dict[str, str]]:
        msgs = ([{"role": "system", "content": self.system}] if self.system else []) + list(self.history)
        return msgs + ([{"role": "user", "content": user_text}] if user_text is not None else [])

    def reset(self) -> None:
        self.history = []

    def stop(self) -> None:
        self._stop.set()

    def _fitting_prompt(self, user_text: str) -> list[int]:
        """The prompt's token ids, leaving out the oldest rounds while it would not fit the context."""
        config = getattr(self.loaded.model, "config", None)
        context = getattr(config, "max_position_embeddings", None) or 10**9
        budget = max(16, context - self.max_new_tokens)
        history = list(self.history)
        while True:
            msgs = ([{"role": "system", "content": self.system}] if self.system else []) + history
            ids = prompt_ids(self.loaded, msgs + [{"role": "user", "content": user_text}])
            if len(ids) <= budget or not history:
                return ids[-budget:]
            history = history[2:]   # one user/assistant round

    def stream(self, user_text: str) -> Iterator[str]:
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        if not user_text.strip():
            raise UseError("the message is empty", fix="type a message")
        self._stop.clear()
        tok, model = self.loaded.tokenizer, self.loaded.model
        ids = self._fitting_prompt(user_text)
        streamer = TextIteratorStreamer(tok, skip_prompt=True, skip_special_tokens=True)
        stop_flag = self._stop
        counter = {"n": 0}

        timing: dict[str, float] = {}

        class _Stop(StoppingCriteria):   # called once per generated token: counts them and times the first
            def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
                counter["n"] += 1
                timing.setdefault("first", time.perf_counter())
                return torch.full((input_ids.shape[0],), stop_flag.is_set(), dtype=torch.bool, device=input_ids.device)

        failure: list[BaseException] = []
        input_ids = torch.tensor([ids], device=self.loaded.device)

        def run() -> None:
            try:
                with torch.inference_mode():
                    model.generate(input_ids=input_ids, attention_mask=torch.ones_like(input_ids), streamer=streamer,
                                   stopping_criteria=StoppingCriteriaList([_Stop()]),
                                   **generation_kwargs(self.loaded, self.max_new_tokens, self.temperature))
            except BaseException as exc:  # noqa: BLE001 - handed to the reading thread
                failure.append(exc)
                streamer.end()

        started = time.perf_counter()
        self.first_token_seconds = None
        thread = threading.Thread(target=run, name="laptune-generate", daemon=True)
        thread.start()
        pieces: list[str] = []
        try:
            for piece in streamer:
                if not piece:
                    continue
                pieces.append(piece)
                yield piece
        finally:
            self._stop.set()      # a caller that stops reading also stops the generation
            thread.join()
            self.last_tokens = counter["n"]
            if "first" in timing:   # the first token generated (the streamer holds text back until a word ends)
                self.first_token_seconds = timing["first"] - started
        if failure:
            raise UseError(f"generation failed: {type(failure[0]).__name__}: {failure[0]}",
                           fix="try a shorter message or fewer new tokens") from failure[0]
        self.history += [{"role": "user", "content": user_text}, {"role": "assistant", "content": "".join(pieces).strip()}]

    def reply(self, user_text: str) -> str:
        return "".join(self.stream(user_text)).strip()
