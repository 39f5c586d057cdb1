"""The one data model: a `Doc` owns its text; each `Span` in it carries everything entnorm knows about one
mention, from the tagger to the JSON line.

    Span(start, end, label, ner_score)        written by the tagger (ner_score None for given spans)
    span.link = Link(id, name, score, ...)    written by the linker (a NIL link carries its `nil_key`)
    span.to_dict()                            the output object (JSON only at the edges: cli / jsonl)

The entity types live here and nowhere else.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

LABELS = ("PER", "LOC", "ORG")  # the entity types, for NER labels, gazetteer records and output alike


class SpanError(ValueError):
    """Given spans that do not fit the text."""


@dataclass
class Link:
    """The decision for one mention. `entity` is the knowledge-base record while linking (None for NIL; not
    serialised). A NIL link's `nil_key` ("LABEL:phonetic key" of its fullest form, see link/nil.py) is what
    corpus-level clustering groups on."""
    id: str
    name: str
    score: float
    method: str            # exact | alias | key | fuzzy | context | nil
    matched: str = ""      # the alias, key or fuller mention the decision rests on
    entity: object | None = None
    nil_key: str = ""

    @property
    def is_nil(self) -> bool:
        return bool(self.nil_key)


@dataclass
class Span:
    start: int
    end: int
    label: str
    text: str = ""
    ner_score: float | None = None  # mean probability of the tagger's labels over the span's words
    link: Link | None = None

    # the link's fields, read through the span (what users print)
    id = property(lambda self: self.link.id if self.link else "")
    name = property(lambda self: self.link.name if self.link else "")
    score = property(lambda self: self.link.score if self.link else 0.0)
    method = property(lambda self: self.link.method if self.link else "")
    matched = property(lambda self: self.link.matched if self.link else "")

    def to_dict(self) -> dict:
        out = {"start": self.start, "end": self.end, "text": self.text, "label": self.label}
        if self.link:
            out.update(id=self.link.id, name=self.link.name, score=self.link.score, method=self.link.method,
                       matched=self.link.matched)
        if self.ner_score is not None:
            out["ner_score"] = round(self.ner_score, 4)
        return out


@dataclass
class Doc:
    text: str
    spans: list[Span] = field(default_factory=list)

    @property
    def entities(self) -> list[Span]:
        return self.spans

    def to_dict(self) -> dict:
        return {"text": self.text, "entities": [s.to_dict() for s in self.spans]}


def check_spans(text: str, given: Iterable) -> list[Span]:
    """Given spans (dicts with start, end, label) -> sorted `Span`s; raises SpanError naming the bad one."""
    spans = []
    for n, span in enumerate(given):
        if not isinstance(span, dict):
            raise SpanError(f"entity {n}: expected an object with start, end, label, got {type(span).__name__}")
        start, end, label = span.get("start"), span.get("end"), span.get("label")
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
            raise SpanError(f"entity {n}: start and end must be integers, got {start!r}, {end!r}")
        if not 0 <= start < end <= len(text):
            raise SpanError(f"entity {n}: span [{start}, {end}) is outside the text (length {len(text)})")
        if label not in LABELS:
            raise SpanError(f"entity {n}: label {label!r} is not one of {', '.join(LABELS)}")
        spans.append(Span(start, end, label, text[start:end]))
    spans.sort(key=lambda s: (s.start, s.end))
    for a, b in zip(spans, spans[1:]):
        if b.start < a.end:
            raise SpanError(f"entities [{a.start}, {a.end}) and [{b.start}, {b.end}) overlap")
    return spans
