#!/usr/bin/env python3
"""Build the generated gazetteer (gazetteer/generated/*.yaml) from the shared gazetteer sources.

    python scripts/build_gazetteer.py            # reads $ENTNORM_DATA (default ../shared/data)
    python scripts/build_gazetteer.py --check    # build in memory, print counts, write nothing

Inputs (never copied into git) live under ``entnorm.settings.data_dir() / "gazetteer-sources"``; the
Indonesian news sentences under ``data_dir() / "text"`` are only used for statistics (which spelling is
the common news form, which single words are ordinary Indonesian words and so unsafe as aliases).
Hand-written records in ``gazetteer/curated/*.yaml`` are read, never written: when a curated record has
the same id as a generated one, the curated record wins and the generated one is left out.

The schema, the prior formulas and the counts are documented in docs/gazetteer.md.
"""
from __future__ import annotations

import argparse
import collections
import csv
import glob
import json
import math
import os
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rapidfuzz import fuzz
from unidecode import unidecode

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
from entnorm.settings import data_dir, gazetteer_dir  # noqa: E402

csv.field_size_limit(10_000_000)

TYPES = ("PER", "LOC", "ORG")
MAX_FILE_BYTES = 8 * 1024 * 1024
KEY_ORDER = ("id", "type", "name", "aliases", "kind", "country", "description", "prior", "refs", "source", "curated")

# --------------------------------------------------------------------------------------------------
# Small hand-made tables (build knowledge, documented in docs/gazetteer.md). Everything else is data.
# --------------------------------------------------------------------------------------------------

# Indonesian news forms of countries that none of the sources carry (abbreviations, epithets, old forms).
# Keyed by ISO alpha-2. The first entry, when given, is the display name.
ID_COUNTRY_FORMS: dict[str, list[str]] = {
    "ID": ["Indonesia", "RI", "Republik Indonesia", "NKRI", "Negara Kesatuan Republik Indonesia"],
    "US": ["Amerika Serikat", "AS", "Amerika", "USA", "U.S.", "Negeri Paman Sam", "United States of America"],
    "CN": ["Tiongkok", "China", "Cina", "RRT", "RRC", "Republik Rakyat Tiongkok", "Republik Rakyat China",
           "Republik Rakyat Cina", "Negeri Tirai Bambu", "PRC"],
    "GB": ["Inggris", "Britania Raya", "Inggris Raya", "UK", "Kerajaan Bersatu", "United Kingdom"],
    "FR": ["Prancis", "Perancis"],
    "KP": ["Korea Utara", "Korut", "DPRK", "RRDK", "Republik Rakyat Demokratik Korea", "Republik Demokratik Rakyat Korea"],
    "KR": ["Korea Selatan", "Korsel", "Republik Korea", "ROK", "Negeri Ginseng"],
    "RU": ["Rusia", "Federasi Rusia", "Rusland"],
    "NL": ["Belanda", "Negeri Belanda", "Negeri Kincir Angin", "Holland"],
    "DE": ["Jerman", "Republik Federal Jerman"],
    "JP": ["Jepang", "Negeri Sakura", "Nippon", "Japan"],
    "UA": ["Ukraina", "Ukrainia"],
    "BY": ["Belarus", "Belarusia", "Byelorusia"],
    "TL": ["Timor Leste", "Timor-Leste", "Timor Lorosae", "RDTL"],
    "AE": ["Uni Emirat Arab", "UEA", "Persatuan Emirat Arab", "PEA"],
    "SA": ["Arab Saudi", "Saudi Arabia", "Saudi"],
    "ZA": ["Afrika Selatan", "Afsel"],
    "PG": ["Papua Nugini", "PNG", "Papua New Guinea"],
    "MY": ["Malaysia", "Negeri Jiran"],
    "SG": ["Singapura", "Negeri Singa"],
    "TH": ["Thailand", "Tailan", "Muangthai", "Siam"],
    "PH": ["Filipina"],
    "TR": ["Turki", "Turkiye", "Türkiye"],
    "SY": ["Suriah", "Syria"],
    "EG": ["Mesir"],
    "IL": ["Israel"],
    "PS": ["Palestina"],
    "IR": ["Iran"],
    "IQ": ["Irak"],
    "JO": ["Yordania"],
    "NZ": ["Selandia Baru"],
    "CZ": ["Ceko", "Republik Ceko", "Cheska"],
    "MM": ["Myanmar", "Burma"],
    "VN": ["Vietnam"],
    "TW": ["Taiwan", "Republik Tiongkok", "Republic of China"],
    "VA": ["Vatikan", "Takhta Suci"],
    "CH": ["Swiss", "Swis"],
    "HK": ["Hong Kong", "Hongkong"],
    "MO": ["Makau", "Macau", "Makao"],
}

# Indonesian exonyms/common news forms for cities, keyed by Wikidata QID (supplements the exonym seed).
ID_CITY_FORMS: dict[str, list[str]] = {
    # "<Natural Earth English name>|<ISO>": [display form first, then variants]
    "Moscow|RU": ["Moskow", "Moskwa", "Moscow"],
    "Kiev|UA": ["Kyiv", "Kiev", "Kiyv", "Kiyev"],
    "Kharkiv|UA": ["Kharkiv", "Kharkov"],
    "Beijing|CN": ["Beijing", "Peking"],
    "Pyongyang|KP": ["Pyongyang", "Pyeongyang", "Piongyang"],
    "Seoul|KR": ["Seoul"],
    "Geneva|CH": ["Jenewa", "Geneva", "Genewa"],
    "The Hague|NL": ["Den Haag", "The Hague"],
    "Vienna|AT": ["Wina", "Vienna"],
    "Jerusalem|IL": ["Yerusalem", "Jerusalem", "Al-Quds"],
    "Cairo|EG": ["Kairo", "Cairo"],
    "Tehran|IR": ["Teheran", "Tehran"],
    "Damascus|SY": ["Damaskus", "Damascus"],
    "Athens|GR": ["Athena", "Athens"],
    "Rome|IT": ["Roma", "Rome"],
    "Prague|CZ": ["Praha", "Prague"],
    "Copenhagen|DK": ["Kopenhagen", "Copenhagen"],
    "Warsaw|PL": ["Warsawa", "Warsaw"],
    "New York|US": ["New York", "New York City", "Kota New York"],
    "Washington, D.C.|US": ["Washington, D.C.", "Washington DC", "Washington"],
    "Tokyo|JP": ["Tokyo", "Tokio"],
    "New Delhi|IN": ["New Delhi", "Delhi Baru"],
    "Kuala Lumpur|MY": ["Kuala Lumpur", "KL"],
    "Mecca|SA": ["Mekah", "Makkah", "Mecca", "Mekkah"],
    "Medina|SA": ["Madinah", "Medina"],
    "Baghdad|IQ": ["Bagdad", "Baghdad"],
    "Ho Chi Minh City|VN": ["Ho Chi Minh", "Kota Ho Chi Minh", "Saigon"],
    "St. Petersburg|RU": ["Sankt Peterburg", "Saint Petersburg", "St. Petersburg", "Leningrad"],
    "Zurich|CH": ["Zurich", "Zürich"],
    "Brussels|BE": ["Brussel", "Brussels", "Bruxelles"],
    "Gaza|PS": ["Gaza", "Kota Gaza", "Gaza City"],
    "Tel Aviv-Yafo|IL": ["Tel Aviv", "Tel Aviv-Yafo"],
    "Odessa|UA": ["Odesa", "Odessa"],
    "Lviv|UA": ["Lviv", "Lvov", "Lemberg"],
    "Mexico City|MX": ["Mexico City", "Kota Meksiko"],
    "Singapore|SG": ["Singapura", "Singapore"],
    "Hong Kong|HK": ["Hong Kong", "Hongkong"],
    "Jakarta|ID": ["Jakarta", "Djakarta", "Batavia", "Ibu Kota Jakarta"],
}

# Older/other English country names used in position labels ("President of Turkey").
EN_COUNTRY_EXTRA = {"Turkey": "TR", "Czech Republic": "CZ", "Swaziland": "SZ", "Burma": "MM", "Ivory Coast": "CI",
                    "Macedonia": "MK", "Republic of Macedonia": "MK", "East Timor": "TL", "Cape Verde": "CV",
                    "Holland": "NL", "Vatican City": "VA", "Holy See": "VA", "Republic of China": "TW",
                    "People's Republic of China": "CN", "Russian Federation": "RU", "Republic of Korea": "KR",
                    "Democratic People's Republic of Korea": "KP", "Korea": "KR", "Palestine": "PS",
                    "State of Palestine": "PS", "Kingdom of the Netherlands": "NL", "United States of America": "US"}

