"""Property tests (hypothesis): for any text, every entity satisfies text[start:end] == entity.text, spans do not
overlap, and results are deterministic — on the link-only path (generated spans) and on the NER path (a handful
of generated texts, with the shipped model). Plus: any input line yields exactly one valid JSON output line."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import entnorm
from entnorm.link.nil import reconcile
from entnorm.jsonl import encode, parse_line
from annotate_support import GAZETTEER, NIL_NAMES, needs_model, write_gazetteer

NAMES = sorted({n for e in GAZETTEER for n in [e["name"], *e.get("aliases", [])]} | set(NIL_NAMES))
WORDS = ["Menteri", "Pertahanan", "bertemu", "di", "dan", "kata", "Presiden", "yang", "tiba", "Yun", "Kim",
         "Rote", "Rutte", "Belousov", "AS", "1.000", "(29/11/2024)", "Baca juga:", "—", "“kata”", "e.g."]
SEPARATORS = [" ", " ", " ", ", ", ". ", "\n", "\r\n", "-", "\t", "  ", ".\n\n", '" ', "\u00a0", "\u200b"]
ODD_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)

pieces = st.one_of(st.sampled_from(NAMES), st.sampled_from(WORDS), ODD_TEXT)


@st.composite
def texts_with_spans(draw):
    """Text built from names, words and arbitrary unicode; spans: random non-overlapping pieces of it."""
    parts = draw(st.lists(st.tuples(pieces, st.sampled_from(SEPARATORS)), min_size=1, max_size=25))
    text, spans = "", []
    for piece, sep in parts:
        start = len(text)
        text += piece + sep
        if piece.strip() and draw(st.booleans()):
            spans.append({"start": start, "end": start + len(piece), "label": draw(st.sampled_from(["PER", "LOC",
                                                                                                    "ORG"]))})
    return text, spans


@pytest.fixture(scope="module")
def linker_nlp(tmp_path_factory):
    return entnorm.load(gazetteer=[write_gazetteer(tmp_path_factory.mktemp("gaz"))], ner=False)


def check_doc(text, doc):
    assert doc.text == text
    end = 0
    for e in doc.entities:
        assert type(e.start) is int and type(e.end) is int
        assert text[e.start:e.end] == e.text and e.start < e.end
        assert e.start >= end, "overlapping entities"
        assert e.label in ("PER", "LOC", "ORG") and e.id and e.name and 0 <= e.score <= 1
        end = e.end


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts_with_spans())
def test_link_only_any_text(linker_nlp, case):
    text, spans = case
    doc = linker_nlp(text, entities=spans)
    check_doc(text, doc)
    assert [(e.start, e.end, e.label) for e in doc.entities] == [(s["start"], s["end"], s["label"]) for s in spans]
    assert linker_nlp(text, entities=spans) == doc  # deterministic
    batch = list(linker_nlp.pipe([{"text": "Rusia", "entities": []}, {"text": text, "entities": spans}]))
    assert batch[1] == doc  # independent of the other documents in the batch


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), st.lists(st.fixed_dictionaries({
    "start": st.one_of(st.integers(-3, 40), st.none(), st.text(max_size=2)),
    "end": st.one_of(st.integers(-3, 40), st.none(), st.floats(0, 5)),
    "label": st.sampled_from(["PER", "LOC", "ORG", "GPE", "", None])}), max_size=4))
def test_bad_spans_raise_span_error_only(linker_nlp, text, spans):
    try:
        doc = linker_nlp(text, entities=spans)
    except entnorm.SpanError:
        return
    check_doc(text, doc)


@pytest.mark.parametrize("span", [{"start": 0, "end": True, "label": "LOC"}, {"start": False, "end": 3, "label": "LOC"}])
def test_boolean_offsets_are_span_errors(linker_nlp, span):
    with pytest.raises(entnorm.SpanError):
        linker_nlp("Rusia", entities=[span])


@settings(max_examples=50, deadline=None)
@given(st.lists(texts_with_spans(), min_size=1, max_size=6))
def test_corpus_nil_reconciliation_keeps_spans(linker_nlp, cases):
    docs = [linker_nlp(t, entities=s) for t, s in cases]
    before = [[(e.start, e.end, e.text, e.id) for e in d.entities] for d in docs]
    reconcile(docs)
    after = [[(e.start, e.end, e.text, e.id) for e in d.entities] for d in docs]
    assert [[e[:3] for e in d] for d in after] == [[e[:3] for e in d] for d in before]
    for old, new in zip(sum(before, []), sum(after, [])):
        # linked mentions keep their ID; a NIL one gets its corpus-level NIL ID or, when it is short for an
        # entity linked elsewhere in the corpus, that entity's ID
        assert new[3] == old[3] or old[3].startswith("nil:")
    for (text, _), doc in zip(cases, docs):
        check_doc(text, doc)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200).filter(lambda b: b"\n" not in b), st.booleans())
def test_any_line_gives_one_json_line(data, link_only):
    rec = parse_line(data, 3, link_only=link_only)
    if rec is None:
        assert not data.decode("utf-8", "replace").lstrip("\ufeff").strip()
        return
    out = encode(rec.failed("x") if rec.error else rec.annotated([]))
    assert out.endswith(b"\n") and out.count(b"\n") == 1
    obj = json.loads(out)
    assert ("error" in obj) == (rec.error is not None)


# -- NER path (shipped model) -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ner_nlp(tmp_path_factory):
    return entnorm.load(gazetteer=[write_gazetteer(tmp_path_factory.mktemp("gaz"))])


@needs_model
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts_with_spans())
def test_ner_any_text(ner_nlp, case):
    text, _ = case
    doc = ner_nlp(text)
    check_doc(text, doc)
    assert ner_nlp(text) == doc  # deterministic
