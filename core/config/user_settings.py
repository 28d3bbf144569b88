"""The user's own settings that outlive a run: where models come from (hub, mirror, ModelScope) and a hub token.

Stored as JSON in the user's data folder (settings.json), written with owner-only permissions (0600) because
it may hold a hub access token. Run folders never copy anything from here: run.yaml holds the run config only.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from core.config.paths import user_data_dir

SOURCES = ("hf", "mirror", "modelscope")
DEFAULT_MIRROR = "https://hf-mirror.com"   # the well-known Hugging Face mirror for mainland China


@dataclass
class UserSettings:
    hub_source: str = "hf"          # hf | mirror | modelscope
    hub_endpoint: str = ""          # a mirror's address (empty: DEFAULT_MIRROR for "mirror")
    hub_token: str = ""             # typed once in the app; HF_TOKEN / `hf auth login` take precedence

    def public_dict(self) -> dict[str, str]:
        """For display and logs: the token is never shown, only whether one is set."""
        data = asdict(self)
        data["hub_token"] = "set" if self.hub_token else ""
        return data


def settings_path() -> Path:
    return user_data_dir() / "settings.json"


def load_user_settings(path: Path | None = None) -> UserSettings:
    path = path or settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return UserSettings()
    known = {k: str(v) for k, v in data.items() if k in UserSettings.__dataclass_fields__ and v is not None}
    settings = UserSettings(**known)
    if settings.hub_source not in SOURCES:
        settings.hub_source = "hf"
    return settings


def save_user_settings(settings: UserSettings, path: Path | None = None) -> Path:
    """Write atomically with mode 0600 from the first byte (the file may hold a token)."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(asdict(settings), handle, indent=2)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path
