"""What a model's config.json says about its shape: family, sizes, linear layers and parameter counts.

The memory estimator (core/memory/estimate.py) needs the parameter count of every part of a model (embeddings,
each layer's projections, norms, pooler, task head, LM head) without building the model or reading its
weights. The counts here follow the Hugging Face modelling code of each family; tests compare them
with models built from the same config on the meta device.

Families:
  bert-like encoders  bert, roberta, xlm-roberta, distilbert   (post-LayerNorm, GELU MLP)
  gte "new"           Alibaba-NLP/new-impl (gte-multilingual-base): packed qkv, RoPE, gated GELU MLP
  llama-like decoders llama, mistral, qwen2 (Qwen1.5 and Qwen2.5), qwen3   (RMSNorm, GQA, gated SiLU MLP)
  gpt2                gpt2                                       (pre-LayerNorm, fused qkv, GELU MLP)
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from core.config.paths import resource_path

Style = Literal["bert", "gte", "llama", "gpt2"]
HeadKind = Literal["base", "token", "sequence", "causal"]

BERT_LIKE = ("bert", "roberta", "xlm-roberta", "distilbert")
LLAMA_LIKE = ("llama", "mistral", "qwen2", "qwen3")
SUPPORTED = BERT_LIKE + ("new",) + LLAMA_LIKE + ("gpt2",)


class ModelConfigError(ValueError):
    """A model config we cannot read or do not understand, with the fix in the message."""


@dataclass(frozen=True)
class Linear:
    """One projection inside a transformer layer (nn.Linear, or GPT-2's Conv1D)."""

    name: str  # the module's short name, as LoRA target_modules spell it
    n_in: int
    n_out: int
    bias: bool

    @property
    def weight_params(self) -> int:
        return self.n_in * self.n_out

    @property
    def params(self) -> int:
        return self.n_in * self.n_out + (self.n_out if self.bias else 0)


@dataclass(frozen=True)
class Arch:
    model_type: str
    style: Style
    hidden: int
    layers: int
    heads: int
    kv_heads: int
    head_dim: int
    intermediate: int
    vocab: int
    max_positions: int | None
    embedding_params: int  # word + position + token-type tables and the embedding norm
    word_embedding_params: int  # the vocabulary table alone (shared with the LM head when tied)
    layer_linears: tuple[Linear, ...]  # the projections of one layer
    layer_other_params: int  # one layer's norms (and qk-norms)
    final_norm_params: int
    has_pooler: bool  # the base model (AutoModel) builds a BERT pooler (dense h x h + tanh)
    tie_word_embeddings: bool
    attention_dropout: float
    hidden_dropout: float
    activation: str
    checkpoint_dtype: str | None  # "float32", "bfloat16", ... as config.json says

    @property
    def is_decoder(self) -> bool:
        return self.style in ("llama", "gpt2")

    @property
    def kv_dim(self) -> int:
        return self.kv_heads * self.head_dim

    @property
    def layer_params(self) -> int:
        return sum(lin.params for lin in self.layer_linears) + self.layer_other_params

    @property
    def pooler_params(self) -> int:
        return self.hidden * self.hidden + self.hidden if self.has_pooler else 0

    def lm_head_params(self) -> int:
        """Extra parameters of the LM head: none when it shares the embedding table."""
        return 0 if self.tie_word_embeddings else self.vocab * self.hidden

    def head_params(self, kind: HeadKind, num_labels: int) -> int:
        """The task head that AutoModelFor<kind> adds on top of the base model (pooler excluded)."""
        h, n = self.hidden, num_labels
        if kind == "base":
            return 0
        if kind == "causal":
            return self.lm_head_params()
        if kind == "token":
            return h * n + n  # dropout + Linear(h, num_labels)
        # kind == "sequence"
        if self.model_type in ("roberta", "xlm-roberta"):
            return (h * h + h) + (h * n + n)  # RobertaClassificationHead: dense + out_proj
        if self.model_type == "distilbert":
            return (h * h + h) + (h * n + n)  # pre_classifier + classifier
        if self.is_decoder:
            return h * n  # score, no bias: classifies the last token
        return h * n + n  # BERT / gte: classifier on the pooled output

    def uses_pooler(self, kind: HeadKind) -> bool:
        """Whether AutoModelFor<kind> keeps the pooler (BERT's sequence head does, token heads do not)."""
        if not self.has_pooler:
            return False
        if kind == "base":
            return True
        return kind == "sequence" and self.model_type not in ("roberta", "xlm-roberta")

    def params(self, kind: HeadKind = "base", num_labels: int = 2) -> int:
        """Parameter count of AutoModel / AutoModelFor{TokenClassification,SequenceClassification,CausalLM}."""
        total = self.embedding_params + self.layers * self.layer_params + self.final_norm_params
        if self.uses_pooler(kind):
            total += self.pooler_params
        return total + self.head_params(kind, num_labels)

    def describe(self) -> str:
        kv = f", {self.kv_heads} kv heads" if self.kv_heads != self.heads else ""
        return (f"{self.model_type}: {self.layers} layers, hidden {self.hidden}, {self.heads} heads{kv}, "
                f"MLP {self.intermediate}, vocabulary {self.vocab}")


# ----------------------------------------------------------------------------- reading config.json
def _get(cfg: Mapping[str, Any], *names: str, default: Any = None) -> Any:
    for name in names:
        value = cfg.get(name)
        if value is not None:
            return value
    return default


def _int(cfg: Mapping[str, Any], *names: str, default: int | None = None) -> int:
    value = _get(cfg, *names, default=default)
    if value is None:
        raise ModelConfigError(f"the model config has no '{names[0]}'. Fix: pass the model's complete config.json")
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ModelConfigError(f"'{names[0]}' in the model config is not a number: {value!r}") from exc


def _checkpoint_dtype(cfg: Mapping[str, Any]) -> str | None:
    dtype = _get(cfg, "dtype", "torch_dtype")
    return str(dtype).removeprefix("torch.") if dtype is not None else None


def parse_arch(cfg: Mapping[str, Any]) -> Arch:
    """Read a config.json dict into an Arch; unsupported families raise ModelConfigError."""
    model_type = str(cfg.get("model_type") or "").lower()
    if model_type in ("bert", "roberta", "xlm-roberta"):
        return _bert(cfg, model_type)
    if model_type == "distilbert":
        return _distilbert(cfg)
    if model_type == "new":
        return _gte(cfg)
    if model_type in LLAMA_LIKE:
        return _llama(cfg, model_type)
    if model_type == "gpt2":
        return _gpt2(cfg)
    shown = model_type or "(none: the config has no model_type)"
    raise ModelConfigError(
        f"model_type {shown} is not supported by the memory estimator (supported: {', '.join(SUPPORTED)}). "
        "Fix: choose a model of a supported family")


def _bert(cfg: Mapping[str, Any], model_type: str) -> Arch:
    # HF defaults (BertConfig / RobertaConfig) for keys a config.json may leave out.
    h = _int(cfg, "hidden_size", default=768)
    i = _int(cfg, "intermediate_size", default=3072)
    heads = _int(cfg, "num_attention_heads", default=12)
    vocab = _int(cfg, "vocab_size", default=30522 if model_type == "bert" else 50265)
    positions = _int(cfg, "max_position_embeddings", default=512)
    types = _int(cfg, "type_vocab_size", default=2)
    linears = (Linear("query", h, h, True), Linear("key", h, h, True), Linear("value", h, h, True),
               Linear("dense", h, h, True),  # attention.output.dense
               Linear("intermediate.dense", h, i, True), Linear("output.dense", i, h, True))
    return Arch(
        model_type=model_type, style="bert", hidden=h, layers=_int(cfg, "num_hidden_layers", default=12),
        heads=heads, kv_heads=heads, head_dim=h // heads, intermediate=i, vocab=vocab, max_positions=positions,
        embedding_params=(vocab + positions + types) * h + 2 * h, word_embedding_params=vocab * h,
        layer_linears=linears, layer_other_params=2 * 2 * h,  # two LayerNorms (weight + bias)
        final_norm_params=0, has_pooler=True, tie_word_embeddings=False,
        attention_dropout=float(_get(cfg, "attention_probs_dropout_prob", default=0.1)),
        hidden_dropout=float(_get(cfg, "hidden_dropout_prob", default=0.1)),
        activation=str(_get(cfg, "hidden_act", default="gelu")), checkpoint_dtype=_checkpoint_dtype(cfg))


def _distilbert(cfg: Mapping[str, Any]) -> Arch:
    h = _int(cfg, "dim", "hidden_size", default=768)
    i = _int(cfg, "hidden_dim", "intermediate_size", default=3072)
    heads = _int(cfg, "n_heads", "num_attention_heads", default=12)
    vocab = _int(cfg, "vocab_size", default=30522)
    positions = _int(cfg, "max_position_embeddings", default=512)
    linears = (Linear("q_lin", h, h, True), Linear("k_lin", h, h, True), Linear("v_lin", h, h, True),
               Linear("out_lin", h, h, True), Linear("lin1", h, i, True), Linear("lin2", i, h, True))
    return Arch(
        model_type="distilbert", style="bert", hidden=h, layers=_int(cfg, "n_layers", "num_hidden_layers", default=6),
        heads=heads, kv_heads=heads, head_dim=h // heads, intermediate=i, vocab=vocab, max_positions=positions,
        embedding_params=(vocab + positions) * h + 2 * h, word_embedding_params=vocab * h,
        layer_linears=linears, layer_other_params=2 * 2 * h, final_norm_params=0, has_pooler=False,
        tie_word_embeddings=False, attention_dropout=float(_get(cfg, "attention_dropout", default=0.1)),
        hidden_dropout=float(_get(cfg, "dropout", default=0.1)),
        activation=str(_get(cfg, "activation", default="gelu")), checkpoint_dtype=_checkpoint_dtype(cfg))


def _gte(cfg: Mapping[str, Any]) -> Arch:
    # Alibaba-NLP/new-impl (NewModel): embeddings without position table when RoPE is used, packed qkv,
    # GLU MLP (up_gate_proj h -> 2i, no bias; down_proj with bias), post-LayerNorm, no pooler in NewModel.
    h = _int(cfg, "hidden_size", default=768)
    i = _int(cfg, "intermediate_size", default=3072)
    heads = _int(cfg, "num_attention_heads", default=12)
    vocab = _int(cfg, "vocab_size", default=250048)
    positions = _int(cfg, "max_position_embeddings", default=8192)
    types = _int(cfg, "type_vocab_size", default=0)
    absolute = _get(cfg, "position_embedding_type", default="rope") == "absolute"
    rms = _get(cfg, "layer_norm_type", default="layer_norm") == "rms_norm"
    norm = h if rms else 2 * h
    if _get(cfg, "pack_qkv", default=True):
        qkv: tuple[Linear, ...] = (Linear("qkv_proj", h, 3 * h, True),)
    else:
        qkv = (Linear("q_proj", h, h, True), Linear("k_proj", h, h, True), Linear("v_proj", h, h, True))
    linears = qkv + (Linear("o_proj", h, h, True), Linear("up_gate_proj", h, 2 * i, False),
                     Linear("down_proj", i, h, True))
    return Arch(
        model_type="new", style="gte", hidden=h, layers=_int(cfg, "num_hidden_layers", default=12), heads=heads,
        kv_heads=heads, head_dim=h // heads, intermediate=i, vocab=vocab, max_positions=positions,
        embedding_params=(vocab + types + (positions if absolute else 0)) * h + 2 * h,
        word_embedding_params=vocab * h, layer_linears=linears, layer_other_params=2 * norm,
        final_norm_params=0, has_pooler=False, tie_word_embeddings=False,
        attention_dropout=float(_get(cfg, "attention_probs_dropout_prob", default=0.0)),
        hidden_dropout=float(_get(cfg, "hidden_dropout_prob", default=0.1)),
        activation=str(_get(cfg, "hidden_act", default="gelu")), checkpoint_dtype=_checkpoint_dtype(cfg))


def _llama(cfg: Mapping[str, Any], model_type: str) -> Arch:
    h = _int(cfg, "hidden_size", default=4096)
    i = _int(cfg, "intermediate_size", default={"mistral": 14336, "qwen2": 22016}.get(model_type, 11008))
    heads = _int(cfg, "num_attention_heads", default=32)
    kv = _int(cfg, "num_key_value_heads", default=8 if model_type == "mistral" else heads)
    d = _int(cfg, "head_dim", default=h // heads)
    vocab = _int(cfg, "vocab_size", default=151936 if model_type.startswith("qwen") else 32000)
    # Qwen2 puts biases on q/k/v only; Llama/Qwen3 can switch all four on with attention_bias.
    qkv_bias = model_type == "qwen2" or bool(_get(cfg, "attention_bias", default=False))
    o_bias = model_type != "qwen2" and bool(_get(cfg, "attention_bias", default=False))
    mlp_bias = bool(_get(cfg, "mlp_bias", default=False))
    linears = (Linear("q_proj", h, heads * d, qkv_bias), Linear("k_proj", h, kv * d, qkv_bias),
               Linear("v_proj", h, kv * d, qkv_bias), Linear("o_proj", heads * d, h, o_bias),
               Linear("gate_proj", h, i, mlp_bias), Linear("up_proj", h, i, mlp_bias),
               Linear("down_proj", i, h, mlp_bias))
    qk_norm = 2 * d if model_type == "qwen3" else 0  # Qwen3 RMS-normalises q and k per head
    return Arch(
        model_type=model_type, style="llama", hidden=h, layers=_int(cfg, "num_hidden_layers", default=32),
        heads=heads, kv_heads=kv, head_dim=d, intermediate=i, vocab=vocab,
        max_positions=_get(cfg, "max_position_embeddings"), embedding_params=vocab * h,
        word_embedding_params=vocab * h, layer_linears=linears, layer_other_params=2 * h + qk_norm,
        final_norm_params=h, has_pooler=False,
        tie_word_embeddings=bool(_get(cfg, "tie_word_embeddings", default=False)),
        attention_dropout=float(_get(cfg, "attention_dropout", default=0.0)), hidden_dropout=0.0,
        activation=str(_get(cfg, "hidden_act", default="silu")), checkpoint_dtype=_checkpoint_dtype(cfg))


def _gpt2(cfg: Mapping[str, Any]) -> Arch:
    h = _int(cfg, "n_embd", "hidden_size", default=768)
    i = _int(cfg, "n_inner", default=4 * h)
    heads = _int(cfg, "n_head", "num_attention_heads", default=12)
    vocab = _int(cfg, "vocab_size", default=50257)
    positions = _int(cfg, "n_positions", "max_position_embeddings", default=1024)
    # Conv1D modules, named as LoRA targets them: attn.c_attn, attn.c_proj, mlp.c_fc, mlp.c_proj.
    linears = (Linear("c_attn", h, 3 * h, True), Linear("attn.c_proj", h, h, True),
               Linear("c_fc", h, i, True), Linear("mlp.c_proj", i, h, True))
    return Arch(
        model_type="gpt2", style="gpt2", hidden=h, layers=_int(cfg, "n_layer", "num_hidden_layers", default=12),
        heads=heads, kv_heads=heads, head_dim=h // heads, intermediate=i, vocab=vocab, max_positions=positions,
        embedding_params=(vocab + positions) * h, word_embedding_params=vocab * h, layer_linears=linears,
        layer_other_params=2 * 2 * h, final_norm_params=2 * h, has_pooler=False,
        tie_word_embeddings=bool(_get(cfg, "tie_word_embeddings", default=True)),
        attention_dropout=float(_get(cfg, "attn_pdrop", default=0.1)),
        hidden_dropout=float(_get(cfg, "resid_pdrop", default=0.1)),
        activation=str(_get(cfg, "activation_function", default="gelu_new")), checkpoint_dtype=_checkpoint_dtype(cfg))


# ----------------------------------------------------------------------------- LoRA targets
# What PEFT adapts when target_modules is "auto" (the attention and MLP projections of the family).
AUTO_LORA_TARGETS: dict[Style, tuple[str, ...]] = {
    "llama": ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"),
    "gpt2": ("c_attn", "attn.c_proj", "c_fc", "mlp.c_proj"),
    "bert": ("query", "key", "value", "dense", "intermediate.dense", "output.dense",
             "q_lin", "k_lin", "v_lin", "out_lin", "lin1", "lin2"),
    "gte": ("qkv_proj", "q_proj", "k_proj", "v_proj", "o_proj", "up_gate_proj", "down_proj"),
}


def lora_linears(arch: Arch, targets: str | tuple[str, ...] | list[str]) -> tuple[Linear, ...]:
    """The projections of one layer that LoRA adapts. PEFT matches a target against the end of a
    module's name, so "c_proj" adapts both GPT-2 c_proj modules and "dense" BERT's attention output."""
    wanted = AUTO_LORA_TARGETS[arch.style] if targets == "auto" else tuple(targets)
    chosen = []
    for lin in arch.layer_linears:
        short = lin.name.rsplit(".", 1)[-1]
        if any(t == lin.name or t == short for t in wanted):
            chosen.append(lin)
    return tuple(chosen)


# ----------------------------------------------------------------------------- finding config.json offline
def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ModelConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise ModelConfigError(f"{path} is not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    if not isinstance(data, dict):
        raise ModelConfigError(f"{path} is not a model config (expected a JSON object)")
    return data


def bundled_config_path(name: str) -> Path:
    return resource_path("model_configs", name)


def _from_hf_cache(repo_id: str) -> Path | None:
    """config.json of a hub model that was downloaded before; looks only at the local cache, never the network."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # transformers depends on it, but a stripped install must still give the clear error
        return None
    try:
        found = try_to_load_from_cache(repo_id, "config.json")
    except ValueError:  # not a valid repo id (HFValidationError)
        return None
    return Path(found) if isinstance(found, str) else None


def load_model_config(name_or_path: str, bundled: str | None = None,
                      base_dir: str | Path | None = None) -> dict[str, Any]:
    """The model's config.json as a dict, without loading weights and without the network.

    Tried in order: a config.json file or a model folder (a relative path first against base_dir, the
    preset's folder, then the working folder); the bundled config the preset names
    (resources/model_configs/<bundled>); the Hugging Face cache; a bundled config named after the hub id
    (Qwen/Qwen1.5-7B-Chat -> qwen1.5-7b-chat.json).
    """
    path = Path(name_or_path).expanduser()
    if base_dir is not None and not path.is_absolute() and (Path(base_dir) / path).exists():
        path = Path(base_dir) / path
    if path.is_file():
        return _read_json(path)
    if path.is_dir():
        config = path / "config.json"
        if not config.is_file():
            raise ModelConfigError(f"the folder {path} has no config.json. Fix: pass the folder of a Hugging Face "
                                   "model (it holds config.json) or the config.json itself")
        return _read_json(config)
    if name_or_path.endswith(".json"):
        raise ModelConfigError(f"{name_or_path} does not exist. Fix: check the path to the config.json")
    if bundled:
        candidate = Path(bundled) if Path(bundled).is_absolute() else bundled_config_path(bundled)
        if not candidate.is_file():
            raise ModelConfigError(f"the bundled model config {bundled} is missing from {candidate.parent}. "
                                   "Fix: reinstall LapTune, or pass a local model folder or config.json")
        return _read_json(candidate)
    cached = _from_hf_cache(name_or_path)
    if cached is not None:
        return _read_json(cached)
    by_name = bundled_config_path(name_or_path.rstrip("/").rsplit("/", 1)[-1].lower() + ".json")
    if by_name.is_file():
        return _read_json(by_name)
    raise ModelConfigError(
        f"cannot read the config of '{name_or_path}' offline: it is not a local folder or config.json, LapTune "
        "bundles no config for it and it is not in the Hugging Face cache. Fix: pass a local model folder or "
        "its config.json (for example --model path/to/config.json)")
