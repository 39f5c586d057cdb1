"""NIL entities (not in the knowledge base): keys, stable IDs, and clustering across the documents of a corpus.

Within a document, a NIL entity is identified by its NIL key, the label and phonetic key of its fullest form
(`nil_key`), and gets the ID `nil:<label>:<name tokens>` (`nil_id`): "Hong Min" in two articles shares one ID
without shared state. `NilClusterer` adds the corpus-level step: NIL keys of one label whose names are close
variants (same consonant skeleton, token-aligned similarity >= `min_similarity`) are merged; so are one name's
LOC and ORG keys, a lone word and the corpus's only multi-word NIL person whose family or given name it is, and
an acronym and the corpus's only expansion it abbreviates. Every member takes the ID of the cluster's fullest
name (then most frequent, then alphabetical), so results do not depend on document order.

`CorpusNil` applies it to a stream of `Doc`s in two passes (observe every document, `finish`, then `rewrite`
each), so a corpus never has to be held in memory; `reconcile(docs)` does both for documents in memory.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from ..doc import Link
from ..kb.schema import PARENTHESIS
from ..namedata import CLASS_WORDS
from ..names import abbreviates, aligned_similarity, fold, name_keys, strip_legal_form


def nil_key(label: str, form: str) -> str:
    """"LABEL:phonetic key" of the name without a parenthesis ("Komisi Pemberantasan Korupsi (KPK)"); an
    organisation's key leaves out its legal form (PT Telkom Tbk = Telkom)."""
    form = PARENTHESIS.sub("", form).strip() or form
    return f"{label}:{name_keys(strip_legal_form(form) if label == 'ORG' else form).key}"


def nil_id(key: str, name: str) -> str:
    """`key`: a NIL key, or just "LABEL:"."""
    label, _ = key.split(":", 1)
    return f"nil:{label.lower()}:{'-'.join(name_keys(name).tokens) or 'x'}"


def nil_link(label: str, form: str, score: float = 1.0, method: str = "nil", matched: str = "") -> Link:
    """A mention of an entity the knowledge base lacks, named by `form` (its own text or a fuller mention)."""
    key = nil_key(label, form)
    return Link(nil_id(key, form), form, score, method, matched, None, key)


