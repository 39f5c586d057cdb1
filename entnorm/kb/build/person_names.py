"""Person names as the EveryPolitician sources write them, turned into the forms Indonesian news writes:
titles and degrees stripped, `Surname, Given` reordered, Cyrillic romanised English-style, pre-1972
Indonesian spellings modernised.

Reads: data/person_names.yaml, data/cyrillic_latin.csv. Writes nothing.
"""
from __future__ import annotations

import re

from unidecode import unidecode

from .tables import csv_table, yaml_table
from .text import clean_space, is_latin, scripts_of

WORDS = yaml_table("person_names.yaml")
TITLE_PREFIX = re.compile(r"^(?:(?:" + "|".join(WORDS["title_prefixes"]) + r")\.?\s+)+")
DEGREE_SUFFIX = re.compile(r"(?:,?\s*(?:" + "|".join(WORDS["degree_suffixes"]) + r")\.?)+$")
COMMA_STYLE = re.compile(r"\b(of|the|de|von)\b|" + "|".join(WORDS["comma_styles"]))
CYR_PATRONYMIC = re.compile(r"(ович|евич|ьич|ич|овна|евна|ична|івна|ївна|инична)$", re.I)
CYRILLIC_LATIN = {row["cyrillic"]: row["latin"] for row in csv_table("cyrillic_latin.csv")}
LOWER_PARTICLES = ("BIN", "BINTI", "A/L", "A/P")  # Malay name particles stay lower case when title-casing


def clean_person_name(raw: str, iso: str) -> list[str]:
    """The forms of one source name to use as aliases (empty when it is no name)."""
    n = clean_space(raw)
    if not n or re.fullmatch(r"Q\d+", n):
        return []
    n = re.sub(r"\s*\([^)]*\)\s*$", "", n)  # "(politician)"
    if "," in n and not re.search(r",\s*(Jr|Sr|S\.H|M\.)", n):
        parts = [p.strip() for p in n.split(",")]
        if len(parts) == 2 and parts[0] and parts[1]:
            if COMMA_STYLE.search(parts[1]):
                n = parts[0]  # "Henri, Grand Duke of Luxembourg"
            elif len(parts[1].split()) <= 3 and len(parts[0].split()) <= 2:
                n = f"{parts[1]} {parts[0]}"  # "Колесников, Михаил Петрович"
    n2 = re.sub(r"(?<=[a-z])(S\.H|M\.M)\.?$", "", n)  # "Tjahjo KumoloS.H"
    n2 = DEGREE_SUFFIX.sub("", n2).strip(" ,")
    n2 = TITLE_PREFIX.sub("", n2).strip()
    if n2 and n2.isupper() and is_latin(n2):
        n2 = " ".join(w.capitalize() if w not in LOWER_PARTICLES else w.lower() for w in n2.split())
    out = [n2] if n2 else []
    if scripts_of(n2) == {"CYRILLIC"}:
        toks = n2.split()
        # Ukrainian/Russian "Surname Given Patronymic" (no comma) -> "Given Patronymic Surname"
        if len(toks) == 3 and CYR_PATRONYMIC.search(toks[2]) and not CYR_PATRONYMIC.search(toks[1]):
            n2 = f"{toks[1]} {toks[2]} {toks[0]}"
            out = [n2]
            toks = n2.split()
        if len(toks) == 3 and CYR_PATRONYMIC.search(toks[1]):
            out.append(f"{toks[0]} {toks[2]}")
    return out


def translit_cyrillic(text: str, iso: str) -> str:
    """English-style (KBBI-recommended) romanisation of Russian/Ukrainian names: zh, kh, ts, ch, sh, yu, ya."""
    ua = iso == "UA" or bool(re.search(r"[іїєґ]", text.lower()))
    out = []
    for word in text.split():
        w = []
        prev = ""
        for i, ch in enumerate(word):
            lo = ch.lower()
            if ua and lo == "г":
                t = "h"
            elif ua and lo == "и":
                t = "y"
            elif lo == "е" and (i == 0 or prev in "аеёиоуыэюяіїєьъ") and not ua:
                t = "ye"
            elif lo == "й" and prev in "иы" and i == len(word) - 1:
                t = "y"
            else:
                t = CYRILLIC_LATIN.get(lo, unidecode(ch))
            if ch.isupper() and t:
                t = t[0].upper() + t[1:]
            w.append(t)
            prev = lo
        out.append("".join(w))
    return " ".join(out)


def eyd_variants(name: str) -> list[str]:
    """Pre-1972 Indonesian spellings -> EYD (Soekarno -> Sukarno, Tjahjo -> Cahyo). Only for names that
    show an unambiguous old-spelling marker, so modern names with 'j' (Joko) are left alone."""
    if not re.search(r"oe|dj|tj|sj|nj", name, re.I):
        return []

    def case(rep: str, m: re.Match) -> str:
        return rep.capitalize() if m.group(0)[0].isupper() else rep
    s = re.sub(r"(?i)oe", lambda m: case("u", m), name)
    s = re.sub(r"(?i)dj", lambda m: case("\x01", m), s)
    s = re.sub(r"(?i)tj", lambda m: case("c", m), s)
    s = re.sub(r"(?i)sj", lambda m: case("sy", m), s)
    s = re.sub(r"(?i)nj", lambda m: case("ny", m), s)
    s = re.sub(r"j", "y", s)
    s = re.sub(r"J", "Y", s)
    s = s.replace("\x01", "j")
    s = re.sub(r"(^|\s)j", lambda m: m.group(1) + "J", s)
    out = [s] if s != name else []
    # partial modernisation (only oe -> u) is common in news: "Soeharto" -> "Suharto"
    s2 = re.sub(r"(?i)oe", lambda m: case("u", m), name)
    if s2 != name and s2 not in out:
        out.append(s2)
    return out
