"""Writing a compiled store (the format is described in store.py).

`compile_store` streams the entities once: entity records and alias texts go straight to files, and each lookup
table keeps only (key hash, identity hash, key number, posting) rows in compact arrays, 28 bytes per indexed key
and no Python object per key (each batch's distinct key texts go to a scratch file). At the end every table is
sorted once by (hash, identity, posting order) and written in CSR form. Keys are grouped by their 64-bit `key_hash` plus a second, independent 64-bit identity hash (Python's
string hash, salted per process, consistent within this one): two distinct keys end up in one group only if both
hashes collide (odds about n^2 / 2^129). Keys that merely share `key_hash` become separate, adjacent groups
that lookups tell apart by the key text.
"""
from __future__ import annotations

import json
import mmap
import os
import secrets
import shutil
from array import array
from pathlib import Path
from typing import Iterable

import numpy as np

from ..names import name_keys
from . import store as fmt
from .schema import Entity
from .typo import char_mask

BATCH = 65_536  # keys hashed per batch


class _Rows:
    """The rows of one lookup table, in the order they were added (ascending postings). Per row: the key's hash,
    identity hash and number among the distinct keys of its batch; the distinct keys' texts go to a scratch
    file, from which each group's key text is copied at the end."""

    def __init__(self, scratch: Path):
        self.hashes, self.idents, self.key_refs = array("Q"), array("q"), array("Q")
        self.postings = array("I")
        self.key_off = array("Q", [0])
        self.scratch = scratch
        self.key_file = scratch.open("wb")

    def add(self, keys: list[str], postings: Iterable[int]) -> None:
        distinct = list(dict.fromkeys(keys))  # each distinct key is encoded and hashed once per batch
        number = {k: i for i, k in enumerate(distinct)}
        refs = np.fromiter(map(number.__getitem__, keys), np.int64, len(keys))
        encoded = [k.encode("utf-8", "surrogatepass") for k in distinct]
        self.key_file.write(b"".join(encoded))
        first_ref = len(self.key_off) - 1
        _append(self.key_off, _lengths(encoded).cumsum() + np.uint64(self.key_off[-1]))
        _append(self.hashes, np.fromiter(map(fmt.key_hash, distinct), np.uint64, len(distinct))[refs])
        _append(self.idents, np.fromiter(map(hash, distinct), np.int64, len(distinct))[refs])
        _append(self.key_refs, (refs + first_ref).astype(np.uint64))
        _append(self.postings, np.asarray(postings, dtype=np.uint32))


def _lengths(encoded: list[bytes]) -> np.ndarray:
    return np.fromiter(map(len, encoded), np.uint64, len(encoded))


def _append(arr: array, values: np.ndarray) -> None:
    """Append a numpy array to a compact array.array of the same item type, without Python ints."""
    arr.frombytes(values.tobytes())


def _smallest_uint(values: np.ndarray) -> np.ndarray:
    return values.astype(np.uint32 if not len(values) or values.max() < 2 ** 32 else np.uint64)


