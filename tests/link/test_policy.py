from entnorm.doc import Span
from entnorm.link.policy import Policy


def test_policy_round_trips_through_a_dict():
    p = Policy(min_score=0.5, type_factor={("LOC", "ORG"): 0.6, ("ORG", "LOC"): 0.7})
    assert Policy.from_dict(p.to_dict()) == p


def test_type_agreement_lets_a_famous_name_survive_an_ner_slip():
    p = Policy()
    assert p.type_agreement("LOC", "LOC") == 1.0
    assert p.type_agreement("PER", "LOC", prior=1.0) > p.type_agreement("PER", "LOC", prior=0.1)


def test_weak_match_is_not_linked():
    p = Policy()
    assert p.score(0.9, 0.3, 1.0, 0.0) is None          # 0.27 < min_score
    assert p.score(1.0, 1.0, 1.0, 1.0) == 0.5            # a tie halves the score


def test_explain_shows_every_factor_and_the_decision(mini_linker):
    text = mini_linker.explain("Moskow", "LOC")
    assert "Q649" in text and "via alias" in text
    for factor in ("match", "type", "prior", "coherence", "document"):
        assert factor in text
    assert "-> Q649 score" in text
    assert "NIL" in mini_linker.explain("Kim Yo Jong", "PER")


def test_explain_agrees_with_the_decision(mini_linker):
    doc = [Span(0, 6, "LOC", "Moskow")]
    link = mini_linker.link_document(doc)[0]
    assert f"-> {link.id} score {link.score}" in mini_linker.explain("Moskow", "LOC", doc)
