"""The settings that move memory, and each term of a run's peak: the arithmetic behind core/memory/estimate.py.

`Plan` decides who is trainable, how each part is stored and which layers keep activations for backward;
`terms` turns that into named byte counts, each with a comment on where it comes from. The assumptions
about the training code are listed in estimate.py's docstring.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.memory.model_arch import Arch, HeadKind, lora_linears

MIB = 1024**2
GIB = 1024**3

# ----------------------------------------------------------------------------- constants and where they come from
# CUDA context of a PyTorch process after its first forward/backward: driver context + CUDA runtime + the
# kernel images loaded lazily (CUDA_MODULE_LOADING=LAZY, PyTorch's default since 1.13) + cuBLAS/cuBLASLt
# handles and workspaces. Measured ~290 MB for a bare context with lazy loading (pytorch PR #86509; 667 MB
# without it), "around 400 MB" once kernels are loaded (pytorch issues #107667, #109888), 426 MiB on an
# Ada GPU with CUDA 13. Windows (WDDM) adds some; the display itself is outside this process.
CUDA_CONTEXT_BYTES = 450 * MIB
# The Python process before the model exists, for CPU runs: interpreter, torch, transformers, the
# tokenizer and the tokenised dataset (torch + transformers alone import to ~0.5 GB RSS).
CPU_RUNTIME_BYTES = 1 * GIB
# The caching allocator keeps freed blocks for reuse. Weights, gradients and optimizer states are
# allocated once and packed tightly, but activations and logits change size with every batch (dynamic
# padding), and a slightly larger batch leaves unusable slivers at the ends of the segments cut for the
# previous one (PyTorch's CUDA notes on PYTORCH_CUDA_ALLOC_CONF): reserved exceeds allocated by a share of
# this per-step memory. expandable_segments:True (LapTune's default cuda_alloc_conf) grows one segment
# per stream instead, so far fewer slivers remain; rounding to 2 MiB pages still wastes some.
CUDA_FRAGMENTATION = 0.20
CUDA_FRAGMENTATION_EXPANDABLE = 0.10
# glibc returns large freed tensors (mmap'd) to the OS, so the CPU wastes less.
CPU_FRAGMENTATION = 0.10
# NF4: 4 bits per weight + its absmax per 64-weight block; double quantisation stores that absmax in 8 bits
# with one fp32 scale per 256 blocks (QLoRA paper, bitsandbytes).
NF4_BYTES = 0.5 + 1 / 64 + 4 / (64 * 256)
NF4_BYTES_NO_DOUBLE_QUANT = 0.5 + 4 / 64
# LLM.int8: one byte per weight plus one fp32 scale per output row (added per layer below).
INT8_BYTES = 1.0
# bitsandbytes 8-bit Adam: two uint8 states + one fp32 absmax per 256-element block for each; tensors under
# 4096 elements (biases, norms) keep 32-bit states.
ADAM_8BIT_BYTES = 2 + 2 * 4 / 256
# Causal LM loss: ForCausalLMLoss upcasts the logits to fp32 and cross_entropy keeps the fp32 log-softmax
# for backward. At the start of backward three (tokens x vocab) fp32 tensors coexist: the saved
# log-probabilities, the gradient arriving from nll_loss and the gradient leaving log_softmax. (Seed 002's
# OOM "Tried to allocate 2.32 GiB" is one of them: 2 x 2048 x 151936 x 4 bytes.)
LOGITS_BYTES_PER_ELEMENT = 3 * 4

Device = Literal["cuda", "cpu"]
PRECISIONS = ("auto", "fp32", "fp16", "bf16")
OPTIMIZERS = ("adamw", "adamw_8bit", "paged_adamw_8bit", "adafactor", "sgd")
TASKS = ("ner", "classify", "sft")


@dataclass
class EstimateSettings:
    """The run settings that move memory. precision auto = bf16 or fp16 (the same memory) on CUDA, fp32 on CPU."""

    task: str = "sft"
    batch_size: int = 1
    seq_len: int = 512
    precision: str = "auto"
    optimizer: str = "adamw"
    grad_accum: int = 1  # moves no memory; kept so a settings object describes the whole step
    gradient_checkpointing: bool = False
    freeze_layers: int = 0  # embeddings + the first N layers frozen
    lora_rank: int | None = None  # None or 0: no LoRA
    lora_targets: str | tuple[str, ...] = "auto"
    load_in_4bit: bool = False
    load_in_8bit: bool = False
    use_crf: bool = False
    num_labels: int | None = None  # None: 9 for ner (BIO over 4 entity types), 2 for classify
    device: Device = "cuda"
    classify_head: str = "auto"  # auto: AutoModelForSequenceClassification; mlp: encoder + MLP head (seed 003)
    mlp_hidden: int = 256
    lora_dropout: float = 0.05
    attn_implementation: str = "sdpa"  # transformers 5's default; "eager" stores seq x seq attention scores
    double_quant: bool = True
    # QLoRA: peft.prepare_model_for_kbit_training upcasts embeddings, norms and LM head to fp32.
    upcast_non_quantised: bool = True
    expandable_segments: bool = True  # PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True (less fragmentation)

    def __post_init__(self) -> None:
        checks = [
            (self.task in TASKS, f"task must be one of {', '.join(TASKS)}, got {self.task!r}"),
            (self.batch_size >= 1, f"batch size must be at least 1, got {self.batch_size}"),
            (self.seq_len >= 1, f"sequence length must be at least 1, got {self.seq_len}"),
            (self.grad_accum >= 1, f"gradient accumulation must be at least 1, got {self.grad_accum}"),
            (self.freeze_layers >= 0, f"freeze_layers cannot be negative, got {self.freeze_layers}"),
            (self.precision in PRECISIONS, f"precision must be one of {', '.join(PRECISIONS)}, got {self.precision!r}"),
            (self.optimizer in OPTIMIZERS, f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {self.optimizer!r}"),
            (self.device in ("cuda", "cpu"), f"device must be cuda or cpu, got {self.device!r}"),
            (self.attn_implementation in ("sdpa", "eager"), "attn_implementation must be sdpa or eager"),
            (not (self.load_in_4bit and self.load_in_8bit), "4-bit and 8-bit loading are exclusive: choose one"),
            (not ((self.load_in_4bit or self.load_in_8bit) and not self.lora_rank),
             "4-bit/8-bit loading needs LoRA (--lora-rank): quantised weights cannot be trained directly"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)

    @property
    def labels(self) -> int:
        if self.num_labels is not None:
            return self.num_labels
        return 9 if self.task == "ner" else 2


class Plan:
    """Who is trainable, how each part is stored, and which layers keep activations for backward."""

    def __init__(self, arch: Arch, s: EstimateSettings, notes: list[str]) -> None:
        self.arch, self.s = arch, s
        self.device: Device = s.device
        cpu = s.device == "cpu"
        if cpu and s.precision in ("fp16", "bf16"):
            notes.append(f"The CPU keeps fp32 weights: {s.precision} is counted as fp32 (an upper bound for bf16 autocast).")
        self.mixed = not cpu and s.precision != "fp32"
        self.b = 2 if self.mixed else 4  # bytes of an activation in the compute dtype
        self.quant = None if cpu else ("4bit" if s.load_in_4bit else "8bit" if s.load_in_8bit else None)
        if cpu and (s.load_in_4bit or s.load_in_8bit):
            notes.append("4-bit/8-bit loading trains on CUDA only: counted as LoRA over fp32 weights.")
        self.optimizer = s.optimizer
        if cpu and "8bit" in s.optimizer:
            notes.append("8-bit optimizers need CUDA: counted as AdamW.")
            self.optimizer = "adamw"
        elif s.optimizer == "paged_adamw_8bit":
            notes.append("The paged optimizer's states can move to CPU RAM under pressure; they are counted on the GPU.")

        self.kind: HeadKind = {"ner": "token", "sft": "causal"}.get(s.task, "sequence")
        if s.task == "classify" and s.classify_head == "mlp":
            self.kind = "base"
        L, h, n = arch.layers, arch.hidden, s.labels
        self.freeze = min(s.freeze_layers, L)
        if s.freeze_layers > L:
            notes.append(f"freeze_layers {s.freeze_layers} exceeds the model's {L} layers: all layers counted frozen.")
        self.lora_lins = lora_linears(arch, s.lora_targets) if s.lora_rank else ()
        if s.lora_rank and not self.lora_lins:
            raise ValueError(f"none of the LoRA targets {s.lora_targets!r} is a projection of {arch.model_type} "
                             f"(its projections: {', '.join(x.name for x in arch.layer_linears)})")
        self.rank = s.lora_rank or 0
        self.n_lora = L * sum(self.rank * (x.n_in + x.n_out) for x in self.lora_lins)

        # Parameter groups, in forward order.
        self.n_emb = arch.embedding_params
        self.n_layer_w = sum(x.weight_params for x in arch.layer_linears)
        self.n_layer_b = sum(x.params - x.weight_params for x in arch.layer_linears)
        self.n_layer = arch.layer_params
        self.n_pool = arch.pooler_params if arch.uses_pooler(self.kind) else 0
        self.pooler_used = self.kind != "base" and self.n_pool > 0  # the MLP head pools itself
        if self.kind == "base":  # seed 003's head: Linear(h, mlp_hidden) -> Linear(mlp_hidden, labels)
            self.n_head = h * s.mlp_hidden + s.mlp_hidden + s.mlp_hidden * n + n
        else:
            self.n_head = arch.head_params(self.kind, n)
        self.n_crf = n * n + 2 * n if (s.use_crf and s.task == "ner") else 0
        self.params_total = (self.n_emb + L * self.n_layer + arch.final_norm_params + self.n_pool + self.n_head
                             + self.n_crf + self.n_lora)

        # Trainable parameters and the first module whose output needs a gradient.
        tail = arch.final_norm_params + (self.n_pool if self.pooler_used else 0) + self.n_head + self.n_crf
        if self.rank:
            # PEFT trains only the adapters (a classification head would be in modules_to_save).
            self.trainable = self.n_lora + (0 if self.kind == "causal" else self.n_head + self.n_crf)
            self.first_layer, self.embeddings_train, self.layers_train = 0, False, False
        elif self.freeze:
            self.trainable = (L - self.freeze) * self.n_layer + tail
            self.first_layer, self.embeddings_train, self.layers_train = self.freeze, False, True
        else:
            self.trainable = self.n_emb + L * self.n_layer + tail
            self.first_layer, self.embeddings_train, self.layers_train = 0, True, True
        self.act_layers = L - self.first_layer  # layers that keep activations for backward

        # Bytes per stored base weight (adapters are always fp32).
        if self.quant:  # prepare_model_for_kbit_training upcasts the non-quantised rest (unless told not to)
            self.base_bytes = 4 if s.upcast_non_quantised or not self.mixed else 2
        elif self.rank and self.mixed:
            self.base_bytes = 2
        else:
            self.base_bytes = 4
        # The residual stream (hidden states between layers) has the dtype of the embedding output.
        self.r = self.base_bytes
        self.repeat_kv = s.batch_size > 1  # a padding mask makes HF's SDPA path expand k/v to all heads
        self.eager = s.attn_implementation == "eager" or arch.model_type == "new"
        self.tokens = s.batch_size * s.seq_len
        if self.mixed and not self.rank:
            notes.append("Mixed precision trains fp32 master weights under autocast; activations are half precision.")
        if arch.model_type == "new" and s.attn_implementation == "sdpa":
            notes.append("gte ('new') turns off SDPA's memory-efficient kernel and passes a padding bias, so "
                         "attention runs the math kernel: seq x seq scores are stored as with eager attention.")
        if arch.max_positions and s.seq_len > arch.max_positions:
            notes.append(f"seq_len {s.seq_len} exceeds the model's {arch.max_positions} positions.")


def terms(p: Plan) -> tuple[dict[str, int], dict[str, str]]:
    arch, s, L, h = p.arch, p.s, p.arch.layers, p.arch.hidden
    cuda = p.device == "cuda"
    explain: dict[str, str] = {}
    terms: dict[str, float] = {}

    # 1. Fixed cost of the process.
    if cuda:
        terms["cuda_context"] = CUDA_CONTEXT_BYTES
        explain["cuda_context"] = "CUDA context, kernels, cuBLAS workspace"
    else:
        terms["runtime"] = CPU_RUNTIME_BYTES
        explain["runtime"] = "Python, torch, transformers, tokenizer, dataset"

    # 2. Weights. Quantised loading stores each layer's linear weights in 4 or 8 bits.
    quantised = L * p.n_layer_w if p.quant else 0
    if p.quant == "4bit":
        per = NF4_BYTES if s.double_quant else NF4_BYTES_NO_DOUBLE_QUANT
        q_bytes = quantised * per
        rest = "fp32" if p.base_bytes == 4 else "half precision"
        explain["weights"] = f"{quantised / 1e9:.2f} B weights in NF4, the rest {rest}, LoRA fp32"
    elif p.quant == "8bit":
        q_bytes = quantised * INT8_BYTES + L * sum(x.n_out for x in arch.layer_linears) * 4
        rest = "fp32" if p.base_bytes == 4 else "half precision"
        explain["weights"] = f"{quantised / 1e9:.2f} B weights in int8, the rest {rest}, LoRA fp32"
    else:
        q_bytes = 0.0
        dtype = "fp32" if p.base_bytes == 4 else "half precision"
        explain["weights"] = f"{p.params_total / 1e6:,.1f} M parameters, {dtype}" + (", LoRA fp32" if p.rank else "")
    base = p.params_total - p.n_lora - quantised
    terms["weights"] = q_bytes + base * p.base_bytes + p.n_lora * 4

    # 3. Autocast copies. Under fp16/bf16 autocast every fp32 weight that a matmul uses is cast to half; the
    # copy of a trainable weight stays cached until the forward ends, and any copy whose matmul lies on the
    # gradient path is saved for backward (e.g. QLoRA's fp32 LM head). Embedding lookups are not cast.
    copies = 0.0
    if p.mixed:
        fp32_layers = not p.quant and p.base_bytes == 4  # quantised weights are dequantised op by op instead
        copies = p.act_layers * (p.n_layer_w + p.n_layer_b) if fp32_layers else 0
        copies += p.n_lora
        if p.kind == "causal":
            copies += arch.vocab * h if p.base_bytes == 4 else 0  # the LM head, tied or not
        elif p.trainable:
            copies += (p.n_pool if p.pooler_used else 0) + p.n_head
        copies *= 2
    terms["weight_copies"] = copies
    explain["weight_copies"] = "half-precision copies of fp32 weights (autocast)" if p.mixed else "none in fp32"

    # 4. Gradients: one fp32 value per trainable parameter (kept between accumulation steps).
    terms["gradients"] = p.trainable * 4
    explain["gradients"] = f"{p.trainable / 1e6:,.2f} M trainable x 4 bytes"

    # 5. Optimizer state per trainable parameter.
    terms["optimizer"] = _optimizer_bytes(p)
    explain["optimizer"] = {"adamw": "AdamW: 2 fp32 states", "adamw_8bit": "8-bit AdamW: 2 one-byte states",
                            "paged_adamw_8bit": "paged 8-bit AdamW: 2 one-byte states",
                            "adafactor": "Adafactor: factored second moment", "sgd": "SGD: no state"}[p.optimizer]

    # 6. Activations kept for backward, plus the working set of one layer.
    per_layer = p.tokens * _layer_bytes_per_token(p)
    if p.act_layers == 0:
        layers = 0.0
    elif s.gradient_checkpointing:
        # HF checkpoints each layer: only its input (residual stream) stays; in backward one layer is
        # recomputed and its gradients are formed beside it.
        layers = p.act_layers * p.tokens * p.r * h + 2 * per_layer
    else:
        # All layers' saved tensors, plus the gradients of the layer being back-propagated.
        layers = (p.act_layers + 1) * per_layer
    edges = p.tokens * _edge_bytes_per_token(p) if p.trainable else 0.0
    mask = s.batch_size * s.seq_len ** 2 * (4 if p.eager else 1) if (s.batch_size > 1 or not arch.is_decoder) else 0
    terms["activations"] = layers + edges + mask
    how = "checkpointed" if s.gradient_checkpointing else "all kept"
    explain["activations"] = f"{p.act_layers} of {L} layers on the gradient path, {how}, {s.batch_size} x {s.seq_len} tokens"

    # 7. Logits and loss buffers (see LOGITS_BYTES_PER_ELEMENT).
    if p.kind == "causal":
        terms["logits"] = p.tokens * arch.vocab * LOGITS_BYTES_PER_ELEMENT
        explain["logits"] = f"fp32 log-probabilities and their gradients over {arch.vocab} tokens"
    elif s.task == "ner":
        terms["logits"] = p.tokens * s.labels * LOGITS_BYTES_PER_ELEMENT
        explain["logits"] = f"{s.labels} labels per token"
    else:
        terms["logits"] = s.batch_size * s.labels * LOGITS_BYTES_PER_ELEMENT
        explain["logits"] = f"{s.labels} labels per sample"

    # 8. What the allocator holds beyond live tensors (see the FRAGMENTATION constants).
    transient = terms["activations"] + terms["logits"] + terms["weight_copies"]
    if not cuda:
        share = CPU_FRAGMENTATION
    else:
        share = CUDA_FRAGMENTATION_EXPANDABLE if s.expandable_segments else CUDA_FRAGMENTATION
    terms["allocator_overhead"] = transient * share
    explain["allocator_overhead"] = "cached blocks that differently shaped batches cannot reuse"

    # 9. The optimizer step runs after backward has freed the activations. Trainer's "adamw_torch" is
    # torch's foreach AdamW on CUDA, which allocates sqrt(exp_avg_sq) for every trained weight at once
    # (4 bytes each); it raises the peak only where it exceeds the per-step memory it replaces.
    # Computed from the rounded terms it replaces, so the total stays exactly flat (never a byte lower)
    # when a bigger batch only moves memory from this term into the activations.
    step = p.trainable * 4.0 if (cuda and p.optimizer == "adamw") else 0.0
    out = {k: int(round(v)) for k, v in terms.items()}
    freed = sum(out[k] for k in ("activations", "logits", "weight_copies", "allocator_overhead"))
    out["optimizer_step"] = max(0, int(round(step)) - freed)
    explain["optimizer_step"] = "foreach AdamW's temporary beyond the freed activations" if step else "no large temporaries"
    return out, explain


def _optimizer_bytes(p: Plan) -> float:
    if p.optimizer == "sgd":  # Trainer's "sgd": no momentum, no state
        return 0.0
    if p.optimizer == "adamw":
        return p.trainable * 8.0
    matrices = _trainable_matrices(p)
    matrix_params = sum(rows * cols * count for rows, cols, count in matrices)
    vectors = max(p.trainable - matrix_params, 0)  # biases and norms
    if p.optimizer == "adafactor":  # HF Adafactor, beta1=None: one row and one column vector per matrix
        return 4.0 * (sum((rows + cols) * count for rows, cols, count in matrices) + vectors)
    return ADAM_8BIT_BYTES * matrix_params + 8.0 * vectors  # small tensors keep 32-bit states


def _trainable_matrices(p: Plan) -> list[tuple[int, int, int]]:
    """(rows, cols, how many) of every trainable weight matrix, for the optimizers that treat them specially."""
    arch, h, n = p.arch, p.arch.hidden, p.s.labels
    if p.rank:
        out = [(p.rank, x.n_in, arch.layers) for x in p.lora_lins] + [(x.n_out, p.rank, arch.layers) for x in p.lora_lins]
        return out + ([] if p.kind == "causal" else [(h, n, 1)])
    layers = arch.layers - p.freeze
    out = [(x.n_in, x.n_out, layers) for x in arch.layer_linears]
    if p.embeddings_train:
        out.append((arch.vocab, h, 1))
    if p.kind == "causal" and not arch.tie_word_embeddings:
        out.append((arch.vocab, h, 1))
    if p.pooler_used:
        out.append((h, h, 1))
    if p.kind != "causal":
        out.append((h, p.s.mlp_hidden if p.kind == "base" else n, 1))
    return out


def _layer_bytes_per_token(p: Plan) -> float:
    """Bytes one layer saves for backward, per token (the seq x seq part scaled by the sequence length).

    b: compute dtype (2 under autocast, 4 in fp32); r: residual-stream dtype. Under autocast a linear saves
    a half copy of its input, one per linear when the input is fp32 (r != b), shared when it is already half.
    LayerNorm and softmax run in fp32 under autocast and save fp32 tensors.
    """
    arch, s, b, r = p.arch, p.s, p.b, p.r
    h, i, heads, seq = arch.hidden, arch.intermediate, arch.heads, s.seq_len

    def cast(n: int) -> int:  # per feature: the saved inputs of n linears reading the same tensor
        return n * b if r != b else b

    mask_h = 1 if arch.hidden_dropout > 0 else 0  # dropout keeps a one-byte mask per element
    p_attn = arch.attention_dropout > 0
    sdpa_out = 0 if p.eager else b * h + 4 * heads  # SDPA saves its output and fp32 log-sum-exp
    # Eager attention: the fp32 softmax output, the dropout mask, and the half copy (or dropout output)
    # that the probs @ V matmul saves; SDPA's fused kernels store none of these.
    quad = heads * seq * (4 + (1 if p_attn else 0) + (b if (b != 4 or p_attn) else 0)) if p.eager else 0

    if arch.style in ("bert", "gte"):  # post-LayerNorm encoders; the layer input is a fp32 LayerNorm output
        qkv_in = cast(1) if arch.style == "gte" else cast(3)  # gte packs q/k/v into one linear
        attention = qkv_in * h + 3 * b * h + sdpa_out + b * h  # q/k/v inputs; q, k, v; output; o-proj input
        residuals = 2 * (mask_h * h + 4 * h)  # dropout masks and the fp32 inputs of the two LayerNorms
        if arch.style == "gte":  # up_gate output (kept alive by the split views), GELU output, product
            mlp = cast(1) * h + 4 * b * i + (i if mask_h else 0)
        else:  # GELU input and output (the output is the second linear's input)
            mlp = cast(1) * h + 2 * b * i
        linear = attention + residuals + mlp
    elif arch.style == "llama":  # pre-RMSNorm decoder, gated SiLU MLP, no dropout
        norm = 4 * h + (r * h if p.layers_train else 0)  # fp32 input; normalised input for the weight
        kv = h if p.repeat_kv else arch.kv_dim
        qk_norm = (4 + b) * (h + arch.kv_dim) if arch.model_type == "qwen3" else 0
        attention = norm + cast(3) * h + b * (h + 2 * kv) + qk_norm + sdpa_out + b * h
        mlp = norm + cast(2) * h + 4 * b * i  # SiLU input and output, up output, product
        linear = attention + mlp
    else:  # gpt2: pre-LayerNorm, fused c_attn, GELU MLP
        act = (3 * b + 8) * i if arch.activation == "gelu_new" else 2 * b * i  # gelu_new is 6 Python ops
        linear = (4 * h + cast(1) * h + 3 * b * h + sdpa_out + b * h + mask_h * h
                  + 4 * h + cast(1) * h + act + mask_h * h)
    # LoRA: per adapted linear, lora_dropout's mask and lora_A's half input, and lora_A's output.
    lora_in = (1 + b) if s.lora_dropout > 0 else b
    linear += sum(lora_in * x.n_in + b * p.rank for x in p.lora_lins)
    return linear + quad


def _edge_bytes_per_token(p: Plan) -> float:
    """Saved activations outside the layers: trainable embeddings and the head."""
    arch, b, r, h = p.arch, p.b, p.r, p.arch.hidden
    edges = 0.0
    if p.embeddings_train and arch.style in ("bert", "gte"):
        edges += 4 * h + (h if arch.hidden_dropout > 0 else 0)  # embedding LayerNorm input, dropout mask
    if p.kind == "causal":  # final norm (fp32 input, normalised input), the LM head's half input
        edges += 4 * h + (r * h if arch.style == "llama" and p.layers_train else 0) + b * h
    elif p.kind == "token":  # dropout mask, the classifier's input, the CRF's forward-algorithm scores
        edges += h + b * h + (p.n_crf * 4 * 2 if p.n_crf else 0)
    return edges
