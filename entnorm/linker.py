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

from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .gazetteer import PARENTHESIS, Entity, GazetteerIndex
from .names import NameKeys, aligned_similarity, consonants, name_keys

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
    other_type_factor: float = 0.3   # PER vs place/org: + 0.25 x prior, so a famous exact name survives an NER
                                     # slip (Moskow tagged PER) while an obscure one does not (Rote the island)
    coherence_bonus: float = 0.5      # x share of the document's confident links in the candidate's country
    document_bonus: float = 1.5       # candidate already named in full elsewhere in the document


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
        self._block_choices: dict[str, list[str]] = {}

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
            cands = self._best_per_entity(self._exact_or_alias(keys, *idx.aliases[a]) for a in hits)
            if any(c.method == "exact" for c in cands):
                # a form that is one entity's full name is not a short form of another's
                # (Papua the province, not "Papua" for Papua Nugini)
                cands = [c for c in cands if not self._is_truncation(keys, c.entity)]
            return cands
        hits = [a for a in idx.by_key.get(keys.key, ()) if aligned_similarity(keys, self._alias_keys(a)) > 0]
        if not hits and len(keys.tokens) > 1:  # another word order: Suk Yeol Yoon, Jong-un Kim
            hits = [a for a in idx.by_tokenset.get(keys.tokenset, ()) if aligned_similarity(keys, self._alias_keys(a)) > 0]
        if hits:
            return self._best_per_entity(Candidate(idx.aliases[a][0], "key", METHOD_QUALITY["key"], idx.aliases[a][1]) for a in hits)
        if len(keys.key) >= self.policy.fuzzy_min_chars:
            fuzzy = list(self._fuzzy(keys))
            if fuzzy:
                return fuzzy
        if len(keys.tokens) == 1:
            return self._by_name_token(keys)
        return []

    def _exact_or_alias(self, keys: NameKeys, entity: int, alias: str) -> Candidate:
        if name_keys(self.index.entities[entity].name).folded == keys.folded:
            return Candidate(entity, "exact", METHOD_QUALITY["exact"], alias)
        return Candidate(entity, "alias", METHOD_QUALITY["alias"], alias)

    def _is_truncation(self, keys: NameKeys, entity: int) -> bool:
        name = name_keys(PARENTHESIS.sub("", self.index.entities[entity].name)).folded.split()
        return len(name) > len(keys.folded.split()) and set(keys.folded.split()) < set(name)

    def _alias_keys(self, alias_idx: int) -> NameKeys:
        return name_keys(self.index.aliases[alias_idx][1])

    def _fuzzy(self, keys: NameKeys):
        pool = set(self.index.by_skeleton.get(keys.skeleton, ()))
        block = self.index.by_prefix.get(keys.key[:3], [])
        if block:
            choices = self._block_choices.get(keys.key[:3])
            if choices is None:
                choices = self._block_choices[keys.key[:3]] = [self.index.aliases[a][1] for a in block]
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
    def type_factor(self, label: str, entity_type: str, prior: float = 0.0) -> float:
        if not label or label == entity_type:
            return 1.0
        return self.policy.type_factor.get((label, entity_type), self.policy.other_type_factor + 0.25 * prior)

    def choose(self, mention: Mention, countries: dict[str, float] | None = None,
               doc_entities: set[str] = frozenset()):
        """The best candidate for one mention given the document's countries (share of its confident links
        in each) and the entities it names in full."""
        countries = countries or {}
        weighted = []
        one_word = len(name_keys(mention.text).tokens) == 1
        for c in self.candidates(mention.text):
            ent = self.index.entities[c.entity]
            if one_word and ent.type == "PER" and c.method != "exact" and c.method != "alias" \
                    and ent.prior < self.policy.token_min_prior:
                continue  # one respelled word is too little to name an obscure person (Lee -> Li Bin)
            # exact and alias rank alike: the prior, not the display form, decides Odessa (UA) over Odessa (TX)
            w = min(1.0, c.quality / METHOD_QUALITY["alias"]) * self.type_factor(mention.label, ent.type, ent.prior) * (0.6 + 0.4 * ent.prior)
            w *= 1 + self.policy.coherence_bonus * countries.get(ent.country, 0.0)
            if ent.id in doc_entities:
                w *= self.policy.document_bonus
            weighted.append((w, c))
        if not weighted:
            return None
        weighted.sort(key=lambda x: (-x[0], x[1].entity))
        (w1, best), runner = weighted[0], (weighted[1][0] if len(weighted) > 1 else 0.0)
        ent = self.index.entities[best.entity]
        match = best.quality * self.type_factor(mention.label, ent.type, ent.prior)
        if match < self.policy.min_score:
            return None  # too weak a match; an ambiguity between real candidates only lowers the score
        score = match * (w1 / (w1 + runner))
        return Link(ent.id, ent.name, round(score, 4), best.method, best.matched, ent)

    def link_document(self, mentions: list[Mention]) -> list[Link]:
        """One link per mention: gazetteer entity, context link, or NIL (ID assigned by `nil.py`)."""
        first = [self.choose(m) for m in mentions]
        confident = Counter(l.entity.country for l in first if l and l.score >= 0.9 and l.entity.country)
        countries = {c: n / sum(confident.values()) for c, n in confident.items()}
        # entities named in full (two or more words) pull ambiguous short forms their way (Bogor)
        named = {l.id for m, l in zip(mentions, first)
                 if l and l.method != "fuzzy" and len(name_keys(m.text).tokens) > 1}
        links = [self.choose(m, countries, named) for m in mentions] if countries or named else first
        return resolve_context(mentions, links, self)


def _is_acronym(text: str) -> bool:
    return 2 <= len(text) <= 8 and text.isupper() and text.isalpha()


