import pytest

from entnorm.kb.loader import GazetteerNotFound, compile_kb, load_kb
from entnorm.names import name_keys


def test_compile_indexes_every_alias(tmp_path):
    (tmp_path / "a.yaml").write_text("- {id: Q1, type: LOC, name: Moskwa, aliases: [Moskow, Moscow]}\n")
    kb = compile_kb([tmp_path / "a.yaml"])
    for alias in ("Moskwa", "Moskow", "Moscow"):
        assert [kb.alias(a) for a in kb.exact(name_keys(alias).folded)] == [(0, alias)]


@pytest.mark.parametrize("body,problem", [
    ("- {id: Q1, name: X}\n", "needs id, type, name"),
    ("- {id: Q1, type: LOC, name: X, nmae: Y}\n", "unknown field"),
    ("- {id: Q1, type: CITY, name: X}\n", "is not one of"),
    ("- {id: Q1, type: LOC, name: X}\n- {id: Q1, type: LOC, name: Y}\n", "duplicate entity id"),
    ("{id: Q1}\n", "expected a list"),
])
def test_bad_records_are_named(tmp_path, body, problem):
    (tmp_path / "bad.yaml").write_text(body)
    with pytest.raises(ValueError, match=problem):
        compile_kb([tmp_path / "bad.yaml"])


def test_cache_follows_content(tmp_path, monkeypatch):
    monkeypatch.setenv("ENTNORM_CACHE", str(tmp_path / "cache"))
    gz = tmp_path / "gz"
    gz.mkdir()
    (gz / "a.yaml").write_text("- {id: Q1, type: LOC, name: Wina}\n")
    assert len(load_kb([gz])) == 1
    assert [p.is_dir() for p in (tmp_path / "cache").glob("gazetteer-*")] == [True]  # one compiled store
    (gz / "a.yaml").write_text("- {id: Q1, type: LOC, name: Wina}\n- {id: Q2, type: LOC, name: Jenewa}\n")
    assert len(load_kb([gz])) == 2  # an edit recompiles, never serves a stale index


def test_missing_or_empty_gazetteer_is_an_error_that_says_what_to_do(tmp_path, monkeypatch):
    with pytest.raises(GazetteerNotFound, match="does not exist"):
        load_kb([tmp_path / "nowhere"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(GazetteerNotFound, match="ENTNORM_GAZETTEER"):
        load_kb([tmp_path / "empty"])
    (tmp_path / "empty" / "a.yaml").write_text("[]\n")
    with pytest.raises(GazetteerNotFound, match="hold no records"):
        compile_kb([tmp_path / "empty" / "a.yaml"])
    monkeypatch.setenv("ENTNORM_GAZETTEER", str(tmp_path / "empty"))
    with pytest.raises(GazetteerNotFound):
        load_kb()


def test_query_api(tmp_path):
    (tmp_path / "a.yaml").write_text("- {id: Q1, type: PER, name: Andrei Belousov}\n"
                                     "- {id: Q2, type: LOC, name: Belousovo}\n")
    kb = compile_kb([tmp_path / "a.yaml"])
    keys = name_keys("Andrey Beloussov")
    assert [kb.alias(a)[1] for a in kb.same_key(keys.key)] == ["Andrei Belousov"]
    assert kb.get("Q2").type == "LOC" and kb.get("Q3") is None
    assert [kb.entity(e).id for e in kb.people_with_token(name_keys("Belousov").tokens[0])] == ["Q1"]
    assert kb.types_of("belousovo") == {"LOC"}


def test_old_slug_ids_resolve_to_the_record_that_took_a_qid(tmp_path):
    (tmp_path / "a.yaml").write_text("- {id: Q10114, type: LOC, name: Jakarta Selatan, refs: {slug: 'loc:id-bps-3171'}}\n"
                                     "- {id: Q1, type: ORG, name: X, refs: {slug: 'org:x, org:x-2'}}\n"
                                     "- {id: 'org:x-2', type: ORG, name: Y}\n")
    kb = compile_kb([tmp_path / "a.yaml"])
    assert kb.get("loc:id-bps-3171").id == "Q10114" and kb.get("org:x").id == "Q1"
    assert kb.get("org:x-2").name == "Y"  # a live id wins over an earlier slug of another record
