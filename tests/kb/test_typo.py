"""The typo search's bounds (kb/typo.py) never rule out an alias that reaches the cutoff."""
import numpy as np
from hypothesis import given, settings, strategies as st
from rapidfuzz import fuzz

from entnorm.kb.typo import TypoBlock, char_mask, length_band, may_reach

NAMES = st.text(alphabet="aAbBeiknorsuy -.é", max_size=14)


def block_of(texts):
    return TypoBlock(np.arange(len(texts), dtype=np.uint32), np.array([len(t) for t in texts], np.uint32),
                     np.array([char_mask(t) for t in texts], np.uint64),
                     lambda positions: [texts[i] for i in positions])


@settings(max_examples=400, deadline=None)
@given(NAMES, st.lists(NAMES, max_size=30), st.sampled_from([80, 60, 90.5]))
def test_bounds_keep_every_alias_that_reaches_the_cutoff(query, texts, cutoff):
    kept = set(may_reach(query, block_of(texts), cutoff).tolist())
    shortest, longest = length_band(len(query), cutoff)
    for i, text in enumerate(texts):
        if fuzz.ratio(query, text) >= cutoff:
            assert i in kept and shortest <= len(text) <= longest, (query, text)


def test_bounds_rule_out_other_letters_and_lengths():
    texts = ["suharto", "suhatro", "subarna", "Suharto", "soeharto", "suhartonomo", "su"]
    assert may_reach("suharto", block_of(texts), 80).tolist() == [0, 1, 3, 4]
    assert length_band(9, 80) == (6, 13)
