"""Opening a data file as text: existence, encoding (UTF-8, UTF-8 with BOM, GBK, UTF-16 with a BOM)
and line iteration.

Chinese Windows tools (Notepad before 2019, Excel's plain "CSV") save GBK, so a file that is not
UTF-8 gets a second chance as GBK. Excel's "Unicode text" export and Notepad's "Unicode" save
UTF-16 with a byte-order mark; the BOM makes that unambiguous, so it is read too. Lines are read as bytes with a length cap so a multi-gigabyte
file without newlines cannot become one giant string.
"""
from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass

from core.data.errors import DataError, ReadContext

MAX_LINE_BYTES = 10 * 1024 * 1024    # one example per line; anything longer is a broken file
_CHUNK = 1 << 20
_SNIFF_BYTES = 64 * 1024
# A UTF-8 prefix with this many non-ASCII characters before a bad byte is UTF-8 that got damaged
# (or two files glued together), not GBK that happened to look like UTF-8 for a few bytes.
_UTF8_EVIDENCE = 16

ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "gbk": "GBK",
                  "utf-16": "UTF-16 (Unicode)"}
_RESAVE = "open it in a text editor and save it again with the encoding UTF-8."


def encoding_name(encoding: str) -> str:
    return ENCODING_NAMES.get(encoding, encoding)


def check_file(ctx: ReadContext) -> int:
    """Raise a DataError unless the path is a readable, non-empty file; return its size."""
    try:
        if not ctx.path.exists():
            raise ctx.error("file not found", fix="check the path, or choose the file again.")
        if ctx.path.is_dir():
            raise ctx.error("this is a folder, not a file", fix="choose the data file inside it.")
        size = ctx.path.stat().st_size
    except OSError as exc:
        raise ctx.error(f"cannot read the file ({exc.strerror or exc})",
                        fix="check that the file exists and you may read it.") from exc
    if size == 0:
        raise ctx.error("file is empty", fix="choose the file that holds the training data.")
    return size


@dataclass
class _Scan:
    ok: bool
    line: int = 0            # 1-based line of the first bad byte
    nul: bool = False
    non_ascii: int = 0       # non-ASCII characters decoded before the bad byte (capped)


def _scan(ctx: ReadContext, codec: str, start: int) -> _Scan:
    """Decode the whole file in chunks without keeping it; report where decoding first fails."""
    decoder = codecs.getincrementaldecoder(codec)()
    wide = codec == "utf-16"           # NUL bytes are normal there, and newlines are 2 bytes
    newlines = 0
    non_ascii = 0
    with open(ctx.path, "rb") as f:
        f.seek(start)
        while True:
            chunk = f.read(_CHUNK)
            nul = -1 if wide else chunk.find(b"\x00")
            if nul >= 0:
                return _Scan(False, newlines + chunk.count(b"\n", 0, nul) + 1, nul=True)
            pending = decoder.getstate()[0]
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                # exc.start indexes pending + chunk; pending never holds a newline.
                good = (pending + chunk)[: exc.start]
                if non_ascii < _UTF8_EVIDENCE:
                    decoded = good.decode(codec, "ignore")
                    non_ascii += len(decoded) - len(decoded.encode("ascii", "ignore"))
                bad_at = max(exc.start - len(pending), 0)
                if wide:
                    return _Scan(False, newlines + good.decode(codec, "ignore").count("\n") + 1)
                return _Scan(False, newlines + chunk.count(b"\n", 0, bad_at) + 1,
                             non_ascii=non_ascii)
            if not chunk:
                return _Scan(True)
            newlines += text.count("\n") if wide else chunk.count(b"\n")
            if non_ascii < _UTF8_EVIDENCE:
                non_ascii += len(text) - len(text.encode("ascii", "ignore"))


def _not_text(ctx: ReadContext, line: int | None, why: str) -> DataError:
    return ctx.error(f"the file is not text in UTF-8 or GBK ({why})", line=line, fix=_RESAVE)


def detect_encoding(ctx: ReadContext) -> str:
    """Return "utf-8", "utf-8-sig", "gbk" or "utf-16"; raise a DataError for anything else."""
    with open(ctx.path, "rb") as f:
        head = f.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Notepad's "Unicode" and Excel's "Unicode text": the BOM says which byte order.
        wide = _scan(ctx, "utf-16", 0)
        if not wide.ok:
            raise ctx.error("invalid UTF-16 text here (the file starts as UTF-16 but is damaged)",
                            line=wide.line, fix=_RESAVE)
        return "utf-16"
    bom = head.startswith(codecs.BOM_UTF8)
    utf8 = _scan(ctx, "utf-8", 3 if bom else 0)
    if utf8.ok:
        return "utf-8-sig" if bom else "utf-8"
    if utf8.nul:
        raise _not_text(ctx, utf8.line, "it contains NUL bytes, as binary files and UTF-16 do")
    if bom or utf8.non_ascii >= _UTF8_EVIDENCE:
        raise ctx.error("invalid UTF-8 bytes here, though the lines before are UTF-8 (the file "
                        "is damaged or mixes encodings)", line=utf8.line,
                        fix="fix or delete this line, then save the file as UTF-8.")
    if _scan(ctx, "gbk", 0).ok:
        return "gbk"
    raise _not_text(ctx, utf8.line, "undecodable bytes")


def open_text(ctx: ReadContext) -> None:
    """Check the file and settle its encoding; file-level problems raise even in lenient mode."""
    ctx.size = check_file(ctx)
    try:
        ctx.encoding = detect_encoding(ctx)
    except OSError as exc:
        raise ctx.error(f"cannot read the file ({exc.strerror or exc})") from exc
    if ctx.encoding != "utf-8":
        ctx.note(f"read as {encoding_name(ctx.encoding)}")


