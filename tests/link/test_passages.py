"""Precomputed passage vectors (link/passages.py): int8 storage, content addressing across knowledge bases,
resumable precompute, and files of another recipe left unread."""
from __future__ import annotations

import numpy as np

from entnorm.link.passages import PassageVectors, dequantize, passage_key, precompute, quantize
from entnorm.link.semantic import ContextRanker, passage_text

from .test_semantic import fake_encoder, kb  # noqa: F401  (kb: the tiny knowledge base fixture)


def test_int8_storage_keeps_the_cosine():
    rng = np.random.default_rng(0)
    v = rng.normal(size=(50, 384)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    back = dequantize(quantize(v))
    assert np.abs((back * v).sum(1) - 1).max() < 1e-3


def test_precomputed_vectors_are_found_by_content_in_any_knowledge_base(kb, tmp_path, monkeypatch):
    from entnorm.kb.layered import LayeredKnowledgeBase
    from entnorm.kb.store import compile_store, open_store

    store = open_store(compile_store(kb.entities[:3], tmp_path / "a", fingerprint="fp-a"))
    ranker = ContextRanker(store, vectors=[])
    calls = []
    monkeypatch.setattr(ranker, "encode_texts", fake_encoder(calls))
    path = precompute(store, tmp_path / "v.npy", ranker, chunk=2)
    assert len(PassageVectors([path], ranker.max_passage_tokens)) == 3 and [len(c) for c in calls] == [2, 1]
    precompute(store, path, ranker)                       # resumes: nothing left to embed
    assert len(calls) == 2
    # the full KB layered over it: the entities it describes the same way are found (not Q2, whose country has
    # a name there: "Slovakia", not "SK"), the others are embedded on demand
    layered = LayeredKnowledgeBase([kb, store])
    stored = ContextRanker(layered, vectors=[path])
    monkeypatch.setattr(stored, "encode_texts", fake_encoder(calls))
    texts = [passage_text(layered.entity(n), stored.countries) for n in range(len(layered))]
    same = set(texts) & {passage_text(store.entity(n), ranker.countries) for n in range(len(store))}
    vectors, _ = stored.passage_vectors(texts)
    assert len(same) == 2 and stored.stats["passages_stored"] == 2 and len(calls[-1]) == len(set(texts)) - 2
    rows = PassageVectors([path], ranker.max_passage_tokens).find([passage_key(texts[0])])
    assert np.allclose(vectors[0], dequantize(np.array([rows[passage_key(texts[0])]])))
    # another passage recipe's subword cap: the file is not read
    assert len(PassageVectors([path], ranker.max_passage_tokens + 1)) == 0
    n_calls = len(calls)
    smaller = open_store(compile_store(kb.entities[:2], tmp_path / "c", fingerprint="fp-c"))
    assert len(PassageVectors([precompute(smaller, tmp_path / "v2.npy", ranker)], 64)) == 2
    precompute(smaller, path, ranker)                      # adds nothing, keeps what the file had ...
    assert len(PassageVectors([path], 64)) == 3 and len(calls) == n_calls + 1
    precompute(smaller, path, ranker, prune=True)          # ... unless asked to keep only what the KB uses
    assert len(PassageVectors([path], 64)) == 2 and len(calls) == n_calls + 1


def test_four_bit_storage_is_an_exact_int8_record_and_keeps_the_cosine():
    from entnorm.link.passages import pack, unpack

    rng = np.random.default_rng(1)
    v = rng.normal(size=(50, 384)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    packed = pack(list(range(50)), v)
    assert packed.itemsize == 204
    rows = unpack(packed)
    assert np.abs(rows["v"]).max() <= 127 and (rows["key"] == np.arange(50)).all()
    back = dequantize(rows)
    assert np.abs((back * v).sum(1) / np.linalg.norm(back, axis=1) - 1).max() < 0.02
    assert np.allclose(dequantize(unpack(pack(list(range(50)), back))), back, atol=1e-6)  # stable once quantised
