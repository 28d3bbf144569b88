"""Score checkpoints on IFEval the way seed 004 picks its checkpoint, with lm-eval's own instruction checkers.

    laptune evaluate RUN_DIR --benchmark ifeval [--checkpoints all|best|N,M] [--limit N] [--prompts FILE]

Each checkpoint answers every prompt (its chat template, greedy, IFEval's 1280 new tokens unless told fewer);
lm-eval's `lm_eval.tasks.ifeval.utils.process_results` scores the answers (prompt- and instruction-level,
strict and loose accuracy, as lm-eval reports them). Results go to RUN_DIR/evaluations/ifeval.json (scores per
checkpoint, merged with earlier evaluations) and RUN_DIR/evaluations/ifeval-<checkpoint>.jsonl (every prompt,
answer and verdict); `laptune compare` and the GUI's Compare table read them.

Prompts: a local file in google/IFEval's format (one JSON object a line: key, prompt, instruction_id_list,
kwargs), or the google/IFEval dataset fetched through the hub endpoint LapTune uses for models (the mirror by
default) and cached by huggingface_hub.

Offline: lm-eval's checkers count sentences and words with NLTK's Punkt, whose data lm-eval downloads from
raw.githubusercontent.com when importing (unreachable offline and often from mainland China). When NLTK's
punkt_tab data is installed (NLTK_DATA, ~/nltk_data), it is used; otherwise LapTune's bundled Punkt files
(resources/nltk_data, untrained: no English abbreviation list) are, so "Dr. Smith" counts as two sentences;
the results record which ("punkt": "nltk data" or "untrained").
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from core.record.runs import RunDir
from core.use.load import UseError, load_for_inference, resolve_checkpoint
from core.use.predict import generate

IFEVAL_REPO = "google/IFEval"
IFEVAL_FILE = "ifeval_input_data.jsonl"
IFEVAL_MAX_TOKENS = 1280          # lm-eval's ifeval.yaml: max_gen_toks 1280, greedy
METRICS = ("prompt_level_strict_acc", "inst_level_strict_acc", "prompt_level_loose_acc", "inst_level_loose_acc")
HEADLINE = "prompt_level_strict_acc"
EVAL_DIR = "evaluations"


@dataclass
class Scores:
    metrics: dict[str, float]
    n_prompts: int
    n_instructions: int
    details: list[dict[str, Any]] = field(default_factory=list)


def read_prompts(path: str | Path, limit: int | None = None) -> list[dict[str, Any]]:
    """IFEval rows from a JSONL file; a malformed row stops with its line and what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise UseError(f"prompt file {path} not found", fix="pass a JSONL file in google/IFEval's format with --prompts")
    docs = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UseError(f"{path}, line {number}: not valid JSON ({exc.msg})", fix="one JSON object a line") from exc
        missing = [k for k in ("prompt", "instruction_id_list", "kwargs") if k not in doc]
        if missing or len(doc.get("kwargs") or []) != len(doc.get("instruction_id_list") or []):
            raise UseError(f"{path}, line {number}: " + (f"no {', '.join(missing)}" if missing else
                           "kwargs must have one entry per instruction id"),
                           fix="rows need key, prompt, instruction_id_list and kwargs as in google/IFEval")
        doc.setdefault("key", number)
        docs.append(doc)
        if limit is not None and len(docs) >= limit:
            break
    if not docs:
        raise UseError(f"{path} holds no prompts", fix="pass a JSONL file in google/IFEval's format")
    return docs


def download_prompts() -> Path:
    """google/IFEval's prompt file through the hub endpoint used for models (cached after the first time)."""
    from huggingface_hub import hf_hub_download

    from core.hub.cache import hub_cache_dir
    from core.hub.source import resolve_source

    source = resolve_source()
    try:   # core/hub's downloader plans model repos only (config.json, weights): a dataset file goes through hf_hub_download
        return Path(hf_hub_download(IFEVAL_REPO, IFEVAL_FILE, repo_type="dataset", endpoint=source.endpoint,
                                    token=source.token, cache_dir=hub_cache_dir()))
    except Exception as exc:  # noqa: BLE001 - offline, blocked, or a mirror without datasets: all mean "not from here"
        raise UseError(f"cannot get the IFEval prompts ({IFEVAL_REPO}) from {source.label}: "
                       f"{type(exc).__name__}",
                       fix=f"download {IFEVAL_FILE} from the {IFEVAL_REPO} dataset once and pass it with --prompts FILE") from exc


def _checkers() -> tuple[Any, str]:
    """lm-eval's IFEval scoring function, with NLTK's Punkt data found locally (no download at import)."""
    try:
        import nltk
    except ImportError as exc:
        raise UseError("IFEval scoring needs lm-eval and its checkers' packages",
                       fix="pip install 'lm-eval>=0.4' langdetect immutabledict nltk") from exc
    from core.config.paths import resource_path

    bundled = str(resource_path("nltk_data"))
    if bundled not in nltk.data.path:
        nltk.data.path.append(bundled)   # last: a real punkt_tab installed by the user wins
    try:
        found = str(nltk.data.find("tokenizers/punkt_tab/english/"))
    except LookupError as exc:
        raise UseError("NLTK's Punkt data is missing (LapTune's copy was not found)",
                       fix="reinstall LapTune, or run python -m nltk.downloader punkt_tab") from exc
    punkt = "untrained" if Path(found).resolve().is_relative_to(Path(bundled).resolve()) else "nltk data"
    try:
        from lm_eval.tasks.ifeval import utils
    except ImportError as exc:
        raise UseError(f"IFEval scoring needs lm-eval and its checkers' packages ({exc.name} is missing)",
                       fix="pip install 'lm-eval>=0.4' langdetect immutabledict nltk") from exc
    return utils.process_results, punkt