def _initials(text: str) -> str:
    return "".join(w[0] for w in name_keys(text).folded.split() if w not in ACRONYM_STOPWORDS)


class DocumentAnchors:
    """The fuller names of one document (two or more words), indexed so that each short mention is compared
    only with anchors sharing a token, a token's consonants, or its initials: linear in mentions."""

    MAX_ALIASES = 10  # a linked entity contributes its mentions and its first multi-word aliases

    def __init__(self):
        self.entries: dict[str, dict] = {}  # doc entity key -> {"forms", "type", "link", "tokens"}
        self.by_token: dict[str, set[str]] = {}
        self.by_consonants: dict[str, set[str]] = {}
        self.by_initials: dict[str, set[str]] = {}

    def add(self, key: str, form: str, entity_type: str, link: Link | None) -> None:
        entry = self.entries.get(key)
        if entry is None:
            entry = self.entries[key] = {"forms": [], "type": entity_type, "link": link, "tokens": set(),
                                         "doc_tokens": set()}
            if link:
                aliases = [a for a in link.entity.aliases if 1 < len(name_keys(a).tokens) <= 4]
                for alias in aliases[: self.MAX_ALIASES]:
                    self._index(key, alias, entry)
        if form not in entry["forms"]:
            entry["forms"].append(form)
            self._index(key, form, entry)
            entry["doc_tokens"].update(name_keys(form).tokens)

    def _index(self, key: str, form: str, entry: dict) -> None:
        keys = name_keys(form)
        self.by_initials.setdefault(_initials(form), set()).add(key)
        if entry["type"] != "PER":
            return  # a word of an organisation or place name is not a short form of it (Indonesia / TNI)
        entry["tokens"].update(keys.tokens)
        for tok in keys.tokens:
            self.by_token.setdefault(tok, set()).add(key)
            self.by_consonants.setdefault(consonants(tok), set()).add(key)

    def matches(self, mention: Mention) -> list[tuple[float, str]]:
        """(strength, anchor key), best first: 1 for the acronym of an anchor's words or words all found in a
        person's name (Belousov, Listyo Sigit), 0.8 for one word with a name word's consonants and first
        letter (a typo such as Rote for Rutte)."""
        keys = name_keys(mention.text)
        found: dict[str, float] = {}
        if _is_acronym(mention.text):
            for key in self.by_initials.get(keys.folded, ()):
                found[key] = 1.0
        if not keys.tokens or len(keys.key) < 3:
            return sorted(((v, k) for k, v in found.items()), reverse=True)
        tokens = set(keys.tokens)
        for key in set.intersection(*(self.by_token.get(t, set()) for t in tokens)):
            entry = self.entries[key]
            # one word may come from any known name of the entity; several words must all come from one of
            # its names in this document (Hafez al-Assad is not Bashar [Hafez] al-Assad)
            if (len(tokens) == 1 and tokens <= entry["tokens"]) or tokens < entry["doc_tokens"]:
                found[key] = 1.0
        tok = keys.tokens[0]
        if len(keys.tokens) == 1 and len(tok) >= 4 and consonants(tok):
            for key in self.by_consonants.get(consonants(tok), ()):
                if key not in found and any(o[0] == tok[0] and consonants(o) == consonants(tok)
                                            for o in self.entries[key]["tokens"]):
                    found[key] = 0.8
        return sorted(((v, k) for k, v in found.items()), reverse=True)


def resolve_context(mentions: list[Mention], links: list[Link | None], linker: Linker) -> list[Link]:
    """Attach short forms (fewer words, an acronym, a typo) to the one fuller mention of the document they
    match, longest names first; everything still unlinked becomes NIL."""
    anchors = DocumentAnchors()
    out = list(links)
    order = sorted(range(len(mentions)), key=lambda i: (-len(name_keys(mentions[i].text).tokens), i))
    for i in order:
        m, link = mentions[i], links[i]
        n_tokens = len(name_keys(m.text).tokens)
        matches = [(s, k) for s, k in anchors.matches(m)
                   if linker.type_factor(m.label, anchors.entries[k]["type"]) >= 0.75]
        attached = _attach(m, link, matches, anchors)
        if attached:
            out[i] = attached
        if n_tokens >= 2 and not (attached and attached.method == "context"):
            key = link.id if link else f"{m.label}:{name_keys(m.text).key}"
            anchors.add(key, m.text, link.entity.type if link else m.label, link)
    return [link or nil_link(m) for m, link in zip(mentions, out)]


def _attach(m: Mention, link: Link | None, matches: list, anchors: DocumentAnchors) -> Link | None:
    """The context link for one mention, or None to keep its own decision."""
    if not matches:
        return None
    if len(matches) > 1 and matches[1][0] >= matches[0][0]:
        # Two fuller names fit equally (Kim with Kim Jong Un and Kim Yo Jong): no guess, and certainly not a
        # third person of that name from the gazetteer.
        tied = {k for s, k in matches if s == matches[0][0]}
        return nil_link(m) if link and link.id not in tied and len(name_keys(m.text).tokens) == 1 else None
    strength, key = matches[0]
    anchor = anchors.entries[key]
    if link and len(name_keys(m.text).tokens) > 1 and link.method != "fuzzy":
        return None  # a name of several words that the gazetteer knows (Donald Trump beside Donald Trump Jr.)
    if link and link.id == key and link.method != "key":
        return None  # already linked to this entity by its own name
    if link and link.entity.type == m.label and link.method in ("exact", "alias") and strength < 1.0:
        return None  # an exact gazetteer name of the right type beats a typo-level resemblance
    target = anchor["link"]
    if target:
        return Link(target.id, target.name, round(strength * target.score, 4), "context", anchor["forms"][0],
                    target.entity)
    return nil_link(m, anchor["forms"][0], round(strength, 4), "context")