class NilClusterer:
    """Corpus-level clusters of NIL keys; every rule is order-independent (see the module docstring):
    close variants of one label; one name tagged LOC in some places and ORG in others; a lone word and the one
    multi-word person of the corpus it is the family or given name of; an acronym and the one expansion it
    abbreviates (BUMN / Badan Usaha Milik Negara, Kemenkeu / Kementerian Keuangan)."""

    def __init__(self, min_similarity: float = 0.9):
        self.min_similarity = min_similarity
        self.counts: Counter = Counter()          # nil_key -> mentions
        self.names: dict[str, Counter] = defaultdict(Counter)  # nil_key -> surface names
        self.known: dict[str, tuple[str, str]] = {}  # linked entity id -> (type, name)
        self.known_words: dict[str, set[str]] = defaultdict(set)  # first/last word of its names -> entity ids

    def add(self, key: str, name: str) -> None:
        self.counts[key] += 1
        self.names[key][name] += 1

    def add_known(self, entity_id: str, entity_type: str, name: str, forms) -> None:
        """An entity the corpus links to the knowledge base, with the multi-word forms it goes by (its mentions
        and aliases): a lone NIL word elsewhere in the corpus may be short for it (Zulkifli, Madrid)."""
        if entity_id not in self.known or (entity_type, name) < self.known[entity_id]:
            self.known[entity_id] = (entity_type, name)  # the least, so that observation order does not matter
        for form in forms:
            for word in _short_forms(form, entity_type):
                self.known_words[word].add(entity_id)

    def table(self) -> tuple[dict, dict, dict]:
        """What was observed, as plain data (picklable, mergeable, independent of observation order): NIL key ->
        {surface name: mentions}, linked entity id -> (type, name), name word -> sorted entity ids."""
        return ({k: dict(names) for k, names in self.names.items()}, dict(self.known),
                {w: sorted(ids) for w, ids in self.known_words.items()})

    def merge(self, table: tuple[dict, dict, dict]) -> None:
        """Add another part of the corpus's `table()`: clustering the merged table gives the IDs that observing
        the whole corpus gives, whatever the parts and their order (the distributed engine's reduce)."""
        names, known, words = table
        for k, counts in names.items():
            self.counts[k] += sum(counts.values())
            self.names[k].update(counts)
        for entity_id, (entity_type, name) in known.items():
            if entity_id not in self.known or (entity_type, name) < self.known[entity_id]:
                self.known[entity_id] = (entity_type, name)
        for w, ids in words.items():
            self.known_words[w].update(ids)

    def assign(self) -> dict[str, tuple[str, str]]:
        """nil_key -> (final id, display name) after merging close variants."""
        parent = {k: k for k in self.counts}

        def root(k):
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        def union(a, b):
            parent[root(b)] = root(a)

        blocks = defaultdict(list)
        for k in sorted(self.counts):
            label, _ = k.split(":", 1)
            blocks[(label, name_keys(self.display(k)).skeleton)].append(k)
        for members in blocks.values():
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    if aligned_similarity(name_keys(self.display(a)), name_keys(self.display(b))) >= self.min_similarity:
                        union(a, b)
        self._merge_place_org(union)
        known = self._attach_name_words(parent, root)
        self._attach_acronyms(root, union)
        clusters = defaultdict(list)
        for k in self.counts:
            clusters[root(k)].append(k)
        out = {}
        for members in clusters.values():
            short = min((k for k in members if k in known), key=lambda k: (-self.counts[k], k), default=None)
            target = known[short] if short else None  # (the most mentioned, so that order does not matter)
            if target:  # the cluster is a short form of a linked entity
                for k in members:
                    out[k] = (target, self.known[target][1])
                continue
            head = min(members, key=lambda k: (-len(name_keys(self.display(k)).tokens), -self.counts[k], k))
            labels = Counter()
            for k in members:
                labels[k.split(":", 1)[0]] += self.counts[k]
            label = min(labels, key=lambda lab: (-labels[lab], lab != head.split(":", 1)[0], lab))
            name = self.display(head)
            for k in members:
                out[k] = (nil_id(f"{label}:", name), name)
        return out

    def _merge_place_org(self, union) -> None:
        """One name tagged LOC here and ORG there (Wolfsburg the city / the club) is one NIL entity: which of the
        two it is gets decided once, by the majority of its mentions."""
        by_key = defaultdict(list)
        for k in sorted(self.counts):
            label, key = k.split(":", 1)
            if label in ("LOC", "ORG"):
                by_key[key].append(k)
        for members in by_key.values():
            for other in members[1:]:
                union(members[0], other)

    def _attach_name_words(self, parent: dict, root) -> dict[str, str]:
        """A lone NIL word (Peskov, Rio, Leicester, Zulkifli) is short for the one name of the corpus whose first
        or last word it is, of the same label (people and organisations; not places): a multi-word NIL name
        (joined) or an entity linked elsewhere in the corpus (returned: nil_key -> entity id). With two or more
        such names (Hong Min, Hong Gil-dong) it stays apart."""
        by_word = defaultdict(set)
        for k in self.counts:
            for word in _short_forms(self.display(k), k.split(":", 1)[0]):
                by_word[word].add((k.split(":", 1)[0], root(k)))
        for word, ids in self.known_words.items():
            by_word[word].update((self.known[i][0], "=" + i) for i in ids)
        known = {}
        for k in sorted(self.counts):
            tokens = name_keys(self.display(k)).tokens
            label = k.split(":", 1)[0]
            targets = {t for g, t in by_word.get(tokens[0], ()) if g == label} if len(tokens) == 1 else ()
            if len(targets) == 1:
                target = targets.pop()
                if target.startswith("="):
                    known[k] = target[1:]
                else:
                    parent[root(k)] = target
        return known

    def _attach_acronyms(self, root, union) -> None:
        """A one-word place or organisation name joins the one multi-word name of the corpus it abbreviates, of
        the same label or LOC/ORG. Expansions are blocked by the first letters of their first two words."""
        expansions = defaultdict(list)
        for k in sorted(self.counts):
            words = fold(self.display(k)).split()
            if len(words) > 1:
                expansions[(words[0][0], words[1][0])].append(k)
        for k in sorted(self.counts):
            short = fold(self.display(k))
            if " " in short or len(short) < 2 or k.startswith("PER:"):
                continue  # a person's initials in news hide a name (suspects: "RH"), they do not abbreviate one
            found = {root(e) for c in set(short[1:]) for e in expansions.get((short[0], c), ())
                     if _compatible(k, e) and abbreviates(short, self.display(e))}
            if len(found) == 1:
                union(found.pop(), k)

    def display(self, key: str) -> str:
        return min(self.names[key].items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0]


