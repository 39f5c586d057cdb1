"""Knowledge-base store benchmark: `python bench/kb.py [--sizes 45k,500k,5M]` (5M: about 20 minutes).

For the shipped gazetteer (45k, `45k`) and synthetic Wikidata-like knowledge bases (`synthetic_entities`, any
size: `500k`, `2M`, `5M`), each step in a fresh subprocess:
  build   `store.compile_store` from a stream of entities: seconds, peak RSS (the generator included), disk size
  open    `store.open_store` in a new process: seconds and RSS growth (anonymous / file-backed pages)
  link    `bench/linking.py:speed` on the opened store: 10,000 of its aliases, half perturbed, cold candidate
          cache; RSS growth after it
With `--cold`, the store's pages are dropped from the page cache before open (posix_fadvise DONTNEED).
Prints a table, a projection for a Wikidata-sized build, and writes `bench/results/kb.json` (merged per size, so
sizes can be run separately: `--sizes 5M` in the background).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from array import array
from bisect import bisect_right
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from entnorm.kb.schema import Entity  # noqa: E402
from entnorm.kb.typo import length_band  # noqa: E402

# -- synthetic Wikidata-like entities ----------------------------------------------------------------------
SOUNDS = {  # per naming tradition: onsets, vowels, codas of the syllables its names are made of
    "id": ("b d g h j k l m n p r s t w y c ny ng sr tr pr s su", "a i u e o ia ua", "n ng r t s h"),
    "ar": ("b d f h j k l m n q r s t w y z sh kh gh dh", "a i u aa ee oo a", "d m r l f n"),
    "ru": ("b v g d zh z k l m n p r s t f kh ts ch sh sv vl", "a e i o u y ya yu", "v n r l k"),
    "ko": ("g k n d t r m b p s j ch h y", "a eo o u eu i ae e ya yeo yo yu wa", "ng n l k m"),
    "en": ("b br c ch d f g gr h j k l m n p r s st t th w", "a e i o u ea ou", "n r l s t ck"),
}
KOREAN_FAMILIES = ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Shin")
FAMILY_ENDINGS = {"ru": ("ov", "ev", "in", "sky", "enko"), "en": ("son", "er", "man", "ton", "s", ""),
                  "id": ("", "o", "i", "wan", "ono"), "ar": ("i", "", "a"), "ko": ("",)}
ZIPF = 0.6  # name frequency ~ rank^-0.6: common names recur (namesakes), most are rare
COUNTRIES = {"id": ("ID",), "ar": ("SA", "EG", "IQ", "SY", "AE"), "ru": ("RU", "UA", "BY"), "ko": ("KR", "KP"),
             "en": ("US", "GB", "AU", "CA")}
TRADITIONS, TRADITION_CUM = ("id", "ar", "ru", "ko", "en"), (35, 50, 65, 75, 100)
TYPES, TYPE_CUM = ("PER", "LOC", "ORG"), (55, 85, 100)
RESPELL = (("oe", "u"), ("u", "oe"), ("j", "dj"), ("y", "j"), ("sh", "sy"), ("kh", "h"), ("v", "w"), ("ei", "ey"),
           ("c", "k"), ("ov", "off"), ("i", "y"), ("a", "ah"))
CYRILLIC = dict(zip("abvgdezijklmnoprstufhcy", "абвгдезийклмнопрстуфхцы")) | {"sh": "ш", "ch": "ч", "zh": "ж",
                                                                                 "ya": "я", "yu": "ю", "kh": "х"}
PLACE = (("Kota {}", "{} City"), ("Kabupaten {}", "{} Regency"), ("Sungai {}", "{} River"), ("Gunung {}", "Mount {}"),
         ("Pulau {}", "{} Island"), ("Desa {}", "{} Village"), ("{}", "{}"), ("{}", "{}"))
ORG = (("Partai {}", "{} Party"), ("Universitas {}", "University of {}"), ("PT {} Tbk", "{} Company"),
       ("Bank {}", "{} Bank"), ("Persatuan Sepak Bola {}", "{} Football Club"), ("Kementerian {}", "Ministry of {}"),
       ("Institut {}", "{} Institute"), ("Yayasan {}", "{} Foundation"))
DIRECTIONS = ("", "", "", "", " Barat", " Timur", " Utara", " Selatan", " Tengah")
KINDS = {"PER": ("politikus", "atlet", "artis", "pengusaha", "akademisi"),
         "LOC": ("kota", "desa", "sungai", "gunung", "kabupaten", "pulau"),
         "ORG": ("partai", "perusahaan", "universitas", "klub", "kementerian")}


def _cyrillic(text: str) -> str:
    low, out, i = text.lower(), [], 0
    while i < len(low):
        step = 2 if low[i:i + 2] in CYRILLIC else 1
        out.append(CYRILLIC.get(low[i:i + step], low[i]))
        i += step
    return "".join(out).title()


class _Vocabulary:
    """Given and family names per tradition, drawn Zipf-like (a few common names, a long tail)."""

    def __init__(self, rng: random.Random, n_given: int, n_family: int):
        self.rng, self.pools = rng, {}
        for trad, (onsets, vowels, codas) in SOUNDS.items():
            onsets, vowels, codas = onsets.split(), vowels.split(), ["", "", *codas.split()]

            def words(n: int, endings=("",)) -> list[str]:
                out = set()
                while len(out) < n:
                    syllables = (rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
                                 for _ in range(rng.choice((1, 2, 2, 2, 3))))
                    out.add(("".join(syllables) + rng.choice(endings)).capitalize())
                return sorted(out)

            self.pools[trad] = [self._zipf(words(n_given)), self._zipf(words(n_family, FAMILY_ENDINGS[trad]))]

    def _zipf(self, words: list[str]):
        self.rng.shuffle(words)
        cum, total = array("d"), 0.0
        for rank in range(1, len(words) + 1):
            total += rank ** -ZIPF
            cum.append(total)
        return words, cum

    def given(self, trad: str) -> str:
        return _draw(self.rng, *self.pools[trad][0])

    def family(self, trad: str) -> str:
        return _draw(self.rng, *self.pools[trad][1])


def _draw(rng: random.Random, items, cum_weights):
    return items[bisect_right(cum_weights, rng.random() * cum_weights[-1])]


def _respell(rng: random.Random, name: str) -> str:
    """One spelling change (old Indonesian oe, dj; y/j, sh/sy, ...), starting at a random rule."""
    k = int(rng.random() * len(RESPELL))
    for old, new in RESPELL[k:] + RESPELL[:k]:
        if old in name[1:]:
            return name[0] + name[1:].replace(old, new, 1)
    return name + "h"


def _person(rng, voc, trad):
    g, f = voc.given(trad), voc.family(trad)
    if trad == "id":  # a quarter are known by one name (Suharto), the rest by two or three
        name = f if rng.random() < 0.25 else " ".join([g, *(voc.given(trad) for _ in range(rng.choice((0, 1, 1)))), f])
        return name, [_respell(rng, name), _respell(rng, _respell(rng, name)),
                      name.split()[-1] if " " in name and rng.random() < 0.3 else name]
    if trad == "ar":
        name = f"{g} bin {voc.given(trad)} al-{f}" if rng.random() < 0.4 else f"{g} al-{f}"
        return name, [f"{g} {f}", _respell(rng, name), name.replace("al-", "Al ")]
    if trad == "ru":
        patronymic = voc.given(trad) + rng.choice(("ovich", "evich", "ovna"))
        return f"{g} {patronymic} {f}", [f"{g} {f}", _cyrillic(f"{g} {f}"), _respell(rng, f"{g} {f}"),
                                         _cyrillic(f"{g} {patronymic} {f}")]
    if trad == "ko":
        family = rng.choice(KOREAN_FAMILIES)
        given = voc.given(trad) + voc.given(trad).lower()
        return f"{family} {given}", [f"{family} {given[:len(given) // 2]}-{given[len(given) // 2:]}",
                                     f"{given} {family}", _respell(rng, f"{family} {given}")]
    middle = f" {voc.given(trad)[0]}." if rng.random() < 0.3 else ""
    return f"{g}{middle} {f}", [f"{g} {f}", f"{g[0]}. {f}" if rng.random() < 0.5 else f"{f}, {g}",
                                _respell(rng, f"{g} {f}")]


def _place(rng, voc, trad):
    local, english = rng.choice(PLACE)
    base = voc.family(trad) + rng.choice(DIRECTIONS)
    aliases = [english.format(base), local.format(_respell(rng, base)),
               base if rng.random() < 0.5 else english.format(base).upper()]
    if trad == "ru":
        aliases.append(_cyrillic(base))
    return local.format(base), aliases


def _organisation(rng, voc, trad):
    local, english = rng.choice(ORG)
    base = " ".join(voc.family(trad) for _ in range(rng.choice((1, 1, 2))))
    name = local.format(base)
    acronym = "".join(w[0] for w in name.split() if w[0].isupper())
    return name, [english.format(base), acronym if len(acronym) > 2 else name, local.format(_respell(rng, base)),
                  english.format(_respell(rng, base))]


def synthetic_entities(n: int, seed: int = 1):
    """`n` Wikidata-like entities, deterministic for a seed: PER 55 %, LOC 30 %, ORG 15 %; multi-word names from
    five naming traditions with aliases (short forms, respellings, Cyrillic, English forms, acronyms); priors
    skewed low as Wikidata popularity is."""
    rng = random.Random(seed)
    voc = _Vocabulary(rng, min(n // 20 + 500, 30_000), min(n // 4 + 2_000, 250_000))
    makers = {"PER": _person, "LOC": _place, "ORG": _organisation}
    for i in range(n):
        etype, trad = _draw(rng, TYPES, TYPE_CUM), _draw(rng, TRADITIONS, TRADITION_CUM)
        name, aliases = makers[etype](rng, voc, trad)
        country = rng.choice(COUNTRIES[trad])
        kind = rng.choice(KINDS[etype])
        yield Entity(id=f"Q{10_000_000 + 3 * i + rng.randrange(3)}", type=etype, name=name,
                     aliases=tuple(dict.fromkeys([name, *aliases])), kind=kind, country=country,
                     description=f"{kind.capitalize()} ({country}), entitas sintetis nomor {i}",
                     prior=round(0.05 + 0.9 * rng.random() ** 5, 3), source="synthetic")


# -- parity: the store against the in-memory index ------------------------------------------------------------
def probe_keys(kb, rng: random.Random, most: int | None = None) -> list:
    """Name keys of (at most `most` random) aliases, of typo'd, upper-cased and truncated forms of them, and of
    names nobody has."""
    from entnorm.names import name_keys
    aliases = range(kb.n_aliases) if most is None else rng.sample(range(kb.n_aliases), min(most, kb.n_aliases))
    texts = [kb.alias(a)[1] for a in aliases] + ["Zzyzx Qwv", "", "a", "Kim", "PBB", "Ullrich Ostpreussen"]
    for t in list(texts):
        if len(t) > 3:
            i = rng.randrange(1, len(t) - 1)
            texts += [t[:i] + t[i + 1:], t[:i] + "x" + t[i:], t.upper(), t[:i]]
    return [name_keys(t) for t in texts]


def compare(expected, actual, most: int | None = None, rng: random.Random | None = None) -> int:
    """Assert that `actual` answers every query as `expected` does (entities, aliases, ids, and every lookup for
    the `probe_keys`); returns the number of lookups compared."""
    rng = rng or random.Random(0)
    assert len(actual) == len(expected) and actual.n_aliases == expected.n_aliases
    assert [actual.entity(n) for n in range(len(expected))] == list(expected.entities)
    assert list(actual.entities) == list(expected.entities) and actual.entities[-1] == expected.entities[-1]
    assert all(actual.alias(a) == expected.alias(a) for a in range(expected.n_aliases))
    for e in list(expected.entities) + [Entity("nope", "PER", "x"), Entity("", "PER", "x")]:
        assert actual.get(e.id) == expected.get(e.id) and actual.numbers_of(e.id) == expected.numbers_of(e.id)
    n = 0
    for k in probe_keys(expected, rng, most):
        for method, key in [("exact", k.folded), ("same_key", k.key), ("same_skeleton", k.skeleton),
                            ("same_tokenset", k.tokenset), ("types_of", k.folded),
                            *(("people_with_token", t) for t in k.tokens)]:
            assert getattr(actual, method)(key) == getattr(expected, method)(key), (method, key)
            n += 1
        for prefix, length in ((k.key[:3], len(k.folded)), (k.key[:2], len(k.folded)), (k.key[:3], 0)):
            band = length_band(length, 80) if length else (0, 2 ** 31)  # a band, and the whole block
            assert typo_rows(actual.typo_block(prefix, *band)) == typo_rows(expected.typo_block(prefix, *band))
            n += 1
    return n


def typo_rows(block) -> list[tuple]:
    """(alias number, length, char mask, text) of each alias of a `typo_block`, in its order."""
    return list(zip(block.aliases.tolist(), block.lengths.tolist(), block.masks.tolist(),
                    block.texts(list(range(len(block.aliases))))))


def parity_on_gazetteer() -> None:
    """`--parity`: the shipped gazetteer's store against its in-memory index, every alias probed."""
    from entnorm.kb.index import KnowledgeBase
    from entnorm.kb.loader import load_kb
    store = load_kb()
    t0 = time.perf_counter()
    n = compare(KnowledgeBase(list(entities_for(GAZETTEER))), store)
    print(f"parity: {len(store)} entities, {store.n_aliases} aliases, {n:,} lookups identical "
          f"({time.perf_counter() - t0:.0f} s)")


