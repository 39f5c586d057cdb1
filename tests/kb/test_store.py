"""The compiled store (kb/store.py) and layering (kb/layered.py) answer exactly as the in-memory KnowledgeBase."""
import json
import pickle
import random
from pathlib import Path

import pytest
from conftest import bench_module

from entnorm.doc import Span
from entnorm.kb import loader, store
from entnorm.kb.index import KnowledgeBase
from entnorm.kb.layered import LayeredKnowledgeBase
from entnorm.kb.loader import compile_kb, load_kb
from entnorm.kb.schema import Entity
from entnorm.kb.store import MappedKnowledgeBase, StoreError, compile_store, open_store
from entnorm.link.linker import Linker
from entnorm.names import name_keys

ROOT = Path(__file__).resolve().parents[2]
bench_kb = bench_module("kb")
synthetic_entities = bench_kb.synthetic_entities

MINI = ROOT / "tests" / "data" / "mini_gazetteer.yaml"
ODD = [  # what a store must carry through unchanged
    Entity("X1", "PER", "Kim Jong Un", ("Kim Jong Un", "!!!", "", "Kim Jong Un", "김정은"), prior=0.95, curated=True),
    Entity("X2", "MISC", "No aliases", (), kind="k", country="ZZ", description="é ✓ 東京", prior=1e-17),
    Entity("X3", "LOC", "Rote", ("Rote", "ROTE", "Roti", "Pulau Rote (NTT)", "Pulau Rote"), source="a, b"),
    Entity("X1", "ORG", "Repeated id", ("Repeated Id Org",)),  # a repeated id: get() keeps the last, as a dict
]


def mini_entities():
    return list(compile_kb([MINI]).entities)


def assert_same(expected, actual, rng=None):
    bench_kb.compare(expected, actual, most=600, rng=rng or random.Random(0))


@pytest.fixture(scope="module")
def synthetic():
    return list(synthetic_entities(1_500, seed=5))


@pytest.mark.parametrize("source", ["mini", "odd", "synthetic"])
def test_store_answers_as_the_in_memory_index(tmp_path, source, synthetic):
    entities = {"mini": mini_entities(), "odd": mini_entities() + ODD, "synthetic": synthetic}[source]
    kb = open_store(compile_store(iter(entities), tmp_path / "s", fingerprint="fp1"))
    assert isinstance(kb, MappedKnowledgeBase) and kb.manifest["fingerprint"] == "fp1"
    assert_same(KnowledgeBase(entities), kb)


def test_empty_store(tmp_path):
    kb = open_store(compile_store([], tmp_path / "s"))
    assert len(kb) == 0 and kb.n_aliases == 0 and kb.exact("x") == [] and kb.get("Q1") is None


def test_linking_decisions_are_identical(tmp_path, synthetic):
    rng = random.Random(3)
    memory = KnowledgeBase(synthetic)
    mapped = open_store(compile_store(synthetic, tmp_path / "s"))
    docs = []
    for _ in range(40):
        doc = []
        for _ in range(10):
            e, text = memory.alias(rng.randrange(memory.n_aliases))
            if rng.random() < 0.5 and len(text) > 4:
                i = rng.randrange(1, len(text) - 1)
                text = text[:i] + text[i + 1:]
            doc.append(Span(0, len(text), memory.entity(e).type, text))
        docs.append(doc)
    outcome = lambda kb: [[(l.id, l.score, l.method, l.matched) for l in Linker(kb).link_document(d)]  # noqa: E731
                          for d in docs]
    assert outcome(mapped) == outcome(memory)


@pytest.mark.parametrize("bits", [0, 3])
def test_hash_collisions_never_mix_keys(tmp_path, monkeypatch, bits, synthetic):
    """All keys on one hash (bits=0) or on eight: lookups must still tell the keys apart by their text."""
    real = store.key_hash
    monkeypatch.setattr(store, "key_hash", lambda text: real(text) & ((1 << bits) - 1))
    entities = mini_entities() + ODD + (synthetic[:150] if bits else [])
    kb = open_store(compile_store(entities, tmp_path / "s"))
    assert kb._tables["folded"].hashes[-1] < 2 ** bits  # every key on one of 2^bits hashes
    assert_same(KnowledgeBase(entities), kb)


