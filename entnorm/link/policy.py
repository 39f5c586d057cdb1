"""The scoring policy: every weight of a link decision in one place, and `explain()` to show how a score was made.

A candidate's **rank weight** orders the candidates of one mention:

    rank = min(1, quality / alias quality)             how the name matched (exact and alias rank alike)
         x type agreement(NER label, entity type)      1 same type; LOC<->ORG 0.75; PER vs place/org 0.3 + 0.25 prior
         x (prior floor + prior weight x prior)        popularity in [0, 1]
         x (1 + coherence bonus x country share)       share of the document's confident links in its country
         x document bonus (if named in full in the document)
         x context = exp(context weight x (similarity - context center))    only for mentions the name cannot
                                                                            decide, with a ContextRanker

The winner's **score** is a ranking signal in [0, 1], not a probability:

    score = quality x type agreement x min(1, context) x rank_1 / (rank_1 + rank_2)

and a link whose quality x type agreement x min(1, context) is below `min_score` becomes NIL: a weak or
contested candidate whose description does not fit the text around the mention is left out.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Policy:
    # match quality by method (fuzzy: fuzzy_scale x token-aligned similarity)
    quality: dict = field(default_factory=lambda: {"exact": 1.0, "alias": 0.97, "key": 0.92, "token": 0.8})
    fuzzy_scale: float = 0.9
    min_score: float = 0.45            # below this (quality x type agreement) the mention is NIL
    # fuzzy candidates
    fuzzy_min: float = 0.93            # token-aligned similarity needed for a fuzzy link against the knowledge base
                                       # (0.88 linked Marcus to Marcos, Chai Biao to Chu Bo in real news)
    fuzzy_min_chars: int = 5           # shorter names never link fuzzily
    fuzzy_block_cutoff: float = 80     # rapidfuzz ratio that admits an alias of the typo block ...
    fuzzy_block_limit: int = 10        # ... of which at most this many are compared closely
    # a lone name token ("Putin") links only to a person this prominent ...
    token_min_prior: float = 0.6
    token_prior_margin: float = 0.25   # ... who beats the next person carrying that token by this much
    # type agreement between the NER label and the entity's type
    # a given ORG label on a place name is metonymy, not the place (Leicester the club, Pemkot Surabaya): it does
    # not link to a place on its name alone; a LOC mention of an organisation's name may
    type_factor: dict = field(default_factory=lambda: {("LOC", "ORG"): 0.75, ("ORG", "LOC"): 0.4})
    # an NER label is a guess: ORG on a capital is as often the tagger's slip ("Pyongyang says") as metonymy
    tagged_type_factor: dict = field(default_factory=lambda: {("LOC", "ORG"): 0.75, ("ORG", "LOC"): 0.75})
    other_type_factor: float = 0.3     # PER vs place/org, + other_type_prior x prior: a famous exact name survives
    other_type_prior: float = 0.25     # an NER slip (Moskow tagged PER), an obscure one does not (Rote the island)
    retype_factor: float = 0.8         # ... unless no entity of the NER's type carries the exact name (Lvov tagged
                                       # PER is Lviv): then the knowledge base decides the type. Not between LOC and
                                       # ORG: there the other type is metonymy (Leicester the club is not the city)
    # ranking
    prior_floor: float = 0.6
    prior_weight: float = 0.4
    coherence_bonus: float = 0.5       # x share of the document's confident links in the candidate's country
    confident_score: float = 0.9       # links at least this sure set the document's countries
    document_bonus: float = 1.5        # candidate already named in full elsewhere in the document
    # context links (short forms, acronyms, typos attached to a fuller mention of the document)
    context_full: float = 1.0          # strength: acronym of the anchor, or words all in the anchor's name
    context_typo: float = 0.8          # strength: one word with a name word's consonants and first letter
    context_min_type: float = 0.75     # type agreement needed between a mention and its anchor
    typo_min_chars: int = 4
    anchor_aliases: int = 10           # a linked anchor also matches its first multi-word aliases
    # corpus-level NIL clustering
    nil_min_similarity: float = 0.9
    # context ranking (link/semantic.py): a mention the name cannot decide is compared with its candidates'
    # descriptions; `Linker.context_reason` is the gate. The similarity is the cosine of the context window with
    # the candidate's passage minus that with the bare name (what the description adds). Fitted on the real-news
    # dev set (bench/fit_context.py); docs/linking.md "Context ranking" has the grid.
    context_weight: float = 6.0        # rank factor exp(context_weight x (similarity - context_center)) ...
    context_center: float = 0.1        # ... neutral where the description raises the cosine by this much
    context_ratio: float = 0.9         # gate: a runner-up whose rank weight is this close to the best competes
    context_prior: float = 0.2         # gate: a best candidate less prominent than this is weak
    context_candidates: int = 8        # at most this many candidates of a mention are embedded

    def type_agreement(self, label: str, entity_type: str, prior: float = 0.0, retyped: bool = False,
                       tagged: bool = False) -> float:
        """`retyped`: the name is an exact alias and no entity of the label's type carries it; `tagged`: the label
        comes from the NER model, not from the caller."""
        if not label or label == entity_type:
            return 1.0
        factors = self.tagged_type_factor if tagged else self.type_factor
        factor = factors.get((label, entity_type), self.other_type_factor + self.other_type_prior * prior)
        return max(factor, self.retype_factor) if retyped and "PER" in (label, entity_type) else factor

    def context_factor(self, similarity: float) -> float:
        """How much the text around a mention favours a candidate: 1 at `context_center`."""
        return math.exp(self.context_weight * (similarity - self.context_center))

    def rank_factors(self, quality: float, label: str, entity, country_share: float = 0.0,
                     in_document: bool = False, retyped: bool = False, tagged: bool = False,
                     similarity: float | None = None) -> dict[str, float]:
        """The factors whose product is a candidate's rank weight (see the module docstring); `context` only
        when the mention's context was compared with the candidate (`similarity`)."""
        factors = {"match": min(1.0, quality / self.quality["alias"]),
                   "type": self.type_agreement(label, entity.type, entity.prior, retyped, tagged),
                   "prior": self.prior_floor + self.prior_weight * entity.prior,
                   "coherence": 1 + self.coherence_bonus * country_share,
                   "document": self.document_bonus if in_document else 1.0}
        if similarity is not None:
            factors["context"] = self.context_factor(similarity)
        return factors

    def score(self, quality: float, type_agreement: float, best: float, runner_up: float,
              context: float = 1.0) -> float | None:
        """The winner's score, or None when the match is too weak to link at all."""
        match = quality * type_agreement * min(1.0, context)
        if match < self.min_score:
            return None
        return round(match * (best / (best + runner_up)), 4)

    def to_dict(self) -> dict:
        out = asdict(self)
        for name in ("type_factor", "tagged_type_factor"):
            out[name] = [[a, b, v] for (a, b), v in getattr(self, name).items()]
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "Policy":
        data = dict(data)
        for name in ("type_factor", "tagged_type_factor"):
            if name in data:
                data[name] = {(a, b): v for a, b, v in data[name]}
        return cls(**data)


def product(factors: dict[str, float]) -> float:
    out = 1.0
    for v in factors.values():
        out *= v
    return out


def explain_factors(factors: dict[str, float]) -> str:
    return " x ".join(f"{name} {value:.3g}" for name, value in factors.items()) + f" = {product(factors):.4g}"
