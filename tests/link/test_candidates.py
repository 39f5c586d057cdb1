import random

import pytest
from conftest import bench_module
from rapidfuzz import fuzz, process

from entnorm.names import name_keys
from entnorm.link.candidates import CandidateFinder
from entnorm.link.policy import Policy


def test_cache_is_bounded(mini_linker):
    finder = CandidateFinder(mini_linker.kb, Policy(), cache_size=2)
    for name in ("Rusia", "Moskow", "Kim Jong Un", "Kyiv"):
        finder.candidates(name)
    assert finder.candidates.cache_info().currsize == 2


def test_policy_thresholds_are_used(mini_linker):
    kb = mini_linker.kb
    assert CandidateFinder(kb, Policy()).candidates("Andrei Blousov")[0].method == "fuzzy"
    assert not CandidateFinder(kb, Policy(fuzzy_min=0.99)).candidates("Andrei Blousov")
    assert not CandidateFinder(kb, Policy(fuzzy_min_chars=99)).candidates("Andrei Blousov")


def test_core_forms():
    from entnorm.link.candidates import core_forms

    assert core_forms("Komisi Pemberantasan Korupsi (KPK)") == ["Komisi Pemberantasan Korupsi", "KPK"]
    assert core_forms("PT Telkom Tbk") == ["Telkom"]
    assert core_forms("Telkom") == []


def test_parenthesis_falls_back_to_the_name_or_its_acronym(mini_linker):
    assert mini_linker.candidates("NATO (North Atlantic)")[0].method in ("exact", "alias")


@pytest.mark.parametrize("compiled", [False, True])
def test_typo_search_finds_what_ranking_the_whole_block_finds(tmp_path, compiled):
    """The length band and character bounds skip aliases, never change the top aliases of a block."""
    from entnorm.kb.index import KnowledgeBase
    from entnorm.kb.store import compile_store, open_store

    entities = list(bench_module("kb").synthetic_entities(3000))
    kb = open_store(compile_store(entities, tmp_path / "kb")) if compiled else KnowledgeBase(entities)
    finder, policy, rng = CandidateFinder(kb, Policy()), Policy(), random.Random(3)
    blocks = {}
    for a in range(kb.n_aliases):
        blocks.setdefault(name_keys(kb.alias(a)[1]).key[:3], []).append(a)
    searched = found = 0
    for a in rng.sample(range(kb.n_aliases), 400):
        text = kb.alias(a)[1]
        i = rng.randrange(1, len(text) - 1) if len(text) > 2 else 0
        for query in (text, text[:i] + text[i + 1:], text[:i] + "e" + text[i:]):
            keys = name_keys(query)
            block = blocks.get(keys.key[:3], [])
            whole = process.extract(keys.folded, [kb.alias(b)[1] for b in block], scorer=fuzz.ratio, processor=None,
                                    score_cutoff=policy.fuzzy_block_cutoff, limit=policy.fuzzy_block_limit)
            assert finder._closest_in_block(keys) == [block[pos] for _, _, pos in whole], query
            searched, found = searched + 1, found + bool(whole)
    assert found > searched / 2


def test_administrative_head_word_keeps_records_of_its_kind():
    from entnorm.kb.index import KnowledgeBase
    from entnorm.kb.schema import Entity
    from entnorm.link.candidates import admin_head

    assert admin_head("Provinsi Sulsel") == ("Sulsel", frozenset({"province"}))
    assert admin_head("Kab. Bogor")[1] == frozenset({"regency"}) and admin_head("Sulsel") is None
    kb = KnowledgeBase([Entity("Q1", "LOC", "Bogor", ("Bogor",), kind="city_id"),
                        Entity("Q2", "LOC", "Kabupaten Bogor", ("Kabupaten Bogor",), kind="regency"),
                        Entity("Q3", "LOC", "Sulawesi Selatan", ("Sulawesi Selatan", "Sulsel"), kind="province"),
                        Entity("Q4", "LOC", "Kenjeran", ("Kenjeran",), kind="district")])
    finder = CandidateFinder(kb, Policy())
    ids = lambda text: [kb.entity(c.entity).id for c in finder.candidates(text)]  # noqa: E731
    assert ids("Provinsi Sulsel") == ["Q3"]
    assert ids("Kota Bogor") == ["Q1"] and ids("Kabupaten Bogor") == ["Q2"]
    assert ids("Provinsi Bogor") == []          # no province of that name: nothing, not the city
    assert ids("Kota Kenjeran") == []           # the district is no city


def test_a_full_name_hides_its_truncations_except_clubs_named_after_the_place(tmp_path):
    from entnorm.kb.loader import compile_kb

    path = tmp_path / "kb.yaml"
    path.write_text("""
- {id: Q1, type: LOC, name: Papua, aliases: []}
- {id: Q2, type: LOC, name: Papua Nugini, aliases: [Papua]}
- {id: Q3, type: LOC, name: Lincoln, aliases: []}
- {id: Q4, type: PER, name: Abraham Lincoln, aliases: [Lincoln]}
- {id: Q5, type: LOC, name: Roma, aliases: []}
- {id: Q6, type: ORG, name: AS Roma, aliases: [Roma]}
""", encoding="utf-8")
    kb = compile_kb([path])
    finder = CandidateFinder(kb, Policy())
    found = {name: [kb.entity(c.entity).id for c in finder.candidates(name)] for name in ("Papua", "Lincoln", "Roma")}
    assert found == {"Papua": ["Q1"], "Lincoln": ["Q3"], "Roma": ["Q5", "Q6"]}
