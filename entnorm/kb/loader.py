"""YAML files -> knowledge base, compiled once per content into a memory-mapped store (store.py) and cached.

Reads every `*.yaml` under the given files/directories (default: the shipped gazetteer, `settings.gazetteer_dir()`).
An empty or missing gazetteer is an error: an empty index would silently turn every mention into NIL.
`load_kb` compiles into `settings.cache_dir()/gazetteer-<fingerprint>/` (built aside, then renamed into place) and
opens it memory-mapped; `compile_kb` builds the in-memory `KnowledgeBase` (tests, small gazetteers).
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import yaml

from .. import settings
from .index import KnowledgeBase
from .schema import RecordError, check_record, entity_from_record
from .layered import LayeredKnowledgeBase
from .store import KEY_CODE, MappedKnowledgeBase, StoreError, compile_store, key_code_hash, open_store

INDEX_VERSION = 7  # part of the cache key (the store layout has its own store.VERSION: another is recompiled)


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


def read_entities(files: list[Path]):
    """The gazetteer's entities in file order; RecordError on a repeated id, GazetteerNotFound when there is none."""
    seen = set()
    for path, rec in read_records(files):
        if rec["id"] in seen:
            raise RecordError(f"{path}: duplicate entity id {rec['id']}")
        seen.add(rec["id"])
        yield entity_from_record(rec)
    if not seen:
        raise GazetteerNotFound(f"the gazetteer files hold no records: {', '.join(map(str, files))}")


def compile_kb(files: list[Path]) -> KnowledgeBase:
    return KnowledgeBase(list(read_entities(files)))


def fingerprint(files: list[Path]) -> str:
    """Content hash of the gazetteer files and the name-key code: what the compiled cache is keyed on."""
    h = hashlib.sha256(f"v{INDEX_VERSION}".encode())
    code_dir = Path(__file__).resolve().parent.parent
    for path in [*(code_dir / name for name in KEY_CODE), *files]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def load_kb(paths: list[Path] | None = None) -> MappedKnowledgeBase:
    """Open the compiled store of the YAML under `paths` (default: the shipped gazetteer), compiling it first
    when there is none for this content (or it is damaged, or of an older store format)."""
    files = gazetteer_files(paths)
    key = fingerprint(files)
    cache = settings.cache_dir() / f"gazetteer-{key}"
    damaged = False
    if cache.exists():
        try:
            return open_store(cache, fingerprint=key)
        except StoreError as err:
            print(f"entnorm: recompiling the gazetteer cache: {err}", file=sys.stderr)
            damaged = True
    if len(files) > 3:
        print(f"entnorm: compiling the gazetteer ({len(files)} files) into {cache}; later runs reuse it",
              file=sys.stderr)
    compile_store(read_entities(files), cache, fingerprint=key, overwrite=damaged)
    return open_store(cache, fingerprint=key)


def open_user_kb(path: str | Path):
    """A knowledge base the user points at (`--kb`): a folder written by `entnorm kb build` (its records are
    compiled into a store in the cache once), a compiled store folder, or gazetteer YAML (a file or folder)."""
    from .wikidata.records import RECORDS, iter_records

    path = Path(path)
    if (path / RECORDS).is_file():
        stat = (path / RECORDS).stat()
        key = hashlib.sha256(f"v{INDEX_VERSION}:{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:"
                             f"{key_code_hash()}".encode()).hexdigest()[:16]
        cache = settings.cache_dir() / f"kb-{key}"
        if not cache.exists():
            print(f"entnorm: compiling the knowledge base {path} into {cache}; later runs reuse it", file=sys.stderr)
            entities = (entity_from_record(rec) for n, rec in enumerate(iter_records(path))
                        if check_record(rec, f"{path / RECORDS}: record {n + 1}") is None)
            compile_store(entities, cache, fingerprint=key)
        return open_store(cache, fingerprint=key)
    if (path / "manifest.json").is_file():
        return open_store(path)
    return load_kb([path])


def load_knowledge(gazetteer: list[Path] | None = None, kbs: list[str | Path] = ()):
    """The user's knowledge bases (earlier ones win on a shared id) over the gazetteer (default: the shipped one)."""
    shipped = load_kb(gazetteer)
    return LayeredKnowledgeBase([*(open_user_kb(p) for p in kbs), shipped]) if kbs else shipped
