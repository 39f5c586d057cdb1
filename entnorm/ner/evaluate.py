"""Test-set scores of a NER model through the inference path users run: `entnorm evaluate [--model DIR]`.

Per test set (NERGrit, NER UI fold-1, IDNer-news-2k): micro and macro span F1 (exact match, typed) and per-type
P/R/F1, with the generic domain row (what the pipeline uses) and with each corpus's own row.
"""
from __future__ import annotations

from pathlib import Path

from .corpora import TEST_SETS, read_corpus
from .metrics import span_scores


def evaluate_sets(predict, keys, domain_of) -> dict:
    """`predict(sentences, domain) -> BIO tags per word`; scores per corpus split, keyed "corpus/split"."""
    results = {}
    for key in keys:
        sents = read_corpus(key)
        pred = predict([s.words for s in sents], domain_of(key[0]))
        results[f"{key[0]}/{key[1]}"] = span_scores([s.tags for s in sents], pred)
    return results


def score_rows(predict, keys, domains: list[str]) -> dict:
    """Scores with the generic row (0, what the pipeline uses) and with each corpus's own row of `domains`."""
    return {"generic_domain": evaluate_sets(predict, keys, lambda _: 0),
            "corpus_domain": evaluate_sets(predict, keys, domains.index)}


def score_model(model_dir: Path, precision: str = "fp32", keys=TEST_SETS) -> dict:
    """{"generic_domain": {set: scores}, "corpus_domain": {set: scores}} for a saved model directory."""
    from .tagger import NerTagger

    tagger = NerTagger(Path(model_dir), precision)

    def predict(sentences, domain):
        return [[label for label, _ in row] for row in tagger.predict_words(sentences, domain)]

    return {**score_rows(predict, keys, tagger.meta["domains"]), "precision": tagger.precision}


def format_scores(metrics: dict) -> str:
    lines = [f"{'domain row':15s} {'test set':14s} {'micro':>6s} {'macro':>6s} | per type P/R/F1"]
    for mode in ("generic_domain", "corpus_domain"):
        for key, r in metrics[mode].items():
            per = "  ".join(f"{t} {v['p']:.3f}/{v['r']:.3f}/{v['f1']:.3f}" for t, v in r["per_type"].items())
            lines.append(f"{mode.split('_')[0]:15s} {key:14s} {100 * r['micro_f1']:6.2f} "
                         f"{100 * r['macro_f1']:6.2f} | {per}")
    return "\n".join(lines)
