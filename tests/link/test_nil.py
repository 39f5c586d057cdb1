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
    assert a["PER:hong"] != a["PER:hongminho"]          # a lone surname is not merged into a full name
    assert a["LOC:hongminho"][0].startswith("nil:loc:")   # labels never merge
