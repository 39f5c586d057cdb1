"""Popular people, organisations and places of FB15k (clubs, athletes, artists, companies, universities) with QIDs.

Reads (under gazetteer-sources/fb15k-wikidata-entities/, MIT repo; Wikidata labels, aliases and descriptions of
2019): `fb15k_entity2wikidata.tsv`; `mledoze-countries/countries.json` (demonyms, for the country of a
description); data/fb15k_types.yaml. Writes: new entities with file `popular`; the label and aliases of a row
are added to a record of another source with the same QID and type.

Typing: from the head of the English description (data/fb15k_types.yaml: "American actor" -> PER, "association
football club" -> ORG, "county seat of ..." -> LOC); films, awards, genres, languages, ethnic groups, events and
anything unknown are dropped, as are labels in lower case (classes: "comedian", "university") and rows whose
QID another record holds with another type. Names: the label and the aliases that no other row has ("The Reds"
is Liverpool, Barnsley and Nottingham Forest): for people multi-word ones sharing a word with the label (the
linker finds lone surnames itself; "Captain Marvel" is no name of Michael Jordan), for organisations multi-word
ones and acronyms, for places no codes and no "Moscow, USSR" qualified forms; and for
football clubs the forms news writes: "A.S. Roma" -> "AS Roma", "Roma"; "Manchester City F.C." -> "Manchester
City FC", "Manchester City"; "1. FC Köln" -> "FC Köln", "Köln" (a short name that is a city's name too is kept:
the linker uses the mention's type). New records skip names that are ordinary words or lone words of a
person's name (guards.py), and places whose name another place has already.

Prior by kind (merged records keep theirs): sports club, company 0.4; media, party, organisation, state body
0.35; band 0.3; university 0.25; politician 0.3; other people 0.25; region, territory, island 0.3; city 0.25;
country 0.4 (every sovereign country is a rigour record already: what is new is historic, Kingdom of England). Below the curated and Indonesian records, above the small places of dr5hn and NSI's local brands.
"""
from __future__ import annotations

import collections
import re

from ...names import fold
from .aliases import good_alias, risky
from .context import Build
from .guards import lone_person_word, person_words
from .records import Entity
from .sources import read_csv, read_json
from .tables import yaml_table
from .text import clean_space, is_latin

FILE = "fb15k-wikidata-entities/fb15k_entity2wikidata.tsv"
TYPES = yaml_table("fb15k_types.yaml")
LABEL_KINDS = [(re.compile(p["match"]), p["kind"]) for p in TYPES["label_patterns"]]
CUT = re.compile(r"\s(?:by|in|of|from|based|for|that|who|which|with|at|on|since|during|located|founded|"
                 r"created|owned|between|near|whose|to|formed|produced|directed|written|known|operated|held|"
                 r"originating|headquartered|consisting|characterized|primarily|awarded|presented|given|used|"
                 r"caused|annually|responsible|associated|specialized|focusing|involved|intended|best|representing|"
                 r"running|belonging)\s|"
                 r"[,;(\u2013\u2014:]|\s-\s")
PRIORS = {"sports_club": 0.4, "company": 0.4, "media": 0.35, "party": 0.35, "organization": 0.35,
          "state_body": 0.35, "news_agency": 0.35, "band": 0.3, "university": 0.25, "politician": 0.3,
          "region": 0.3, "territory": 0.3, "island": 0.3, "city": 0.25, "country": 0.4}
KIND_ID = {"sports_club": "Klub olahraga", "company": "Perusahaan", "media": "Media", "party": "Partai politik",
           "organization": "Organisasi", "state_body": "Lembaga pemerintah", "news_agency": "Kantor berita",
           "band": "Grup musik", "university": "Perguruan tinggi", "politician": "Politikus", "athlete": "Atlet",
           "artist": "Seniman", "business_person": "Pengusaha", "person": "Tokoh", "city": "Kota",
           "region": "Wilayah", "country": "Negara", "territory": "Wilayah", "island": "Pulau"}
CLUB_WORD = r"(?:F\.?C\.?|A\.?F\.?C\.?|C\.?F\.?|S\.?S\.?C\.?|S\.?C\.?|A\.?C\.?|A\.?S\.?|S\.?S\.?|U\.?S\.?|F\.?K\.?|Calcio|1\.)"
CLUB_HEAD = re.compile(rf"^(?:(?:{CLUB_WORD}|VfL|VfB|SV|TSG|Borussia)\s+)+")
CLUB_TAIL = re.compile(rf"(?:\s+(?:{CLUB_WORD}|Football Club|Futbol Club|Fútbol Club|Calcio))+$")
# the English clubs' town suffixes: "Leicester" is what news calls Leicester City (when no other club is that town's)
TOWN_TAIL = re.compile(r"\s+(?:City|United|Town|County|Rovers|Athletic|Albion|Wanderers|Hotspur)$")


def type_of(label: str, description: str) -> tuple[str, str] | None:
    """(type, kind) of a row, None when it is no person, place or organisation (or the table does not know)."""
    d = clean_space(description).lower()
    heads = [_lookup(part.split()) for part in CUT.split(d)[0].split(" and ")] if d else []
    found = next((h for h in heads if h and h != "drop"), None)  # "American film and television actor": actor
    if found is None and "drop" not in heads:  # no description, or a head the table does not know
        found = next((kind for pattern, kind in LABEL_KINDS if pattern.search(label)), None)
    if not found:
        return None
    etype, kind = found.split()
    return etype, kind


def _lookup(words: list[str]) -> str | None:
    return (TYPES["two_words"].get(" ".join(words[-2:])) if len(words) >= 2 else None) \
        or (TYPES["words"].get(words[-1]) if words else None)


