"""The Wikidata dump importer (entnorm/kb/wikidata) on the dump fixture in tests/data/wikidata (make_fixture.py)."""
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from entnorm.cli import main
from entnorm.kb.schema import FIELDS, check_record, entity_from_record
from entnorm.kb.wikidata import BuildOptions, build, iter_records, load_class_map, prior_from_sitelinks
from entnorm.kb.wikidata.classes import CLASS_MAP, Label, type_of, widen

DATA = Path(__file__).resolve().parent.parent / "data" / "wikidata"
MINI_GAZETTEER = DATA.parent / "mini_gazetteer.yaml"
KEPT = {  # the fixture items the default filter keeps (idwiki/enwiki article, typed, not ambiguous)
    "Q30", "Q42", "Q60", "Q252", "Q833", "Q3630", "Q1000001", "Q1000002", "Q1000003", "Q1000004", "Q1000005",
    "Q1000006", "Q1000010", "Q1000011", "Q1000012", "Q1000013", "Q1000014", "Q1000015", "Q1000017", "Q1000020",
    "Q1000030", "Q1000031", "Q1000032", "Q1000033", "Q1000034", "Q1000035", "Q1000036", "Q1000037", "Q1000038",
    "Q1000039", "Q1000040", "Q1000041", "Q1000042", "Q1000051", "Q1000052"}


class Built:
    def __init__(self, out: Path, manifest: dict, stderr: str):
        self.out, self.manifest, self.stderr = out, manifest, stderr
        self.records = list(iter_records(out))
        self.by_id = {r["id"]: r for r in self.records}
        self.counts = manifest["counts"]

    def raw(self) -> bytes:
        return (self.out / "records.jsonl.gz").read_bytes()


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    cache = {}

    def _run(*names, **options) -> Built:
        key = (names, tuple(sorted(options.items())))
        if key not in cache:
            out = tmp_path_factory.mktemp("kb")
            err = io.StringIO()
            options.setdefault("workers", 1)
            inputs = [n if isinstance(n, Path) else DATA / n for n in names]
            cache[key] = Built(out, build(inputs, out, BuildOptions(**options), err=err), err.getvalue())
        return cache[key]

    return _run


def test_default_filter_keeps_typed_items_with_an_id_or_en_article(run):
    b = run("dump.json")
    assert set(b.by_id) == KEPT
    assert b.counts["kept"] == {"PER": 9, "LOC": 11, "ORG": 15}
    assert b.counts["malformed"] == 0 and not b.counts["incomplete"] and b.manifest["dumps"][0]["complete"]
    skipped = b.counts["skipped"]
    assert skipped["no idwiki/enwiki article"] == 5          # jvwiki-only person, no-sitelink items, P17, L7
    assert skipped["no P31 value (missing, deprecated, or novalue/somevalue)"] == 1  # Q1000016: deprecated only
    assert "Q1000016" not in b.by_id and "Q1000015" in b.by_id  # somevalue P31 next to Q5 still types


def test_types_and_kinds_through_the_subclass_closure(run):
    b = run("dump.json")
    kind = {qid: (r["type"], r["kind"]) for qid, r in b.by_id.items()}
    assert kind["Q3630"] == ("LOC", "capital")       # capital (root) beats metropolis (1 step)
    assert kind["Q1000001"] == ("LOC", "city")       # megacity -> metropolis -> city
    assert kind["Q1000004"] == ("LOC", "region")     # fixture province class -> first-level division
    assert kind["Q1000003"] == ("LOC", "regency")
    assert kind["Q1000006"] == ("LOC", "airport")
    assert kind["Q1000032"] == ("ORG", "company")    # fixture bank class -> business
    assert kind["Q1000051"] == ("ORG", "company")    # business at 1 step beats a LOC class at 3
    assert kind["Q1000052"] == ("ORG", "university")  # through a P279 cycle
    assert kind["Q1000034"] == ("ORG", "sports_club") and kind["Q1000041"] == ("ORG", "band")
    assert kind["Q1000042"] == ("ORG", "brand") and kind["Q1000035"] == ("ORG", "party")
    assert {kind[q][0] for q in ("Q42", "Q1000010", "Q1000017")} == {"PER"}
    # a tie between ORG and LOC at the same distance, and the class below it: skipped
    assert "Q1000050" not in b.by_id and "Q1000055" not in b.by_id
    assert b.counts["skipped"]["ambiguous: the nearest P31 classes map to different types"] == 2
    # a deprecated P279 edge does not count; an unmapped class (film) does not type
    assert "Q1000053" not in b.by_id and "Q1000054" not in b.by_id
    assert b.counts["skipped"]["untyped: no P31 class under a mapped class"] == 2


