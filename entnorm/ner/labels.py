"""The tagger's BIO tag set over the entity types of `entnorm.doc.LABELS`, and the mapping of the corpora's own
tags onto it.

    BIO_LABELS     ("O", "B-PER", "I-PER", "B-LOC", ...): the classes of the network's head, in this order
    map_tag        a corpus tag ("B-PERSON", "I-PLACE", "B-EVT") -> one of BIO_LABELS (unknown types -> "O")
    repair_bio     an I- that continues nothing starts an entity (conlleval's reading)
    spans          BIO tags -> (start_word, end_word_exclusive, type)
"""
from __future__ import annotations

from ..doc import LABELS as ENTITY_TYPES

BIO_LABELS = ("O",) + tuple(f"{p}-{t}" for t in ENTITY_TYPES for p in ("B", "I"))

# Other names the corpora use for each entity type (NERGrit PERSON/PLACE/ORGANISATION, NER UI PPL/PLC/IND, ...).
_ALIASES = {"PER": ("PERSON", "PPL"), "LOC": ("PLACE", "LOCATION", "PLC"),
            "ORG": ("ORGANISATION", "ORGANIZATION", "IND")}
TYPE_MAP = {name: t for t in ENTITY_TYPES for name in (t, *_ALIASES.get(t, ()))}


def map_tag(tag: str) -> str:
    """Corpus tag -> our BIO label; unknown types (NERP's EVT/FNB) become O."""
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, kind = tag.split("-", 1)
    mapped = TYPE_MAP.get(kind)
    return f"{prefix}-{mapped}" if mapped else "O"


def repair_bio(tags: list[str]) -> list[str]:
    """An I- that does not continue an entity of its type starts one (conlleval's reading)."""
    out = []
    for i, tag in enumerate(tags):
        if tag.startswith("I-") and (i == 0 or out[-1] == "O" or out[-1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
    return out


def spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """BIO tags -> (start_word, end_word_exclusive, type)."""
    out, start, kind = [], None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        if start is not None and not (tag.startswith("I-") and tag[2:] == kind):
            out.append((start, i, kind))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, kind = i, tag[2:]
    return out
