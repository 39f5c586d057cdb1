"""entnorm/ner/labels.py: the BIO tag set over doc.LABELS and the mapping of the corpora's tags onto it."""
import random

from entnorm.doc import LABELS
from entnorm.ner.labels import BIO_LABELS, TYPE_MAP, map_tag, repair_bio, spans


def test_bio_labels_are_o_then_begin_inside_for_each_entity_type():
    assert BIO_LABELS[0] == "O" and len(set(BIO_LABELS)) == len(BIO_LABELS)
    assert sorted(BIO_LABELS[1:]) == sorted(f"{p}-{t}" for t in LABELS for p in "BI")
    for t in LABELS:  # B- right before I-: the order the shipped head was trained with
        assert BIO_LABELS.index(f"I-{t}") == BIO_LABELS.index(f"B-{t}") + 1


def test_every_corpus_name_maps_onto_an_entity_type():
    assert set(TYPE_MAP.values()) == set(LABELS)
    assert all(TYPE_MAP[t] == t for t in LABELS)  # our own names map to themselves


def test_map_tag():
    assert [map_tag(t) for t in ["B-PERSON", "I-PLACE", "B-ORGANIZATION", "B-ORGANISATION", "I-PPL", "B-PLC",
                                 "B-IND", "B-EVT", "I-FNB", "O", "-", ""]] == [
        "B-PER", "I-LOC", "B-ORG", "B-ORG", "I-PER", "B-LOC", "B-ORG", "O", "O", "O", "O", "O"]
    assert all(map_tag(f"{p}-{t}") == f"{p}-{t}" for t in LABELS for p in "BI")


def test_repair_bio_starts_an_entity_at_an_inside_that_continues_nothing():
    assert repair_bio(["I-PER", "I-PER", "O", "I-LOC"]) == ["B-PER", "I-PER", "O", "B-LOC"]
    assert repair_bio(["B-PER", "I-LOC", "I-LOC"]) == ["B-PER", "B-LOC", "I-LOC"]
    valid = ["B-ORG", "I-ORG", "B-ORG", "O", "B-LOC"]
    assert repair_bio(valid) == valid


def test_spans():
    assert spans(["B-PER", "I-PER", "O", "B-LOC", "B-LOC"]) == [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC")]
    assert spans(["I-ORG", "I-ORG", "I-PER"]) == [(0, 2, "ORG"), (2, 3, "PER")]  # as repair_bio reads them
    assert spans([]) == [] and spans(["O", "O"]) == []


def test_spans_and_tags_round_trip():
    rng = random.Random(0)
    for _ in range(200):
        tags = repair_bio([rng.choice(BIO_LABELS) for _ in range(rng.randint(0, 12))])
        rebuilt = ["O"] * len(tags)
        for start, end, kind in spans(tags):
            rebuilt[start:end] = [f"B-{kind}"] + [f"I-{kind}"] * (end - start - 1)
        assert rebuilt == tags
