"""The state one build shares between its source modules. Reads and writes nothing itself.

A `Build` holds the source folder, the entity store every module adds to, the curated records (whose ids
the generated records must not take), the news statistics, and the lookups one module leaves for the next:
country names by ISO code (countries.py, used by cities and people) and the Indonesian DBpedia place names
(orgs.py, evidence that a spelling is used in Indonesian).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ...names import fold
from .newsstats import NewsStats
from .records import Store


@dataclass
class Countries:
    by_qid: dict[str, str] = field(default_factory=dict)   # QID -> ISO alpha-2
    by_en: dict[str, str] = field(default_factory=dict)    # fold of an English name -> ISO
    id_name: dict[str, str] = field(default_factory=dict)  # ISO -> Indonesian display name
    en_name: dict[str, str] = field(default_factory=dict)  # ISO -> English name
    by_iso3: dict[str, str] = field(default_factory=dict)  # ISO alpha-3 (upper case) -> ISO alpha-2

    def iso_from_name(self, name: str) -> str:
        """ISO code of an English country name ('the Netherlands', 'Turkey'), '' when unknown."""
        return self.by_en.get(fold(re.sub(r"^the ", "", name or "", flags=re.I)), "")


@dataclass
class Build:
    src: Path                      # $ENTNORM_DATA/gazetteer-sources
    news: NewsStats
    curated: list[dict]
    log: Callable[[str], None] = print
    store: Store = field(default_factory=Store)
    countries: Countries = field(default_factory=Countries)
    place_attested: set[str] = field(default_factory=set)  # fold keys of Indonesian DBpedia place names
    notes: list[str] = field(default_factory=list)          # oddities worth a look, printed at the end

    def __post_init__(self) -> None:
        self.curated_ids = {r["id"] for r in self.curated}

    def has(self, *files: str) -> bool:
        """Are these source files (relative to `src`) there? The wide sources are optional: a build without
        one of them logs it and goes on without it."""
        missing = [f for f in files if not (self.src / f).exists()]
        if missing:
            self.log(f"source missing, skipped: {', '.join(missing)}")
        return not missing