def test_widen_and_type_of():
    roots = {1: Label("LOC", "city", 0, 0), 2: Label("ORG", "company", 1, 0), 3: Label("LOC", "settlement", 2, 0)}
    edges = [(10, 1), (11, 10), (12, 2), (12, 3), (13, 12), (14, 2), (14, 11), (15, 16), (16, 15), (16, 14), (1, 3)]
    from array import array

    labels = widen(roots, array("q", [n for pair in edges for n in pair]))
    assert (labels[11].type, labels[11].kind, labels[11].distance) == ("LOC", "city", 2)
    assert labels[12].type is None and labels[13].type is None      # tie, and below the tie
    assert (labels[14].type, labels[14].distance) == ("ORG", 1)     # nearest wins
    assert (labels[15].type, labels[15].distance) == ("ORG", 3)     # cycle 15 <-> 16 terminates
    assert labels[1] == roots[1]                                    # a root keeps its own entry
    assert type_of((99, 11, 14), labels).type == "ORG"              # 14 (1 step) nearer than 11 (2)
    assert type_of((10, 14), labels).type is None                   # LOC and ORG at 1 step
    assert type_of((99,), labels) is None


def test_class_map_file():
    cmap = load_class_map()
    assert cmap.sha256 == hashlib.sha256(CLASS_MAP.read_bytes()).hexdigest()
    for qid, typ in {"Q5": "PER", "Q515": "LOC", "Q3191695": "LOC", "Q4830453": "ORG", "Q476028": "ORG",
                     "Q215380": "ORG", "Q431289": "ORG"}.items():
        assert cmap.roots[int(qid[1:])].type == typ
    entries = [line for line in CLASS_MAP.read_text().splitlines() if line.strip().startswith("Q")]
    assert len(entries) == len(cmap.roots) and all("#" in line for line in entries)  # every class is named


def test_class_map_errors(tmp_path):
    bad = tmp_path / "classes.yaml"
    bad.write_text("classes:\n  Q5: {type: PERSON, kind: person}\n")
    with pytest.raises(ValueError, match="Q5"):
        load_class_map(bad)


def test_names_aliases_and_languages(run):
    r = run("dump.json").by_id
    assert r["Q3630"]["name"] == "Jakarta" and r["Q3630"]["description"] == "ibu kota Indonesia"
    assert r["Q3630"]["aliases"] == ["DKI Jakarta", "Daerah Khusus Ibukota Jakarta", "Batavia"]
    assert r["Q1000012"]["name"] == "Kim Jong Un" and r["Q1000012"]["aliases"] == ["Kim Jong-un"]  # mul, then en
    assert r["Q1000013"]["name"] == "Anwar Ibrahim"                # only a Malay label
    assert r["Q1000017"]["name"] == "Soekarno" and "Sukarno" in r["Q1000017"]["aliases"]  # id label first
    assert r["Q1000002"]["aliases"] == ["Kota Kembang"]            # Sundanese alias; the same labels deduplicated
    assert r["Q1000020"]["name"] == "Unknown Person"               # no label in the languages: the enwiki title
    assert r["Q42"]["description"] == "English writer and humorist"  # no id description: en
    assert r["Q252"]["aliases"][0] == "Indonésia"                  # jv label; the French one is not kept
    assert not any("Indonésie" in a for a in r["Q252"]["aliases"])
    assert r["Q60"]["name"] == "New York" and r["Q60"]["aliases"] == ["New York City", "NYC"]


def test_short_names_become_aliases(run):
    r = run("dump.json").by_id
    assert r["Q1000035"]["aliases"][-2:] == ["PDI-P", "PDIP"]
    assert r["Q1000031"]["aliases"] == ["Telkom"]                  # the Japanese short name is not kept
    assert "GA" in r["Q1000030"]["aliases"] and "CGK" in r["Q1000006"]["aliases"]
    assert r["Q30"]["aliases"].count("USA") == 1 and "AS" in r["Q30"]["aliases"]
    assert "RI" in r["Q252"]["aliases"]