# -- the benchmark --------------------------------------------------------------------------------------------
GAZETTEER = "45k"  # the shipped gazetteer, not synthetic


def size_count(size: str) -> int:
    if size == GAZETTEER:
        return 45_000
    units = {"k": 1_000, "M": 1_000_000}
    return int(float(size[:-1]) * units[size[-1]]) if size[-1] in units else int(size)


def entities_for(size: str):
    if size == GAZETTEER:
        from entnorm.kb.loader import gazetteer_files, read_entities
        return list(read_entities(gazetteer_files()))  # parsed before the clock starts: YAML is not the store
    return synthetic_entities(size_count(size))


def rss() -> dict:
    """Resident memory in MB: total, anonymous (heap) and file-backed (mapped store pages, shared)."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "RssAnon", "RssFile"):
            fields[key] = int(value.split()[0]) / 1024
    return fields


def _timed(items, clock: list):
    """Yield from `items`, adding the time spent producing them to clock[0] (the generator is not the build)."""
    items = iter(items)
    while True:
        t0 = time.perf_counter()
        try:
            item = next(items)
        except StopIteration:
            return
        clock[0] += time.perf_counter() - t0
        yield item


def child_build(size: str, out: Path) -> dict:
    from entnorm.kb.store import compile_store
    entities, generate = entities_for(size), [0.0]
    t0, cpu0 = time.perf_counter(), time.process_time()
    compile_store(_timed(entities, generate), out, fingerprint=f"bench-{size}")
    total, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    return {"build_s": round(total - generate[0], 1), "build_cpu_s": round(cpu - generate[0], 1),
            "generate_s": round(generate[0], 1),
            "build_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def _link(kb) -> dict:
    import linking
    cpu0 = time.process_time()
    speed = linking.speed(kb)
    return {"link_s": speed["seconds"], "link_cpu_s": round(time.process_time() - cpu0, 2),
            "mentions_per_s": speed["mentions_per_s"], "entities": len(kb), "aliases": kb.n_aliases}


def child_link(store: Path) -> dict:
    from entnorm.kb.store import open_store
    before = rss()
    t0 = time.perf_counter()
    kb = open_store(store)
    opened = time.perf_counter() - t0
    after_open = rss()
    result = _link(kb)
    grow = lambda r: {k: round(r[k] - before[k], 1) for k in r}  # noqa: E731
    return {"open_s": round(opened, 4), "rss_open_mb": grow(after_open), "rss_link_mb": grow(rss()), **result,
            "load": round(os.getloadavg()[0], 1)}


def child_memory(size: str, workdir: Path) -> dict:
    """The same linking on the in-memory KnowledgeBase of the same entities (the reference), and what loading it
    from a pickle (the old cache) costs in a fresh process."""
    import pickle
    from entnorm.kb.index import KnowledgeBase
    entities = list(entities_for(size))
    before = rss()
    t0 = time.perf_counter()
    kb = KnowledgeBase(entities)
    built = time.perf_counter() - t0
    from entnorm import names
    names.name_keys.cache_clear()  # building the index computed every alias's keys: start cold, as a loaded
    names.phonetic.cache_clear()   # index (unpickled or mapped) does
    out = {"index_s": round(built, 1), "rss_index_mb": round(rss()["VmRSS"] - before["VmRSS"]), **_link(kb)}
    path = workdir / f"kb-{size}.pickle"
    with path.open("wb") as fh:
        pickle.dump(kb, fh, protocol=pickle.HIGHEST_PROTOCOL)
    out["pickle_mb"] = round(path.stat().st_size / 2 ** 20, 1)
    del kb, entities
    out.update(_child("unpickle", path))
    path.unlink()
    return {**out, "load": round(os.getloadavg()[0], 1)}


def child_unpickle(path: Path) -> dict:
    """Load time and RSS growth of the old pickle cache (gc paused, as the old loader did)."""
    import gc
    import pickle
    from entnorm.kb.index import KnowledgeBase  # noqa: F401  (imported before the clock, as the loader had it)
    before = rss()
    t0 = time.perf_counter()
    gc.disable()
    with path.open("rb") as fh:
        pickle.load(fh)
    gc.enable()
    return {"unpickle_s": round(time.perf_counter() - t0, 2), "unpickle_rss_mb": round(rss()["VmRSS"] - before["VmRSS"])}


def drop_page_cache(store: Path) -> None:
    for f in store.iterdir():
        fd = os.open(f, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def _child(*args) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if proc.returncode:
        raise RuntimeError(f"child {args} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cpu_name() -> str:
    out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    fields = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    return f"{fields.get('Model name', '?').strip()}, {fields.get('CPU(s)', '?').strip()} CPUs"


def measure(size: str, workdir: Path, reuse: bool, previous: dict | None) -> dict:
    store = workdir / f"kb-{size}"
    row = {"size": size}
    if reuse and (store / "manifest.json").is_file():
        row = dict(previous or {}, size=size)  # keep the build figures measured before
    else:
        row.update(_child("build", size, store))
    row["disk_mb"] = round(sum(f.stat().st_size for f in store.iterdir()) / 2 ** 20, 1)
    drop_page_cache(store)
    row["cold"] = _child("link", store)
    row["warm"] = _child("link", store)
    if size_count(size) <= 500_000:
        row["memory"] = _child("memory", size, workdir)
    return row


def projection(rows: list[dict], items: int) -> dict:
    """Linear in entities from the largest build; peak RSS from the slope between the two largest builds (the
    first ~200 MB are the interpreter and libraries)."""
    big = rows[-1]
    n = big["warm"]["entities"]
    small = rows[-2] if len(rows) > 1 else {"warm": {"entities": 0}, "build_peak_rss_mb": 0}
    slope = (big["build_peak_rss_mb"] - small["build_peak_rss_mb"]) / (n - small["warm"]["entities"])
    return {"entities": items, "build_min": round(big["build_s"] / n * items / 60),
            "build_cpu_min": round(big.get("build_cpu_s", big["build_s"]) / n * items / 60),
            "disk_gb": round(big["disk_mb"] / n * items / 1024, 1),
            "build_peak_rss_gb": round((big["build_peak_rss_mb"] + slope * (items - n)) / 1024, 1)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default=f"{GAZETTEER},500k,5M")
    ap.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "entnorm-kb-bench")
    ap.add_argument("--reuse", action="store_true", help="keep stores already built in --workdir")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "kb.json")
    ap.add_argument("--parity", action="store_true", help="only check the gazetteer's store against its index")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.parity:
        return parity_on_gazetteer()
    if args.child:
        mode, *rest = args.child
        modes = {"build": lambda: child_build(rest[0], Path(rest[1])), "link": lambda: child_link(Path(rest[0])),
                 "memory": lambda: child_memory(rest[0], Path(rest[1])),
                 "unpickle": lambda: child_unpickle(Path(rest[0]))}
        print(json.dumps(modes[mode]()))
        return None
    results = json.loads(args.out.read_text()) if args.out.exists() else {"rows": {}}
    results.update({"cpu": cpu_name(), "python": sys.version.split()[0], "date": time.strftime("%Y-%m-%d"),
                    "command": "python bench/kb.py " + " ".join(argv if argv is not None else sys.argv[1:])})
    args.workdir.mkdir(parents=True, exist_ok=True)
    for size in args.sizes.split(","):
        print(f"{size}: building and measuring ...", file=sys.stderr, flush=True)
        results["rows"][size] = measure(size, args.workdir, args.reuse, results["rows"].get(size))
        args.out.write_text(json.dumps(results, indent=1))
    built = sorted((r for r in results["rows"].values() if r["size"] != GAZETTEER and "build_s" in r),
                   key=lambda r: r["warm"]["entities"])
    if built:
        results["projection"] = {"basis": built[-1]["size"], "default_wikidata_subset": projection(built, 4_000_000),
                                 "all_wikidata_items": projection(built, 110_000_000)}
    args.out.write_text(json.dumps(results, indent=1))
    print_table(results)
    return results


def print_table(results: dict) -> None:
    print(f"CPU: {results['cpu']}; Python {results['python']}; {results['date']}; wall seconds on a shared machine "
          f"(load = 1-minute load average during the run), CPU seconds beside them")
    head = (f"{'size':>5s} {'entities':>9s} {'aliases':>10s} {'build s':>12s} {'peak MB':>7s} {'disk MB':>7s} "
            f"{'open ms':>11s} {'RSS after open':>14s} {'RSS after link':>14s} {'link 10k s':>11s} "
            f"{'cold s':>6s} {'in-memory':>11s} {'load':>4s}")
    sub = (f"{'':5s} {'':9s} {'':10s} {'wall/cpu':>12s} {'':7s} {'':7s} {'warm/cold':>11s} {'anon+file MB':>14s} "
           f"{'anon+file MB':>14s} {'wall/cpu':>11s} {'wall':>6s} {'link cpu s':>11s}")
    print(head + "\n" + sub + "\n" + "-" * len(head))
    for r in sorted(results["rows"].values(), key=lambda r: r["warm"]["entities"]):
        w, c, m = r["warm"], r["cold"], r.get("memory")
        build = f"{r['build_s']}/{r.get('build_cpu_s', '?')}" if "build_s" in r else "-"
        print(f"{r['size']:>5s} {w['entities']:>9,d} {w['aliases']:>10,d} {build:>12s} "
              f"{r.get('build_peak_rss_mb', '-'):>7} {r['disk_mb']:>7.0f} "
              f"{1000 * w['open_s']:>5.0f}/{1000 * c['open_s']:<5.0f} "
              f"{w['rss_open_mb']['RssAnon']:>6.1f}+{w['rss_open_mb']['RssFile']:<7.1f} "
              f"{w['rss_link_mb']['RssAnon']:>6.0f}+{w['rss_link_mb']['RssFile']:<7.0f} "
              f"{w['link_s']:>5.1f}/{w.get('link_cpu_s', 0):<5.1f} {c['link_s']:>6.1f} "
              f"{m['link_cpu_s'] if m else '-':>11} {w['load']:>4.1f}")
    p = results.get("projection")
    if p:
        for name, proj in (("Wikidata default subset (PER/LOC/ORG with an id/en article)",
                            p["default_wikidata_subset"]), ("every Wikidata item", p["all_wikidata_items"])):
            print(f"projection from {p['basis']}, {name}: {proj['entities']:,} entities -> build {proj['build_min']} "
                  f"min wall ({proj['build_cpu_min']} min CPU), disk {proj['disk_gb']} GB, build peak RSS "
                  f"{proj['build_peak_rss_gb']} GB")


if __name__ == "__main__":
    main()
