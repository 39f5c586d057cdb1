"""String helpers shared by the build modules: whitespace clean-up, Unicode script of a name, slugs, the casing
of BPS names, years of office. Reads and writes nothing.

Equality of names is always tested on `entnorm.names.fold`, the folding the runtime matches with.
"""
from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

WS = re.compile(r"\s+")
_script_cache: dict[str, str | None] = {}
_BPS_UPPER = ("DKI", "DI", "II", "III", "IV", "NTB", "NTT")  # acronyms and numerals kept in capitals


def char_script(ch: str) -> str | None:
    """Unicode script of a letter (LATIN, CYRILLIC, HANGUL, ARABIC, HAN for CJK ideographs, ...); None if no letter."""
    s = _script_cache.get(ch)
    if s is None and ch not in _script_cache:
        if not ch.isalpha():
            s = None
        else:
            nm = unicodedata.name(ch, "")
            if nm.startswith("CJK") or nm.startswith("IDEOGRAPHIC"):
                s = "HAN"
            else:
                s = nm.split(" ")[0] if nm else "UNKNOWN"
        _script_cache[ch] = s
    return s


def scripts_of(text: str) -> set[str]:
    return {s for s in (char_script(c) for c in text) if s}


def is_latin(text: str) -> bool:
    return scripts_of(text) == {"LATIN"}


def clean_space(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\u200b", "").replace("\u200c", " ").replace("\u00a0", " ").replace("’", "'")
    return WS.sub(" ", text).strip(" ,;")


def slugify(text: str) -> str:
    t = unidecode(text).lower()
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    return t[:60].strip("-") or "x"


def title_id(text: str) -> str:
    """'KEP. BANGKA BELITUNG' -> 'Kepulauan Bangka Belitung' (Indonesian admin names from BPS)."""
    t = clean_space(text).replace("KEP. ", "KEPULAUAN ").replace("ADM. ", "")
    out = []
    for w in t.split(" "):
        if w in _BPS_UPPER:
            out.append(w)
        elif w == "DAN":
            out.append(w.lower())
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def year(span: str) -> int | None:
    """The year a date or span starts with ('2012-05-07' -> 2012), None when it has none."""
    m = re.match(r"(\d{4})", span or "")
    return int(m.group(1)) if m else None
