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
    assert len(list((tmp_path / "cache").glob("gazetteer-*.pickle"))) == 1
    (gz / "a.yaml").write_text("- {id: Q1, type: LOC, name: Wina}\n- {id: Q2, type: LOC, name: Jenewa}\n")
    assert len(load_kb([gz])) == 2  # an edit recompiles, never serves a stale index
