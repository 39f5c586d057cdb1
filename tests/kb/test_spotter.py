from entnorm.kb.spotter import spot


def test_spots_multiword_names_the_ner_missed(mini_linker):
    text = "Menurut Kantor Berita Pusat Korea, Kim Jong Un tiba. Laporan kantor berita pusat korea lain."
    taken = [(text.index("Kim"), text.index("Kim") + len("Kim Jong Un"))]
    found = spot(text, taken, mini_linker.kb)
    assert [(s.text, s.label) for s in found] == [("Kantor Berita Pusat Korea", "ORG")]


def test_never_overlaps(mini_linker):
    text = "Rusia dan Korea Utara bertemu."
    taken = [(0, 5), (text.index("Korea"), text.index("Korea") + 5)]
    assert spot(text, taken, mini_linker.kb) == []  # "Korea Utara" overlaps NER's "Korea"


def test_lone_country_or_capital_names_are_spotted_where_they_stand_alone(tmp_path):
    from entnorm.kb.loader import compile_kb

    path = tmp_path / "kb.yaml"
    path.write_text("""
- {id: Q1, type: LOC, name: Ukraina, aliases: [AS], kind: country}
- {id: Q2, type: LOC, name: Pyongyang, aliases: [], kind: capital}
- {id: Q3, type: LOC, name: Indonesia, aliases: [], kind: country}
- {id: Q4, type: LOC, name: Bogor, aliases: [], kind: city}
- {id: Q7, type: LOC, name: Oman, aliases: [Ома], kind: country}
- {id: Q5, type: ORG, name: Jordan, aliases: []}
- {id: Q6, type: LOC, name: Jordan, aliases: [], kind: country}
""", encoding="utf-8")
    kb = compile_kb([path])
    text = ("Presiden Ukraina menelepon. Jika Pyongyang setuju. Kata gubernur Bank Indonesia dalam bahasa Indonesia. "
            "Hujan di Bogor. Kata Jordan. AS menolak. Oma datang.")
    found = [(s.text, s.label) for s in spot(text, [], kb)]
    # after an office word, in the middle of a sentence; not in a longer capitalised name, not a language, not a
    # city, not a name another type carries, not an acronym, not a transliteration
    assert found == [("Ukraina", "LOC"), ("Pyongyang", "LOC")]