def test_country_codes_from_p297(run):
    r = run("dump.json").by_id
    country = {q: r[q].get("country", "") for q in r}
    assert country["Q1000010"] == "ID"        # P27
    assert country["Q1000011"] == "ID"        # a person: P27 over P17
    assert country["Q1000002"] == "ID"        # deprecated P17 skipped
    assert country["Q1000005"] == "ID"        # preferred P17 first
    assert country["Q60"] == "US" and country["Q1000013"] == "MY" and country["Q252"] == "ID"
    assert country["Q1000012"] == country["Q1000014"] == country["Q42"] == ""  # no item / novalue / no P297
    assert r["Q30"]["refs"]["iso"] == "US"    # the deprecated P297 (UM) is not used


def test_prior_follows_the_wikipedia_sitelink_count(run):
    r = run("dump.json").by_id
    assert [prior_from_sitelinks(n) for n in (0, 1, 3, 15, 63, 255, 1000)] == [0, 0.125, 0.25, 0.5, 0.75, 1, 1]
    assert all(prior_from_sitelinks(n) <= prior_from_sitelinks(n + 1) for n in range(400))
    assert r["Q42"]["prior"] == prior_from_sitelinks(17)   # commonswiki is not a Wikipedia
    order = ["Q1000039", "Q30", "Q252", "Q3630", "Q1000033", "Q1000031", "Q1000037", "Q1000020"]  # 27 ... 1 sites
    priors = [r[q]["prior"] for q in order]
    assert priors == sorted(priors, reverse=True) and len(set(priors)) == len(priors)


def test_all_labelled_widens_the_filter(run):
    default, wide = run("dump.json"), run("dump.json", all_labelled=True)
    assert set(wide.by_id) - set(default.by_id) == {"Q1000018", "Q1000019"}   # jvwiki only / no sitelinks
    assert set(default.by_id) - set(wide.by_id) == {"Q1000020"}               # kept for its article, no label
    assert wide.counts["skipped"]["not an item (property)"] == 1
    assert wide.counts["skipped"]["not an item (lexeme)"] == 1
    assert wide.manifest["options"]["filter"] == "all-labelled"


def test_records_follow_the_schema_sorted_by_qid(run):
    b = run("dump.json")
    for rec in b.records:
        check_record(rec, rec["id"])
        assert entity_from_record(rec).name == rec["name"]   # what the index compiles from
        assert list(rec) == [k for k in FIELDS if k in rec] and rec["source"] == "wikidata"
        assert 0 <= rec["prior"] <= 1
    ids = [int(r["id"][1:]) for r in b.records]
    assert ids == sorted(ids)
    m = b.manifest
    assert m["class_map"]["sha256"] == hashlib.sha256(CLASS_MAP.read_bytes()).hexdigest()
    assert m["dumps"] == [{"name": "dump.json", "size": (DATA / "dump.json").stat().st_size, "format": "plain",
                           "lines": 63, "complete": True}]
    assert m["entnorm_version"] and m["elapsed_s"] >= 0 and m["counts"]["kept_total"] == len(b.records)


def test_malformed_lines_are_reported_and_the_run_finishes(run):
    b = run("malformed.json")
    lines = (DATA / "dump.json").read_text().splitlines()
    damaged = {json.loads(lines[n - 1].rstrip(","))["id"] for n in (22, 32, 42)}
    assert b.counts["malformed"] == 3
    examples = b.counts["malformed_examples"]
    assert [e.split(":")[1] for e in examples] == ["22", "32", "42"]
    assert "truncated line" in examples[0] and "invalid JSON" in examples[1] and "mainsnak" in examples[2]
    assert set(b.by_id) == KEPT - damaged
    assert "malformed line malformed.json:22" in b.stderr


def test_truncated_gzip_is_reported(run, capsys):
    b = run("truncated.json.gz")
    assert not b.manifest["dumps"][0]["complete"]
    assert "truncated gzip" in b.manifest["dumps"][0]["problem"] and b.counts["incomplete"]
    assert b.counts["malformed"] == 1                         # the cut last line
    assert set(b.by_id) < KEPT and b.by_id
    assert "INCOMPLETE truncated.json.gz" in b.stderr


