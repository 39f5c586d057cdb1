"""Reconciliation benchmark on gold spans: `python bench/linking.py [--data tests/data/linking] [--realnews DIR]`.

Compares, in one run, entnorm (gazetteer + linker + NIL clustering) against two do-it-yourself baselines:
exact lower-case match, and unidecode + rapidfuzz WRatio >= 85 greedy clustering. Prints pairwise and
B-cubed precision/recall/F1 over the mentions of `documents.jsonl` (clusters span documents), accuracy on
`variant_pairs.jsonl` (should merge) and `confusable_pairs.jsonl` (must not; each name alone, and "in
context": the pairs that give a sentence per side, each side linked inside it), lists every false merge and
split, and writes `bench/results/linking.json`.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402
from unidecode import unidecode  # noqa: E402

from entnorm.doc import Doc, Span  # noqa: E402
from entnorm.kb.loader import load_kb  # noqa: E402
from entnorm.link.linker import Linker  # noqa: E402
from entnorm.link.nil import reconcile  # noqa: E402
from entnorm.pipeline import Pipeline  # noqa: E402


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]


# -- systems: each maps a list of documents (lists of Span) to a cluster ID per mention ------------
def entnorm_system(linker: Linker):
    """The library's own path: per-document links (the document's text passed, for context ranking), then
    corpus-level NIL reconciliation (`reconcile`)."""
    def run(docs: list[list[Span]], texts: list[str] | None = None) -> list[list[str]]:
        annotated = [Doc(text, [replace(s, link=None) for s in spans])
                     for spans, text in zip(docs, texts or [""] * len(docs))]
        pipeline = Pipeline(linker)
        for a in range(0, len(annotated), pipeline.batch_size):  # the pipeline's batches: the ranker embeds each at once
            batch = annotated[a : a + pipeline.batch_size]
            pipeline.link(batch, relabel=[False] * len(batch))
        return [[s.link.id for s in doc.spans] for doc in reconcile(annotated)]
    return run


def exact_lowercase(docs, texts=None):
    return [[f"{m.label}:{m.text.lower()}" for m in d] for d in docs]


def wratio_clustering(docs, texts=None, cutoff: float = 85):
    reps: list[tuple[str, str, str]] = []  # (label, folded representative, id)
    out = []
    for d in docs:
        row = []
        for m in d:
            folded = unidecode(m.text).lower()
            cid = next((c for lab, rep, c in reps if lab == m.label and fuzz.WRatio(folded, rep) >= cutoff), None)
            if cid is None:
                cid = f"c{len(reps)}"
                reps.append((m.label, folded, cid))
            row.append(cid)
        out.append(row)
    return out


# -- metrics -------------------------------------------------------------------------------------------
def cluster_metrics(gold: list[str], pred: list[str]) -> dict:
    n = len(gold)
    by_gold, by_pred = defaultdict(set), defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, pred)):
        by_gold[g].add(i)
        by_pred[p].add(i)
    b3p = sum(len(by_gold[gold[i]] & by_pred[pred[i]]) / len(by_pred[pred[i]]) for i in range(n)) / n
    b3r = sum(len(by_gold[gold[i]] & by_pred[pred[i]]) / len(by_gold[gold[i]]) for i in range(n)) / n
    tp = fp = fn = 0
    for i, j in combinations(range(n), 2):
        same_g, same_p = gold[i] == gold[j], pred[i] == pred[j]
        tp += same_g and same_p
        fp += same_p and not same_g
        fn += same_g and not same_p
    pp, pr = tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0
    f = lambda p, r: 2 * p * r / (p + r) if p + r else 0.0  # noqa: E731
    merged_entity_pairs = {tuple(sorted({gold[i] for i in members})) for members in by_pred.values()
                           if len({gold[i] for i in members}) > 1}
    false_merges = sum(len(g) - 1 for g in merged_entity_pairs)
    return {"b3_p": b3p, "b3_r": b3r, "b3_f1": f(b3p, b3r), "pair_p": pp, "pair_r": pr, "pair_f1": f(pp, pr),
            "entities": len(by_gold), "false_merges": false_merges,
            "false_merges_per_100": 100 * false_merges / max(1, len(by_gold))}


def errors(gold, pred, texts) -> dict:
    by_pred, by_gold = defaultdict(list), defaultdict(list)
    for g, p, t in zip(gold, pred, texts):
        by_pred[p].append((g, t))
        by_gold[g].append((p, t))
    merges = {p: sorted(Counter(f"{g}: {t}" for g, t in items)) for p, items in by_pred.items()
              if len({g for g, _ in items}) > 1}
    splits = {g: sorted(Counter(f"{p}: {t}" for p, t in items)) for g, items in by_gold.items()
              if len({p for p, _ in items}) > 1}
    return {"false_merges": merges, "splits": splits}


def pair_accuracy(system, pairs, should_merge: bool) -> tuple[float, list]:
    docs = [[Span(0, len(p[side]), p.get("type", "PER"), p[side])] for side in "ab" for p in pairs]
    ids = [d[0] for d in system(docs)]
    n, wrong = len(pairs), []
    for i, p in enumerate(pairs):
        if (ids[i] == ids[n + i]) != should_merge:
            wrong.append(f"{p['a']} | {p['b']} ({ids[i]} / {ids[n + i]})")
    return 1 - len(wrong) / max(1, n), wrong


def pairs_in_context(system, pairs) -> tuple[int, list]:
    """Confusable pairs that come with a sentence for each side: each side linked inside its sentence with its
    own type (what context ranking can use); returns (pairs kept apart, the merged ones)."""
    pairs = [p for p in pairs if p.get("context") and all(p[s] in p["context"][s] for s in "ab")]
    docs, texts = [], []
    for p in pairs:
        for s in "ab":
            at = p["context"][s].index(p[s])
            docs.append([Span(at, at + len(p[s]), p[f"{s}_type"], p[s])])
            texts.append(p["context"][s])
    ids = [d[0] for d in system(docs, texts)]
    merged = [f"{p['a']} | {p['b']} ({ids[2 * i]})" for i, p in enumerate(pairs) if ids[2 * i] == ids[2 * i + 1]]
    return len(pairs) - len(merged), merged


QID = re.compile(r"Q[1-9]\d*")


def real_news(system, data: Path, kb) -> dict:
    """The real-news dev set (tests/data/realnews): clusters across documents on gold spans, plus how the IDs
    compare with the gold QIDs: accuracy over mentions whose entity has a QID, precision of the QIDs output, the
    share of out-of-knowledge-base mentions that got a QID anyway, and coverage: the share of gold entities (and
    of their mentions) that have a QID which `kb` holds."""
    documents = read_jsonl(data / "documents.jsonl")
    entities = {e["entity"]: e for e in read_jsonl(data / "entities.jsonl")}
    docs = [[Span(m["start"], m["end"], m["label"], m["text"]) for m in d["mentions"]] for d in documents]
    gold = [m["entity"] for d in documents for m in d["mentions"]]
    domains = [d.get("domain", "") for d in documents for _ in d["mentions"]]
    texts = [m["text"] for d in documents for m in d["mentions"]]
    pred = [cid for d in system(docs, [d["text"] for d in documents]) for cid in d]
    out = {k: round(v, 4) for k, v in cluster_metrics(gold, pred).items()}
    gold_qid = [entities[g].get("qid") for g in gold]
    with_qid = [i for i, q in enumerate(gold_qid) if q]
    output_qid = [i for i, p in enumerate(pred) if QID.fullmatch(p)]
    out_of_kb = [i for i, g in enumerate(gold) if entities[g].get("nil")]
    out.update(mentions=len(gold), qid_accuracy=round(sum(pred[i] == gold_qid[i] for i in with_qid) / max(1, len(with_qid)), 4),
               qid_precision=round(sum(pred[i] == gold_qid[i] for i in output_qid) / max(1, len(output_qid)), 4),
               out_of_kb_linked=round(sum(bool(QID.fullmatch(pred[i])) for i in out_of_kb) / max(1, len(out_of_kb)), 4),
               mentions_with_qid=len(with_qid), mentions_out_of_kb=len(out_of_kb))
    qids = {e["qid"] for e in entities.values() if e.get("qid")}
    held = {q for q in qids if kb.get(q) is not None and kb.get(q).id == q}
    out.update(kb_coverage_entities=round(len(held) / max(1, len(qids)), 4),
               kb_coverage_mentions=round(sum(q in held for q in gold_qid if q) / max(1, len(with_qid)), 4))
    out["by_domain"] = {}
    for domain in sorted(set(domains)):
        idx = [i for i, d in enumerate(domains) if d == domain]
        m = cluster_metrics([gold[i] for i in idx], [pred[i] for i in idx])
        out["by_domain"][domain] = {"mentions": len(idx), "b3_f1": round(m["b3_f1"], 4)}
    out.update(errors(gold, pred, texts))
    out["wrong_qids"] = sorted(Counter(f"{texts[i]} -> {pred[i]} (gold {gold[i]}: {gold_qid[i] or 'no QID'})"
                                       for i in output_qid if pred[i] != gold_qid[i]).items(), key=lambda kv: -kv[1])
    return out


def speed(kb, n: int = 10_000, seed: int = 7) -> dict:
    """Link `n` mentions against the full gazetteer with a cold candidate cache: gazetteer aliases, half of
    them perturbed (typo, case, hyphen) so that key and fuzzy search run too, in documents of 20 mentions."""
    import random

    rng = random.Random(seed)
    forms = []
    for _ in range(n):
        e_idx, alias = kb.alias(rng.randrange(kb.n_aliases))
        if rng.random() < 0.5 and len(alias) > 4:
            i = rng.randrange(1, len(alias) - 1)
            alias = rng.choice([alias[:i] + alias[i + 1:], alias[:i] + alias[i] + alias[i:], alias.upper(),
                                alias.replace(" ", "-")])
        forms.append(Span(0, len(alias), kb.entity(e_idx).type, alias))
    linker = Linker(kb)
    t0 = time.perf_counter()
    for i in range(0, n, 20):
        linker.link_document(forms[i:i + 20])
    elapsed = time.perf_counter() - t0
    return {"mentions": n, "seconds": round(elapsed, 3), "mentions_per_s": round(n / elapsed)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "linking")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "linking.json")
    ap.add_argument("--show", type=int, default=50, help="errors listed per system")
    ap.add_argument("--realnews", type=Path, default=ROOT / "tests" / "data" / "realnews",
                    help="real-news dev set (skipped when absent)")
    ap.add_argument("--context-ranking", action="store_true",
                    help="add the system entnorm+context (link/semantic.py; documents' text passed)")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    linker = Linker(load_kb())
    load_s = time.perf_counter() - t0
    documents = read_jsonl(args.data / "documents.jsonl")
    docs = [[Span(m["start"], m["end"], m["label"], m["text"]) for m in d["mentions"]] for d in documents]
    gold = [m["entity"] for d in documents for m in d["mentions"]]
    texts = [m["text"] for d in documents for m in d["mentions"]]
    variants = read_jsonl(args.data / "variant_pairs.jsonl")
    confusables = read_jsonl(args.data / "confusable_pairs.jsonl")

    systems = {"exact-lowercase": exact_lowercase, "unidecode+WRatio>=85": wratio_clustering,
               "entnorm": entnorm_system(linker)}
    ranker = None
    if args.context_ranking:
        from entnorm.link.semantic import ContextRanker

        ranker = ContextRanker(linker.kb)
        systems["entnorm+context"] = entnorm_system(Linker(linker.kb, ranker=ranker))
    doc_texts = [d["text"] for d in documents]
    results = {"gazetteer_entities": len(linker.kb), "gazetteer_load_s": round(load_s, 3),
               "mentions": len(gold), "documents": len(docs), "systems": {}}
    print(f"gazetteer: {len(linker.kb)} entities (loaded in {load_s:.2f}s); {len(docs)} documents, "
          f"{len(gold)} gold mentions, {len(set(gold))} gold entities; {len(variants)} variant pairs, "
          f"{len(confusables)} confusable pairs\n")
    header = (f"{'system':22s} {'B3 P':>6s} {'B3 R':>6s} {'B3 F1':>6s} {'pair P':>6s} {'pair R':>6s} "
              f"{'pair F1':>7s} {'merges/100':>10s} {'variants':>8s} {'confus.':>8s}")
    print(header + "\n" + "-" * len(header))
    for name, system in systems.items():
        pred = [cid for d in system(docs, doc_texts) for cid in d]
        m = cluster_metrics(gold, pred)
        var_acc, var_wrong = pair_accuracy(system, variants, True)
        con_acc, con_wrong = pair_accuracy(system, confusables, False)
        results["systems"][name] = {**{k: round(v, 4) for k, v in m.items()}, "variant_pair_acc": round(var_acc, 4),
                                    "confusable_pair_acc": round(con_acc, 4), **errors(gold, pred, texts),
                                    "variant_misses": var_wrong, "confusable_merges": con_wrong}
        apart, merged = pairs_in_context(system, confusables)
        results["systems"][name].update(confusables_in_context_apart=apart, confusables_in_context_merged=merged)
        print(f"{name:22s} {m['b3_p']:6.3f} {m['b3_r']:6.3f} {m['b3_f1']:6.3f} {m['pair_p']:6.3f} "
              f"{m['pair_r']:6.3f} {m['pair_f1']:7.3f} {m['false_merges_per_100']:10.2f} {var_acc:8.3f} {con_acc:8.3f}"
              f"   in context: {apart} of {apart + len(merged)} apart")
    if not (args.realnews / "documents.jsonl").is_file() and (args.realnews / "annotations.yaml").is_file():
        print(f"\nreal news: skipped, {args.realnews}/documents.jsonl not built "
              f"(python {args.realnews}/build_realnews.py build, from the shared corpora)")
    for name in (n for n in ("entnorm", "entnorm+context") if n in systems and (args.realnews / "documents.jsonl").is_file()):
        key = "real_news" + name[len("entnorm"):].replace("+", "_")
        rn = results[key] = real_news(systems[name], args.realnews, linker.kb)
        print(f"\nreal news, {name} ({rn['mentions']} gold mentions, {rn['entities']} entities, {args.realnews}):\n"
              f"  B3 P {rn['b3_p']:.3f}  R {rn['b3_r']:.3f}  F1 {rn['b3_f1']:.3f}   pair F1 {rn['pair_f1']:.3f}   "
              f"QID accuracy {rn['qid_accuracy']:.3f} (of {rn['mentions_with_qid']} with a gold QID)   "
              f"QID precision {rn['qid_precision']:.3f}   out-of-KB mentions given a QID {rn['out_of_kb_linked']:.3f} "
              f"(of {rn['mentions_out_of_kb']})\n  knowledge-base coverage: {rn['kb_coverage_entities']:.3f} of the gold "
              f"entities with a QID ({rn['kb_coverage_mentions']:.3f} of their mentions) are in the gazetteer under it")
        print("  by domain: " + ", ".join(f"{d} {v['b3_f1']:.3f} ({v['mentions']})" for d, v in rn["by_domain"].items()))
    if ranker:
        st = ranker.stats
        results["context_ranking"] = dict(st, policy={k: v for k, v in linker.policy.to_dict().items() if k.startswith("context")})
        print(f"\ncontext ranking: {st['mentions']} mentions compared, {st['queries']} context windows ({st['query_tokens']} subwords) and "
              f"{st['passages']} descriptions embedded, in {st['documents']} documents")
    results["speed"] = speed(linker.kb)
    print(f"\nspeed: {results['speed']['mentions']} mentions (cold cache, half perturbed) linked in "
          f"{results['speed']['seconds']} s = {results['speed']['mentions_per_s']}/s")
    shown = "entnorm+context" if ranker else "entnorm"
    mine, rn = results["systems"][shown], results.get("real_news_context" if ranker else "real_news", {})
    for title, items in (("false merges", mine["false_merges"]), ("splits", mine["splits"]),
                         ("variant pairs not merged", mine["variant_misses"]),
                         ("confusable pairs merged", mine["confusable_merges"]),
                         ("real-news false merges", rn.get("false_merges", {})), ("real-news splits", rn.get("splits", {})),
                         ("real-news wrong QIDs", dict(rn.get("wrong_qids", [])))):
        print(f"\n{shown} {title} ({len(items)}):")
        for item in list(items.items() if isinstance(items, dict) else items)[: args.show]:
            print("  ", item)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(f"\nwritten {args.out}")
    return results


if __name__ == "__main__":
    main()
