"""Where models come from: the Hugging Face hub, a mirror speaking the same API, or ModelScope; and the token.

Precedence for the endpoint: an explicit choice (CLI flag, wizard) > HF_ENDPOINT in the environment >
HF_ENDPOINT in ./.env > the user's saved settings > https://huggingface.co. For the token: HF_TOKEN in the
environment or `hf auth login` (huggingface_hub.get_token) > the token saved in the app's settings.
The token lives only in memory here; `redact` removes it from any text that leaves this package.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from core.config.user_settings import DEFAULT_MIRROR, SOURCES, UserSettings, load_user_settings

HF_DEFAULT = "https://huggingface.co"


class HubError(ValueError):
    """A problem getting a model that the user can fix: message names the model, fix says what to do."""

    def __init__(self, message: str, fix: str | None = None) -> None:
        self.message, self.fix = message, fix
        super().__init__(f"{message} Fix: {fix}" if fix else message)


class DownloadCancelled(HubError):
    pass


class ModelOffline(HubError):
    """The model is not in the cache and its source cannot be reached. `known_bytes`: the size recorded by an
    earlier attempt (0 when it never got that far); a caller that knows the model's shape can say more
    with `with_estimate`."""

    def __init__(self, message: str, fix: str | None = None, *, repo_id: str = "", known_bytes: int = 0,
                 rebuild: Any = None) -> None:
        super().__init__(message, fix)
        self.repo_id, self.known_bytes, self._rebuild = repo_id, known_bytes, rebuild

    def with_estimate(self, estimated_bytes: int) -> ModelOffline:
        """The same error naming an estimated size (from the model's configuration) when none is recorded."""
        if self.known_bytes or self._rebuild is None or estimated_bytes <= 0:
            return self
        return self._rebuild(estimated_bytes)


@dataclass
class Source:
    kind: str = "hf"                      # hf | mirror | modelscope
    endpoint: str = HF_DEFAULT
    token: str | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        """What the user sees: 'huggingface.co', 'hf-mirror.com', 'ModelScope' (never credentials)."""
        if self.kind == "modelscope":
            return "ModelScope"
        return urlsplit(self.endpoint).netloc or self.endpoint

    def redact(self, text: str) -> str:
        return redact(text, self.token)


def redact(text: str, token: str | None) -> str:
    text = re.sub(r"(Bearer\s+)\S+", r"\1***", text)
    text = re.sub(r"hf_[A-Za-z0-9]{8,}", "hf_***", text)
    if token:
        text = text.replace(token, "***")
    return text


def _dotenv_value(name: str, dotenv: Path | None) -> str | None:
    if dotenv is None or not dotenv.is_file():
        return None
    from core.config.presets import PresetError, read_dotenv

    try:
        return read_dotenv(dotenv).get(name) or None
    except PresetError:
        return None


def _token(settings: UserSettings) -> str | None:
    env = os.environ.get("HF_TOKEN") or os.environ.get("HUGGING_FACE_HUB_TOKEN")
    if env:
        return env
    try:
        from huggingface_hub import get_token

        stored = get_token()
    except Exception:  # a broken token file must not stop a public download
        stored = None
    return stored or settings.hub_token or None


def resolve_source(kind: str | None = None, endpoint: str | None = None, *, settings: UserSettings | None = None,
                   dotenv: Path | None = Path(".env")) -> Source:
    settings = settings or load_user_settings()
    env_endpoint = os.environ.get("HF_ENDPOINT") or _dotenv_value("HF_ENDPOINT", dotenv)
    env_kind = os.environ.get("LAPTUNE_HUB_SOURCE") or _dotenv_value("LAPTUNE_HUB_SOURCE", dotenv)
    if kind is None:
        if endpoint:
            kind = "hf" if endpoint.rstrip("/") == HF_DEFAULT else "mirror"
        elif env_kind:
            kind = env_kind
        elif env_endpoint:
            kind = "hf" if env_endpoint.rstrip("/") == HF_DEFAULT else "mirror"
        else:
            kind = settings.hub_source
    if kind not in SOURCES:
        raise HubError(f"unknown model source '{kind}'", fix=f"use one of: {', '.join(SOURCES)}")
    token = _token(settings)
    if kind == "modelscope":
        return Source("modelscope", os.environ.get("MODELSCOPE_DOMAIN") or "https://www.modelscope.cn",
                      os.environ.get("MODELSCOPE_API_TOKEN") or None)
    if kind == "hf":
        # HF_ENDPOINT is the standard way to point huggingface_hub elsewhere (a proxy, a local server): respected.
        return Source("hf", (endpoint or env_endpoint or HF_DEFAULT).rstrip("/"), token)
    chosen = endpoint or (env_endpoint if env_endpoint and env_endpoint.rstrip("/") != HF_DEFAULT else None) \
        or settings.hub_endpoint or DEFAULT_MIRROR
    return Source("mirror", chosen.rstrip("/"), token)
