"""Reading a Wikidata JSON dump (`latest-all.json.gz`, `.bz2` or uncompressed) as blocks of whole lines.

The dump is one JSON array with one entity per line: `[` on the first line, `]` on the last, every entity line
but the last ending in `,`. The format is sniffed from the magic bytes, not the name. Compressed streams are
decompressed here with `zlib` / `bz2` (multi-member gzip and multi-stream bz2 included, as pigz and lbzip2 write
them); `isal` (python-isal, ISA-L's igzip) is used for gzip when importable and ENTNORM_GZIP is not `zlib`.

A `DumpReader` yields `(first line number, compressed bytes read so far, block)` where a block holds whole lines
(only the very last block of a damaged file may end in a partial line). After the blocks it tells whether the
file was complete: `problem` names a compressed stream that stops before its end marker, corrupt compressed data
(reading stops there), or a dump that does not end with `]`.
"""
from __future__ import annotations

import bz2
import os
import zlib
from pathlib import Path
from typing import Iterator

GZIP_MAGIC, BZ2_MAGIC = b"\x1f\x8b", b"BZh"
RAW_READ = 1 << 18  # compressed bytes per read


def gzip_module():
    """The zlib-compatible module used for gzip: isal's igzip (2-3x faster inflate) when installed."""
    if os.environ.get("ENTNORM_GZIP", "auto") != "zlib":
        try:
            from isal import isal_zlib

            return isal_zlib
        except ImportError:
            pass
    return zlib


def sniff(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(3)
    return "gzip" if head[:2] == GZIP_MAGIC else "bz2" if head == BZ2_MAGIC else "plain"


class _Plain:
    eof, unused_data = True, b""

    def decompress(self, data: bytes) -> bytes:
        return data


def _decoder(fmt: str):
    if fmt == "gzip":
        return gzip_module().decompressobj(31)  # 16 + MAX_WBITS: gzip header and trailer
    return bz2.BZ2Decompressor() if fmt == "bz2" else _Plain()


class DumpReader:
    def __init__(self, path: str | Path, chunk_bytes: int = 4 << 20):
        self.path = Path(path)
        self.size = self.path.stat().st_size
        self.format = sniff(self.path)
        self.chunk_bytes = chunk_bytes
        self.position = 0          # compressed bytes read
        self.lines = 0             # lines seen (the last one may be partial)
        self.problem = ""          # why the file is incomplete; "" when it is whole

    def _decompressed(self, raw) -> Iterator[bytes]:
        fmt, dec = self.format, _decoder(self.format)
        errors = (zlib.error, OSError, EOFError, ValueError)
        while data := raw.read(RAW_READ):
            self.position += len(data)
            while data:
                if dec is None:  # between gzip members / bz2 streams
                    if not data.strip(b"\0"):
                        break  # zero padding after the last member
                    dec = _decoder(fmt)
                try:
                    out = dec.decompress(data)
                except errors as e:
                    self.problem = f"corrupt {fmt} data near compressed byte {self.position:,}: {e}"
                    return
                if out:
                    yield out
                if fmt == "plain" or not dec.eof:
                    break
                data, dec = dec.unused_data, None
        if fmt != "plain" and dec is not None and not dec.eof:
            self.problem = (f"truncated {fmt} file: the compressed stream stops before its end marker "
                            f"(after {self.size:,} bytes)")

    def blocks(self) -> Iterator[tuple[int, int, bytes]]:
        """(number of the block's first line, compressed bytes read, block of whole lines)."""
        pieces, pending, line, tail = [], 0, 1, b""
        with open(self.path, "rb", buffering=0) as raw:
            for out in self._decompressed(raw):
                pieces.append(out)
                pending += len(out)
                if pending < self.chunk_bytes:
                    continue
                joined = b"".join(pieces)
                cut = joined.rfind(b"\n") + 1
                if not cut:
                    pieces, pending = [joined], len(joined)
                    continue
                block = joined[:cut]
                pieces, pending = [joined[cut:]], len(joined) - cut
                yield line, self.position, block
                tail = block[-64:]
                line += block.count(b"\n")
        rest = b"".join(pieces)
        if rest:
            yield line, self.position, rest
            tail = (tail + rest)[-64:]
            line += rest.count(b"\n") + (not rest.endswith(b"\n"))
        self.lines = line - 1
        if not self.problem and not tail.rstrip().endswith(b"]"):
            self.problem = "incomplete dump: it does not end with ']' (truncated or cut file?)"
