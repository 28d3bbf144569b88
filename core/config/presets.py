"""Preset files: load, migrate, validate, resolve overrides, and recommend one for the hardware.

Resolution order (later wins), recorded per field in ``Resolved.sources``:
  1. typed defaults (core/config/schema.py)
  2. the preset file (presets/NAME.yaml or any YAML path)
  3. a ``.env`` file in the working folder, then environment variables, with seed 003's names
     (GPU_ID, BATCH_SIZE, FP16, GRADIENT_CHECKPOINTING, MAX_LENGTH) or LAPTUNE_<ALIAS>
  4. ``--set key=value`` on the command line (dotted paths or the seed scripts' flag names)
"""
from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from core.config.schema import ALIASES, CONFIG_VERSION, PRECISION_FLAGS, RunConfig
from core.config.paths import presets_dir


class PresetError(ValueError):
    """A preset problem a person can fix: where it is, what is wrong, what to do."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None, field: str | None = None,
                 fix: str | None = None) -> None:
        self.message, self.file, self.line, self.field, self.fix = message, file, line, field, fix
        where = ", ".join(p for p in (file, f"line {line}" if line else None, f"field '{field}'" if field else None) if p)
        text = f"{where}: {message}" if where else message
        super().__init__(f"{text} Fix: {fix}" if fix else text)


# ---------------------------------------------------------------- migrations
# Each entry upgrades a preset dict from version N to N+1. Version 0 is the pre-release layout,
# where the CRF learning rate was `training.crf_learning_rate` and LoRA lived under `memory.lora_*`.
def _v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    training = data.get("training") or {}
    if "crf_learning_rate" in training:
        training["head_learning_rate"] = training.pop("crf_learning_rate")
    memory = data.get("memory") or {}
    lora = data.setdefault("lora", {})
    for old, new in (("lora_rank", "rank"), ("lora_alpha", "alpha"), ("lora_dropout", "dropout")):
        if old in memory:
            lora[new] = memory.pop(old)
            lora.setdefault("enabled", True)
    if not lora:
        data.pop("lora")
    data["version"] = 1
    return data


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _v0_to_v1}


def migrate(data: dict[str, Any], file: str | None = None) -> dict[str, Any]:
    version = data.get("version", 0)
    if not isinstance(version, int):
        raise PresetError(f"version must be an integer, got {version!r}", file=file, field="version",
                          fix=f"set version: {CONFIG_VERSION}")
    if version > CONFIG_VERSION:
        raise PresetError(f"preset version {version} is newer than this LapTune understands ({CONFIG_VERSION})", file=file,
                          field="version", fix="update LapTune, or lower the version if the file was edited by hand")
    while version < CONFIG_VERSION:
        data = MIGRATIONS[version](data)
        version = data["version"]
    return data


# ---------------------------------------------------------------- loading
def _yaml_lines(text: str) -> dict[tuple[str, ...], int]:
    """Map each key path in a YAML document to its 1-based line, for error messages."""
    lines: dict[tuple[str, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = path + (str(key.value),)
                lines[sub] = key.start_mark.line + 1
                walk(value, sub)

    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return lines
    if root is not None:
        walk(root, ())
    return lines


def _model_fields(model: type[BaseModel], path: tuple[str, ...]) -> list[str]:
    for part in path:
        info = model.model_fields.get(part)
        ann = getattr(info, "annotation", None) if info else None
        if not (isinstance(ann, type) and issubclass(ann, BaseModel)):
            return []
        model = ann
    return list(model.model_fields)


def _validation_to_error(exc: ValidationError, file: str | None, lines: Mapping[tuple[str, ...], int]) -> PresetError:
    err = exc.errors()[0]
    loc = tuple(str(p) for p in err["loc"])
    dotted = ".".join(loc) or None
    line = lines.get(loc) or (lines.get(loc[:-1]) if loc else None)
    kind = err["type"]
    if kind == "extra_forbidden":
        known = _model_fields(RunConfig, loc[:-1])
        guess = difflib.get_close_matches(loc[-1], known, n=1)
        fix = f"did you mean '{guess[0]}'?" if guess else f"known keys here: {', '.join(known)}"
        return PresetError(f"unknown key '{loc[-1]}'", file=file, line=line, field=dotted, fix=fix)
    if kind == "missing":
        return PresetError("this field is required", file=file, line=line, field=dotted, fix=f"add {loc[-1]}: ...")
    msg = err["msg"].removeprefix("Value error, ")
    extra = f" (got {err['input']!r})" if kind != "value_error" and not isinstance(err.get("input"), dict) else ""
    return PresetError(msg + extra, file=file, line=line, field=dotted,
                       fix=None if kind == "value_error" else "correct the value's type or range")


def find_preset(name_or_path: str | os.PathLike[str]) -> Path:
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.exists():
            raise PresetError("file not found", file=str(path), fix="check the path")
        return path
    candidate = presets_dir() / f"{name_or_path}.yaml"
    if candidate.exists():
        return candidate
    names = [p.stem for p in sorted(presets_dir().glob("*.yaml"))]
    guess = difflib.get_close_matches(str(name_or_path), names, n=1)
    raise PresetError(f"no preset named '{name_or_path}'",
                      fix=f"did you mean '{guess[0]}'?" if guess else f"`laptune presets` lists them: {', '.join(names)}")


def read_preset_dict(path: Path) -> tuple[dict[str, Any], dict[tuple[str, ...], int]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PresetError("not UTF-8 text", file=str(path), fix="save the file as UTF-8") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PresetError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=str(path),
                          line=mark.line + 1 if mark else None, fix="check indentation and colons on that line") from exc
    if not isinstance(data, dict):
        raise PresetError("a preset must be a mapping of keys to values", file=str(path), fix="see presets/demo.yaml")
    return migrate(data, str(path)), _yaml_lines(text)


def config_from_dict(data: Mapping[str, Any], file: str | None = None,
                     lines: Mapping[tuple[str, ...], int] | None = None) -> RunConfig:
    try:
        return RunConfig.model_validate(dict(data))
    except ValidationError as exc:
        raise _validation_to_error(exc, file, lines or {}) from None


def load_preset(name_or_path: str | os.PathLike[str]) -> RunConfig:
    return resolve(name_or_path, env={}, dotenv=None).config


# ---------------------------------------------------------------- resolution with sources
@dataclass
class Resolved:
    config: RunConfig
    preset_path: Path | None
    sources: dict[str, str] = field(default_factory=dict)  # dotted field -> "default" | "preset" | "env:X" | ".env:X" | "--set"

    def describe(self) -> list[str]:
        flat = _flatten(self.config.model_dump(mode="json"))
        return [f"{k} = {flat[k]!r}  ({self.sources.get(k, 'default')})" for k in sorted(flat)]


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            out.update(_flatten(value, path + "."))
        else:
            out[path] = value
    return out


def _set_path(data: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    node = data
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[parts[-1]] = value


def _parse_value(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _unique_fields() -> dict[str, str]:
    """Field names that occur in one section only, so `--set eval_batch_size=8` needs no section."""
    seen: dict[str, list[str]] = {}
    for section, info in RunConfig.model_fields.items():
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            for name in ann.model_fields:
                seen.setdefault(name, []).append(f"{section}.{name}")
    return {name: paths[0] for name, paths in seen.items() if len(paths) == 1}


def normalise_key(key: str) -> str:
    """Map `--batch_size`, `BATCH_SIZE`, `training.batch_size` alike to the dotted config path."""
    bare = key.strip().lstrip("-").replace("-", "_")
    if "." in bare:
        return bare
    low = bare.lower()
    if low in ALIASES:
        return ALIASES[low]
    if low in PRECISION_FLAGS:
        return f"precision-flag:{low}"
    unique = _unique_fields()
    if low in unique:
        return unique[low]
    known = sorted(set(ALIASES) | set(PRECISION_FLAGS) | set(unique))
    guess = difflib.get_close_matches(low, known, n=1)
    raise PresetError(f"unknown setting '{key}'", field=key,
                      fix=f"did you mean '{guess[0]}'?" if guess else "use a dotted path such as training.batch_size")


def _apply(data: dict[str, Any], sources: dict[str, str], key: str, raw: Any, source: str) -> None:
    path = normalise_key(key)
    if path.startswith("precision-flag:"):
        flag = path.split(":", 1)[1]
        on = raw is None or _truthy(raw)
        # --fp16 False turns mixed precision off (fp32); --fp16 True selects it.
        _set_path(data, "memory.precision", PRECISION_FLAGS[flag] if on else "fp32")
        sources["memory.precision"] = source
        return
    value = _parse_value(raw) if isinstance(raw, str) else raw
    _set_path(data, path, value)
    sources[path] = source


ENV_NAMES = ("GPU_ID", "BATCH_SIZE", "FP16", "BF16", "GRADIENT_CHECKPOINTING", "MAX_LENGTH",
             "GRADIENT_ACCUMULATION_STEPS", "LEARNING_RATE", "NUM_EPOCHS")


def read_dotenv(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):]
        if "=" not in line:
            raise PresetError("expected KEY=VALUE", file=str(path), line=lineno, fix="write e.g. BATCH_SIZE=4")
        key, value = line.split("=", 1)
        values[key.strip()] = value.strip().strip("'\"")
    return values


def _env_settings(env: Mapping[str, str]) -> Iterable[tuple[str, str, str]]:
    for name, value in env.items():
        if name in ENV_NAMES:
            yield name, name, value
        elif name.startswith("LAPTUNE_") and name[8:].lower() in ALIASES:
            yield name, name[8:], value


def resolve(name_or_path: str | os.PathLike[str], *, sets: Iterable[str] = (), env: Mapping[str, str] | None = None,
            dotenv: Path | None = Path(".env"), overrides: Mapping[str, Any] | None = None) -> Resolved:
    """Build the run config from defaults < preset < .env/env < --set (< overrides from the GUI or the CLI flags)."""
    path = find_preset(name_or_path)
    data, lines = read_preset_dict(path)
    file = str(path)
    # Every key the file sets is credited to it; the rest stay defaults.
    sources = {k: "preset" for k in _flatten({k: v for k, v in data.items() if k != "version"})}
    try:
        if dotenv is not None and dotenv.is_file():
            for name, key, value in _env_settings(read_dotenv(dotenv)):
                _apply(data, sources, key, value, f".env:{name}")
        for name, key, value in _env_settings(os.environ if env is None else env):
            _apply(data, sources, key, value, f"env:{name}")
        for item in sets:
            key, sep, value = item.partition("=")
            if not sep and not normalise_key(key).startswith("precision-flag:"):
                raise PresetError(f"--set needs key=value, got '{item}'", field=item, fix="e.g. --set batch_size=4")
            _apply(data, sources, key, value if sep else None, "--set")
        for key, value in (overrides or {}).items():
            _apply(data, sources, key, value, "override")
    except PresetError as exc:
        if exc.file is None:
            exc = PresetError(exc.message, file="--set/environment", field=exc.field, fix=exc.fix)
        raise exc from None
    config = config_from_dict(data, file, lines)
    return Resolved(config=config, preset_path=path, sources=sources)


# ---------------------------------------------------------------- listing and checks
@dataclass(frozen=True)
class PresetInfo:
    name: str
    path: Path
    config: RunConfig | None
    error: str | None = None

    def needs(self) -> str:
        if self.config is None:
            return "invalid"
        r = self.config.requires
        parts = [f">= {r.min_vram_gb:g} GB VRAM" if r.min_vram_gb else "CPU ok"]
        if r.min_ram_gb:
            parts.append(f">= {r.min_ram_gb:g} GB RAM")
        if r.cuda:
            parts.append("CUDA")
        if r.bf16:
            parts.append("bf16")
        return ", ".join(parts)


def chinese_locale(env: Mapping[str, str] | None = None) -> bool:
    """Whether the environment's locale is Chinese: the first set of LC_ALL, LC_MESSAGES, LANG (POSIX order);
    without them (Windows sets none), the locale Python started with ("Chinese (Simplified)_China" there)."""
    env = os.environ if env is None else env
    value = next((env[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(k)), "")
    if not value:
        import locale

        value = locale.getlocale()[0] or ""
    return value.lower().startswith(("zh", "chinese"))


def localized_description(config: RunConfig, env: Mapping[str, str] | None = None) -> str:
    """The preset's description for a terminal: description_zh under a Chinese locale when the preset has one."""
    if config.description_zh and chinese_locale(env):
        return config.description_zh
    return config.description


def list_presets(folder: Path | None = None) -> list[PresetInfo]:
    infos = []
    for path in sorted((folder or presets_dir()).glob("*.yaml")):
        try:
            infos.append(PresetInfo(path.stem, path, load_preset(path)))
        except PresetError as exc:
            infos.append(PresetInfo(path.stem, path, None, str(exc)))
    return infos


def check_with_model_config(config: RunConfig, model_config: Mapping[str, Any], file: str | None = None) -> None:
    """Checks that need the model's config.json: more frozen layers than the model has, sequence too long."""
    layers = model_config.get("num_hidden_layers") or model_config.get("n_layer")
    if layers is not None and config.memory.freeze_layers > layers:
        raise PresetError(f"freeze_layers is {config.memory.freeze_layers} but the model has {layers} layers", file=file,
                          field="memory.freeze_layers", fix=f"use at most {layers}")
    max_pos = model_config.get("max_position_embeddings") or model_config.get("n_positions")
    if max_pos is not None and config.training.max_seq_length > max_pos:
        raise PresetError(f"max_seq_length {config.training.max_seq_length} exceeds the model's {max_pos} positions",
                          file=file, field="training.max_seq_length", fix=f"use at most {max_pos}")
