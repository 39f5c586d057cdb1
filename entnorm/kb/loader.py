"""YAML files -> `KnowledgeBase`, compiled once per content and cached (pickle, keyed by a content hash).

Reads every `*.yaml` under the given files/directories (default: the shipped gazetteer, `settings.gazetteer_dir()`).
An empty or missing gazetteer is an error: an empty index would silently turn every mention into NIL.
"""
from __future__ import annotations

import gc
import hashlib
import pickle
import sys
from pathlib import Path

import yaml

from .. import settings
from .index import KnowledgeBase
from .schema import RecordError, check_record, entity_from_record

INDEX_VERSION = 8  # bump when the compiled layout or the name keys change
# the code that shapes the compiled index: name keys, record -> entity, the index itself
_INDEX_CODE = ("names.py", "namedata.py", "kb/schema.py", "kb/index.py")


class GazetteerNotFound(FileNotFoundError):
    """No gazetteer records where the loader was told to look."""


def gazetteer_files(paths: list[Path] | None = None) -> list[Path]:
    """Every YAML file under `paths` (files or directories), sorted; GazetteerNotFound when there is none."""
    paths = [Path(p) for p in paths] if paths else [settings.gazetteer_dir()]
    files = set()
    for p in paths:
        if p.is_file():
            files.add(p)
        elif p.is_dir():
            files.update(f for f in p.rglob("*.yaml") if f.is_file())
        else:
            raise GazetteerNotFound(f"gazetteer path {p} does not exist (set ENTNORM_GAZETTEER or pass a YAML "
                                    f"file/directory; the shipped gazetteer lives in the package's gazetteer/)")
    if not files:
        raise GazetteerNotFound(f"no *.yaml gazetteer files under {', '.join(map(str, paths))}: reinstall entnorm "
                                f"(the wheel ships its gazetteer) or point ENTNORM_GAZETTEER at a gazetteer folder")
    return sorted(files)


def read_records(files: list[Path]):
    """(path, record) for every record, validated against the schema."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in map(Path, files):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or []
        if not isinstance(data, list):
            raise RecordError(f"{path}: expected a list of entity records")
        for n, rec in enumerate(data):
            check_record(rec, f"{path}: record {n + 1}")
            yield path, rec


def compile_kb(files: list[Path]) -> KnowledgeBase:
    entities, seen = [], set()
    for path, rec in read_records(files):
        if rec["id"] in seen:
            raise RecordError(f"{path}: duplicate entity id {rec['id']}")
        seen.add(rec["id"])
        entities.append(entity_from_record(rec))
    if not entities:
        raise GazetteerNotFound(f"the gazetteer files hold no records: {', '.join(map(str, files))}")
    return KnowledgeBase(entities)


def fingerprint(files: list[Path]) -> str:
    """Content hash of the gazetteer files and the name-key code: what the compiled cache is keyed on."""
    h = hashlib.sha256(f"v{INDEX_VERSION}".encode())
    code_dir = Path(__file__).resolve().parent.parent
    for path in [*(code_dir / name for name in _INDEX_CODE), *files]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _unpickle(fh) -> KnowledgeBase:
    """Unpickling allocates millions of objects, which would trigger the cyclic GC hundreds of times: paused,
    unpickling the 18 MB index took 0.60 s instead of 1.40-1.59 s (AMD EPYC). It makes no garbage to collect."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(fh)
    finally:
        if paused:
            gc.enable()


def load_kb(paths: list[Path] | None = None) -> KnowledgeBase:
    """Compile the YAML under `paths` (default: the shipped gazetteer) or reuse the cached compilation."""
    files = gazetteer_files(paths)
    cache = settings.cache_dir() / f"gazetteer-{fingerprint(files)}.pickle"
    if cache.exists():
        with cache.open("rb") as fh:
            return _unpickle(fh)
    if len(files) > 3:
        print(f"entnorm: compiling the gazetteer ({len(files)} files) into {cache.parent}; later runs reuse it",
              file=sys.stderr)
    kb = compile_kb(files)
    tmp = cache.with_suffix(f".tmp{id(kb)}")
    with tmp.open("wb") as fh:
        pickle.dump(kb, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(cache)
    return kb
