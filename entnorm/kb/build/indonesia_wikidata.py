"""Wikidata QIDs for the Indonesian provinces and kabupaten/kota that indonesia.py built from the BPS tables.

Reads (under gazetteer-sources/soluvas-id-regions-wikidata/, CC0, Wikidata as of Dec 2016): `locality-ID.csv`
(514 kab/kota: QID, Kemendagri code, GeoNames id) and `province-ID.csv` (32 provinces: QID, ISO 3166-2, GeoNames
id); data/indonesia_names.yaml (renamed_kabkota). Writes: a kab/kota entity (joined on its Kemendagri code) gets
the QID as its id, its `loc:id-bps-...` slug goes to refs['slug']; when another record already has that QID (a
Natural Earth city: Padang, Jember), the two become one record under the kab/kota's name. The QID is taken only
when the soluvas name agrees with the BPS/Kemendagri name or the code is a known renaming. Provinces (joined on
name) get their ISO 3166-2 code and GeoNames id, and a QID where they had none.
"""
from __future__ import annotations

import collections
import re

from rapidfuzz import fuzz

from ...names import fold
from .context import Build
from .sources import read_csv
from .tables import yaml_table

BASE = "soluvas-id-regions-wikidata"
RENAMED: dict[str, str] = yaml_table("indonesia_names.yaml")["renamed_kabkota"]
ADMIN_WORDS = re.compile(r"\b(kabupaten|kab|kota|kotamadya|administrasi|adm|kepulauan|kep|pulau|provinsi)\b")


def area_key(name: str) -> str:
    """A name without admin words and spaces: 'Kab. Kep. Siau Tagulandang' -> 'siautagulandang'."""
    return ADMIN_WORDS.sub(" ", fold(name)).replace(" ", "")


def same_area(a: str, names: list[str]) -> bool:
    k = area_key(a)
    return any(k and n and (k in n or n in k or fuzz.ratio(k, n) >= 85) for n in map(area_key, names))


def add_qids(b: Build) -> None:
    if not b.has(f"{BASE}/locality-ID.csv", f"{BASE}/province-ID.csv"):
        return
    by_code = {e.refs["kemendagri"]: e for e in b.store.by_id.values()
               if e.kind in ("regency", "city_id") and e.refs.get("kemendagri")}
    n_up = n_merged = n_same = 0
    for r in read_csv(b.src / BASE / "locality-ID.csv"):
        code, qid = r["kemendagriCode"], r["id"]
        e = by_code.get(code)
        if e is None:
            b.notes.append(f"soluvas: Kemendagri code {code} ({r['name']}) is not in the BPS table")
            continue
        if not (same_area(r["name"], list(e.aliases.values())) or RENAMED.get(code) == r["name"]):
            b.notes.append(f"soluvas: {code} {r['name']} ({qid}) does not match {e.name}: QID not taken")
            continue
        if e.id == qid:
            n_same += 1
        elif e.id.startswith("Q"):
            b.notes.append(f"soluvas: {e.name} is {e.id} here but {qid} in soluvas: kept {e.id}")
            continue
        else:
            merged = qid in b.store.by_id
            e = b.store.upgrade(e.id, qid)
            n_merged += merged
            n_up += 1
            if merged and e.kind == "city_id":  # a kota named like the Natural Earth city, as indonesia.py does
                _kota_name(b, e)
        if code in RENAMED:
            e.add(RENAMED[code], protect=True)
            e.add(("Kota " if e.kind == "city_id" else "Kabupaten ") + RENAMED[code], protect=True)
        e.refs.setdefault("geonames", r["geonamesId"])
        e.src("soluvas")
    n_prov = _provinces(b)
    b.log(f"soluvas: {n_up} kab/kota slugs -> QID ({n_merged} merged with a city of that QID), {n_same} already "
          f"had it; {n_prov} provinces confirmed")


def _kota_name(b: Build, e) -> None:
    base = re.sub(r"^Kota ", "", e.name)
    same_base = collections.Counter(re.sub(r"^(Kota|Kabupaten) ", "", x.name) for x in b.store.by_id.values()
                                    if x.kind in ("regency", "city_id") and x.country == "ID")
    if same_base[base] == 1:
        e.name = base


def _provinces(b: Build) -> int:
    provinces = {fold(a): e for e in b.store.by_id.values() if e.kind == "province" and e.country == "ID"
                 for a in e.aliases.values()}
    n = 0
    for r in read_csv(b.src / BASE / "province-ID.csv"):
        e = provinces.get(fold(r["name_id"]))
        if e is None:  # DI Yogyakarta and Aceh are curated (not generated); DKI Jakarta is absent from soluvas
            continue
        if not e.id.startswith("Q"):
            e = b.store.upgrade(e.id, r["id"])
        elif e.id != r["id"]:
            b.notes.append(f"soluvas: province {e.name} is {e.id} here but {r['id']} in soluvas: kept {e.id}")
            continue
        e.refs.setdefault("iso_3166_2", r["provinceIso"])
        e.refs.setdefault("geonames", r["geonamesId"])
        e.src("soluvas")
        n += 1
    return n
