"""Countries, territories, subdivisions and two international organisations (EU, UN), joined on ISO code.

Reads (under gazetteer-sources/): `derived-from-pip/rigour_territories.jsonl` (619 territories with QIDs and
many-language names), `derived-from-pip/territories_qid_id_en.csv` (Indonesian names from CLDR and pycountry),
`mledoze-countries/countries.json` (optional: alternate spellings, native names, translations),
`indonesian-exonyms-seed/exonyms_seed.csv` (kind=country), and data/country_forms.yaml, data/en_country_names.csv.
Writes: entities with file `countries`, and `Build.countries` (ISO by QID, alpha-3 and English name, Indonesian names)
for the modules that follow.
"""
from __future__ import annotations

import collections
import re

from rapidfuzz import fuzz

from ...names import fold
from .aliases import good_alias, spelling_key
from .context import Build
from .records import Entity
from .sources import exonyms, read_csv, read_json, read_jsonl
from .tables import csv_table, yaml_table
from .text import clean_space, scripts_of

COUNTRY_FORMS: dict[str, list[str]] = yaml_table("country_forms.yaml")
SKIP = {"zz", "ip"}          # rigour's "unknown" and a non-territory
ORGS = {"eu", "un"}          # rigour lists them as territories; they are organisations
IPA_OR_NOISE = re.compile(r"[ɛɔŋƐƆŊʻ̀-ͯ]|nutome$|[Cc]itizen")


def add_territories(b: Build) -> None:
    base = b.src / "derived-from-pip"
    rig = read_jsonl(base / "rigour_territories.jsonl")
    tab = {r["code"]: r for r in read_csv(base / "territories_qid_id_en.csv")}
    mpath = b.src / "mledoze-countries" / "countries.json"
    mled = {c["cca2"].upper(): c for c in read_json(mpath)} if mpath.exists() else {}
    seed = collections.defaultdict(list)
    for r in exonyms(b.src, "country"):
        seed[r["code"].upper()].append(r["indonesian"])
    for r in rig:
        if r["code"] not in SKIP and r.get("qid"):
            _territory(b, r, tab.get(r["code"], {}), mled, seed)
    # region descriptions in Indonesian once all countries are known
    for r in rig:
        if "-" in r["code"] and r.get("qid") in b.store.by_id:
            e = b.store.by_id[r["qid"]]
            cname = b.countries.id_name.get(e.country, "")
            if cname and e.kind == "region":
                e.description = f"Wilayah di {cname} ({r.get('name')})"
    for row in csv_table("en_country_names.csv"):
        b.countries.by_en.setdefault(fold(row["name"]), row["iso"])
    b.log(f"territories: {len(rig)} rigour rows")


def _territory(b: Build, r: dict, t: dict, mled: dict, seed: dict) -> None:
    code, qid = r["code"], r["qid"]
    iso = code.upper() if "-" not in code and len(code) == 2 else ""
    if iso:
        b.countries.by_qid[qid] = iso
        if r.get("alpha3"):
            b.countries.by_iso3[r["alpha3"].upper()] = iso
        for oq in r.get("other_qids", []) or []:
            b.countries.by_qid.setdefault(oq, iso)
    is_org = code in ORGS
    e = b.store.get(qid, "ORG" if is_org else "LOC")
    e.src("rigour")
    m = mled.get(iso)
    if m:
        e.src("mledoze")
    if is_org:
        e.kind = "intl_org"
    elif r.get("is_country"):
        e.kind = "former_country" if r.get("is_historical") else "country"
    else:
        e.kind = "region" if "-" in code else "territory"
    e.country = iso or (code.split("-")[0].upper() if "-" in code else (r.get("parent") or "").upper())
    if len(e.country) != 2:
        e.country = ""
    en = _names(b, e, r, t, m, seed.get(iso, []), code, iso)
    if iso:
        e.refs["iso"] = iso
        b.countries.id_name[iso] = e.name
        b.countries.en_name[iso] = r.get("name") or e.name
        for nm in en + ([m["name"]["common"], m["name"]["official"]] if m else []):
            b.countries.by_en.setdefault(fold(re.sub(r"^the ", "", nm, flags=re.I)), iso)
    elif "-" in code:
        e.refs["iso_3166_2"] = code.upper()
    _describe(e, r, m)
    e.file = "countries"


