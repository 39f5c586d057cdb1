"""Checks on the names a wide, low-prior source (dr5hn cities, FB15k, NSI) brings in: the names it must not add.

Reads and writes nothing. A one-word name that is also a word of a person's name (Paul, Mason, Victoria) is no
safe alias for a new place or organisation: the linker lets a lone exact name decide the type when no person
carries it, so a first name tagged PER would link to a bakery brand or a village. Such names are left out of
new records of these sources (a record whose display name is one is not made); a club's short name is the
exception (Chelsea, Roma: what sports news writes, docs/gazetteer.md).
"""
from __future__ import annotations

from ...names import fold
from .context import Build


def person_words(b: Build) -> set[str]:
    """Folded words (3+ letters) of the names of every person in the build and the curated files."""
    names = [a for e in b.store.by_id.values() if e.type == "PER" for a in [e.name, *e.aliases.values()]]
    names += [str(a) for r in b.curated if r.get("type") == "PER" for a in [r["name"], *(r.get("aliases") or [])]]
    return {w for n in names for w in fold(n).split() if len(w) >= 3}


def lone_person_word(name: str, words: set[str]) -> bool:
    """A one-word name that is a word of some person's name."""
    k = fold(name)
    return " " not in k and k in words
