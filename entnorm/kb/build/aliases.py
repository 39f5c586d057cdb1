"""Which spellings may become aliases: the writing-system and shape filter applied when a name is read, and the
ordinary-word filter applied when a record is written.

Reads: data/stopwords.yaml, data/scripts.yaml. Writes nothing.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from ...names import fold
from .newsstats import NewsStats
from .tables import yaml_table
from .text import scripts_of

STOPWORDS = frozenset(w.lower() for words in yaml_table("stopwords.yaml").values() for w in words)
ALLOWED_SCRIPTS = frozenset(yaml_table("scripts.yaml")["allowed"])
NATIVE_SCRIPT = {cc: {script} for script, ccs in yaml_table("scripts.yaml")["native"].items() for cc in ccs}
ADMIN_PREFIX = re.compile(r"(?i)(kabupaten|kab\.?|kota|kotamadya|provinsi|kecamatan) ")
TRANSLIT_MARK = re.compile(r"['`´]")


def spelling_key(text: str) -> str:
    """The fold that spelling-similarity tests compare. An apostrophe inside a word marks a transliteration
    (Cyrillic soft sign, Arabic ayn, Wade-Giles aspiration) and counts as a word break, so GeoNames'
    "Gamil'ton" is not taken for a spelling of Hamilton, nor "S'on" (fold "son") for Sion."""
    return fold(TRANSLIT_MARK.sub(" ", text))


def names_agree(names: list[str], others: list[str], min_ratio: float = 85) -> bool:
    """Do two lists of names share a spelling: equal or at least `min_ratio` similar (spelling_key), or the words
    of one are among the words of the other ('Graz Stadt' / 'Graz')? Used to accept a QID that a source gives
    for a record another source has already: a QID whose names disagree is a wrong QID, not a new spelling."""
    keys = {k for k in map(spelling_key, names) if k}
    other = {k for k in map(spelling_key, others) if k}
    for a in keys:
        for b in other:
            if a == b or fuzz.ratio(a, b) >= min_ratio or set(a.split()) <= set(b.split()) \
                    or set(b.split()) <= set(a.split()):
                return True
    return False


def good_alias(a: str) -> bool:
    """A plausible name: one allowed script, some letters, no digits in Latin names, not too long."""
    if not a or len(a) > 90:
        return False
    if "?" in a or "\ufffd" in a:
        return False
    sc = scripts_of(a)
    if not sc or not sc <= ALLOWED_SCRIPTS or len(sc) > 1:
        return False
    letters = sum(1 for c in a if c.isalpha())
    if letters == 0:
        return False
    if re.fullmatch(r"[\d\W_]+", a):
        return False
    if sc == {"LATIN"}:
        if letters < 2:
            return False
        if re.search(r"\d", a):
            return False
    elif sc == {"HAN"} and len(a) < 2:
        return False
    return True


def risky(alias: str, news: NewsStats) -> bool:
    """An alias made only of stop-list words, or one word that news mostly writes in lower case."""
    a = alias.strip()
    if " " in a:
        toks = [t.lower() for t in re.split(r"[\s\-]+", a) if t]
        return all(t in STOPWORDS for t in toks)
    if a.lower() in STOPWORDS:
        return True
    if a.isupper() and len(a) <= 5:  # acronyms are judged by the caller
        return False
    return news.is_common_word(a)


def kept_aliases(e, name_key: str, news: NewsStats) -> tuple[list[str], int]:
    """The aliases of entity `e` that go into its record, in the order they were added, and how many were
    dropped as ordinary words. Protected forms (hand tables, BPS) and spellings of the name itself are never
    dropped as ordinary words; two-letter forms need protection; admin prefixes (`Kota X`) only come from BPS."""
    aliases, seen, n_risky = [], {e.name}, 0
    for k, a in e.aliases.items():
        if a in seen:
            continue
        base_k = k.split("\x00")[0]
        protected = base_k in e.protected
        if not protected and base_k != name_key and risky(a, news):
            n_risky += 1
            continue
        if len(a) <= 2 and not protected:
            continue
        if e.country == "ID" and e.type == "LOC" and not protected and ADMIN_PREFIX.match(a):
            continue
        seen.add(a)
        aliases.append(a)
    return aliases, n_risky
