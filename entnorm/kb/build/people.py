"""Office-holders from EveryPolitician: heads of state and government, cabinets, national legislators,
international officials, foreign ministers and their relatives, collected by Wikidata QID.

Reads (under gazetteer-sources/every-politician/): `world-leaders-2021/data/*.csv`, the cabinet folders listed
in data/cabinets.csv (`html/{holders21,current,bio,legislators}.csv` and `sources/**/{scraped,wikidata}.csv`
with their meta.json), `world/html/*.csv`, `world/sources/foreign/*.csv`, every `family.csv`, and the position
label files (`positions.csv`, `position-info.csv`, `*-positions.csv`). Writes nothing: `collect` returns the
people; people_records.py turns them into entities.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .context import Build
from .offices import Role, leader_kind, office_kind, position_kind
from .sources import read_csv
from .tables import csv_table
from .text import year

CABINETS = {row["folder"]: row["iso"] for row in csv_table("cabinets.csv")}
SOURCE = "every-politician"
US_NATIONAL = ("United States representative", "United States senator")  # state legislatures are too local


@dataclass
class Person:
    names: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    country: str = ""
    sources: set[str] = field(default_factory=set)


class People(dict):
    """QID -> Person, filled source by source."""

    def add(self, qid: str, names: list[str], role: Role | None = None, country: str = "") -> None:
        qid = (qid or "").strip()
        if not re.fullmatch(r"Q\d+", qid):
            return
        p = self.setdefault(qid, Person())
        for n in names:
            if n and n not in p.names:
                p.names.append(n)
        if role and role.label:
            p.roles.append(role)
        if country and not p.country:
            p.country = country
        p.sources.add(SOURCE)


def collect(b: Build) -> People:
    ep = b.src / "every-politician"
    people = People()
    labels = _position_labels(ep)
    _leaders(b, ep, people)
    for cab, iso in CABINETS.items():
        _cabinet(ep / "cabinets" / cab, iso, people, labels)
    _world(b, ep / "world", people)
    for f in sorted(ep.rglob("family.csv")):
        for r in read_csv(f):
            people.add(r["relative"], [r["relativename"]])
    return people


def _position_labels(ep: Path) -> dict[str, str]:
    """Position QID -> English label, from every position list in the folder."""
    labels: dict[str, str] = {}
    for f in sorted(ep.rglob("*.csv"), key=str):
        if f.name in ("wanted-positions.csv", "xtra-positions.csv", "legislative-positions.csv"):
            for r in read_csv(f):
                labels.setdefault(r.get("position", ""), r.get("title", ""))
        elif f.name == "positions.csv":
            for r in read_csv(f):
                labels[r["id"]] = r["enwiki"] or r["position"]
        elif f.name == "position-info.csv":
            for r in read_csv(f):
                labels.setdefault(r["position"], r["positionLabel"])
    return labels


def _leaders(b: Build, ep: Path, people: People) -> None:
    for fname in ("wikidata.csv", "wikidata_index_05e3baa.csv", "wikipedia.csv"):
        for r in read_csv(ep / "world-leaders-2021" / "data" / fname):
            plabel = r.get("positionLabel") or r.get("positionlabel") or ""
            label = r.get("officeholderLabel") or r.get("officeholderlabel") or ""
            iso = b.countries.by_qid.get(r.get("countryid", ""), "") or b.countries.iso_from_name(r.get("country", ""))
            people.add(r.get("officeholder", ""), [label],
                       Role(leader_kind(plabel), plabel, iso, r.get("start_year"), r.get("end_year")))


def _cabinet(d: Path, iso: str, people: People, labels: dict[str, str]) -> None:
    for fname in ("holders21.csv", "current.csv"):
        p = d / "html" / fname
        if p.exists():
            for r in read_csv(p):
                people.add(r["personID"], [r["person"], r.get("enwiki", "")],
                           Role(office_kind(r["position"]), r["position"], iso, r.get("start", ""), r.get("end", "")))
    p = d / "html" / "bio.csv"
    if p.exists():
        for r in read_csv(p):
            people.add(r["id"], [r["name"], r["enwiki"]], country=iso)
    p = d / "html" / "legislators.csv"
    if p.exists():
        for r in read_csv(p):
            pos = r["position"]
            if iso == "US" and (pos not in US_NATIONAL or (year(r["end"]) or 9999) < 1990):
                continue
            people.add(r["personID"], [r["person"], r.get("enwiki", "")],
                       Role("legislator", pos, iso, r.get("start", ""), r.get("end", "")))
    if (d / "sources").exists():
        for f in sorted((d / "sources").rglob("*.csv")):
            if f.name in ("scraped.csv", "wikidata.csv"):
                _source_list(f, iso, people, labels)


def _source_list(f: Path, iso: str, people: People, labels: dict[str, str]) -> None:
    """One scraped or Wikidata list of office-holders; the position comes from the row or the folder's meta.json."""
    meta = {}
    mp = f.parent / "meta.json"
    if mp.exists():
        try:
            meta = json.loads(mp.read_text(encoding="utf-8"))
        except ValueError:
            meta = {}
    rows = read_csv(f)
    if not rows:
        return
    cols = rows[0].keys()
    qcol = next((c for c in ("person", "wdid", "wdperson", "item", "personID") if c in cols), None)
    if qcol is None:
        return
    ncols = [c for c in ("personLabel", "name", "wdLabel", "itemLabel", "wdpersonlabel") if c in cols]
    pos = labels.get(meta.get("position") if isinstance(meta.get("position"), str) else "", "")
    for r in rows:
        qid = (r.get(qcol) or "").strip()
        if not re.fullmatch(r"Q\d+", qid):
            continue
        plabel = r.get("positionLabel") or r.get("position") or pos
        if re.fullmatch(r"Q\d+", plabel or ""):
            plabel = labels.get(plabel, "")
        role = None
        if plabel:
            start = r.get("startDate") or r.get("start") or r.get("start_date") or ""
            role = Role(position_kind(plabel), plabel, iso, start, r.get("endDate") or r.get("end_date") or "")
        people.add(qid, [r.get(c, "") for c in ncols], role, country=iso)


def _world(b: Build, w: Path, people: People) -> None:
    """International posts, PACE and other assemblies, foreign ministers of every country."""
    for fname in ("holders21.csv", "current.csv"):
        for r in read_csv(w / "html" / fname):
            people.add(r["personID"], [r["person"]],
                       Role("intl_official", r["position"], "", r.get("start", ""), r.get("end", "")))
    for r in read_csv(w / "html" / "bio.csv"):
        people.add(r["id"], [r["name"], r["enwiki"]])
    for r in read_csv(w / "html" / "legislators.csv"):
        people.add(r["personID"], [r["person"]],
                   Role("legislator", r["position"], "", r.get("start", ""), r.get("end", "")))
    for r in read_csv(w / "sources" / "foreign" / "wikidata.csv"):
        if r["person"]:
            iso = b.countries.by_qid.get(r["country"], "")
            people.add(r["person"], [r["name"]], Role("minister", "Minister of Foreign Affairs", iso, r["start"], ""))
    for r in read_csv(w / "sources" / "foreign" / "scraped.csv"):
        if r["person"]:
            people.add(r["person"], [r["name"]])
