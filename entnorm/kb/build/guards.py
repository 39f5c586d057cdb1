"""Checks on the names a wide, low-prior source (dr5hn, FB15k, NSI, Party Facts) brings in.

Reads nothing; `qualify_shadowing_names` renames records in the store. A one-word name that is also a word of a person's name (Paul, Mason, Victoria) is no
safe alias for a new place or organisation: the linker lets a lone exact name decide the type when no person
carries it, so a first name tagged PER would link to a bakery brand or a village. Such names are left out of
new records of these sources (a record whose display name is one is not made); a club's short name is the
exception (Chelsea, Roma: what sports news writes, docs/gazetteer.md).
"""
from __future__ import annotations

from ...names import fold
from .context import Build

WIDE = frozenset({"dr5hn", "fb15k", "nsi", "partyfacts"})


def person_words(b: Build) -> set[str]:
    """Folded words (3+ letters) of the names of every person in the build and the curated files."""
    names = [a for e in b.store.by_id.values() if e.type == "PER" for a in [e.name, *e.aliases.values()]]
    names += [str(a) for r in b.curated if r.get("type") == "PER" for a in [r["name"], *(r.get("aliases") or [])]]
    return {w for n in names for w in fold(n).split() if len(w) >= 3}


def lone_person_word(name: str, words: set[str]) -> bool:
    """A one-word name that is a word of some person's name."""
    k = fold(name)
    return " " not in k and k in words


def qualify_shadowing_names(b: Build) -> int:
    """A new record of the wide sources whose display name is a short name (an alias, not the name) of a better
    known record of its type gets the country (else its description's head) added to its display name, as
    rigour writes "Georgia (USA)": Mozambique's province Gaza becomes "Gaza (Mozambik)". The linker prefers a
    record named exactly like the mention over one that only has it as an alias, so a province named "Gaza"
    would take "Gaza" from the curated Jalur Gaza; with the qualifier both have "Gaza" as an alias and the
    prior decides. Returns how many records were renamed."""
    best = {}  # (type, folded alias that is not the display name) -> highest prior of a record carrying it
    records = [(r["type"], str(r["name"]), [str(a) for a in r.get("aliases") or []], float(r.get("prior", 0.5)))
               for r in b.curated]
    records += [(e.type, e.name, list(e.aliases.values()), e.prior) for e in b.store.by_id.values()
                if e.id not in b.curated_ids]
    for etype, name, aliases, prior in records:
        for a in aliases:
            key = (etype, fold(a))
            if key[1] != fold(name) and prior > best.get(key, -1.0):
                best[key] = prior
    n = 0
    for e in b.store.by_id.values():
        if e.sources and set(e.sources) <= WIDE and best.get((e.type, fold(e.name)), -1.0) >= e.prior:
            qualifier = b.countries.id_name.get(e.country) or e.description.split(" (")[0]
            if qualifier:
                e.add(e.name)
                e.name = f"{e.name} ({qualifier})"
                n += 1
    return n
