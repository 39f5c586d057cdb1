"""entnorm/ner/fast_encoder.py: the inference network computes what the training network computes, and the fast
precisions cost no quality.

The full comparison on the three test sets (>= 99.5% entity agreement, |dF1| <= 0.3) is in
`bench/throughput.py`; here a fixed slice of each test set keeps the test to seconds.
"""
import pytest
import torch

from entnorm.ner.artifact import artifact_weights
from entnorm.ner.corpora import TEST_SETS, read_corpus
from entnorm.ner.fast_encoder import FastEncoder, load_fast_encoder
from entnorm.ner.labels import spans
from entnorm.ner.metrics import span_scores
from entnorm.ner.precision import cpu_supports_bf16
from entnorm.ner.tagger import DEFAULT_MODEL, NerTagger

from .support import FIXTURE_DATA, assert_same_logits, needs_corpora, needs_model

SLICE = 100  # sentences per test set: 300 in all, ~680 entities


def _fixture_batch(tagger, domain):
    sents = [s for key in TEST_SETS for s in read_corpus(key, FIXTURE_DATA)]
    fz = tagger.featurizer
    return fz.batch([fz.features(fz.word_pieces(s.words)) for s in sents], domain)  # ragged: padded rows


@needs_model
def test_fast_encoder_equals_the_training_network(fp32):
    """FastEncoder (fused QKV, memory-mapped embeddings) computes exactly what model.Tagger computes."""
    from entnorm.ner.model import load_artifact

    reference, _ = load_artifact(DEFAULT_MODEL)
    batch = _fixture_batch(fp32, 3)
    assert batch["attention_mask"].float().mean() < 1
    assert_same_logits(reference, fp32.model, batch)


@needs_model
def test_fused_projections_equal_plain_ones(fp32):
    if not fp32.model.layers[0].packed:
        pytest.skip("this torch build has no fused oneDNN linear: the plain projections run")
    weights, meta, config = artifact_weights(DEFAULT_MODEL)
    plain = FastEncoder(weights, config, len(meta["labels"]))
    assert not plain.layers[0].packed
    assert_same_logits(plain, fp32.model, _fixture_batch(fp32, 0))


@needs_model
def test_head_logprobs_are_the_log_softmax_at_the_given_positions(fp32):
    batch = _fixture_batch(fp32, 0)
    lengths = batch["attention_mask"].sum(1)
    rows, cols = torch.tensor([0, 0, 5, 9]), torch.tensor([1, 2, 3, 1])
    with torch.inference_mode():
        full = torch.log_softmax(fp32.model(**batch), -1)
        got = fp32.model.head_logprobs(batch["input_ids"], lengths, 0, rows, cols)
    assert torch.allclose(torch.from_numpy(got), full[rows, cols], atol=1e-5)


@needs_model
def test_int8_warns_and_quantises_every_projection():
    with pytest.warns(UserWarning, match="quality bar"):
        model, _, precision = load_fast_encoder(DEFAULT_MODEL, "int8")
    assert precision == "int8" and model.compute == torch.float32
    for layer in model.layers:
        for name in layer.PROJECTIONS:
            assert "quantized" in type(getattr(layer, name)).__module__


@pytest.fixture(scope="module")
def slices():
    return [(key, read_corpus(key)[:SLICE]) for key in TEST_SETS]


def _entities(tagger, slices):
    out, gold, pred = set(), [], []
    for key, sents in slices:
        domain = tagger.meta["domains"].index(key[0])
        rows = tagger.predict_words([s.words for s in sents], domain)
        for i, (s, row) in enumerate(zip(sents, rows)):
            tags = [label for label, _ in row]
            out |= {(key, i, span) for span in spans(tags)}
            gold.append(s.tags)
            pred.append(tags)
    return out, span_scores(gold, pred)["micro_f1"]


@needs_model
@needs_corpora
@pytest.mark.skipif(not cpu_supports_bf16(), reason="this CPU has no native bf16: the fast path is fp32 itself")
def test_bf16_agrees_with_fp32(fp32, slices):
    precision = "bf16"
    fast = NerTagger(DEFAULT_MODEL, precision=precision)
    assert fast.precision == precision
    ref, ref_f1 = _entities(fp32, slices)
    got, f1 = _entities(fast, slices)
    assert len(ref) > 200
    agreement = len(ref & got) / len(ref | got)
    print(f"{precision}: agreement {agreement:.4f}, F1 {f1:.4f} vs fp32 {ref_f1:.4f}")
    # Full test sets (bench/throughput.py): >= 99.5% and <= 0.3 points. This slice measured 99.64% and 0.18
    # on AMX; the margin allows other bf16 kernels (AVX-512 BF16) a few more flips, never a broken path
    # (int8 dynamic quantisation scores 70-91% on the test sets).
    assert agreement >= 0.99, f"{precision}: {agreement:.4f} of entities agree with fp32"
    assert abs(f1 - ref_f1) <= 0.005, f"{precision}: F1 {f1:.4f} vs fp32 {ref_f1:.4f}"
