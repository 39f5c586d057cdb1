"""Linking: mention spans -> gazetteer entities, decided per document.

Reads `Mention(start, end, text, label)` lists, one per document. Writes one `Link` per mention.

Per mention, candidates come from the gazetteer tables in order of trust (first hit wins):
  exact/alias  folded form equals an entity's name / one of its aliases
  key          phonetic key equal (spelling conventions, romanisation, old Indonesian spelling)
  fuzzy        same consonant skeleton or a close edit, confirmed token by token (names.aligned_similarity)
  key (token)  a lone surname/given name that one prominent person in the gazetteer carries
The document then decides: type agreement with the NER label, shared countries with the document's other
entities, and "context" links that attach short forms, acronyms and typos (Belousov, Presiden Yun, kata Rote)
to a fuller mention in the same document. Mentions left unlinked are NIL (see `nil.py`).

`Link.score` is a ranking signal in [0, 1], not a probability: match quality (1 exact, 0.97 alias, 0.92 key,
~0.8-0.9 fuzzy, context inherits from its anchor) x type agreement x how clearly the winner beats the
runner-up. Links below `Policy.min_score` become NIL.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .gazetteer import Entity, GazetteerIndex
from .names import NameKeys, aligned_similarity, name_keys, token_similarity

METHOD_QUALITY = {"exact": 1.0, "alias": 0.97, "key": 0.92}
ACRONYM_STOPWORDS = frozenset({"dan", "untuk", "dari", "di", "ke", "of", "the", "and", "for", "yang", "atau"})


@dataclass(frozen=True)
class Policy:
    min_score: float = 0.45
    fuzzy_min: float = 0.88          # aligned similarity needed for a fuzzy link
    fuzzy_min_chars: int = 5         # shorter names never link fuzzily against the gazetteer
    token_min_prior: float = 0.6     # a lone name token links only to a person this prominent ...
    token_prior_margin: float = 0.25  # ... who beats the next person carrying that token by this much
    type_factor: dict = field(default_factory=lambda: {("LOC", "ORG"): 0.75, ("ORG", "LOC"): 0.75})
    other_type_factor: float = 0.4
    coherence_bonus: float = 0.1


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True)
class Candidate:
    entity: int
    method: str
    quality: float
    matched: str


@dataclass
class Link:
    id: str
    name: str
    score: float
    method: str
    matched: str
    entity: Entity | None = None  # None for NIL
    nil_key: str = ""             # NIL only: "LABEL:phonetic key" of the document entity, clustered by nil.py

    @property
    def is_nil(self) -> bool:
        return self.entity is None


def nil_link(mention: Mention, anchor_text: str | None = None, score: float = 1.0, method: str = "nil") -> Link:
    """A mention of an entity the gazetteer lacks; its final ID comes from corpus-level NIL clustering."""
    form = anchor_text or mention.text
    return Link("", form, score, method, anchor_text or "", None, f"{mention.label}:{name_keys(form).key}")


class Linker:
    def __init__(self, index: GazetteerIndex, policy: Policy = Policy()):
        self.index = index
        self.policy = policy
        self._cache: dict[str, tuple[Candidate, ...]] = {}

    # -- candidates for one surface form (cached; independent of the document) --------------------
    def candidates(self, text: str) -> tuple[Candidate, ...]:
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = tuple(self._find(name_keys(text)))
        return found

    def _find(self, keys: NameKeys):
        idx = self.index
        if not keys.key:
            return []
        hits = idx.by_folded.get(keys.folded)
        if hits:
            return self._best_per_entity(
                Candidate(e, "exact" if name_keys(idx.entities[e].name).folded == keys.folded else "alias",
                          1.0 if name_keys(idx.entities[e].name).folded == keys.folded else 0.97, alias)
                for e, alias in map(idx.aliases.__getitem__, hits))
        hits = [a for a in idx.by_key.get(keys.key, ()) if aligned_similarity(keys, self._alias_keys(a)) > 0]
        if hits:
            return self._best_per_entity(Candidate(idx.aliases[a][0], "key", 0.92, idx.aliases[a][1]) for a in hits)
        if len(keys.key) >= self.policy.fuzzy_min_chars:
            fuzzy = list(self._fuzzy(keys))
            if fuzzy:
                return fuzzy
        if len(keys.tokens) == 1:
            return self._by_name_token(keys)
        return []

    def _alias_keys(self, alias_idx: int) -> NameKeys:
        return name_keys(self.index.aliases[alias_idx][1])

    def _fuzzy(self, keys: NameKeys):
        pool = set(self.index.by_skeleton.get(keys.skeleton, ()))
        block = self.index.by_prefix.get(keys.key[:3], [])
        if block:
            choices = [self.index.aliases[a][1] for a in block]
            for _, _, pos in process.extract(keys.folded, choices, scorer=fuzz.ratio, score_cutoff=80,
                                             limit=10, processor=None):
                pool.add(block[pos])
        out = []
        for a in pool:
            sim = aligned_similarity(keys, self._alias_keys(a))
            if sim >= self.policy.fuzzy_min:
                out.append(Candidate(self.index.aliases[a][0], "fuzzy", round(0.9 * sim, 4), self.index.aliases[a][1]))
        return self._best_per_entity(out)

    def _by_name_token(self, keys: NameKeys):
        """"Putin", "Prabowo": a lone token of a prominent person's name, if one person clearly owns it."""
        people = sorted((self.index.entities[e].prior, e) for e in self.index.by_token.get(keys.tokens[0], ()))
        if not people:
            return []
        prior, best = people[-1]
        runner_up = people[-2][0] if len(people) > 1 else 0.0
        if prior < self.policy.token_min_prior or prior - runner_up < self.policy.token_prior_margin:
            return []
        return [Candidate(best, "key", 0.8, f"name token '{keys.folded}' of {self.index.entities[best].name}")]

    @staticmethod
    def _best_per_entity(cands) -> list[Candidate]:
        best: dict[int, Candidate] = {}
        for c in cands:
            if c.entity not in best or c.quality > best[c.entity].quality:
                best[c.entity] = c
        return sorted(best.values(), key=lambda c: (-c.quality, c.entity))

    # -- decisions within one document --------------------------------------------------------------
    def type_factor(self, label: str, entity_type: str) -> float:
        if not label or label == entity_type:
            return 1.0
        return self.policy.type_factor.get((label, entity_type), self.policy.other_type_factor)

    def choose(self, mention: Mention, countries: set[str]) -> Link | None:
        weighted = []
        for c in self.candidates(mention.text):
            ent = self.index.entities[c.entity]
            w = c.quality * self.type_factor(mention.label, ent.type) * (0.85 + 0.15 * ent.prior)
            if ent.country and ent.country in countries:
                w *= 1 + self.policy.coherence_bonus
            weighted.append((w, c))
        if not weighted:
            return None
        weighted.sort(key=lambda x: (-x[0], x[1].entity))
        (w1, best), runner = weighted[0], (weighted[1][0] if len(weighted) > 1 else 0.0)
        ent = self.index.entities[best.entity]
        score = best.quality * self.type_factor(mention.label, ent.type) * (w1 / (w1 + runner))
        if score < self.policy.min_score:
            return None
        return Link(ent.id, ent.name, round(score, 4), best.method, best.matched, ent)

    def link_document(self, mentions: list[Mention]) -> list[Link]:
        """One link per mention: gazetteer entity, context link, or NIL (ID assigned by `nil.py`)."""
        first = [self.choose(m, set()) for m in mentions]
        countries = {l.entity.country for l in first if l and l.score >= 0.9 and l.entity.country}
        countries |= {l.entity.country for l in first if l and l.entity.kind == "country" and l.entity.country}
        links = [self.choose(m, countries) for m in mentions] if countries else first
        return resolve_context(mentions, links, self)


