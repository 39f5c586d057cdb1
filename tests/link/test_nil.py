from entnorm.link.nil import NilClusterer, nil_id


def test_nil_ids_come_from_the_name_not_the_order():
    assert nil_id("PER:hongmin", "Hong Min") == nil_id("PER:hongmin", "HONG MIN") == "nil:per:hong-min"


def test_clusterer_merges_variants_and_is_order_independent():
    items = [("PER:hongminho", "Hong Min-ho"), ("PER:hongminho", "Hong Min-ho"), ("PER:hongminhu", "Hong Minhoo"),
             ("PER:hong", "Hong"), ("LOC:hongminho", "Hong Min-ho")]
    results = []
    for order in (items, items[::-1]):
        c = NilClusterer()
        for k, name in order:
            c.add(k, name)
        results.append(c.assign())
    assert results[0] == results[1]
    a = results[0]
    assert a["PER:hongminho"] == a["PER:hongminhu"]
    assert a["PER:hong"] == a["PER:hongminho"]          # the one person of the corpus called Hong
    assert a["LOC:hongminho"][0].startswith("nil:loc:")   # PER never merges with other labels


def assign(*items):
    c = NilClusterer()
    for k, name in items:
        c.add(k, name)
    return c.assign()


def test_a_lone_name_shared_by_two_people_stays_apart():
    a = assign(("PER:rio", "Rio"), ("PER:rioharianto", "Rio Haryanto"), ("PER:riosaputra", "Rio Saputra"))
    assert len({a["PER:rio"], a["PER:rioharianto"], a["PER:riosaputra"]}) == 3
    a = assign(("PER:rio", "Rio"), ("PER:rioharianto", "Rio Haryanto"))
    assert a["PER:rio"] == a["PER:rioharianto"]


def test_place_and_org_labels_of_one_name_are_one_entity_decided_by_majority():
    a = assign(("ORG:volfsburg", "Wolfsburg"), ("ORG:volfsburg", "Wolfsburg"), ("LOC:volfsburg", "Wolfsburg"))
    assert a["ORG:volfsburg"] == a["LOC:volfsburg"] and a["LOC:volfsburg"][0] == "nil:org:volfsburg"


def test_acronyms_join_their_one_expansion_but_not_initials_of_people():
    a = assign(("ORG:bumn", "BUMN"), ("ORG:badanusahamiliknegara", "Badan Usaha Milik Negara"),
               ("ORG:kemenkeu", "Kemenkeu"), ("ORG:kementeriankeuangan", "Kementerian Keuangan"),
               ("PER:rh", "RH"), ("PER:rinihapsari", "Rini Hapsari"))
    assert a["ORG:bumn"] == a["ORG:badanusahamiliknegara"]
    assert a["ORG:kemenkeu"] == a["ORG:kementeriankeuangan"]
    assert a["PER:rh"] != a["PER:rinihapsari"]
    two = assign(("ORG:kpk", "KPK"), ("ORG:komisipemberantasankorupsi", "Komisi Pemberantasan Korupsi"),
                 ("ORG:komisiperlindungananak", "Komisi Perlindungan Konsumen"))
    assert two["ORG:kpk"][0] == "nil:org:kpk"  # two expansions fit: no guess


def test_a_lone_word_is_short_for_the_one_linked_entity_of_the_corpus_that_carries_it():
    c = NilClusterer()
    c.add("ORG:madrid", "Madrid")
    c.add("LOC:amazon", "Amazon")
    c.add("PER:zulkifli", "Zulkifli")
    c.add_known("Q8682", "ORG", "Real Madrid", ["Real Madrid", "Real Madrid CF"])
    c.add_known("Q1", "LOC", "Sungai Amazon", ["Sungai Amazon"])   # a class word: the river is not "Amazon"
    c.add_known("Q2", "PER", "Zulkifli Hasan", ["Zulkifli Hasan"])
    c.add_known("Q3", "PER", "Zulkifli Lubis", ["Zulkifli Lubis"])  # two people: no guess
    a = c.assign()
    assert a["ORG:madrid"] == ("Q8682", "Real Madrid")
    assert a["LOC:amazon"][0].startswith("nil:") and a["PER:zulkifli"][0].startswith("nil:")


# -- the distributed engine's reduce: merged tables of any partition cluster like one sequential pass ---------
from hypothesis import given, settings, strategies as st  # noqa: E402

from entnorm.link.nil import nil_key  # noqa: E402

NAMES = [("PER", "Andrei Belousov"), ("PER", "Andrey Belousov"), ("PER", "Belousov"), ("PER", "Beloussov"),
         ("PER", "Hong Min"), ("PER", "Hong Gil-dong"), ("PER", "Hong"), ("PER", "Zulkifli"),
         ("ORG", "Badan Usaha Milik Negara"), ("ORG", "BUMN"), ("LOC", "Wolfsburg"), ("ORG", "Wolfsburg"),
         ("ORG", "Madrid"), ("PER", "Yoon Suk Yeol"), ("PER", "Yoon Seok-yul")]
KNOWN = [("Q1", "PER", "Zulkifli Hasan", ["Zulkifli Hasan", "Zulkifli"]), ("Q2", "ORG", "Real Madrid", ["Real Madrid"]),
         ("Q3", "PER", "Hong Min Seo", ["Hong Min Seo"])]


def observe(c: NilClusterer, events) -> None:
    for kind, i in events:
        if kind == "nil":
            label, name = NAMES[i]
            c.add(nil_key(label, name), name)
        else:
            entity_id, entity_type, name, forms = KNOWN[i]
            c.add_known(entity_id, entity_type, name, forms)


events = st.lists(st.tuples(st.sampled_from(["nil", "nil", "known"]), st.integers(0, 14)).map(
    lambda e: (e[0], e[1] % (len(NAMES) if e[0] == "nil" else len(KNOWN)))), min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(events=events, cuts=st.lists(st.integers(0, 60), max_size=8), seed=st.randoms())
def test_merged_tables_of_any_partition_and_order_give_the_sequential_ids(events, cuts, seed):
    whole = NilClusterer()
    observe(whole, events)
    bounds = sorted({0, len(events), *(min(c, len(events)) for c in cuts)})
    parts = []
    for a, b in zip(bounds, bounds[1:]):
        part = NilClusterer()
        observe(part, events[a:b])
        parts.append(part.table())
    seed.shuffle(parts)  # the reduce may see the parts in any order
    merged = NilClusterer()
    for table in parts:
        merged.merge(table)
    shuffled = NilClusterer()
    observe(shuffled, seed.sample(events, len(events)))  # and the observations in any order
    assert merged.assign() == whole.assign() == shuffled.assign()
