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
import os
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
SITE_KEYS = (b'"enwiki"', b'"idwiki"')


def init_worker(opts: ScanOptions) -> None:
    global _OPTS
    _OPTS = opts


def _has_article(line: bytes) -> bool:
    """An idwiki or enwiki sitelink? The search starts at the top-level `"sitelinks":` key, found from the end
    (where the dump writes it; a quote inside a JSON string is escaped, so the key cannot be a string's text)."""
    at = max(line.rfind(b'"sitelinks":'), 0)
    return line.find(SITE_KEYS[0], at) >= 0 or line.find(SITE_KEYS[1], at) >= 0


def _quick_skip(line: bytes, all_labelled: bool) -> tuple[bool, str]:
    """(parse for a candidate?, reason to skip when neither a candidate nor class facts are possible)."""
    if b'"P31"' not in line:
        return False, "no P31 claim"
    if all_labelled or _has_article(line):
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


def process_block(task: tuple[int, int, int, bytes]) -> BlockResult:
    source, first_line, position, block = task
    res = BlockResult(source, position)
    opts, loads = _OPTS, _LOADS
    for number, line in enumerate(block.split(b"\n"), first_line):
        line = line.strip()
        if not line or line == b"[" or line == b"]":
            continue
        res.entities += 1
        if line[-1:] == b",":
            line = line[:-1]
        if line[:1] != b"{" or line[-1:] != b"}":
            res.errors.append((number, f"truncated line or not one JSON object per line ({len(line):,} bytes, "
                                       f"ends with {line[-20:].decode('utf-8', 'replace')!r})"))
            continue
        want_candidate, reason = _quick_skip(line, opts.all_labelled)
        want_facts = CLASS_KEYS[0] in line or CLASS_KEYS[1] in line
        if not want_candidate and not want_facts:
            res.counts[reason] += 1
            continue
        try:
            ent = loads(line)
        except ValueError as e:
            res.errors.append((number, f"invalid JSON: {e}"))
            continue
        try:
            kind, qnum = _entity_id(ent)
            if kind != "item":
                res.counts[f"not an item ({kind})"] += 1
                continue
            if want_facts:
                class_facts(ent, qnum, res.edges, res.isos)
            if not want_candidate:
                res.counts[reason] += 1
                continue
            cand, reason = candidate(ent, qnum, opts.langs, opts.all_labelled)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as e:
            eid = ent.get("id") if isinstance(ent, dict) else None
            res.errors.append((number, f"{eid or 'entity'}: unexpected structure ({type(e).__name__}: {e})"))
            continue
        if cand is None:
            res.counts[reason] += 1
        else:
            res.candidates.append((qnum, marshal.dumps(cand)))
    return res
