"""Training runs end to end on a tiny slice and writes a loadable artifact."""
import json

from entnorm.ner import train
from entnorm.ner.model import load_artifact


def test_one_tiny_training_step(tmp_path):
    out = tmp_path / "tiny"
    train.main(["--out", str(out), "--limit", "16", "--max-steps", "1", "--batch-size", "8"])
    tagger, meta = load_artifact(out)
    assert meta["labels"][0] == "O" and "generic" in meta["domains"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["train"] and "removed_overlap_test" in manifest
    assert (out / "weights.safetensors").stat().st_size < 25 * 2**20
    metrics = json.loads((out / "metrics.json").read_text())
    assert set(metrics["corpus_domain"]) == {"nergrit/test", "nerui/test", "idner/test"}


def test_pool_with_dev_adds_dev_sentences_and_never_a_test_sentence():
    from entnorm.ner.corpora import TEST_SETS, read_corpus, sentence_key

    pool, manifest = train.build_pool(["nergrit", "idner"], log=lambda _: None, with_dev=True)
    test_keys = {sentence_key(s.words) for key in TEST_SETS for s in read_corpus(key)}
    assert manifest["train"]["nergrit/dev"] > 100 and manifest["train"]["idner/dev"] > 100
    assert "nerui/dev" not in manifest["train"]  # only the dev sets of the chosen corpora
    assert not any(sentence_key(s.words) in test_keys for s in pool)
    assert {s.split for s in pool} == {"train", "dev"}
    plain, _ = train.build_pool(["nergrit", "idner"], log=lambda _: None)
    assert {s.split for s in plain} == {"train"}


def test_weight_average_tracks_and_swaps_back():
    import torch

    p = torch.nn.Parameter(torch.zeros(3))
    avg = train.WeightAverage([p], decay=0.5)
    with torch.no_grad():
        p += 4.0
    avg.update()  # shadow: 0.5 * 0 + 0.5 * 4
    avg.swap()
    assert torch.equal(p.detach(), torch.full((3,), 2.0))
    avg.swap()
    assert torch.equal(p.detach(), torch.full((3,), 4.0))


def test_truncated_tagger_round_trips_into_the_fast_encoder(tmp_path):
    """--layers N trains and ships a smaller tagger; the inference path rebuilds exactly that network."""
    import torch

    from entnorm.ner.corpora import read_corpus
    from entnorm.ner.tagger import NerTagger

    out = tmp_path / "small"
    train.main(["--out", str(out), "--limit", "16", "--max-steps", "1", "--batch-size", "8", "--layers", "2"])
    reference, meta = load_artifact(out)
    assert meta["layers"] == 2 and len(reference.bert.encoder.layer) == 2
    fast = NerTagger(out, precision="fp32")
    assert len(fast.model.layers) == 2
    fz = fast.featurizer
    sents = read_corpus(("idner", "test"))[:8]
    batch = fz.batch([fz.features(fz.word_pieces(s.words)) for s in sents], 0)
    with torch.inference_mode():
        want, got = reference(**batch), fast.model(**batch)
    mask = batch["attention_mask"].bool()
    assert torch.allclose(got[mask], want[mask], atol=1e-3, rtol=0)
