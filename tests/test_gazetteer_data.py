"""Checks on the committed gazetteer YAML (gazetteer/generated/*.yaml + gazetteer/curated/*.yaml).

Loads every file once with yaml's C loader (when available) and checks the schema, id uniqueness, the size
target and a list of must-have entities and must-stay-apart pairs. Needs no shared data.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

GAZ = Path(__file__).resolve().parent.parent / "gazetteer"
KEYS = {"id", "type", "name", "aliases", "kind", "country", "description", "prior", "refs", "source", "curated"}
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

INDONESIAN_PROVINCES = [
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Jambi", "Sumatera Selatan", "Bengkulu", "Lampung",
    "Kepulauan Bangka Belitung", "Kepulauan Riau", "DKI Jakarta", "Jawa Barat", "Jawa Tengah", "DI Yogyakarta",
    "Jawa Timur", "Banten", "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat",
    "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara",
    "Sulawesi Tengah", "Sulawesi Selatan", "Sulawesi Tenggara", "Gorontalo", "Sulawesi Barat", "Maluku",
    "Maluku Utara", "Papua Barat", "Papua", "Papua Selatan", "Papua Tengah", "Papua Pegunungan", "Papua Barat Daya",
]


@lru_cache(maxsize=1)
def load() -> tuple[dict[str, list[dict]], list[dict]]:
    files: dict[str, list[dict]] = {}
    for path in sorted(GAZ.glob("*/*.yaml")):
        with open(path, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=Loader)
        assert isinstance(data, list), f"{path}: top level must be a list"
        files[str(path.relative_to(GAZ))] = data
    records = [r for recs in files.values() for r in recs]
    return files, records


@lru_cache(maxsize=1)
def alias_index() -> dict[str, list[dict]]:
    idx: dict[str, list[dict]] = {}
    for r in load()[1]:
        for a in [r["name"]] + list(r.get("aliases") or []):
            idx.setdefault(a, []).append(r)
    return idx


def with_alias(alias: str, type_: str | None = None) -> list[dict]:
    return [r for r in alias_index().get(alias, []) if type_ is None or r["type"] == type_]


def one(alias: str, type_: str | None = None) -> dict:
    """The highest-prior record carrying this exact spelling."""
    recs = with_alias(alias, type_)
    assert recs, f"no record with name/alias {alias!r}"
    return max(recs, key=lambda r: r.get("prior", 0))


def test_files_present_and_small():
    files, _ = load()
    assert any(f.startswith("generated/") for f in files)
    assert any(f.startswith("curated/") for f in files)
    for path in GAZ.glob("*/*.yaml"):
        assert path.stat().st_size < 8.5 * 1024 * 1024, path


def test_schema():
    files, records = load()
    for fname, recs in files.items():
        curated_file = fname.startswith("curated/")
        for r in recs:
            assert isinstance(r, dict), (fname, r)
            assert set(r) <= KEYS, (fname, r["id"], set(r) - KEYS)
            for k in ("id", "type", "name"):
                assert isinstance(r.get(k), str) and r[k].strip(), (fname, r)
            assert r["type"] in ("PER", "LOC", "ORG"), r["id"]
            assert re.fullmatch(r"Q\d+|(per|loc|org):[a-z0-9][a-z0-9.\-]*", r["id"]), r["id"]
            if "aliases" in r:
                assert isinstance(r["aliases"], list) and r["aliases"], r["id"]
                for a in r["aliases"]:
                    assert isinstance(a, str) and a.strip() == a and a, (r["id"], a)
                    assert not a.isdigit() and len(a) >= 2, (r["id"], a)
            if "country" in r:
                assert re.fullmatch(r"[A-Z]{2}", r["country"]), (r["id"], r["country"])
            assert 0.0 <= float(r.get("prior", 0)) <= 1.0, r["id"]
            if "refs" in r:
                assert isinstance(r["refs"], dict)
                assert all(isinstance(v, (str, int)) for v in r["refs"].values()), r["id"]
            if curated_file:
                assert r.get("curated") is True and r.get("source") == "curated", r["id"]
                assert "manual" in r.get("description", ""), r["id"]
            else:
                assert "curated" not in r, r["id"]
                assert r.get("source"), r["id"]


def test_ids_unique_and_enough_records():
    _, records = load()
    ids = [r["id"] for r in records]
    dup = {i for i in ids if ids.count(i) > 1} if len(set(ids)) != len(ids) else set()
    assert not dup, sorted(dup)[:20]
    assert len(records) >= 15_000


def test_every_indonesian_province():
    for prov in INDONESIAN_PROVINCES:
        recs = [r for r in with_alias(prov, "LOC") if r.get("country") == "ID"
                and (r.get("kind") == "province" or len(str((r.get("refs") or {}).get("bps", ""))) == 2)]
        assert recs, prov
    assert one("Jawa Barat")["id"] != one("Jawa Timur")["id"]
    assert one("Jabar")["id"] == one("Jawa Barat")["id"]


def test_regency_and_city_with_same_base_name_are_apart():
    kab, kota = one("Kabupaten Bogor"), one("Kota Bogor")
    assert kab["id"] != kota["id"]
    assert kab.get("refs", {}).get("bps") == "32.01"
    assert kota.get("refs", {}).get("bps") == "32.71"
    assert one("Kabupaten Malang")["id"] != one("Kota Malang")["id"]


@pytest.mark.parametrize("group", [
    ["Tiongkok", "China", "RRT", "Cina"], ["Inggris", "Britania Raya", "UK"], ["Prancis", "Perancis"],
    ["AS", "Amerika Serikat", "Amerika"], ["Korut", "Korea Utara", "DPRK"], ["Korsel", "Korea Selatan"],
    ["Rusia"], ["Belanda"], ["Jerman"], ["Jepang"], ["Hong Kong", "Hongkong"],
    ["Moskwa", "Moskow", "Moscow"], ["Wina", "Vienna"], ["Yerusalem", "Jerusalem"], ["Jenewa", "Geneva"],
    ["Den Haag", "The Hague"], ["Kyiv", "Kiev"], ["Kharkiv", "Kharkov"], ["Beijing", "Peking"],
    ["Pyongyang", "Pyeongyang"], ["Seoul"], ["Jakarta", "DKI Jakarta"],
])
def test_places_share_one_record(group):
    ids = {one(a, "LOC")["id"] for a in group}
    assert len(ids) == 1, (group, ids)


@pytest.mark.parametrize("group", [
    ["PBB", "Perserikatan Bangsa-Bangsa", "UN", "United Nations"], ["DK PBB", "Dewan Keamanan PBB", "UNSC"],
    ["Majelis Umum PBB"], ["NATO", "Pakta Pertahanan Atlantik Utara"], ["UE", "Uni Eropa", "EU"], ["ASEAN"],
    ["IAEA", "Badan Energi Atom Internasional"], ["WHO", "Organisasi Kesehatan Dunia"], ["UNICEF"], ["UNHCR"],
    ["UNESCO"], ["IMF", "Dana Moneter Internasional"], ["Bank Dunia", "World Bank"], ["WTO"], ["OKI", "OIC"],
    ["G7"], ["G20"], ["BRICS"], ["ICC", "Mahkamah Pidana Internasional"], ["ICJ", "Mahkamah Internasional"],
    ["Palang Merah", "ICRC"], ["OPEC"], ["APEC"], ["Uni Afrika"], ["Liga Arab"],
    ["KCNA", "Kantor Berita Pusat Korea", "Korean Central News Agency"], ["Yonhap"], ["Antara", "LKBN Antara"],
    ["AFP"], ["Reuters"], ["AP", "Associated Press"], ["TASS"], ["RIA Novosti"], ["Xinhua"], ["Kyodo"], ["Bernama"],
    ["Al Jazeera"], ["BBC"], ["CNN"], ["Interfax"], ["Ukrinform"],
    ["Hamas"], ["Hizbullah", "Hezbollah"], ["Houthi"], ["ISIS", "ISIL", "Negara Islam"], ["Taliban"], ["Al-Qaeda"],
    ["Wagner"], ["HTS", "Hayat Tahrir al-Sham"], ["OPM", "KKB"], ["Partai Buruh Korea"], ["PDI-P", "PDIP"],
    ["Gerindra"], ["Golkar"], ["PKB"], ["PKS"], ["NasDem"], ["Demokrat"], ["PAN"], ["Partai Republik"],
    ["Partai Komunis Tiongkok"],
    ["KPK"], ["TNI"], ["TNI AD"], ["TNI AL"], ["TNI AU"], ["Polri"], ["BIN"], ["DPR"], ["MPR"], ["DPD"], ["MK"], ["MA"],
    ["BPK"], ["Kemlu", "Kementerian Luar Negeri"], ["Kemhan", "Kementerian Pertahanan"], ["Kemenkeu"], ["Kemendagri"],
    ["Kemenkes"], ["Kemendikbud"], ["BMKG"], ["BNPB"], ["Basarnas"], ["Bank Indonesia"], ["OJK"], ["KPU"], ["Bawaslu"],
    ["Istana Kepresidenan"], ["Kremlin"], ["Gedung Putih", "White House"], ["Pentagon"], ["Kementerian Pertahanan Rusia"],
    ["Kepala Staf Gabungan Korea Selatan", "JCS"], ["Dinas Intelijen Nasional Korea Selatan", "NIS"],
    ["Kementerian Unifikasi"],
])
def test_organisations_share_one_record(group):
    ids = {one(a, "ORG")["id"] for a in group}
    assert len(ids) == 1, (group, ids)


@pytest.mark.parametrize("group", [
    ["Vladimir Putin", "Putin", "Владимир Путин"], ["Andrei Belousov", "Andrey Belousov", "Beloussov", "Андрей Белоусов"],
    ["Mark Rutte"], ["Andrii Sybiha"], ["Maria Zakharova"], ["Sergei Shoigu", "Sergey Shoygu"],
    ["Kim Jong Un", "Kim Jong-un", "김정은"], ["Kim Jong Il", "Kim Jong-il"], ["Kim Il Sung"], ["Kim Yo Jong"],
    ["Yoon Suk Yeol", "Yoon Suk-yeol", "Yoon Seok-yul", "Yun Suk-yeol", "윤석열"], ["Lee Jae-myung"], ["Lee Jae-yong"],
    ["Volodymyr Zelensky", "Zelenskyy", "Zelenskiy", "Zelenski"], ["Bashar al-Assad", "Basyar al-Assad", "Bashar Assad"],
    ["Prabowo Subianto", "Prabowo"], ["Joko Widodo", "Jokowi"], ["Soekarno", "Sukarno"], ["Soeharto", "Suharto"],
    ["Donald Trump"], ["Donald Tusk"], ["Emmanuel Macron"], ["Xi Jinping"], ["Benjamin Netanyahu"],
    ["Antonio Guterres", "António Guterres"], ["Kamala Harris"], ["Joe Biden"], ["Keir Starmer"], ["Olaf Scholz"],
    ["Friedrich Merz"], ["Ishiba Shigeru", "Shigeru Ishiba"], ["Anwar Ibrahim"], ["Narendra Modi"],
    ["Recep Tayyip Erdogan", "Recep Tayyip Erdoğan"], ["Sergey Lavrov", "Sergei Lavrov"], ["Lloyd Austin"],
    ["Pete Hegseth"], ["Marco Rubio"], ["Antony Blinken"], ["Jens Stoltenberg"], ["Rafael Grossi"],
    ["Ursula von der Leyen"], ["Kaja Kallas"], ["Hasan Nasrallah", "Hassan Nasrallah"], ["Yahya Sinwar"],
    ["Ismail Haniyeh"], ["Abu Mohammed al-Julani", "Ahmed al-Sharaa"], ["Mahmoud Abbas"], ["Ali Khamenei"],
    ["Masoud Pezeshkian"], ["Alexander Lukashenko"], ["Choe Son Hui"], ["Han Duck-soo"], ["Choi Sang-mok"],
    ["Shin Won-sik"], ["Kim Yong-hyun"],
])
def test_people_share_one_record(group):
    ids = {one(a, "PER")["id"] for a in group}
    assert len(ids) == 1, (group, ids)
    rec = one(group[0], "PER")
    assert rec.get("curated") is True, rec["id"]


@pytest.mark.parametrize("a,b", [
    ("Kim Jong Un", "Kim Jong Il"), ("Kim Jong Un", "Kim Il Sung"), ("Kim Jong Un", "Kim Yo Jong"),
    ("Lee Jae-myung", "Lee Jae-yong"), ("Donald Trump", "Donald Tusk"),
])
def test_people_kept_apart(a, b):
    assert one(a, "PER")["id"] != one(b, "PER")["id"]


def test_rote_island_is_not_rutte():
    rote = one("Pulau Rote", "LOC")
    assert rote["country"] == "ID"
    assert one("Mark Rutte", "PER")["id"] != rote["id"]
    assert "Rutte" not in (rote.get("aliases") or [])


def test_known_qids():
    assert one("Kim Jong Un", "PER")["id"] == "Q56226"
    assert one("Mark Rutte", "PER")["id"] == "Q57792"
    assert one("Vladimir Putin", "PER")["id"] == "Q7747"
    assert one("Moskow", "LOC")["id"] == "Q649"
    assert one("NATO", "ORG")["id"] == "Q7184"


def test_no_generic_word_aliases():
    generic = {"Barat", "Timur", "Utara", "Selatan", "Tengah", "Kota", "Pusat", "Raya", "Baru", "Batu", "Kabupaten"}
    for r in load()[1]:
        bad = generic & set(r.get("aliases") or [])
        assert not bad, (r["id"], bad)
    batu = one("Kota Batu", "LOC")  # the city is there, under its name, with the BPS code (and its old slug id)
    assert batu["refs"]["bps"] == "35.79" and batu["refs"]["slug"] == "loc:id-bps-3579"
