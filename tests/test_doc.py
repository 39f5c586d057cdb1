import pytest

from entnorm.doc import Doc, Link, Span, SpanError, check_spans


def test_check_spans_sorts_and_cuts_text():
    spans = check_spans("Rusia dan Ukraina", [{"start": 10, "end": 17, "label": "LOC"},
                                              {"start": 0, "end": 5, "label": "LOC"}])
    assert [(s.start, s.text) for s in spans] == [(0, "Rusia"), (10, "Ukraina")]
    assert all(s.ner_score is None and s.link is None for s in spans)


@pytest.mark.parametrize("given,problem", [
    ([{"start": 0, "end": 9, "label": "LOC"}], "outside the text"),
    ([{"start": 0, "end": 3, "label": "GPE"}], "is not one of"),
    ([{"start": 0, "end": 3, "label": "LOC"}, {"start": 2, "end": 5, "label": "LOC"}], "overlap"),
    (["Rusia"], "expected an object"),
])
def test_check_spans_names_the_problem(given, problem):
    with pytest.raises(SpanError, match=problem):
        check_spans("Rusia", given)


def test_span_serialises_its_link_and_ner_confidence():
    span = Span(0, 5, "LOC", "Rusia", 0.987654, Link("Q159", "Rusia", 1.0, "exact", "Rusia"))
    assert span.to_dict() == {"start": 0, "end": 5, "text": "Rusia", "label": "LOC", "id": "Q159", "name": "Rusia",
                              "score": 1.0, "method": "exact", "matched": "Rusia", "ner_score": 0.9877}
    assert span.id == "Q159" and span.method == "exact"
    assert "ner_score" not in Span(0, 5, "LOC", "Rusia").to_dict()  # given spans have no NER confidence
    assert Doc("Rusia", [span]).to_dict()["entities"] == [span.to_dict()]


def test_nil_is_the_nil_key_not_the_missing_record():
    assert Link("nil:per:x", "X", 1.0, "nil", nil_key="PER:x").is_nil
    assert not Link("Q1", "X", 1.0, "exact").is_nil
