"""People as gazetteer entities: names cleaned into aliases, kind and country from the main office, prior and
Indonesian description; then bare-surname aliases for the best-known of them.

Reads: the people collected by people.py, data/person_names.yaml. Writes: PER entities with file
`people_officials`, `people_legislators` or `people_other` (no office in the data), and adds surname aliases.
"""
from __future__ import annotations

import collections
import re

from unidecode import unidecode

from ...names import fold
from .aliases import good_alias, risky
from .context import Build
from .offices import describe, main_role_order, role_prior
from .people import People
from .person_names import WORDS, clean_person_name, eyd_variants, translit_cyrillic
from .records import Entity
from .text import is_latin, scripts_of

REGNAL = re.compile(r"\b(" + "|".join(WORDS["regnal_styles"]) + r")\b")
SURNAME_FIRST = frozenset(WORDS["surname_first_countries"])
NOT_SURNAMES = frozenset(WORDS["not_surnames"])
SURNAME_KINDS = {"head_of_state", "head_of_government", "minister", "intl_official"}


def add_people(b: Build, people: People) -> None:
    dropped = 0
    for qid, p in people.items():
        roles_sorted = sorted(p.roles, key=main_role_order)
        main = roles_sorted[0] if roles_sorted else None
        iso = (main.iso if main and main.iso else "") or next((r.iso for r in roles_sorted if r.iso), "") or p.country
        names = [n for raw in p.names for n in clean_person_name(raw, iso)]
        names = [n for n in names if good_alias(n)]
        if not any(scripts_of(n) & {"LATIN"} for n in names):
            cyr = [n for n in names if scripts_of(n) == {"CYRILLIC"}]
            if not cyr:
                dropped += 1
                continue
            names = [translit_cyrillic(cyr[0], iso)] + names
        e = b.store.get(qid, "PER")
        if e.type != "PER":
            b.notes.append(f"person {qid} collides with a {e.type} record, skipped")
            continue
        for s in sorted(p.sources):
            e.src(s)
        e.kind = main.kind if main else "person"
        e.country = iso
        latin = [n for n in names if is_latin(n)] or [unidecode(n) for n in names if is_latin(unidecode(n))]
        if not latin:
            del b.store.by_id[qid]
            dropped += 1
            continue
        e.name = latin[0]
        for n in names:
            _add_name(e, n, iso)
        e.prior = round(max(0.05, min(1.0, role_prior(main, p.roles))), 3)
        e.description = describe(roles_sorted, b.countries)
        e.file = ("people_other" if not main else
                  "people_legislators" if e.kind == "legislator" else "people_officials")
    b.log(f"people: {len(people)} QIDs seen, {dropped} without a Latin/Cyrillic name dropped")


def _add_name(e: Entity, n: str, iso: str) -> None:
    """A name and its variants: ASCII, Korean spacing (Kim Jong-un -> Kim Jong Un, Kim Jongun), EYD, romanised."""
    e.add(n)
    if is_latin(n):
        f = unidecode(n)
        if f != n:
            e.add(f)
        if iso in ("KR", "KP") and "-" in n:
            e.add(re.sub(r"-(\w)", lambda m: " " + m.group(1).upper(), n))
            e.add(n.replace("-", ""))
        if iso == "ID":
            for v in eyd_variants(n):
                e.add(v)
    elif scripts_of(n) == {"CYRILLIC"}:
        e.add(translit_cyrillic(n, iso))


def add_surnames(b: Build) -> None:
    """Bare surnames ('Putin', 'Lavrov') for leaders, foreign/defence ministers and international officials
    (prior >= 0.6), when at least 5 letters long, unambiguous, and never written in lower case in the corpus."""
    owners = collections.defaultdict(set)
    all_last = collections.Counter()
    all_first = collections.Counter()
    for e in b.store.by_id.values():
        if e.type != "PER":
            continue
        toks = e.name.split()
        if len(toks) < 2:
            continue
        all_last[fold(toks[-1])] += 1
        all_first[fold(toks[0])] += 1
        if REGNAL.search(e.name):
            continue  # "Grand Duke Henri": the last word is a given name
        if e.kind in SURNAME_KINDS and e.country not in SURNAME_FIRST and e.prior >= 0.6:
            owners[toks[-1]].add(e.id)
    other_keys = b.store.latin_keys("LOC", "ORG")
    n = 0
    for last, ids in owners.items():
        if len(ids) != 1 or len(last) < 5 or "-" in last[:1] or not last[:1].isupper():
            continue
        k = fold(last)
        if k in other_keys or risky(last, b.news) or all_last[k] > 2 or \
                b.news.lower.get(last.lower(), 0) > 0 or all_first[k] > 1 or k in b.place_attested:
            continue
        if last.lower() in NOT_SURNAMES:
            continue
        b.store.by_id[next(iter(ids))].add(last)
        n += 1
    b.log(f"people: {n} surname aliases added")