def test_pickles_as_its_path(tmp_path):
    kb = open_store(compile_store(mini_entities(), tmp_path / "s"))
    again = pickle.loads(pickle.dumps(kb))
    assert again.path == kb.path and again.exact("moskow") == kb.exact("moskow")


# -- layering ---------------------------------------------------------------------------------------------
def test_layers_with_distinct_ids_answer_as_one_index(tmp_path, synthetic):
    a, b = mini_entities() + ODD[:2], synthetic[:300]
    layers = [open_store(compile_store(a, tmp_path / "a")), KnowledgeBase(b)]  # a store over an in-memory index
    layered = LayeredKnowledgeBase(layers)
    assert layered.hidden == 0
    assert_same(KnowledgeBase(a + b), layered)
    assert_same(KnowledgeBase(a), LayeredKnowledgeBase(layers[:1]))


@pytest.mark.parametrize("mapped", [True, False])
def test_earlier_layer_wins_and_hides_the_later_record(tmp_path, mapped):
    user = [Entity("Q7415", "ORG", "NATO (user)", ("NATO (user)", "Aliansi Atlantik Utara")),
            Entity("user:1", "PER", "Budi Santoso", ("Budi Santoso",))]
    shipped = mini_entities()
    if mapped:
        layers = [open_store(compile_store(user, tmp_path / "u")), open_store(compile_store(shipped, tmp_path / "g"))]
    else:
        layers = [KnowledgeBase(user), KnowledgeBase(shipped)]
    kb = LayeredKnowledgeBase(layers)
    nato = next(n for n, e in enumerate(shipped) if e.id == "Q7415")
    assert kb.hidden == 1 and len(kb) == len(user) + len(shipped)
    assert kb.get("Q7415").name == "NATO (user)" and kb.numbers_of("Q7415") == [0]
    assert kb.entity(len(user) + nato).name == "NATO"  # numbers stay; the record is only hidden from lookups
    assert kb.exact("nato") == [] and kb.types_of("nato") == set()
    assert kb.exact("pakta pertahanan atlantik utara") == []
    assert [kb.alias(a) for a in kb.exact("aliansi atlantik utara")] == [(0, "Aliansi Atlantik Utara")]
    nato_block = bench_kb.typo_rows(kb.typo_block(name_keys("NATO").key[:3], 0, 99))
    assert nato_block and "NATO" not in [text for *_, text in nato_block]
    assert all(kb.alias(a)[1] == text for a, _, _, text in nato_block)
    # everything else answers as one index over both lists, minus the hidden record's aliases
    whole = KnowledgeBase(user + shipped)
    hidden = {a for a in range(whole.n_aliases) if whole.alias(a)[0] == len(user) + nato}
    for k in bench_kb.probe_keys(whole, random.Random(1), most=600):
        for method, key in [("exact", k.folded), ("same_key", k.key), ("same_skeleton", k.skeleton),
                            ("same_tokenset", k.tokenset)]:
            assert getattr(kb, method)(key) == [a for a in getattr(whole, method)(key) if a not in hidden]
        band = (k.key[:3], 0, 99)
        assert sorted(bench_kb.typo_rows(kb.typo_block(*band))) == \
            [row for row in sorted(bench_kb.typo_rows(whole.typo_block(*band))) if row[0] not in hidden]
        for t in k.tokens:
            assert kb.people_with_token(t) == whole.people_with_token(t)
    belousov = name_keys("Andrei Belousov").tokens[-1]
    assert [kb.entity(e).id for e in kb.people_with_token(belousov)] == ["Q4160964"]


def test_a_hidden_person_gives_no_name_tokens(tmp_path):
    first = [Entity("Q1", "LOC", "Belousovo", ("Belousovo",))]
    second = [Entity("Q1", "PER", "Andrei Belousov", ("Andrei Belousov",)),
              Entity("Q2", "PER", "Ivan Belousov", ("Ivan Belousov",))]
    kb = LayeredKnowledgeBase([open_store(compile_store(first, tmp_path / "a")),
                               open_store(compile_store(second, tmp_path / "b"))])
    assert kb.people_with_token(name_keys("Belousov").tokens[0]) == [2]
    assert kb.get("Q1").type == "LOC" and kb.types_of("andrei belousov") == set()


