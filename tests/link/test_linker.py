import re

from entnorm.doc import Span


def mentions(text, spans):
    out = []
    for surface, label in spans:
        for m in re.finditer(re.escape(surface), text):
            if not any(m.start() < x.end and m.end() > x.start for x in out):
                out.append(Span(m.start(), m.end(), label, surface))
                break
    return sorted(out, key=lambda m: m.start)


def link(linker, text, spans):
    ms = mentions(text, spans)
    return {m.text: l for m, l in zip(ms, linker.link_document(ms))}


def test_exact_alias_key_and_fuzzy(mini_linker):
    c = mini_linker.candidates
    assert c("Rusia")[0].method == "exact"
    assert c("Moskow")[0].method == "alias"
    assert c("Kim Jong-Un")[0].method == "exact"  # folding ignores case and hyphens
    assert c("Andrey Beloussov")[0].method == "key"
    assert c("Andrei Belousof")[0].method in ("key", "fuzzy")


def test_confusables_are_not_linked(mini_linker):
    assert {mini_linker.kb.entity(c.entity).id for c in mini_linker.candidates("Kim Jong Il")} == {"Q46642"}
    assert not mini_linker.candidates("Kim Yo Jong")
    assert not mini_linker.candidates("Korea")


def test_surname_and_typo_link_through_document_context(mini_linker):
    text = ("Sekjen NATO Mark Rutte bertemu Andrei Belousov. Belousov menolak. "
            "\"Ini berbahaya,\" kata Rote.")
    got = link(mini_linker, text, [("NATO", "ORG"), ("Mark Rutte", "PER"), ("Andrei Belousov", "PER"),
                                   ("Belousov", "PER"), ("Rote", "PER")])
    assert got["Rote"].id == "Q57792" and got["Rote"].method == "context"
    assert got["Belousov"].id == "Q4160964"


def test_rote_the_island_stays_the_island(mini_linker):
    text = "Kapal feri dari Kupang tiba di Rote pagi ini."
    got = link(mini_linker, text, [("Kupang", "LOC"), ("Rote", "LOC")])
    assert got["Rote"].id == "Q1134"


def test_ambiguous_short_form_is_not_guessed(mini_linker):
    text = "Kim Jong Un dan Kim Jong Il difoto bersama. Kim tersenyum."
    got = link(mini_linker, text, [("Kim Jong Un", "PER"), ("Kim Jong Il", "PER"), ("Kim", "PER")])
    assert got["Kim"].is_nil


def test_acronym_links_to_its_expansion_in_the_document(mini_linker):
    text = "Komisi Pemilihan Umum Daerah menetapkan hasil. KPUD menyatakan siap."
    got = link(mini_linker, text, [("Komisi Pemilihan Umum Daerah", "ORG"), ("KPUD", "ORG")])
    assert got["KPUD"].method == "context" and got["KPUD"].nil_key == got["Komisi Pemilihan Umum Daerah"].nil_key


def test_every_link_is_explained(mini_linker):
    text = "Presiden Yoon Suk Yeol menelepon. Presiden Yun berkata KCNA berbohong."
    for l in link(mini_linker, text, [("Yoon Suk Yeol", "PER"), ("Yun", "PER"), ("KCNA", "ORG")]).values():
        assert 0 <= l.score <= 1 and l.method in {"exact", "alias", "key", "fuzzy", "context", "nil"}
        assert l.is_nil or l.matched


def test_legal_forms_do_not_split_a_company(tmp_path):
    from entnorm.kb.loader import compile_kb
    from entnorm.link.linker import Linker

    (tmp_path / "a.yaml").write_text("- {id: Q1, type: ORG, name: PT Telekomunikasi Indonesia Tbk, aliases: [Telkom]}\n")
    linker = Linker(compile_kb([tmp_path / "a.yaml"]))
    for form in ("Telekomunikasi Indonesia", "PT Telkom Tbk", "Telkom (Persero)", "PT Telekomunikasi Indonesia Tbk"):
        assert linker.link_document([Span(0, len(form), "ORG", form)])[0].id == "Q1", form


def test_kb_decides_the_type_when_no_entity_of_the_ner_type_has_the_name(tmp_path):
    from entnorm.kb.loader import compile_kb
    from entnorm.link.linker import Linker

    (tmp_path / "a.yaml").write_text("- {id: Q36036, type: LOC, name: Lviv, aliases: [Lvov], prior: 0.3}\n"
                                     "- {id: Q2, type: LOC, name: Hope, prior: 0.3}\n"
                                     "- {id: Q3, type: PER, name: Hope, prior: 0.3}\n"
                                     "- {id: Q4, type: LOC, name: Kampala, prior: 0.9}\n")
    linker = Linker(compile_kb([tmp_path / "a.yaml"]))
    link = linker.link_document([Span(0, 4, "PER", "Lvov")])[0]
    assert link.id == "Q36036" and "NER said PER" in link.matched
    assert linker.link_document([Span(0, 4, "LOC", "Hope")])[0].id == "Q2"  # a PER of that name exists: types decide
    assert linker.link_document([Span(0, 8, "ORG", "Kampalah")])[0].is_nil   # no fuzzy link across types
    assert linker.link_document([Span(0, 8, "LOC", "Kampalah")])[0].id == "Q4"
