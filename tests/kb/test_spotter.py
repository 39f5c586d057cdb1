from entnorm.kb.spotter import spot


def test_spots_multiword_names_the_ner_missed(mini_linker):
    text = "Menurut Kantor Berita Pusat Korea, Kim Jong Un tiba. Laporan kantor berita pusat korea lain."
    taken = [(text.index("Kim"), text.index("Kim") + len("Kim Jong Un"))]
    found = spot(text, taken, mini_linker.kb)
    assert [(s.text, s.label) for s in found] == [("Kantor Berita Pusat Korea", "ORG")]


def test_never_overlaps_and_skips_single_words(mini_linker):
    text = "Rusia dan Korea Utara bertemu."
    taken = [(text.index("Korea"), text.index("Korea") + 5)]
    assert spot(text, taken, mini_linker.kb) == []  # "Rusia" is one word; "Korea Utara" overlaps NER
