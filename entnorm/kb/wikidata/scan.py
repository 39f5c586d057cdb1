"""The worker side of the import: one block of dump lines -> a `BlockResult`.

Lines are tested with cheap byte searches before any JSON parsing, and the tests are exact, not heuristics: keys
are written literally in the dump, so a line without `"P31"` has no P31 claim, and one without `"enwiki"` and
`"idwiki"` has neither sitelink. Only lines that may hold a candidate, a P279 edge or a P297 code are parsed. A line
that is not `{...}` (truncated) or not valid JSON, or an entity whose statements have an unexpected shape, is
malformed: its line number and reason are reported and the run goes on.
"""
from __future__ import annotations

import json
import marshal
import mmap
import os
import signal
from array import array
from collections import Counter
from dataclasses import dataclass, field

from .entity import DEFAULT_LANGS, candidate, class_facts


def json_loads():
    """orjson.loads when installed (the `entnorm[kb]` extra) and ENTNORM_JSON is not `json`, else json.loads."""
    if os.environ.get("ENTNORM_JSON", "auto") != "json":
        try:
            import orjson

            return orjson.loads, "orjson"
        except ImportError:
            pass
    return json.loads, "json"


@dataclass(frozen=True)
class ScanOptions:
    langs: tuple[str, ...] = DEFAULT_LANGS
    all_labelled: bool = False


@dataclass
class BlockResult:
    source: int                 # index of the dump file
    position: int               # compressed bytes read when the block was cut
    entities: int = 0           # entity lines (not `[`, `]` or blank)
    counts: Counter = field(default_factory=Counter)  # skip reasons
    errors: list = field(default_factory=list)        # (line, reason) of malformed lines
    edges: array = field(default_factory=lambda: array("q"))  # P279 child, parent pairs, flat
    isos: list = field(default_factory=list)          # (QID number, ISO alpha-2) from P297
    candidates: list = field(default_factory=list)    # (QID number, marshalled candidate)


_OPTS = ScanOptions()
_LOADS, JSON_LIB = json_loads()
CLASS_KEYS = (b'"P279"', b'"P297"')
MAP_FLAGS = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)  # populate: one fault-in, not one per page
WHITESPACE, BRACKETS, COMMA, OPEN, CLOSE = frozenset(b" \t\r"), frozenset(b"[]"), ord(","), ord("{"), ord("}")
SITE_KEYS = (b'"enwiki"', b'"idwiki"')


def init_worker(opts: ScanOptions, in_pool: bool = False) -> None:
    global _OPTS
    _OPTS = opts
    if in_pool:  # Ctrl-C goes to the whole process group: the main process stops the pool, workers stay quiet
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _has_article(buf, start: int, end: int) -> bool:
    """An idwiki or enwiki sitelink? The search starts at the top-level `"sitelinks":` key, found from the end
    (where the dump writes it; a quote inside a JSON string is escaped, so the key cannot be a string's text)."""
    at = max(buf.rfind(b'"sitelinks":', start, end), start)
    return buf.find(SITE_KEYS[0], at, end) >= 0 or buf.find(SITE_KEYS[1], at, end) >= 0


def _quick_skip(buf, start: int, end: int, all_labelled: bool) -> tuple[bool, str]:
    """(parse for a candidate?, reason to skip when neither a candidate nor class facts are possible)."""
    if buf.find(b'"P31"', start, end) < 0:
        return False, "no P31 claim"
    if all_labelled or _has_article(buf, start, end):
        return True, ""
    return False, "no idwiki/enwiki article"


def _entity_id(ent) -> tuple[str, int]:
    """(entity type, QID number for items) or raise ValueError."""
    if not isinstance(ent, dict) or not isinstance(ent.get("id"), str):
        raise ValueError("not an entity: a JSON object with an 'id' was expected")
    kind, eid = ent.get("type"), ent["id"]
    if kind != "item":
        return str(kind), 0
    if not (eid[:1] == "Q" and eid[1:].isdigit()):
        raise ValueError(f"item id {eid!r} is not a QID")
    return kind, int(eid[1:])


def process_block(task: tuple[int, int, int, bytes | str]) -> BlockResult:
    """A block given as bytes, or as the path of a scratch file holding it (parallel runs: the reader writes each
    block once to a file, the worker maps it; cheaper than pickling it through a pipe). Lines are searched in
    place (`find` with start and end); only the lines worth parsing are copied out."""
    source, first_line, position, block = task
    if not isinstance(block, str):
        return _scan(BlockResult(source, position), first_line, block, len(block))
    with open(block, "rb") as fh:
        os.unlink(block)
        size = os.fstat(fh.fileno()).st_size
        if not size:
            return BlockResult(source, position)
        with mmap.mmap(fh.fileno(), 0, flags=MAP_FLAGS, prot=mmap.PROT_READ) as mm:
            return _scan(BlockResult(source, position), first_line, mm, size)


def _scan(res: BlockResult, number: int, buf, size: int) -> BlockResult:
    start = 0
    while start < size:
        end = buf.find(b"\n", start)
        end = size if end < 0 else end
        a, b = start, end
        while a < b and buf[a] in WHITESPACE:
            a += 1
        while b > a and buf[b - 1] in WHITESPACE:
            b -= 1
        if b > a and not (b - a == 1 and buf[a] in BRACKETS):
            _line(res, number, buf, a, b)
        start, number = end + 1, number + 1
    return res


def _line(res: BlockResult, number: int, buf, start: int, end: int) -> None:
    """The line buf[start:end]: stripped, not blank, not a bracket."""
    opts = _OPTS
    res.entities += 1
    if buf[end - 1] == COMMA:
        end -= 1
    if end <= start or buf[start] != OPEN or buf[end - 1] != CLOSE:
        tail = bytes(buf[max(start, end - 20):end]).decode("utf-8", "replace")
        res.errors.append((number, f"truncated line or not one JSON object per line ({end - start:,} bytes, "
                                   f"ends with {tail!r})"))
        return
    want_candidate, reason = _quick_skip(buf, start, end, opts.all_labelled)
    want_facts = buf.find(CLASS_KEYS[0], start, end) >= 0 or buf.find(CLASS_KEYS[1], start, end) >= 0
    if not want_candidate and not want_facts:
        res.counts[reason] += 1
        return
    try:
        ent = _LOADS(buf[start:end])
    except ValueError as e:
        res.errors.append((number, f"invalid JSON: {e}"))
        return
    try:
        kind, qnum = _entity_id(ent)
        if kind != "item":
            res.counts[f"not an item ({kind})"] += 1
            return
        if want_facts:
            class_facts(ent, qnum, res.edges, res.isos)
        if not want_candidate:
            res.counts[reason] += 1
            return
        cand, reason = candidate(ent, qnum, opts.langs, opts.all_labelled)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as e:
        eid = ent.get("id") if isinstance(ent, dict) else None
        res.errors.append((number, f"{eid or 'entity'}: unexpected structure ({type(e).__name__}: {e})"))
        return
    if cand is None:
        res.counts[reason] += 1
    else:
        res.candidates.append((qnum, marshal.dumps(cand)))