def test_the_three_compressions_give_identical_output(run, tmp_path):
    outputs = {name: run(name).raw() for name in ("dump.json", "dump.json.gz", "dump.json.bz2")}
    assert len(set(outputs.values())) == 1
    data = (DATA / "dump.json").read_bytes()
    members = tmp_path / "pigz-style.json.gz"   # a multi-member gzip, as pigz writes
    members.write_bytes(b"".join(gzip.compress(data[i:i + 20000], mtime=0) for i in range(0, len(data), 20000)))
    assert run(members).raw() == outputs["dump.json"]


def test_parallel_equals_serial(run):
    serial = run("dump.json.gz", chunk_bytes=4000)
    parallel = run("dump.json.gz", chunk_bytes=4000, workers=2)
    assert parallel.raw() == serial.raw()
    assert parallel.counts == serial.counts
    assert run("malformed.json", workers=2, chunk_bytes=3000).counts == run("malformed.json").counts


def test_yaml_input_is_copied_through(run):
    b = run("dump.json", MINI_GAZETTEER)
    yaml_ids = {"Q4160964", "Q57792", "Q30", "Q649", "Q7415"}
    assert yaml_ids <= set(b.by_id)
    assert b.by_id["Q30"]["name"] == "Amerika Serikat" and "source" not in b.by_id["Q30"]  # the YAML record wins
    assert b.by_id["Q30"]["aliases"] == ["AS", "USA", "Amerika"]
    assert b.counts["dropped_after_typing"] == {"LOC": 1} and b.counts["yaml_records"] == 16
    ids = [r["id"] for r in b.records]
    assert ids == sorted(ids, key=lambda i: int(i[1:]))


def test_cli_kb_build(tmp_path, capsys):
    assert main(["kb", "build", str(DATA / "dump.json.bz2"), "-o", str(tmp_path / "kb"), "--workers", "2"]) == 0
    assert len(list(iter_records(tmp_path / "kb"))) == len(KEPT)
    assert "LOC" in capsys.readouterr().err
    assert main(["kb", "build", str(DATA / "malformed.json"), "-o", str(tmp_path / "m"), "--quiet"]) == 1
    assert main(["kb", "build", str(DATA / "truncated.json.gz"), "-o", str(tmp_path / "t"), "--quiet"]) == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {id: Q1, type: CITY, name: X}\n")
    assert main(["kb", "build", str(bad), "-o", str(tmp_path / "b"), "--quiet"]) == 2
    assert "CITY" in capsys.readouterr().err
    assert main(["kb", "build", str(tmp_path / "missing.json.gz"), "-o", str(tmp_path / "x")]) == 2


def test_orjson_and_json_agree(tmp_path):
    pytest.importorskip("orjson")
    outs = []
    for lib in ("json", "auto"):
        env = {**os.environ, "ENTNORM_JSON": lib}
        subprocess.run([sys.executable, "-m", "entnorm.cli", "kb", "build", str(DATA / "dump.json.gz"), "-o",
                        str(tmp_path / lib), "--quiet"], check=True, env=env)
        outs.append((tmp_path / lib / "records.jsonl.gz").read_bytes())
        assert json.loads((tmp_path / lib / "manifest.json").read_text())["options"]["json"] == (
            "json" if lib == "json" else "orjson")
    assert outs[0] == outs[1]



def test_parallel_scratch_blocks_are_cleaned_up(run, tmp_path):
    from entnorm.kb.wikidata.build import block_dir

    run("dump.json", workers=2, chunk_bytes=5000)
    shm = Path("/dev/shm")
    assert not list(shm.glob(f"entnorm-kb-{os.getpid()}-*")) if shm.is_dir() else True
    assert not list(tmp_path.glob(".blocks-*"))
    if shm.is_dir() and os.access(shm, os.W_OK):
        stale = shm / "entnorm-kb-999999999-test"  # a killed run's blocks: no such process
        stale.mkdir(exist_ok=True)
        fresh = block_dir(tmp_path, 1)
        assert not stale.exists()
        os.rmdir(fresh)
