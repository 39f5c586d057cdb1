"""The shipped tagger: loads, scores above a floor, and returns exact, non-overlapping character spans."""
import pytest

from entnorm.ner.corpora import read_corpus
from entnorm.ner.metrics import span_scores
from entnorm.ner.tagger import DEFAULT_MODEL, NerTagger

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
    return NerTagger(DEFAULT_MODEL)


def test_floor_on_a_test_slice(tagger):
    # A sanity floor far below the reported scores: a broken or mis-loaded model lands near 0.
    sents = read_corpus(("idner", "test"))[:120]
    pred = [[label for label, _ in row] for row in tagger.predict_words([s.words for s in sents], 3)]
    assert span_scores([s.tags for s in sents], pred)["micro_f1"] >= 0.8


def _check(text, spans):
    for a, b in zip(spans, spans[1:]):
        assert a.end <= b.start
    for s in spans:
        assert 0 <= s.start < s.end <= len(text) and s.label in ("PER", "LOC", "ORG") and 0 <= s.ner_score <= 1
        assert text[s.start:s.end].strip() == text[s.start:s.end]


def test_offsets_on_messy_text(tagger):
    results = tagger.tag(MESSY)
    for text, spans in zip(MESSY, results):
        _check(text, spans)
    found = {MESSY[0][s.start:s.end] for s in results[0]}
    assert {"Joko Widodo", "Vladimir Putin", "Moskwa"} <= found
    assert [[(s.start, s.end, s.label, s.ner_score) for s in spans] for spans in tagger.tag(MESSY)] == [
        [(s.start, s.end, s.label, s.ner_score) for s in spans] for spans in results]  # deterministic


def test_long_text_is_never_truncated(tagger, seeds):
    long_text = "\n".join(d["text"] for d in seeds) * 3  # far beyond 512 subwords
    spans = tagger.tag([long_text])[0]
    _check(long_text, spans)
    assert spans[-1].start > len(long_text) * 0.9  # entities found up to the very end


def test_a_word_longer_than_the_encoder_window_is_tagged_around(tagger):
    text = "Data: " + "QUJD" * 1500 + " dikirim ke Jakarta oleh Joko Widodo."
    spans = tagger.tag([text])[0]
    _check(text, spans)
    assert "Joko Widodo" in {text[s.start:s.end] for s in spans}
