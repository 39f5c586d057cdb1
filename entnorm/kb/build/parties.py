"""Political parties of the world with Wikidata QIDs, from Party Facts.

Reads (under gazetteer-sources/partyfacts-wikidata/, MIT): `wikidata.csv` (4.2k parties: ISO3 country, Party Facts
id, QID, English name, short name, native name) and `wikipedia.csv` (year founded/dissolved, by Party Facts id).
Writes: ORG entities (kind party) with file `parties`; a party whose QID another source has gets its names added.

Names: the English name, the native name (the display name of an Indonesian party; ' / ' separates two), and
the short names that are acronyms or names, not abbreviations ('Lab', 'Dem'): see short_names.
A QID listed for several countries (Kuomintang: CHN, TWN) is one record without a country. Two-letter short names
and ordinary words are dropped when the record is written (records.finalize).

Prior: 0.3 for a party still active in the data, 0.15 for a dissolved one; +0.2 for an Indonesian party.
"""
from __future__ import annotations

import collections
import re

from .aliases import good_alias
from .context import Build
from .sources import read_csv
from .text import clean_space

BASE = "partyfacts-wikidata"


def is_short_name(s: str) -> bool:
    """An acronym (two or more capitals: PDIP, KEADILAN, КПБ have them; 'Lab', 'Dem', 'official' do not) or a
    short name of four letters or more that is not a lower-case word (Masyumi, Parmusi)."""
    caps = sum(c.isupper() for c in s)
    return caps >= 2 or (len(s) >= 4 and s[:1].isupper() and not s.isupper())


def short_names(field: str) -> list[str]:
    """Short names in a Party Facts `name_short` cell. '/' joins several ('NP/NPA', 'PKR/KEADILAN') or stands for
    a space ('GOP/Grand/Old/Party', 'NZ/First', 'Forenede/Rusland' is Danish for United Russia), so of several
    parts only the acronyms are kept; 'Partai/Golkar' is Golkar and Partai Golkar; with a one-letter part ('CD/V')
    the whole cell is one name; a single short name is kept when is_short_name says so (Masyumi, PDIP)."""
    field = clean_space(field)
    parts = [p.strip() for p in field.split("/") if p.strip()]
    if not parts:
        return []
    if len(parts) == 1:
        return parts if is_short_name(parts[0]) else []
    if any(len(p) < 2 for p in parts):
        return [field]
    if len(parts) == 2 and parts[0] in ("Partai", "Parti"):
        return [parts[1], f"{parts[0]} {parts[1]}"]
    return [p for p in parts if sum(c.isupper() for c in p) >= 2]


def add_parties(b: Build) -> None:
    if not b.has(f"{BASE}/wikidata.csv", f"{BASE}/wikipedia.csv"):
        return
    iso2 = b.countries.by_iso3
    years = {r["partyfacts_id"]: r for r in read_csv(b.src / BASE / "wikipedia.csv")}
    by_qid = collections.defaultdict(list)
    for r in read_csv(b.src / BASE / "wikidata.csv"):
        if re.fullmatch(r"Q\d+", r["wikidata_id"] or ""):
            by_qid[r["wikidata_id"]].append(r)
    n_new = n_merged = 0
    for qid, rows in by_qid.items():
        countries = {iso2.get(r["country"], "") for r in rows}
        cc = countries.pop() if len(countries) == 1 else ""
        existed = qid in b.store.by_id
        e = b.store.get(qid, "ORG")
        if e.type != "ORG":
            b.notes.append(f"partyfacts: {qid} ({rows[0]['name']}) is a {e.type} record here: not used")
            continue
        native = [n for r in rows for n in map(clean_space, r["name_native"].split(" / ")) if good_alias(n)]
        english = [clean_space(r["name"]) for r in rows]
        for n in (native if cc == "ID" else []) + english + native:
            e.add(n)
        for r in rows:
            for s in short_names(r["name_short"]):
                if good_alias(s):
                    e.add(s)
        e.src("partyfacts")
        if existed:
            n_merged += 1
            continue
        n_new += 1
        e.name = (native if cc == "ID" and native else english)[0]
        e.kind, e.country, e.file = "party", cc, "parties"
        dissolved = any((years.get(r["partyfacts_id"]) or {}).get("year_dissolved") for r in rows)
        e.prior = (0.15 if dissolved else 0.3) + (0.2 if cc == "ID" else 0.0)
        cname = b.countries.id_name.get(cc, "")
        e.description = ("Bekas partai politik" if dissolved else "Partai politik") + (f" di {cname}" if cname else "")
    b.log(f"partyfacts: {n_new} parties added, {n_merged} merged into records with the same QID")
