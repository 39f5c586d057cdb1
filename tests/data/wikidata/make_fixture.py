"""Writes the Wikidata dump fixture for tests/kb/test_wikidata.py, in the real dump format.

    python tests/data/wikidata/make_fixture.py      # rewrites the files next to this script (a few KB)

dump.json(.gz/.bz2): a JSON array, `[` first line, `]` last, one entity per line, every entity line but the last
ending in `,`; entities serialised compactly with the key order and statement shape of the real dumps.
malformed.json: the same dump with three damaged lines (a truncated line, invalid JSON, a statement without its
mainsnak). truncated.json.gz: dump.json.gz cut short.

The well-known items carry their real QIDs (Q252 Indonesia, Q30, Q3630 Jakarta, Q60, Q42); the others, and the
facts and sitelink counts, are illustrative. Q900001.. are fixture classes that exercise the P279 closure.
"""
from __future__ import annotations

import bz2
import gzip
import json
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGS = ["en", "id", "de", "fr", "es", "it", "nl", "ja", "ru", "pt", "zh", "ar", "ms", "jv", "su", "ko", "vi", "th",
         "tl", "pl", "sv", "fi", "no", "da", "cs", "hu", "ro", "tr", "el", "he", "fa", "hi", "bn", "ta", "uk", "bg",
         "sr", "hr", "sl", "sk", "lt", "lv", "et", "ca", "eu", "gl", "cy", "ga", "is", "mk", "sq", "hy", "ka", "az",
         "kk", "uz", "ur", "ne", "si", "my", "km", "lo", "mn", "ceb", "war", "min", "ace", "ban", "bug", "mad"]


def text_map(**values) -> dict:
    return {lang.replace("_", "-"): {"language": lang, "value": v} for lang, v in values.items()}


def alias_map(**values) -> dict:
    return {lang: [{"language": lang, "value": v} for v in vs] for lang, vs in values.items()}


def snak(pid: str, value=None, snaktype: str = "value") -> dict:
    s = {"snaktype": snaktype, "property": pid, "hash": f"{zlib.crc32(f'{pid}{value}'.encode()):012x}"}
    if snaktype != "value":
        return {**s, "datatype": "wikibase-item"}
    if isinstance(value, str) and value[:1] == "Q" and value[1:].isdigit():
        dv = {"value": {"entity-type": "item", "numeric-id": int(value[1:]), "id": value}, "type": "wikibase-entityid"}
        return {**s, "datavalue": dv, "datatype": "wikibase-item"}
    if isinstance(value, tuple):  # (text, language): monolingual text
        return {**s, "datavalue": {"value": {"text": value[0], "language": value[1]}, "type": "monolingualtext"},
                "datatype": "monolingualtext"}
    return {**s, "datavalue": {"value": value, "type": "string"}, "datatype": "external-id"}


def st(pid: str, value=None, rank: str = "normal", snaktype: str = "value") -> tuple[str, dict]:
    statement = {"mainsnak": snak(pid, value, snaktype), "type": "statement", "rank": rank}
    if pid == "P17":  # a reference, as most real statements have (kept to one property: the fixture stays small)
        statement["references"] = [{"hash": "fa278ebfc458360e5aed63d5058cca83c46134f1",
                                    "snaks": {"P143": [snak("P143", "Q328")]}, "snaks-order": ["P143"]}]
    return pid, statement


def sites(n: int, **titles) -> dict:
    """The named sitelinks (idwiki=..., enwiki=..., commonswiki=...) plus filler Wikipedias (never idwiki/enwiki) up
    to n Wikipedia editions; the filler reuse the first title. commonswiki is not a Wikipedia (the prior skips it)."""
    first = next(iter(titles.values()), "X")
    wikipedias = [k for k in titles if k != "commonswiki"]
    filler = [f"{lang}wiki" for lang in LANGS if lang not in ("en", "id") and f"{lang}wiki" not in wikipedias]
    keys = wikipedias + filler[: max(n - len(wikipedias), 0)] + [k for k in titles if k == "commonswiki"]
    return {k: {"site": k, "title": titles.get(k, first), "badges": []} for k in keys}


