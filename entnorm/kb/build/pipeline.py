"""One build of the generated gazetteer, source module by source module, in memory.

Reads: the sources under `src` (see each module), the news text under `text_dir`, the curated records under
`curated_dir`. Writes nothing: `build` returns the generated records grouped by output file (writer.py writes
them). Order matters: countries first (cities and people look up country names), then cities (Indonesian kota
merge into them), Indonesian areas, people, surnames (need every person), DBpedia organisations last (skip
names any other record has).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from ...settings import data_dir, gazetteer_dir
from . import (brands, cities, countries, guards, indonesia, indonesia_wikidata, orgs, parties, people,
               people_records, popular, world_regions)
from .context import Build
from .newsstats import NewsStats, news_files
from .records import curated_twins, finalize, load_curated


@dataclass
class Paths:
    src: Path          # gazetteer sources
    text: Path         # Indonesian news text (statistics only)
    curated: Path      # hand-written records, read only
    out: Path | None = None  # where the generated YAML goes

    @classmethod
    def default(cls) -> "Paths":
        """$ENTNORM_DATA/{gazetteer-sources,text}, $ENTNORM_GAZETTEER/{curated,generated}."""
        return cls(data_dir() / "gazetteer-sources", data_dir() / "text", gazetteer_dir() / "curated",
                   gazetteer_dir() / "generated")


@dataclass
class Result:
    by_file: dict[str, list[dict]]  # generated records by output file stem
    curated: list[dict]
    replaced: list[str]             # ids of curated records that replace a generated one
    notes: list[str]

    @property
    def records(self) -> list[dict]:
        return [r for recs in self.by_file.values() for r in recs]


def build(paths: Paths, *, with_iddbpedia_persons: bool = False, log=print) -> Result:
    t0 = time.time()
    news = NewsStats(news_files(paths.text))
    log(f"corpus: {news.sentences} sentences ({time.time() - t0:.1f}s)")
    b = Build(src=paths.src, news=news, curated=load_curated(paths.curated), log=log)
    orgs.load_attested_places(b)
    countries.add_territories(b)
    cities.add_cities(b)
    indonesia.add_regions(b)
    indonesia_wikidata.add_qids(b)
    people_records.add_people(b, people.collect(b))
    people_records.add_surnames(b)
    parties.add_parties(b)
    popular.add_popular(b)
    brands.add_brands(b)
    world_regions.add_regions(b)
    orgs.add_iddbpedia(b, persons=with_iddbpedia_persons)
    log(f"guards: {guards.qualify_shadowing_names(b)} new records renamed 'Name (Country)': their name is a "
        f"better-known record's short name")
    twins = curated_twins(b.store, b.curated)
    for gid, cid in sorted(twins.items()):
        b.notes.append(f"curated {cid} and generated {gid} ({b.store.by_id[gid].name}) may name one entity: "
                       f"{gid} left out (give the curated record the QID, its slug in refs)")
    by_file = finalize(b.store, b.curated_ids | set(twins), b.news, log)
    replaced = [r["id"] for r in b.curated if r["id"] in b.store.by_id]
    return Result(by_file, b.curated, replaced, b.notes)
