"""Brands and operators with Wikidata QIDs from the name-suggestion-index (banks, retail, fuel, telecoms, utilities,
police and other public bodies).

Reads (under gazetteer-sources/nsi-brands-operators-wikidata/, BSD-3-Clause): `nsi_wikidata.tsv.gz` (one row per
NSI item and wikidata tag). Writes: ORG entities with file `brands`; names added to a record of another source
with the same QID when that record is an organisation.

Only `brand:wikidata` and `operator:wikidata` rows are read: network (transit systems), subject (what a memorial
shows) and flag rows name no organisation. Categories whose items are products or machines, not organisations,
are left out (bicycle and car sharing systems, vending machines, parcel lockers, ATMs, payment terminals, charging
points, bookcases). An operator named like a local government ("City of Wanneroo", "Stadt Metzingen") is left
out: its QID is often the municipality, a place. Names: `name`, `value`, `name:en`, `name:id`, `short_name`,
`official_name` and the other `name:*` / `brand:*` values, minus wikipedia links and `operator:type` words
('government', 'private'); non-Latin names only beside a Latin one. No record is made when one of its Latin
names is an organisation's name already: the same organisation under a curated slug id (noted, for a curated
edit) or a namesake (NSI's "Telkom" is Telkom South Africa, not Telkom Indonesia; the first of two NSI items
with one name wins). Names of places and people, ordinary words and lone words of a person's name (guards.py)
are left out, and so are the one-word names of an item that NSI lists neither in Indonesia nor worldwide nor in
10+ countries (a Mexican clothes shop "Flexi" would take the mention of an Indonesian product); an item left
with no Latin name is not made.

Prior 0.1; +0.25 when NSI lists Indonesia among its locations; +0.1 when it is worldwide (`001`) or in 10 or
more countries. Country: the single country of the location list, if there is one.
"""
from __future__ import annotations

import collections
import re

from ...names import fold
from .aliases import good_alias, risky
from .context import Build
from .guards import lone_person_word, person_words
from .sources import read_tsv_gz
from .text import clean_space, is_latin

FILE = "nsi-brands-operators-wikidata/nsi_wikidata.tsv.gz"
TAGS = ("brand:wikidata", "operator:wikidata")
NOT_ORGS = re.compile(r"/(bicycle_rental|car_sharing|vending_machine|parcel_locker|atm|payment_terminal|"
                      r"charging_station|public_bookcase|photo_booth|ticket_validator|post_box|telephone)$")
MUNICIPAL = re.compile(r"^(City|Town|Village|County|Borough|Municipality|Shire|District|Township|Comune|Commune|"
                       r"Gemeinde|Stadt|Markt|Ville|Municipio|Ayuntamiento|Kommune|Gmina|Mairie|Landkreis|Kreis|"
                       r"Provincia|Prefeitura|Concello|Câmara|Council|Gobierno|Gouvernement|Government)\b|"
                       r"\b(City|Town|County|Shire|Borough|District|Municipality|Council|Township|Kommune|"
                       r"Municipal|Gemeinde)\b|\(.*\)$")
STATE_BODY = re.compile(r"/(police|fire_station|townhall|courthouse|prison|government|ambulance_station|"
                        r"disaster_response|lifeguard|water_rescue|military)$")
WIKI_LINK = re.compile(r"^[a-z]{2,3}(-[A-Za-z]+)?:")


