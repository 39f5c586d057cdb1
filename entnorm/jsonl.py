"""JSONL in and out (the edges of `annotate_stream` and `entnorm annotate`): every non-blank input line becomes exactly one output line.

Reads bytes (plain or gzip, sniffed from the magic bytes; `-` is stdin) and decodes each line on its own, so one
bad line never hides the others. A line is turned into a `Record`; a record that cannot be annotated carries
`error` (the reason), and `Record.failed()` gives its output object: the input object — or `{"_raw": line}` when
the line is not a JSON object — plus `"error": {"line": N, "reason": "..."}` (N is the 1-based physical line).

Decisions (see docs/annotate.md):
  * blank lines (empty or whitespace only) are skipped and counted (`Input.blank`), so records in = records out
    for the non-blank lines;
  * a UTF-8 BOM at the start of a line is dropped (the first line of files written by Windows tools, or any line
    of concatenated files), as is the line ending (LF or CRLF);
  * raw control characters inside JSON strings are accepted (json `strict=False`); they reach the text as is;
  * invalid UTF-8 -> error record whose `_raw` keeps the bad bytes as `\\xNN` escapes;
  * an empty or whitespace-only text is an error (nothing to annotate), as is a missing or non-string text field;
  * with `link_only`, `entities` must be a list (the spans themselves are checked by `doc.check_spans`).

`AtomicOutput` writes the result to a temp file next to the target and renames it into place only when the run
completes, so an interrupted or `--strict`-stopped run leaves no output at all (gzip when the name ends `.gz`).
"""
from __future__ import annotations

import gzip
import io
import json
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

BOM = "\ufeff"
GZIP_MAGIC = b"\x1f\x8b"
_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number",
               bool: "a boolean", type(None): "null"}


def json_type(value) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


@dataclass
class Record:
    """One non-blank input line."""
    line: int                 # 1-based physical line number in the input
    raw: str                  # the line as text (bad UTF-8 as \xNN escapes), without its line ending
    obj: dict | None = None   # the JSON object, None when the line is not one
    text: str | None = None   # the text to annotate (None when the record failed to parse)
    spans: list | None = None  # given entities (link-only mode)
    error: str | None = None  # why this record cannot be annotated

    def item(self) -> str | dict:
        """What `Pipeline.pipe` takes for this record."""
        return self.text if self.spans is None else {"text": self.text, "entities": self.spans}

    def annotated(self, entities: list[dict]) -> dict:
        """The input object, every field kept, with `entities` set to the linked entities."""
        return {**self.obj, "entities": entities}

    def failed(self, reason: str | None = None) -> dict:
        """The input object (or `{"_raw": line}`) plus `error: {line, reason}`; `error` is a reserved field."""
        base = dict(self.obj) if self.obj is not None else {"_raw": self.raw}
        base["error"] = {"line": self.line, "reason": reason or self.error or "unknown error"}
        return base


def parse_line(data: bytes, number: int, text_field: str = "text", link_only: bool = False) -> Record | None:
    """One input line (bytes, with or without its line ending) -> Record, or None for a blank line."""
    data = data.rstrip(b"\r\n")
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raw = data.decode("utf-8", "backslashreplace").removeprefix(BOM)
        if not raw.strip():
            return None
        return Record(number, raw, error=f"invalid UTF-8: byte {data[e.start]:#04x} at byte offset {e.start}")
    raw = raw.removeprefix(BOM)
    if not raw.strip():
        return None
    rec = Record(number, raw)
    try:
        obj = json.loads(raw, strict=False)
    except json.JSONDecodeError as e:
        rec.error = f"invalid JSON: {e.msg} at column {e.colno}"
        return rec
    except RecursionError:
        rec.error = "invalid JSON: nested too deeply"
        return rec
    if not isinstance(obj, dict):
        rec.error = f"not a JSON object (got {json_type(obj)})"
        return rec
    return record_from_object(obj, number, text_field, link_only, raw)


