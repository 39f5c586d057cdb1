"""Linking: the spans of one document -> one `Link` each (knowledge-base entity, context link or NIL).

Reads `Span`s (start, end, text, label), one list per document; writes one `Link` per span. Candidates come
from `candidates.CandidateFinder`; the document then decides (`Policy` has every weight): type agreement with
the NER label, shared countries with the document's confident links, entities the document names in full,
and context links for short forms, acronyms and typos (`context.resolve_context`). Mentions left unlinked
get a NIL link (`nil.py`).
"""
from __future__ import annotations

from collections import Counter

from ..doc import Link, Span
from ..kb.index import KnowledgeBase
from ..names import name_keys
from .candidates import Candidate, CandidateFinder
from .context import resolve_context
from .policy import Policy, explain_factors, product

EXACT = ("exact", "alias")


class Linker:
    def __init__(self, kb: KnowledgeBase, policy: Policy = Policy(), cache_size: int = 200_000):
        self.kb = kb
        self.policy = policy
        self.finder = CandidateFinder(kb, policy, cache_size)

    def candidates(self, text: str) -> tuple[Candidate, ...]:
        return self.finder.candidates(text)

    def ranked(self, span: Span, countries: dict[str, float] | None = None,
               doc_entities: frozenset | set = frozenset()) -> list[tuple[dict[str, float], Candidate]]:
        """(rank factors, candidate) for one mention, best first."""
        countries = countries or {}
        one_word = len(name_keys(span.text).tokens) == 1
        candidates = self.candidates(span.text)
        exact_types = {self.kb.entity(c.entity).type for c in candidates if c.method in EXACT}
        out = []
        for c in candidates:
            ent = self.kb.entity(c.entity)
            if one_word and ent.type == "PER" and c.method not in EXACT and ent.prior < self.policy.token_min_prior:
                continue  # one respelled word is too little to name an obscure person (Lee -> Li Bin)
            if c.method == "fuzzy" and span.label and ent.type != span.label:
                continue  # a near-miss spelling of another type is another name (Compal / Kampala, Spurs / Siprus)
            retyped = c.method in EXACT and span.label not in exact_types
            out.append((self.policy.rank_factors(c.quality, span.label, ent, countries.get(ent.country, 0.0),
                                                 ent.id in doc_entities, retyped, span.ner_score is not None), c))
        out.sort(key=lambda x: (-product(x[0]), x[1].entity))
        return out

    def choose(self, span: Span, countries: dict[str, float] | None = None,
               doc_entities: frozenset | set = frozenset()) -> Link | None:
        """The best candidate for one mention given the document's countries (share of its confident links
        in each) and the entities it names in full; None when nothing links."""
        ranked = self.ranked(span, countries, doc_entities)
        if not ranked:
            return None
        (factors, best), runner_up = ranked[0], (product(ranked[1][0]) if len(ranked) > 1 else 0.0)
        ent = self.kb.entity(best.entity)
        score = self.policy.score(best.quality, factors["type"], product(factors), runner_up)
        if score is None:
            return None
        matched = best.matched
        if span.label and span.label != ent.type and best.method in EXACT:
            matched += f" (type {ent.type} from the knowledge base; NER said {span.label})"
        return Link(ent.id, ent.name, score, best.method, matched, ent)

    def link_document(self, spans: list[Span]) -> list[Link]:
        """One link per span: knowledge-base entity, context link, or NIL."""
        first = [self.choose(s) for s in spans]
        countries, named = self._document_context(spans, first)
        links = [self.choose(s, countries, named) for s in spans] if countries or named else first
        return resolve_context(spans, links, self.policy)

    def _document_context(self, spans: list[Span], first: list[Link | None]):
        """The document's countries (share of its confident links in each) and the entities it names in full
        (two or more words: they pull ambiguous short forms their way, as Kota Bogor does Bogor)."""
        confident = Counter(l.entity.country for l in first
                            if l and l.score >= self.policy.confident_score and l.entity.country)
        countries = {c: n / sum(confident.values()) for c, n in confident.items()}
        named = {l.id for s, l in zip(spans, first)
                 if l and l.method != "fuzzy" and len(name_keys(s.text).tokens) > 1}
        return countries, named

    def explain(self, text: str, label: str = "", document: list[Span] | None = None) -> str:
        """How the candidates of `text` were ranked and scored, optionally within a document's spans."""
        span = Span(0, len(text), label, text)
        countries, named = ({}, set())
        if document:
            countries, named = self._document_context(document, [self.choose(s) for s in document])
        lines = [f"{text!r} ({label or 'no label'}):"]
        ranked = self.ranked(span, countries, named)
        for n, (factors, c) in enumerate(ranked):
            ent = self.kb.entity(c.entity)
            lines.append(f"  {n + 1}. {ent.id} {ent.name} [{ent.type}] via {c.method} {c.matched!r} "
                         f"(quality {c.quality:g}): {explain_factors(factors)}")
        link = self.choose(span, countries, named)
        if link:
            lines.append(f"  -> {link.id} score {link.score} = quality x type x rank_1 / (rank_1 + rank_2)")
        else:
            lines.append("  -> NIL (no candidate, or quality x type below min_score "
                         f"{self.policy.min_score}); document context may still attach it to a fuller mention")
        return "\n".join(lines)