def add_brands(b: Build) -> None:
    if not b.has(FILE):
        return
    by_qid = collections.defaultdict(list)
    for r in read_tsv_gz(b.src / FILE):
        if r["wikidata_tag"] in TAGS and re.fullmatch(r"Q\d+", r["qid"] or "") and not NOT_ORGS.search(r["nsi_path"]):
            by_qid[r["qid"]].append(r)
    people = person_words(b)
    owner = {}  # folded name -> (type, country, id) of the first record carrying it (curated ones first)
    for r in b.curated:
        for a in [r["name"], *(r.get("aliases") or [])]:
            owner.setdefault(fold(str(a)), (r["type"], r.get("country", ""), r["id"]))
    for e in b.store.by_id.values():
        for k in e.aliases:
            owner.setdefault(k.split("\x00")[0], (e.type, e.country, e.id))
    count = collections.Counter()
    for qid, rows in by_qid.items():
        names = _names(rows)
        e = b.store.by_id.get(qid)
        if e is not None or qid in b.curated_ids:
            if e is not None and e.type == "ORG":
                for n in names:
                    e.add(n)
                e.src("nsi")
                count["merged"] += 1
            continue
        places = _places(rows)
        latin = [n for n in names if is_latin(n)]
        orgs = [owner[fold(n)] for n in latin if fold(n) in owner and owner[fold(n)][0] == "ORG"]
        if orgs:  # an organisation of that name exists: the same one (a curated slug: noted) or a namesake
            etype, cc, oid = orgs[0]
            if not oid.startswith("Q") and (cc in places or "001" in places or not places):
                b.notes.append(f"nsi: curated {oid} may be {qid} ({latin[0]}, {rows[0]['locationSet_include']})")
            count["taken"] += 1
            continue
        if any(r["wikidata_tag"] == "operator:wikidata" for r in rows) and \
                not any(r["wikidata_tag"] == "brand:wikidata" for r in rows) and any(MUNICIPAL.search(n) for n in latin):
            count["municipal"] += 1
            continue
        names = [n for n in names if fold(n) not in owner and not risky(n, b.news) and not lone_person_word(n, people)]
        if not ("ID" in places or "001" in places or len(places) >= 10):  # a local brand abroad: its one-word
            names = [n for n in names if " " in n.strip()]                 # names are too likely namesakes
        if not any(is_latin(n) for n in names):
            count["risky"] += 1
            continue
        _new(b, qid, rows, names, places)
        for n in names:
            owner.setdefault(fold(n), ("ORG", "", qid))
        count["new"] += 1
    b.log(f"nsi: {count['new']} brands/operators added, {count['merged']} merged into organisations with the same "
          f"QID; left out: {count['taken']} whose name an organisation has, {count['municipal']} municipal "
          f"operators, {count['risky']} with no safe Latin name")


def _places(rows: list[dict]) -> set[str]:
    """The country codes NSI lists the item in ('us-ny.geojson' -> US), and '001' for worldwide."""
    places = {p.strip().lower() for r in rows for p in r["locationSet_include"].split(",") if p.strip()}
    codes = {p.split("-")[0].split(".")[0].upper() for p in places if re.match(r"[a-z]{2}([-.]|$)", p)}
    return codes | ({"001"} & places)


def _names(rows: list[dict]) -> list[str]:
    names = []
    for r in rows:
        for col in ("name_id", "name", "value", "name_en", "official_name", "short_name"):
            names.append(r[col])
        names += r["alt_names"].split("|")
    out = []
    for n in map(clean_space, names):
        if n and good_alias(n) and not WIKI_LINK.match(n) and not n.islower() and n not in out:
            out.append(n)
    return out


def _new(b: Build, qid: str, rows: list[dict], names: list[str], places: set[str]) -> None:
    e = b.store.get(qid, "ORG")
    e.name = next(n for n in names if is_latin(n))
    for n in names:
        e.add(n)
    e.src("nsi")
    e.file = "brands"
    countries = places - {"001"}
    known = countries & set(b.countries.id_name)  # "FX" (metropolitan France) is no ISO code
    e.country = next(iter(known)) if len(countries) == 1 and known else ""
    e.prior = round(0.1 + 0.25 * ("ID" in countries) + 0.1 * ("001" in places or len(countries) >= 10), 3)
    paths = sorted({r["nsi_path"] for r in rows})
    state = all(STATE_BODY.search(p) for p in paths)
    e.kind = "state_body" if state else "company"
    what = paths[0].split("/")[-1].replace("_", " ")
    e.description = ("Lembaga" if state else "Merek/perusahaan") + f" ({what}; name-suggestion-index)"
