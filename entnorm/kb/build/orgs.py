"""Names from the Indonesian DBpedia lists: organisations (slug ids), optionally persons, and place names as
evidence that a spelling is used in Indonesian.

Reads (under gazetteer-sources/ialfina-id-dbpedia-names/): `original-dbpedia/place.txt` (load_attested_places),
`original-dbpedia/organization.txt`, `mdee_gazetteer/organization.txt`, and `original-dbpedia/person.txt`
(only with persons=True); data/org_names.yaml. Writes: ORG entities with file `orgs_iddbpedia` and, with
persons, PER entities with file `people_iddbpedia`; ids `org:<slug>` / `per:<slug>`. A name that any record
already carries (generated or curated, any type) is not added again; when it is the name of an organisation of
the wide sources (Party Facts, FB15k, NSI), that record keeps the slug the name had (`refs.slug`), so the old id
still resolves. Places and people of the wide sources (dr5hn, FB15k) take no names away from this list.
"""
from __future__ import annotations

import re

from unidecode import unidecode

from ...names import fold
from . import guards
from .aliases import good_alias, risky
from .context import Build
from .person_names import eyd_variants
from .records import Entity, add_slug, curated_keys
from .sources import read_lines
from .tables import yaml_table
from .text import clean_space, is_latin, slugify

BASE = "ialfina-id-dbpedia-names"
WIDE = guards.WIDE  # sources read after this one was written: they do not take a DBpedia name away, but an
                    # organisation of theirs with the same (multi-word, or Indonesian) name absorbs it
ORG_NAMES = yaml_table("org_names.yaml")
SCHOOL = re.compile(r"^(" + "|".join(ORG_NAMES["school_prefixes"]) + r")\b", re.I)
ORG_KINDS = [(re.compile(k["match"]), k["kind"]) for k in ORG_NAMES["kinds"]]


def org_kind(name: str) -> str:
    n = name.lower()
    return next((kind for pattern, kind in ORG_KINDS if pattern.search(n)), "organization")


def load_attested_places(b: Build) -> None:
    for line in read_lines(b.src / BASE / "original-dbpedia" / "place.txt"):
        n = clean_space(line)
        if n and "?" not in n:
            b.place_attested.add(fold(n))


def add_iddbpedia(b: Build, persons: bool = False) -> None:
    core = [e for e in b.store.by_id.values() if not set(e.sources) <= WIDE]
    person_keys = {k for e in core if e.type == "PER" for k in e.latin_keys()} | curated_keys(b.curated, "PER")
    org_keys = curated_keys(b.curated, "ORG") | {k for e in core if e.type == "ORG" for k in e.latin_keys()}
    loc_keys = {k for e in core if e.type == "LOC" for k in e.latin_keys()}
    wide_orgs = {k: e for e in b.store.by_id.values() if e.type == "ORG" and set(e.sources) <= WIDE
                 for k in e.latin_keys()}
    n_p = _persons(b, person_keys, org_keys | loc_keys) if persons else 0
    n_o = n_q = 0
    for fname in ("original-dbpedia/organization.txt", "mdee_gazetteer/organization.txt"):
        for line in read_lines(b.src / BASE / fname):
            n = clean_space(line)
            if not n or "?" in n or SCHOOL.match(n) or not good_alias(n) or not is_latin(n):
                continue
            if len(n.split()) == 1 and (len(n) < 3 or risky(n, b.news)):
                continue
            k = fold(n)
            if k in org_keys or k in loc_keys or k in person_keys:
                continue
            org_keys.add(k)
            wide = wide_orgs.get(k)
            if wide is not None and (" " in n or wide.country == "ID"):  # the slug this name had, now a QID
                add_slug(wide, f"org:{slugify(n)}")
                n_q += 1
                continue
            _new_entity(b, "org", n, org_kind(n), "orgs_iddbpedia")
            n_o += 1
    b.log(f"id-dbpedia: {n_p} persons, {n_o} organisations added (no IDs: slug ids); {n_q} names are records "
          f"of the wide sources (QIDs), which keep the slug in refs")


def _persons(b: Build, person_keys: set[str], other_keys: set[str]) -> int:
    """Person names (no ids in the source: noisy, so off by default). Adds their keys to `person_keys`."""
    n_p = 0
    for line in read_lines(b.src / BASE / "original-dbpedia" / "person.txt"):
        n = clean_space(line)
        if not n or "?" in n or re.search(r"\d", n) or not good_alias(n) or not is_latin(n):
            continue
        toks = n.split()
        if len(toks) == 1 and (len(n) < 5 or risky(n, b.news)):
            continue
        if len(toks) > 6 or n.isupper() or n.islower():
            continue
        k = fold(n)
        if k in person_keys or k in other_keys:
            continue
        person_keys.add(k)
        e = _new_entity(b, "per", n, "person", "people_iddbpedia")
        f = unidecode(n)
        if f != n:
            e.add(f)
        for v in eyd_variants(n):
            e.add(v)
        n_p += 1
    return n_p


def _new_entity(b: Build, prefix: str, name: str, kind: str, file: str) -> Entity:
    """A new slug-id record for a DBpedia name (prior 0.15: no id, no popularity in the source)."""
    e = b.store.new_slug(prefix, name, prefix.upper(), b.curated_ids)
    e.kind, e.name, e.prior, e.file = kind, name, 0.15, file
    e.add(name)
    e.src("id-dbpedia")
    return e
