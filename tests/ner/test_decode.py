import numpy as np

from entnorm.ner.labels import BIO_LABELS as LABELS, map_tag, repair_bio, spans
from entnorm.ner.decode import viterbi


def test_viterbi_never_starts_or_switches_with_inside():
    lp = np.log(np.full((3, len(LABELS)), 0.01))
    lp[0, LABELS.index("I-PER")] = 0.0   # most likely alone, but invalid at the start
    lp[1, LABELS.index("I-LOC")] = 0.0
    tags = [LABELS[i] for i in viterbi(lp)]
    assert not tags[0].startswith("I-")
    for a, b in zip(tags, tags[1:]):
        assert not b.startswith("I-") or a[2:] == b[2:]


def test_label_mapping_and_bio_repair():
    assert [map_tag(t) for t in ["B-PERSON", "I-PLACE", "B-ORGANIZATION", "B-EVT", "O"]] == [
        "B-PER", "I-LOC", "B-ORG", "O", "O"]
    assert repair_bio(["I-PER", "I-PER", "O", "I-LOC"]) == ["B-PER", "I-PER", "O", "B-LOC"]
    assert spans(["B-PER", "I-PER", "O", "B-LOC", "B-LOC"]) == [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC")]