# Common abbreviations / spellings of Indonesian provinces (BPS 2-digit code -> extra aliases).
ID_PROVINCE_FORMS: dict[str, list[str]] = {
    "11": ["Nanggroe Aceh Darussalam", "NAD", "Daerah Istimewa Aceh"],
    "12": ["Sumut", "Sumatra Utara"],
    "13": ["Sumbar", "Sumatra Barat"],
    "14": [],
    "15": [],
    "16": ["Sumsel", "Sumatra Selatan"],
    "17": [],
    "18": [],
    "19": ["Babel", "Bangka Belitung", "Kepulauan Bangka Belitung"],
    "21": ["Kepri", "Kepulauan Riau"],
    "31": ["DKI Jakarta", "DKI", "Daerah Khusus Ibukota Jakarta", "Daerah Khusus Ibu Kota Jakarta",
           "Provinsi DKI Jakarta", "Daerah Khusus Jakarta"],
    "32": ["Jabar"],
    "33": ["Jateng"],
    "34": ["DIY", "Daerah Istimewa Yogyakarta", "DI Yogyakarta", "Yogyakarta", "Jogja", "Yogya", "Jogjakarta"],
    "35": ["Jatim"],
    "36": [],
    "51": [],
    "52": ["NTB"],
    "53": ["NTT"],
    "61": ["Kalbar"],
    "62": ["Kalteng"],
    "63": ["Kalsel"],
    "64": ["Kaltim"],
    "65": ["Kaltara"],
    "71": ["Sulut"],
    "72": ["Sulteng"],
    "73": ["Sulsel"],
    "74": ["Sultra"],
    "75": [],
    "76": ["Sulbar"],
    "81": [],
    "82": ["Malut"],
    "91": ["Pabar"],
    "94": [],
}
JAKARTA_ABBREV = {"Jakarta Selatan": "Jaksel", "Jakarta Pusat": "Jakpus", "Jakarta Barat": "Jakbar",
                  "Jakarta Timur": "Jaktim", "Jakarta Utara": "Jakut"}

# Single words that are ordinary Indonesian (or English) words and never safe as a bare alias.
STOPWORDS = set("""
barat timur utara selatan tengah tenggara barat daya laut darat kota kabupaten kab kec kecamatan desa kampung
pusat raya baru lama besar kecil jaya batu air gunung pulau sungai tanjung teluk bukit pasar pantai danau
indah makmur sari mulia agung sejahtera bahagia merdeka damai tani karya bumi tanah negeri negara wilayah daerah
provinsi republik kerajaan rakyat bangsa umum nasional internasional dunia agama islam kristen
the of and new old north south east west central upper lower saint san santa city town port fort
dan di ke dari yang untuk dengan pada dalam atau ini itu juga tidak akan ada adalah oleh sebagai
satu dua tiga empat lima enam tujuh delapan sembilan sepuluh hari bulan tahun pagi siang sore malam
presiden menteri ketua partai kantor berita badan dewan majelis mahkamah komisi lembaga bank
""".split())

# Scripts kept in aliases; everything else is dropped (Greek, Hebrew, kana, Indic, ...).
ALLOWED_SCRIPTS = {"LATIN", "CYRILLIC", "HANGUL", "ARABIC", "HAN"}
# Country -> native scripts kept from GeoNames city alternate names.
NATIVE_SCRIPT = {}
for _cc in "RU UA BY KZ KG TJ BG RS MK MN".split():
    NATIVE_SCRIPT[_cc] = {"CYRILLIC"}
for _cc in "KR KP".split():
    NATIVE_SCRIPT[_cc] = {"HANGUL"}
for _cc in "CN TW HK MO JP".split():
    NATIVE_SCRIPT[_cc] = {"HAN"}
for _cc in "SA AE QA KW BH OM YE IQ SY JO LB PS EG LY TN DZ MA SD MR IR AF PK".split():
    NATIVE_SCRIPT[_cc] = {"ARABIC"}

CABINET_COUNTRY = {
    "russia-cabinet": "RU", "ukraine-cabinet": "UA", "south-korea-ministers": "KR", "indonesia-ministers": "ID",
    "us-cabinet": "US", "china-ministers": "CN", "japan-ministers": "JP", "israel-ministers": "IL",
    "malaysia-ministers": "MY",
}
SURNAME_FIRST = {"CN", "TW", "HK", "MO", "KR", "KP", "VN", "HU", "KH", "MN"}

# --------------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------------
_script_cache: dict[str, str | None] = {}


def char_script(ch: str) -> str | None:
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
    sc = scripts_of(text)
    return sc == {"LATIN"}


WS = re.compile(r"\s+")