def record_from_object(obj: dict, number: int, text_field: str = "text", link_only: bool = False,
                       raw: str = "") -> Record:
    """A parsed JSON object (or a library user's dict) -> Record, with `error` set when it cannot be annotated."""
    rec = Record(number, raw, obj)
    if text_field not in obj:
        rec.error = f"missing text field {text_field!r}"
    elif not isinstance(obj[text_field], str):
        rec.error = f"text field {text_field!r} is {json_type(obj[text_field])}, not a string"
    elif not obj[text_field].strip():
        rec.error = f"empty text in field {text_field!r}"
    elif link_only and "entities" not in obj:
        rec.error = "no 'entities' field with spans to link (--link-only)"
    elif link_only and not isinstance(obj["entities"], list):
        rec.error = f"'entities' is {json_type(obj['entities'])}, not a list of {{start, end, label}} objects"
    else:
        rec.text = obj[text_field]
        rec.spans = obj["entities"] if link_only else None
    return rec


def encode(obj: dict) -> bytes:
    """One output line (UTF-8 JSON + newline). Text holding lone surrogates is written with \\u escapes."""
    try:
        return json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        return json.dumps(obj, ensure_ascii=True).encode("ascii") + b"\n"


class Input:
    """A JSONL source: a path, or `-` for stdin. Iterate for Records; `blank` counts skipped blank lines;
    `size` (bytes on disk, None for pipes) and `position()` (bytes consumed so far) drive the progress ETA."""

    def __init__(self, path: str | Path, text_field: str = "text", link_only: bool = False):
        self.name = str(path)
        self.text_field, self.link_only = text_field, link_only
        self._owned = self.name != "-"
        self._raw: BinaryIO = open(path, "rb") if self._owned else sys.stdin.buffer
        if not hasattr(self._raw, "peek"):
            self._raw = io.BufferedReader(self._raw)
        self.size = self._size()
        self._stream: BinaryIO = self._raw
        if self._raw.peek(2)[:2] == GZIP_MAGIC:
            self._stream = gzip.GzipFile(fileobj=self._raw, mode="rb")
        self.blank = 0
        self.lines = 0

    def _size(self) -> int | None:
        try:
            st = os.fstat(self._raw.fileno())
        except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
            return None
        return st.st_size if stat.S_ISREG(st.st_mode) else None

    def position(self) -> int | None:
        try:
            return self._raw.tell()
        except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
            return None

    def __iter__(self) -> Iterator[Record]:
        for data in self._stream:
            self.lines += 1
            rec = parse_line(data, self.lines, self.text_field, self.link_only)
            if rec is None:
                self.blank += 1
            else:
                yield rec

    def close(self) -> None:
        if self._stream is not self._raw:
            self._stream.close()
        if self._owned:
            self._raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class AtomicOutput:
    """`with AtomicOutput(path) as out: out.write(line_bytes)` — the file appears (renamed into place) only if
    the block completes; on an exception the temp file is removed. `-` writes straight to stdout."""

    def __init__(self, path: str | Path):
        self.name = str(path)
        self._tmp: Path | None = None

    def __enter__(self):
        if self.name == "-":
            self._fh = sys.stdout.buffer
            self._out = self._fh
            return self
        target = Path(self.name)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        self._tmp = Path(tmp)
        self._fh = os.fdopen(fd, "wb")
        self._out = (gzip.GzipFile(filename=target.name.removesuffix(".gz"), mode="wb", fileobj=self._fh, mtime=0)
                     if target.name.endswith(".gz") else self._fh)
        return self

    def write(self, line: bytes) -> None:
        self._out.write(line)

    def __exit__(self, exc_type, exc, tb):
        if self._tmp is None:
            self._fh.flush()
            return False
        try:
            if exc_type is None:
                if self._out is not self._fh:
                    self._out.close()
                self._fh.flush()
                os.fsync(self._fh.fileno())
                self._fh.close()
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(self._tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual mode
                os.replace(self._tmp, self.name)
        finally:
            if not self._fh.closed:
                self._fh.close()
            if self._tmp.exists():
                self._tmp.unlink()
        return False
