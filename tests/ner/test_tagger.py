"""entnorm/ner/tagger.py: the shipped tagger loads, scores above a floor, and returns exact, non-overlapping
character spans as `entnorm.doc.Span`s."""
import random

import pytest

from entnorm.doc import LABELS, Span
from entnorm.ner.corpora import read_corpus
from entnorm.ner.metrics import span_scores
from entnorm.ner.tagger import DEFAULT_MODEL, WINDOW_TOKENS, NerTagger, _batches

from .support import needs_corpora

MESSY = [
    "Presiden Joko Widodo bertemu Vladimir Putin di Moskwa.\r\nBaca juga: KPK periksa 3 saksi\r\n",
    "🙂🙂 Menteri Luar Negeri Retno Marsudi 🇮🇩 terbang ke Jenewa, Swiss — lalu ke Wina!!",
    "Kim Jong-un (김정은) dan Sergei Shoigu (Сергей Шойгу) di Pyongyang\u200b, Korea Utara.",
    "tanpa huruf kapital: jokowi di jakarta bersama kpk",
    "",
    "   \n\t ",
]


@pytest.fixture(scope="module")
def tagger():
    if not (DEFAULT_MODEL / "meta.json").exists():
        pytest.skip(f"no shipped NER model at {DEFAULT_MODEL}")
    return NerTagger(DEFAULT_MODEL)


def _rows(spans):
    return [(s.start, s.end, s.label, s.text, s.ner_score) for s in spans]


def _check(text, spans):
    for a, b in zip(spans, spans[1:]):
        assert a.end <= b.start
    for s in spans:
        assert isinstance(s, Span) and s.link is None
        assert 0 <= s.start < s.end <= len(text) and s.label in LABELS and 0 <= s.ner_score <= 1
        assert s.text == text[s.start:s.end] == text[s.start:s.end].strip()


@needs_corpora
def test_floor_on_a_test_slice(tagger):
    # A sanity floor far below the reported scores: a broken or mis-loaded model lands near 0.
    sents = read_corpus(("idner", "test"))[:120]
    pred = [[label for label, _ in row] for row in tagger.predict_words([s.words for s in sents], 3)]
    assert span_scores([s.tags for s in sents], pred)["micro_f1"] >= 0.8


def test_offsets_on_messy_text(tagger):
    results = tagger.tag(MESSY)
    assert len(results) == len(MESSY) and results[-1] == results[-2] == []
    for text, spans in zip(MESSY, results):
        _check(text, spans)
    found = {s.text for s in results[0]}
    assert {"Joko Widodo", "Vladimir Putin", "Moskwa"} <= found
    assert [_rows(s) for s in tagger.tag(MESSY)] == [_rows(s) for s in results]  # deterministic


def test_ner_score_is_the_mean_word_probability(tagger):
    text = "Presiden Joko Widodo bertemu Vladimir Putin di Moskwa."
    words = text[:-1].split() + ["."]
    probs = [p for _, p in tagger.predict_words([words])[0]]
    spans = tagger.tag([text])[0]
    assert spans
    for s in spans:
        first = len(text[:s.start].split())
        n = len(s.text.split())
        assert s.ner_score == pytest.approx(sum(probs[first:first + n]) / n, abs=1e-4)


def test_a_text_is_tagged_the_same_alone_or_in_a_batch(tagger):
    alone = [_rows(tagger.tag([t])[0]) for t in MESSY]
    assert [_rows(s) for s in tagger.tag(MESSY[::-1])] == alone[::-1]


def test_a_sentence_longer_than_the_window_is_tagged_to_its_end(tagger):
    clause = "Joko Widodo bertemu warga di Surabaya dan"
    text = " ".join([clause] * 80) + " pulang ke Jakarta."  # one sentence, far beyond WINDOW_TOKENS subwords
    pieces = tagger.featurizer.word_pieces(text.split())
    assert sum(map(len, pieces)) > 2 * WINDOW_TOKENS
    spans = tagger.tag([text])[0]
    _check(text, spans)
    assert spans[-1].text == "Jakarta"
    assert sum(s.text == "Surabaya" for s in spans) >= 0.8 * 80


def test_long_text_is_never_truncated(tagger, seeds):
    long_text = "\n".join(d["text"] for d in seeds) * 3  # far beyond 512 subwords
    spans = tagger.tag([long_text])[0]
    _check(long_text, spans)
    assert spans[-1].start > len(long_text) * 0.9  # entities found up to the very end


def test_a_word_longer_than_the_encoder_window_is_tagged_around(tagger):
    text = "Data: " + "QUJD" * 1500 + " dikirim ke Jakarta oleh Joko Widodo."
    spans = tagger.tag([text])[0]
    _check(text, spans)
    assert "Joko Widodo" in {s.text for s in spans}


def test_batches_respect_the_token_budget_and_cover_every_row_once():
    rng = random.Random(0)
    lengths = [rng.randint(3, 300) for _ in range(500)]
    batches = _batches(lengths, budget=2048, cap=64)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for b in batches:
        assert len(b) <= 64
        assert len(b) == 1 or len(b) * max(lengths[i] for i in b) <= 2048
    flat = [lengths[i] for b in batches for i in b]
    assert flat == sorted(flat)  # length-sorted: little padding
    assert _batches([], 2048, 64) == [] and _batches([5000], 2048, 64) == [[0]]  # a long row still runs alone