def _names(b: Build, e: Entity, r: dict, t: dict, m: dict | None, seed: list[str], code: str, iso: str) -> list[str]:
    """Name and aliases of a territory; returns its English names."""
    id_forms = COUNTRY_FORMS.get(iso, [])
    names_id = [x for x in (t.get("name_id_cldr"), t.get("name_id_pycountry"), t.get("official_id_pycountry")) if x]
    names_id += seed
    en = [x for x in (r.get("name"), t.get("name_en_cldr"), t.get("common_en_pycountry"), r.get("full_name"),
                      t.get("full_name_en_rigour")) if x]
    display = (id_forms[:1] or names_id[:1] or en[:1])[0]
    e.name = e.name or display
    for a in id_forms:
        e.add(a, protect=True)
    for a in names_id + en:
        if not ("(" in a and "-" in code):  # "Crimea (Occupied Ukraine)"
            e.add(a)
    primary = [spelling_key(x) for x in [display] + names_id + en]
    for a in r.get("names_strong", []) or []:
        _alias(b, e, a, primary, strong=True)
    for a in r.get("names_weak", []) or []:
        _alias(b, e, a, primary, strong=False)
    if m:
        for a in [m["name"]["common"], m["name"]["official"]] + list(m.get("altSpellings", [])):
            if len(a) > 2:
                _alias(b, e, a, primary, strong=True)
        for nat in (m["name"].get("native") or {}).values():
            for a in nat.values():
                _alias(b, e, a, primary, strong=True)
        for lang in ("rus", "kor", "zho", "ara"):
            tr = (m.get("translations") or {}).get(lang)
            if tr:
                _alias(b, e, tr["common"], primary, strong=True)
                _alias(b, e, tr["official"], primary, strong=True)
        e.refs["iso3"] = m.get("cca3", "")
    return en


def _alias(b: Build, e: Entity, a: str, primary: list[str], strong: bool) -> None:
    """A many-language name: Latin ones only if close to a primary name or attested in Indonesian text;
    weak non-Latin ones only in Hangul and Han; declined (lower-case) and shouted forms dropped."""
    a = clean_space(a)
    if not good_alias(a):
        return
    if a.isupper() and len(a) > 6:  # "ОБЪЕДИНЕННЫЕ ..." / "MOSCOW, RUSSIA"
        return
    if "," in a or a.startswith("i -") or IPA_OR_NOISE.search(a):
        return
    sc = scripts_of(a)
    if a.islower() and sc & {"LATIN", "CYRILLIC"}:  # declined forms, transliterations
        return
    if sc == {"LATIN"}:
        if fold(a) not in b.place_attested and b.news.count(a) < 2 and \
                max(fuzz.ratio(spelling_key(a), p) for p in primary) < (80 if strong else 85):
            return
    elif not strong and not sc & {"HANGUL", "HAN"}:
        return
    e.add(a)


def _describe(e: Entity, r: dict, m: dict | None) -> None:
    full = r.get("full_name") or r.get("name")
    if e.kind == "intl_org":
        e.prior, e.description = 0.9, full
    elif e.kind == "country":
        e.prior, e.description = 0.9, f"Negara ({full})"
        if not (m or {}).get("independent", True):
            e.prior = 0.75
    elif e.kind == "former_country":
        e.prior, e.description = 0.4, f"Bekas negara ({full})"
    elif e.kind == "territory":
        e.prior, e.description = 0.6, f"Wilayah ({full})"
    else:
        e.prior, e.description = 0.55, f"Wilayah ({full})"
