"""Precomputed passage vectors, addressed by content: an 8-byte hash of the passage text -> its 4-bit vector.

Content addressing means any knowledge base finds the vectors of the entities it describes the same way: the
shipped gazetteer, a layered one, a user's KB; an edited entity has another passage text, so it simply misses
and is embedded on demand (never a stale vector, no signature of the whole KB to keep in step). A bare-name
passage ("passage: Pellegrini; orang") is addressed the same way.

File: a .npy of records (key uint64, v: 384 4-bit values packed in uint8[192], scale float32) sorted by key,
memory-mapped, and beside it `<file>.json` (recipe, subword cap, precision, count): 204 bytes a vector, 20 MB for
the gazetteer (int8 took 40 MB; on the real-news dev set 4-bit moved one QID: accuracy 0.8708 -> 0.8696,
precision 0.9687 -> 0.9714). In memory, vectors are int8 (`quantize`); a stored 4-bit vector is exactly an int8
one (value x 18, scale / 18). The shipped file is `entnorm/models/passages/vectors.npy`
(built by `python -m entnorm.link.passages --shipped`); `python -m entnorm.link.passages [GAZETTEER|KB ...]`
adds a knowledge base's vectors to the user cache's file, which a ranker reads beside the shipped one.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

RECIPE = "v1"  # bump when semantic.passage_text changes (old keys then never match, nothing is misread)
RECORD = np.dtype([("key", "<u8"), ("v", "i1", (384,)), ("scale", "<f4")])       # in memory
PACKED = np.dtype([("key", "<u8"), ("v", "u1", (192,)), ("scale", "<f4")])       # on disk
NIBBLE = 7      # 4-bit values -7..7, stored + 8
INT8_STEP = 18  # 7 x 18 = 126 <= 127: a 4-bit value is an int8 one
SHIPPED = Path(__file__).resolve().parent.parent / "models" / "passages" / "vectors.npy"


def passage_key(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{RECIPE}\0{text}".encode(), digest_size=8).digest(), "little")


def quantize(vectors: np.ndarray) -> np.ndarray:
    """int8 with one float32 scale per vector (cosine error < 1e-3 for unit vectors)."""
    out = np.zeros(len(vectors), RECORD)
    scale = np.maximum(np.abs(vectors).max(axis=1), 1e-12) / 127
    out["v"] = np.round(vectors / scale[:, None]).astype(np.int8)
    out["scale"] = scale
    return out


def dequantize(rows: np.ndarray) -> np.ndarray:
    return rows["v"].astype(np.float32) * rows["scale"][:, None]


def pack(keys: list[int], vectors: np.ndarray) -> np.ndarray:
    """4-bit records of `vectors`, one scale each."""
    out = np.zeros(len(vectors), PACKED)
    scale = np.maximum(np.abs(vectors).max(axis=1), 1e-12) / NIBBLE
    q = (np.round(vectors / scale[:, None]) + 8).astype(np.uint8)
    out["key"], out["v"], out["scale"] = keys, q[:, 0::2] | (q[:, 1::2] << 4), scale
    return out


def unpack(rows: np.ndarray) -> np.ndarray:
    """The int8 records (`RECORD`) that the 4-bit `rows` are."""
    out = np.zeros(len(rows), RECORD)
    v = np.asarray(rows["v"])
    out["v"][:, 0::2] = ((v & 15).astype(np.int8) - 8) * INT8_STEP
    out["v"][:, 1::2] = ((v >> 4).astype(np.int8) - 8) * INT8_STEP
    out["key"], out["scale"] = rows["key"], rows["scale"] / INT8_STEP
    return out


class PassageVectors:
    """Sorted records from one or more files (read-only, memory-mapped); `find` answers a batch of keys."""

    def __init__(self, paths: list[Path], max_tokens: int):
        self.tables = [t for t in (_read(Path(p), max_tokens) for p in paths) if t is not None]

    def __len__(self) -> int:
        return sum(len(keys) for keys, _ in self.tables)

    def find(self, keys: list[int]) -> dict[int, np.void]:
        """key -> int8 record (`RECORD`), for the keys some file holds."""
        wanted = np.asarray(keys, dtype=np.uint64)
        out = {}
        for table_keys, rows in self.tables:
            at = np.minimum(np.searchsorted(table_keys, wanted), len(table_keys) - 1)
            hit = table_keys[at] == wanted
            for k, row in zip(wanted[hit].tolist(), unpack(rows[at[hit]])):
                out.setdefault(k, row)
        return out


def _read(path: Path, max_tokens: int):
    meta_file = path.with_name(path.name + ".json")
    if not (path.is_file() and meta_file.is_file()):
        return None
    meta = json.loads(meta_file.read_text())
    if meta.get("recipe") != RECIPE or meta.get("max_tokens") != max_tokens or meta.get("bits") != 4:
        return None  # vectors of another passage recipe, subword cap or storage
    rows = np.load(path, mmap_mode="r")
    return (np.ascontiguousarray(rows["key"]), rows) if len(rows) else None


def write(path: Path, records: np.ndarray, max_tokens: int, precision: str) -> Path:
    """Write `records` (any order, duplicates allowed) sorted and unique by key, atomically."""
    records = records[np.unique(records["key"], return_index=True)[1]]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npy")
    np.save(tmp, records)
    tmp.replace(path)
    path.with_name(path.name + ".json").write_text(json.dumps(
        {"recipe": RECIPE, "max_tokens": max_tokens, "precision": precision, "bits": 4, "vectors": len(records)}))
    return path


def precompute(kb, path: Path, ranker, chunk: int = 4096, prune: bool = False, log=None) -> Path:
    """Add the passage vectors of every entity of `kb` to `path`, keeping its existing vectors (so an
    interrupted run resumes and several knowledge bases share one file), or with `prune` only those `kb` still
    uses (the shipped file after a gazetteer rebuild). Checkpoints every `chunk` new vectors."""
    from .semantic import passage_text

    texts = {}
    for n in range(len(kb)):
        text = passage_text(kb.entity(n), ranker.countries)
        texts[passage_key(text)] = text
    have = PassageVectors([path], ranker.max_passage_tokens)
    done = [rows[np.isin(keys, list(texts))] if prune else rows[:] for keys, rows in have.tables]
    known = set().union(*(set(keys.tolist()) for keys, _ in have.tables))
    items = [(k, t) for k, t in texts.items() if k not in known]
    for a in range(0, len(items), chunk):
        part = items[a : a + chunk]
        done.append(pack([k for k, _ in part], ranker.encode_texts([t for _, t in part], ranker.max_passage_tokens)))
        write(path, np.concatenate(done), ranker.max_passage_tokens, ranker.precision)
        if log:
            log(f"{a + len(part)}/{len(items)} new passage vectors")
    if not items:
        write(path, np.concatenate(done) if done else np.zeros(0, PACKED), ranker.max_passage_tokens, ranker.precision)
    return path


def user_path() -> Path:
    from .. import settings

    return settings.cache_dir() / "passage-vectors.npy"


if __name__ == "__main__":  # python -m entnorm.link.passages [--shipped] [GAZETTEER|KB ...]
    import argparse
    import time

    from ..kb.loader import load_knowledge, gazetteer_files
    from .semantic import ContextRanker

    ap = argparse.ArgumentParser(description="precompute passage vectors for context ranking")
    ap.add_argument("sources", nargs="*", type=Path, help="gazetteer YAML files/dirs (default: the shipped one)")
    ap.add_argument("--kb", nargs="*", type=Path, default=[], help="knowledge bases (entnorm kb build output)")
    ap.add_argument("--shipped", action="store_true",
                    help=f"write {SHIPPED} (maintainers; drops vectors the knowledge base no longer uses) instead of "
                         "adding to the user cache's file")
    args = ap.parse_args()
    kb = load_knowledge(gazetteer_files(args.sources or None), args.kb)
    out = SHIPPED if args.shipped else user_path()
    t0 = time.perf_counter()
    precompute(kb, out, ContextRanker(kb, vectors=[]), prune=args.shipped, log=lambda m: print(f"{time.perf_counter() - t0:7.0f} s  {m}", flush=True))
    print(f"{len(kb)} entities -> {out} in {time.perf_counter() - t0:.0f} s")
