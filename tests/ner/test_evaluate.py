"""entnorm/ner/evaluate.py: scoring per test set, and the `entnorm evaluate` command."""
import json

from entnorm.cli import main
from entnorm.ner import evaluate
from entnorm.ner.corpora import read_corpus

KEY = ("nerui", "test")


def _gold(sentences, domain):  # the corpus's own tags, in order (a few sentences repeat with other tags)
    gold = read_corpus(KEY)
    assert [s.words for s in gold] == sentences
    return [s.tags for s in gold]


def test_scores_follow_the_predictions():
    perfect = evaluate.evaluate_sets(_gold, [KEY], lambda _: 0)["nerui/test"]
    assert perfect["micro_f1"] == 1.0 and perfect["macro_f1"] == 1.0
    nothing = evaluate.evaluate_sets(lambda s, d: [["O"] * len(w) for w in s], [KEY], lambda _: 0)["nerui/test"]
    assert nothing["micro_f1"] == 0.0 and nothing["micro"]["support"] == perfect["micro"]["support"] > 100


def test_domain_rows_are_passed_through():
    seen = []
    evaluate.evaluate_sets(lambda s, d: seen.append(d) or _gold(s, d), [KEY], {"nerui": 2}.get)
    assert seen == [2]


def test_cli_prints_and_writes_scores(tmp_path, monkeypatch, capsys):
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
