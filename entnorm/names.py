"""Name keys: the spelling-insensitive forms used to find and compare entity names.

`name_keys(text)` gives, for any surface form in any script:
- `folded`   ASCII, lower case, punctuation as spaces        "Kim Jong-un"  -> "kim jong un"
- `tokens`   phonetic tokens (see namedata), particles dropped -> ("kim", "jong", "un")
- `key`      tokens joined without spaces; spacing/hyphen-proof -> "kimjongun"
- `skeleton` `key` without vowels and doubled letters; a recall key for candidate search only -> "kmjngn"
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Indel, JaroWinkler
from unidecode import unidecode

from . import namedata as data

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DOUBLES = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiou]")
_EQUIV = {form: group[0] for group in data.NAME_EQUIVALENTS for form in group}
_HANGUL_FINALS = {"g": "k", "d": "t", "b": "p"}


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


def _romanize_hangul_word(word: str) -> str:
    """Korean personal names: family name (conventional spelling) + given name as one token (윤석열 -> yoon seokyeol)."""
    surname_len = 2 if len(word) >= 4 and word[:2] in data.KOREAN_SURNAMES else 1
    surname = word[:surname_len]
    syllables = []
    for ch in word[surname_len:]:
        roman = unidecode(ch).strip().lower()
        final = roman[-1:] in _HANGUL_FINALS and not roman.endswith("ng")
        syllables.append(roman[:-1] + _HANGUL_FINALS[roman[-1]] if final else roman)
    head = data.KOREAN_SURNAMES.get(surname) or "".join(unidecode(c).lower() for c in surname)
    return f"{head} {''.join(syllables)}".strip() if len(word) in (2, 3, 4) else "".join(
        unidecode(c).lower() for c in word)


def fold(text: str) -> str:
    if text.isascii():  # the common case needs neither romanisation nor transliteration
        return _NON_ALNUM.sub(" ", text.lower().replace("'", "").replace("`", "")).strip()
    if any(_is_hangul(c) for c in text):
        text = " ".join(_romanize_hangul_word(w) if any(map(_is_hangul, w)) else w for w in text.split())
    text = unidecode(unicodedata.normalize("NFC", text)).lower().replace("'", "").replace("`", "")
    return _NON_ALNUM.sub(" ", text).strip()


@lru_cache(maxsize=200_000)
def phonetic(token: str) -> str:
    """One folded token -> its phonetic form (equivalent names first, then spelling rules)."""
    if token in data.ROMAN_NUMERALS:
        return token  # Abdullah II is not Abdullah I
    token = _EQUIV.get(token, token)
    if token.startswith("gh"):  # Ghani/Gani; inside a word "gh" is often two syllables (Seungho -> ...ngh...)
        token = "g" + token[2:]
    for rules in (data.OLD_INDONESIAN, data.CONSONANTS, data.VOWELS):
        for old, new in rules:
            if old in token:
                token = token.replace(old, new)
    token = _DOUBLES.sub(r"\1", token)
    if token.startswith("ie") and len(token) > 3:  # Yevgeny/Evgeny, Yelena/Elena
        token = token[1:]
    for old, new in data.ENDINGS:
        if token.endswith(old) and len(token) > len(old) + 2:
            token = token[: -len(old)] + new
    return token


@dataclass(frozen=True)
class NameKeys:
    folded: str
    tokens: tuple[str, ...]
    key: str
    skeleton: str

    @property
    def tokenset(self) -> str:
        return " ".join(sorted(self.tokens))


@lru_cache(maxsize=200_000)
def name_keys(text: str) -> NameKeys:
    folded = fold(text)
    raw = [t for t in folded.split() if t not in data.PARTICLES] or folded.split()
    tokens = tuple(phonetic(t) for t in raw)
    key = "".join(tokens)
    skeleton = _DOUBLES.sub(r"\1", _VOWELS.sub("", key)) or key
    return NameKeys(folded, tokens, key, skeleton)


def consonants(token: str) -> str:
    return _DOUBLES.sub(r"\1", _VOWELS.sub("", token))


def token_similarity(a: str, b: str) -> float:
    """Similarity of two phonetic tokens in [0,1]. Initials ("j" vs "jae") match; tokens with the same
    consonants match at 0.88 whatever their vowels (Korean Suk/Seok, Arabic Hizbullah/Hezbollah)."""
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:
        return 0.9 if a[0] == b[0] else 0.0
    shorter, longer = sorted((a, b), key=len)
    if longer.startswith(shorter):
        return 0.5  # a missing syllable is another name (Kim Jong / Kim Jong-u), not a respelling
    sim = JaroWinkler.normalized_similarity(a, b)
    ca = consonants(a)
    if ca and ca == consonants(b) and a[0] == b[0]:
        sim = max(sim, 0.88)
    return sim


def distinctive_conflict(a: NameKeys, b: NameKeys) -> bool:
    """True when one name carries a distinguishing word the other lacks (Jawa Barat vs Jawa Timur, Korea)."""
    da = {t for t in a.folded.split() if t in data.DISTINCTIVE}
    db = {t for t in b.folded.split() if t in data.DISTINCTIVE}
    return da != db


def aligned_similarity(a: NameKeys, b: NameKeys, min_token: float = 0.84) -> float:
    """Similarity of two full names that requires every token of each to pair with a token of the other.

    Returns 0 when any token is unmatched (Kim Jong Un vs Kim Jong Il, Donald Trump vs Donald Tusk) or a
    distinguishing word differs; otherwise the mean token similarity. Joined spellings (Jongun) compare by key.
    """
    if distinctive_conflict(a, b):
        return 0.0
    if a.key == b.key:
        return 1.0
    if len(a.tokens) != len(b.tokens):
        return _joined_similarity(a, b, min_token)
    if len(a.tokens) == 1:
        # One word leaves no other evidence: edit similarity, stricter than Jaro-Winkler (Austria/Australia).
        sim = Indel.normalized_similarity(a.key, b.key)
        same_consonants = len(a.skeleton) >= 4 and a.skeleton == b.skeleton and abs(len(a.key) - len(b.key)) <= 1
        return max(sim, 0.88) if same_consonants else sim
    sims = [token_similarity(x, y) for x, y in zip(a.tokens, b.tokens)]
    if min(sims) < min_token:
        # Family name first or last (Yoon Suk Yeol / Suk Yeol Yoon, Kim Jong-un / Jong-un Kim).
        for order in (b.tokens[-1:] + b.tokens[:-1], b.tokens[1:] + b.tokens[:1]):
            sims = [token_similarity(x, y) for x, y in zip(a.tokens, order)]
            if min(sims) >= min_token:
                break
        else:
            return 0.0
    return sum(sims) / len(sims)


def _joined_similarity(a: NameKeys, b: NameKeys, min_token: float) -> float:
    """Token counts differ (Kim Jong Un / Kim Jongun): compare the concatenations. A missing or different
    syllable (Kim Jong / Kim Jong Un, Kim Jongil / Kim Jong Un) fails the length and edit checks."""
    if a.tokens[0] != b.tokens[0] and token_similarity(a.tokens[0], b.tokens[0]) < min_token:
        return 0.0
    shorter, longer = sorted((a.key, b.key), key=len)
    if len(longer) - len(shorter) > 1 or longer.startswith(shorter) or Indel.normalized_similarity(a.key, b.key) < 0.85:
        return 0.0  # an extra syllable or letter is a different name (ISIS / ISIS-K)
    sim = JaroWinkler.normalized_similarity(a.key, b.key)
    return sim if sim >= min_token else 0.0


def is_latin(text: str) -> bool:
    """No letters outside the Latin script (accented Latin letters included)."""
    return text.isascii() or all(not c.isalpha() or c < "\u0250" or "\u1e00" <= c <= "\u1eff" for c in text)


def strip_legal_form(text: str) -> str:
    """The name without company legal forms (PT Telkom Indonesia Tbk -> Telkom Indonesia); `text` itself when it
    has none or is nothing else (PT)."""
    words = text.split()
    start, end = 0, len(words)
    while start < end - 1 and fold(words[start]) in data.LEGAL_FORMS_LEADING:
        start += 1
    while end - 1 > start and fold(words[end - 1]) in data.LEGAL_FORMS_TRAILING:
        end -= 1
    return " ".join(words[start:end]) if (start, end) != (0, len(words)) else text


def abbreviates(short: str, long: str) -> bool:
    """True when `short` is built from the starts of `long`'s words, in order: initials, one letter per word
    (BUMN = Badan Usaha Milik Negara), or Indonesian syllable acronyms, two or more letters per word (Kemenkeu =
    Kementerian Keuangan, Pemprov = Pemerintah Provinsi). `long` needs two or more words besides stopwords, and a
    word longer than four letters is never taken whole (Jaksa is not short for Jaksa Agung, nor Malaysia for
    Malaysia Airlines)."""
    s = fold(short).replace(" ", "")
    words = [w for w in fold(long).split() if w not in data.ACRONYM_STOPWORDS]
    if len(words) < 2 or not 2 <= len(s) < sum(map(len, words)) or s[0] != words[0][0]:
        return False

    if len(s) == len(words):
        return all(c == w[0] for c, w in zip(s, words))

    @lru_cache(maxsize=None)
    def match(i: int, j: int) -> bool:  # s[i:] spelled by words[j:], two or more letters from each
        if j == len(words):
            return i == len(s)
        word = words[j]
        longest = min(len(word) if len(word) <= 4 else len(word) - 1, len(s) - i)
        return any(s[i:i + k] == word[:k] and match(i + k, j + 1) for k in range(longest, 1, -1))

    return match(0, 0)
