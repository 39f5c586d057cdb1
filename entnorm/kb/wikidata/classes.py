"""The class map (classes.yaml: class QID -> type, kind) and its widening through the dump's P279 edges.

`widen` is a breadth-first search down the subclass graph from all roots at once: a class gets the label of the
nearest root(s); when the nearest roots have different types the class is ambiguous (type None) and so are the
classes below it that have no nearer root; among same-type roots the one listed first in classes.yaml gives the
kind. Roots keep their own entry. Cycles in P279 are harmless (a class is labelled once, at its first level).
"""
from __future__ import annotations

import hashlib
import re
from array import array
from dataclasses import dataclass
from pathlib import Path

import yaml

from ...doc import LABELS

CLASS_MAP = Path(__file__).with_name("classes.yaml")
_QID = re.compile(r"Q[1-9][0-9]*")


class ClassMapError(ValueError):
    """A class map that cannot be used."""


@dataclass(frozen=True)
class Label:
    type: str | None  # PER / LOC / ORG; None when the nearest roots disagree
    kind: str
    rank: int         # position of the root in classes.yaml (lower wins among same-type roots)
    distance: int     # P279 steps from the root


@dataclass(frozen=True)
class ClassMap:
    roots: dict[int, Label]  # QID number -> label at distance 0, in file order
    sha256: str              # of the file's bytes: written to the manifest
    path: str


def load_class_map(path: str | Path | None = None) -> ClassMap:
    path = Path(path) if path else CLASS_MAP
    raw = path.read_bytes()
    data = yaml.safe_load(raw) or {}
    classes = data.get("classes") if isinstance(data, dict) else None
    if not isinstance(classes, dict) or not classes:
        raise ClassMapError(f"{path}: expected a mapping 'classes: {{QID: {{type, kind}}}}'")
    roots = {}
    for rank, (qid, entry) in enumerate(classes.items()):
        if not isinstance(qid, str) or not _QID.fullmatch(qid):
            raise ClassMapError(f"{path}: {qid!r} is not a QID")
        if not isinstance(entry, dict) or entry.get("type") not in LABELS or not isinstance(entry.get("kind"), str):
            raise ClassMapError(f"{path}: {qid}: expected {{type: one of {LABELS}, kind: text}}, got {entry!r}")
        roots[int(qid[1:])] = Label(entry["type"], entry["kind"], rank, 0)
    return ClassMap(roots, hashlib.sha256(raw).hexdigest(), str(path))


def _merge(a: Label | None, b: Label) -> Label:
    if a is None:
        return b
    if a.type is None or b.type is None or a.type != b.type:
        return Label(None, "", 0, a.distance)
    return a if a.rank <= b.rank else b


def widen(roots: dict[int, Label], edges: array) -> dict[int, Label]:
    """Every class that reaches a root through P279 `edges` (flat child, parent pairs) -> its nearest label."""
    import numpy as np

    pairs = np.frombuffer(edges, dtype=np.int64).reshape(-1, 2) if len(edges) else np.zeros((0, 2), np.int64)
    order = np.argsort(pairs[:, 1], kind="stable")
    parents, children = pairs[order, 1], pairs[order, 0]
    labels = dict(roots)
    frontier, distance = sorted(roots), 0
    while frontier:
        distance += 1
        wanted = np.asarray(frontier, dtype=np.int64)
        lo, hi = np.searchsorted(parents, wanted, "left"), np.searchsorted(parents, wanted, "right")
        level: dict[int, Label] = {}
        for parent, a, b in zip(frontier, lo.tolist(), hi.tolist()):
            label = labels[parent]
            for child in children[a:b].tolist():
                if child not in labels:
                    level[child] = _merge(level.get(child), label)
        for child, label in level.items():
            labels[child] = Label(label.type, label.kind, label.rank, distance)
        frontier = sorted(level)
    return labels


def type_of(p31: tuple[int, ...], labels: dict[int, Label]) -> Label | None:
    """The label of an item from its P31 classes: the nearest; None when no class is mapped; type None when the
    nearest classes disagree (or the nearest class is itself ambiguous)."""
    best = None
    for cls in p31:
        label = labels.get(cls)
        if label is None:
            continue
        if best is None or label.distance < best.distance:
            best = label
        elif label.distance == best.distance:
            best = _merge(best, label)
    return best
