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
    source: str | None = None  # the input file, when a run reads several (it then names it in errors)

    def item(self) -> str | dict:
        """What `Pipeline.pipe` takes for this record."""
        return self.text if self.spans is None else {"text": self.text, "entities": self.spans}

    def annotated(self, entities: list[dict]) -> dict:
        """The input object, every field kept, with `entities` set to the linked entities."""
        return {**self.obj, "entities": entities}

    def failed(self, reason: str | None = None) -> dict:
        """The input object (or `{"_raw": line}`) plus `error: {line, reason}`; `error` is a reserved field."""
        base = dict(self.obj) if self.obj is not None else {"_raw": self.raw}
        where = {"file": self.source} if self.source is not None else {}
        base["error"] = {**where, "line": self.line, "reason": reason or self.error or "unknown error"}
        return base

    def where(self) -> str:
        return f"{self.source + ' ' if self.source is not None else ''}line {self.line}"


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

    def __init__(self, path: str | Path, text_field: str = "text", link_only: bool = False,
                 source: str | None = None):
        self.name = str(path)
        self.source = source  # set on every record (errors name the file): when a run reads several
        self.text_field, self.link_only = text_field, link_only
        self._owned = self.name != "-"
        self._raw: BinaryIO = open(path, "rb") if self._owned else sys.stdin.buffer
        if not hasattr(self._raw, "peek"):
            self._raw = io.BufferedReader(self._raw)
        self.size = self._size()
        self._stream: BinaryIO = self._raw
        if self._raw.peek(2)[:2] == GZIP_MAGIC:
            self._stream = gzip.GzipFile(fileobj=self._raw, mode="rb")
        self.compressed = self._stream is not self._raw
        self.blank = 0
        self.lines = 0
        self.span = (0, 0)  # the current line's [start, end) offsets in the (decompressed) stream

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

    def numbered(self) -> Iterator[tuple[int, int, bytes]]:
        """(line number, offset of the line in the (decompressed) stream, the line's bytes) per physical line."""
        offset = 0
        for data in self._stream:
            self.lines += 1
            self.span = (offset, offset + len(data))
            yield self.lines, offset, data
            offset += len(data)

    def __iter__(self) -> Iterator[Record]:
        for number, _, data in self.numbered():
            rec = parse_line(data, number, self.text_field, self.link_only)
            if rec is None:
                self.blank += 1
            else:
                rec.source = self.source
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


INPUT_SUFFIXES = (".jsonl", ".jsonl.gz")


def expand_inputs(inputs: list[str]) -> list[str]:
    """INPUT arguments -> input files, in order: a file as is (`-` = stdin, alone), a directory's `*.jsonl` and
    `*.jsonl.gz` files (sorted by name), a glob's matches (sorted). Raises FileNotFoundError for an argument
    that names nothing, ValueError for `-` among others."""
    import glob

    files = []
    for arg in inputs:
        path = Path(arg)
        if arg == "-" or path.is_file():
            files.append(arg)
        elif path.is_dir():
            found = sorted(str(f) for f in path.iterdir() if f.is_file() and f.name.endswith(INPUT_SUFFIXES))
            if not found:
                raise FileNotFoundError(f"{arg}: a directory without .jsonl or .jsonl.gz files")
            files += found
        elif glob.has_magic(arg) and (found := sorted(f for f in glob.glob(arg) if Path(f).is_file())):
            files += found
        else:
            raise FileNotFoundError(f"{arg}: no such file, directory or matching files")
    if "-" in files and len(files) > 1:
        raise ValueError("'-' (stdin) cannot be combined with other inputs")
    return files