def clean_space(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\u200b", "").replace("\u200c", " ").replace("\u00a0", " ").replace("’", "'")
    return WS.sub(" ", text).strip(" ,;")


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key (for dedup and equality tests only)."""
    t = unidecode(text) if is_latin(text) else text
    t = re.sub(r"[\-‐‑–—_.'`´\"]", " ", t.lower())
    return WS.sub(" ", t).strip()


def slugify(text: str) -> str:
    t = unidecode(text).lower()
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    return t[:60].strip("-") or "x"


def title_id(text: str) -> str:
    """'KEP. BANGKA BELITUNG' -> 'Kepulauan Bangka Belitung' (Indonesian admin names from BPS)."""
    t = clean_space(text).replace("KEP. ", "KEPULAUAN ").replace("ADM. ", "")
    out = []
    for w in t.split(" "):
        if w in ("DKI", "DI", "II", "III", "IV", "NTB", "NTT"):
            out.append(w)
        elif w in ("DAN",):
            out.append(w.lower())
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def years(span: str) -> int | None:
    m = re.match(r"(\d{4})", span or "")
    return int(m.group(1)) if m else None


# --------------------------------------------------------------------------------------------------
# Corpus statistics: which strings Indonesian news writes, and which words are ordinary words
# --------------------------------------------------------------------------------------------------
TOKEN = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*|\d+", re.UNICODE)


class Corpus:
    def __init__(self, paths: list[Path]):
        self.ngrams: collections.Counter = collections.Counter()
        self.lower: collections.Counter = collections.Counter()
        self.cap: collections.Counter = collections.Counter()
        self.sentences = 0
        for p in paths:
            if not p.exists():
                continue
            with open(p, encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    if p.name == "my_leipzig_sample.txt":
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
        toks = TOKEN.findall(phrase)
        if not toks or len(toks) > 4:
            return 0
        return self.ngrams.get(" ".join(toks), 0)

    def is_common_word(self, alias: str) -> bool:
        """A one-word alias that Indonesian news mostly writes in lower case (an ordinary word)."""
        w = alias.lower()
        lo = self.lower.get(w, 0)
        return lo >= 3 and lo >= self.cap.get(w, 0)


def risky(alias: str, corpus: Corpus) -> bool:
    a = alias.strip()
    if " " in a:
        toks = [t.lower() for t in re.split(r"[\s\-]+", a) if t]
        return all(t in STOPWORDS for t in toks)
    if a.lower() in STOPWORDS:
        return True
    if a.isupper() and len(a) <= 5:  # acronyms are judged by the caller
        return False
    return corpus.is_common_word(a)


# --------------------------------------------------------------------------------------------------
# Entity store
# --------------------------------------------------------------------------------------------------
@dataclass
class Entity:
    id: str
    type: str
    name: str = ""
    kind: str = ""
    country: str = ""
    description: str = ""
    prior: float = 0.0
    aliases: dict = field(default_factory=dict)  # fold-key -> first spelling seen (insertion ordered)
    refs: dict = field(default_factory=dict)
    sources: list = field(default_factory=list)
    protected: set = field(default_factory=set)  # fold-keys exempt from the risky-word filter
    file: str = ""

    def add(self, alias: str, *, protect: bool = False) -> None:
        a = clean_space(alias)
        if not a:
            return
        k = fold(a)
        if not k:
            return
        if k not in self.aliases:
            self.aliases[k] = a
        elif a != self.aliases[k] and a not in self.aliases.values():
            # keep distinct spellings that only differ by case/diacritics/punctuation as separate aliases
            self.aliases[k + "\x00" + a] = a
        if protect:
            self.protected.add(k)

    def src(self, s: str) -> None:
        if s not in self.sources:
            self.sources.append(s)


class Store:
    def __init__(self) -> None:
        self.by_id: dict[str, Entity] = {}

    def get(self, eid: str, etype: str) -> Entity:
        e = self.by_id.get(eid)
        if e is None:
            e = self.by_id[eid] = Entity(eid, etype)
        return e


def good_alias(a: str) -> bool:
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
    else:
        if sc == {"HAN"} and len(a) < 2:
            return False
    return True


# --------------------------------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------------------------------
def read_csv(path: Path, encoding: str = "utf-8") -> list[dict]:
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


class Builder:
    def __init__(self, src: Path, text_dir: Path, curated_dir: Path):
        self.src = src
        self.store = Store()
        self.notes: list[str] = []
        t0 = time.time()
        self.corpus = Corpus([text_dir / "leipzig_ind_news_2008_sample25k" / "my_leipzig_sample.txt",
                              text_dir / "idn_tagged_corpus" / "sentences.txt"])
        self.log(f"corpus: {self.corpus.sentences} sentences ({time.time() - t0:.1f}s)")
        self.curated = load_curated(curated_dir)
        self.curated_ids = {r["id"] for r in self.curated}
        self.iso_by_qid: dict[str, str] = {}
        self.country_id_name: dict[str, str] = {}  # ISO -> Indonesian display name
        self.country_en_name: dict[str, str] = {}
        self.place_attested: set[str] = set()  # fold-keys of Indonesian DBpedia place names
        self.pos_label: dict[str, str] = {}
        self.city_forms_used: set[str] = set()
        self.iso_by_en: dict[str, str] = {}

    def log(self, msg: str) -> None:
        print(msg, flush=True)

    # ---------------------------------------------------------------- territories (countries etc.)
    def territories(self) -> None:
        base = self.src / "derived-from-pip"
        rig = [json.loads(line) for line in open(base / "rigour_territories.jsonl", encoding="utf-8")]
        tab = {r["code"]: r for r in read_csv(base / "territories_qid_id_en.csv")}
        mled = {}
        mpath = self.src / "mledoze-countries" / "countries.json"
        if mpath.exists():
            for c in json.load(open(mpath, encoding="utf-8")):
                mled[c["cca2"].upper()] = c
        seed = read_csv(self.src / "indonesian-exonyms-seed" / "exonyms_seed.csv")
        seed_country = collections.defaultdict(list)
        for r in seed:
            if r["kind"] == "country":
                seed_country[r["code"].upper()].append(r["indonesian"])
        skip = {"zz", "ip"}
        for r in rig:
            code = r["code"]
            if code in skip or not r.get("qid"):
                continue
            qid = r["qid"]
            iso = code.upper() if "-" not in code and len(code) == 2 else ""
            if iso:
                self.iso_by_qid[qid] = iso
                for oq in r.get("other_qids", []) or []:
                    self.iso_by_qid.setdefault(oq, iso)
            t = tab.get(code, {})
            is_org = code in ("eu", "un")
            e = self.store.get(qid, "ORG" if is_org else "LOC")
            e.src("rigour")
            if mled.get(iso):
                e.src("mledoze")
            hist = bool(r.get("is_historical"))
            if is_org:
                e.kind = "intl_org"
            elif r.get("is_country"):
                e.kind = "former_country" if hist else "country"
            elif "-" in code:
                e.kind = "region"
            else:
                e.kind = "territory"
            parent = (r.get("parent") or "").upper()
            e.country = iso or (code.split("-")[0].upper() if "-" in code else parent)
            if len(e.country) != 2:
                e.country = ""
            id_forms = ID_COUNTRY_FORMS.get(iso, [])
            names_id = [x for x in (t.get("name_id_cldr"), t.get("name_id_pycountry"), t.get("official_id_pycountry")) if x]
            names_id += seed_country.get(iso, [])
            en = [x for x in (r.get("name"), t.get("name_en_cldr"), t.get("common_en_pycountry"), r.get("full_name"),
                              t.get("full_name_en_rigour")) if x]
            display = (id_forms[:1] or names_id[:1] or en[:1])[0]
            if iso == "PS":
                display = "Palestina"
            e.name = e.name or display
            for a in id_forms:
                e.add(a, protect=True)
            for a in names_id + en:
                if "(" in a and "-" in code:
                    continue  # "Crimea (Occupied Ukraine)"
                e.add(a)
            primary = [fold(x) for x in [display] + names_id + en]
            for a in r.get("names_strong", []) or []:
                self._territory_alias(e, a, primary, strong=True)
            for a in r.get("names_weak", []) or []:
                self._territory_alias(e, a, primary, strong=False)
            m = mled.get(iso)
            if m:
                for a in [m["name"]["common"], m["name"]["official"]] + list(m.get("altSpellings", [])):
                    if len(a) <= 2:
                        continue
                    self._territory_alias(e, a, primary, strong=True)
                for nat in (m["name"].get("native") or {}).values():
                    for a in nat.values():
                        self._territory_alias(e, a, primary, strong=True)
                for lang in ("rus", "kor", "zho", "ara"):
                    tr = (m.get("translations") or {}).get(lang)
                    if tr:
                        self._territory_alias(e, tr["common"], primary, strong=True)
                        self._territory_alias(e, tr["official"], primary, strong=True)
                e.refs["iso3"] = m.get("cca3", "")
            if iso:
                e.refs["iso"] = iso
                self.country_id_name[iso] = e.name
                self.country_en_name[iso] = r.get("name") or e.name
                for nm in en + ([m["name"]["common"], m["name"]["official"]] if m else []):
                    self.iso_by_en.setdefault(fold(re.sub(r"^the ", "", nm, flags=re.I)), iso)
            elif "-" in code:
                e.refs["iso_3166_2"] = code.upper()
            # description and prior
            if is_org:
                e.prior = 0.9
                e.description = r.get("full_name") or r.get("name")
            elif e.kind == "country":
                e.prior = 0.9
                e.description = f"Negara ({r.get('full_name') or r.get('name')})"
                if not (m or {}).get("independent", True):
                    e.prior = 0.75
            elif e.kind == "former_country":
                e.prior = 0.4
                e.description = f"Bekas negara ({r.get('full_name') or r.get('name')})"
            elif e.kind == "territory":
                e.prior = 0.6
                e.description = f"Wilayah ({r.get('full_name') or r.get('name')})"
            else:
                e.prior = 0.55
                e.description = f"Wilayah ({r.get('full_name') or r.get('name')})"
            e.file = "countries"
        # region descriptions in Indonesian once all countries are known
        for r in rig:
            if "-" in r["code"] and r.get("qid") in self.store.by_id:
                e = self.store.by_id[r["qid"]]
                cname = self.country_id_name.get(e.country, "")
                if cname and e.kind == "region":
                    e.description = f"Wilayah di {cname} ({r.get('name')})"
        for nm, iso in EN_COUNTRY_EXTRA.items():
            self.iso_by_en.setdefault(fold(nm), iso)
        self.log(f"territories: {len(rig)} rigour rows")

    def _territory_alias(self, e: Entity, a: str, primary: list[str], strong: bool) -> None:
        a = clean_space(a)
        if not good_alias(a):
            return
        if a.isupper() and len(a) > 6:  # "ОБЪЕДИНЕННЫЕ ..." / "MOSCOW, RUSSIA"
            return
        if "," in a or a.startswith("i -") or re.search(r"[ɛɔŋƐƆŊʻ̀-ͯ]|nutome$|[Cc]itizen", a):
            return
        sc = scripts_of(a)
        if a.islower() and sc & {"LATIN", "CYRILLIC"}:  # declined forms, transliterations
            return
        if sc == {"LATIN"}:
            k = fold(a)
            if k not in self.place_attested and self.corpus.count(a) < 2 and \
                    max(fuzz.ratio(k, p) for p in primary) < (80 if strong else 85):
                return
        elif not strong and not sc & {"HANGUL", "HAN"}:
            return
        e.add(a)

    # ---------------------------------------------------------------- cities
    def cities(self) -> None:
        ne = read_csv(self.src / "natural-earth-populated-places" / "ne_10m_populated_places_names.csv")
        alt = {r["qid"]: r for r in read_csv(self.src / "derived-from-pip" / "cities_qid_geonames_altnames.csv")}
        cldr = {r["city_en_cldr"]: r["city_id_cldr"] for r in read_csv(self.src / "derived-from-pip" / "cldr_id_exemplar_cities.csv")}
        seed = collections.defaultdict(list)
        for r in read_csv(self.src / "indonesian-exonyms-seed" / "exonyms_seed.csv"):
            if r["kind"] == "city" and r["qid"]:
                seed[r["qid"]].append(r["indonesian"])
        country_keys = {k for e in self.store.by_id.values() if e.kind in ("country", "territory") for k in e.aliases}
        n_new = n_merged = 0
        seen = set()
        ne.sort(key=lambda r: (r["featurecla"] not in ("Admin-0 capital", "Admin-0 capital alt"),
                               -int(float(r["pop_max"] or 0))))
        for r in ne:
            qid = r["wikidataid"].strip()
            if not qid:
                gid = str(int(float(r["geonameid"]))) if r["geonameid"] else ""
                qid = f"loc:geonames-{gid}" if gid else f"loc:ne-{slugify(r['name'])}-{r['iso_a2'].lower()}"
                if qid in seen:
                    continue
            if qid in seen:
                continue
            seen.add(qid)
            iso = r["iso_a2"] if re.fullmatch(r"[A-Z]{2}", r["iso_a2"] or "") else ""
            existed = qid in self.store.by_id
            e = self.store.get(qid, "LOC")
            if existed and e.type != "LOC":
                continue
            if existed and e.kind == "region":  # rigour city-regions (Moscow, Kyiv, Beijing): the city wins
                existed = False
                e.kind = ""
            n_merged += existed
            n_new += not existed
            e.src("natural-earth")
            pop = max(int(float(r["pop_max"] or 0)), int(float((alt.get(qid) or {}).get("gn_population") or 0)))
            cap = r["featurecla"] in ("Admin-0 capital", "Admin-0 capital alt") or r["adm0cap"] == "1"
            if not existed:
                e.kind = "capital" if cap else ("research_station" if r["featurecla"] == "Scientific station" else "city")
                e.country = e.country or iso
                e.file = "cities"
            if r["geonameid"]:
                e.refs["geonames"] = str(int(float(r["geonameid"])))
            # names
            primary = [x for x in (r["name"], r["nameascii"], r["name_en"], r["meganame"], r["ls_name"]) if x]
            primary += [x for x in re.split(r"[|;]", r["namealt"] or "") if x]
            primary += [x for x in re.split(r"[|;]", r["namepar"] or "") if x]
            forms = []
            for nm in {r["name_en"], r["name"], r["nameascii"]}:
                if f"{nm}|{iso}" in ID_CITY_FORMS:
                    forms = list(ID_CITY_FORMS[f"{nm}|{iso}"])
                    self.city_forms_used.add(f"{nm}|{iso}")
            forms += seed.get(qid, [])
            en = r["name_en"] or r["name"]
            if en in cldr:
                forms.append(cldr[en])
            for a in forms:
                e.add(a, protect=True)
            for a in primary:
                if good_alias(clean_space(a)):
                    e.add(a)
            pkeys = [fold(x) for x in primary + forms if x]
            for col in ("name_de", "name_es", "name_fr", "name_pt", "name_ru", "name_zh"):
                a = clean_space(r[col])
                if good_alias(a) and (not is_latin(a) or max(fuzz.ratio(fold(a), p) for p in pkeys) >= 60
                                      or fold(a) in self.place_attested):
                    e.add(a)
            ar = alt.get(qid)
            if ar:
                native = NATIVE_SCRIPT.get(iso, set())
                for a in ar["alternatenames"].split("|"):
                    a = clean_space(a)
                    if not good_alias(a):
                        continue
                    sc = scripts_of(a)
                    if sc == {"LATIN"}:
                        if a.islower() or (a.isupper() and len(a) <= 4) or len(a) < 3:
                            continue
                        k = fold(a)
                        sim = max(fuzz.ratio(k, p) for p in pkeys)
                        if sim >= 85 or ((k in self.place_attested or self.corpus.count(a) >= 2) and sim >= 50):
                            e.add(a)
                    elif sc & native:
                        e.add(a)
            # display name: the spelling Indonesian news uses most (corpus), else the Indonesian form, else NE name
            ne_names = {fold(x) for x in (r["name"], r["nameascii"], r["name_en"])}
            cands = [v for v in e.aliases.values() if is_latin(v) and len(v) >= 3 and not v.isupper()
                     and fold(v) not in country_keys
                     and (v in forms or fold(v) in ne_names or fold(v) in self.place_attested)]
            cands = [v for v in cands if not any(fold(v) != o and f" {fold(v)} " in f" {o} " for o in ne_names)]
            best = max(cands, key=lambda v: (self.corpus.count(v), v in forms), default="") if cands else ""
            if best and self.corpus.count(best) >= 3:
                display = best
            elif forms:
                display = forms[0]
            else:
                display = r["name"] or r["nameascii"]
            if not existed or e.kind in ("city", "capital", "research_station"):
                e.name = display
            # prior: log-scaled population, capital bonus
            if not existed:
                p = max(e.prior, 0.2 + 0.6 * min(1.0, max(0.0, (math.log10(max(pop, 1)) - 4.0) / 3.5)))
                if cap:
                    p += 0.1
                e.prior = round(min(0.95, p), 3)
                cname = self.country_id_name.get(iso, r["adm0name"])
                adm1 = r["adm1name"]
                if cap:
                    e.description = f"Ibu kota {cname}"
                else:
                    what = "Stasiun riset" if e.kind == "research_station" else "Kota"
                    e.description = f"{what} di {cname}" + (f" ({adm1})" if adm1 and adm1 != e.name else "")
            elif e.kind in ("city", "capital"):
                e.prior = max(e.prior, 0.8)
        for k in sorted(set(ID_CITY_FORMS) - self.city_forms_used):
            self.notes.append(f"ID_CITY_FORMS key {k!r} matched no Natural Earth place")
        self.log(f"cities: {n_new} new, {n_merged} merged into territories")

    # ---------------------------------------------------------------- Indonesian administrative areas
    def indonesia(self) -> None:
        base = self.src / "indonesia-wilayah-bps-kemendagri"
        gov = read_csv(self.src / "every-politician" / "cabinets" / "indonesia-ministers" / "sources" / "governors" / "wikidata.csv")
        prov_qid = {fold(r["provinceLabel"].replace("Sumatra", "Sumatera")): r["province"] for r in gov}
        prov_qid[fold("DKI Jakarta")] = prov_qid.get(fold("Jakarta"), "")
        prov_name: dict[str, str] = {}
        prov_ent: dict[str, Entity] = {}
        for r in read_csv(base / "provinsi.csv"):
            code = r["kode_bps"]
            name = title_id(r["nama_bps"])
            qid = prov_qid.get(fold(name)) or prov_qid.get(fold(name.replace("DI ", "Daerah Istimewa ")))
            eid = qid or f"loc:id-bps-{code}"
            existed = eid in self.store.by_id
            e = self.store.get(eid, "LOC")
            e.src("bps-kemendagri")
            if qid:
                e.src("every-politician")
            if not existed:
                e.kind = "province"
                e.file = "indonesia"
            e.country = "ID"
            disp = {"DKI Jakarta": "Jakarta", "DI Yogyakarta": "Daerah Istimewa Yogyakarta"}.get(name, name)
            if not existed:
                e.name = disp
            e.add(name, protect=True)
            e.add(disp, protect=True)
            e.add(f"Provinsi {name}", protect=True)
            if name != disp:
                e.add(f"Provinsi {disp}", protect=True)
            for a in ID_PROVINCE_FORMS.get(code, []):
                e.add(a, protect=True)
            if "Sumatera" in name:
                e.add(name.replace("Sumatera", "Sumatra"), protect=True)
            e.refs["bps"] = code
            e.refs["kemendagri"] = r["kode_dagri"]
            e.prior = max(e.prior, 0.8)
            e.description = "Provinsi di Indonesia" if not existed else "Ibu kota Indonesia; Provinsi DKI Jakarta"
            prov_name[code] = disp
            prov_ent[code] = e
        # kabupaten / kota
        ne_id = {}
        for e in self.store.by_id.values():
            if e.type == "LOC" and e.country == "ID" and e.kind in ("city", "capital") and e.id.startswith("Q"):
                for k in list(e.aliases)[:3]:
                    ne_id.setdefault(k, []).append(e)
        kk = read_csv(base / "kabkota.csv")
        kab_name: dict[str, str] = {}
        base_count = collections.Counter(title_id(r["nama_bps"]) for r in kk)
        n_merge = 0
        for r in kk:
            code = r["kode_bps"]
            is_kota = int(code[2:]) >= 71
            basen = title_id(r["nama_bps"])
            dagri = title_id(re.sub(r"^(KAB\.|KOTA ADM\.|KOTA)\s*", "", r["nama_dagri"]))
            prov = prov_name.get(code[:2], "")
            full = ("Kota " if is_kota else "Kabupaten ") + basen
            target = None
            if is_kota:
                cands = ne_id.get(fold(basen), [])
                if len(cands) == 1 and cands[0].kind == "city":
                    target = cands[0]
            if target is not None and target.id not in self.curated_ids:
                e = target
                n_merge += 1
                e.name = basen if base_count[basen] == 1 else full
                e.src("bps-kemendagri")
            else:
                e = self.store.get(f"loc:id-bps-{code}", "LOC")
                e.src("bps-kemendagri")
                e.name = full
                e.prior = 0.6 if is_kota else 0.5
            e.kind = "city_id" if is_kota else "regency"
            e.file = "indonesia"
            e.country = "ID"
            e.add(full, protect=True)
            e.add(basen, protect=not risky(basen, self.corpus))
            if dagri != basen:
                e.add(dagri)
                e.add(("Kota " if is_kota else "Kabupaten ") + dagri, protect=True)
            if is_kota:
                e.add(f"Kotamadya {basen}", protect=True)
                e.add(f"Kota Administrasi {basen}" if code.startswith("31") else f"Pemkot {basen}", protect=True)
                if basen in JAKARTA_ABBREV:
                    e.add(JAKARTA_ABBREV[basen], protect=True)
            else:
                e.add(f"Kab. {basen}", protect=True)
                e.add(f"Kab {basen}", protect=True)
            e.refs["bps"] = f"{code[:2]}.{code[2:]}"
            e.refs["kemendagri"] = f"{r['kode_dagri'][:2]}.{r['kode_dagri'][2:]}"
            e.prior = max(e.prior, 0.6 if is_kota else 0.5)
            e.description = ("Kota" if is_kota else "Kabupaten") + f" di Provinsi {prov}"
            kab_name[code] = full
        self.log(f"indonesia: {len(prov_name)} provinces, {len(kk)} kab/kota ({n_merge} merged with Natural Earth cities)")
        # kecamatan
        n = 0
        for r in read_csv(base / "kecamatan.csv"):
            code = r["kode_bps"]
            basen = title_id(r["nama_bps"])
            e = self.store.get(f"loc:id-bps-{code}", "LOC")
            e.src("bps-kemendagri")
            e.kind = "district"
            e.file = "kecamatan"
            e.country = "ID"
            e.name = f"Kecamatan {basen}"
            e.add(e.name, protect=True)
            e.add(basen)
            if title_id(r["nama_dagri"]) != basen:
                e.add(title_id(r["nama_dagri"]))
            e.refs["bps"] = f"{code[:2]}.{code[2:4]}.{code[4:]}"
            d = r["kode_dagri"]
            e.refs["kemendagri"] = f"{d[:2]}.{d[2:4]}.{d[4:]}"
            e.prior = 0.15
            parent = kab_name.get(code[:4], "")
            e.description = f"Kecamatan di {parent}, {prov_name.get(code[:2], '')}".strip(", ")
            n += 1
        self.log(f"indonesia: {n} kecamatan")

    # ---------------------------------------------------------------- people (EveryPolitician)
    def people(self) -> None:
        ep = self.src / "every-politician"
        self.persons: dict[str, dict] = {}
        # position labels
        for f in glob.glob(str(ep / "**" / "*.csv"), recursive=True):
            name = os.path.basename(f)
            if name in ("wanted-positions.csv", "xtra-positions.csv", "legislative-positions.csv"):
                for r in read_csv(Path(f)):
                    self.pos_label.setdefault(r.get("position", ""), r.get("title", ""))
            elif name == "positions.csv":
                for r in read_csv(Path(f)):
                    self.pos_label[r["id"]] = r["enwiki"] or r["position"]
            elif name == "position-info.csv":
                for r in read_csv(Path(f)):
                    self.pos_label.setdefault(r["position"], r["positionLabel"])

        # 1. heads of state / government
        for fname in ("wikidata.csv", "wikidata_index_05e3baa.csv", "wikipedia.csv"):
            for r in read_csv(ep / "world-leaders-2021" / "data" / fname):
                qid = r.get("officeholder", "")
                plabel = r.get("positionLabel") or r.get("positionlabel") or ""
                label = r.get("officeholderLabel") or r.get("officeholderlabel") or ""
                iso = self.iso_by_qid.get(r.get("countryid", ""), "") or self._iso_from_name(r.get("country", ""))
                kind = "head_of_government" if re.search(
                    r"prime minister|chancellor|premier|council of ministers|head of government|chief executive|"
                    r"first minister|taoiseach|chief minister", plabel, re.I) else "head_of_state"
                self._person(qid, [label], role=(kind, plabel, iso, r.get("start_year"), r.get("end_year")),
                             source="every-politician")
        # 2. cabinets
        for cab, iso in CABINET_COUNTRY.items():
            d = ep / "cabinets" / cab
            for fname in ("holders21.csv", "current.csv"):
                p = d / "html" / fname
                if p.exists():
                    for r in read_csv(p):
                        self._person(r["personID"], [r["person"], r.get("enwiki", "")],
                                     role=(self._cabinet_kind(r["position"]), r["position"], iso, r.get("start", ""), r.get("end", "")),
                                     source="every-politician")
            p = d / "html" / "bio.csv"
            if p.exists():
                for r in read_csv(p):
                    self._person(r["id"], [r["name"], r["enwiki"]], source="every-politician", country=iso)
            p = d / "html" / "legislators.csv"
            if p.exists():
                for r in read_csv(p):
                    pos = r["position"]
                    if iso == "US" and pos not in ("United States representative", "United States senator"):
                        continue  # state legislatures: too local for Indonesian news
                    if iso == "US" and (years(r["end"]) or 9999) < 1990:
                        continue
                    self._person(r["personID"], [r["person"], r.get("enwiki", "")],
                                 role=("legislator", pos, iso, r.get("start", ""), r.get("end", "")), source="every-politician")
            self._sources_dir(d / "sources", iso)
        # 3. world: international posts, PACE, foreign ministers
        w = ep / "world"
        for fname in ("holders21.csv", "current.csv"):
            for r in read_csv(w / "html" / fname):
                self._person(r["personID"], [r["person"]], role=("intl_official", r["position"], "", r.get("start", ""), r.get("end", "")),
                             source="every-politician")
        for r in read_csv(w / "html" / "bio.csv"):
            self._person(r["id"], [r["name"], r["enwiki"]], source="every-politician")
        for r in read_csv(w / "html" / "legislators.csv"):
            self._person(r["personID"], [r["person"]], role=("legislator", r["position"], "", r.get("start", ""), r.get("end", "")),
                         source="every-politician")
        for r in read_csv(w / "sources" / "foreign" / "wikidata.csv"):
            if r["person"]:
                iso = self.iso_by_qid.get(r["country"], "")
                self._person(r["person"], [r["name"]], role=("minister", "Minister of Foreign Affairs", iso, r["start"], ""),
                             source="every-politician")
        for r in read_csv(w / "sources" / "foreign" / "scraped.csv"):
            if r["person"]:
                self._person(r["person"], [r["name"]], source="every-politician")
        for f in sorted(ep.rglob("family.csv")):
            for r in read_csv(f):
                self._person(r["relative"], [r["relativename"]], source="every-politician")
        self._materialize_people()

    def _iso_from_name(self, name: str) -> str:
        return self.iso_by_en.get(fold(re.sub(r"^the ", "", name or "", flags=re.I)), "")

    @staticmethod
    def _cabinet_kind(pos: str) -> str:
        p = pos.lower()
        if p in ("president", "president of the united states") or p.startswith("president of"):
            return "head_of_state"
        if p.startswith("prime minister") or p in ("premier", "chancellor"):
            return "head_of_government"
        if "minister" in p or p.startswith("secretary of") or "secretary" in p and "press" not in p:
            return "minister"
        if "governor" in p or "mayor" in p:
            return "governor"
        if "ambassador" in p or "permanent representative" in p:
            return "ambassador"
        return "official"

    def _sources_dir(self, d: Path, iso: str) -> None:
        if not d.exists():
            return
        for f in sorted(d.rglob("*.csv")):
            if f.name not in ("scraped.csv", "wikidata.csv"):
                continue
            meta = {}
            mp = f.parent / "meta.json"
            if mp.exists():
                try:
                    meta = json.load(open(mp, encoding="utf-8"))
                except ValueError:
                    meta = {}
            rows = read_csv(f)
            if not rows:
                continue
            cols = rows[0].keys()
            qcol = next((c for c in ("person", "wdid", "wdperson", "item", "personID") if c in cols), None)
            if qcol is None:
                continue
            ncols = [c for c in ("personLabel", "name", "wdLabel", "itemLabel", "wdpersonlabel") if c in cols]
            pos_q = meta.get("position") if isinstance(meta.get("position"), str) else ""
            pos = self.pos_label.get(pos_q, "")
            for r in rows:
                qid = (r.get(qcol) or "").strip()
                if not re.fullmatch(r"Q\d+", qid):
                    continue
                plabel = r.get("positionLabel") or r.get("position") or pos
                if re.fullmatch(r"Q\d+", plabel or ""):
                    plabel = self.pos_label.get(plabel, "")
                role = None
                if plabel:
                    kind = self._cabinet_kind(plabel)
                    if re.search(r"member|deputy of|people's deputy|senator|representative", plabel, re.I) and \
                            "permanent representative" not in plabel.lower():
                        kind = "legislator"
                    role = (kind, plabel, iso, r.get("startDate") or r.get("start") or r.get("start_date") or "",
                            r.get("endDate") or r.get("end_date") or "")
                self._person(qid, [r.get(c, "") for c in ncols], role=role, source="every-politician", country=iso)

    def _person(self, qid: str, names: list[str], role=None, source: str = "", country: str = "") -> None:
        qid = (qid or "").strip()
        if not re.fullmatch(r"Q\d+", qid):
            return
        p = self.persons.setdefault(qid, {"names": [], "roles": [], "country": "", "sources": set()})
        for n in names:
            if n and n not in p["names"]:
                p["names"].append(n)
        if role and role[1]:
            p["roles"].append(role)
        if country and not p["country"]:
            p["country"] = country
        if source:
            p["sources"].add(source)

    def _materialize_people(self) -> None:
        kind_rank = {"head_of_state": 0, "head_of_government": 1, "intl_official": 2, "minister": 3, "governor": 4,
                     "official": 5, "ambassador": 6, "legislator": 7}
        base_prior = {"head_of_state": 0.8, "head_of_government": 0.75, "intl_official": 0.6, "minister": 0.5,
                      "governor": 0.45, "official": 0.4, "ambassador": 0.35, "legislator": 0.25}
        dropped_script = 0
        for qid, p in self.persons.items():
            roles = p["roles"]
            # the most important role decides kind and country
            roles_sorted = sorted(roles, key=lambda r: (kind_rank.get(r[0], 9), not r[2],
                                                        bool(re.search(r"co-prince|acting|interim|deputy|vice", r[1], re.I)),
                                                        -(years(r[3]) or 0)))
            main = roles_sorted[0] if roles_sorted else None
            iso = (main[2] if main and main[2] else "") or next((r[2] for r in roles_sorted if r[2]), "") or p["country"]
            names = []
            for n in p["names"]:
                names += clean_person_name(n, iso)
            names = [n for n in names if good_alias(n)]
            if not any(scripts_of(n) & {"LATIN"} for n in names):
                cyr = [n for n in names if scripts_of(n) == {"CYRILLIC"}]
                if cyr:
                    names = [translit_cyrillic(cyr[0], iso)] + names
                else:
                    dropped_script += 1
                    continue
            e = self.store.get(qid, "PER")
            if e.type != "PER":
                self.notes.append(f"person {qid} collides with a {e.type} record, skipped")
                continue
            for s in sorted(p["sources"]):
                e.src(s)
            e.kind = main[0] if main else "person"
            e.country = iso
            latin = [n for n in names if is_latin(n)] or [unidecode(n) for n in names if is_latin(unidecode(n))]
            if not latin:
                del self.store.by_id[qid]
                dropped_script += 1
                continue
            e.name = latin[0]
            for n in names:
                e.add(n)
                if is_latin(n):
                    f = unidecode(n)
                    if f != n:
                        e.add(f)
                    if iso in ("KR", "KP") and "-" in n:
                        e.add(re.sub(r"-(\w)", lambda m: " " + m.group(1).upper(), n))
                        e.add(n.replace("-", ""))
                    if iso == "ID":
                        for v in eyd_variants(n):
                            e.add(v)
                elif scripts_of(n) == {"CYRILLIC"}:
                    e.add(translit_cyrillic(n, iso))
            # prior
            if main:
                pr = base_prior.get(main[0], 0.3)
                lab = main[1].lower()
                if main[0] == "minister" and re.search(r"foreign|external|defen[cs]e|secretary of state$|war", lab):
                    pr += 0.1
                if main[0] == "intl_official" and re.search(r"^secretary-general of the united nations", lab):
                    pr = 0.85
                current = any(r[0] == main[0] and not (r[4] or "").strip() for r in roles)
                recent = max((years(r[4]) or 9999 for r in roles if r[0] == main[0]), default=0)
                if current:
                    pr += 0.05
                elif recent < 2000:
                    pr -= 0.1
            else:
                pr = 0.2
            e.prior = round(max(0.05, min(1.0, pr)), 3)
            e.description = self._person_description(roles_sorted)
            e.file = "people_other" if not main else ("people_legislators" if e.kind == "legislator" else "people_officials")
        self.log(f"people: {len(self.persons)} QIDs seen, {dropped_script} without a Latin/Cyrillic name dropped")

    def _role_title(self, kind: str, label: str, iso: str) -> str:
        lab = re.sub(r"\s*\(.*\)$", "", label).strip()
        core = lab
        m = re.match(r"^(.*?) of (?:the )?(.+)$", lab)
        if m and self._iso_from_name(m.group(2)):
            core, iso = m.group(1), iso or self._iso_from_name(m.group(2))
        cname = "" if kind == "intl_official" else self.country_id_name.get(iso, "")
        tr = translate_position(lab) or translate_position(core)
        if tr.startswith("AMB:"):
            return f"Duta Besar {cname} untuk {tr[4:]}" if cname else f"Duta Besar untuk {tr[4:]}"
        if tr:
            return f"{tr} {cname}".strip() if cname and not tr.endswith(")") else tr
        return lab + (f" ({cname})" if cname and cname.lower() not in lab.lower() else "")

    def _person_description(self, roles_sorted: list) -> str:
        if not roles_sorted:
            return "Tokoh politik (EveryPolitician/Wikidata)"
        groups: dict[str, list] = {}
        for kind, label, iso, start, end in roles_sorted:
            groups.setdefault(self._role_title(kind, label, iso), []).append(
                (years(start), years(end), not (end or "").strip()))
        parts = []
        for title, spans in list(groups.items())[:2]:
            merged: list[list] = []  # [start, end, open]
            for s, e_, open_ in sorted(spans, key=lambda x: (x[0] or 0, x[1] or 9999)):
                if s is None and e_ is None:
                    continue
                if merged and s is not None and (merged[-1][2] or (merged[-1][1] or 0) + 1 >= s):
                    merged[-1][1] = max(merged[-1][1] or 0, e_ or 0) or None
                    merged[-1][2] = merged[-1][2] or open_
                else:
                    merged.append([s, e_, open_])
            txt = ", ".join(f"{a}-" if o else (f"{a}-{b}" if a and b and a != b else f"{a or b}") for a, b, o in merged)
            parts.append(f"{title} ({txt})" if txt else title)
        return "; ".join(parts)[:200]

    def surname_aliases(self) -> None:
        """Bare surnames ('Putin', 'Lavrov') for leaders, foreign/defence ministers and international officials
        (prior >= 0.6), when at least 5 letters long, unambiguous, and never written in lower case in the corpus."""
        want = {"head_of_state", "head_of_government", "minister", "intl_official"}
        owners = collections.defaultdict(set)
        all_last = collections.Counter()
        all_first = collections.Counter()
        for e in self.store.by_id.values():
            if e.type != "PER":
                continue
            toks = e.name.split()
            if len(toks) < 2:
                continue
            all_last[fold(toks[-1])] += 1
            all_first[fold(toks[0])] += 1
            if re.search(r"\b(King|Queen|Prince|Princess|Grand|Duke|Emir|Sultan|Pope|Sheikh|Emperor|Crown)\b", e.name):
                continue  # "Grand Duke Henri": the last word is a given name
            if e.kind in want and e.country not in SURNAME_FIRST and e.prior >= 0.6:
                owners[toks[-1]].add(e.id)
        other_keys = {k for e in self.store.by_id.values() if e.type != "PER" for k in e.aliases}
        n = 0
        for last, ids in owners.items():
            if len(ids) != 1 or len(last) < 5 or "-" in last[:1] or not last[:1].isupper():
                continue
            k = fold(last)
            if k in other_keys or risky(last, self.corpus) or all_last[k] > 2 or \
                    self.corpus.lower.get(last.lower(), 0) > 0 or all_first[k] > 1 or k in self.place_attested:
                continue
            if last.lower() in {"jr", "jr.", "sr", "ii", "iii", "bin", "binti"}:
                continue
            e = self.store.by_id[next(iter(ids))]
            e.add(last)
            n += 1
        self.log(f"people: {n} surname aliases added")

    # ---------------------------------------------------------------- Indonesian DBpedia name lists
    def dbpedia(self, with_persons: bool = False) -> None:
        base = self.src / "ialfina-id-dbpedia-names"
        person_keys = {k for e in self.store.by_id.values() if e.type == "PER" for k in e.aliases}
        person_keys |= {fold(a) for r in self.curated if r.get("type") == "PER"
                        for a in [r.get("name", "")] + list(r.get("aliases") or [])}
        org_keys = {fold(a) for r in self.curated if r.get("type") == "ORG"
                    for a in [r.get("name", "")] + list(r.get("aliases") or [])}
        org_keys |= {k for e in self.store.by_id.values() if e.type == "ORG" for k in e.aliases}
        loc_keys = {k for e in self.store.by_id.values() if e.type == "LOC" for k in e.aliases}
        n_p = n_o = 0
        with open(base / "original-dbpedia" / "person.txt", encoding="cp1252", errors="replace") as fh:
            for line in (fh if with_persons else []):
                n = clean_space(line)
                if not n or "?" in n or re.search(r"\d", n) or not good_alias(n) or not is_latin(n):
                    continue
                toks = n.split()
                if len(toks) == 1 and (len(n) < 5 or risky(n, self.corpus)):
                    continue
                if len(toks) > 6 or n.isupper() or n.islower():
                    continue
                k = fold(n)
                if k in person_keys or k in loc_keys or k in org_keys:
                    continue
                person_keys.add(k)
                e = self._slug_entity("per", n, "PER")
                e.kind = "person"
                e.name = n
                e.add(n)
                f = unidecode(n)
                if f != n:
                    e.add(f)
                for v in eyd_variants(n):
                    e.add(v)
                e.prior = 0.15
                e.src("id-dbpedia")
                e.file = "people_iddbpedia"
                n_p += 1
        school = re.compile(r"^(SD|SDN|SDS|SDLB|SLB|SMP|SMPN|SMA|SMAN|SMK|SMKN|MI|MIS|MIN|MTs|MTsN|MA|MAN|TK|KB|PAUD|SMPS|SMAS)\b", re.I)
        for fname in ("original-dbpedia/organization.txt", "mdee_gazetteer/organization.txt"):
            with open(base / fname, encoding="cp1252", errors="replace") as fh:
                for line in fh:
                    n = clean_space(line)
                    if not n or "?" in n or school.match(n) or not good_alias(n) or not is_latin(n):
                        continue
                    if len(n.split()) == 1 and (len(n) < 3 or risky(n, self.corpus)):
                        continue
                    k = fold(n)
                    if k in org_keys or k in loc_keys or k in person_keys:
                        continue
                    org_keys.add(k)
                    e = self._slug_entity("org", n, "ORG")
                    e.kind = org_kind(n)
                    e.name = n
                    e.add(n)
                    e.prior = 0.15
                    e.src("id-dbpedia")
                    e.file = "orgs_iddbpedia"
                    n_o += 1
        self.log(f"id-dbpedia: {n_p} persons, {n_o} organisations added (no IDs: slug ids)")

    def _slug_entity(self, prefix: str, name: str, etype: str) -> Entity:
        base = f"{prefix}:{slugify(name)}"
        eid, i = base, 2
        while eid in self.store.by_id or eid in self.curated_ids:
            eid, i = f"{base}-{i}", i + 1
        return self.store.get(eid, etype)

    def load_attested_places(self) -> None:
        p = self.src / "ialfina-id-dbpedia-names" / "original-dbpedia" / "place.txt"
        with open(p, encoding="cp1252", errors="replace") as fh:
            for line in fh:
                n = clean_space(line)
                if n and "?" not in n:
                    self.place_attested.add(fold(n))

    # ---------------------------------------------------------------- finalize
    def finalize(self) -> list[dict]:
        out = []
        n_risky = 0
        for e in self.store.by_id.values():
            if e.id in self.curated_ids:
                continue
            if not e.name:
                continue
            name_key = fold(e.name)
            aliases = []
            seen = {e.name}
            for k, a in e.aliases.items():
                if a in seen:
                    continue
                base_k = k.split("\x00")[0]
                if base_k not in e.protected and base_k != name_key and risky(a, self.corpus):
                    n_risky += 1
                    continue
                if len(a) <= 2 and base_k not in e.protected:
                    continue
                if e.country == "ID" and e.type == "LOC" and base_k not in e.protected and re.match(
                        r"(?i)(kabupaten|kab\.?|kota|kotamadya|provinsi|kecamatan) ", a):
                    continue  # admin-type prefixes only from BPS, never from foreign alternate names
                seen.add(a)
                aliases.append(a)
            rec = {"id": e.id, "type": e.type, "name": e.name}
            if aliases:
                rec["aliases"] = aliases
            if e.kind:
                rec["kind"] = e.kind
            if e.country:
                rec["country"] = e.country
            if e.description:
                rec["description"] = e.description
            rec["prior"] = round(float(e.prior), 3)
            refs = {k: (str(v) if not isinstance(v, int) else v) for k, v in e.refs.items() if v not in ("", None)}
            if refs:
                rec["refs"] = refs
            rec["source"] = ", ".join(e.sources) if e.sources else "generated"
            rec["_file"] = e.file or "misc"
            out.append(rec)
        self.log(f"finalize: {len(out)} records, {n_risky} risky one-word aliases dropped")
        return out


# --------------------------------------------------------------------------------------------------
# Person-name helpers
# --------------------------------------------------------------------------------------------------
TITLE_PREFIX = re.compile(
    r"^(?:(?:Ir|H|Hj|K\.?H|KH|Dr|dr|Drs|Dra|Prof|Jend|Gen|Lt|Letjen|Mayjen|Brigjen|Marsekal|Laksamana|Police|Pol|"
    r"Marshal|Admiral|General|Hon|Rt\.? Hon|Sir|YB|YAB|YBhg|SENATOR|Senator|DATUK|Datuk|DATO'?|Dato'?|Dato' Sri|"
    r"SERI|Seri|Sri|TAN SRI|Tan Sri|TUN|Tun|UTAMA|DR|Ustaz|Tuan|Puan|Haji|Hajah|Mr|Mrs|Ms)\.?\s+)+")
DEGREE_SUFFIX = re.compile(
    r"(?:,?\s*(?:S\.?H|M\.?M|M\.?Si|S\.?E|M\.?A|M\.?B\.?A|Ph\.?D|S\.?Sos|S\.?IP|S\.?Ag|M\.?Ag|S\.?T|M\.?T|S\.?Pd|"
    r"M\.?Pd|M\.?Kes|S\.?Kom|M\.?H|S\.?Psi|Jr|Sr)\.?)+$")
CYR_PATRONYMIC = re.compile(r"(ович|евич|ьич|ич|овна|евна|ична|івна|ївна|инична)$", re.I)


def clean_person_name(raw: str, iso: str) -> list[str]:
    n = clean_space(raw)
    if not n or re.fullmatch(r"Q\d+", n):
        return []
    n = re.sub(r"\s*\([^)]*\)\s*$", "", n)  # "(politician)"
    out = []
    if "," in n and not re.search(r",\s*(Jr|Sr|S\.H|M\.)", n):
        parts = [p.strip() for p in n.split(",")]
        if len(parts) == 2 and parts[0] and parts[1]:
            if re.search(r"\b(of|the|de|von)\b|King|Queen|Prince|Duke|Emir|Sultan|Pope|Sheikh|Emperor|President",
                         parts[1]):
                n = parts[0]  # "Henri, Grand Duke of Luxembourg"
            elif len(parts[1].split()) <= 3 and len(parts[0].split()) <= 2:
                n = f"{parts[1]} {parts[0]}"  # "Колесников, Михаил Петрович"
    n2 = re.sub(r"(?<=[a-z])(S\.H|M\.M)\.?$", "", n)  # "Tjahjo KumoloS.H"
    n2 = DEGREE_SUFFIX.sub("", n2).strip(" ,")
    n2 = TITLE_PREFIX.sub("", n2).strip()
    if n2 and n2.isupper() and is_latin(n2):
        n2 = " ".join(w.capitalize() if w not in ("BIN", "BINTI", "A/L", "A/P") else w.lower() for w in n2.split())
    if n2:
        out.append(n2)
    scr = scripts_of(n2)
    if scr == {"CYRILLIC"}:
        toks = n2.split()
        # Ukrainian/Russian "Surname Given Patronymic" (no comma) -> "Given Patronymic Surname"
        if len(toks) == 3 and CYR_PATRONYMIC.search(toks[2]) and not CYR_PATRONYMIC.search(toks[1]):
            n2 = f"{toks[1]} {toks[2]} {toks[0]}"
            out = [n2]
            toks = n2.split()
        if len(toks) == 3 and CYR_PATRONYMIC.search(toks[1]):
            out.append(f"{toks[0]} {toks[2]}")
    return out


_CYR = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
        "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
        "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "'": "", "ʼ": ""}


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
                t = _CYR.get(lo, unidecode(ch))
            if ch.isupper() and t:
                t = t[0].upper() + t[1:]
            w.append(t)
            prev = lo
        s = "".join(w)
        s = re.sub(r"iy$", "iy", s)
        out.append(s)
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
    s = s.replace("\x01", "j").replace("\x01".upper(), "J")
    s = re.sub(r"(^|\s)j", lambda m: m.group(1) + "J", s)
    out = [s] if s != name else []
    # partial modernisation (only oe -> u) is common in news: "Soeharto" -> "Suharto"
    s2 = re.sub(r"(?i)oe", lambda m: case("u", m), name)
    if s2 != name and s2 not in out:
        out.append(s2)
    return out


POSITION_ID = [
    (r"^president$", "Presiden"),
    (r"^vice[- ]president$", "Wakil Presiden"),
    (r"^(first )?deputy prime minister$", "Wakil Perdana Menteri"),
    (r"^prime minister$|^premier$", "Perdana Menteri"),
    (r"^chancellor$|^federal chancellor$", "Kanselir"),
    (r"^(monarch|king|queen|emperor|sovereign)$", "Raja/Kepala Negara"),
    (r"^supreme leader$", "Pemimpin Tertinggi"),
    (r"^(minister|secretary) (of|for) (foreign affairs|external affairs|external relations|foreign affairs and .*)$|^foreign minister$|^secretary of state$",
     "Menteri Luar Negeri"),
    (r"^(minister|secretary) (of|for) (defen[cs]e|national defen[cs]e)$|^defen[cs]e minister$", "Menteri Pertahanan"),
    (r"^(minister|secretary) (of|for) (finance|the treasury|economy and finance)$|^finance minister$", "Menteri Keuangan"),
    (r"^(minister|secretary) (of|for) (home affairs|internal affairs|the interior|interior)$", "Menteri Dalam Negeri"),
    (r"^(minister|secretary) (of|for) (health|health and welfare|health and human services)$", "Menteri Kesehatan"),
    (r"^(minister|secretary) (of|for) justice$|^attorney general$", "Menteri Kehakiman/Jaksa Agung"),
    (r"^minister of unification$", "Menteri Unifikasi"),
    (r"^secretary-general of the united nations$", "Sekretaris Jenderal PBB"),
    (r"^deputy secretary-general of the united nations$", "Wakil Sekretaris Jenderal PBB"),
    (r"^president of the united nations general assembly$", "Presiden Majelis Umum PBB"),
    (r"^(judge|president|vice president) of the international court of justice$", "Hakim Mahkamah Internasional"),
    (r"^director-general of the world trade organization$", "Direktur Jenderal WTO"),
    (r"^member of the state duma$", "Anggota Duma Negara"),
    (r"^member of the federation council", "Anggota Dewan Federasi"),
    (r"^people's deputy of ukraine$", "Anggota Verkhovna Rada"),
    (r"^member of national assembly of south korea$", "Anggota Majelis Nasional"),
    (r"^member of the (\d{4}-\d{4} )?people's representative council of indonesia$", "Anggota DPR"),
    (r"^member of the regional representative council", "Anggota DPD"),
    (r"^united states representative$", "Anggota DPR"),
    (r"^united states senator$", "Senator"),
    (r"^knesset member$", "Anggota Knesset"),
    (r"^member of the house of representatives$", "Anggota DPR"),
    (r"^member of the house of councillors$", "Anggota Majelis Tinggi"),
    (r"^member of the national people's congress$", "Anggota Kongres Rakyat Nasional"),
    (r"^member of the dewan rakyat$", "Anggota Dewan Rakyat"),
    (r"^member of the dewan negara$", "Anggota Dewan Negara"),
    (r"parliamentary assembly of the council of europe", "Anggota Majelis Parlementer Dewan Eropa (PACE)"),
    (r"^governor of (.*)$", None),
    (r"^ambassador to (.*)$", "AMB"),
    (r"^permanent representative to the united nations$", "Wakil Tetap untuk PBB"),
]


def translate_position(label: str) -> str:
    l = label.strip().lower()
    for pat, rep in POSITION_ID:
        m = re.search(pat, l)
        if m:
            if rep is None:
                return "Gubernur " + label.strip()[len("governor of "):]
            if rep == "AMB":
                return "AMB:" + label.strip()[len("ambassador to "):]
            return rep
    return ""


def org_kind(name: str) -> str:
    n = name.lower()
    if n.startswith("partai") or " party" in n or n.startswith("party"):
        return "party"
    if re.search(r"universitas|university|institut|sekolah tinggi|politeknik|akademi|college", n):
        return "university"
    if re.search(r"\b(fc|f\.c\.|sc|s\.c\.|cf|club|klub|united|persatuan sepak bola|ps[a-z]*)\b", n) or n.startswith("persi"):
        return "sports_club"
    if re.search(r"^(pt|cv)\b|\b(tbk|inc|ltd|corp|corporation|company|group|gmbh|s\.a\.|airlines?|bank)\b", n):
        return "company"
    if re.search(r"^(kementerian|departemen|badan|komisi|dinas|pemerintah|lembaga|dewan|majelis|mahkamah|kepolisian)", n):
        return "state_body"
    if re.search(r"televisi|tv\b|radio|koran|harian|majalah|surat kabar|news|berita", n):
        return "media"
    return "organization"


# --------------------------------------------------------------------------------------------------
# Curated input and YAML output
# --------------------------------------------------------------------------------------------------
def yaml_loader():
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_dumper():
    return getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load_curated(curated_dir: Path) -> list[dict]:
    recs = []
    for f in sorted(curated_dir.glob("*.yaml")):
        data = yaml.load(f.read_text(encoding="utf-8"), Loader=yaml_loader()) or []
        for r in data:
            if isinstance(r, dict) and r.get("id"):
                recs.append(r)
    return recs


FILE_ORDER = ["countries", "cities", "indonesia", "kecamatan", "people_officials", "people_legislators", "people_other",
              "people_iddbpedia", "orgs_iddbpedia", "misc"]
KIND_ORDER = ["country", "territory", "intl_org", "former_country", "region", "capital", "city", "research_station",
              "province", "city_id", "regency", "district", "head_of_state", "head_of_government", "intl_official",
              "minister", "governor", "official", "ambassador", "legislator", "politician", "person"]


def write_yaml(records: list[dict], out_dir: Path, header: str) -> dict[str, tuple[int, int]]:
    out_dir.mkdir(parents=True, exist_ok=True)
    by_file = collections.defaultdict(list)
    for r in records:
        by_file[r.pop("_file")].append(r)
    kord = {k: i for i, k in enumerate(KIND_ORDER)}
    written = {}
    old = set(out_dir.glob("*.yaml"))
    for fname in sorted(by_file, key=lambda f: FILE_ORDER.index(f) if f in FILE_ORDER else 99):
        recs = by_file[fname]
        recs.sort(key=lambda r: (r.get("country") != "ID" if fname in ("indonesia", "kecamatan") else 0,
                                 kord.get(r.get("kind", ""), 99), -r.get("prior", 0), r["name"], r["id"]))
        recs = [{k: r[k] for k in KEY_ORDER if k in r} for r in recs]
        chunks = [recs]
        text = dump(recs)
        if len(text.encode("utf-8")) > MAX_FILE_BYTES:
            nparts = math.ceil(len(text.encode("utf-8")) / (MAX_FILE_BYTES * 0.9))
            size = math.ceil(len(recs) / nparts)
            chunks = [recs[i:i + size] for i in range(0, len(recs), size)]
        for i, chunk in enumerate(chunks):
            name = f"{fname}.yaml" if len(chunks) == 1 else f"{fname}_{i + 1}.yaml"
            path = out_dir / name
            body = header + dump(chunk) if len(chunks) > 1 else header + text
            path.write_text(body, encoding="utf-8")
            written[name] = (len(chunk), len(body.encode("utf-8")))
            old.discard(path)
    for stale in old:
        stale.unlink()
    return written


def dump(recs: list[dict]) -> str:
    return yaml.dump(recs, Dumper=yaml_dumper(), allow_unicode=True, sort_keys=False, default_flow_style=None,
                     width=110)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="build in memory and print counts; write nothing")
    ap.add_argument("--with-iddbpedia-persons", action="store_true",
                    help="also emit the ~18k Indonesian DBpedia person names as slug-id PER records (off by default: "
                         "noisy, no IDs, and they double the load time of the YAML)")
    ap.add_argument("--out", type=Path, default=None, help="output dir (default: <gazetteer>/generated)")
    args = ap.parse_args(argv)
    t0 = time.time()
    src = data_dir() / "gazetteer-sources"
    if not (src / "README.md").exists():
        print(f"gazetteer sources not found at {src} (set ENTNORM_DATA)", file=sys.stderr)
        return 2
    gdir = gazetteer_dir()
    out_dir = args.out or gdir / "generated"
    b = Builder(src, data_dir() / "text", gdir / "curated")
    b.load_attested_places()
    b.territories()
    b.cities()
    b.indonesia()
    b.people()
    b.surname_aliases()
    b.dbpedia(with_persons=args.with_iddbpedia_persons)
    records = b.finalize()
    gen_ids = {r["id"] for r in records}
    curated_new = [r for r in b.curated if r["id"] not in b.store.by_id]
    overridden = [r["id"] for r in b.curated if r["id"] in b.store.by_id]
    counts = collections.Counter((r["type"], r.get("kind", "")) for r in records)
    ccounts = collections.Counter((r["type"], r.get("kind", "")) for r in b.curated)
    print(f"\ncurated: {len(b.curated)} records ({len(overridden)} replace a generated record with the same id, "
          f"{len(curated_new)} are new)")
    dup = gen_ids & b.curated_ids
    assert not dup, dup
    header = ("# GENERATED by scripts/build_gazetteer.py from the shared gazetteer sources; do not edit by hand.\n"
              "# Put corrections and additions in gazetteer/curated/*.yaml (same schema, curated: true).\n")
    if not args.check:
        written = write_yaml(records, out_dir, header)
        print("\nfiles:")
        for name, (n, size) in written.items():
            print(f"  generated/{name:28s} {n:7d} records {size / 1e6:6.2f} MB")
    total = collections.Counter()
    for (t, k), n in counts.items():
        total[t] += n
    for (t, k), n in ccounts.items():
        total[t] += n
    print("\ncounts by type/kind (generated + curated):")
    allc = counts + ccounts
    for (t, k), n in sorted(allc.items(), key=lambda x: (x[0][0], -x[1])):
        print(f"  {t:4s} {k:22s} {n:7d}")
    print(f"  total: {sum(total.values())} ({', '.join(f'{t} {total[t]}' for t in TYPES)})")
    if b.notes:
        print(f"\nnotes ({len(b.notes)}):")
        for n in b.notes[:10]:
            print("  " + n)
        if len(b.notes) > 10:
            print(f"  ... {len(b.notes) - 10} more")
    print(f"\nbuilt in {time.time() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
