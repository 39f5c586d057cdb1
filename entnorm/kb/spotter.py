"""Gazetteer spotter: mentions the NER model missed, for names the gazetteer knows exactly.

Reads the text and the NER spans; writes extra spans (never overlapping the NER's). A candidate is a run of 2-6
words starting and ending with a capitalised word (Kantor Berita Pusat Korea, Dewan Keamanan PBB) whose folded
form is an alias of exactly one entity type in the gazetteer. Single words are left to the NER model (too many
gazetteer names are also ordinary words), except the name of a country or a capital: the tagger misses some in
the middle of a sentence ("dukungan bagi Ukraina", "jika Pyongyang bersedia"). Such a word (not an acronym) is
spotted only where it stands alone: not after "bahasa" (a language), and with no other uncovered capitalised
word beside it (but a sentence's first word) except an office word before it ("Presiden Ukraina";
`STATE_TITLE_WORDS`), so Bank Indonesia stays whole.
"""
from __future__ import annotations

from bisect import bisect_left

from .. import text as textmod
from ..doc import Span
from ..names import fold, is_latin
from .index import KnowledgeBase

MAX_WORDS = 6
STATE_KINDS = frozenset({"country", "capital"})
# Words of an office or a state body that stand before a country's name ("Presiden Ukraina", "Menteri Luar Negeri
# Iran"): the country after them is a mention of its own. Any other capitalised word beside it may make it part of
# a longer name (Bank Indonesia, Garuda Indonesia) and stops the spotter. (Kept here, not in namedata.py: that
# file's hash keys every compiled store, and these words change no name key.)
STATE_TITLE_WORDS = frozenset({
    "presiden", "wapres", "wakil", "menteri", "perdana", "luar", "dalam", "negeri", "pertahanan", "duta", "besar",
    "dubes", "pemerintah", "kanselir", "raja", "ratu", "pangeran", "emir", "sultan", "kepala", "panglima", "utusan",
    "delegasi", "warga", "rakyat"})


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
            if found is None and _lone_state_name(sent, i, text, kb, overlaps):
                found = (sent[i].start, sent[i].end, "LOC", i)
            if found:
                out.append(Span(found[0], found[1], found[2], text[found[0]:found[1]]))
                i = found[3] + 1
            else:
                i += 1
    return out


def _lone_state_name(sent, i: int, text: str, kb: KnowledgeBase, overlaps) -> bool:
    """Is word `i` a country's or capital's name standing alone (see the module docstring)?"""
    word = sent[i]
    if not _capitalised(word.text) or word.text.isupper() or overlaps(word.start, word.end):
        return False  # acronyms are the tagger's: AS is also initials, KL a kilolitre
    before = sent[i - 1] if i > 0 else None
    after = sent[i + 1] if i + 1 < len(sent) else None
    # (the first word of a sentence is capitalised whatever it is: "Jika Pyongyang setuju")
    if before is not None and (before.text.lower() == "bahasa" or (
            i > 1 and _capitalised(before.text) and not overlaps(before.start, before.end)
            and before.text.lower() not in STATE_TITLE_WORDS)):
        return False
    if after is not None and _capitalised(after.text) and not overlaps(after.start, after.end):
        return False
    folded = fold(text[word.start:word.end])
    if kb.types_of(folded) != {"LOC"}:
        return False
    # a Latin-script alias: "Oma" is no transliteration of "Ома" (Omagh) here
    return any(kb.entity(entity).kind in STATE_KINDS and is_latin(alias)
               for entity, alias in map(kb.alias, kb.exact(folded)))