def sniff_head(ctx: ReadContext) -> str:
    """The first 64 KB, decoded loosely: enough to tell JSON from CSV from CoNLL."""
    with open(ctx.path, "rb") as f:
        head = f.read(_SNIFF_BYTES)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head[: len(head) // 2 * 2].decode("utf-16", "replace")
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    text = head.decode("utf-8", "replace")
    if "\ufffd" in text:
        text = head.decode("gbk", "replace")
    return text


def _codec_and_start(ctx: ReadContext) -> tuple[str, int]:
    return ("utf-8", 3) if ctx.encoding == "utf-8-sig" else (ctx.encoding or "utf-8", 0)


def iter_lines(ctx: ReadContext, *, keepends: bool = False) -> Iterator[tuple[int, str]]:
    """Yield (1-based line number, text). A line over MAX_LINE_BYTES is reported and skipped."""
    for number, text in iter_marked_lines(ctx, keepends=keepends):
        if text is not None:
            yield number, text


def iter_marked_lines(ctx: ReadContext, *, keepends: bool = False
                      ) -> Iterator[tuple[int, str | None]]:
    """Like iter_lines, but a refused line comes as (number, None), for formats where one
    example spans lines and must be dropped whole."""
    codec, start = _codec_and_start(ctx)
    if codec == "utf-16":
        yield from _iter_wide_lines(ctx, keepends)
        return
    limit = MAX_LINE_BYTES
    done = start
    # Blocks no longer than the limit: then only a line that began in an earlier block can
    # outgrow it, and that is the one line checked below.
    block = max(1, min(_CHUNK, limit))
    number = 0
    # Read in blocks and decode many lines at once (a NER file has millions of short lines);
    # "\n" never occurs inside a UTF-8 or GBK character, so cutting at it is safe.
    with open(ctx.path, "rb") as f:
        f.seek(start)
        pending = b""          # the start of a line whose end is not read yet
        skipping = False       # inside a refused line: drop bytes up to its newline
        while True:
            chunk = f.read(block)
            if not chunk:
                break
            done += len(chunk)
            ctx.advance(done)
            if skipping:
                newline = chunk.find(b"\n")
                if newline < 0:
                    continue
                chunk, skipping = chunk[newline + 1:], False
            data = pending + chunk
            cut = data.rfind(b"\n") + 1
            first_end = data.find(b"\n")
            if first_end > limit:
                number += 1
                _refuse(ctx, number, limit)
                yield number, None
                data = data[first_end + 1:]
                cut -= first_end + 1
            pending = data[cut:]
            if cut:
                text = _decode(ctx, data[:cut], codec, number + 1)
                lines = text.split("\n")
                lines.pop()            # the empty string after the last newline
                for line in lines:
                    number += 1
                    yield number, (line + "\n" if keepends else line.rstrip("\r"))
            if len(pending) > limit:   # already too long, wherever it ends
                number += 1
                _refuse(ctx, number, limit)
                yield number, None
                pending, skipping = b"", True
        if pending:            # the last line, without a newline
            number += 1
            last = _decode(ctx, pending, codec, number)
            yield number, last if keepends else last.rstrip("\r")


def _iter_wide_lines(ctx: ReadContext, keepends: bool) -> Iterator[tuple[int, str | None]]:
    """iter_marked_lines for UTF-16, where a newline is two bytes: cut the decoded text instead."""
    decoder = codecs.getincrementaldecoder("utf-16")()
    limit = MAX_LINE_BYTES // 2          # characters; each is at least two bytes
    number, done = 0, 0
    pending, skipping = "", False
    with open(ctx.path, "rb") as f:
        while True:
            chunk = f.read(_CHUNK)
            done += len(chunk)
            ctx.advance(done)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                raise ctx.error("cannot decode the text as UTF-16", line=number + 1,
                                fix=_RESAVE) from exc
            if skipping:
                newline = text.find("\n")
                if newline < 0:
                    text = ""
                else:
                    text, skipping = text[newline + 1:], False
            lines = (pending + text).split("\n")
            pending = lines.pop()
            for line in lines:
                number += 1
                if len(line) > limit:
                    _refuse(ctx, number, MAX_LINE_BYTES)
                    yield number, None
                    continue
                yield number, (line + "\n" if keepends else line.rstrip("\r"))
            if len(pending) > limit:
                number += 1
                _refuse(ctx, number, MAX_LINE_BYTES)
                yield number, None
                pending, skipping = "", True
            if not chunk:
                break
    if pending:
        number += 1
        yield number, pending if keepends else pending.rstrip("\r")


def _refuse(ctx: ReadContext, number: int, limit: int) -> None:
    ctx.problem(f"line is longer than {limit / 1024 / 1024:g} MB, the limit for one line",
                line=number, fix="split it into shorter examples or delete it; one example per "
                                 "line must stay under the limit.")


def _decode(ctx: ReadContext, raw: bytes, codec: str, line: int) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        # Only if the file changed after its encoding was checked.
        raise ctx.error(f"cannot decode the text as {encoding_name(ctx.encoding)}", line=line,
                        fix=_RESAVE) from exc


def read_text(ctx: ReadContext) -> str:
    """The whole file as one string (for JSON documents, which cannot be read line by line)."""
    codec, start = _codec_and_start(ctx)
    with open(ctx.path, "rb") as f:
        f.seek(start)
        return _decode(ctx, f.read(), codec, 1)
