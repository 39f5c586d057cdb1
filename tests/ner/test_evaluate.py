"""entnorm/ner/evaluate.py: scoring per test set, and the `entnorm evaluate` command (on the fixture corpora)."""
import json

import pytest

from entnorm.cli import main
from entnorm.ner import evaluate
from entnorm.ner.corpora import TEST_SETS, read_corpus
from entnorm.ner.labels import spans
from entnorm.ner.metrics import span_scores
from entnorm.ner.tagger import DEFAULT_MODEL

from .support import needs_model

KEY = ("nerui", "test")


def _gold(sentences, domain):  # the corpus's own tags, in order
    gold = read_corpus(KEY)
    assert [s.words for s in gold] == sentences
    return [s.tags for s in gold]


def test_scores_follow_the_predictions(fixture_corpora):
    perfect = evaluate.evaluate_sets(_gold, [KEY], lambda _: 0)["nerui/test"]
    assert perfect["micro_f1"] == 1.0 and perfect["macro_f1"] == 1.0
    nothing = evaluate.evaluate_sets(lambda s, d: [["O"] * len(w) for w in s], [KEY], lambda _: 0)["nerui/test"]
    support = sum(len(spans(s.tags)) for s in read_corpus(KEY))
    assert nothing["micro_f1"] == 0.0 and nothing["micro"]["support"] == perfect["micro"]["support"] == support > 0


def test_domain_rows_are_passed_through(fixture_corpora):
    seen = []
    evaluate.evaluate_sets(lambda s, d: seen.append(d) or _gold(s, d), [KEY], {"nerui": 2}.get)
    assert seen == [2]
    rows = []
    scores = evaluate.score_rows(lambda s, d: rows.append(d) or _gold(s, d), [KEY], ["generic", "x", "nerui"])
    assert rows == [0, 2] and set(scores) == {"generic_domain", "corpus_domain"}


def test_cli_prints_and_writes_scores(fixture_corpora, tmp_path, monkeypatch, capsys):
    def fake_score(model_dir, precision):
        scores = evaluate.evaluate_sets(_gold, [KEY], lambda _: 0)
        return {"generic_domain": scores, "corpus_domain": scores, "precision": precision}

    monkeypatch.setattr(evaluate, "score_model", fake_score)
    assert main(["evaluate", "--json", str(tmp_path / "m.json")]) == 0
    out = capsys.readouterr().out
    assert "nerui/test" in out and "100.00" in out and "PER 1.000/1.000/1.000" in out
    assert json.loads((tmp_path / "m.json").read_text())["generic_domain"]["nerui/test"]["micro_f1"] == 1.0


def test_cli_names_a_missing_model(capsys):
    assert main(["evaluate", "--model", "/nonexistent/model"]) == 2
    assert "/nonexistent/model" in capsys.readouterr().err


def test_cli_names_missing_corpora(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ENTNORM_DATA", str(tmp_path))
    assert main(["evaluate"]) == 2
    assert str(tmp_path) in capsys.readouterr().err


@needs_model
def test_score_model_on_the_fixture_test_sets(fixture_corpora, fp32):
    """The shipped model through the inference path, scored per set with both domain rows."""
    metrics = evaluate.score_model(DEFAULT_MODEL, "fp32")
    names = [f"{c}/{s}" for c, s in TEST_SETS]
    assert metrics["precision"] == "fp32"
    for mode, domain_of in (("generic_domain", lambda c: 0), ("corpus_domain", fp32.meta["domains"].index)):
        assert list(metrics[mode]) == names
        for (corpus, split), name in zip(TEST_SETS, names):
            sents = read_corpus((corpus, split))
            pred = [[label for label, _ in row]
                    for row in fp32.predict_words([s.words for s in sents], domain_of(corpus))]
            assert metrics[mode][name] == span_scores([s.tags for s in sents], pred)
            # The fixture's sentences are plain news: a working model finds most entities, a broken one none.
            assert metrics[mode][name]["micro_f1"] >= 0.6, (mode, name)
    table = evaluate.format_scores(metrics).splitlines()
    assert len(table) == 1 + 2 * len(names)
    for line in table[1:]:
        mode, name, micro, macro = line.split()[:4]
        assert metrics[f"{mode}_domain"][name]["micro_f1"] == pytest.approx(float(micro) / 100, abs=5e-5)
        assert metrics[f"{mode}_domain"][name]["macro_f1"] == pytest.approx(float(macro) / 100, abs=5e-5)
