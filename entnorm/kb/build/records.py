"""Entities under construction, and their merge into gazetteer records where a curated record wins.

Reads: `gazetteer/curated/*.yaml` (load_curated). Writes nothing: `finalize` returns the generated records,
grouped by output file, with fields in the order and shape of `entnorm.kb.schema` (FIELDS, check_record).

Every source module adds to one `Store`: records are keyed by id (a QID when a source gives one), so each
source that names the same QID adds its aliases to one entity. A curated record with the same id as a
generated one replaces it: the generated one is left out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ...names import fold
from ..schema import FIELDS, PARENTHESIS, check_record
from .aliases import kept_aliases
from .newsstats import NewsStats
from .text import clean_space, is_latin, slugify

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Entity:
    id: str
    type: str
    name: str = ""
    kind: str = ""
    country: str = ""
    description: str = ""
    prior: float = 0.0
    aliases: dict = field(default_factory=dict)  # fold key -> first spelling seen (insertion ordered)
    refs: dict = field(default_factory=dict)
    sources: list = field(default_factory=list)
    protected: set = field(default_factory=set)  # fold keys exempt from the ordinary-word filter
    file: str = ""                               # output file stem (writer.FILE_ORDER)

    def add(self, alias: str, *, protect: bool = False) -> None:
        a = clean_space(alias)
        if not a:
            return
        k = fold(a)
        if not k:
            return
        if k not in self.aliases:
            self.aliases[k] = a
        elif a != self.aliases[k] and a not in self.aliases.values():
            # spellings that differ only by case, accents or punctuation stay separate aliases
            self.aliases[k + "\x00" + a] = a
        if protect:
            self.protected.add(k)

    def src(self, s: str) -> None:
        if s not in self.sources:
            self.sources.append(s)

    def keys(self, n: int | None = None) -> list[str]:
        """Fold keys of the first `n` (default all) aliases; keys of extra spellings never match a fold."""
        return list(self.aliases)[:n]

    def latin_keys(self) -> set[str]:
        """Fold keys of the Latin-script aliases: what a Latin name is compared with to see if it is taken.
        A romanised alias in another script is no such evidence (Arabic درنة, Derna, folds to 'drn')."""
        return {k.split("\x00")[0] for k, a in self.aliases.items() if is_latin(a)}


class Store:
    def __init__(self) -> None:
        self.by_id: dict[str, Entity] = {}

    def get(self, eid: str, etype: str) -> Entity:
        e = self.by_id.get(eid)
        if e is None:
            e = self.by_id[eid] = Entity(eid, etype)
        return e

    def new_slug(self, prefix: str, name: str, etype: str, taken: set[str]) -> Entity:
        """A new entity with id `prefix:slug-of-name`, numbered (-2, -3, ...) past ids in use or in `taken`."""
        base = f"{prefix}:{slugify(name)}"
        eid, i = base, 2
        while eid in self.by_id or eid in taken:
            eid, i = f"{base}-{i}", i + 1
        return self.get(eid, etype)

    def latin_keys(self, *types: str) -> set[str]:
        return {k for e in self.by_id.values() if e.type in types for k in e.latin_keys()}

    def upgrade(self, old_id: str, qid: str) -> Entity:
        """Give the slug entity `old_id` the QID a source maps it to; the slug stays in refs['slug'] (the loader
        resolves it). If an entity with that QID exists already, the slug entity merges into it: its names,
        sources and refs are added and its name, kind, country, description and file replace the other's (the
        caller asked for the slug record's identity under the QID); the prior is the larger one."""
        old = self.by_id.pop(old_id)
        slugs = [s for s in (old.refs.pop("slug", ""), old_id) if s and not s.startswith("Q")]
        e = self.by_id.get(qid)
        if e is None:
            old.id = qid
            self.by_id[qid] = e = old
        else:
            absorb(e, old)
            for f in ("name", "kind", "country", "description", "file"):
                setattr(e, f, getattr(old, f) or getattr(e, f))
        add_slug(e, *slugs)
        return e


