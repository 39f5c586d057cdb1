"""Candidates for one surface form, from the knowledge base's query API; independent of the document.

First hit wins, in order of trust:
  exact/alias  folded form equals an entity's name / one of its aliases
  key          phonetic key equal (spelling conventions, romanisation, old Indonesian spelling), or the same
               words in another order (Suk Yeol Yoon)
  fuzzy        same consonant skeleton or a close edit in the key's typo block (kb/typo.py), confirmed token by
               token
  key (token)  a lone name word that one prominent person in the knowledge base clearly owns (Putin)
Results are cached per surface form in a bounded LRU cache (news repeats its names).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from ..kb.index import KnowledgeBase
from ..kb.schema import PARENTHESIS
from ..kb.typo import length_band, may_reach
from ..namedata import ADMIN_HEAD_KINDS
from ..names import NameKeys, aligned_similarity, fold, is_latin, name_keys, strip_legal_form
from .policy import Policy

PARENTHESIS_CONTENT = re.compile(r"\(([^)]*)\)")


@dataclass(frozen=True)
class Candidate:
    entity: int      # entity number in the knowledge base
    method: str      # exact | alias | key | fuzzy
    quality: float   # match quality (Policy.quality; fuzzy: scaled similarity)
    matched: str     # the alias the decision rests on


class CandidateFinder:
    def __init__(self, kb: KnowledgeBase, policy: Policy, cache_size: int = 200_000):
        self.kb, self.policy = kb, policy
        self.candidates = lru_cache(maxsize=cache_size)(self._find)

    def _find(self, text: str) -> tuple[Candidate, ...]:
        """The candidates of the text as written, else of its core name (core_forms), else of the name after an
        administrative head word, among records of that kind only (admin_head)."""
        for form in (text, *core_forms(text)):
            found = self._find_form(form)
            if found:
                return found
        head = admin_head(text)
        if head:
            rest, kinds = head
            return tuple(c for c in self._find_form(rest) if self.kb.entity(c.entity).kind in kinds)
        return ()

    def _find_form(self, text: str) -> tuple[Candidate, ...]:
        keys = name_keys(text)
        if not keys.key:
            return ()
        kb, q = self.kb, self.policy.quality
        # Latin-script text is matched against Latin-script aliases only: a transliterated alias is a spelling
        # of another script (Рим -> "rim" is Rome, not RIM; 達博拉 -> "da bo la" is not "Bola")
        usable = (lambda aliases: [a for a in aliases if is_latin(kb.alias(a)[1])]) if is_latin(text) else list
        hits = usable(kb.exact(keys.folded))
        if hits:
            cands = best_per_entity(self._exact_or_alias(keys, a) for a in hits)
            if any(c.method == "exact" for c in cands):
                # a form that is one entity's full name is not a short form of another's (Papua the province, not
                # Papua Nugini; Lincoln the city, not Abraham Lincoln), except of an organisation named after a
                # place (Roma the city, AS Roma the club: the NER label and the context decide)
                named_after = {"LOC"} == {kb.entity(c.entity).type for c in cands if c.method == "exact"}
                cands = [c for c in cands if not self._is_truncation(keys, c.entity)
                         or (named_after and kb.entity(c.entity).type == "ORG")]
            return tuple(cands)
        hits = [a for a in usable(kb.same_key(keys.key)) if self._agrees(keys, a)]
        if not hits and len(keys.tokens) > 1:  # another word order: Suk Yeol Yoon, Jong-un Kim
            hits = [a for a in usable(kb.same_tokenset(keys.tokenset)) if self._agrees(keys, a)]
        if hits:
            return tuple(best_per_entity(self._candidate(a, "key", q["key"]) for a in hits))
        if len(keys.key) >= self.policy.fuzzy_min_chars:
            fuzzy = self._fuzzy(keys, usable)
            if fuzzy:
                return tuple(fuzzy)
        if len(keys.tokens) == 1:
            return tuple(self._by_name_token(keys))
        return ()

    def _agrees(self, keys: NameKeys, alias: int) -> bool:
        return aligned_similarity(keys, name_keys(self.kb.alias(alias)[1])) > 0

    def _candidate(self, alias: int, method: str, quality: float) -> Candidate:
        entity, text = self.kb.alias(alias)
        return Candidate(entity, method, quality, text)

    def _exact_or_alias(self, keys: NameKeys, alias: int) -> Candidate:
        entity = self.kb.alias(alias)[0]
        method = "exact" if fold(self.kb.entity(entity).name) == keys.folded else "alias"
        return self._candidate(alias, method, self.policy.quality[method])

    def _is_truncation(self, keys: NameKeys, entity: int) -> bool:
        name = name_keys(PARENTHESIS.sub("", self.kb.entity(entity).name)).folded.split()
        return len(name) > len(keys.folded.split()) and set(keys.folded.split()) < set(name)

    def _fuzzy(self, keys: NameKeys, usable) -> list[Candidate]:
        pool = set(self.kb.same_skeleton(keys.skeleton))
        pool.update(self._closest_in_block(keys))
        sims = ((a, aligned_similarity(keys, name_keys(self.kb.alias(a)[1]))) for a in usable(pool))
        return best_per_entity(self._candidate(a, "fuzzy", round(self.policy.fuzzy_scale * sim, 4))
                               for a, sim in sims if sim >= self.policy.fuzzy_min)

    def _closest_in_block(self, keys: NameKeys) -> list[int]:
        """The aliases of the key's typo block closest to the text by rapidfuzz ratio, at least
        `fuzzy_block_cutoff`, best first, ties by alias number, at most `fuzzy_block_limit`: what ranking the
        whole block finds, scoring only the aliases that the length and character bounds leave."""
        query, cutoff = keys.folded, self.policy.fuzzy_block_cutoff
        block = self.kb.typo_block(keys.key[:3], *length_band(len(query), cutoff))
        positions = may_reach(query, block, cutoff).tolist()
        aliases = block.aliases[positions].tolist()
        hits = process.extract(query, block.texts(positions), scorer=fuzz.ratio, score_cutoff=cutoff, limit=None,
                               processor=None)
        best = sorted((-score, aliases[i]) for _, score, i in hits)[:self.policy.fuzzy_block_limit]
        return [alias for _, alias in best]

    def _called_by(self, entity: int, token: str) -> bool:
        """Is a lone word what news calls this person? The family name (last word of a name), or for an
        Indonesian the first word (Prabowo, Megawati); not a given or middle name of a foreigner (Fernando)."""
        ent = self.kb.entity(entity)
        for alias in ent.aliases:
            tokens = name_keys(alias).tokens
            if len(tokens) > 1 and (tokens[-1] == token or (ent.country == "ID" and tokens[0] == token)):
                return True
        return False

    def _by_name_token(self, keys: NameKeys) -> list[Candidate]:
        """"Putin", "Prabowo": a lone token of a prominent person's name, if one person clearly owns it."""
        people = sorted((self.kb.entity(e).prior, e) for e in self.kb.people_with_token(keys.tokens[0]))
        if not people:
            return []
        prior, best = people[-1]
        runner_up = people[-2][0] if len(people) > 1 else 0.0
        if prior < self.policy.token_min_prior or prior - runner_up < self.policy.token_prior_margin \
                or not self._called_by(best, keys.tokens[0]):
            return []
        return [Candidate(best, "key", self.policy.quality["token"],
                          f"name token '{keys.folded}' of {self.kb.entity(best).name}")]


