"""Annotate a corpus as a stream: batches, per-record errors, corpus-level NIL IDs, bounded memory.

    stats = annotate_stream(nlp, records, sink)

`records`: `jsonl.Record`s (what `jsonl.Input` reads) or plain dicts (`{"text": ..., ...}`; with
`link_only`, their `entities` are linked instead of tagged). `sink(obj)` receives one output object per input
record, in input order: the record with `entities` added, or with `error: {line, reason}` when it could not be
annotated — one bad record never fails the others. Two passes, so that NIL reconciliation spans the whole
corpus without holding it in memory:
  1. annotate batch by batch; each result goes to an anonymous scratch file while the NIL keys are counted
     (`link.nil.CorpusNil`);
  2. cluster the NIL keys, then replay the scratch file into `sink`, rewriting NIL IDs and names.
Nothing reaches `sink` before pass 2, so a run stopped early (`strict`, an exception) emits nothing.
"""
from __future__ import annotations

import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .doc import SpanError, check_spans
from .jsonl import Record, record_from_object
from .link.nil import CorpusNil

MAX_BATCH_CHARS = 1_000_000  # a batch closes early past this much text, so a few huge documents bound memory


class StrictStop(Exception):
    """`strict=True` and a record failed: `.line`, `.reason` (and `.source`, the input file when several)."""

    def __init__(self, line: int, reason: str, source: str | None = None):
        super().__init__(f"{source + ' ' if source else ''}line {line}: {reason}")
        self.line, self.reason, self.source = line, reason, source


@dataclass
class Stats:
    records: int = 0
    failed: int = 0
    entities: int = 0
    linked: int = 0
    nil: int = 0
    nil_ids: int = 0
    examples: list = field(default_factory=list)  # first failures: "line N: reason"

    def add(self, other: "Stats") -> "Stats":
        """Pass-1 counts of another part of the corpus (the distributed engine's batches, in input order)."""
        self.records += other.records
        self.failed += other.failed
        self.entities += other.entities
        self.nil += other.nil
        self.examples = (self.examples + other.examples)[:3]
        return self


def as_records(items: Iterable, text_field: str = "text", link_only: bool = False):
    """Records from `jsonl.Record`s or dicts (numbered from 1, as lines would be)."""
    for n, item in enumerate(items, 1):
        if isinstance(item, Record):
            yield item
        elif isinstance(item, dict):
            yield record_from_object(item, n, text_field, link_only)
        else:
            yield Record(n, repr(item)[:200], error=f"expected a JSON object (dict), got {type(item).__name__}")


def batches(records: Iterable[Record], size: int, max_chars: int = MAX_BATCH_CHARS):
    """Records in batches of `size`, or fewer when their texts exceed `max_chars` or the next record comes from
    another input file. Both engines batch with this (the NER output depends on a batch's company, so the
    distributed engine reproduces these batches exactly: entnorm/distributed.py)."""
    batch, chars = [], 0
    for rec in records:
        if batch and rec.source != batch[-1].source:  # a batch never spans two input files
            yield batch
            batch, chars = [], 0
        batch.append(rec)
        chars += len(rec.text or "")
        if len(batch) >= size or chars >= max_chars:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def annotate_batch(nlp, records: list[Record]) -> list:
    """Per record: a Doc, or the reason (str) it could not be annotated. One bad record never fails the others."""
    out: list = [rec.error for rec in records]
    for i, rec in enumerate(records):
        if rec.error is None and rec.spans is not None:
            try:
                check_spans(rec.text, rec.spans)
            except SpanError as e:
                out[i] = f"inconsistent entities: {e}"
    todo = [i for i, r in enumerate(out) if r is None]
    if not todo:
        return out
    try:
        docs = list(nlp.pipe([records[i].item() for i in todo], batch_size=len(todo)))
    except Exception:  # find the culprit(s): annotate this batch one record at a time
        docs = []
        for i in todo:
            try:
                docs.extend(nlp.pipe([records[i].item()], batch_size=1))
            except Exception as e:
                docs.append(f"annotation failed: {type(e).__name__}: {e}")
    for i, doc in zip(todo, docs):
        out[i] = doc
    return out


def observe_batch(records: list[Record], results: list, nil: CorpusNil, stats: Stats,
                  strict: bool = False) -> list[tuple]:
    """Pass 1 for one annotated batch (`annotate_batch`'s results): count the records, failures and NIL
    mentions into `stats` and `nil`, and return per record what pass 2 needs, slimmed: (error output object,
    None) or (Record without its raw line, Doc without its text and knowledge-base records)."""
    out = []
    for rec, result in zip(records, results):
        stats.records += 1
        if isinstance(result, str):
            stats.failed += 1
            if strict:
                raise StrictStop(rec.line, result, rec.source)
            if len(stats.examples) < 3:
                stats.examples.append(f"{rec.where()}: {result}")
            out.append((rec.failed(result), None))
            continue
        stats.nil += nil.observe(result)
        stats.entities += len(result.spans)
        result.text = ""  # the record keeps the text; pass 2 need not hold it twice
        for span in result.spans:
            span.link.entity = None  # nor the knowledge-base records
        out.append((Record(rec.line, "", rec.obj), result))
    return out


def finish_nil(nil: CorpusNil, stats: Stats) -> CorpusNil:
    """Between the passes: cluster the NIL keys observed over the whole corpus, complete `stats`."""
    nil.finish()
    stats.nil -= nil.n_relinked
    stats.nil_ids, stats.linked = nil.n_ids, stats.entities - stats.nil
    return nil


def output_object(item: tuple, nil: CorpusNil) -> dict:
    """Pass 2 for one record: `observe_batch`'s item -> the output object, NIL IDs rewritten corpus-wide."""
    rec, doc = item
    return rec if doc is None else rec.annotated([s.to_dict() for s in nil.rewrite(doc).spans])


def annotate_stream(nlp, records: Iterable, sink: Callable[[dict], None], *, batch_size: int = 64,
                    text_field: str = "text", link_only: bool = False, strict: bool = False,
                    scratch_dir: str | Path | None = None,
                    on_batch: Callable[[Stats], None] | None = None) -> Stats:
    """Annotate `records` into `sink` with corpus-level NIL IDs (see the module docstring). `strict`: raise
    StrictStop at the first failed record, before anything reached `sink`. `scratch_dir`: where the scratch
    file lives (default: the system temp dir; the CLI uses the output's folder). `on_batch(stats)` is
    called after each batch (progress)."""
    stats, nil = Stats(), CorpusNil()
    with tempfile.TemporaryFile(dir=scratch_dir, prefix=".entnorm-") as scratch:
        for batch in batches(as_records(records, text_field, link_only), batch_size):
            for item in observe_batch(batch, annotate_batch(nlp, batch), nil, stats, strict):
                pickle.dump(item, scratch, protocol=pickle.HIGHEST_PROTOCOL)
            if on_batch:
                on_batch(stats)
        finish_nil(nil, stats)
        scratch.seek(0)
        for _ in range(stats.records):
            sink(output_object(pickle.load(scratch), nil))
    return stats
