"""Reading training data: NER (CoNLL/BIO, JSONL), classification (CSV, TSV, JSONL) and chat SFT
(JSON, JSONL). Every problem is a DataError that names the file, line and field, and the fix."""
from __future__ import annotations

from core.data.chat import ChatExample, read_chat
from core.data.check import DataReport, check_data, read_examples
from core.data.classify import ClsExample, read_classification
from core.data.errors import DataError
from core.data.formats import detect_format
from core.data.ner import NerExample, read_ner
from core.data.text import MAX_LINE_BYTES

__all__ = [
    "MAX_LINE_BYTES",
    "ChatExample",
    "ClsExample",
    "DataError",
    "DataReport",
    "NerExample",
    "check_data",
    "detect_format",
    "read_chat",
    "read_classification",
    "read_examples",
    "read_ner",
]
