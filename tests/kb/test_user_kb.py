"""Knowledge bases the user layers over the shipped gazetteer (`entnorm annotate --kb`, `entnorm.load(kb=...)`)."""
import json

import pytest

import entnorm
from entnorm.cli import main
from entnorm.kb.loader import load_knowledge, open_user_kb

from conftest import MINI_GAZETTEER, TESTS

DUMP = TESTS / "data" / "wikidata" / "dump.json"


def link(nlp, text, label):
    return nlp(text, entities=[{"start": 0, "end": len(text), "label": label}]).spans[0]


@pytest.fixture(scope="module")
def built_kb(tmp_path_factory):
    out = tmp_path_factory.mktemp("kb") / "wikidata"
    assert main(["kb", "build", str(DUMP), "-o", str(out), "--quiet", "--workers", "1"]) == 0
    return out


def test_a_built_dump_links_over_the_gazetteer(built_kb):
    nlp = entnorm.load(gazetteer=[MINI_GAZETTEER], kb=built_kb, ner=False)
    assert link(nlp, "Persija Jakarta", "ORG").id == "Q1000033"   # only in the dump
    assert link(nlp, "Moskwa", "LOC").id == "Q649"                 # only in the gazetteer
    assert len(nlp.linker.kb) == len(open_user_kb(built_kb)) + len(entnorm.load(gazetteer=[MINI_GAZETTEER],
                                                                                  ner=False).linker.kb)


def test_the_users_record_wins_on_a_shared_id(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("- {id: Q649, type: LOC, name: Moskva Ibukota, aliases: [Ibukota Rusia]}\n"
                    "- {id: Q900000001, type: PER, name: Rudiantara}\n")
    nlp = entnorm.load(gazetteer=[MINI_GAZETTEER], kb=[mine], ner=False)
    assert link(nlp, "Rudiantara", "PER").id == "Q900000001"
    assert link(nlp, "Ibukota Rusia", "LOC").name == "Moskva Ibukota"
    assert link(nlp, "Moskow", "LOC").id.startswith("nil:")  # the gazetteer's Q649 record, aliases and all, is hidden


def test_annotate_with_kb(built_kb, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": "Persija Jakarta menang.", "entities": [{"start": 0, "end": 15, "label": "ORG"}]}) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["annotate", str(src), "-o", str(out), "--link-only", "--gazetteer", str(MINI_GAZETTEER),
                 "--kb", str(built_kb), "--quiet"]) == 0
    assert json.loads(out.read_text())["entities"][0]["id"] == "Q1000033"


def test_without_user_kbs_the_gazetteer_alone():
    assert type(load_knowledge([MINI_GAZETTEER])).__name__ == "MappedKnowledgeBase"