def absorb(e: Entity, other: Entity) -> None:
    """Add the names, protected forms, sources and refs of `other` to `e` (refs of `e` win); prior is the max."""
    for k, a in other.aliases.items():
        if k not in e.aliases:
            e.aliases[k] = a
    e.protected |= other.protected
    for s in other.sources:
        e.src(s)
    slugs = other.refs.get("slug", "")
    for k, v in other.refs.items():
        e.refs.setdefault(k, v)
    if slugs:
        add_slug(e, *slugs.split(", "))
    e.prior = max(e.prior, other.prior)


def add_slug(e: Entity, *slugs: str) -> None:
    """Record in refs['slug'] (comma-separated) the slug ids this record had in earlier builds."""
    have = [s for s in e.refs.get("slug", "").split(", ") if s]
    have += [s for s in slugs if s and s != e.id and s not in have]
    if have:
        e.refs["slug"] = ", ".join(have)


def load_curated(curated_dir: Path) -> list[dict]:
    recs = []
    for f in sorted(curated_dir.glob("*.yaml")):
        data = yaml.load(f.read_text(encoding="utf-8"), Loader=Loader) or []
        recs += [r for r in data if isinstance(r, dict) and r.get("id")]
    return recs


def curated_keys(curated: list[dict], etype: str) -> set[str]:
    """Fold keys of the Latin-script names and aliases of the curated records of one type."""
    return {fold(a) for r in curated if r.get("type") == etype
            for a in [r.get("name", "")] + list(r.get("aliases") or []) if is_latin(str(a))}


def to_record(e: Entity, aliases: list[str]) -> dict:
    values = {"id": e.id, "type": e.type, "name": e.name, "aliases": aliases, "kind": e.kind,
              "country": e.country, "description": e.description, "prior": round(float(e.prior), 3),
              "refs": {k: (str(v) if not isinstance(v, int) else v) for k, v in e.refs.items() if v not in ("", None)},
              "source": ", ".join(e.sources) if e.sources else "generated"}
    rec = {k: values[k] for k in FIELDS if k in values and (values[k] or k == "prior")}
    check_record(rec, f"generated record {e.id}")
    return rec


def curated_twins(store: Store, curated: list[dict]) -> dict[str, str]:
    """Generated QID records that name the same entity as a curated slug record: {generated id: curated id}.
    Twins: the curated id is the generated record's old slug (refs['slug']), or (places and organisations only:
    people share names too often) both have the same type and country and the display name of one is a name of
    the other. The curated record should take the QID (and the
    slug in refs); until it does, the generated twin is left out, so the entity is not there twice."""
    slugs = {r["id"]: r for r in curated if not str(r["id"]).startswith("Q")}
    by_name, by_display = {}, {}
    for cid, r in slugs.items():
        if r["type"] == "PER":
            continue
        by_display.setdefault((r["type"], r.get("country", ""), fold(str(r["name"]))), cid)
        for a in [r["name"], *(r.get("aliases") or [])]:
            by_name.setdefault((r["type"], r.get("country", ""), fold(str(a))), cid)
    twins = {}
    for e in store.by_id.values():
        if not e.id.startswith("Q") or e.id in slugs:
            continue
        old = [s for s in e.refs.get("slug", "").split(", ") if s in slugs]
        bare = PARENTHESIS.sub("", e.name).strip()  # "Gaza (Mozambik)": guards.py qualified the name
        cur = old[0] if old else by_name.get((e.type, e.country, fold(bare)))
        if cur is None:
            cur = next((by_display[k] for k in ((e.type, e.country, k) for k in e.keys()) if k in by_display), None)
        if cur:
            twins[e.id] = cur
    return twins


def finalize(store: Store, curated_ids: set[str], news: NewsStats, log) -> dict[str, list[dict]]:
    """Generated records by output file stem; entities that a curated record replaces, or without a name, left out."""
    out: dict[str, list[dict]] = {}
    n_risky = n = 0
    for e in store.by_id.values():
        if e.id in curated_ids or not e.name:
            continue
        aliases, dropped = kept_aliases(e, fold(e.name), news)
        n_risky += dropped
        out.setdefault(e.file or "misc", []).append(to_record(e, aliases))
        n += 1
    log(f"finalize: {n} records, {n_risky} risky one-word aliases dropped")
    return out
