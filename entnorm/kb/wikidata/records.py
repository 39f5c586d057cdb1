"""Records on disk: the candidates' scratch file (`Spill`), the output file (`write_records`, `iter_records`)."""
from __future__ import annotations

import gzip
import json
import marshal
import mmap
import os
from array import array
from pathlib import Path

RECORDS = "records.jsonl.gz"


def sort_key(rec_id: str) -> tuple:
    """QIDs in numeric order, then any other ids (YAML slugs) in text order."""
    return (0, int(rec_id[1:]), "") if rec_id[:1] == "Q" and rec_id[1:].isdigit() else (1, 0, rec_id)


class Spill:
    """Candidates in a scratch file; QIDs, offsets and lengths in int arrays."""

    def __init__(self, path: Path):
        self.path, self.fh = path, open(path, "wb")
        self.qids, self.offsets, self.size = array("q"), array("q"), 0

    def add(self, qnum: int, blob: bytes) -> None:
        self.qids.append(qnum)
        self.offsets.append(self.size)
        self.fh.write(blob)
        self.size += len(blob)

    def sorted(self):
        """(QID number, candidate) in QID order; for a repeated QID the first one read comes first."""
        import numpy as np

        self.fh.close()
        if not self.qids:
            return
        ends = np.append(np.frombuffer(self.offsets, dtype=np.int64)[1:], self.size)
        with open(self.path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            for i in np.argsort(np.frombuffer(self.qids, dtype=np.int64), kind="stable").tolist():
                yield self.qids[i], marshal.loads(mm[self.offsets[i]:int(ends[i])])

    def close(self) -> None:
        self.fh.close()
        self.path.unlink(missing_ok=True)


def write_records(path: Path, records) -> None:
    """Atomically: a scratch file renamed into place. gzip header without name or time: same records, same bytes."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as gz:
        for rec in records:
            gz.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
    os.replace(tmp, path)


def iter_records(directory: str | Path):
    """The record dicts of a built knowledge base (DIR/records.jsonl.gz), in QID order."""
    with gzip.open(Path(directory) / RECORDS, "rb") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)
