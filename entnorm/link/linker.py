"""Linking: the spans of one document -> one `Link` each (knowledge-base entity, context link or NIL).

Reads `Span`s (start, end, text, label), one list per document; writes one `Link` per span. Candidates come
from `candidates.CandidateFinder`; the document then decides (`Policy` has every weight): type agreement with
the NER label, shared countries with the document's confident links, entities the document names in full,
and context links for short forms, acronyms and typos (`context.resolve_context`). Mentions left unlinked
get a NIL link (`nil.py`). With a `semantic.ContextRanker` and the document's text, the mentions that names
cannot decide (`context_reason`) are also compared with their candidates' descriptions (`Policy.context_*`).
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
    def __init__(self, kb: KnowledgeBase, policy: Policy = Policy(), cache_size: int = 200_000, ranker=None):
        self.kb = kb
        self.policy = policy
        self.finder = CandidateFinder(kb, policy, cache_size)
        self.ranker = ranker  # a semantic.ContextRanker, or None: names and the document decide alone

    def candidates(self, text: str) -> tuple[Candidate, ...]:
        return self.finder.candidates(text)

    def ranked(self, span: Span, countries: dict[str, float] | None = None, doc_entities: frozenset | set = frozenset(),
               similarity: dict[int, float] | None = None) -> list[tuple[dict[str, float], Candidate]]:
        """(rank factors, candidate) for one mention, best first. `similarity` (entity number -> cosine with
        the mention's context) limits the candidates to those compared and adds the context factor."""
        countries = countries or {}
        one_word = len(name_keys(span.text).tokens) == 1
        candidates = self.candidates(span.text)
        exact_types = {self.kb.entity(c.entity).type for c in candidates if c.method in EXACT}
        out = []
        for c in candidates:
            if similarity is not None and c.entity not in similarity:
                continue
            ent = self.kb.entity(c.entity)
            if one_word and ent.type == "PER" and c.method not in EXACT and ent.prior < self.policy.token_min_prior:
                continue  # one respelled word is too little to name an obscure person (Lee -> Li Bin)
            if c.method == "fuzzy" and span.label and ent.type != span.label:
                continue  # a near-miss spelling of another type is another name (Compal / Kampala, Spurs / Siprus)
            retyped = c.method in EXACT and span.label not in exact_types
            out.append((self.policy.rank_factors(c.quality, span.label, ent, countries.get(ent.country, 0.0),
                                                 ent.id in doc_entities, retyped, span.ner_score is not None,
                                                 similarity[c.entity] if similarity is not None else None), c))
        out.sort(key=lambda x: (-product(x[0]), x[1].entity))
        return out

    def choose(self, span: Span, countries: dict[str, float] | None = None, doc_entities: frozenset | set = frozenset(),
               similarity: dict[int, float] | None = None) -> Link | None:
        """The best candidate for one mention given the document's countries (share of its confident links
        in each), the entities it names in full and its context similarities; None when nothing links."""
        return self.decide(span, self.ranked(span, countries, doc_entities, similarity))

    def decide(self, span: Span, ranked: list[tuple[dict[str, float], Candidate]]) -> Link | None:
        """The link the best of `ranked` makes, or None when nothing links."""
        if not ranked:
            return None
        (factors, best), runner_up = ranked[0], (product(ranked[1][0]) if len(ranked) > 1 else 0.0)
        ent = self.kb.entity(best.entity)
        score = self.policy.score(best.quality, factors["type"], product(factors), runner_up,
                                  factors.get("context", 1.0))
        if score is None:
            return None
        matched = best.matched
        if span.label and span.label != ent.type and best.method in EXACT:
            matched += f" (type {ent.type} from the knowledge base; NER said {span.label})"
        return Link(ent.id, ent.name, score, best.method, matched, ent)

    def link_document(self, spans: list[Span], text: str | None = None) -> list[Link]:
        """One link per span: knowledge-base entity, context link, or NIL. `text`: the document the spans are
        in, for context ranking (without it, or without a ranker, names and the document decide alone)."""
        return self.link_documents([(spans, text)])[0]

    def link_documents(self, documents: list[tuple[list[Span], str | None]]) -> list[list[Link]]:
        """`link_document` for a batch of documents: the context ranker embeds the whole batch's questions in
        full encoder batches."""
        plain = [[self.ranked(s) for s in spans] for spans, _ in documents]
        sims = self.context_similarities(documents, plain)
        return [self._link(spans, ranked, doc_sims) for (spans, _), ranked, doc_sims in zip(documents, plain, sims)]

    def _link(self, spans: list[Span], plain: list, sims: dict[int, dict[int, float]]) -> list[Link]:
        first = self._first_pass(spans, plain, sims)
        countries, named = self._document_context(spans, first)
        if countries or named:
            links = [self.choose(s, countries, named, sims.get(i)) for i, s in enumerate(spans)]
        else:
            links = first
        return resolve_context(spans, links, self.policy)

    def _first_pass(self, spans: list[Span], plain: list, sims: dict[int, dict[int, float]]) -> list[Link | None]:
        """Each mention on its own (no document context); the gated ones with their context similarities."""
        return [self.choose(s, similarity=sims[i]) if i in sims else self.decide(s, plain[i])
                for i, s in enumerate(spans)]

    def context_reason(self, span: Span, ranked: list[tuple[dict[str, float], Candidate]]) -> str:
        """Why the name alone cannot decide this mention ("" when it can): competing candidates (the runner-up
        within `context_ratio` of the best), or a weak best candidate: fuzzy, or less prominent than
        `context_prior`. (Not asked about: a lone word of a prominent person's name, right 51 times out of 53 on
        the real-news dev set, where context cost more of them; a best candidate of another type than the NER
        label's, 29 of 101 compared dev mentions, whose comparison changed no decision there.)"""
        if not ranked:
            return ""
        p = self.policy
        (factors, best), ent = ranked[0], self.kb.entity(ranked[0][1].entity)
        if len(ranked) > 1 and product(ranked[1][0]) >= p.context_ratio * product(factors):
            return "competing"
        if best.method == "fuzzy":
            return "fuzzy"
        if ent.prior < p.context_prior:
            return "low prior"
        return ""

    def context_similarities(self, documents: list[tuple[list[Span], str | None]],
                             plain: list[list]) -> list[dict[int, dict[int, float]]]:
        """Per document, span index -> {entity number: cosine} for the mentions `context_reason` selects (their
        best `context_candidates` candidates, from `plain`: each span's ranking without document context);
        {} for every document without a ranker, and for a document without text."""
        if self.ranker is None:
            return [{} for _ in documents]
        asked = []
        for (spans, text), ranked in zip(documents, plain):
            wanted = {i: [c.entity for _, c in r[: self.policy.context_candidates]]
                      for i, (s, r) in enumerate(zip(spans, ranked)) if text and self.context_reason(s, r)}
            asked.append((text, spans, wanted))
        return self.ranker.similarities(asked)

    def _document_context(self, spans: list[Span], first: list[Link | None]):
        """The document's countries (share of its confident links in each) and the entities it names in full
        (two or more words: they pull ambiguous short forms their way, as Kota Bogor does Bogor)."""
        confident = Counter(l.entity.country for l in first
                            if l and l.score >= self.policy.confident_score and l.entity.country)
        countries = {c: n / sum(confident.values()) for c, n in confident.items()}
        named = {l.id for s, l in zip(spans, first)
                 if l and l.method != "fuzzy" and len(name_keys(s.text).tokens) > 1}
        return countries, named

    def explain(self, text: str, label: str = "", document: list[Span] | None = None,
                context: str | None = None) -> str:
        """How the candidates of `text` were ranked and scored, optionally within a document's spans.
        `context`: the document's text; with a ranker, the mention (the document span with this text, else its
        first occurrence) is compared with its candidates' descriptions when `context_reason` asks for it."""
        span = Span(0, len(text), label, text)
        if context:
            at = context.find(text)
            span = next((s for s in document or () if s.text == text),
                        Span(at, at + len(text), label, text) if at >= 0 else span)
        countries, named = ({}, set())
        if document:
            plain = [self.ranked(s) for s in document]
            sims = self.context_similarities([(document, context)], [plain])[0]
            countries, named = self._document_context(document, self._first_pass(document, plain, sims))
        lines = [f"{text!r} ({label or 'no label'}):"]
        similarity = None
        if self.ranker is not None and context:
            plain = self.ranked(span)
            reason = self.context_reason(span, plain)
            if reason:
                wanted = {0: [c.entity for _, c in plain[: self.policy.context_candidates]]}
                similarity = self.ranker.similarities([(context, [span], wanted)])[0][0]
                lines.append(f"  context ({reason}): {self.ranker.windows(context, [span])[0]!r}")
            else:
                lines.append("  context: not compared (the name decides)")
        ranked = self.ranked(span, countries, named, similarity)
        for n, (factors, c) in enumerate(ranked):
            ent = self.kb.entity(c.entity)
            cosine = f", cosine {similarity[c.entity]:.3f}" if similarity else ""
            lines.append(f"  {n + 1}. {ent.id} {ent.name} [{ent.type}] via {c.method} {c.matched!r} "
                         f"(quality {c.quality:g}{cosine}): {explain_factors(factors)}")
        link = self.choose(span, countries, named, similarity)
        if link:
            lines.append(f"  -> {link.id} score {link.score} = quality x type x min(1, context) x rank_1 / (rank_1 + rank_2)")
        else:
            lines.append("  -> NIL (no candidate, or quality x type x min(1, context) below min_score "
                         f"{self.policy.min_score}); document context may still attach it to a fuller mention")
        return "\n".join(lines)
