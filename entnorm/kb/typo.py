"""Typo blocks: what the linker's typo search scores, and two bounds that skip most of a block without changing
what the search finds.

The search (link/candidates.py) ranks the aliases of a block, those whose phonetic key starts with the same three
letters, by rapidfuzz's `fuzz.ratio` with the mention: 100 (1 - d / (|q| + |t|)), d the indel distance between
the query q and the alias text t, d = u_q + u_t with u_q characters of q and u_t of t left unmatched. Two lower
bounds on d rule an alias out before its text is decoded or scored:
  length      d >= | |q| - |t| |: at cutoff 80 the lengths are within 2/3 .. 3/2 of each other. A knowledge base
              lays a block out by text length (`typo_block`), so this band is one slice.
  characters  a character of q that t lacks is unmatched at least once: u_q >= popcount(mask(q) & ~mask(t)) with
              `char_mask`, a bit per code point mod 64 (two characters sharing a bit only weaken the bound);
              likewise u_t; and u_q - u_t = |q| - |t|.
Both are exact bounds (an alias they rule out cannot reach the cutoff), so the search finds what scoring the whole
block would, at a fraction of the work.
"""
from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np


class TypoBlock(NamedTuple):
    """The aliases of one typo block within a length band, as `typo_block` returns them."""
    aliases: np.ndarray              # alias numbers
    lengths: np.ndarray              # their texts' lengths in characters
    masks: np.ndarray                # their `char_mask`s (uint64)
    texts: Callable[[list], list]    # the texts of the aliases at these positions of the block


EMPTY = TypoBlock(np.empty(0, np.uint32), np.empty(0, np.uint32), np.empty(0, np.uint64), lambda positions: [])


def char_mask(text: str) -> int:
    """The characters of the text as a 64-bit set: bit (code point mod 64). Compiled stores keep these masks:
    another mapping needs a new store.VERSION."""
    mask = 0
    for c in set(text):
        mask |= 1 << (ord(c) & 63)
    return mask


def length_band(length: int, cutoff: float) -> tuple[int, int]:
    """(shortest, longest) text whose ratio with a query of `length` characters can reach `cutoff`:
    100 |l - length| <= (100 - cutoff)(l + length)."""
    return math.ceil(length * cutoff / (200 - cutoff)), math.floor(length * (200 - cutoff) / cutoff)


def may_reach(query: str, block: TypoBlock, cutoff: float) -> np.ndarray:
    """Positions in the block of the aliases whose ratio with `query` the bounds allow to reach `cutoff` (the
    character bound, which implies the length bound)."""
    mask = np.uint64(char_mask(query))
    missing_in_text = np.bitwise_count(mask & ~block.masks)  # lower bound of u_q
    missing_in_query = np.bitwise_count(block.masks & ~mask)  # lower bound of u_t
    lengths = block.lengths.astype(np.int32)
    longer_by = len(query) - lengths  # u_q - u_t
    unmatched_in_text = np.maximum(missing_in_query, missing_in_text - longer_by)
    distance = 2 * unmatched_in_text + longer_by
    return np.flatnonzero(100 * distance <= (100 - cutoff) * (len(query) + lengths))