def entity(eid: str, claims: list[tuple[str, dict]] = (), labels=None, descriptions=None, aliases=None,
           sitelinks=None, kind: str = "item") -> dict:
    grouped: dict[str, list] = {}
    for i, (pid, statement) in enumerate(claims):
        grouped.setdefault(pid, []).append({**statement, "id": f"{eid}${i:08d}-0000-4000-8000-000000000000"})
    ent = {"type": kind, "id": eid}
    if kind == "property":
        ent["datatype"] = "wikibase-item"
    ent.update({"labels": labels or {}, "descriptions": descriptions or {}, "aliases": aliases or {},
                "claims": grouped})
    if kind == "item":
        ent["sitelinks"] = sitelinks or {}
    ns = {"item": 0, "property": 120, "lexeme": 146}[kind]
    return {**ent, "pageid": 1000 + zlib.crc32(eid.encode()) % 10**6, "ns": ns,
            "title": eid if kind == "item" else f"Property:{eid}", "lastrevid": 2000000000,
            "modified": "2025-01-01T00:00:00Z"}


def cls(qid: str, en: str, *parents, deprecated=()) -> dict:
    claims = [st("P279", p) for p in parents] + [st("P279", p, rank="deprecated") for p in deprecated]
    return entity(qid, claims, labels=text_map(en=en), sitelinks=sites(1, enwiki=en.capitalize()))


