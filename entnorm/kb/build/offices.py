"""Offices held by people: the kind of an office from its English label, its rank and prior, and the
Indonesian description of a person's offices ("Menteri Luar Negeri Rusia (2004-)").

Reads: data/offices.csv, data/positions.yaml. Writes nothing.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .context import Countries
from .tables import csv_table, yaml_table
from .text import year

OFFICES = {row["kind"]: (int(row["rank"]), float(row["prior"])) for row in csv_table("offices.csv")}
POSITIONS = [(re.compile(p["match"]), p["title"]) for p in yaml_table("positions.yaml")]
HEAD_OF_GOVERNMENT = re.compile(r"prime minister|chancellor|premier|council of ministers|head of government|"
                                r"chief executive|first minister|taoiseach|chief minister", re.I)
LEGISLATOR = re.compile(r"member|deputy of|people's deputy|senator|representative", re.I)
MINOR = re.compile(r"co-prince|acting|interim|deputy|vice", re.I)  # never a person's main office when another exists


class Role(NamedTuple):
    kind: str
    label: str   # English position label
    iso: str     # country of the office ('' for international ones)
    start: str
    end: str     # '' while held


def leader_kind(label: str) -> str:
    return "head_of_government" if HEAD_OF_GOVERNMENT.search(label) else "head_of_state"


def office_kind(label: str) -> str:
    """Kind of a cabinet or executive position from its label."""
    p = label.lower()
    if p in ("president", "president of the united states") or p.startswith("president of"):
        return "head_of_state"
    if p.startswith("prime minister") or p in ("premier", "chancellor"):
        return "head_of_government"
    if "minister" in p or p.startswith("secretary of") or "secretary" in p and "press" not in p:
        return "minister"
    if "governor" in p or "mayor" in p:
        return "governor"
    if "ambassador" in p or "permanent representative" in p:
        return "ambassador"
    return "official"


def position_kind(label: str) -> str:
    """Kind of any position label: legislative seats first, else as `office_kind`."""
    if LEGISLATOR.search(label) and "permanent representative" not in label.lower():
        return "legislator"
    return office_kind(label)


def main_role_order(r: Role):
    """Sort key: most important kind first, national before international, substantive before acting, latest first."""
    return (OFFICES.get(r.kind, (9, 0))[0], not r.iso, bool(MINOR.search(r.label)), -(year(r.start) or 0))


def role_prior(main: Role | None, roles: list[Role]) -> float:
    if main is None:
        return 0.2
    pr = OFFICES.get(main.kind, (9, 0.3))[1]
    lab = main.label.lower()
    if main.kind == "minister" and re.search(r"foreign|external|defen[cs]e|secretary of state$|war", lab):
        pr += 0.1
    if main.kind == "intl_official" and re.search(r"^secretary-general of the united nations", lab):
        pr = 0.85
    current = any(r.kind == main.kind and not (r.end or "").strip() for r in roles)
    recent = max((year(r.end) or 9999 for r in roles if r.kind == main.kind), default=0)
    if current:
        pr += 0.05
    elif recent < 2000:
        pr -= 0.1
    return pr


def translate_position(label: str) -> tuple[str, str] | None:
    """(Indonesian title template, text of its first group) for a position label, None when no rule matches."""
    lab = label.strip()
    for pattern, title in POSITIONS:
        m = pattern.search(lab.lower())
        if m:
            return title, (lab[m.start(1):m.end(1)] if m.re.groups else "")
    return None


def role_title(role: Role, countries: Countries) -> str:
    lab = re.sub(r"\s*\(.*\)$", "", role.label).strip()
    core, iso = lab, role.iso
    m = re.match(r"^(.*?) of (?:the )?(.+)$", lab)
    if m and countries.iso_from_name(m.group(2)):
        core, iso = m.group(1), iso or countries.iso_from_name(m.group(2))
    cname = "" if role.kind == "intl_official" else countries.id_name.get(iso, "")
    found = translate_position(lab) or translate_position(core)
    if found:
        title, group = found
        return title.replace("{1}", group).replace(" {country}", f" {cname}" if cname else "")
    return lab + (f" ({cname})" if cname and cname.lower() not in lab.lower() else "")


def describe(roles_sorted: list[Role], countries: Countries) -> str:
    """The top two offices with their years, merged where spans touch: 'Presiden Rusia (2000-2008, 2012-)'."""
    if not roles_sorted:
        return "Tokoh politik (EveryPolitician/Wikidata)"
    groups: dict[str, list] = {}
    for r in roles_sorted:
        groups.setdefault(role_title(r, countries), []).append((year(r.start), year(r.end), not (r.end or "").strip()))
    parts = []
    for title, spans in list(groups.items())[:2]:
        merged: list[list] = []  # [start, end, open]
        for s, e_, open_ in sorted(spans, key=lambda x: (x[0] or 0, x[1] or 9999)):
            if s is None and e_ is None:
                continue
            if merged and s is not None and (merged[-1][2] or (merged[-1][1] or 0) + 1 >= s):
                merged[-1][1] = max(merged[-1][1] or 0, e_ or 0) or None
                merged[-1][2] = merged[-1][2] or open_
            else:
                merged.append([s, e_, open_])
        txt = ", ".join(f"{a}-" if o else (f"{a}-{b}" if a and b and a != b else f"{a or b}") for a, b, o in merged)
        parts.append(f"{title} ({txt})" if txt else title)
    return "; ".join(parts)[:200]