def test_layering_needs_a_layer():
    with pytest.raises(ValueError):
        LayeredKnowledgeBase([])


# -- damaged stores ---------------------------------------------------------------------------------------
@pytest.fixture
def built(tmp_path):
    return compile_store(mini_entities(), tmp_path / "s", fingerprint="fp")


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-4])


def _edit_manifest(path: Path, **changes) -> None:
    manifest = json.loads((path / "manifest.json").read_text())
    manifest.update(changes)
    (path / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize("damage,message", [
    (lambda p: (p / "manifest.json").unlink(), "not a compiled knowledge-base store"),
    (lambda p: (p / "folded.post.npy").unlink(), "folded.post.npy is missing"),
    (lambda p: _truncate(p / "aliases.bin"), "aliases.bin has .* bytes, the manifest says"),
    (lambda p: (p / "manifest.json").write_text("{not json"), "unreadable manifest"),
    (lambda p: _edit_manifest(p, version=store.VERSION + 1), "version"),
    (lambda p: _edit_manifest(p, name_keys="0" * 16), "other name-key code"),
    (lambda p: (p / "key.hash.npy").write_bytes(b"\0" * (p / "key.hash.npy").stat().st_size), "not a numpy array"),
])
def test_a_damaged_store_is_a_clear_error(built, damage, message):
    damage(built)
    with pytest.raises(StoreError, match=message):
        open_store(built)


def test_missing_store_and_wrong_source(tmp_path, built):
    with pytest.raises(StoreError, match="not a compiled"):
        open_store(tmp_path / "nowhere")
    with pytest.raises(StoreError, match="compiled from source"):
        open_store(built, fingerprint="other")


def test_unstorable_text_is_refused(tmp_path):
    for bad in (Entity("Q1", "PER", "a\x1fb", ("a\x1fb",)), Entity("Q1", "PER", "ab", ("a\x00b",))):
        with pytest.raises(ValueError, match="U\\+00"):
            compile_store([bad], tmp_path / "s")
    assert not list(tmp_path.iterdir())  # the half-built store was removed


def test_compile_replaces_atomically(tmp_path):
    out = compile_store(mini_entities(), tmp_path / "s")
    compile_store(mini_entities()[:2], out)
    assert len(open_store(out)) == 2
    compile_store(mini_entities(), out, overwrite=False)  # another process got there first: keep theirs
    assert len(open_store(out)) == 2

    def failing():
        yield mini_entities()[0]
        raise RuntimeError("source broke")
    with pytest.raises(RuntimeError):
        compile_store(failing(), out)
    assert len(open_store(out)) == 2 and [p.name for p in tmp_path.iterdir()] == ["s"]


# -- the loader's cache -----------------------------------------------------------------------------------
def test_loader_caches_a_store_and_reopens_it(tmp_path, monkeypatch):
    monkeypatch.setenv("ENTNORM_CACHE", str(tmp_path / "cache"))
    kb = load_kb([MINI])
    assert isinstance(kb, MappedKnowledgeBase)
    assert kb.path == tmp_path / "cache" / f"gazetteer-{loader.fingerprint([MINI])}"
    assert_same(compile_kb([MINI]), kb)
    monkeypatch.setattr(loader, "compile_store", lambda *a, **k: pytest.fail("recompiled a valid cache"))
    assert load_kb([MINI]).path == kb.path
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [kb.path.name]  # no temp dirs left


def test_loader_recompiles_a_damaged_cache(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ENTNORM_CACHE", str(tmp_path / "cache"))
    path = load_kb([MINI]).path
    _truncate(path / "entities.bin")
    kb = load_kb([MINI])
    assert "recompiling" in capsys.readouterr().err
    assert kb.path == path and kb.get("Q7415").name == "NATO"
