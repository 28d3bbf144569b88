"""Columnar data: .parquet and .arrow files and Hugging Face `datasets` folders (save_to_disk).

Read with pyarrow, batch by batch, so a large table never sits in memory whole. Each row becomes a
dict, the same records the JSON readers yield, so the task readers map columns the same way.
`datasets` keeps class names (ClassLabel) in the schema's "huggingface" metadata; integer labels
are turned back into those names here, because the task readers work with names (B-PER, "positive").
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.data.errors import DataError, ReadContext

_BATCH = 1000
_FIX_FOLDER = ("choose the folder written by Dataset.save_to_disk (it holds state.json and "
               "data-*.arrow files), or export the data as JSONL.")


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.ipc  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise DataError("reading Parquet or Arrow files needs the pyarrow package",
                        fix="install it with: pip install pyarrow") from exc
    return pyarrow


def _class_names(feature: Any) -> list[str] | None:
    """ClassLabel names of a feature, or of the items of a Sequence/List feature."""
    if isinstance(feature, list) and len(feature) == 1:
        return _class_names(feature[0])
    if not isinstance(feature, dict):
        return None
    kind = feature.get("_type")
    if kind == "ClassLabel":
        names = feature.get("names")
        return [str(n) for n in names] if isinstance(names, list) else None
    if kind in ("Sequence", "List", "LargeList"):
        return _class_names(feature.get("feature"))
    return None


def class_names(schema: Any) -> dict[str, list[str]]:
    """{column: names} for the ClassLabel columns that `datasets` recorded in the schema."""
    meta = (schema.metadata or {}).get(b"huggingface")
    if not meta:
        return {}
    try:
        features = json.loads(meta).get("info", {}).get("features", {})
    except (ValueError, AttributeError):
        return {}
    out = {}
    for column, feature in (features.items() if isinstance(features, dict) else []):
        names = _class_names(feature)
        if names:
            out[column] = names
    return out


def _named(value: Any, names: list[str]) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return names[value] if 0 <= value < len(names) else value
    if isinstance(value, list):
        return [_named(v, names) for v in value]
    return value


def _arrow_batches(path: Path) -> tuple[Any, Iterator[Any], int | None]:
    pa = _pyarrow()
    source = pa.memory_map(str(path), "r")
    try:
        reader = pa.ipc.open_stream(source)        # what datasets writes
        return reader.schema, iter(reader), None
    except pa.ArrowInvalid:
        source.seek(0)
        file_reader = pa.ipc.open_file(source)     # the Arrow file ("Feather v2") format
        batches = (file_reader.get_batch(i) for i in range(file_reader.num_record_batches))
        return file_reader.schema, batches, None


def _parquet_batches(path: Path) -> tuple[Any, Iterator[Any], int | None]:
    pq = _pyarrow().parquet
    parquet = pq.ParquetFile(str(path))
    return parquet.schema_arrow, parquet.iter_batches(batch_size=_BATCH), parquet.metadata.num_rows


def dataset_files(ctx: ReadContext) -> list[Path]:
    """The .arrow files of a save_to_disk folder; for a DatasetDict, those of its train split."""
    folder = ctx.path
    splits_file = folder / "dataset_dict.json"
    if splits_file.is_file():
        try:
            splits = json.loads(splits_file.read_text(encoding="utf-8")).get("splits", [])
        except (ValueError, OSError, AttributeError) as exc:
            raise ctx.error("dataset_dict.json cannot be read", fix=_FIX_FOLDER) from exc
        if not splits:
            raise ctx.error("the dataset has no splits", fix=_FIX_FOLDER)
        split = "train" if "train" in splits else splits[0]
        others = [s for s in splits if s != split]
        ctx.note(f"read the '{split}' split" + (f" (also there: {', '.join(others)}; give one of "
                                                 f"them as the evaluation data: {folder / others[0]})"
                                                 if others else ""))
        folder = folder / split
    try:
        state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
        files = [folder / item["filename"] for item in state["_data_files"]]
    except (ValueError, OSError, KeyError, TypeError) as exc:
        raise ctx.error(f"{folder / 'state.json'} cannot be read", fix=_FIX_FOLDER) from exc
    missing = [f for f in files if not f.is_file()]
    if missing:
        raise ctx.error(f"the dataset folder lacks {missing[0].name}", fix=_FIX_FOLDER)
    return files


def _records(ctx: ReadContext, batch: Any, row: int) -> list[dict[str, Any]]:
    try:
        return batch.to_pylist()
    except (OverflowError, ValueError) as exc:   # valid Arrow, but no Python value: a year past 9999
        raise ctx.error(f"a value in rows {row + 1}-{row + batch.num_rows} has no Python equivalent ({exc})",
                        line=row + 1, fix="dates and times must lie within the years 1-9999: correct them, "
                                          "or export those columns as text.") from exc


def iter_table_records(ctx: ReadContext, fmt: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(1-based row, row as a dict) for every row of a Parquet/Arrow file or datasets folder."""
    pa = _pyarrow()
    ctx.unit = "row"
    files = dataset_files(ctx) if fmt == "hf" else [ctx.path]
    row = 0
    for path in files:
        try:
            schema, batches, total = (_parquet_batches if fmt == "parquet" else _arrow_batches)(path)
        except (pa.ArrowException, OSError) as exc:
            kind = "Parquet" if fmt == "parquet" else "Arrow"
            raise ctx.error(f"not a readable {kind} file ({exc})",
                            fix=f"check that the file is complete, or export it again as {kind}."
                            ) from exc
        names = class_names(schema)
        if names:
            ctx.note("class names taken from the dataset's features: " + ", ".join(names))
        try:
            for batch in batches:
                # A damaged file can hold offsets past its buffers, which to_pylist would follow
                # (SystemError, bad UTF-8, or worse); the full check turns that into ArrowInvalid.
                batch.validate(full=True)
                for record in _records(ctx, batch, row):
                    row += 1
                    for column, labels in names.items():
                        if column in record:
                            record[column] = _named(record[column], labels)
                    yield row, record
                if total:
                    ctx.size = total
                    ctx.advance(row)
        except (pa.ArrowException, OSError) as exc:     # pyarrow raises OSError for damaged messages
            where = f"after row {row}" if row else "from its first row"
            raise ctx.error(f"the table is damaged {where} ({exc})",
                            fix="export the data again.") from exc
