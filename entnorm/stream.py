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
    """`strict=True` and a record failed: `.line`, `.reason`."""

    def __init__(self, line: int, reason: str):
        super().__init__(f"line {line}: {reason}")
        self.line, self.reason = line, reason


@dataclass
class Stats:
    records: int = 0
    failed: int = 0
    entities: int = 0
    linked: int = 0
    nil: int = 0
    nil_ids: int = 0
    examples: list = field(default_factory=list)  # first failures: "line N: reason"


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
    """Records in batches of `size`, or fewer when their texts exceed `max_chars`."""
    batch, chars = [], 0
    for rec in records:
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
            for rec, result in zip(batch, annotate_batch(nlp, batch)):
                stats.records += 1
                if isinstance(result, str):
                    stats.failed += 1
                    if strict:
                        raise StrictStop(rec.line, result)
                    if len(stats.examples) < 3:
                        stats.examples.append(f"line {rec.line}: {result}")
                    pickle.dump((rec.failed(result), None), scratch, protocol=pickle.HIGHEST_PROTOCOL)
                    continue
                stats.nil += nil.observe(result)
                stats.entities += len(result.spans)
                result.text = ""  # the record keeps the text; the scratch file need not hold it twice
                for span in result.spans:
                    span.link.entity = None  # nor the knowledge-base records
                pickle.dump((Record(rec.line, "", rec.obj), result), scratch, protocol=pickle.HIGHEST_PROTOCOL)
            if on_batch:
                on_batch(stats)
        nil.finish()
        stats.nil -= nil.n_relinked
        stats.nil_ids, stats.linked = nil.n_ids, stats.entities - stats.nil
        scratch.seek(0)
        for _ in range(stats.records):
            rec, doc = pickle.load(scratch)
            sink(rec if doc is None else rec.annotated([s.to_dict() for s in nil.rewrite(doc).spans]))
    return stats