def _short_forms(name: str, label: str) -> tuple[str, ...]:
    """The words a multi-word name may be shortened to: its first and last word (phonetic tokens); for a place
    or organisation not the last one after a class word (Sungai Amazon is not Amazon)."""
    tokens = name_keys(name).tokens
    if not 1 < len(tokens) <= 4 or label == "LOC":  # Arab is not short for Arab Saudi, nor Jawa for Jawa Barat
        return ()
    if label != "PER" and fold(name).split()[0] in CLASS_WORDS:
        return ()
    return tokens[0], tokens[-1]


def _compatible(a: str, b: str) -> bool:
    la, lb = a.split(":", 1)[0], b.split(":", 1)[0]
    return la == lb or {la, lb} == {"LOC", "ORG"}


class CorpusNil:
    """Corpus-level NIL IDs over a stream: `observe` every Doc, `finish`, then `rewrite` every Doc."""

    def __init__(self, min_similarity: float = 0.9, corpus_context_score: float = 0.8):
        self.clusterer = NilClusterer(min_similarity)
        self.corpus_context_score = corpus_context_score
        self.assignment: dict[str, tuple[str, str]] | None = None

    def observe(self, doc) -> int:
        """Count one document's NIL mentions (returns how many there were) and note its linked entities."""
        n = 0
        for span in doc.spans:
            link = span.link
            if link and link.is_nil:
                self.clusterer.add(link.nil_key, link.name)
                n += 1
            elif link and link.entity is not None:
                self.clusterer.add_known(link.id, link.entity.type, link.name, [span.text, *link.entity.aliases[:10]])
        return n

    def finish(self) -> dict[str, tuple[str, str]]:
        self.assignment = self.clusterer.assign()
        return self.assignment

    @property
    def n_ids(self) -> int:
        """Distinct NIL entities after clustering."""
        return len({ent_id for ent_id, _ in (self.assignment or {}).values() if ent_id.startswith("nil:")})

    @property
    def n_relinked(self) -> int:
        """NIL mentions that turned out to be short for an entity linked elsewhere in the corpus."""
        return sum(n for k, n in self.clusterer.counts.items()
                   if self.assignment and not self.assignment[k][0].startswith("nil:"))

    def rewrite(self, doc):
        """Give one document's NIL spans their corpus-level ID and name (in place; returns the doc)."""
        if self.assignment is None:
            raise RuntimeError("call finish() after observing every document, before rewrite()")
        for span in doc.spans:
            link = span.link
            if link and link.is_nil:
                link.id, link.name = self.assignment[link.nil_key]
                if not link.id.startswith("nil:"):  # short for an entity linked elsewhere in the corpus
                    link.method, link.matched, link.nil_key = "context", link.name, ""
                    link.score = self.corpus_context_score
                elif span.label in ("LOC", "ORG"):  # the cluster decided which of the two it is
                    span.label = link.id.split(":")[1].upper()
        return doc


def reconcile(docs: list, min_similarity: float = 0.9) -> list:
    """Corpus-level NIL IDs for a list of `Doc`s held in memory (modified in place and returned)."""
    nil = CorpusNil(min_similarity)
    for doc in docs:
        nil.observe(doc)
    nil.finish()
    for doc in docs:
        nil.rewrite(doc)
    return docs
