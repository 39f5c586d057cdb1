"""The compiled knowledge base: entities and their aliases, indexed by four spellings, behind a query API.

Every alias is indexed under its folded form (exact up to case, accents, punctuation), its phonetic key, its
consonant skeleton and the first three letters of its key (typo blocks, kb/typo.py); multi-word aliases also
under their sorted tokens (word order), and each word of a person's multi-word name points back to the person.
Callers ask questions (`exact`, `same_key`, ...) and get alias or entity numbers back; the tables themselves stay
private, so the storage can change without touching the linker.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from ..names import name_keys
from .schema import Entity
from .typo import EMPTY, TypoBlock, char_mask


class KnowledgeBase:
    def __init__(self, entities: list[Entity]):
        self.entities = entities
        self._ids = {e.id: i for i, e in enumerate(entities)}
        for i, e in enumerate(entities):  # a record's earlier slug ids resolve to it; a live id always wins
            for slug in e.slugs:
                self._ids.setdefault(slug, i)
        self._aliases: list[tuple[int, str]] = []  # alias number -> (entity number, alias text)
        tables = {name: defaultdict(list) for name in ("folded", "key", "skeleton", "prefix", "tokenset")}
        tokens = defaultdict(set)
        for e_idx, ent in enumerate(entities):
            for alias in ent.aliases:
                keys = name_keys(alias)
                if not keys.key:
                    continue
                a_idx = len(self._aliases)
                self._aliases.append((e_idx, alias))
                tables["folded"][keys.folded].append(a_idx)
                tables["key"][keys.key].append(a_idx)
                tables["skeleton"][keys.skeleton].append(a_idx)
                tables["prefix"][keys.key[:3]].append(a_idx)
                if len(keys.tokens) > 1:
                    tables["tokenset"][keys.tokenset].append(a_idx)
                    if ent.type == "PER":
                        for tok in keys.tokens:
                            tokens[tok].add(e_idx)
        self._typo_blocks = {prefix: self._typo_layout(aliases) for prefix, aliases in tables.pop("prefix").items()}
        self._tables = {name: dict(table) for name, table in tables.items()}
        self._person_tokens = {t: sorted(v) for t, v in tokens.items()}

    def __len__(self) -> int:
        return len(self.entities)

    # -- entities and aliases ---------------------------------------------------------------------------
    def entity(self, number: int) -> Entity:
        return self.entities[number]

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this id, or with this earlier slug id (refs.slug), or None."""
        number = self._ids.get(entity_id)
        return None if number is None else self.entities[number]

    def numbers_of(self, entity_id: str) -> list[int]:
        """Entity numbers carrying this id (one, unless the list repeated it)."""
        if len(self._ids) == len(self.entities):
            number = self._ids.get(entity_id)
            return [] if number is None else [number]
        return [n for n, e in enumerate(self.entities) if e.id == entity_id]

    def alias(self, number: int) -> tuple[int, str]:
        """(entity number, alias text) of one alias."""
        return self._aliases[number]

    @property
    def n_aliases(self) -> int:
        return len(self._aliases)

    # -- lookups: alias numbers for one spelling of a name ------------------------------------------------
    def exact(self, folded: str) -> list[int]:
        return self._tables["folded"].get(folded, [])

    def same_key(self, key: str) -> list[int]:
        return self._tables["key"].get(key, [])

    def same_tokenset(self, tokenset: str) -> list[int]:
        return self._tables["tokenset"].get(tokenset, [])

    def same_skeleton(self, skeleton: str) -> list[int]:
        return self._tables["skeleton"].get(skeleton, [])

    def typo_block(self, prefix: str, shortest: int, longest: int) -> TypoBlock:
        """The aliases whose phonetic key starts with these three letters and whose text has `shortest` to
        `longest` characters, by length then alias number: the slice of the block a typo is searched in."""
        block = self._typo_blocks.get(prefix)
        if block is None:
            return EMPTY
        lengths = block[1]
        start, end = np.searchsorted(lengths, shortest, "left"), np.searchsorted(lengths, longest, "right")
        aliases, lengths, masks = (values[start:end] for values in block)
        return TypoBlock(aliases, lengths, masks, lambda positions: [self._aliases[a][1] for a in
                                                                     aliases[positions].tolist()])

    def _typo_layout(self, aliases: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A typo block's alias numbers, text lengths and `char_mask`s, ordered by length then alias number."""
        texts = [self._aliases[a][1] for a in aliases]
        lengths = np.fromiter(map(len, texts), np.uint32, len(texts))
        order = np.argsort(lengths, kind="stable")
        masks = np.fromiter(map(char_mask, texts), np.uint64, len(texts))
        return np.asarray(aliases, np.uint32)[order], lengths[order], masks[order]

    def people_with_token(self, token: str) -> list[int]:
        """Entity numbers of the people whose multi-word name has this word (by phonetic key)."""
        return self._person_tokens.get(token, [])

    def types_of(self, folded: str) -> set[str]:
        """The entity types that carry this exact (folded) name."""
        return {self.entities[self._aliases[a][0]].type for a in self.exact(folded)}
