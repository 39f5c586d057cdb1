"""The gazetteer: human-editable YAML records compiled into lookup tables, cached by content hash.

Reads every `*.yaml` under the gazetteer directory (generated and hand-curated files alike; schema in
docs/gazetteer.md). The compiled index maps three spellings of every alias to entities:
folded form (exact up to case, accents, punctuation), phonetic key, and consonant skeleton (recall only).
"""
from __future__ import annotations

import gc
import hashlib
import pickle
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import settings
from .names import name_keys

INDEX_VERSION = 6  # bump when the compiled layout or the name keys change
TYPES = ("PER", "LOC", "ORG")
PARENTHESIS = re.compile(r"\s*\([^)]*\)")


@dataclass(frozen=True)
class Entity:
    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = ""
    country: str = ""
    description: str = ""
    prior: float = 0.5
    curated: bool = False


@dataclass
class GazetteerIndex:
    entities: list[Entity]
    aliases: list[tuple[int, str]]                       # (entity index, alias text)
    by_folded: dict[str, list[int]] = field(default_factory=dict)    # folded -> alias indices
    by_key: dict[str, list[int]] = field(default_factory=dict)       # phonetic key -> alias indices
    by_skeleton: dict[str, list[int]] = field(default_factory=dict)  # skeleton -> alias indices
    by_prefix: dict[str, list[int]] = field(default_factory=dict)    # key[:3] -> alias indices (typo search)
    by_tokenset: dict[str, list[int]] = field(default_factory=dict)  # sorted tokens -> alias indices (word order)
    by_token: dict[str, list[int]] = field(default_factory=dict)     # PER name token -> entity indices
    by_id: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entities)


def _yaml_files(directory: Path) -> list[Path]:
    return sorted(p for p in Path(directory).rglob("*.yaml") if p.is_file())


def _records(files: list[Path]):
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in files:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or []
        if not isinstance(data, list):
            raise ValueError(f"{path}: expected a list of entity records")
        for n, rec in enumerate(data):
            if not isinstance(rec, dict) or not {"id", "type", "name"} <= rec.keys():
                raise ValueError(f"{path}: record {n + 1} needs id, type and name: {rec!r:.200}")
            if rec["type"] not in TYPES:
                raise ValueError(f"{path}: record {rec['id']}: type {rec['type']!r} is not one of {TYPES}")
            yield path, rec


def compile_index(files: list[Path]) -> GazetteerIndex:
    entities, by_id = [], {}
    for path, rec in _records(files):
        if rec["id"] in by_id:
            raise ValueError(f"{path}: duplicate entity id {rec['id']}")
        names = [str(a) for a in [rec["name"], *(rec.get("aliases") or [])] if str(a).strip()]
        # "Georgia (USA)": the bare name is how text writes it; the parenthesis only disambiguates
        names += [bare for a in names if "(" in a and (bare := PARENTHESIS.sub("", a).strip())]
        aliases = tuple(dict.fromkeys(names))
        by_id[rec["id"]] = len(entities)
        entities.append(Entity(id=str(rec["id"]), type=rec["type"], name=str(rec["name"]), aliases=aliases,
                               kind=rec.get("kind") or "", country=rec.get("country") or "",
                               description=rec.get("description") or "", prior=float(rec.get("prior", 0.5)),
                               curated=bool(rec.get("curated"))))
    index = GazetteerIndex(entities, [], by_id=by_id)
    tables = {name: defaultdict(list) for name in ("by_folded", "by_key", "by_skeleton", "by_prefix",
                                                    "by_tokenset")}
    tokens = defaultdict(set)
    for e_idx, ent in enumerate(entities):
        for alias in ent.aliases:
            keys = name_keys(alias)
            if not keys.key:
                continue
            a_idx = len(index.aliases)
            index.aliases.append((e_idx, alias))
            tables["by_folded"][keys.folded].append(a_idx)
            tables["by_key"][keys.key].append(a_idx)
            tables["by_skeleton"][keys.skeleton].append(a_idx)
            tables["by_prefix"][keys.key[:3]].append(a_idx)
            if len(keys.tokens) > 1:
                tables["by_tokenset"][keys.tokenset].append(a_idx)
            if ent.type == "PER" and len(keys.tokens) > 1:
                for tok in keys.tokens:
                    tokens[tok].add(e_idx)
    for name, table in tables.items():
        setattr(index, name, dict(table))
    index.by_token = {t: sorted(v) for t, v in tokens.items()}
    return index


def _fingerprint(files: list[Path]) -> str:
    h = hashlib.sha256(f"v{INDEX_VERSION}".encode())
    for path in [Path(__file__).with_name("names.py"), Path(__file__).with_name("namedata.py"), *files]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _unpickle(fh) -> GazetteerIndex:
    """Unpickling allocates millions of objects, which would trigger the cyclic GC hundreds of times: paused,
    unpickling the 18 MB index took 0.60 s instead of 1.40-1.59 s (AMD EPYC). It makes no garbage to collect."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(fh)
    finally:
        if paused:
            gc.enable()


def load_gazetteer(paths: list[Path] | None = None) -> GazetteerIndex:
    """Compile the YAML under `paths` (default: the project gazetteer) or reuse the cached compilation."""
    files = sorted({f for p in (paths or [settings.gazetteer_dir()]) for f in
                    ([Path(p)] if Path(p).is_file() else _yaml_files(Path(p)))})
    cache = settings.cache_dir() / f"gazetteer-{_fingerprint(files)}.pickle"
    if cache.exists():
        with cache.open("rb") as fh:
            return _unpickle(fh)
    index = compile_index(files)
    tmp = cache.with_suffix(f".tmp{id(index)}")
    with tmp.open("wb") as fh:
        pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(cache)
    return index
