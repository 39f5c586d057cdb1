"""Readers for the raw source files under `$ENTNORM_DATA/gazetteer-sources` (CSV, gzipped TSV, JSON lines, JSON, the
cp1252 name lists of the Indonesian DBpedia) and the exonym seed that two modules join on. Writes nothing.
"""
from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

csv.field_size_limit(10_000_000)  # GeoNames alternate-name cells are long

EXONYM_SEED = Path("indonesian-exonyms-seed") / "exonyms_seed.csv"


def read_csv(path: Path, encoding: str = "utf-8", delimiter: str = ",") -> list[dict]:
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def read_tsv_gz(path: Path) -> list[dict]:
    """Rows of a gzipped tab-separated file with a header row (dr5hn world cities, NSI)."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def read_json(path: Path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def read_lines(path: Path):
    """The lines of a DBpedia name list (Windows-1252; undecodable bytes become U+FFFD)."""
    with open(path, encoding="cp1252", errors="replace") as fh:
        yield from fh


def exonyms(src: Path, kind: str) -> list[dict]:
    """Rows of the Indonesian exonym seed of one kind (`country`: keyed by `code`, `city`: keyed by `qid`)."""
    return [r for r in read_csv(src / EXONYM_SEED) if r["kind"] == kind]
