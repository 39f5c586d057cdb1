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
