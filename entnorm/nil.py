"""NIL entities (not in the gazetteer): stable IDs, and clustering across the documents of a run.

Within a run, a NIL document entity is identified by its label and the phonetic key of its fullest name
(`Link.nil_key`), so "Hong Min" in two articles and a transliteration with the same key share one ID without
any shared state: `nil:per:hong-min`. `NilClusterer` adds the corpus-level step: NIL keys of one label whose
names are close variants (same consonant skeleton, token-aligned similarity >= `min_similarity`) are merged,
and a lone surname joins the run's only multi-word NIL person ending in it. Every member takes the ID of the
cluster's fullest name (then most frequent, then alphabetical), so results do not depend on document order.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from .names import aligned_similarity, name_keys


def nil_id(nil_key: str, name: str) -> str:
    label, _ = nil_key.split(":", 1)
    return f"nil:{label.lower()}:{'-'.join(name_keys(name).tokens) or 'x'}"


class NilClusterer:
    def __init__(self, min_similarity: float = 0.9):
        self.min_similarity = min_similarity
        self.counts: Counter = Counter()          # nil_key -> mentions
        self.names: dict[str, Counter] = defaultdict(Counter)  # nil_key -> surface names

    def add(self, nil_key: str, name: str) -> None:
        self.counts[nil_key] += 1
        self.names[nil_key][name] += 1

    def assign(self) -> dict[str, tuple[str, str]]:
        """nil_key -> (final id, display name) after merging close variants."""
        parent = {k: k for k in self.counts}

        def root(k):
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        blocks = defaultdict(list)
        for k in sorted(self.counts):
            label, _ = k.split(":", 1)
            blocks[(label, name_keys(self.display(k)).skeleton)].append(k)
        for members in blocks.values():
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    if aligned_similarity(name_keys(self.display(a)), name_keys(self.display(b))) >= self.min_similarity:
                        parent[root(b)] = root(a)
        self._attach_surnames(parent, root)
        clusters = defaultdict(list)
        for k in self.counts:
            clusters[root(k)].append(k)
        out = {}
        for members in clusters.values():
            head = min(members, key=lambda k: (-len(name_keys(self.display(k)).tokens), -self.counts[k], k))
            name = self.display(head)
            for k in members:
                out[k] = (nil_id(head, name), name)
        return out

    def _attach_surnames(self, parent: dict, root) -> None:
        """A lone PER word (Peskov) joins the one multi-word NIL person of the run whose last word it is;
        with two or more such people (Hong Min, Hong Gil-dong) it stays apart."""
        by_last = defaultdict(set)
        for k in self.counts:
            tokens = name_keys(self.display(k)).tokens
            if k.startswith("PER:") and len(tokens) > 1:
                by_last[tokens[-1]].add(root(k))
        for k in sorted(self.counts):
            tokens = name_keys(self.display(k)).tokens
            if k.startswith("PER:") and len(tokens) == 1 and len(by_last.get(tokens[0], ())) == 1:
                parent[root(k)] = next(iter(by_last[tokens[0]]))

    def display(self, nil_key: str) -> str:
        return min(self.names[nil_key].items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0]
