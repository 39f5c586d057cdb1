"""Fit the context-ranking weights of `Policy` on the real-news dev set: `python bench/fit_context.py`.

Every context window and description is embedded once (memoised), then a small grid over `context_weight`,
`context_center` (and the gate's `context_ratio`, `context_prior`) is scored with `bench/linking.py`'s real-news
metrics. Prints the grid sorted by B-cubed F1 and, with `--diff`, every mention whose ID the ranker changes
(for the weights given on the command line). Fit on the dev set only; `tests/data/linking` is the regression check.
"""
from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.linking import entnorm_system, read_jsonl, real_news  # noqa: E402
from entnorm.doc import Span  # noqa: E402
from entnorm.kb.loader import load_kb  # noqa: E402
from entnorm.link.linker import Linker  # noqa: E402
from entnorm.link.policy import Policy  # noqa: E402
from entnorm.link.semantic import ContextRanker  # noqa: E402


class MemoRanker(ContextRanker):
    """Embeds each distinct text once per process (the grid re-links the same documents many times)."""

    def __init__(self, kb, max_query_tokens: int):
        super().__init__(kb, max_query_tokens=max_query_tokens)
        self.memo: dict[str, object] = {}

    def encode_texts(self, texts, max_tokens):
        import numpy as np

        caps = dict(zip(texts, max_tokens if isinstance(max_tokens, list) else [max_tokens] * len(texts)))
        todo = [t for t in caps if t not in self.memo]
        if todo:
            self.memo.update(zip(todo, super().encode_texts(todo, [caps[t] for t in todo])))
        return np.stack([self.memo[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)


def floats(text: str) -> list[float]:
    return [float(x) for x in text.split(",")]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--realnews", type=Path, default=ROOT / "tests" / "data" / "realnews")
    ap.add_argument("--weight", type=floats, default=[4, 6, 8, 10, 12, 15, 20])
    ap.add_argument("--center", type=floats, default=[0.0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.12])
    ap.add_argument("--ratio", type=floats, default=[Policy.context_ratio])
    ap.add_argument("--prior", type=floats, default=[Policy.context_prior])
    ap.add_argument("--absolute", action="store_true", help="plain cosines, not relative to the bare name")
    ap.add_argument("--query-tokens", type=int, default=24, help="subword cap of a context window")
    ap.add_argument("--diff", action="store_true", help="list the mentions the ranker changes (first grid point)")
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args(argv)

    kb = load_kb()
    ranker = MemoRanker(kb, args.query_tokens)
    ranker.relative = not args.absolute
    documents = read_jsonl(args.realnews / "documents.jsonl")
    base = real_news(entnorm_system(Linker(kb)), args.realnews, kb)
    print(f"without ranker: B3 F1 {base['b3_f1']:.4f}  QID acc {base['qid_accuracy']:.4f}  "
          f"QID prec {base['qid_precision']:.4f}  out-of-KB linked {base['out_of_kb_linked']:.4f}")
    rows = []
    for w, c, r, p in itertools.product(args.weight, args.center, args.ratio, args.prior):
        policy = replace(Policy(), context_weight=w, context_center=c, context_ratio=r, context_prior=p)
        linker = Linker(kb, policy, ranker=ranker)
        before = ranker.stats["mentions"]
        m = real_news(entnorm_system(linker), args.realnews, kb)
        rows.append((m["b3_f1"], m["qid_accuracy"], m["qid_precision"], m["out_of_kb_linked"], w, c, r, p,
                     ranker.stats["mentions"] - before))
        if args.diff and len(rows) == 1:
            diff(documents, Linker(kb), linker)
    rows.sort(reverse=True)
    print(f"{'B3 F1':>6s} {'QIDacc':>6s} {'QIDprec':>7s} {'oKBlink':>7s} {'weight':>6s} {'center':>6s} "
          f"{'ratio':>5s} {'prior':>5s} {'compared':>8s}")
    for row in rows[: args.top]:
        print("{:6.4f} {:6.4f} {:7.4f} {:7.4f} {:6g} {:6g} {:5g} {:5g} {:8d}".format(*row))


def diff(documents, plain: Linker, ranked: Linker) -> None:
    for d in documents:
        spans = [Span(m["start"], m["end"], m["label"], m["text"]) for m in d["mentions"]]
        a, b = plain.link_document(spans), ranked.link_document(spans, d["text"])
        for m, x, y in zip(d["mentions"], a, b):
            if x.id != y.id:
                print(f"{d['id']} {m['text']!r} [{m['label']}] gold {m['entity']}: {x.id} -> {y.id}   | {d['text'][:150]}")


if __name__ == "__main__":
    main()
