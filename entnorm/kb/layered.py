"""Several knowledge bases queried as one: the user's compiled stores over the shipped gazetteer, say.

    kb = LayeredKnowledgeBase([open_store("my-kb"), load_kb()])

Same query API as `KnowledgeBase`. Entity and alias numbers are global: each layer's numbers shifted by the sizes
of the layers before it, so results come in layer order and, within a layer, in its own order (layers with
distinct ids answer exactly as one `KnowledgeBase` over their concatenated entities). When two layers hold the
same entity id the earlier layer wins: the later record keeps its numbers (`entity(n)` still returns it) but is
hidden from every lookup (its aliases and name tokens return nothing, `get` returns the earlier record).
"""
from __future__ import annotations

from bisect import bisect_right

import numpy as np

from .schema import Entity
from .store import EntitySequence, MappedKnowledgeBase
from .typo import TypoBlock


class LayeredKnowledgeBase:
    def __init__(self, kbs):
        self.layers = list(kbs)
        if not self.layers:
            raise ValueError("LayeredKnowledgeBase needs at least one knowledge base")
        self._entity_start, self._alias_start = [0], [0]
        for kb in self.layers:
            self._entity_start.append(self._entity_start[-1] + len(kb))
            self._alias_start.append(self._alias_start[-1] + kb.n_aliases)
        self._hidden = [frozenset(_shadowed(self.layers[:i], kb)) for i, kb in enumerate(self.layers)]
        self.entities = EntitySequence(self)

    def __len__(self) -> int:
        return self._entity_start[-1]

    def __repr__(self) -> str:
        hidden = sum(map(len, self._hidden))
        return f"LayeredKnowledgeBase({self.layers!r}; {len(self)} entities, {hidden} hidden by earlier layers)"

    @property
    def n_aliases(self) -> int:
        return self._alias_start[-1]

    @property
    def hidden(self) -> int:
        """How many entities an earlier layer's record of the same id hides."""
        return sum(map(len, self._hidden))

    # -- entities and aliases ---------------------------------------------------------------------------
    def _locate(self, number: int, starts: list[int]) -> tuple[int, int]:
        n = number + starts[-1] if number < 0 else number
        if not 0 <= n < starts[-1]:
            raise IndexError(f"number {number} out of range ({starts[-1]})")
        i = bisect_right(starts, n) - 1
        return i, n - starts[i]

    def entity(self, number: int) -> Entity:
        i, n = self._locate(number, self._entity_start)
        return self.layers[i].entity(n)

    def get(self, entity_id: str) -> Entity | None:
        for kb in self.layers:  # a later record with this id is hidden: the first layer that has it wins
            ent = kb.get(entity_id)
            if ent is not None:
                return ent
        return None

    def numbers_of(self, entity_id: str) -> list[int]:
        """Global numbers of the visible entities with this id."""
        return [n + start for kb, start, hidden in zip(self.layers, self._entity_start, self._hidden)
                for n in kb.numbers_of(entity_id) if n not in hidden]

    def alias(self, number: int) -> tuple[int, str]:
        i, n = self._locate(number, self._alias_start)
        entity, text = self.layers[i].alias(n)
        return entity + self._entity_start[i], text

    # -- lookups ------------------------------------------------------------------------------------------
    def _aliases(self, method: str, key: str) -> list[int]:
        out = []
        for kb, start, hidden in zip(self.layers, self._alias_start, self._hidden):
            found = getattr(kb, method)(key)
            if found and hidden:
                found = [a for a in found if kb.alias(a)[0] not in hidden]
            out.extend(a + start for a in found)
        return out

    def exact(self, folded: str) -> list[int]:
        return self._aliases("exact", folded)

    def same_key(self, key: str) -> list[int]:
        return self._aliases("same_key", key)

    def same_tokenset(self, tokenset: str) -> list[int]:
        return self._aliases("same_tokenset", tokenset)

    def same_skeleton(self, skeleton: str) -> list[int]:
        return self._aliases("same_skeleton", skeleton)

    def typo_block(self, prefix: str, shortest: int, longest: int) -> TypoBlock:
        """The layers' blocks (visible aliases only, alias numbers made global) merged by length, then alias
        number, as one index orders them."""
        blocks, starts = [], []
        for kb, start, hidden in zip(self.layers, self._alias_start, self._hidden):
            block = kb.typo_block(prefix, shortest, longest)
            if hidden:
                visible = np.array([kb.alias(a)[0] not in hidden for a in block.aliases.tolist()], bool)
                block = TypoBlock(block.aliases[visible], block.lengths[visible], block.masks[visible],
                                  lambda positions, b=block, v=np.flatnonzero(visible): b.texts(v[positions]))
            blocks.append(block)
            starts.append(start)
        lengths = np.concatenate([b.lengths for b in blocks])
        order = np.argsort(lengths, kind="stable")  # within a length, layer order is alias order
        layer_of = np.repeat(np.arange(len(blocks)), [len(b.aliases) for b in blocks])[order]
        within = np.concatenate([np.arange(len(b.aliases)) for b in blocks])[order]

        def texts(positions) -> list[str]:
            positions = np.asarray(positions, np.int64)
            out = [""] * len(positions)
            for layer, block in enumerate(blocks):
                mine = np.flatnonzero(layer_of[positions] == layer)
                for i, text in zip(mine.tolist(), block.texts(within[positions[mine]])):
                    out[i] = text
            return out

        aliases = np.concatenate([b.aliases.astype(np.int64) + s for b, s in zip(blocks, starts)])
        return TypoBlock(aliases[order], lengths[order], np.concatenate([b.masks for b in blocks])[order], texts)

    def people_with_token(self, token: str) -> list[int]:
        return [e + start for kb, start, hidden in zip(self.layers, self._entity_start, self._hidden)
                for e in kb.people_with_token(token) if e not in hidden]

    def types_of(self, folded: str) -> set[str]:
        types = set()
        for kb, hidden in zip(self.layers, self._hidden):
            if hidden:
                types.update(kb.entity(e).type for e, _ in map(kb.alias, kb.exact(folded)) if e not in hidden)
            else:
                types |= kb.types_of(folded)
        return types


def _shadowed(earlier: list, kb) -> set[int]:
    """Numbers of `kb`'s entities whose id one of the `earlier` layers holds: by the id tables' hashes when both
    are compiled stores, else by looking up the ids of the smaller side in the other."""
    hidden: set[int] = set()
    for other in earlier:
        if isinstance(other, MappedKnowledgeBase) and isinstance(kb, MappedKnowledgeBase):
            for entity_id in kb.ids_with_hashes(_common(other.id_hashes(), kb.id_hashes())):
                if other.numbers_of(entity_id):
                    hidden.update(kb.numbers_of(entity_id))
        elif len(kb) <= len(other):
            hidden.update(n for n in range(len(kb)) if other.numbers_of(kb.entity(n).id))
        else:
            for n in range(len(other)):
                hidden.update(kb.numbers_of(other.entity(n).id))
    return hidden


def _common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values of sorted array `b` that sorted array `a` holds too (searching the smaller in the larger)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if not len(large):
        return small[:0]
    at = np.minimum(np.searchsorted(large, small), len(large) - 1)
    return np.unique(small[large[at] == small])
