"""The compiled knowledge-base store: a directory of flat arrays, opened memory-mapped, queried like `KnowledgeBase`.

    compile_store(entities, out_dir)      # store_compile.py: streams the entities, writes the directory atomically
    kb = open_store(out_dir)              # MappedKnowledgeBase: opens in milliseconds, pages come in on demand

Layout (docs/kb.md has the measurements):
- `manifest.json`: format and version, counts, the entity types, the source fingerprint, a hash of the name-key
  code, and the byte size of every file (a truncated or swapped file is caught on open).
- entities: `entities.bin`, one UTF-8 record per entity (id, type, name, kind, country, description, prior,
  curated, source, aliases; fields separated by U+001F), `entity_off.npy` its offsets, `entity_type.npy` a type
  code per entity (for `types_of` without decoding records). Records are decoded on access, with an LRU cache.
- aliases (the indexed ones, numbered as `KnowledgeBase` numbers them): `alias_entity.npy`; their texts in
  `aliases.bin`, each followed by U+0000, laid out in typo-block order (the postings of the prefix table: by key
  prefix, then text length, then alias number) so that a length band of a block is one slice; `alias_slot.npy`
  maps an alias number to its place there, `alias_text_off.npy` the offsets, and per place `typo_length.npy`
  (the text's length in characters) and `typo_chars.npy` (its `typo.char_mask`) for the typo search.
- one lookup table per spelling (folded, key, skeleton, prefix, tokenset) and for person name tokens and entity
  ids: `<t>.hash.npy` the sorted 64-bit hashes of the distinct keys (`key_hash`), `<t>.fence.npy` every
  FENCE-th of them (read into memory: a lookup touches one page of the hash array), `<t>.off.npy` and
  `<t>.post.npy` the postings (alias numbers; entity numbers for person tokens and ids), grouped by key in
  CSR form, ascending within a key, and `<t>.keys.bin` / `<t>.key_off.npy` the key text of each group.
  Hashes are not trusted: a hit is checked against the key text, so two keys sharing a hash stay apart.
"""
from __future__ import annotations

import hashlib
import json
import mmap
import os
from bisect import bisect_left, bisect_right
from functools import lru_cache
from operator import attrgetter
from pathlib import Path

import numpy as np

from .schema import Entity
from .typo import EMPTY, TypoBlock

FORMAT, VERSION = "entnorm-kb-store", 3
FENCE = 512                  # hashes per fence step: 4 KiB of uint64, one page
FIELD_SEP, TEXT_SEP = "\x1f", "\x00"
N_FIELDS = 9                 # entity record fields before the aliases
ALIAS_KEYS = {"folded": attrgetter("folded"), "key": attrgetter("key"), "skeleton": attrgetter("skeleton"),
              "prefix": lambda keys: keys.key[:3], "tokenset": attrgetter("tokenset")}
TABLES = (*ALIAS_KEYS, "person", "id", "slug")  # slug: earlier ids of a record (refs.slug)
# the code that shapes a compiled store: the name keys, and record -> entity (aliases without legal forms ...)
KEY_CODE = ("names.py", "namedata.py", "kb/schema.py")


class StoreError(ValueError):
    """A store directory that is missing, incomplete, damaged or of another format version."""


