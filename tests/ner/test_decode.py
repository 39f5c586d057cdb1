"""entnorm/ner/decode.py: constrained BIO decoding."""
import numpy as np

from entnorm.ner.decode import best_path, viterbi
from entnorm.ner.labels import BIO_LABELS as LABELS


def _valid(tags):
    return not (tags and tags[0].startswith("I-")) and all(
        not b.startswith("I-") or a[2:] == b[2:] for a, b in zip(tags, tags[1:]))


def test_viterbi_never_starts_or_switches_with_inside():
    lp = np.log(np.full((3, len(LABELS)), 0.01))
    lp[0, LABELS.index("I-PER")] = 0.0   # most likely alone, but invalid at the start
    lp[1, LABELS.index("I-LOC")] = 0.0
    tags = [LABELS[i] for i in viterbi(lp)]
    assert _valid(tags)


def _random_logprobs(rng, words):
    logits = rng.normal(size=(words, len(LABELS))) * 3
    return (logits - np.log(np.exp(logits).sum(1, keepdims=True))).astype(np.float32)


def test_best_path_is_the_viterbi_path_with_its_probabilities():
    rng = np.random.default_rng(0)
    shortcut = 0
    for _ in range(300):
        lp = _random_logprobs(rng, int(rng.integers(0, 9)))
        path, probs = best_path(lp)
        assert list(path) == viterbi(lp)
        assert _valid([LABELS[i] for i in path])
        np.testing.assert_allclose(probs, np.exp(lp[np.arange(len(path)), path]))
        shortcut += list(path) == list(lp.argmax(1))
    assert 0 < shortcut < 300  # both branches ran: valid argmax paths and repaired ones
