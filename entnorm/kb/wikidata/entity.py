"""One Wikidata entity (a parsed dump line) -> what the importer keeps of it.

Pure functions, run in the worker processes: the P279 edges and P297 code of any item (for the class closure and
the country codes), and a *candidate* for items that may become records. A candidate is typed only at the end of
the run (`build.finalize`), once every P279 edge of the dump is known, so the dump is read once.

Statement rules: deprecated statements are ignored; preferred ones come first; `novalue` / `somevalue` snaks carry
no datavalue and are ignored; a statement whose value has an unexpected shape raises (the line is reported as
malformed by the caller).
"""
from __future__ import annotations

import math
from array import array

DEFAULT_LANGS = ("id", "mul", "en", "ms", "jv", "su")  # name order: Indonesian label, else mul, else English, ...
DESCRIPTION_LANGS = ("id", "en")
FILTER_SITES = ("idwiki", "enwiki")
# Sitelink keys that end in "wiki" but are not a Wikipedia language edition (the prior counts Wikipedias only).
NOT_WIKIPEDIA = frozenset({"commonswiki", "specieswiki", "metawiki", "mediawikiwiki", "wikidatawiki", "sourceswiki",
                           "wikimaniawiki", "outreachwiki", "incubatorwiki", "foundationwiki", "wikifunctionswiki",
                           "wikimania2005wiki", "wikitech"})
PRIOR_CAP = 255  # Wikipedia editions at which the prior reaches 1 (only the top few hundred items get there)


def prior_from_sitelinks(n: int) -> float:
    """Popularity prior in [0, 1] from the number of Wikipedia editions with an article: log(1+n) / log(1+CAP),
    capped at 1, rounded to 3 decimals. Monotone: 0 -> 0, 1 -> 0.125, 3 -> 0.25, 15 -> 0.5, 63 -> 0.75, 255+ -> 1."""
    return round(min(1.0, math.log1p(max(n, 0)) / math.log1p(PRIOR_CAP)), 3)


def wikipedia_count(sitelinks: dict) -> int:
    return sum(1 for site in sitelinks if site.endswith("wiki") and site not in NOT_WIKIPEDIA)


def statements(ent: dict, pid: str) -> list[dict]:
    """Datavalue values of property `pid`: deprecated and novalue/somevalue snaks dropped, preferred rank first."""
    preferred, normal = [], []
    for st in (ent.get("claims") or {}).get(pid, ()):  # an empty map is `[]` in the dump
        rank = st.get("rank", "normal")
        snak = st["mainsnak"]
        if rank == "deprecated" or snak.get("snaktype", "value") != "value" or "datavalue" not in snak:
            continue
        (preferred if rank == "preferred" else normal).append(snak["datavalue"]["value"])
    return preferred + normal


def item_refs(ent: dict, pid: str) -> list[int]:
    """Numeric ids of the items that `pid` points to ("Q5" -> 5), in statement order (see `statements`)."""
    out = []
    for v in statements(ent, pid):
        if v.get("entity-type", "item") != "item":
            continue
        n = v.get("numeric-id")
        out.append(int(n) if n is not None else int(v["id"][1:]))
    return out


def class_facts(ent: dict, qnum: int, edges: array, isos: list) -> None:
    """Append the item's P279 edges (child, parent pairs, flat) to `edges` and its P297 code to `isos`."""
    for parent in item_refs(ent, "P279"):
        edges.append(qnum)
        edges.append(parent)
    for code in statements(ent, "P297"):
        if isinstance(code, str) and len(code) == 2 and code.isalpha():
            isos.append((qnum, code.upper()))
            break


def _value(d: dict | None) -> str:
    v = (d or {}).get("value")
    return v.strip() if isinstance(v, str) else ""


def names(ent: dict, langs: tuple[str, ...]) -> tuple[str, list[str]]:
    """(display name, aliases): the name is the label of the first language in `langs` that has one ("" when none
    does); the aliases are the other labels, the aliases and the P1813 short names in `langs`, deduplicated."""
    labels, alias_map = ent.get("labels") or {}, ent.get("aliases") or {}
    found = [v for lang in langs if (v := _value(labels.get(lang)))]
    name = found[0] if found else ""
    found += [v for lang in langs for a in alias_map.get(lang, ()) if (v := _value(a))]
    wanted = set(langs)
    for mono in statements(ent, "P1813"):
        if isinstance(mono, dict) and mono.get("language") in wanted and (text := str(mono.get("text", "")).strip()):
            found.append(text)
    return name, [a for a in dict.fromkeys(found) if a != name]


def description(ent: dict) -> str:
    descs = ent.get("descriptions") or {}
    return next((v for lang in DESCRIPTION_LANGS if (v := _value(descs.get(lang)))), "")


def candidate(ent: dict, qnum: int, langs: tuple[str, ...], all_labelled: bool) -> tuple[tuple | None, str]:
    """(candidate, "") for an item that may become a record, else (None, reason skipped).

    candidate = (qnum, P31 class numbers, name, aliases, description, P17 country, P27 country, prior, refs)."""
    p31 = item_refs(ent, "P31")
    if not p31:
        return None, "no P31 value (missing, deprecated, or novalue/somevalue)"
    sitelinks = ent.get("sitelinks") or {}
    titles = {site: t for site in FILTER_SITES if (t := (sitelinks.get(site) or {}).get("title"))}
    if not all_labelled and not titles:
        return None, "no idwiki/enwiki article"
    name, aliases = names(ent, langs)
    if not name and not all_labelled:  # kept for its article: the article title stands in for the label
        name = next(iter(titles.values()))
        aliases = [a for a in aliases if a != name]
    if not name:
        return None, "no label in the chosen languages"
    p17, p27 = item_refs(ent, "P17"), item_refs(ent, "P27")
    return (qnum, tuple(p31), name, tuple(aliases), description(ent), p17[0] if p17 else 0, p27[0] if p27 else 0,
            prior_from_sitelinks(wikipedia_count(sitelinks)), titles), ""