def club_names(label: str) -> list[str]:
    """The forms of a club's name news writes: dotted abbreviations undotted, then without them."""
    undotted = re.sub(r"\b((?:[A-Z]\.){1,3})(?=\s|$)", lambda m: m.group(1).replace(".", ""), label)
    undotted = re.sub(r"^1\.\s+", "", undotted)
    bare = CLUB_TAIL.sub("", CLUB_HEAD.sub("", label)).strip()
    return [n for n in dict.fromkeys([undotted, bare]) if n and n != label and len(n) >= 3]


def club_town(label: str) -> str:
    """"Leicester" for Leicester City F.C.: the bare name without its town suffix ("" when it has none)."""
    bare = CLUB_TAIL.sub("", CLUB_HEAD.sub("", label)).strip()
    town = TOWN_TAIL.sub("", bare)
    return town if town != bare and len(town) >= 4 else ""


def add_popular(b: Build) -> None:
    if not b.has(FILE):
        return
    people = person_words(b)
    demonyms = _demonyms(b)
    place_names = {k.split("\x00")[0] for e in b.store.by_id.values() if e.type == "LOC" for k in e.aliases}
    n_new = n_merged = n_dropped = 0
    rows = read_csv(b.src / FILE, delimiter="\t")
    shared = collections.Counter(k for r in rows for k in {fold(a) for a in r["alternatives"].split("|") if a})
    towns = collections.Counter(fold(club_town(clean_space(r["label"]))) for r in rows)  # Manchester: two clubs
    for r in rows:
        label, qid = clean_space(r["label"]), r["wikidata_id"]
        typed = type_of(label, r["description"])
        if typed is None or not label[:1].isupper() or not re.fullmatch(r"Q\d+", qid or "") or not is_latin(label):
            n_dropped += 1
            continue
        etype, kind = typed
        names = [label] + [a for a in _aliases(r["alternatives"], label, etype, kind) if shared[fold(a)] == 1]
        if kind == "sports_club":
            town = club_town(label)
            # the town alone only when it is a place we know (not "Ajax Cape") and no other club's town
            names += club_names(label) + ([town] if towns[fold(town)] == 1 and fold(town) in place_names else [])
        e = b.store.by_id.get(qid)
        if e is not None:
            if e.type != etype:
                b.notes.append(f"fb15k: {qid} {label} typed {etype}, a {e.type} record here: not used")
                continue
            for n in names:
                e.add(n)
            e.src("fb15k")
            n_merged += 1
            continue
        if qid in b.curated_ids:
            continue
        if risky(label, b.news) or lone_person_word(label, people) or (etype == "LOC" and fold(label) in place_names):
            n_dropped += 1
            continue
        _new(b, qid, etype, kind, names, r["description"], demonyms, people)
        n_new += 1
    b.log(f"fb15k: {n_new} added, {n_merged} merged into records with the same QID, {n_dropped} not a "
          f"person/place/organisation (or a risky name)")


def _aliases(field: str, label: str, etype: str, kind: str) -> list[str]:
    out, label_words = [], set(fold(label).split())
    for a in field.split("|"):
        a = clean_space(a.strip("'\" "))
        if not good_alias(a) or a.islower() or not is_latin(a):
            continue
        one_word = " " not in a
        acronym = sum(c.isupper() for c in a) >= 2 and len(a) <= 8 and one_word
        if etype == "PER" and (one_word or not set(fold(a).split()) & label_words):  # "His Airness", "Captain
            continue                                                                 # Marvel": no name of him
        if etype == "ORG" and one_word and not acronym and kind != "sports_club":
            continue
        if etype == "LOC" and ((a.isupper() and len(a) <= 3) or "," in a):  # codes; "Moscow, USSR"
            continue
        out.append(a)
    return out


def _new(b: Build, qid: str, etype: str, kind: str, names: list[str], description: str, demonyms: dict,
         people: set[str]) -> Entity:
    e = b.store.get(qid, etype)
    e.name, e.kind, e.file = names[0], kind, "popular"
    for n in names:
        if n == names[0] or not (kind != "sports_club" and lone_person_word(n, people)):
            e.add(n)
    e.src("fb15k")
    e.country = _country(b, description, demonyms)
    e.prior = PRIORS.get(kind, 0.25)
    desc = clean_space(description)
    e.description = KIND_ID.get(kind, "Tokoh") + (f" ({desc[:120]})" if desc else "")
    return e


def _demonyms(b: Build) -> dict[str, str]:
    """English demonym (American, English, Italian) -> ISO code, from mledoze; England and the UK nations -> GB."""
    path = b.src / "mledoze-countries" / "countries.json"
    out = {"english": "GB", "scottish": "GB", "welsh": "GB", "us": "US", "u.s.": "US"}
    if path.exists():  # independent countries first: "American" is the US, not the Northern Mariana Islands
        for c in sorted(read_json(path), key=lambda c: not c.get("independent")):
            for d in (c.get("demonyms") or {}).get("eng", {}).values():
                out.setdefault(d.lower(), c["cca2"].upper())
    return out


def _country(b: Build, description: str, demonyms: dict) -> str:
    """The country a description names first: a leading demonym ("Italian association football club") or the
    place after "in"/"from"/"of" ("university in Canada", "city in Texas, United States")."""
    d = clean_space(description)
    first = d.split(" ")[0].lower() if d else ""
    if first in demonyms:
        return demonyms[first]
    for m in re.finditer(r"\b(?:in|from|of)\s+(?:the\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)", d):
        iso = b.countries.iso_from_name(m.group(1))
        if iso:
            return iso
    tail = d.rsplit(",", 1)[-1].strip() if "," in d else ""
    return b.countries.iso_from_name(tail) if tail else ""
