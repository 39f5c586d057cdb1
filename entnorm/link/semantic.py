"""Context ranking: how well a candidate's description fits the text around a mention, with the retrieval
encoder entnorm already ships (multilingual-e5-small, rebuilt offline by `encoder.py`).

    query    "query: " + the mention's sentence (at most `max_query_tokens` subwords, cut around the mention)
    passage  "passage: " + name; type word (orang/tempat/organisasi); description; kind; country name
    similarity = cos(query, passage) - cos(query, "passage: <mention>; <type word>")   (`relative`, the default)

with mean-pooled, L2-normalised vectors (what e5 is trained for): what the description adds beyond the name.

The linker asks only for the mentions it cannot decide by name (`Linker.context_reason`), for all the documents
of a pipeline batch at once: each distinct window is embedded once, and windows, bare names and descriptions
share full encoder batches. `Policy.context_factor` turns a similarity into a rank factor. Passage vectors come
from precomputed files addressed by content (`passages.py`: the shipped gazetteer's, and the user cache's), else
a bounded LRU cache, else are embedded now; all kept as int8 with one scale per vector.

The network is the tagger's `FastEncoder` over the memory-mapped base weights (no head): fp32, or bf16 where
the NER code finds native bf16 (`resolve_precision`); torch's thread count is left as configured.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections import OrderedDict
from pathlib import Path

import numpy as np

from .. import text as textmod
from .passages import RECORD, SHIPPED, PassageVectors, dequantize, passage_key, quantize, user_path

TYPE_WORDS = {"PER": "orang", "LOC": "tempat", "ORG": "organisasi"}
# source notes in gazetteer descriptions say nothing about the entity: "Ditambahkan manual.", "(EveryPolitician/Wikidata)"
PROVENANCE = re.compile(r"\s*(?:Ditambahkan manual\.|\((?:[\w .-]+/)*Wikidata\))")


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


def bare_name_text(name: str, entity_type: str) -> str:
    """What a candidate's passage is compared against: the mention's name alone, as a passage of that type."""
    return f"passage: {name}; {TYPE_WORDS.get(entity_type, '')}"


def _ner_parts():
    """The tagger's encoder class, weight loader and precision rule (one place decides bf16 vs fp32)."""
    from ..ner.artifact import mmap_safetensors
    from ..ner.fast_encoder import FastEncoder
    from ..ner.precision import resolve_precision

    return FastEncoder, mmap_safetensors, resolve_precision