def score_responses(docs: list[dict[str, Any]], responses: list[str]) -> Scores:
    """lm-eval's per-prompt verdicts, aggregated as lm-eval does (prompt level: mean over prompts; instruction
    level: mean over every instruction of every prompt)."""
    process, _ = _checkers()
    prompt_strict, prompt_loose, inst_strict, inst_loose, details = [], [], [], [], []
    for doc, response in zip(docs, responses):
        result = process(doc, [response])
        prompt_strict.append(bool(result["prompt_level_strict_acc"]))
        prompt_loose.append(bool(result["prompt_level_loose_acc"]))
        inst_strict += [bool(x) for x in result["inst_level_strict_acc"]]
        inst_loose += [bool(x) for x in result["inst_level_loose_acc"]]
        details.append({"key": doc.get("key"), "prompt": doc["prompt"], "response": response,
                        "instruction_id_list": doc["instruction_id_list"],
                        "strict": [bool(x) for x in result["inst_level_strict_acc"]],
                        "loose": [bool(x) for x in result["inst_level_loose_acc"]]})

    def mean(values: list[bool]) -> float:
        return sum(values) / len(values) if values else 0.0

    metrics = {"prompt_level_strict_acc": mean(prompt_strict), "inst_level_strict_acc": mean(inst_strict),
               "prompt_level_loose_acc": mean(prompt_loose), "inst_level_loose_acc": mean(inst_loose)}
    return Scores(metrics, len(prompt_strict), len(inst_strict), details)


def pick_checkpoints(run_dir: Path, choice: str) -> list[str]:
    """all | best | latest | final | N,M,... -> checkpoint names."""
    rd = RunDir.open(run_dir)
    choice = (choice or "best").strip().lower()
    if choice == "all":
        names = [c.path.name for c in rd.checkpoints() if c.complete]
        if not names and rd.final_dir.is_dir():
            names = ["final"]
        if not names:
            raise UseError(f"{rd.path} has no complete checkpoint yet", fix="wait for the first checkpoint")
        return names
    names = []
    for part in choice.split(","):
        part = part.strip()
        if part:
            names.append(resolve_checkpoint(rd.path, part).name)
    return list(dict.fromkeys(names))


def evaluate_run(run_dir: str | Path, *, checkpoints: str = "best", limit: int | None = None,
                 prompts_file: str | Path | None = None, device: str = "cpu", max_new_tokens: int = IFEVAL_MAX_TOKENS,
                 batch_size: int = 8, progress: Callable[[str, int, int], None] | None = None,
                 should_stop: Callable[[], bool] | None = None) -> dict[str, Any]:
    """Generate with each chosen checkpoint, score, and write RUN_DIR/evaluations/ifeval.json. Returns its content."""
    rd = RunDir.open(run_dir)
    if rd.read_config().task != "sft":
        raise UseError("IFEval scores chat models; this run trained a " + rd.read_config().task + " model",
                       fix="evaluate an SFT run")
    names = pick_checkpoints(rd.path, checkpoints)
    source = str(prompts_file) if prompts_file else f"{IFEVAL_REPO}/{IFEVAL_FILE}"
    docs = read_prompts(prompts_file or download_prompts(), limit)
    _, punkt = _checkers()   # fail before generating for an hour when the checkers cannot load
    out_dir = rd.path / EVAL_DIR
    out_dir.mkdir(exist_ok=True)
    results_file = out_dir / "ifeval.json"
    results = json.loads(results_file.read_text(encoding="utf-8")) if results_file.exists() else {}
    results.update({"benchmark": "ifeval", "headline": HEADLINE, "prompts": source, "limit": limit,
                    "n_prompts": len(docs), "max_new_tokens": max_new_tokens, "punkt": punkt,
                    "scorer": "lm_eval.tasks.ifeval.utils.process_results"})
    results.setdefault("checkpoints", {})
    for name in names:
        loaded = load_for_inference(resolve_checkpoint(rd.path, name), device=device)
        responses: list[str] = []
        started = time.perf_counter()
        for at in range(0, len(docs), batch_size):
            if should_stop is not None and should_stop():
                results["cancelled"] = True
                _write(results_file, results)
                return results
            chunk = docs[at:at + batch_size]
            responses += generate(loaded, [[{"role": "user", "content": d["prompt"]}] for d in chunk],
                                  max_new_tokens=max_new_tokens)
            if progress is not None:
                progress(name, len(responses), len(docs))
        scores = score_responses(docs, responses)
        results["checkpoints"][name] = {**{k: round(v, 6) for k, v in scores.metrics.items()},
                                        "n_prompts": scores.n_prompts, "n_instructions": scores.n_instructions,
                                        "seconds": round(time.perf_counter() - started, 1)}
        with open(out_dir / f"ifeval-{name}.jsonl", "w", encoding="utf-8") as f:
            for row in scores.details:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        results.pop("cancelled", None)
        _write(results_file, results)
        del loaded
    return results


def _write(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
