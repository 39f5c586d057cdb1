"""Exact-match typed span metrics: micro F1 (seqeval/IndoLEM) and macro over types (conlleval/IndoNLU)."""
from __future__ import annotations

from collections import Counter

from .labels import ENTITY_TYPES, spans


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "support": tp + fn}


def span_scores(gold: list[list[str]], pred: list[list[str]]) -> dict:
    counts = {t: Counter() for t in ENTITY_TYPES}
    for g, p in zip(gold, pred):
        gs, ps = set(spans(g)), set(spans(p))
        for s in gs & ps:
            counts[s[2]]["tp"] += 1
        for s in ps - gs:
            counts[s[2]]["fp"] += 1
        for s in gs - ps:
            counts[s[2]]["fn"] += 1
    per_type = {t: prf(c["tp"], c["fp"], c["fn"]) for t, c in counts.items()}
    total = sum(counts.values(), Counter())
    micro = prf(total["tp"], total["fp"], total["fn"])
    macro = sum(v["f1"] for v in per_type.values()) / len(per_type)
    return {"micro_f1": micro["f1"], "macro_f1": macro, "micro": micro, "per_type": per_type}
