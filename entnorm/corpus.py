"""Corpus-level NIL reconciliation on top of per-document results.

The pipeline gives each NIL entity an ID built from its own document (`nil:<label>:<key>`); `nil.NilClusterer`
merges close variants across documents ("Yoon Suk Yeol" in one article, "Yoon Seok-yul" in another). This module
applies it to annotated documents in two steps, so a stream never has to be held in memory:

    nil = CorpusNil()
    for doc in docs: nil.observe(doc.entities)       # pass 1 (entities: EntityMention objects or dicts)
    nil.finish()
    for doc in docs: nil.rewrite(doc.entities)       # pass 2: final NIL ids and display names, in place

`reconcile(docs)` does both for documents already in memory (notebooks, small corpora).
The NIL key is recomputed from the mention's label and name exactly as `linker.nil_link` builds `Link.nil_key`.
"""
from __future__ import annotations

from .names import name_keys
from .nil import NilClusterer


def _get(entity, field: str):
    return entity[field] if isinstance(entity, dict) else getattr(entity, field)


def _set(entity, field: str, value) -> None:
    if isinstance(entity, dict):
        entity[field] = value
    else:
        setattr(entity, field, value)


def is_nil(entity) -> bool:
    return _get(entity, "id").startswith("nil:")


def nil_key(entity) -> str:
    return f"{_get(entity, 'label')}:{name_keys(_get(entity, 'name')).key}"


class CorpusNil:
    def __init__(self, min_similarity: float = 0.9):
        self.clusterer = NilClusterer(min_similarity)
        self.assignment: dict[str, tuple[str, str]] | None = None

    def observe(self, entities) -> int:
        """Count one document's NIL mentions; returns how many there were."""
        n = 0
        for e in entities:
            if is_nil(e):
                self.clusterer.add(nil_key(e), _get(e, "name"))
                n += 1
        return n

    def finish(self) -> dict[str, tuple[str, str]]:
        self.assignment = self.clusterer.assign()
        return self.assignment

    @property
    def n_ids(self) -> int:
        """Distinct NIL entities after clustering."""
        return len({ent_id for ent_id, _ in (self.assignment or {}).values()})

    def rewrite(self, entities):
        """Give one document's NIL entities their corpus-level id and name (in place; returns `entities`)."""
        if self.assignment is None:
            raise RuntimeError("call finish() after observing every document, before rewrite()")
        for e in entities:
            if is_nil(e):
                ent_id, name = self.assignment[nil_key(e)]
                _set(e, "id", ent_id)
                _set(e, "name", name)
        return entities


def reconcile(docs: list, min_similarity: float = 0.9) -> list:
    """Corpus-level NIL ids for a list of `Doc`s held in memory (modified in place and returned)."""
    nil = CorpusNil(min_similarity)
    for doc in docs:
        nil.observe(doc.entities)
    nil.finish()
    for doc in docs:
        nil.rewrite(doc.entities)
    return docs
