"""annotate_stream: the library's corpus path (the CLI is a thin wrapper over it)."""
import pytest

import entnorm
from entnorm.stream import StrictStop, annotate_stream
from annotate_support import write_gazetteer


@pytest.fixture(scope="module")
def nlp(tmp_path_factory):
    return entnorm.load(gazetteer=[write_gazetteer(tmp_path_factory.mktemp("gaz"))], ner=False)


def spans(text, *names):
    out, pos = [], 0
    for n in names:
        pos = text.index(n, pos)
        out.append({"start": pos, "end": pos + len(n), "label": "PER"})
        pos += len(n)
    return out


DOCS = [{"id": 1, "text": "Andrei Belousov tiba. Belousov bicara."},
        {"id": 2, "text": "Kemudian Andrei Beloussov pergi."},
        {"id": 3, "text": 42},
        {"id": 4, "text": "Kim Jong Un senang."}]
for d, names in zip(DOCS, [("Andrei Belousov", "Belousov"), ("Andrei Beloussov",), (), ("Kim Jong Un",)]):
    if isinstance(d["text"], str):
        d["entities"] = spans(d["text"], *names)


def test_every_record_comes_out_in_order_with_corpus_nil_ids(nlp):
    out = []
    stats = annotate_stream(nlp, DOCS, out.append, batch_size=2, link_only=True)
    assert [o["id"] for o in out] == [1, 2, 3, 4]
    assert out[2]["error"] == {"line": 3, "reason": "text field 'text' is a number, not a string"}
    nil_ids = {e["id"] for o in out[:2] for e in o["entities"]}
    assert len(nil_ids) == 1 and nil_ids.pop().startswith("nil:per:")  # one NIL person across documents
    assert out[3]["entities"][0]["id"] == "Q56226"
    assert (stats.records, stats.failed, stats.nil, stats.nil_ids, stats.linked) == (4, 1, 3, 1, 1)


def test_strict_stops_before_anything_is_emitted(nlp):
    out = []
    with pytest.raises(StrictStop) as stop:
        annotate_stream(nlp, DOCS, out.append, link_only=True, strict=True)
    assert stop.value.line == 3 and out == []


def test_progress_is_reported_per_batch(nlp):
    seen = []
    annotate_stream(nlp, DOCS, lambda o: None, batch_size=1, link_only=True, on_batch=lambda s: seen.append(s.records))
    assert seen == [1, 2, 3, 4]
