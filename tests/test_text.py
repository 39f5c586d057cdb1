from hypothesis import given, settings, strategies as st

from entnorm import text as textmod


def test_words_mirror_corpus_tokenisation():
    assert [w.text for w in textmod.words("Kim Jong-un (29/11) di Rusia-Ukraina.")] == [
        "Kim", "Jong", "-", "un", "(", "29", "/", "11", ")", "di", "Rusia", "-", "Ukraina", "."]


def test_sentences_split_on_lines_and_final_punctuation():
    sents = textmod.sentences("Baca juga: Berita lain\nPutin tiba. Ia disambut. \"Bagus.\" Kata dia.")
    assert [" ".join(w.text for w in s) for s in sents] == [
        "Baca juga : Berita lain", "Putin tiba .", "Ia disambut .", "\" Bagus . \"", "Kata dia ."]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_word_offsets_round_trip(s):
    for sent in textmod.sentences(s):
        for w in sent:
            assert s[w.start:w.end] == w.text and not w.text.isspace()


def test_chunk_never_drops_items():
    items, lengths = list(range(10)), [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]
    chunks = textmod.chunk(items, lengths, 8)
    assert sum(chunks, []) == items
    assert all(sum(lengths[i] for i in c) <= 8 or len(c) == 1 for c in chunks)


def test_names_are_not_cut_before_a_hyphenated_syllable():
    text = "bertemu Kim Jong-un, lalu Rusia-Ukraina"
    assert text[8:textmod.extend_hyphenated(text, 8, 16)] == "Kim Jong-un"
    assert textmod.extend_hyphenated(text, 26, 31) == 31  # Rusia-Ukraina: two names, not one
