"""States, provinces and cities of the world with Wikidata QIDs, from the Countries States Cities Database (ODbL).

Reads (under gazetteer-sources/dr5hn-csc-wikidata/): `states.csv` (5.3k first-level subdivisions) and
`cities_world_qid.tsv.gz` (54k cities and lower divisions; the Indonesian rows of `cities_ID.csv` are in it too,
and that file's translations are in scripts the build keeps for no Indonesian place). Writes: new LOC entities
with file `world_regions` (subdivisions) and `world_cities`; names (and the source) added to the records of
other sources with the same QID.

The repo's QIDs are not checked upstream and many are wrong, so a row is used only when
  * its QID is no other dr5hn row's QID unless those rows name the same place (6.5k QIDs are shared by rows
    that name different places: Kalimantan and Kalimantan Barat, dozens of Albanian municipalities),
  * a record of another source with that QID is a place whose names agree with it (names_agree: Jambi City is
    not Q3630 Jakarta), and
  * for a new record: the country is not Indonesia (BPS, soluvas and Natural Earth cover it; dr5hn's Indonesian
    towns would double the kecamatan), no place of that country already has the name (a namesake with another
    QID is more likely a wrong QID than a second place), and the name is no ordinary word nor a lone word of a
    person's name (guards.py).
A Natural Earth place without a QID (`loc:geonames-...`) with the same name and country takes the QID.

Priors stay below those of Natural Earth cities, Indonesian kabupaten (0.5) and provinces, so that 40k small
places never outrank a known one: subdivisions 0.3 + 0.2 x clamp((log10(pop) - 5) / 3) (100k -> 0.3,
100M -> 0.5; 0.3 without population); cities 0.05 + 0.3 x clamp((log10(pop) - 3) / 4) (1k -> 0.05, 100k -> 0.2,
10M -> 0.35; 0.05 without population); other divisions (adm2, district, ...) the same minus 0.05, at least 0.03.
"""
from __future__ import annotations

import collections
import math
import re

from unidecode import unidecode

from ...names import fold
from .aliases import NATIVE_SCRIPT, good_alias, names_agree, risky
from .context import Build
from .guards import lone_person_word, person_words
from .records import Entity
from .sources import read_csv, read_tsv_gz
from .text import clean_space, is_latin, scripts_of

BASE = "dr5hn-csc-wikidata"
QID = re.compile(r"Q\d+")
PLACE_TYPES = {"city", "town", "capital", "locality", "settlement", "village", "cities", "municipality",
               "township", "special municipality", "gov_seat"}


def add_regions(b: Build) -> None:
    if not b.has(f"{BASE}/states.csv", f"{BASE}/cities_world_qid.tsv.gz"):
        return
    rows = [dict(r, level="state") for r in read_csv(b.src / BASE / "states.csv")]
    rows += [dict(r, level="city") for r in read_tsv_gz(b.src / BASE / "cities_world_qid.tsv.gz")]
    groups = collections.defaultdict(list)
    for r in rows:
        if QID.fullmatch(r["wikiDataId"] or "") and good_alias(clean_space(r["name"])):
            groups[r["wikiDataId"]].append(r)
    taken = _names_by_country(b)
    people = person_words(b)
    slugs = {k: e for k, e in taken.items() if len(e) == 1 and e[0].id.startswith(("loc:geonames-", "loc:ne-"))}
    count = collections.Counter()
    for qid, group in groups.items():
        r = next((x for x in group if x["level"] == "state"), group[0])
        names = _names(r)
        if any(x["country_code"] != r["country_code"] or not names_agree(names, _names(x)) for x in group):
            count["shared QID"] += 1
            continue
        cc = r["country_code"]
        if qid in b.store.by_id:
            e = b.store.by_id[qid]
            if e.type != "LOC" or not names_agree(names, [a for a in [e.name, *e.aliases.values()] if is_latin(a)]):
                b.notes.append(f"dr5hn: {qid} is {e.name} ({e.type}) here, {r['name']} ({cc}) in dr5hn: not used")
                count["QID of another place"] += 1
                continue
            _add_names(e, names, people)
            e.src("dr5hn")
            count["merged"] += 1
            continue
        if qid in b.curated_ids:
            continue
        key = (cc, fold(r["name"]))
        if key in slugs:
            e = b.store.upgrade(slugs.pop(key)[0].id, qid)
            _add_names(e, names, people)
            e.src("dr5hn")
            count["slug -> QID"] += 1
            continue
        if cc == "ID" or key in taken or risky(r["name"], b.news) or lone_person_word(r["name"], people):
            count["skipped"] += 1
            continue
        taken[key] = [_new(b, qid, r, names, people)]
        count[r["level"]] += 1
    b.log(f"dr5hn: {count['state']} subdivisions and {count['city']} cities added, {count['merged']} merged, "
          f"{count['slug -> QID']} slugs -> QID; left out: {count['shared QID']} shared QIDs, "
          f"{count['QID of another place']} QIDs of another place, {count['skipped']} Indonesian/namesakes/words")


def _names_by_country(b: Build) -> dict[tuple[str, str], list[Entity]]:
    """(country, folded name) -> the places of that country carrying that name (display name or alias)."""
    out = collections.defaultdict(list)
    for e in b.store.by_id.values():
        if e.type == "LOC" and e.country:
            for k in {k.split("\x00")[0] for k in e.aliases} | {fold(e.name)}:
                out[(e.country, k)].append(e)
    return out


def _names(r: dict) -> list[str]:
    """The row's name, its native name (a Latin one only when it is a spelling of the name; else only in the
    country's own script), and an ASCII form."""
    names = [clean_space(r["name"])]
    native = clean_space(r.get("native") or "")
    if native and native not in ("NULL", r["name"]) and good_alias(native) and \
            (names_agree([native], names, 80) if is_latin(native)  # "Chocoze też" is no name of Choczewo
             else scripts_of(native) <= NATIVE_SCRIPT.get(r["country_code"], set())):
        names.append(native)
    names += [a for a in (unidecode(n) for n in names if is_latin(n)) if a not in names]
    return names


def _add_names(e: Entity, names: list[str], people: set[str]) -> None:
    for n in names:
        if n == names[0] or not lone_person_word(n, people):  # "Maria" of Máriahalom
            e.add(n)


def _new(b: Build, qid: str, r: dict, names: list[str], people: set[str]) -> Entity:
    e = b.store.get(qid, "LOC")
    e.name, e.country = names[0], r["country_code"]
    _add_names(e, names, people)
    e.src("dr5hn")
    pop = int(float(r["population"])) if re.fullmatch(r"\d+(\.\d+)?", r.get("population") or "") else 0
    cname = b.countries.id_name.get(e.country, r.get("country_name", "") or e.country)
    kind = (r.get("type") or "").strip()
    if r["level"] == "state":
        e.kind, e.file = "region", "world_regions"
        e.prior = 0.3 + 0.2 * _scale(pop, 5, 3)
        e.description = f"Wilayah di {cname}" + (f" ({kind})" if kind else "")
    else:
        place = kind in PLACE_TYPES
        e.kind, e.file = ("city" if place else "admin_area"), "world_cities"
        e.prior = max(0.03, 0.05 + 0.3 * _scale(pop, 3, 4) - (0 if place else 0.05))
        e.description = (f"Kota di {cname}" if place else f"Wilayah di {cname}" + (f" ({kind})" if kind else ""))
    e.prior = round(e.prior, 3)
    return e


def _scale(pop: int, low: float, span: float) -> float:
    return min(1.0, max(0.0, (math.log10(pop) - low) / span)) if pop > 0 else 0.0
