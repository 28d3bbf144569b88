"""Reading training data as people keep it: NER (CoNLL/BIO, token JSONL, CLUENER, doccano, Label
Studio), classification (CSV, TSV, Excel, JSONL, THUCNews folders), chat SFT (messages, ShareGPT,
Alpaca, prompt/response), and any of them in Parquet/Arrow/datasets folders; the task detected. Every problem is a DataError that names the file, line and field, and the fix."""
from __future__ import annotations

from core.data.chat import ChatExample, read_chat
from core.data.check import DataReport, check_data, read_examples
from core.data.classify import ClsExample, read_classification
from core.data.detect import Detection, detect
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
    "Detection",
    "NerExample",
    "check_data",
    "detect",
    "detect_format",
    "read_chat",
    "read_classification",
    "read_examples",
    "read_ner",
]
