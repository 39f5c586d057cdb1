"""Validate the linking evaluation data in tests/data/linking/ (format only; no linker is run here)."""
from __future__ import annotations

import importlib.util
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data" / "linking"
LABELS = {"PER", "LOC", "ORG"}
QID = re.compile(r"^Q[1-9][0-9]*$")


def _load(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def variants():
    return _load("variant_pairs.jsonl")


@pytest.fixture(scope="module")
def confusables():
    return _load("confusable_pairs.jsonl")


@pytest.fixture(scope="module")
def documents():
    return _load("documents.jsonl")


@pytest.fixture(scope="module")
def doc_entities():
    return {e["entity"]: e for e in _load("document_entities.jsonl")}


def _key(a: str, b: str) -> frozenset:
    return frozenset({a.casefold(), b.casefold()})


def _nonempty(s) -> bool:
    return isinstance(s, str) and s == s.strip() and s != ""


def test_minimum_counts(variants, confusables, documents):
    assert len(variants) >= 250
    assert len(confusables) >= 200
    assert len(documents) >= 40


def test_variant_pairs_well_formed(variants):
    seen = set()
    for r in variants:
        assert set(r) == {"a", "b", "type", "entity", "qid", "why"}, r
        assert _nonempty(r["a"]) and _nonempty(r["b"]) and _nonempty(r["entity"]) and _nonempty(r["why"]), r
        assert r["a"] != r["b"], r
        assert r["type"] in LABELS, r
        assert r["qid"] is None or QID.match(r["qid"]), r
        k = frozenset({r["a"], r["b"]})
        assert k not in seen, f"duplicate variant pair {r}"
        seen.add(k)
    assert {r["type"] for r in variants} == LABELS


def test_confusable_pairs_well_formed(confusables):
    required = {"a", "b", "type", "a_type", "b_type", "a_entity", "b_entity", "a_qid", "b_qid", "why"}
    for r in confusables:
        assert required <= set(r) <= required | {"context"}, r
        for f in ("a", "b", "a_entity", "b_entity", "why"):
            assert _nonempty(r[f]), r
        assert r["a_type"] in LABELS and r["b_type"] in LABELS, r
        assert r["type"] == (r["a_type"] if r["a_type"] == r["b_type"] else "MIXED"), r
        assert r["a_entity"] != r["b_entity"], r
        for q in (r["a_qid"], r["b_qid"]):
            assert q is None or QID.match(q), r
        assert not (r["a_qid"] and r["a_qid"] == r["b_qid"]), r
        if r["a"].casefold() == r["b"].casefold():
            assert "context" in r, f"identical surface forms need a context: {r}"
        if "context" in r:
            assert set(r["context"]) == {"a", "b"}, r
            assert r["a"] in r["context"]["a"] and r["b"] in r["context"]["b"], r


def test_no_pair_in_both_files(variants, confusables):
    vkeys = {_key(r["a"], r["b"]) for r in variants}
    both = [(r["a"], r["b"]) for r in confusables if _key(r["a"], r["b"]) in vkeys]
    assert not both


def test_pair_files_agree(variants, confusables):
    """One canonical name, one QID; one context-free surface form, one entity."""
    qids, surface = defaultdict(set), defaultdict(set)
    for r in variants:
        qids[r["entity"]].add(r["qid"])
        surface[r["a"]].add(r["entity"])
        surface[r["b"]].add(r["entity"])
    for r in confusables:
        qids[r["a_entity"]].add(r["a_qid"])
        qids[r["b_entity"]].add(r["b_qid"])
        if "context" not in r:
            surface[r["a"]].add(r["a_entity"])
            surface[r["b"]].add(r["b_entity"])
    assert not {n: q for n, q in qids.items() if len(q) > 1}
    assert not {s: e for s, e in surface.items() if len(e) > 1}


def test_documents_offsets_and_labels(documents, doc_entities):
    ids = [d["id"] for d in documents]
    assert len(ids) == len(set(ids))
    label_of = {}
    for d in documents:
        assert set(d) == {"id", "text", "mentions"}, d["id"]
        text = d["text"]
        assert _nonempty(text) and d["mentions"], d["id"]
        prev_end = 0
        for m in d["mentions"]:
            assert set(m) == {"start", "end", "text", "label", "entity"}, (d["id"], m)
            assert 0 <= m["start"] < m["end"] <= len(text), (d["id"], m)
            assert text[m["start"]:m["end"]] == m["text"], (d["id"], m)
            assert m["text"] == m["text"].strip(), (d["id"], m)
            assert m["start"] >= prev_end, f"{d['id']}: mentions overlap or are out of order at {m}"
            prev_end = m["end"]
            assert m["label"] in LABELS, (d["id"], m)
            assert m["entity"] in doc_entities, (d["id"], m)
            assert doc_entities[m["entity"]]["label"] == m["label"], (d["id"], m)
            label_of.setdefault(m["entity"], m["label"])
            assert label_of[m["entity"]] == m["label"], (d["id"], m)


def test_documents_length(documents):
    for d in documents:
        lines = [ln for ln in d["text"].split("\n") if ln.strip()]
        n = sum(len(re.findall(r"[.!?][\"”]?(?=\s+[A-Z\"“]|\s*$)", ln)) or 1 for ln in lines)
        assert 3 <= n <= 10, (d["id"], n)


def test_document_entities(doc_entities, documents):
    used = {m["entity"] for d in documents for m in d["mentions"]}
    assert used == set(doc_entities)
    for key, e in doc_entities.items():
        assert set(e) == {"entity", "name", "label", "qid", "nil"}, e
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key), key
        assert e["label"] in LABELS and _nonempty(e["name"]), e
        assert e["qid"] is None or QID.match(e["qid"]), e
        assert isinstance(e["nil"], bool) and not (e["nil"] and e["qid"]), e
        assert e["nil"] == key.startswith("nil-"), e
    qids = [e["qid"] for e in doc_entities.values() if e["qid"]]
    assert len(qids) == len(set(qids)), "two gold clusters share a QID"


def test_cross_document_clusters(documents):
    """The gold keys really form cross-document clusters, including NIL ones."""
    docs_of = defaultdict(set)
    for d in documents:
        for m in d["mentions"]:
            docs_of[m["entity"]].add(d["id"])
    for key in ("kim-jong-un", "andrei-belousov", "kyiv", "nil-hong-min", "nil-baek-seung-ho",
                "nil-wayan-sudarsana", "mark-rutte", "rote-island"):
        assert key in docs_of, key
    assert len(docs_of["nil-hong-min"]) >= 2
    assert len(docs_of["nil-baek-seung-ho"]) >= 2


def test_jsonl_matches_sources():
    """The committed JSONL is exactly what build_linking_data.py produces from the _src_*.py files."""
    spec = importlib.util.spec_from_file_location("build_linking_data", DATA / "build_linking_data.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for name, rows in mod.build().items():
        assert _load(name) == json.loads(json.dumps(rows, ensure_ascii=False)), name