def entities() -> list[dict]:
    I = lambda *qs: [st("P31", q) for q in qs]  # noqa: E731
    return [
        # classes (P279 hierarchy; mapped roots and fixture classes)
        cls("Q5", "human", "Q215627"),
        cls("Q515", "city", "Q486972"),
        cls("Q5119", "capital", "Q515"),
        cls("Q486972", "human settlement", "Q2221906"),
        cls("Q4830453", "business", "Q43229"),
        cls("Q783794", "company", "Q4830453"),
        cls("Q900001", "metropolis (fixture class)", "Q515"),
        cls("Q900002", "megacity (fixture class)", "Q900001"),
        cls("Q900003", "company town (fixture class)", "Q783794", "Q486972"),      # ORG and LOC at 1 step: a tie
        cls("Q900004", "holding (fixture class)", "Q4830453", "Q900002"),           # ORG at 1 step, LOC at 3
        cls("Q900005", "cyclic class A (fixture)", "Q900006"),
        cls("Q900006", "cyclic class B (fixture)", "Q900005", "Q3918"),
        cls("Q900007", "deprecated subclass (fixture)", deprecated=["Q5"]),
        cls("Q900008", "province of Indonesia (fixture class)", "Q10864048"),
        cls("Q900009", "bank (fixture class)", "Q4830453"),
        cls("Q900010", "below a tie (fixture class)", "Q900003"),
        # countries (P297 gives the ISO code used for every item's country)
        entity("Q252", I("Q3624078", "Q6256") + [st("P297", "ID"), st("P17", "Q252"), st("P1813", ("RI", "id"))],
               text_map(id="Indonesia", en="Indonesia", jv="Indonésia", fr="Indonésie"),
               text_map(id="negara di Asia Tenggara", en="country in Southeast Asia"),
               alias_map(id=["Republik Indonesia", "NKRI"], en=["Republic of Indonesia"]),
               sites(20, idwiki="Indonesia", enwiki="Indonesia")),
        entity("Q30", I("Q3624078") + [st("P297", "US"), st("P297", "UM", rank="deprecated"), st("P17", "Q30"),
                                        st("P1813", ("USA", "en")), st("P1813", ("AS", "id"))],
               text_map(id="Amerika Serikat", en="United States of America"), text_map(en="country in North America"),
               alias_map(en=["USA", "United States"], id=["Amerika"]),
               sites(24, idwiki="Amerika Serikat", enwiki="United States")),
        entity("Q833", I("Q3624078") + [st("P297", "MY")], text_map(ms="Malaysia", en="Malaysia"),
               sitelinks=sites(19, enwiki="Malaysia", mswiki="Malaysia")),
        # places
        entity("Q3630", I("Q5119", "Q900001") + [st("P17", "Q252")],
               text_map(id="Jakarta", en="Jakarta", ms="Jakarta", jv="Jakarta"), text_map(id="ibu kota Indonesia"),
               alias_map(id=["DKI Jakarta", "Daerah Khusus Ibukota Jakarta"], en=["Batavia"]),
               sites(14, idwiki="Jakarta", enwiki="Jakarta")),
        entity("Q1000001", I("Q900002") + [st("P17", "Q252")], text_map(id="Surabaya", en="Surabaya"),
               sitelinks=sites(10, idwiki="Surabaya", enwiki="Surabaya")),
        entity("Q1000002", I("Q515") + [st("P17", "Q30", rank="deprecated"), st("P17", "Q252")],
               text_map(id="Bandung", en="Bandung", su="Bandung"), aliases=alias_map(su=["Kota Kembang"]),
               sitelinks=sites(9, idwiki="Bandung", enwiki="Bandung")),
        entity("Q1000003", I("Q3191695") + [st("P17", "Q252")], text_map(id="Kabupaten Bogor", en="Bogor Regency"),
               text_map(id="kabupaten di Jawa Barat"), sitelinks=sites(2, idwiki="Kabupaten Bogor")),
        entity("Q1000004", I("Q900008") + [st("P17", "Q252")], text_map(id="Jawa Barat", en="West Java"),
               aliases=alias_map(id=["Jabar"]), sitelinks=sites(12, idwiki="Jawa Barat", enwiki="West Java")),
        entity("Q1000005", I("Q23442") + [st("P17", "Q30"), st("P17", "Q252", rank="preferred")],
               text_map(id="Bali", en="Bali"), sitelinks=sites(15, idwiki="Bali", enwiki="Bali")),
        entity("Q60", I("Q1549591") + [st("P17", "Q30")], text_map(en="New York City", id="New York"),
               aliases=alias_map(en=["NYC", "New York"]), sitelinks=sites(22, enwiki="New York City")),
        entity("Q1000006", I("Q1248784") + [st("P17", "Q252"), st("P1813", ("CGK", "en"))],
               text_map(id="Bandar Udara Internasional Soekarno–Hatta", en="Soekarno–Hatta International Airport"),
               sitelinks=sites(4, idwiki="Bandar Udara Internasional Soekarno–Hatta")),
        # people
        entity("Q42", I("Q5") + [st("P27", "Q145")], text_map(en="Douglas Adams", id="Douglas Adams"),
               text_map(en="English writer and humorist"), alias_map(en=["Douglas Noël Adams", "DNA"]),
               sites(17, enwiki="Douglas Adams", commonswiki="Category:Douglas Adams")),
        entity("Q1000010", I("Q5") + [st("P27", "Q252")], text_map(id="Joko Widodo", en="Joko Widodo"),
               text_map(id="Presiden Indonesia ke-7", en="7th president of Indonesia"),
               alias_map(id=["Jokowi"], en=["Jokowi"]), sites(16, idwiki="Joko Widodo", enwiki="Joko Widodo")),
        entity("Q1000011", I("Q5") + [st("P27", "Q252"), st("P17", "Q30")], text_map(id="Prabowo Subianto"),
               aliases=alias_map(id=["Prabowo"]), sitelinks=sites(14, idwiki="Prabowo Subianto")),
        entity("Q1000012", I("Q5") + [st("P27", "Q1000099")],  # citizenship item not in the dump: no code
               {**text_map(mul="Kim Jong Un", en="Kim Jong-un"), "ko": {"language": "ko", "value": "김정은"}},
               sitelinks=sites(15, enwiki="Kim Jong Un")),
        entity("Q1000013", I("Q5") + [st("P27", "Q833")], text_map(ms="Anwar Ibrahim"),
               sitelinks=sites(10, enwiki="Anwar Ibrahim", mswiki="Anwar Ibrahim")),
        entity("Q1000014", I("Q5") + [st("P27", snaktype="novalue")], text_map(id="Tan Malaka"),
               sitelinks=sites(3, idwiki="Tan Malaka")),
        entity("Q1000015", [st("P31", snaktype="somevalue"), st("P31", "Q5")], text_map(id="Chairil Anwar"),
               sitelinks=sites(3, idwiki="Chairil Anwar")),
        entity("Q1000016", [st("P31", "Q5", rank="deprecated")], text_map(id="Deprecated Person"),
               sitelinks=sites(1, idwiki="Deprecated Person")),
        entity("Q1000017", [st("P31", "Q515", rank="deprecated"), st("P31", "Q5")],
               text_map(en="Sukarno", id="Soekarno"), aliases=alias_map(id=["Bung Karno", "Sukarno"]),
               sitelinks=sites(24, idwiki="Soekarno", enwiki="Sukarno")),
        entity("Q1000018", I("Q5") + [st("P27", "Q252")], text_map(jv="Ki Hajar Dewantara"),
               sitelinks=sites(1, jvwiki="Ki Hajar Dewantara")),                      # no idwiki/enwiki
        entity("Q1000019", I("Q5"), text_map(en="Unlinked Person")),                   # no sitelinks at all
        entity("Q1000020", I("Q5"), text_map(fr="Personne Inconnue"), sitelinks=sites(1, enwiki="Unknown Person")),
        entity("Q1000021", I("Q5"), text_map(fr="Personne Sans Lien")),                  # no label, no article
        # organisations
        entity("Q1000030", I("Q46970") + [st("P17", "Q252"), st("P1813", ("GA", "en"))],
               text_map(id="Garuda Indonesia", en="Garuda Indonesia"), sitelinks=sites(10, idwiki="Garuda Indonesia")),
        entity("Q1000031", I("Q891723") + [st("P17", "Q252"), st("P1813", ("Telkom", "id")),
                                            st("P1813", ("テルコム", "ja"))],
               text_map(id="Telkom Indonesia", en="Telkom Indonesia"), sitelinks=sites(4, idwiki="Telkom Indonesia")),
        entity("Q1000032", I("Q900009") + [st("P17", "Q252"), st("P1813", ("BCA", "id"))],
               text_map(id="Bank Central Asia"), sitelinks=sites(3, idwiki="Bank Central Asia")),
        entity("Q1000033", I("Q476028") + [st("P17", "Q252")], text_map(id="Persija Jakarta"),
               aliases=alias_map(id=["Macan Kemayoran"]),
               sitelinks=sites(7, idwiki="Persija Jakarta", enwiki="Persija Jakarta")),
        entity("Q1000034", I("Q6979593") + [st("P17", "Q252")], text_map(id="Tim nasional sepak bola Indonesia"),
               sitelinks=sites(14, enwiki="Indonesia national football team")),
        entity("Q1000035", I("Q7278") + [st("P17", "Q252"), st("P1813", ("PDI-P", "id")),
                                          st("P1813", ("PDIP", "id"))],
               text_map(id="Partai Demokrasi Indonesia Perjuangan", en="Indonesian Democratic Party of Struggle"),
               sitelinks=sites(5, idwiki="Partai Demokrasi Indonesia Perjuangan")),
        entity("Q1000036", I("Q3918") + [st("P17", "Q252"), st("P1813", ("UI", "id"))],
               text_map(id="Universitas Indonesia"), sitelinks=sites(6, idwiki="Universitas Indonesia")),
        entity("Q1000037", I("Q11032") + [st("P17", "Q252")], text_map(id="Kompas"),
               sitelinks=sites(2, idwiki="Kompas")),
        entity("Q1000038", I("Q1616075") + [st("P17", "Q252")], text_map(id="TVRI"),
               sitelinks=sites(2, idwiki="TVRI")),
        entity("Q1000039", I("Q484652"), text_map(id="Perhimpunan Bangsa-Bangsa Asia Tenggara", en="ASEAN"),
               aliases=alias_map(id=["ASEAN"]), sitelinks=sites(27, idwiki="ASEAN", enwiki="ASEAN")),
        entity("Q1000040", I("Q192350") + [st("P17", "Q252")], text_map(id="Kementerian Keuangan"),
               aliases=alias_map(id=["Kemenkeu"]),
               sitelinks=sites(2, idwiki="Kementerian Keuangan Republik Indonesia")),
        entity("Q1000041", I("Q215380") + [st("P17", "Q252")], text_map(id="Slank"),
               sitelinks=sites(2, idwiki="Slank")),
        entity("Q1000042", I("Q431289"), text_map(id="Indomie"), sitelinks=sites(4, idwiki="Indomie")),
        # typing through the closure: nearest wins, ties skip, cycles, deprecated edges, unmapped classes
        entity("Q1000050", I("Q900003"), text_map(en="Tie Town"), sitelinks=sites(1, enwiki="Tie Town")),
        entity("Q1000051", I("Q900004"), text_map(en="Nearest Holding"), sitelinks=sites(1, enwiki="Nearest Holding")),
        entity("Q1000052", I("Q900005"), text_map(en="Cyclic Institute"),
               sitelinks=sites(1, enwiki="Cyclic Institute")),
        entity("Q1000053", I("Q900007"), text_map(en="Deprecated Edge Thing"), sitelinks=sites(1, enwiki="Thing")),
        entity("Q1000054", I("Q11424"), text_map(en="Some Film", id="Sebuah Film"), sitelinks=sites(3, enwiki="Film")),
        entity("Q1000055", I("Q900010"), text_map(en="Below Tie"), sitelinks=sites(1, enwiki="Below Tie")),
        # not items
        entity("P17", I("Q18608871"), text_map(en="country", id="negara"), kind="property"),
        {"type": "lexeme", "id": "L7", "lemmas": text_map(id="kota"), "lexicalCategory": "Q1084", "language": "Q9240",
         "claims": {"P31": [st("P31", "Q5")[1]]}, "forms": [], "senses": [], "pageid": 54387, "ns": 146,
         "title": "Lexeme:L7", "lastrevid": 2000000000, "modified": "2025-01-01T00:00:00Z"},
    ]


def dump_text(lines: list[str]) -> str:
    return "[\n" + ",\n".join(lines) + "\n]\n"


def main() -> None:
    lines = [json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in entities()]
    text = dump_text(lines)
    (HERE / "dump.json").write_text(text, encoding="utf-8")
    data = text.encode()
    (HERE / "dump.json.gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    (HERE / "dump.json.bz2").write_bytes(bz2.compress(data, compresslevel=9))
    bad = list(lines)
    bad[20] = bad[20][: len(bad[20]) // 2]                                  # file line 22: truncated
    bad[30] = bad[30].replace('"labels":{', '"labels":{{', 1)               # file line 32: invalid JSON
    bad[40] = bad[40].replace('"mainsnak"', '"mainsnack"', 1)               # file line 42: no mainsnak
    (HERE / "malformed.json").write_text(dump_text(bad), encoding="utf-8")
    gz = (HERE / "dump.json.gz").read_bytes()
    (HERE / "truncated.json.gz").write_bytes(gz[: len(gz) * 3 // 5])


if __name__ == "__main__":
    main()
