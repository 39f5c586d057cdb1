"""The gazetteer record schema, defined once: the YAML files, the builder and the compiled index all use it.

A record is one mapping in a YAML list (docs/gazetteer.md has the meaning of every field):

    - id: Q649              # Wikidata QID, else a stable slug (loc:id-bps-3171, org:kcna)
      type: LOC             # one of doc.LABELS
      name: Moskow          # display name, the Indonesian news form where one exists
      aliases: [Moscow, Moskwa]
      kind: capital
      country: RU           # ISO 3166-1 alpha-2
      description: Ibu kota Rusia
      prior: 0.818          # popularity in [0, 1]: a ranking signal, not a probability
      refs: {geonames: '524901'}
      source: rigour, natural-earth

`refs.slug` lists (comma-separated) the slug ids a record had before a source gave it a QID
(`refs: {slug: loc:id-bps-3171}`): the compiled index resolves them to the record, so old ids keep working.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..doc import LABELS
from ..names import strip_legal_form

REQUIRED = ("id", "type", "name")
OPTIONAL = ("aliases", "kind", "country", "description", "prior", "refs", "source", "curated")
FIELDS = REQUIRED + OPTIONAL  # the order records are written in
DEFAULT_PRIOR = 0.5
PARENTHESIS = re.compile(r"\s*\([^)]*\)")  # "Georgia (USA)": a disambiguator, not how text writes the name


class RecordError(ValueError):
    """A gazetteer record that breaks the schema."""


@dataclass(frozen=True)
class Entity:
    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()   # every name it is matched by, its display name first
    kind: str = ""
    country: str = ""
    description: str = ""
    prior: float = DEFAULT_PRIOR
    curated: bool = False
    source: str = ""
    slugs: tuple[str, ...] = field(default=(), compare=False)  # earlier ids (refs.slug): `get` resolves them


def check_record(rec, where: str) -> None:
    """Raise RecordError naming `where` (file and record number) when `rec` is not a valid record."""
    if not isinstance(rec, dict) or not set(REQUIRED) <= rec.keys():
        raise RecordError(f"{where}: a record needs {', '.join(REQUIRED)}: {rec!r:.200}")
    if rec["type"] not in LABELS:
        raise RecordError(f"{where}: record {rec['id']}: type {rec['type']!r} is not one of {LABELS}")
    unknown = rec.keys() - set(FIELDS)
    if unknown:
        raise RecordError(f"{where}: record {rec['id']}: unknown field(s) {', '.join(sorted(unknown))}")


def old_ids(rec: dict) -> tuple[str, ...]:
    """The earlier (slug) ids of a record, from `refs.slug`."""
    slug = (rec.get("refs") or {}).get("slug") or ""
    return tuple(s.strip() for s in str(slug).split(",") if s.strip())


def entity_from_record(rec: dict) -> Entity:
    names = [str(a) for a in [rec["name"], *(rec.get("aliases") or [])] if str(a).strip()]
    names += [bare for a in names if "(" in a and (bare := PARENTHESIS.sub("", a).strip())]
    if rec["type"] == "ORG":  # PT Telekomunikasi Indonesia Tbk is written Telekomunikasi Indonesia too
        names += [strip_legal_form(a) for a in names]
    return Entity(id=str(rec["id"]), type=rec["type"], name=str(rec["name"]), aliases=tuple(dict.fromkeys(names)),
                  kind=rec.get("kind") or "", country=rec.get("country") or "",
                  description=rec.get("description") or "", prior=float(rec.get("prior", DEFAULT_PRIOR)),
                  curated=bool(rec.get("curated")), source=str(rec.get("source") or ""), slugs=old_ids(rec))
