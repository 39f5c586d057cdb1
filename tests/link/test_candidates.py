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
