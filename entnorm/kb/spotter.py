"""Gazetteer spotter: mentions the NER model missed, for multi-word names the gazetteer knows exactly.

Reads the text and the NER spans; writes extra spans (never overlapping the NER's). A candidate is a run of 2-6
words starting and ending with a capitalised word (Kantor Berita Pusat Korea, Dewan Keamanan PBB) whose folded
form is an alias of exactly one entity type in the gazetteer. Single words are left to the NER model: too many
gazetteer names are also ordinary words.
"""
from __future__ import annotations

from bisect import bisect_left

from .. import text as textmod
from ..doc import Span
from ..names import fold
from .index import KnowledgeBase

MAX_WORDS = 6


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def spot(text: str, taken: list[tuple[int, int]], kb: KnowledgeBase) -> list[Span]:
    """Spans (no NER confidence) for gazetteer names not covered by `taken` spans, longest match first."""
    covered = sorted(taken)
    starts = [s for s, _ in covered]

    def overlaps(start: int, end: int) -> bool:  # spans are sorted and disjoint: look at the neighbours only
        i = bisect_left(starts, end)
        return i > 0 and covered[i - 1][1] > start

    out = []
    for sent in textmod.sentences(text):
        i = 0
        while i < len(sent):
            found = None
            if _capitalised(sent[i].text):
                for j in range(min(len(sent), i + MAX_WORDS) - 1, i, -1):
                    if not _capitalised(sent[j].text):
                        continue
                    start, end = sent[i].start, sent[j].end
                    if overlaps(start, end):
                        continue
                    types = kb.types_of(fold(text[start:end]))
                    if len(types) == 1:
                        found = (start, end, types.pop(), j)
                        break
            if found:
                out.append(Span(found[0], found[1], found[2], text[found[0]:found[1]]))
                i = found[3] + 1
            else:
                i += 1
    return out