def key_hash(text: str) -> int:
    """Stable 64-bit hash of a lookup key (Python's `hash` is salted per process)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def key_code_hash() -> str:
    """Hash of the name-key code: a store compiled with other keys would miss silently, so it is refused."""
    h = hashlib.sha256()
    for name in KEY_CODE:
        h.update((Path(__file__).resolve().parent.parent / name).read_bytes())
    return h.hexdigest()[:16]


def _decode(data) -> str:
    return data.decode("utf-8", "surrogatepass")


class EntitySequence:
    """`kb.entities` of a store or a layered base: a read-only sequence decoding entities on access."""

    def __init__(self, kb):
        self._kb = kb

    def __len__(self) -> int:
        return len(self._kb)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._kb.entity(n) for n in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(f"entity number {i} out of range")
        return self._kb.entity(i)

    def __iter__(self):
        return (self._kb.entity(n) for n in range(len(self)))


class _Table:
    """One lookup table: sorted key hashes (with an in-memory fence over them) -> a group of postings.
    Scalars are read through memoryviews (Python ints, several times faster than numpy scalars)."""

    def __init__(self, arrays: dict, blobs: dict, name: str):
        self.hash_array = arrays[f"{name}.hash"]
        self.hashes, self.off, self.post = (memoryview(arrays[f"{name}.{part}"]) for part in ("hash", "off", "post"))
        self.fence = arrays[f"{name}.fence"].tolist()
        self.key_off, self.keys = memoryview(arrays[f"{name}.key_off"]), blobs[f"{name}.keys"]
        self.n = len(self.hashes)

    def first_group(self, h: int) -> int:
        """The first group whose hash is >= h; groups sharing a hash follow it."""
        j = bisect_left(self.fence, h)  # fence[j - 1] < h <= fence[j]: that group is in fence step j - 1
        base = (j - 1) * FENCE if j else 0
        return bisect_left(self.hashes, h, base, min(base + FENCE, self.n))

    def find(self, text: str) -> tuple[int, int] | None:
        """The postings span of key `text`, checked against the key text (not just its hash)."""
        h = key_hash(text)
        hashes, g, data = self.hashes, self.first_group(h), None
        while g < self.n and hashes[g] == h:  # one group, unless keys share the hash
            data = data or text.encode("utf-8", "surrogatepass")
            if self.keys[self.key_off[g]:self.key_off[g + 1]] == data:
                return self.off[g], self.off[g + 1]
            g += 1
        return None

    def postings(self, text: str) -> list[int]:
        found = self.find(text)
        return self.post[found[0]:found[1]].tolist() if found else []

    def groups(self, h: int):
        g = self.first_group(h)
        while g < len(self.hashes) and self.hashes[g] == h:
            yield g
            g += 1

    def key(self, g: int) -> bytes:
        return self.keys[self.key_off[g]:self.key_off[g + 1]]


class MappedKnowledgeBase:
    """`KnowledgeBase`'s query API over a compiled store: same numbering, same results, same order."""

    def __init__(self, path: str | Path, entity_cache: int = 65_536):
        self.path = Path(path)
        self.manifest, arrays, blobs = _open_files(self.path)
        self._n, self._n_aliases = self.manifest["entities"], self.manifest["aliases"]
        self._types = self.manifest["types"]
        self._entity_blob, self._alias_blob = blobs["entities"], blobs["aliases"]
        self._entity_off, self._entity_type, self._alias_entity, self._alias_slot, self._text_off, self._typo_length = (
            memoryview(arrays[name]) for name in ("entity_off", "entity_type", "alias_entity", "alias_slot",
                                                  "alias_text_off", "typo_length"))
        self._typo_arrays = arrays["prefix.post"], arrays["typo_length"], arrays["typo_chars"]
        self._text_off_array = arrays["alias_text_off"]
        self._tables = {name: _Table(arrays, blobs, name) for name in TABLES}
        self._folded, self._key, self._skeleton, self._prefix, self._tokenset, self._person, self._id, self._slug = (
            self._tables[name] for name in TABLES)
        self.entity = lru_cache(maxsize=entity_cache)(self._entity)
        self.alias = lru_cache(maxsize=entity_cache)(self._alias)  # the linker asks for the same alias repeatedly
        self.entities = EntitySequence(self)

    def __reduce__(self):  # pickled (e.g. to a worker process) as its path, reopened there
        return open_store, (self.path,)

    def __len__(self) -> int:
        return self._n

    def __repr__(self) -> str:
        return f"MappedKnowledgeBase({str(self.path)!r}: {self._n} entities, {self._n_aliases} aliases)"

    # -- entities and aliases ---------------------------------------------------------------------------
    def _entity(self, number: int) -> Entity:
        n = number + self._n if number < 0 else number
        if not 0 <= n < self._n:
            raise IndexError(f"entity number {number} out of range ({self._n} entities)")
        p = _decode(self._entity_blob[self._entity_off[n]:self._entity_off[n + 1]]).split(FIELD_SEP)
        return Entity(id=p[0], type=p[1], name=p[2], aliases=tuple(p[N_FIELDS:]), kind=p[3], country=p[4],
                      description=p[5], prior=float(p[6]), curated=p[7] == "1", source=p[8])

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this id, else the one that had it as an earlier slug id, else None."""
        numbers = self.numbers_of(entity_id) or self._slug.postings(entity_id)[:1]
        return self.entity(numbers[-1]) if numbers else None  # the last of a repeated id, as a dict would keep

    def numbers_of(self, entity_id: str) -> list[int]:
        """Entity numbers carrying this id (one, unless the source repeated it)."""
        return self._id.postings(entity_id)

    def id_hashes(self) -> np.ndarray:
        """The sorted `key_hash`es of the entity ids (layering compares stores by them)."""
        return self._id.hash_array

    def ids_with_hashes(self, hashes) -> list[str]:
        """The entity ids whose `key_hash` is one of `hashes`."""
        table = self._id
        return [_decode(table.key(g)) for h in map(int, hashes) for g in table.groups(h)]

    def _alias(self, number: int) -> tuple[int, str]:
        """(entity number, alias text) of one alias: `alias(number)`, cached."""
        return self._alias_entity[number], self._alias_text(number)

    def _alias_text(self, number: int) -> str:
        return self._slot_text(self._alias_slot[number])

    def _slot_text(self, slot: int) -> str:
        return _decode(self._alias_blob[self._text_off[slot]:self._text_off[slot + 1] - 1])

    def _slot_texts(self, slots: np.ndarray) -> list[str]:
        blob, off = self._alias_blob, self._text_off_array
        return [_decode(blob[b:e]) for b, e in zip(off[slots].tolist(), (off[slots + 1] - 1).tolist())]

    @property
    def n_aliases(self) -> int:
        return self._n_aliases

    # -- lookups ------------------------------------------------------------------------------------------
    def exact(self, folded: str) -> list[int]:
        return self._folded.postings(folded)

    def same_key(self, key: str) -> list[int]:
        return self._key.postings(key)

    def same_tokenset(self, tokenset: str) -> list[int]:
        return self._tokenset.postings(tokenset)

    def same_skeleton(self, skeleton: str) -> list[int]:
        return self._skeleton.postings(skeleton)

    def typo_block(self, prefix: str, shortest: int, longest: int) -> TypoBlock:
        """The aliases whose phonetic key starts with these three letters and whose text has `shortest` to
        `longest` characters, by length then alias number: the slice of the block a typo is searched in."""
        found = self._prefix.find(prefix)
        if found is None:
            return EMPTY
        start = bisect_left(self._typo_length, shortest, *found)
        end = bisect_right(self._typo_length, longest, start, found[1])
        aliases, lengths, masks = (values[start:end] for values in self._typo_arrays)
        return TypoBlock(aliases, lengths, masks, lambda positions: self._band_texts(start, end, positions))

    def _band_texts(self, start: int, end: int, positions: list[int]) -> list[str]:
        """Texts of the band's aliases at `positions`. A band's texts are contiguous in aliases.bin: when many
        are wanted, one decode and split of the whole band beats one decode per alias (5x at 5M entities)."""
        if len(positions) == 0:
            return []
        if len(positions) * 4 < end - start:
            return self._slot_texts(start + np.asarray(positions, np.int64))
        off = self._text_off_array
        texts = _decode(self._alias_blob[off[start]:off[end] - 1]).split("\0")
        return [texts[p] for p in positions]

    def people_with_token(self, token: str) -> list[int]:
        """Entity numbers of the people whose multi-word name has this word (by phonetic key)."""
        return self._person.postings(token)

    def types_of(self, folded: str) -> set[str]:
        """The entity types that carry this exact (folded) name."""
        found = self._folded.find(folded)
        if found is None:
            return set()
        post, entity_of, type_of = self._folded.post, self._alias_entity, self._entity_type
        return {self._types[type_of[entity_of[a]]] for a in post[found[0]:found[1]]}


def _read_npy(path: Path, buf) -> np.ndarray:
    """A plain ndarray over the mapped file (no copy; numpy's memmap subclass is slower to index)."""
    try:
        with path.open("rb") as fh:
            version = np.lib.format.read_magic(fh)
            read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else \
                np.lib.format.read_array_header_2_0
            shape, fortran, dtype = read_header(fh)
            offset = fh.tell()
    except ValueError as err:
        raise StoreError(f"{path}: not a numpy array file ({err}); rebuild the store") from err
    count = int(np.prod(shape))
    if fortran or len(shape) != 1 or offset + count * dtype.itemsize != len(buf):
        raise StoreError(f"{path}: unexpected array layout or size (a truncated or foreign file)")
    return np.frombuffer(buf, dtype=dtype, count=count, offset=offset) if count else np.empty(0, dtype)


def _map(path: Path):
    with path.open("rb") as fh:
        return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if os.fstat(fh.fileno()).st_size else b""


def _open_files(path: Path) -> tuple[dict, dict, dict]:
    manifest_file = path / "manifest.json"
    if not manifest_file.is_file():
        raise StoreError(f"{path} is not a compiled knowledge-base store (no manifest.json): build it with "
                         f"entnorm.kb.store.compile_store")
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise StoreError(f"{manifest_file}: unreadable manifest ({err}); rebuild the store") from err
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise StoreError(f"{path}: store format {manifest.get('format')!r} version {manifest.get('version')!r}, "
                         f"this entnorm reads {FORMAT!r} version {VERSION}: rebuild the store")
    if manifest.get("name_keys") != key_code_hash():
        raise StoreError(f"{path} was compiled with other name-key code (entnorm/names.py or namedata.py "
                         f"changed): its keys would miss; rebuild the store")
    arrays, blobs = {}, {}
    for name, size in manifest["files"].items():
        file = path / name
        try:
            actual = file.stat().st_size
        except OSError as err:
            raise StoreError(f"{path}: store file {name} is missing ({err.strerror}); rebuild the store") from err
        if actual != size:
            raise StoreError(f"{path}: store file {name} has {actual} bytes, the manifest says {size}: damaged "
                             f"or from another build; rebuild the store")
        buf = _map(file)
        if name.endswith(".npy"):
            arrays[name[:-4]] = _read_npy(file, buf)
        else:
            blobs[name[:-4]] = buf
    return manifest, arrays, blobs


def open_store(path: str | Path, fingerprint: str | None = None) -> MappedKnowledgeBase:
    """Open a compiled store; StoreError when it is missing, damaged, of another version, or (when
    `fingerprint` is given) compiled from other source data."""
    kb = MappedKnowledgeBase(path)
    if fingerprint is not None and kb.manifest.get("fingerprint") != fingerprint:
        raise StoreError(f"{path}: compiled from source {kb.manifest.get('fingerprint')!r}, not {fingerprint!r}")
    return kb


from .store_compile import compile_store  # noqa: E402  (the writer; needs the format above)

__all__ = ["MappedKnowledgeBase", "StoreError", "compile_store", "open_store", "key_hash"]