def _is_acronym(text: str) -> bool:
    return 2 <= len(text) <= 8 and text.isupper() and text.isalpha()


def _initials(text: str) -> str:
    return "".join(w[0] for w in name_keys(text).folded.split() if w not in ACRONYM_STOPWORDS)


def _context_match(mention: Mention, anchor_forms: list[str]) -> float:
    """How well a short mention matches a fuller name of the same document: 1 same token or acronym,
    ~0.85 close spelling, 0.8 same consonants (a typo such as Rote for Rutte); 0 otherwise."""
    keys = name_keys(mention.text)
    if _is_acronym(mention.text):
        if any(len(name_keys(f).tokens) > 1 and _initials(f) == keys.folded for f in anchor_forms):
            return 1.0
    if len(keys.tokens) != 1 or len(keys.key) < 3:
        return 0.0
    tok, best = keys.tokens[0], 0.0
    for form in anchor_forms:
        for other in name_keys(form).tokens:
            sim = token_similarity(tok, other)
            if sim >= 0.9:
                best = max(best, min(sim, 1.0) if sim < 1 else 1.0)
            elif (len(tok) >= 4 and tok[0] == other[0]
                  and tok.strip("aeiou") and name_keys(tok).skeleton == name_keys(other).skeleton):
                best = max(best, 0.8)
    return best


def resolve_context(mentions: list[Mention], links: list[Link | None], linker: Linker) -> list[Link]:
    """Attach short mentions (a single name token or an acronym) to the one fuller mention they match;
    everything still unlinked becomes NIL."""
    anchors: dict[str, dict] = {}  # doc entity -> {"forms", "type", "link"}
    for m, link in zip(mentions, links):
        if len(name_keys(m.text).tokens) < 2:
            continue
        key = link.id if link else f"{m.label}:{name_keys(m.text).key}"
        entry = anchors.setdefault(key, {"forms": [], "type": link.entity.type if link else m.label, "link": link})
        entry["forms"].append(m.text)
        if link:
            entry["forms"].extend(a for a in link.entity.aliases if len(name_keys(a).tokens) > 1)
    out = list(links)
    for i, (m, link) in enumerate(zip(mentions, links)):
        if len(name_keys(m.text).tokens) > 1 and not _is_acronym(m.text):
            continue
        matches = sorted(((_context_match(m, a["forms"]), key) for key, a in anchors.items()
                          if linker.type_factor(m.label, a["type"]) >= 0.75), reverse=True)
        matches = [x for x in matches if x[0] > 0]
        if not matches or (len(matches) > 1 and matches[1][0] >= matches[0][0]):
            continue  # no fuller name, or two equally good ones (Kim with Kim Jong Un and Kim Yo Jong)
        strength, key = matches[0]
        anchor = anchors[key]
        if link and link.id == key and link.method != "key":
            continue  # already linked to this entity by its own name
        own_fits = link and link.entity.type == m.label and link.method in ("exact", "alias")
        if own_fits and strength < 1.0:
            continue  # an exact gazetteer name of the right type beats a typo-level resemblance
        target = anchor["link"]
        if target:
            out[i] = Link(target.id, target.name, round(strength * target.score, 4), "context",
                          anchor["forms"][0], target.entity)
        else:
            out[i] = nil_link(m, anchor["forms"][0], round(strength, 4), "context")
    return [link or nil_link(m) for m, link in zip(mentions, out)]