class ContextRanker:
    """Embeds mention contexts and candidate descriptions; `similarities` answers a batch of documents."""

    def __init__(self, kb, precision: str = "auto", max_query_tokens: int = 24, max_passage_tokens: int = 64,
                 cache_size: int = 50_000, batch_tokens: int = 2048, vectors: list[str | Path] | None = None):
        """`vectors`: precomputed passage-vector files (passages.py); default the shipped one and the user
        cache's, [] for none."""
        self.kb = kb
        self.precision = precision
        self.max_query_tokens, self.max_passage_tokens = max_query_tokens, max_passage_tokens
        self.cache_size, self.batch_tokens = cache_size, batch_tokens
        self.cache: OrderedDict[int, np.void] = OrderedDict()  # passage key -> quantised vector
        self._countries = None  # ISO code -> country name, read from the knowledge base on first use
        self.stored = PassageVectors([SHIPPED, user_path()] if vectors is None else vectors, max_passage_tokens)
        self._model = self._tokenizer = None
        self.relative = True
        self.stats = {"documents": 0, "mentions": 0, "queries": 0, "query_tokens": 0, "passages": 0,
                      "passage_tokens": 0, "passages_stored": 0}

    @property
    def countries(self) -> dict[str, str]:
        """ISO code -> country name (a pass over the knowledge base, ~1 s for the 101k-entity gazetteer: done at
        the first description needed, not at load)."""
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

    def encode_texts(self, texts: list[str], max_tokens: int | list[int]) -> np.ndarray:
        """Mean-pooled, L2-normalised vectors (fp32) of `texts` (each cut to its `max_tokens`). Rows are sorted
        by length and cut into batches of about `batch_tokens` padded subwords: a few full encoder calls for a
        whole pipeline batch cost far less than one small call per document (padded to 128-row blocks)."""
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
        while order:
            n = 1
            while n < len(order) and (n + 1) * len(ids[order[n]]) <= self.batch_tokens:
                n += 1
            rows, order = order[:n], order[n:]
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

    # -- passage vectors ------------------------------------------------------------------------------------
    def passage_vectors(self, texts: list[str], queries: list[str] = ()) -> tuple[np.ndarray, np.ndarray]:
        """Vectors of passage `texts` (precomputed file, else LRU cache, else encoded now) and of `queries`
        (always encoded), in one encoder call for everything that is encoded."""
        keys = [passage_key(t) for t in texts]
        rows = np.zeros(len(texts), RECORD)
        missing: dict[int, list[int]] = {}
        stored = self.stored.find([k for k in dict.fromkeys(keys) if k not in self.cache])
        for i, key in enumerate(keys):
            if key in self.cache:
                self.cache.move_to_end(key)
                rows[i] = self.cache[key]
            elif key in stored:
                rows[i] = stored[key]
            else:
                missing.setdefault(key, []).append(i)
        self.stats["passages_stored"] += len(stored)
        todo = [texts[idx[0]] for idx in missing.values()]
        vectors = self.encode_texts(list(queries) + todo, [self.max_query_tokens] * len(queries)
                                    + [self.max_passage_tokens] * len(todo)) if queries or todo else np.zeros((0, 384))
        fresh = quantize(vectors[len(queries):])
        for k, (key, idx) in enumerate(missing.items()):
            rows[idx] = fresh[k]
            self.cache[key] = fresh[k].copy()  # owns its bytes
            if len(self.cache) > self.cache_size:
                self.cache.popitem(last=False)
        return dequantize(rows), vectors[: len(queries)]

    # -- documents ------------------------------------------------------------------------------------------
    def windows(self, text: str, spans: list) -> list[str]:
        """The context window of each span: its sentence, cut around the mention when longer than
        `max_query_tokens` subwords. (Neighbouring sentences were left out and the cap is 24, not 64, for cost:
        every subword of a window is encoder work, and on the real-news dev set 24 decided as well as 64;
        docs/linking.md.)"""
        sents = [(s[0].start, s[-1].end) for s in textmod.sentences(text)] or [(0, len(text))]
        starts = [a for a, _ in sents]
        half = (self.max_query_tokens - 4) * 5 // 2  # about 5 characters a subword; "query: " and the specials
        out = []
        for span in spans:
            a, b = sents[max(0, bisect_right(starts, span.start) - 1)]
            a, b = max(a, span.start - half), min(b, span.end + half)
            out.append(" ".join(text[a:b].split()))
        return out

    def similarities(self, documents: list[tuple[str, list, dict[int, list[int]]]]) -> list[dict[int, dict[int, float]]]:
        """For each document (text, spans, wanted: span index -> entity numbers), span index -> {entity number:
        similarity} for the spans in `wanted`: cosine(context window, entity passage) - cosine(context window, the
        mention's bare name as a passage of the entity's type). The difference is what the description adds:
        positive when it fits the context, negative when it does not, about 0 for an entity without one; it
        cancels how much the window's length and the name's own words raise every cosine. Each distinct window
        of the batch is embedded once."""
        self.stats["documents"] += sum(1 for _, _, wanted in documents if wanted)
        self.stats["mentions"] += sum(len(wanted) for _, _, wanted in documents)
        windows = [self.windows(text, [spans[i] for i in sorted(wanted)]) if wanted else []
                   for text, spans, wanted in documents]
        queries = list(dict.fromkeys(w for ws in windows for w in ws))
        passages, bare = {}, {}  # entity number -> its passage; (name, type) -> the bare name's
        for _, spans, wanted in documents:
            for i, numbers in wanted.items():
                for e in numbers:
                    ent = self.kb.entity(e)
                    passages[e] = passage_text(ent, self.countries)
                    if self.relative:
                        bare[spans[i].text, ent.type] = bare_name_text(spans[i].text, ent.type)
        texts = list(dict.fromkeys([*passages.values(), *bare.values()]))
        vectors, query_vectors = self.passage_vectors(texts, [f"query: {w}" for w in queries])
        vector, query = dict(zip(texts, vectors)), dict(zip(queries, query_vectors))
        out = []
        for (_, spans, wanted), doc_windows in zip(documents, windows):
            sims = {}
            for i, w in zip(sorted(wanted), doc_windows):
                q = query[w]
                sims[i] = {e: round(float(q @ vector[passages[e]] - (
                    q @ vector[bare[spans[i].text, self.kb.entity(e).type]] if self.relative else 0)), 4)
                    for e in wanted[i]}
            out.append(sims)
        return out
