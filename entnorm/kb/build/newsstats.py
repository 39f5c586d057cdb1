"""Statistics of Indonesian news text: how often a phrase is written, and which words are ordinary words.

Reads: `$ENTNORM_DATA/text/leipzig_ind_news_2008_sample25k/my_leipzig_sample.txt` (one numbered sentence a
line) and `text/idn_tagged_corpus/sentences.txt`; a missing file counts as empty. Writes nothing.
Used to pick the common news spelling of a city and to drop one-word aliases that news writes in lower case.
"""
from __future__ import annotations

import collections
import re
from pathlib import Path

TOKEN = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*|\d+", re.UNICODE)
NUMBERED = "my_leipzig_sample.txt"  # lines start with a sentence number


def news_files(text_dir: Path) -> list[Path]:
    return [text_dir / "leipzig_ind_news_2008_sample25k" / NUMBERED, text_dir / "idn_tagged_corpus" / "sentences.txt"]


class NewsStats:
    def __init__(self, paths: list[Path]):
        self.ngrams: collections.Counter = collections.Counter()  # token n-grams, n <= 4, case kept
        self.lower: collections.Counter = collections.Counter()   # word -> lower-case occurrences
        self.cap: collections.Counter = collections.Counter()     # word -> capitalised, not sentence-initial
        self.sentences = 0
        for p in paths:
            if p.exists():
                self._read(p)

    def _read(self, path: Path) -> None:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if path.name == NUMBERED:
                    line = line.split(" ", 1)[-1]
                toks = TOKEN.findall(line)
                self.sentences += 1
                for i, tok in enumerate(toks):
                    if tok.islower():
                        self.lower[tok] += 1
                    elif tok[:1].isupper() and i > 0:
                        self.cap[tok.lower()] += 1
                n = len(toks)
                for i in range(n):
                    for k in range(1, 5):
                        if i + k > n:
                            break
                        self.ngrams[" ".join(toks[i:i + k])] += 1

    def count(self, phrase: str) -> int:
        """How often the phrase (up to four tokens, case-sensitive) occurs."""
        toks = TOKEN.findall(phrase)
        if not toks or len(toks) > 4:
            return 0
        return self.ngrams.get(" ".join(toks), 0)

    def is_common_word(self, alias: str) -> bool:
        """A one-word alias that Indonesian news mostly writes in lower case (an ordinary word)."""
        w = alias.lower()
        lo = self.lower.get(w, 0)
        return lo >= 3 and lo >= self.cap.get(w, 0)