class Inputs:
    """Several JSONL files read as one stream of Records (each names its file when there are several): what
    `Input` is for one file, with `blank`, `lines`, `size` and `position()` summed over the files."""

    def __init__(self, paths: list[str], text_field: str = "text", link_only: bool = False):
        self.paths, self.text_field, self.link_only = list(paths), text_field, link_only
        self.name = self.paths[0] if len(self.paths) == 1 else f"{len(self.paths)} files"
        self.several = len(self.paths) > 1
        self._done: list[Input] = []
        self.current = Input(self.paths[0], text_field, link_only, self.paths[0] if self.several else None)
        sizes = [self.current.size] + [os.path.getsize(p) for p in self.paths[1:]]
        self.size = None if None in sizes else sum(sizes)
        self._before = 0  # bytes of the files already read

    @property
    def blank(self) -> int:
        return sum(i.blank for i in self._done) + self.current.blank

    @property
    def lines(self) -> int:
        return self.current.lines

    def position(self) -> int | None:
        pos = self.current.position()
        return None if pos is None else self._before + pos

    def __iter__(self) -> Iterator[Record]:
        for n, path in enumerate(self.paths):
            if n:
                self._before += self.current.size or 0
                self.current.close()
                self._done.append(self.current)
                self.name = path
                self.current = Input(path, self.text_field, self.link_only, path)
            else:
                self.name = path if self.several else self.name
            yield from self.current

    def close(self) -> None:
        self.current.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def output_is_directory(name: str) -> bool:
    """OUTPUT names a directory of part files when it ends in `/` or is an existing directory."""
    return name != "-" and (name.endswith(("/", os.sep)) or Path(name).is_dir())


def open_output(name: str, part_records: int = 100_000, manifest: dict | None = None):
    """`AtomicOutput` for a file (or `-`), `AtomicDirectory` for a directory (`output_is_directory`)."""
    return AtomicDirectory(name, part_records, manifest) if output_is_directory(name) else AtomicOutput(name)


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


class AtomicDirectory:
    """`with AtomicDirectory(dir) as out: out.write(line_bytes)`: part files `part-00000.jsonl`, ... of
    `part_records` lines each, and `manifest.json` (parts in order with their line counts, bytes and sha256,
    plus `manifest`'s fields), written into a temp directory next to the target and renamed into place only
    when the block completes — so a directory with a manifest is always complete. The target must not exist
    or be an empty directory."""

    def __init__(self, path: str | Path, part_records: int = 100_000, manifest: dict | None = None):
        self.name = str(path)
        self.target = Path(self.name.rstrip("/" + os.sep) or self.name)
        self.part_records, self.manifest = part_records, dict(manifest or {})
        self.parts: list[dict] = []
        self._check()

    def _check(self) -> None:
        if self.target.exists() and (not self.target.is_dir() or any(self.target.iterdir())):
            raise FileExistsError(f"{self.target} exists and is not an empty directory")

    def __enter__(self):
        self._check()
        self._tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=".part", dir=self.target.parent))
        self._fh, self._n = None, 0
        return self

    def _close_part(self) -> None:
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            self.parts[-1].update(records=self._n, sha256=self._hash.hexdigest(),
                                  bytes=(self._tmp / self.parts[-1]["name"]).stat().st_size)
            self._fh = None

    def write(self, line: bytes) -> None:
        import hashlib

        if self._fh is None or self._n >= self.part_records:
            self._close_part()
            self.parts.append({"name": f"part-{len(self.parts):05d}.jsonl"})
            self._fh, self._n, self._hash = open(self._tmp / self.parts[-1]["name"], "wb"), 0, hashlib.sha256()
        self._fh.write(line)
        self._hash.update(line)
        self._n += 1

    def __exit__(self, exc_type, exc, tb):
        import shutil

        try:
            if exc_type is None:
                self._close_part()
                manifest = {**self.manifest, "records": sum(p["records"] for p in self.parts), "parts": self.parts}
                (self._tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(self._tmp, 0o777 & ~umask)  # mkdtemp makes 0700; give the usual mode
                if self.target.is_dir():
                    self.target.rmdir()  # empty (checked on entry)
                os.replace(self._tmp, self.target)
        finally:
            if self._fh is not None:
                self._fh.close()
            if self._tmp.exists():
                shutil.rmtree(self._tmp)
        return False
