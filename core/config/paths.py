"""Where the app finds its bundled files and where it writes, from source and frozen alike.

PyInstaller unpacks data next to the executable under ``sys._MEIPASS``; from source the bundled
folders sit at the repository root. Runs and logs go to the user's data folder (never next to the
executable, which may be read-only under Program Files).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path


def app_root() -> Path:
    """The folder holding presets/ and resources/: the frozen bundle or the source tree."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parents[2]  # core/config/paths.py -> the repository root


def resource_path(*parts: str) -> Path:
    return app_root().joinpath("resources", *parts)


def presets_dir() -> Path:
    return app_root() / "presets"


def user_data_dir() -> Path:
    """%LOCALAPPDATA%\\LapTune on Windows, ~/Library/Application Support/LapTune on macOS,
    $XDG_DATA_HOME/laptune (~/.local/share/laptune) elsewhere. LAPTUNE_HOME overrides it."""
    override = os.environ.get("LAPTUNE_HOME")
    if override:
        return Path(override)
    if sys.platform.startswith("win"):
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "LapTune"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "LapTune"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "laptune"


def default_runs_dir() -> Path:
    """Runs go to ./runs when started from a source checkout (developers look there), else the data folder."""
    if not getattr(sys, "frozen", False) and (app_root() / "pyproject.toml").exists() and os.environ.get("LAPTUNE_HOME") is None:
        return Path.cwd() / "runs"
    return user_data_dir() / "runs"


def logs_dir() -> Path:
    """Logs of the app and of `--selftest` (a windowed Windows build has no console to print to)."""
    return user_data_dir() / "logs"
