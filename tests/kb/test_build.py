"""The gazetteer builder (`python -m entnorm.kb.build`) on the fixture sources in tests/data/kb_sources/.

The fixtures are a few hand-written rows in the formats of the real sources, so these tests need no shared data.
The last test builds the real gazetteer (--check) and is skipped when the shared sources are absent.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz

from entnorm import settings
from entnorm.kb import schema
from entnorm.kb.loader import compile_kb
from entnorm.kb.build import Paths, build
from entnorm.kb.build.__main__ import main
from entnorm.kb.build.aliases import risky, spelling_key
from entnorm.kb.build.parties import short_names
from entnorm.kb.build.popular import club_names, club_town
from entnorm.kb.build.newsstats import NewsStats, news_files
from entnorm.kb.build.records import Entity
from entnorm.kb.build.tables import DATA_DIR, TableError, csv_table, yaml_table
from entnorm.kb.build.writer import HEADER, write_yaml

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "kb_sources"
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def fixture_paths(out: Path | None = None) -> Paths:
    return Paths(src=FIXTURES / "gazetteer-sources", text=FIXTURES / "text", curated=FIXTURES / "curated", out=out)


@pytest.fixture(scope="module")
def result():
    return build(fixture_paths(), log=lambda msg: None)


@pytest.fixture(scope="module")
def records(result) -> dict[str, dict]:
    return {r["id"]: r for r in result.records}


@pytest.fixture
def fixture_env(tmp_path, monkeypatch) -> Path:
    """ENTNORM_DATA at the fixtures, ENTNORM_GAZETTEER at a temporary copy of the fixture curated files."""
    gaz = tmp_path / "gazetteer"
    shutil.copytree(FIXTURES / "curated", gaz / "curated")
    monkeypatch.setenv("ENTNORM_DATA", str(FIXTURES))
    monkeypatch.setenv("ENTNORM_GAZETTEER", str(gaz))
    return gaz


def names(rec: dict) -> list[str]:
    return [rec["name"], *(rec.get("aliases") or [])]


def read_yaml_dir(directory: Path) -> dict[str, list[dict]]:
    return {p.name: yaml.load(p.read_text(encoding="utf-8"), Loader=Loader) for p in sorted(directory.glob("*.yaml"))}


# -- what the records say -----------------------------------------------------------------------------------
def test_country_joins_its_sources_on_iso_code(records):
    kp = records["Q423"]  # rigour + CLDR/pycountry (territories csv) + mledoze + exonym seed + hand table
    assert (kp["type"], kp["kind"], kp["country"], kp["name"]) == ("LOC", "country", "KP", "Korea Utara")
    for alias in ("Korut",                           # hand table (data/country_forms.yaml), by ISO code
                  "Republik Demokrat Rakyat Korea",  # pycountry official Indonesian name
                  "North Korea", "DPRK",             # rigour names
                  "Северная Корея"):                 # mledoze Russian translation, joined on cca2
        assert alias in kp["aliases"], alias
    assert "Best Korea" not in kp["aliases"]         # a rigour name too unlike any primary name
    assert "Βόρεια Κορέα" not in kp["aliases"]       # Greek: not a script Indonesian news quotes
    assert kp["refs"] == {"iso3": "PRK", "iso": "KP"}
    assert kp["source"] == "rigour, mledoze"
    bd = records["Q902"]
    assert bd["name"] == "Bangladesh"                # CLDR Indonesian name
    assert "Banglades" in bd["aliases"]              # exonym seed, joined on the ISO code
    assert "Republik Rakyat Bangladesh" in bd["aliases"]
    assert records["Q159"]["name"] == "Rusia"


def test_city_with_a_qid(records):
    moscow = records["Q649"]  # Natural Earth city merged with the rigour city-region of the same QID
    assert (moscow["kind"], moscow["country"], moscow["name"]) == ("capital", "RU", "Moskow")
    assert moscow["description"] == "Ibu kota Rusia"  # the Indonesian country name from countries.py
    assert moscow["refs"] == {"iso_3166_2": "RU-MOW", "geonames": "524901"}
    assert {"Moscow", "Moskwa", "Moskva", "Москва"} <= set(moscow["aliases"])
    assert "Μόσχα" not in moscow["aliases"] and "모스크바" not in moscow["aliases"]  # not Russia's script
    assert "MOW" not in moscow["aliases"]  # GeoNames codes are no names
    assert 0.8 < moscow["prior"] <= 0.95
    # a place without a QID gets its GeoNames id
    assert records["loc:geonames-1185241"]["name"] == "Dhaka North"


def test_indonesian_regency_gets_its_qid_and_keeps_its_bps_slug(records):
    kab = records["Q10363"]  # soluvas: Kemendagri 32.01 -> Q10363; the BPS slug it had stays in refs
    assert (kab["name"], kab["kind"], kab["country"]) == ("Kabupaten Bogor", "regency", "ID")
    assert kab["refs"] == {"bps": "32.01", "kemendagri": "32.01", "slug": "loc:id-bps-3201", "geonames": "1648471"}
    assert kab["source"] == "bps-kemendagri, soluvas"
    assert "loc:id-bps-3201" not in records
    assert {"Bogor", "Kab. Bogor"} <= set(kab["aliases"])
    assert kab["description"] == "Kabupaten di Provinsi Jawa Barat"
    # the kota of the same name merges with the Natural Earth city (its QID), never with the kabupaten
    kota = records["Q10393"]
    assert (kota["name"], kota["kind"], kota["refs"]["bps"]) == ("Kota Bogor", "city_id", "32.71")
    assert records["Q11462"]["name"] == "Surabaya" and records["Q11462"]["refs"]["bps"] == "35.78"
    # provinces take their QID from the governors list
    assert records["Q3724"]["name"] == "Jawa Barat" and "Jabar" in records["Q3724"]["aliases"]
    assert records["loc:id-bps-3201010"]["name"] == "Kecamatan Nanggung"


def test_curated_record_wins_over_generated(result, records):
    assert "Q3318231" not in records  # the leaders list makes it; curated/people.yaml replaces it
    assert result.replaced == ["Q3318231"]
    assert "Q7747" in records  # the other leaders stay
    # a DBpedia organisation that a curated record already names is not added again
    assert not any(r["name"] == "Komisi Pemberantasan Korupsi" for r in records.values())
    assert not any(r["id"].startswith("org:komisi-pemberantasan-korupsi") for r in records.values())


def test_ordinary_indonesian_words_are_dropped_as_aliases(records):
    batu = records["Q11434"]  # Kota Batu: soluvas gives its QID, dr5hn its name "Batu"
    assert "dr5hn" in batu["source"] and batu["refs"]["slug"] == "loc:id-bps-3579"
    assert "Batu" not in names(batu)                            # stop-list word: Kota Batu has no bare "Batu"
    assert "Batu" not in names(records["loc:id-bps-3579010"])
    assert "Bandar" not in names(records["loc:id-bps-3501080"])  # the news text writes "bandar" in lower case
    assert "Pacitan" in records["loc:id-bps-3501090"]["aliases"]  # a place name stays
    news = NewsStats(news_files(FIXTURES / "text"))
    assert risky("Bandar", news) and risky("Kota Baru", news) and risky("Barat", news)
    assert not risky("Pacitan", news) and not risky("KPK", news) and not risky("Bandar Lampung", news)


def test_people_names_and_offices(records):
    putin = records["Q7747"]
    assert putin["description"] == "Presiden Rusia (2000-2008, 2012-)"
    assert "Putin" in putin["aliases"]  # bare surname of a head of state
    kim = records["Q56226"]
    assert {"Kim Jong Un", "Kim Jongun"} <= set(kim["aliases"])
    assert "Jong-un" not in kim["aliases"]  # the family name comes first: no bare "surname"
    lavrov = records["Q58217"]
    assert "Sergey Viktorovich Lavrov" in lavrov["aliases"]  # Cyrillic source name, romanised
    assert lavrov["description"] == "Menteri Luar Negeri Rusia (2004-)"
    assert records["Q4345832"]["kind"] == "legislator"


def test_dbpedia_organisations(records):
    orgs = {r["name"]: r for r in records.values() if r["id"].startswith("org:")}
    assert orgs["Universitas Indonesia"]["kind"] == "university"
    # a DBpedia name that a wide source has with a QID is that record, which keeps the slug the name had
    assert "Partai Demokrasi Indonesia Perjuangan" not in orgs
    assert records["Q1186306"]["refs"]["slug"] == "org:partai-demokrasi-indonesia-perjuangan"
    assert records["Q623042"]["refs"]["slug"] == "org:bank-rakyat-indonesia"  # NSI BRI
    assert not any(n.startswith("SDN") for n in orgs)  # schools are left out
    # two list entries that differ only by a comma are one name for entnorm.names.fold: one record
    assert [n for n in orgs if n.startswith("Universitas California")] == ["Universitas California, Berkeley"]


# -- the wide sources: soluvas, dr5hn, Party Facts, FB15k, NSI -----------------------------------------------------
def test_old_slug_resolves_to_the_qid_record(result, tmp_path):
    write_yaml(result.by_file, tmp_path)
    kb = compile_kb(sorted(tmp_path.glob("*.yaml")))
    assert kb.get("loc:id-bps-3201").id == "Q10363"  # Kabupaten Bogor: the slug of earlier builds still works
    assert kb.get("org:bank-rakyat-indonesia").id == "Q623042"
    assert kb.get("Q10363").name == "Kabupaten Bogor"


def test_one_entity_from_two_sources_is_one_record(records):
    samsung = records["Q20718"]  # FB15k "Samsung Electronics" and NSI "Samsung" / 三星 (same QID)
    assert samsung["source"] == "fb15k, nsi"
    assert samsung["name"] == "Samsung Electronics"
    assert {"Samsung", "Samsung Electronics Co., Ltd"} <= set(samsung["aliases"])
    assert sum(1 for r in records.values() if "Samsung" in names(r)) == 1
    moscow = records["Q649"]  # FB15k adds its names to the Natural Earth / rigour record
    assert moscow["source"] == "rigour, natural-earth, fb15k" and "City of Moscow" in moscow["aliases"]
    assert "Moscow, USSR" not in moscow["aliases"]  # a qualified form, no name
    surabaya = records["Q11462"]  # Natural Earth + BPS + soluvas + dr5hn
    assert surabaya["source"] == "natural-earth, bps-kemendagri, soluvas, dr5hn"


def test_fb15k_rows_are_typed_from_their_description(records):
    assert records["Q214642"]["type"] == "PER"                               # "novelist, poet, ..."
    assert (records["Q2739"]["type"], records["Q2739"]["kind"]) == ("ORG", "sports_club")
    assert (records["Q34433"]["type"], records["Q34433"]["kind"]) == ("ORG", "university")
    assert "Oxford" not in names(records["Q34433"])                           # a one-word alias that is a city
    for dropped in ("Q488655", "Q245068", "Q103916"):  # a film, a class ("comedian"), an award
        assert dropped not in records
    assert records["Q1277029"]["type"] == "PER"  # description "comedian": a person, not the class


def test_nsi_rows_that_are_no_organisation_or_a_namesake_are_dropped(records, result):
    assert "Q270059" not in records   # 7up: a vending machine category (a product)
    assert "Q543262" not in records   # City of Wanneroo: an operator that is a municipality
    assert "Q1818970" not in records  # NSI's Telkom is Telkom South Africa; curated Telkom Indonesia has the name
    assert "Q3370417" not in records  # Paul (bakery): a lone word of a person's name (Paul Auster)
    bri = records["Q623042"]
    assert (bri["type"], bri["kind"], bri["country"]) == ("ORG", "company", "ID")
    assert not any("Q1818970" in n for n in result.notes)  # not taken for the curated record: another country


def test_football_club_short_names(records):
    roma = records["Q2739"]
    assert {"AS Roma", "Roma"} <= set(roma["aliases"])  # "A.S. Roma": what news writes; Roma is Rome too (LOC)
    city = records["Q50602"]
    assert {"Manchester City FC", "Manchester City", "Man City"} <= set(city["aliases"])
    assert club_names("1. FC Köln") == ["FC Köln", "Köln"]
    assert club_names("Real Madrid C.F.") == ["Real Madrid CF", "Real Madrid"]
    assert club_names("Borussia Dortmund") == ["Dortmund"]
    # the town a club is called by, when it is that town's only club
    assert [club_town(n) for n in ("Leicester City F.C.", "Tottenham Hotspur F.C.", "AS Roma", "Hull City")] == \
        ["Leicester", "Tottenham", "", "Hull"]
    assert "Leicester" in records["Q19481"]["aliases"]
    assert "Manchester" not in city["aliases"]  # Manchester United is a Manchester club too


def test_party_short_names(records):
    golkar = records["Q1536552"]
    assert (golkar["name"], golkar["country"]) == ("Partai Golongan Karya", "ID")  # native name of an ID party
    assert {"Golkar", "Partai Golkar", "Golongan Karya Party"} <= set(golkar["aliases"])  # "Partai/Golkar"
    assert "PDIP" in records["Q1186306"]["aliases"]
    assert "Dem" not in names(records["Q1186227"])                       # an abbreviation, not a name
    united_russia = records["Q151469"]
    assert not {"Forenede", "Rusland"} & set(names(united_russia))      # "Forenede/Rusland": Danish words
    assert short_names("NP/NPA") == ["NP", "NPA"] and short_names("CD/V") == ["CD/V"]
    assert short_names("GOP/Grand/Old/Party") == ["GOP"] and short_names("Masyumi") == ["Masyumi"]


def test_dr5hn_qids_are_checked(records, result):
    assert "Q3398703" not in records   # two different North Korean towns share this QID in dr5hn
    assert "Q3795" not in records      # Kalimantan and Kalimantan Barat share it
    assert "dr5hn" not in records["Q10393"]["source"]  # dr5hn gives Kota Bogor's QID to Bojonegoro too
    assert records["Q214642"]["type"] == "PER"  # dr5hn's "Uxbridge" has Paul Auster's QID: not used
    assert any("Q214642" in n and "Uxbridge" in n for n in result.notes)
    assert "Q168843" not in records    # "Sari": a stop-list word is no name for a new record
    adygea = records["Q3734"]
    assert (adygea["kind"], adygea["country"], adygea["aliases"]) == ("region", "RU", ["Адыгея"])
    assert records["Q3724"]["source"].endswith("dr5hn")  # the province of the same QID takes its names


def test_priors_keep_new_entities_below_known_ones(records):
    chittagong, kab, kota = records["Q1074991"], records["Q10363"], records["Q11462"]
    assert chittagong["prior"] < kab["prior"] < kota["prior"] < records["Q649"]["prior"]  # 2.6M people, dr5hn
    assert records["Q806273"]["prior"] < chittagong["prior"]            # smaller city, lower prior
    assert records["Q3734"]["prior"] < 0.55                             # below rigour's subdivisions
    assert records["Q2579297"]["prior"] < records["Q1536552"]["prior"]  # dissolved Masyumi below Golkar
    assert records["Q623042"]["prior"] < records["Q2739"]["prior"] < records["Q1536552"]["prior"]


def test_generated_files_name_their_sources_and_licences(result, tmp_path):
    write_yaml(result.by_file, tmp_path)
    world = (tmp_path / "world_cities.yaml").read_text(encoding="utf-8")
    assert "Countries States Cities Database" in world and "Open Database" in world  # ODbL: share-alike notice
    brands = (tmp_path / "brands.yaml").read_text(encoding="utf-8")
    assert "name-suggestion-index" in brands and "BSD" in brands and "Open Database" not in brands


def test_records_follow_the_schema(result):
    for stem, recs in result.by_file.items():
        for n, rec in enumerate(recs):
            schema.check_record(rec, f"{stem}: record {n + 1}")
            assert list(rec) == [k for k in schema.FIELDS if k in rec]


# -- the folding the build compares names with ----------------------------------------------------------------
def test_latin_names_are_not_taken_by_romanised_aliases():
    e = Entity("Q211866", "LOC")
    e.add("Darnah")
    e.add("درنة")  # Arabic romanises without vowels: 'drn'
    assert "drn" not in e.latin_keys() and "darnah" in e.latin_keys()


def test_transliteration_apostrophes_do_not_pass_the_similarity_test():
    assert fuzz.ratio(spelling_key("Gamil'ton"), spelling_key("Hamilton")) < 85
    assert spelling_key("Mosk'va") == "mosk va"


# -- output files -------------------------------------------------------------------------------------------
def test_written_files_are_valid(result, tmp_path):
    written = write_yaml(result.by_file, tmp_path)
    files = read_yaml_dir(tmp_path)
    assert set(written) == set(files) == {f"{stem}.yaml" for stem in result.by_file}
    ids = []
    for name, recs in files.items():
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(HEADER)
        assert "python -m entnorm.kb.build" in HEADER
        for n, rec in enumerate(recs):
            schema.check_record(rec, f"{name}: record {n + 1}")
            ids.append(rec["id"])
        assert written[name][0] == len(recs)
    assert len(ids) == len(set(ids)) == len(result.records)


def test_large_file_is_split_under_the_limit(tmp_path):
    recs = [{"id": f"loc:test-{i:03d}", "type": "LOC", "name": f"Tempat {i:03d}", "aliases": [f"Alias {i:03d}"],
             "kind": "city", "prior": 0.5, "source": "test"} for i in range(60)]
    (tmp_path / "stale.yaml").write_text("[]\n", encoding="utf-8")
    limit = 1500
    written = write_yaml({"cities": recs, "countries": recs[:2]}, tmp_path, max_bytes=limit)
    parts = [n for n in written if n.startswith("cities_")]
    assert len(parts) > 1 and "cities.yaml" not in written
    assert parts == [f"cities_{i + 1}.yaml" for i in range(len(parts))]
    assert "countries.yaml" in written  # under the limit: not split
    assert not (tmp_path / "stale.yaml").exists()  # files this run did not write are removed
    back = [r for n in parts for r in yaml.load((tmp_path / n).read_text(encoding="utf-8"), Loader=Loader)]
    assert [r["id"] for r in back] == [r["id"] for r in recs]
    for n in parts:
        assert (tmp_path / n).stat().st_size <= limit


# -- the command -------------------------------------------------------------------------------------------
def test_check_writes_nothing(fixture_env, capsys):
    assert main(["--check"]) == 0
    assert not (fixture_env / "generated").exists()
    assert sorted(p.name for p in (fixture_env / "curated").iterdir()) == ["organizations.yaml", "people.yaml"]
    out = capsys.readouterr().out
    assert "1 replace a generated record" in out and "total:" in out


def test_default_output_and_out_option(fixture_env, tmp_path):
    assert main([]) == 0
    default = read_yaml_dir(fixture_env / "generated")
    assert "countries.yaml" in default and "people_iddbpedia.yaml" not in default
    assert main(["--out", str(tmp_path / "elsewhere"), "--with-iddbpedia-persons"]) == 0
    other = read_yaml_dir(tmp_path / "elsewhere")
    persons = {r["id"]: r for r in other["people_iddbpedia.yaml"]}
    assert "per:chairil-anwar" in persons
    assert "Sutan Syahrir" in persons["per:soetan-sjahrir"]["aliases"]  # pre-1972 spelling modernised
    assert {k: v for k, v in other.items() if k != "people_iddbpedia.yaml"} == default


def test_missing_sources_exit_code(tmp_path, monkeypatch):
    monkeypatch.setenv("ENTNORM_DATA", str(tmp_path))
    assert main(["--check"]) == 2


# -- the hand tables ------------------------------------------------------------------------------------------
def test_data_files_load_and_say_what_they_are():
    files = sorted(DATA_DIR.iterdir())
    assert files
    for path in files:
        assert path.read_text(encoding="utf-8").startswith("#"), f"{path.name}: needs a header comment"
        (yaml_table if path.suffix == ".yaml" else csv_table)(path.name)


def test_tables_reject_non_strings(tmp_path, monkeypatch):
    (tmp_path / "bad.yaml").write_text("# bad\nNO: [Norge]\n", encoding="utf-8")
    monkeypatch.setattr("entnorm.kb.build.tables.DATA_DIR", tmp_path)
    with pytest.raises(TableError, match="quote it"):
        yaml_table("bad.yaml")


# -- the real sources -------------------------------------------------------------------------------------------
def test_real_gazetteer_builds_in_check_mode(capsys):
    """Builds from $ENTNORM_DATA (about 40 s) and checks that it gives as many records as are committed."""
    if not (settings.data_dir() / "gazetteer-sources" / "README.md").exists():
        pytest.skip(f"shared gazetteer sources not found under {settings.data_dir()} (set ENTNORM_DATA)")
    gaz = settings.gazetteer_dir()
    before = {p: p.stat().st_mtime_ns for p in gaz.glob("*/*.yaml")}
    assert main(["--check"]) == 0
    out = capsys.readouterr().out
    assert {p: p.stat().st_mtime_ns for p in gaz.glob("*/*.yaml")} == before  # nothing written
    total = int(re.search(r"total: (\d+) \(", out).group(1))
    committed = sum(1 for p in gaz.glob("*/*.yaml") for line in p.open(encoding="utf-8") if line.startswith("- "))
    assert total == committed, "gazetteer/generated differs from what the build makes: regenerate it"


def test_licence_notice_is_current_and_names_every_source():
    """gazetteer/LICENSE-DATA.md is what the builder writes from data/sources.yaml (regenerate it, don't edit it),
    and names every source the shipped records cite."""
    from entnorm.kb.build.writer import licence_notice
    from entnorm.settings import gazetteer_dir

    notice = (gazetteer_dir() / "LICENSE-DATA.md").read_text(encoding="utf-8")
    assert notice == licence_notice(), "gazetteer/LICENSE-DATA.md is stale: python -m entnorm.kb.build regenerates it"
    cited = set()
    for path in (gazetteer_dir() / "generated").glob("*.yaml"):
        for value in re.findall(r"\bsource: '?([a-z0-9][a-z0-9, -]*)", path.read_text(encoding="utf-8")):
            cited.update(s.strip() for s in value.split(",") if s.strip())
    assert {"dr5hn", "fb15k", "nsi"} <= cited and all(f"| `{key}` |" in notice for key in cited), cited
