import pytest

from entnorm.gazetteer import compile_index, load_gazetteer
from entnorm.names import name_keys


def test_compile_indexes_every_alias(tmp_path):
    (tmp_path / "a.yaml").write_text("- {id: Q1, type: LOC, name: Moskwa, aliases: [Moskow, Moscow]}\n")
    index = compile_index([tmp_path / "a.yaml"])
    for alias in ("Moskwa", "Moskow", "Moscow"):
        assert index.by_folded[name_keys(alias).folded]


@pytest.mark.parametrize("body,problem", [
    ("- {id: Q1, name: X}\n", "needs id, type and name"),
    ("- {id: Q1, type: CITY, name: X}\n", "is not one of"),
    ("- {id: Q1, type: LOC, name: X}\n- {id: Q1, type: LOC, name: Y}\n", "duplicate entity id"),
    ("{id: Q1}\n", "expected a list"),
])
def test_bad_records_are_named(tmp_path, body, problem):
    (tmp_path / "bad.yaml").write_text(body)
    with pytest.raises(ValueError, match=problem):
        compile_index([tmp_path / "bad.yaml"])


def test_cache_follows_content(tmp_path, monkeypatch):
    monkeypatch.setenv("ENTNORM_CACHE", str(tmp_path / "cache"))
    gz = tmp_path / "gz"
    gz.mkdir()
    (gz / "a.yaml").write_text("- {id: Q1, type: LOC, name: Wina}\n")
    assert len(load_gazetteer([gz])) == 1
    assert len(list((tmp_path / "cache").glob("gazetteer-*.pickle"))) == 1
    (gz / "a.yaml").write_text("- {id: Q1, type: LOC, name: Wina}\n- {id: Q2, type: LOC, name: Jenewa}\n")
    assert len(load_gazetteer([gz])) == 2  # an edit recompiles, never serves a stale index
