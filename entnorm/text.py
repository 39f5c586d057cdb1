"""Text -> words with exact character offsets -> sentences -> model-sized chunks. Nothing is truncated."""
from __future__ import annotations

import re
from dataclasses import dataclass

# A word is a run of letters/digits; every other non-space character is a word of its own. This mirrors the
# Indonesian NER corpora, which split "Choi Si - won", "Rusia - Ukraina" and "1 . 000".
WORD_RE = re.compile(r"[^\W_]+|\S")
SENTENCE_END = {".", "!", "?", "…"}
CLOSERS = {'"', "”", "’", "'", ")", "]"}


@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int


def words(text: str) -> list[Word]:
    return [Word(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(text)]


def sentences(text: str, ws: list[Word] | None = None) -> list[list[Word]]:
    """Split on line breaks and on sentence-final punctuation (plus closing quotes) followed by a capital."""
    ws = words(text) if ws is None else ws
    out, current = [], []
    for i, w in enumerate(ws):
        nxt = ws[i + 1] if i + 1 < len(ws) else None
        current.append(w)
        if nxt is None:
            break
        gap = text[w.end:nxt.start]
        boundary = "\n" in gap or "\r" in gap
        if not boundary and (w.text in SENTENCE_END or (w.text in CLOSERS and current[-2:-1]
                                                         and current[-2].text in SENTENCE_END)):
            boundary = bool(gap) and (nxt.text[:1].isupper() or nxt.text[:1] in '"“')
        if boundary:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def chunk(sentence: list, lengths: list[int], max_tokens: int) -> list[list]:
    """Split one sentence into consecutive pieces whose summed subword `lengths` fit `max_tokens`."""
    out, current, used = [], [], 0
    for item, n in zip(sentence, lengths):
        if current and used + n > max_tokens:
            out.append(current)
            current, used = [], 0
        current.append(item)
        used += n
    if current:
        out.append(current)
    return out


_HYPHEN_TAIL = re.compile(r"-[a-z]+\b")


def extend_hyphenated(text: str, start: int, end: int) -> int:
    """New end for a name cut before a lower-case hyphenated syllable (Kim Jong|-un, Jong|-il)."""
    tail = _HYPHEN_TAIL.match(text, end)
    return tail.end() if tail else end