class _Writer:
    def __init__(self, out: Path):
        self.out = out
        self.rows = {name: _Rows(out / f"{name}.keys.unsorted") for name in fmt.TABLES}
        self.types: dict[str, int] = {}
        self.entity_type = array("B")
        self.entity_off, self.alias_off = array("Q", [0]), array("Q", [0])
        self.alias_entity = array("I")
        self.alias_length, self.alias_chars = array("I"), array("Q")  # per alias: text length, char_mask
        self.entity_file = (out / "entities.bin").open("wb")
        self.alias_file = (out / "aliases.unsorted").open("wb")
        self.n_entities = self.n_aliases = 0
        # since the last flush: entity records, ids; alias texts, name keys; person name tokens
        self.records, self.ids, self.texts, self.keys = [], [], [], []
        self.person_tokens, self.person_entities = [], []
        self.slugs, self.slug_entities = [], []

    def add(self, ent: Entity) -> None:
        e = self.n_entities
        record = fmt.FIELD_SEP.join((ent.id, ent.type, ent.name, ent.kind, ent.country, ent.description,
                                     repr(float(ent.prior)), "1" if ent.curated else "", ent.source, *ent.aliases))
        if record.count(fmt.FIELD_SEP) != fmt.N_FIELDS - 1 + len(ent.aliases):
            raise ValueError(f"entity {ent.id!r}: a field contains the separator U+001F")
        data = record.encode("utf-8", "surrogatepass")
        self.records.append(data)
        self.entity_off.append(self.entity_off[-1] + len(data))
        self.entity_type.append(self.types.setdefault(ent.type, len(self.types)))
        self.ids.append(ent.id)
        self.slugs.extend(ent.slugs)
        self.slug_entities.extend([e] * len(ent.slugs))
        person: dict[str, None] = {}  # this person's name tokens
        for alias in ent.aliases:
            keys = name_keys(alias)
            if not keys.key:
                continue  # not indexed, and not numbered: as KnowledgeBase does
            self.n_aliases += 1
            self.alias_entity.append(e)
            self.alias_length.append(len(alias))
            self.alias_chars.append(char_mask(alias))
            self.texts.append(alias)
            self.keys.append(keys)
            if ent.type == "PER" and len(keys.tokens) > 1:
                person.update(dict.fromkeys(keys.tokens))
        self.person_tokens.extend(person)
        self.person_entities.extend([e] * len(person))
        self.n_entities += 1
        if len(self.keys) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Hand the batch's keys to the tables, its texts to the files."""
        keys, rows = self.keys, self.rows
        aliases = range(self.n_aliases - len(keys), self.n_aliases)
        for name, key_of in fmt.ALIAS_KEYS.items():
            if name == "tokenset":  # multi-word names only
                multi = [i for i, k in enumerate(keys) if len(k.tokens) > 1]
                rows[name].add([keys[i].tokenset for i in multi], [aliases.start + i for i in multi])
            else:
                rows[name].add(list(map(key_of, keys)), aliases)
        rows["id"].add(self.ids, range(self.n_entities - len(self.ids), self.n_entities))
        rows["person"].add(self.person_tokens, self.person_entities)
        rows["slug"].add(self.slugs, self.slug_entities)
        self.entity_file.write(b"".join(self.records))
        if fmt.TEXT_SEP in "".join(self.texts):
            raise ValueError(f"alias {next(t for t in self.texts if fmt.TEXT_SEP in t)!r} contains U+0000")
        encoded = [t.encode("utf-8", "surrogatepass") for t in self.texts]
        self.alias_file.write(b"".join(encoded))
        _append(self.alias_off, _lengths(encoded).cumsum() + np.uint64(self.alias_off[-1]))
        for batch in (self.records, self.ids, self.texts, self.keys, self.person_tokens, self.person_entities,
                      self.slugs, self.slug_entities):
            batch.clear()

    def finish(self, fingerprint: str) -> None:
        self.flush()
        self.entity_file.close()
        self.alias_file.close()
        if self.n_aliases >= 2 ** 32 or self.n_entities >= 2 ** 32:
            raise ValueError("more than 2^32 aliases or entities: postings are 32-bit")
        if len(self.types) > 255:
            raise ValueError("more than 255 entity types")
        arrays = {"entity_off": _smallest_uint(np.frombuffer(self.entity_off, np.uint64)),
                  "entity_type": np.frombuffer(self.entity_type, np.uint8),
                  "alias_entity": np.frombuffer(self.alias_entity, np.uint32)}
        tables = {}
        for name, rows in self.rows.items():
            rows.key_file.close()
            tables[name], slots = self._table(name, rows, arrays)
            if name == "prefix":  # the prefix postings are the alias texts' order in aliases.bin
                self._write_texts(slots, arrays)
            self.rows[name] = None  # free each table's rows once written
        for name, values in arrays.items():
            np.save(self.out / f"{name}.npy", values, allow_pickle=False)
        manifest = {"format": fmt.FORMAT, "version": fmt.VERSION, "entities": self.n_entities,
                    "aliases": self.n_aliases, "types": list(self.types), "fingerprint": fingerprint,
                    "name_keys": fmt.key_code_hash(), "hash": "blake2b-64 (utf-8)", "fence": fmt.FENCE,
                    "tables": tables}
        manifest["files"] = {f.name: f.stat().st_size for f in sorted(self.out.iterdir())
                             if f.suffix in (".npy", ".bin")}
        (self.out / "manifest.json").write_text(json.dumps(manifest, indent=1))

    def _table(self, name: str, rows: _Rows, arrays: dict) -> tuple[dict, np.ndarray]:
        hashes = np.frombuffer(rows.hashes, np.uint64)
        idents = np.frombuffer(rows.idents, np.int64)
        # stable: postings stay ascending within a key; a typo block (a prefix's postings, one row per alias in
        # alias order) by text length first, so that a length band is a slice
        within = (np.frombuffer(self.alias_length, np.uint32),) if name == "prefix" else ()
        order = np.lexsort((*within, idents, hashes))
        hashes, idents = hashes[order], idents[order]
        first = np.ones(len(order), bool)
        first[1:] = (hashes[1:] != hashes[:-1]) | (idents[1:] != idents[:-1])
        first = np.flatnonzero(first)
        del idents
        postings = np.frombuffer(rows.postings, np.uint32)[order]
        arrays[f"{name}.hash"] = hashes[first]
        arrays[f"{name}.fence"] = arrays[f"{name}.hash"][::fmt.FENCE].copy()
        arrays[f"{name}.off"] = _smallest_uint(np.append(first, len(order)))
        arrays[f"{name}.post"] = postings
        arrays[f"{name}.key_off"] = self._write_keys(rows, order[first], self.out / f"{name}.keys.bin")
        return {"keys": len(first), "postings": len(order)}, postings

    @staticmethod
    def _gather(src: Path, dst: Path, off: np.ndarray, items: np.ndarray, sep: bytes = b"") -> None:
        """Write the byte strings `items` of `src` (item i is src[off[i]:off[i + 1]]) to `dst`, each + `sep`."""
        with src.open("rb") as fh, dst.open("wb") as out:
            data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if len(items) and off[-1] else b""
            for start in range(0, len(items), BATCH):
                chunk = items[start:start + BATCH]
                out.write(b"".join(data[s:e] + sep for s, e in zip(off[chunk].tolist(), off[chunk + 1].tolist())))
            if isinstance(data, mmap.mmap):
                data.close()
        src.unlink()

    def _write_keys(self, rows: _Rows, rows_of_groups: np.ndarray, dst: Path) -> np.ndarray:
        """`<table>.keys.bin`: each group's key text, in group order; returns its offsets."""
        off = np.frombuffer(rows.key_off, np.uint64)
        refs = np.frombuffer(rows.key_refs, np.uint64)[rows_of_groups]
        self._gather(rows.scratch, dst, off, refs)
        return _smallest_uint(np.concatenate([[0], np.cumsum(off[refs + 1] - off[refs])]).astype(np.uint64))

    def _write_texts(self, slots: np.ndarray, arrays: dict) -> None:
        """aliases.bin: the alias texts in typo-block order, each followed by TEXT_SEP; the typo search's per-slot
        text lengths (in characters) and character masks."""
        off = np.frombuffer(self.alias_off, np.uint64)
        lengths = off[1:] - off[:-1]
        arrays["alias_text_off"] = _smallest_uint(np.concatenate([[0], np.cumsum(lengths[slots] + 1)]))
        length = np.frombuffer(self.alias_length, np.uint32)[slots]
        arrays["typo_length"] = length.astype(np.min_scalar_type(length.max() if len(length) else 0))
        arrays["typo_chars"] = np.frombuffer(self.alias_chars, np.uint64)[slots]
        alias_slot = np.empty(len(slots), np.uint32)
        alias_slot[slots] = np.arange(len(slots), dtype=np.uint32)
        arrays["alias_slot"] = alias_slot
        self._gather(self.out / "aliases.unsorted", self.out / "aliases.bin", off, slots, fmt.TEXT_SEP.encode())


def compile_store(entities: Iterable[Entity], out_dir: str | Path, fingerprint: str = "",
                  overwrite: bool = True) -> Path:
    """Compile `entities` (any iterable, consumed once) into the store directory `out_dir`.

    Built in a temporary sibling directory and renamed into place, so a reader never sees half a store. An
    existing `out_dir` is replaced (`overwrite`) or kept (when another process finished the same build first).
    `fingerprint` names the source data (the loader passes its content hash); it is kept in the manifest."""
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
    tmp.mkdir()
    try:
        writer = _Writer(tmp)
        for ent in entities:
            writer.add(ent)
        writer.finish(fingerprint)
        _move_into_place(tmp, out, overwrite)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _move_into_place(tmp: Path, out: Path, overwrite: bool) -> None:
    try:
        os.rename(tmp, out)
        return
    except OSError:
        if not out.exists():
            raise
    if not overwrite:
        return
    trash = out.parent / f".{out.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
    os.rename(out, trash)  # processes that mapped the old files keep reading them
    os.rename(tmp, out)
    shutil.rmtree(trash, ignore_errors=True)
