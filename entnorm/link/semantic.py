"""Context ranking: how well a candidate's description fits the text around a mention, with the retrieval
encoder entnorm already ships (multilingual-e5-small, rebuilt offline by `encoder.py`).

    query    "query: " + the mention's sentence (at most `max_query_tokens` subwords, cut around the mention)
    passage  "passage: " + name; type word (orang/tempat/organisasi); description; kind; country name
    similarity = cos(query, passage) - cos(query, "passage: <mention>; <type word>")   (`relative`, the default)

with mean-pooled, L2-normalised vectors (what e5 is trained for): what the description adds beyond the name.

The linker asks only for the mentions it cannot decide by name (`Linker.context_reason`), each distinct window
once per document; `Policy.context_factor` turns a similarity into a rank factor. Passage vectors are kept in a
bounded LRU cache by entity id, as int8 with one scale per vector, embedded lazily (the default: a whole
knowledge base takes tens of minutes to hours on a 2-core CPU, docs/linking.md), or precomputed for a whole
knowledge base with `precompute(kb, path)`: `<path>` is a .npy of records (int8[384] vector, float32 scale),
one row per entity in the knowledge base's entity order (global numbers for a layered one), and `<path>.json`
records the entity count and a signature of the knowledge base (a compiled store's manifest, each layer's for a
layered one, the ids in order for an in-memory one) and of the passage texts' recipe, so a stale file is
ignored rather than misread.

The network is the tagger's `FastEncoder` over the memory-mapped base weights (no head): fp32, or bf16 where
the NER code finds native bf16 (`resolve_precision`); torch's thread count is left as configured.
"""
from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_right
from collections import OrderedDict
from pathlib import Path

import numpy as np

from .. import text as textmod

TYPE_WORDS = {"PER": "orang", "LOC": "tempat", "ORG": "organisasi"}
PASSAGE_RECIPE = "v1"  # bump when `passage_text` changes: precomputed vectors then stop matching
# source notes in gazetteer descriptions say nothing about the entity: "Ditambahkan manual.", "(EveryPolitician/Wikidata)"
PROVENANCE = re.compile(r"\s*(?:Ditambahkan manual\.|\((?:[\w .-]+/)*Wikidata\))")
VECTOR_DTYPE = np.dtype([("v", "i1", (384,)), ("scale", "<f4")])


def passage_text(entity, countries: dict[str, str]) -> str:
    kind = entity.kind.replace("_", " ") if entity.kind not in ("person", "organization") else ""
    parts = [entity.name, TYPE_WORDS.get(entity.type, ""), PROVENANCE.sub("", entity.description).strip(), kind,
             countries.get(entity.country, entity.country)]
    return "passage: " + "; ".join(p for p in parts if p)


def country_names(kb) -> dict[str, str]:
    """ISO code -> the knowledge base's name of that country (its most prominent `kind: country` entity)."""
    best: dict[str, tuple[float, str]] = {}
    for ent in entities(kb):
        if ent.kind == "country" and ent.country and ent.prior >= best.get(ent.country, (-1.0, ""))[0]:
            best[ent.country] = (ent.prior, ent.name)
    return {code: name for code, (_, name) in best.items()}


def entities(kb):
    return (kb.entity(n) for n in range(len(kb)))


def quantize(vectors: np.ndarray) -> np.ndarray:
    out = np.zeros(len(vectors), VECTOR_DTYPE)
    scale = np.maximum(np.abs(vectors).max(axis=1), 1e-12) / 127
    out["v"] = np.round(vectors / scale[:, None]).astype(np.int8)
    out["scale"] = scale
    return out


def dequantize(rows: np.ndarray) -> np.ndarray:
    return rows["v"].astype(np.float32) * rows["scale"][:, None]


def _ner_parts():
    """The tagger's encoder class, weight loader and precision rule (one place decides bf16 vs fp32)."""
    from ..ner.artifact import mmap_safetensors
    from ..ner.fast_encoder import FastEncoder
    from ..ner.precision import resolve_precision

    return FastEncoder, mmap_safetensors, resolve_precision


