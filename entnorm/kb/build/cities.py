"""Cities and other populated places of the world, with their Indonesian and native-script names.

Reads (under gazetteer-sources/): `natural-earth-populated-places/ne_10m_populated_places_names.csv` (7.3k
places with QID, GeoNames id, population, names in 7 languages), `derived-from-pip/cities_qid_geonames_altnames.csv`
(GeoNames alternate names, untagged by language), `derived-from-pip/cldr_id_exemplar_cities.csv` (CLDR
Indonesian city names), `indonesian-exonyms-seed/exonyms_seed.csv` (kind=city), and data/city_forms.yaml.
Writes: entities with file `cities`; a place whose QID is a rigour city-region (Moscow, Kyiv) becomes a city.
"""
from __future__ import annotations

import collections
import math
import re

from rapidfuzz import fuzz

from ...names import fold
from .aliases import NATIVE_SCRIPT, good_alias, spelling_key
from .context import Build
from .records import Entity
from .sources import exonyms, read_csv
from .tables import yaml_table
from .text import clean_space, is_latin, scripts_of, slugify

CITY_FORMS: dict[str, list[str]] = {f"{name}|{iso}": forms for iso, places in yaml_table("city_forms.yaml").items()
                                    for name, forms in places.items()}
CAPITAL = ("Admin-0 capital", "Admin-0 capital alt")
NE_FILE = "natural-earth-populated-places/ne_10m_populated_places_names.csv"


def add_cities(b: Build) -> None:
    ne = read_csv(b.src / NE_FILE)
    alt = {r["qid"]: r for r in read_csv(b.src / "derived-from-pip" / "cities_qid_geonames_altnames.csv")}
    cldr = {r["city_en_cldr"]: r["city_id_cldr"]
            for r in read_csv(b.src / "derived-from-pip" / "cldr_id_exemplar_cities.csv")}
    seed = collections.defaultdict(list)
    for r in exonyms(b.src, "city"):
        if r["qid"]:
            seed[r["qid"]].append(r["indonesian"])
    country_keys = {k for e in b.store.by_id.values() if e.kind in ("country", "territory") for k in e.latin_keys()}
    forms_used: set[str] = set()
    n_new = n_merged = 0
    seen = set()
    ne.sort(key=lambda r: (r["featurecla"] not in CAPITAL, -int(float(r["pop_max"] or 0))))
    for r in ne:
        qid = _place_id(r)
        if qid in seen:
            continue
        seen.add(qid)
        iso = r["iso_a2"] if re.fullmatch(r"[A-Z]{2}", r["iso_a2"] or "") else ""
        existed = qid in b.store.by_id
        e = b.store.get(qid, "LOC")
        if existed and e.type != "LOC":
            continue
        if existed and e.kind == "region":  # rigour city-regions (Moscow, Kyiv, Beijing): the city wins
            existed = False
            e.kind = ""
        n_merged += existed
        n_new += not existed
        e.src("natural-earth")
        cap = r["featurecla"] in CAPITAL or r["adm0cap"] == "1"
        if not existed:
            e.kind = "capital" if cap else ("research_station" if r["featurecla"] == "Scientific station" else "city")
            e.country = e.country or iso
            e.file = "cities"
        if r["geonameid"]:
            e.refs["geonames"] = str(int(float(r["geonameid"])))
        forms = _indonesian_forms(r, iso, seed.get(qid, []), cldr, forms_used)
        _names(b, e, r, iso, forms, alt.get(qid))
        if not existed or e.kind in ("city", "capital", "research_station"):
            e.name = _display(b, e, r, forms, country_keys)
        if not existed:
            pop = max(int(float(r["pop_max"] or 0)), int(float((alt.get(qid) or {}).get("gn_population") or 0)))
            _prior_and_description(b, e, r, iso, pop, cap)
        elif e.kind in ("city", "capital"):
            e.prior = max(e.prior, 0.8)
    for k in sorted(set(CITY_FORMS) - forms_used):
        b.notes.append(f"city_forms.yaml entry {k!r} matched no Natural Earth place")
    b.log(f"cities: {n_new} new, {n_merged} merged into territories")


def _place_id(r: dict) -> str:
    qid = r["wikidataid"].strip()
    if qid:
        return qid
    gid = str(int(float(r["geonameid"]))) if r["geonameid"] else ""
    return f"loc:geonames-{gid}" if gid else f"loc:ne-{slugify(r['name'])}-{r['iso_a2'].lower()}"