def core_forms(text: str) -> list[str]:
    """Shorter forms that name the same entity: without a parenthesis, then its content ("Komisi Pemberantasan
    Korupsi (KPK)", "Basuki Tjahaja Purnama (Ahok)"), without a company's legal form (PT Telkom Tbk)."""
    forms = []
    if "(" in text:
        forms.append(PARENTHESIS.sub("", text).strip())
        forms += [inner.strip() for inner in PARENTHESIS_CONTENT.findall(text)]
    forms.append(strip_legal_form(forms[0] if forms else text))
    return [f for f in dict.fromkeys(forms) if f and f != text]


def admin_head(text: str) -> tuple[str, frozenset] | None:
    """("Sulsel", {"province"}) for "Provinsi Sulsel": the name after an Indonesian administrative head word and
    the record kinds it must have; None when the text does not start with one."""
    head, _, rest = text.strip().partition(" ")
    kinds = ADMIN_HEAD_KINDS.get(head.lower().rstrip("."))
    return (rest.strip(), kinds) if kinds and rest.strip() else None


def best_per_entity(cands) -> list[Candidate]:
    best: dict[int, Candidate] = {}
    for c in cands:
        if c.entity not in best or c.quality > best[c.entity].quality:
            best[c.entity] = c
    return sorted(best.values(), key=lambda c: (-c.quality, c.entity))
