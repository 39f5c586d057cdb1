"""The reconciliation targets on the labelled set (gold spans), through the benchmark's own code."""
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import linking  # noqa: E402
from entnorm.doc import Span  # noqa: E402
from entnorm.kb.loader import load_kb  # noqa: E402
from entnorm.link.linker import Linker  # noqa: E402

DATA = ROOT / "tests" / "data" / "linking"


@pytest.fixture(scope="module")
def system():
    return linking.entnorm_system(Linker(load_kb()))


def test_document_clusters_meet_targets(system):
    documents = linking.read_jsonl(DATA / "documents.jsonl")
    docs = [[Span(m["start"], m["end"], m["label"], m["text"]) for m in d["mentions"]] for d in documents]
    gold = [m["entity"] for d in documents for m in d["mentions"]]
    pred = [cid for d in system(docs) for cid in d]
    m = linking.cluster_metrics(gold, pred)
    assert m["b3_f1"] >= 0.98 and m["pair_f1"] >= 0.95, m
    baseline = linking.cluster_metrics(gold, [c for d in linking.wratio_clustering(docs) for c in d])
    assert m["b3_f1"] > baseline["b3_f1"] and m["false_merges"] < baseline["false_merges"]


@pytest.mark.parametrize("a,b,label", [
    ("Kim Jong Un", "Kim Jong Il", "PER"), ("Kim Jong Un", "Kim Yo Jong", "PER"), ("Donald Trump", "Donald Tusk", "PER"),
    ("Lee Jae-myung", "Lee Jae-yong", "PER"), ("Jawa Barat", "Jawa Timur", "LOC"), ("Austria", "Australia", "LOC"),
    ("Korea Utara", "Korea Selatan", "LOC"), ("Niger", "Nigeria", "LOC")])
def test_classic_confusables_get_different_ids(system, a, b, label):
    ids = system([[Span(0, len(a), label, a)], [Span(0, len(b), label, b)]])
    assert ids[0][0] != ids[1][0]
