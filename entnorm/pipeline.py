"""The whole pipeline in one place:

    text -> sentences/words (text.py) -> NER spans (ner/tagger.py) + gazetteer names NER missed (spotter.py)
         -> candidates (linker.py, gazetteer.py)
         -> document decision + context links (linker.py) -> canonical IDs, NIL IDs (nil.py) -> Doc

`load()` builds it from the shipped model and gazetteer; `nlp(text)` annotates one text, `nlp.pipe(...)`
streams many (texts, or records with `text` and optionally given `entities` to link only).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from .gazetteer import load_gazetteer
from .linker import Linker, Mention, Policy
from .nil import nil_id
from .spotter import spot
from .text import extend_hyphenated

LABELS = ("PER", "LOC", "ORG")


class SpanError(ValueError):
    """Given spans that do not fit the text."""


@dataclass
class EntityMention:
    start: int
    end: int
    text: str
    label: str
    id: str
    name: str
    score: float
    method: str
    matched: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Doc:
    text: str
    entities: list[EntityMention] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"text": self.text, "entities": [e.to_dict() for e in self.entities]}


def check_spans(text: str, spans: Iterable) -> list[Mention]:
    """Given spans (dicts with start, end, label) -> mentions; raises SpanError naming the bad span."""
    mentions = []
    for n, span in enumerate(spans):
        if not isinstance(span, dict):
            raise SpanError(f"entity {n}: expected an object with start, end, label, got {type(span).__name__}")
        start, end, label = span.get("start"), span.get("end"), span.get("label")
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
            raise SpanError(f"entity {n}: start and end must be integers, got {start!r}, {end!r}")
        if not 0 <= start < end <= len(text):
            raise SpanError(f"entity {n}: span [{start}, {end}) is outside the text (length {len(text)})")
        if label not in LABELS:
            raise SpanError(f"entity {n}: label {label!r} is not one of {', '.join(LABELS)}")
        mentions.append(Mention(start, end, text[start:end], label))
    mentions.sort(key=lambda m: (m.start, m.end))
    for a, b in zip(mentions, mentions[1:]):
        if b.start < a.end:
            raise SpanError(f"entities [{a.start}, {a.end}) and [{b.start}, {b.end}) overlap")
    return mentions


class Pipeline:
    def __init__(self, linker: Linker, tagger=None, batch_size: int = 64):
        self.linker = linker
        self.tagger = tagger
        self.batch_size = batch_size

    def __call__(self, text: str, entities: list | None = None) -> Doc:
        return next(self.pipe([{"text": text, "entities": entities} if entities is not None else text]))

    def pipe(self, items: Iterable, batch_size: int | None = None) -> Iterator[Doc]:
        """Annotate texts (str) or records ({"text": ..., "entities": [...] to link given spans only})."""
        items = iter(items)
        while batch := list(islice(items, batch_size or self.batch_size)):
            yield from self._batch(batch)

    def _batch(self, batch: list) -> list[Doc]:
        texts = [b if isinstance(b, str) else b["text"] for b in batch]
        given = [None if isinstance(b, str) else b.get("entities") for b in batch]
        to_tag = [i for i, g in enumerate(given) if g is None]
        if to_tag and self.tagger is None:
            raise ValueError("this pipeline has no NER model: pass entities to link, or load(ner=True)")
        tagged = dict(zip(to_tag, self.tagger.tag([texts[i] for i in to_tag]))) if to_tag else {}
        docs = []
        for i, text in enumerate(texts):
            if given[i] is not None:
                mentions = check_spans(text, given[i])
            else:
                found = sorted(tagged[i], key=lambda s: s.start)
                spans = []
                for n, s in enumerate(found):
                    end = extend_hyphenated(text, s.start, s.end)
                    nxt = found[n + 1].start if n + 1 < len(found) else len(text)
                    spans.append((s.start, end if end <= nxt else s.end, s.label))
                spans += spot(text, [(s, e) for s, e, _ in spans], self.linker.index)
                mentions = [Mention(s, e, text[s:e], label) for s, e, label in sorted(spans)]
            docs.append(self.link(text, mentions, relabel=given[i] is None))
        return docs

    def link(self, text: str, mentions: list[Mention], relabel: bool = False) -> Doc:
        """`relabel`: a mention linked by our own NER takes its entity's type (the gazetteer knows Moskow is a
        place even when the tagger slips); given spans keep the caller's labels."""
        out = []
        for m, link in zip(mentions, self.linker.link_document(mentions)):
            ent_id, name = (link.id, link.name) if not link.is_nil else (nil_id(link.nil_key, link.name), link.name)
            label = link.entity.type if relabel and link.entity else m.label
            out.append(EntityMention(m.start, m.end, m.text, label, ent_id, name, link.score, link.method,
                                     link.matched))
        return Doc(text, out)


def load(gazetteer: list[str | Path] | None = None, model: str | Path | None = None, ner: bool = True,
         precision: str = "auto", batch_size: int = 64, policy: Policy = Policy()) -> Pipeline:
    """The shipped pipeline. `gazetteer`: YAML files/directories (default: the project's gazetteer/);
    `model`: NER artifact directory; `ner=False` for link-only use; `precision`: auto | bf16 | fp32."""
    linker = Linker(load_gazetteer([Path(p) for p in gazetteer] if gazetteer else None), policy)
    tagger = None
    if ner:
        from .ner.tagger import DEFAULT_MODEL, NerTagger

        tagger = NerTagger(Path(model) if model else DEFAULT_MODEL, precision=precision)
    return Pipeline(linker, tagger, batch_size)