class ContextRanker:
    """Embeds mention contexts and candidate descriptions; `similarities` answers one document's questions."""

    def __init__(self, kb, precision: str = "auto", max_query_tokens: int = 64, max_passage_tokens: int = 64,
                 cache_size: int = 50_000, batch_size: int = 32, vectors: str | Path | None = None):
        self.kb = kb
        self.precision = precision
        self.max_query_tokens, self.max_passage_tokens = max_query_tokens, max_passage_tokens
        self.cache_size, self.batch_size = cache_size, batch_size
        self.cache: OrderedDict[str, np.void] = OrderedDict()  # entity id -> quantised passage vector
        self._countries = None  # ISO code -> country name, read from the knowledge base on first use
        self.stored = load_vectors(vectors or default_vectors_path(kb), kb)
        self._model = self._tokenizer = None
        self.relative = True
        self.stats = {"documents": 0, "mentions": 0, "queries": 0, "query_tokens": 0, "passages": 0, "passage_tokens": 0}

    @property
    def countries(self) -> dict[str, str]:
        """ISO code -> country name (a pass over the knowledge base, ~1 s for the 101k-entity gazetteer: done at
        the first description embedded, not at load)."""
        if self._countries is None:
            self._countries = country_names(self.kb)
        return self._countries

    # -- the network ----------------------------------------------------------------------------------------
    def _load(self):
        if self._model is None:
            import torch

            from .. import encoder

            FastEncoder, mmap_safetensors, resolve_precision = _ner_parts()
            base = encoder.base_dir()
            config = json.loads((base / "config.json").read_text())
            weights = {"bert." + k: v for k, v in mmap_safetensors(base / "model.safetensors").items()}
            weights["classifier.weight"], weights["classifier.bias"] = torch.zeros(1, config["hidden_size"]), torch.zeros(1)
            precision = resolve_precision(self.precision)
            self.precision = "bf16" if precision == "bf16" else "fp32"  # int8 is the tagger's experiment only
            self._model = FastEncoder(weights, config, 1, torch.bfloat16 if precision == "bf16" else torch.float32)
            self._model.fuse()
            self._tokenizer = encoder.load_base_encoder()
        return self._model, self._tokenizer

    def _encode(self, texts: list[str], max_tokens: int | list[int]) -> np.ndarray:
        """Mean-pooled, L2-normalised vectors (fp32) of `texts` (each cut to its `max_tokens`), batched by
        length. Queries and passages may share one call: the encoder pads every call to 128-row blocks, so
        one call per document costs less than one per kind."""
        import torch

        model, tok = self._load()
        encs = tok.tokenizer.encode_batch([tok.normalize(t) for t in texts])
        eos = tok.special["eos"]
        caps = max_tokens if isinstance(max_tokens, list) else [max_tokens] * len(texts)
        ids = [e.ids if len(e.ids) <= cap else e.ids[: cap - 1] + [eos] for e, cap in zip(encs, caps)]
        for t, row in zip(texts, ids):
            kind = "query" if t.startswith("query: ") else "passage"
            self.stats[{"query": "queries", "passage": "passages"}[kind]] += 1
            self.stats[kind + "_tokens"] += len(row)
        out = np.zeros((len(ids), model.hidden), np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for b in range(0, len(order), self.batch_size):
            rows = order[b : b + self.batch_size]
            lengths = torch.tensor([len(ids[i]) for i in rows])
            batch = torch.full((len(rows), int(lengths.max())), tok.special["pad"], dtype=torch.long)
            for r, i in enumerate(rows):
                batch[r, : len(ids[i])] = torch.tensor(ids[i])
            with torch.inference_mode():
                hidden = model.encode(batch, lengths, 0)
                mask = (torch.arange(batch.shape[1])[None, :] < lengths[:, None]).unsqueeze(-1)
                pooled = (hidden * mask).sum(1) / lengths[:, None]
                out[rows] = torch.nn.functional.normalize(pooled, dim=-1).numpy()
        return out

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(["query: " + t for t in texts], self.max_query_tokens)

    def encode_passages(self, entities: list) -> np.ndarray:
        return self._encode([passage_text(e, self.countries) for e in entities], self.max_passage_tokens)

    def passage_vectors(self, numbers: list[int]) -> np.ndarray:
        """Vectors of knowledge-base entities (by number): precomputed file, else LRU cache, else encoded now."""
        if self.stored is not None:
            return dequantize(self.stored[np.asarray(numbers, dtype=np.int64)])
        entities = [self.kb.entity(n) for n in numbers]
        return self._cached([e.id for e in entities], lambda todo: [passage_text(entities[i], self.countries) for i in todo])

    def name_vectors(self, names: list[tuple[str, str]]) -> np.ndarray:
        """Vectors of bare names, "passage: <name>; <type word>": what a candidate's passage is compared against."""
        texts = self._name_texts(names)
        return self._cached(self._name_keys(names), lambda todo: [texts[i] for i in todo])

    @staticmethod
    def _name_keys(names):
        return [f"\0{n}\0{t}" for n, t in names]

    @staticmethod
    def _name_texts(names):
        return [f"passage: {n}; {TYPE_WORDS.get(t, '')}" for n, t in names]

    def _remember(self, keys: list[str], rows: np.ndarray) -> None:
        for k, key in enumerate(keys):
            self.cache[key] = rows[k : k + 1].copy()  # owns its 388 bytes
            self.cache.move_to_end(key)
            if len(self.cache) > self.cache_size:
                self.cache.popitem(last=False)

    def _cached(self, keys: list[str], texts) -> np.ndarray:
        """Vectors for `keys` from the LRU cache; the missing ones encoded from `texts(indices)`."""
        rows = np.zeros(len(keys), VECTOR_DTYPE)
        missing: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            if key in self.cache:
                self.cache.move_to_end(key)
                rows[i] = self.cache[key][0]
            else:
                missing.setdefault(key, []).append(i)
        if missing:
            fresh = quantize(self._encode(texts([idx[0] for idx in missing.values()]), self.max_passage_tokens))
            for k, idx in enumerate(missing.values()):
                rows[idx] = fresh[k]
            self._remember(list(missing), fresh)
        return dequantize(rows)

    # -- one document ---------------------------------------------------------------------------------------
    def windows(self, text: str, spans: list) -> list[str]:
        """The context window of each span: its sentence, cut around the mention when longer than
        `max_query_tokens` subwords. (Neighbouring sentences were left out for cost: on news the mention's own
        sentence carries the topic, and every subword of a window is encoder work; docs/linking.md.)"""
        sents = [(s[0].start, s[-1].end) for s in textmod.sentences(text)] or [(0, len(text))]
        starts = [a for a, _ in sents]
        half = (self.max_query_tokens - 4) * 5 // 2  # about 5 characters a subword; "query: " and the specials
        out = []
        for span in spans:
            a, b = sents[max(0, bisect_right(starts, span.start) - 1)]
            a, b = max(a, span.start - half), min(b, span.end + half)
            out.append(" ".join(text[a:b].split()))
        return out

    def similarities(self, text: str, spans: list, wanted: dict[int, list[int]]) -> dict[int, dict[int, float]]:
        """span index -> {entity number: similarity} for the spans in `wanted` (span index -> entity numbers):
        cosine(context window, entity passage) - cosine(context window, the mention's bare name as a passage of
        the entity's type). The difference is what the description adds: positive when it fits the context,
        negative when it does not, about 0 for an entity without one; it cancels how much the window's length and
        the name's own words raise every cosine. Each distinct window is embedded once."""
        if not wanted:
            return {}
        self.stats["documents"] += 1
        self.stats["mentions"] += len(wanted)
        order = sorted(wanted)
        windows = self.windows(text, [spans[i] for i in order])
        distinct = list(dict.fromkeys(windows))
        numbers = list(dict.fromkeys(e for i in order for e in wanted[i]))
        names = list(dict.fromkeys((spans[i].text, self.kb.entity(e).type) for i in order for e in wanted[i]))
        # one encoder call for everything this document needs: windows, uncached descriptions and bare names
        todo = {} if self.stored is not None else {
            self.kb.entity(n).id: passage_text(self.kb.entity(n), self.countries) for n in numbers}
        if self.relative:
            todo.update(zip(self._name_keys(names), self._name_texts(names)))
        todo = {k: t for k, t in todo.items() if k not in self.cache}
        vectors = self._encode([f"query: {w}" for w in distinct] + list(todo.values()),
                               [self.max_query_tokens] * len(distinct) + [self.max_passage_tokens] * len(todo))
        queries = dict(zip(distinct, vectors[: len(distinct)]))
        self._remember(list(todo), quantize(vectors[len(distinct):]))
        passages = dict(zip(numbers, self.passage_vectors(numbers)))
        bare = dict(zip(names, self.name_vectors(names))) if self.relative else {}
        out = {}
        for i, w in zip(order, windows):
            q = queries[w]
            out[i] = {e: round(float(q @ passages[e] - (q @ bare[spans[i].text, self.kb.entity(e).type] if bare else 0)), 4)
                      for e in wanted[i]}
        return out


# -- precomputed vectors ------------------------------------------------------------------------------------
def _ids_hash(kb) -> str:
    """Identifies a knowledge base's entities in their order, with the passage recipe: a compiled store by its
    manifest (sources' fingerprint and name-key code), a layered one by its layers, an in-memory one by its ids."""
    h = hashlib.sha256(PASSAGE_RECIPE.encode())
    _signature(kb, h)
    return h.hexdigest()[:16]


def _signature(kb, h) -> None:
    if hasattr(kb, "layers"):
        for layer in kb.layers:
            _signature(layer, h)
    elif hasattr(kb, "manifest"):
        m = kb.manifest
        h.update(json.dumps([m["entities"], m["aliases"], m["fingerprint"], m["name_keys"]]).encode())
    else:
        for ent in entities(kb):
            h.update(ent.id.encode() + b"\0")


def precompute(kb, path: str | Path, ranker: ContextRanker | None = None, chunk: int = 2048) -> Path:
    """Write every entity's passage vector to `path` (.npy, rows in entity order) and `path`.json; what a
    knowledge-base compile step calls once. Returns `path`."""
    path = Path(path)
    ranker = ranker or ContextRanker(kb)
    rows = np.zeros(len(kb), VECTOR_DTYPE)
    for a in range(0, len(kb), chunk):
        part = [kb.entity(n) for n in range(a, min(a + chunk, len(kb)))]
        rows[a : a + len(part)] = quantize(ranker.encode_passages(part))
    tmp = path.with_name(path.name + ".tmp.npy")
    np.save(tmp, rows)
    tmp.replace(path)
    path.with_name(path.name + ".json").write_text(json.dumps(
        {"entities": len(kb), "ids": _ids_hash(kb), "recipe": PASSAGE_RECIPE,
         "max_tokens": ranker.max_passage_tokens, "precision": ranker.precision}))
    return path


def default_vectors_path(kb) -> Path:
    """Where `python -m entnorm.link.semantic` writes the vectors of a knowledge base (the user cache), and
    where a ranker looks for them when given none."""
    from .. import settings

    return settings.cache_dir() / f"context-vectors-{_ids_hash(kb)}.npy"


def load_vectors(path: str | Path, kb) -> np.ndarray | None:
    """The precomputed rows for `kb` (memory-mapped), or None when the file is missing or for another KB."""
    path = Path(path)
    meta_file = path.with_name(path.name + ".json")
    if not (path.is_file() and meta_file.is_file()):
        return None
    meta = json.loads(meta_file.read_text())
    if meta.get("entities") != len(kb) or meta.get("ids") != _ids_hash(kb):
        return None
    return np.load(path, mmap_mode="r")


if __name__ == "__main__":  # python -m entnorm.link.semantic [GAZETTEER ...]: precompute into the cache
    import sys
    import time

    from ..kb.loader import load_kb

    kb = load_kb([Path(p) for p in sys.argv[1:]] or None)
    t0 = time.perf_counter()
    out = precompute(kb, default_vectors_path(kb))
    print(f"{len(kb)} passage vectors in {time.perf_counter() - t0:.0f} s -> {out}")