def _indonesian_forms(r: dict, iso: str, seed: list[str], cldr: dict, used: set[str]) -> list[str]:
    """Indonesian forms of a place: hand table (display form first), exonym seed, CLDR."""
    forms = []
    for nm in dict.fromkeys((r["name_en"], r["name"], r["nameascii"])):
        if f"{nm}|{iso}" in CITY_FORMS:
            forms = list(CITY_FORMS[f"{nm}|{iso}"])
            used.add(f"{nm}|{iso}")
    forms += seed
    en = r["name_en"] or r["name"]
    if en in cldr:
        forms.append(cldr[en])
    return forms


def _names(b: Build, e: Entity, r: dict, iso: str, forms: list[str], alt: dict | None) -> None:
    """Natural Earth names all kept; other-language and GeoNames names only when close to a primary name,
    attested in Indonesian text, or in the country's own script."""
    primary = [x for x in (r["name"], r["nameascii"], r["name_en"], r["meganame"], r["ls_name"]) if x]
    primary += [x for x in re.split(r"[|;]", r["namealt"] or "") if x]
    primary += [x for x in re.split(r"[|;]", r["namepar"] or "") if x]
    for a in forms:
        e.add(a, protect=True)
    for a in primary:
        if good_alias(clean_space(a)):
            e.add(a)
    pkeys = [spelling_key(x) for x in primary + forms if x]
    for col in ("name_de", "name_es", "name_fr", "name_pt", "name_ru", "name_zh"):
        a = clean_space(r[col])
        if good_alias(a) and (not is_latin(a) or max(fuzz.ratio(spelling_key(a), p) for p in pkeys) >= 60
                              or fold(a) in b.place_attested):
            e.add(a)
    if not alt:
        return
    native = NATIVE_SCRIPT.get(iso, set())
    for a in alt["alternatenames"].split("|"):
        a = clean_space(a)
        if not good_alias(a):
            continue
        sc = scripts_of(a)
        if sc == {"LATIN"}:
            if a.islower() or (a.isupper() and len(a) <= 4) or len(a) < 3:
                continue
            sim = max(fuzz.ratio(spelling_key(a), p) for p in pkeys)
            if sim >= 85 or ((fold(a) in b.place_attested or b.news.count(a) >= 2) and sim >= 50):
                e.add(a)
        elif sc & native:
            e.add(a)


def _display(b: Build, e: Entity, r: dict, forms: list[str], country_keys: set[str]) -> str:
    """The spelling Indonesian news uses most (at least 3 times), else the first Indonesian form, else the NE name.
    A fragment of a Natural Earth name (Ho Chi Minh of Ho Chi Minh City) is no candidate; the part before a
    comma is a whole name, the rest a qualifier (Washington of "Washington, D.C.")."""
    ne = [(fold(x), fold(x.split(",")[0])) for x in (r["name"], r["nameascii"], r["name_en"])]
    ne_names = {full for full, _ in ne}
    cands = [v for v in e.aliases.values() if is_latin(v) and len(v) >= 3 and not v.isupper()
             and fold(v) not in country_keys
             and (v in forms or fold(v) in ne_names or fold(v) in b.place_attested)]
    cands = [v for v in cands
             if not any(fold(v) not in (full, head) and f" {fold(v)} " in f" {full} " for full, head in ne)]
    best = max(cands, key=lambda v: (b.news.count(v), v in forms), default="")
    if best and b.news.count(best) >= 3:
        return best
    return forms[0] if forms else (r["name"] or r["nameascii"])


def _prior_and_description(b: Build, e: Entity, r: dict, iso: str, pop: int, cap: bool) -> None:
    """Prior from log-scaled population (10k -> 0.2, 10M -> 0.8), +0.1 for national capitals."""
    p = max(e.prior, 0.2 + 0.6 * min(1.0, max(0.0, (math.log10(max(pop, 1)) - 4.0) / 3.5)))
    if cap:
        p += 0.1
    e.prior = round(min(0.95, p), 3)
    cname = b.countries.id_name.get(iso, r["adm0name"])
    adm1 = r["adm1name"]
    if cap:
        e.description = f"Ibu kota {cname}"
    else:
        what = "Stasiun riset" if e.kind == "research_station" else "Kota"
        e.description = f"{what} di {cname}" + (f" ({adm1})" if adm1 and adm1 != e.name else "")
