"""entnorm/ner/train.py: the training pool, and a training run end to end on the fixture corpora whose artifact
loads into the inference path."""
import json
import random

import pytest
import torch

from entnorm.ner import train
from entnorm.ner.corpora import DOMAINS, TEST_SETS, Sentence, read_corpus, sentence_key
from entnorm.ner.features import MAX_TOKENS, Featurizer
from entnorm.ner.labels import BIO_LABELS
from entnorm.ner.metrics import span_scores
from entnorm.ner.model import load_artifact
from entnorm.ner.tagger import NerTagger

from .support import FIXTURE_DATA, assert_same_logits, needs_corpora


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A 2-layer tagger trained for two steps on the fixture corpora (with its test-set scores)."""
    out = tmp_path_factory.mktemp("train") / "tiny"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ENTNORM_DATA", str(FIXTURE_DATA))
        train.main(["--out", str(out), "--max-steps", "2", "--batch-size", "8", "--layers", "2",
                    "--precision", "fp32"])
    return out


def test_training_writes_an_artifact_with_its_manifest_and_scores(tiny):
    meta = json.loads((tiny / "meta.json").read_text())
    assert meta["labels"] == list(BIO_LABELS) and meta["domains"] == list(DOMAINS) and meta["layers"] == 2
    assert meta["trained_with"]["max_steps"] == 2
    manifest = json.loads((tiny / "manifest.json").read_text())
    assert set(manifest["train"]) == {"nergrit", "nerui", "idner"}
    metrics = json.loads((tiny / "metrics.json").read_text())
    assert set(metrics["corpus_domain"]) == set(metrics["generic_domain"]) == {f"{c}/{s}" for c, s in TEST_SETS}
    assert metrics["precision"] == "fp32"
    assert (tiny / "weights.safetensors").stat().st_size < 25 * 2**20
    assert (tiny.parent / "tiny.train.log").read_text().count("done in") == 1


def test_the_trained_artifact_round_trips_into_the_tagger(tiny, fixture_corpora):
    """--layers N trains and ships a smaller tagger; the inference path rebuilds exactly that network."""
    reference, meta = load_artifact(tiny)
    assert meta["layers"] == 2 and len(reference.bert.encoder.layer) == 2
    fast = NerTagger(tiny, precision="fp32")
    assert len(fast.model.layers) == 2 and fast.labels == list(BIO_LABELS)
    fz = fast.featurizer
    sents = read_corpus(("idner", "test"))
    assert_same_logits(reference, fast.model, fz.batch([fz.features(fz.word_pieces(s.words)) for s in sents], 0))
    # and the scores training wrote are those of the saved artifact, re-loaded
    rows = fast.predict_words([s.words for s in sents], 0)
    scores = span_scores([s.tags for s in sents], [[label for label, _ in row] for row in rows])
    metrics = json.loads((tiny / "metrics.json").read_text())
    assert metrics["generic_domain"]["idner/test"] == json.loads(json.dumps(scores))


def _check_pool(pool, manifest, corpora, with_dev):
    test_keys = {sentence_key(s.words) for key in TEST_SETS for s in read_corpus(key)}
    dev_keys = {sentence_key(s.words) for key in train.DEV_SETS for s in read_corpus(key)}
    keys = [sentence_key(s.words) for s in pool]
    assert len(keys) == len(set(keys)), "a sentence twice"
    assert not set(keys) & test_keys
    assert with_dev or not set(keys) & dev_keys
    assert {s.corpus for s in pool} == set(corpora)
    assert {s.split for s in pool} == ({"train", "dev"} if with_dev else {"train"})
    for corpus in corpora:
        for split in ("train", "dev") if with_dev else ("train",):
            name = corpus if split == "train" else f"{corpus}/{split}"
            read = len(read_corpus((corpus, split)))
            removed = sum(manifest[b].get(name, 0) for b in manifest if b != "train")
            assert manifest["train"][name] + removed == read
            assert manifest["train"][name] == sum(1 for s in pool if (s.corpus, s.split) == (corpus, split))


@pytest.mark.parametrize("with_dev", [False, True])
def test_pool_on_the_fixture_drops_test_dev_and_repeated_sentences(fixture_corpora, with_dev):
    corpora = ["nergrit", "nerui", "idner"]
    pool, manifest = train.build_pool(corpora, log=lambda _: None, with_dev=with_dev)
    _check_pool(pool, manifest, corpora, with_dev)
    # the fixture plants one of each (tests/data/ner/README.md)
    assert manifest["removed_overlap_test"].get("nergrit") == 1
    assert manifest["removed_duplicate"].get("idner") == 1
    assert manifest["removed_overlap_dev"].get("nerui") == (None if with_dev else 1)


def test_sample_draws_a_fixed_subset_of_training_sentences_only(fixture_corpora):
    pool, manifest = train.build_pool(["nergrit", "idner"], log=lambda _: None, sample={"idner": 5}, seed=3,
                                      with_dev=True)
    assert manifest["train"]["idner"] <= 5 and manifest["train"]["idner/dev"] == len(read_corpus(("idner", "dev")))
    again, _ = train.build_pool(["nergrit", "idner"], log=lambda _: None, sample={"idner": 5}, seed=3,
                                with_dev=True)
    assert [s.words for s in pool] == [s.words for s in again]


def test_encode_pool_cuts_an_overlong_training_sentence(fixture_corpora):
    from entnorm import encoder

    feat = Featurizer(encoder.load_base_encoder())
    words = ["Gubernur", "Jawa", "Tengah", "berkata"] * 200
    tags = ["O", "B-LOC", "I-LOC", "O"] * 200
    short = Sentence(["Joko", "Widodo"], ["B-PER", "I-PER"], "nerui", "train")
    (f, labels, domain), (g, glabels, gdomain) = train.encode_pool(feat, [Sentence(words, tags, "idner", "train"),
                                                                         short])
    assert len(f.ids) <= MAX_TOKENS and 0 < f.n_words < len(words)
    assert labels == [BIO_LABELS.index(t) for t in tags[: f.n_words]] and domain == DOMAINS.index("idner")
    assert glabels == [BIO_LABELS.index("B-PER"), BIO_LABELS.index("I-PER")] and g.n_words == 2
    assert gdomain == DOMAINS.index("nerui")


def test_batches_cover_every_sentence_once_and_train_the_generic_row_by_share():
    feats = [(type("F", (), {"ids": [0] * n})(), [], 3) for n in range(5, 205)]
    seen, generic = [], 0
    for batch in train.batches(feats, 16, random.Random(0), generic_share=0.3):
        assert len(batch) <= 16
        seen += [id(f) for f, _, _ in batch]
        generic += sum(d == 0 for _, _, d in batch)
    assert sorted(seen) == sorted(id(f) for f, _, _ in feats)
    assert 0.2 < generic / len(feats) < 0.4


def test_weight_average_tracks_and_swaps_back():
    p = torch.nn.Parameter(torch.zeros(3))
    avg = train.WeightAverage([p], decay=0.5)
    with torch.no_grad():
        p += 4.0
    avg.update()  # shadow: 0.5 * 0 + 0.5 * 4
    avg.swap()
    assert torch.equal(p.detach(), torch.full((3,), 2.0))
    avg.swap()
    assert torch.equal(p.detach(), torch.full((3,), 4.0))


@needs_corpora
def test_pool_on_the_real_corpora_never_holds_a_test_sentence():
    pool, manifest = train.build_pool(["nergrit", "idner"], log=lambda _: None, with_dev=True)
    assert manifest["train"]["nergrit/dev"] > 100 and manifest["train"]["idner/dev"] > 100
    assert "nerui/dev" not in manifest["train"]  # only the dev sets of the chosen corpora
    _check_pool(pool, manifest, ["nergrit", "idner"], with_dev=True)
    plain, manifest = train.build_pool(["nergrit", "idner"], log=lambda _: None)
    _check_pool(plain, manifest, ["nergrit", "idner"], with_dev=False)
