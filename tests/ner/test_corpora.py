"""entnorm/ner/corpora.py: the readers, on the fixture corpora (every format) and, where present, the real ones."""
import pytest

from entnorm.ner.corpora import CORPUS_FILES, DOMAINS, TEST_SETS, read_corpus, sentence_key
from entnorm.ner.labels import BIO_LABELS, map_tag, repair_bio

from .support import FIXTURE_DATA, needs_corpora

FIXTURE_KEYS = [key for key, spec in CORPUS_FILES.items() if (FIXTURE_DATA / "ner" / spec.relpath).exists()]


def _raw_blocks(key):
    """The file's sentences as (word, raw tag) lists, split independently of the reader."""
    spec = CORPUS_FILES[key]
    text = (FIXTURE_DATA / "ner" / spec.relpath).read_bytes().decode("utf-8").replace("\r\n", "\n")
    sep = "\t" if spec.columns == "tab2" else " "
    return [[(line.split(sep)[0], line.split(sep)[-1]) for line in block.splitlines()]
            for block in text.split("\n\n") if block.strip()]


def test_the_fixture_has_every_corpus_format_and_split_training_reads():
    assert {CORPUS_FILES[k].columns for k in FIXTURE_KEYS} == {"tab2", "space3"}
    assert set(TEST_SETS) <= set(FIXTURE_KEYS)
    assert {(c, s) for c in ("nergrit", "nerui", "idner") for s in ("train", "dev", "test")} <= set(FIXTURE_KEYS)


@pytest.mark.parametrize("key", FIXTURE_KEYS, ids="/".join)
def test_reader_on_the_fixture(key):
    sents = read_corpus(key, FIXTURE_DATA)
    blocks = _raw_blocks(key)
    assert len(sents) == len(blocks) > 0
    for s, block in zip(sents, blocks):
        assert (s.corpus, s.split) == key and s.corpus in DOMAINS
        assert s.words == [w for w, _ in block]
        assert s.tags == repair_bio([map_tag(t) for _, t in block])
        assert set(s.tags) <= set(BIO_LABELS)
        assert not any("\r" in w or "\r" in t for w, t in zip(s.words, s.tags))


def test_reader_maps_each_corpus_own_tag_names():
    tags = {key: {t for s in read_corpus(key, FIXTURE_DATA) for t in s.tags} for key in FIXTURE_KEYS}
    for key in FIXTURE_KEYS:  # every corpus's PER/LOC/ORG names arrive as our labels
        assert {"B-PER", "B-LOC", "B-ORG"} <= tags[key], key
    nerp = [t for _, t in sum(_raw_blocks(("nerp", "train")), [])]
    assert any(t.endswith(("EVT", "FNB")) for t in nerp)  # types we do not tag become O


def test_reader_repairs_an_entity_that_starts_inside():
    raw = [b for b in _raw_blocks(("nerui", "train")) if b[0][1].startswith("I-")]
    assert raw, "the fixture plants one"
    sents = {tuple(s.words): s for s in read_corpus(("nerui", "train"), FIXTURE_DATA)}
    assert sents[tuple(w for w, _ in raw[0])].tags[0] == "B-PER"


def test_reader_names_a_missing_corpus(tmp_path):
    with pytest.raises(FileNotFoundError, match="ENTNORM_DATA") as err:
        read_corpus(("nergrit", "test"), tmp_path)
    assert str(tmp_path) in str(err.value)


def test_reader_follows_entnorm_data(fixture_corpora):
    assert read_corpus(("idner", "dev")) == read_corpus(("idner", "dev"), fixture_corpora)


def test_sentence_key_ignores_case_spacing_and_punctuation():
    assert sentence_key(["Joko", "Widodo", ",", "Presiden"]) == sentence_key(["joko", "widodo", "presiden", "."])
    assert sentence_key(["Joko", "Widodo"]) != sentence_key(["Joko", "Wido"])


@needs_corpora
@pytest.mark.parametrize("key", list(CORPUS_FILES), ids="/".join)
def test_reader_on_the_real_corpora(key):
    sents = read_corpus(key)
    assert len(sents) > 100
    assert all(len(s.words) == len(s.tags) > 0 and set(s.tags) <= set(BIO_LABELS) for s in sents)
    assert sum(t != "O" for s in sents for t in s.tags) > 100
