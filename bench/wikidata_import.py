"""Wikidata import benchmark: `python bench/wikidata_import.py [--items 200000]` (~10-15 minutes on 2 cores).

Generates a synthetic dump in the real format (bench/.cache/, not in git): 7% of the items have an idwiki/enwiki
article and are large (many labels, statements with references, 10-100 sitelinks: the popular items), the rest
are the long tail (scholarly articles with author and citation statements, taxa, categories, people and places
without an id/en article), 0.5% are classes with P279 edges into the class map. Average line ~8 KB, gzip ~10x (the
real dump: ~110 M items, ~130 GB gzip, ~14 KB a line).

Rows, each `entnorm kb build` in a fresh subprocess: json vs orjson x 1 vs 2 workers, default filter and
--all-labelled (every item with P31 is parsed); plus the bare decompression rate (zlib, isal) and a JSON parse
micro-benchmark on the fixture and on the synthetic lines. CPU seconds are the children's user+sys (reader plus
workers), so `ent/cpu-s` is the per-core rate. Writes bench/results/wikidata_import.json and prints a table and a
projection for the full dump.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
RESULTS = ROOT / "bench" / "results" / "wikidata_import.json"
FULL_ITEMS, FULL_GZ_BYTES = 110e6, 130e9
LANGS = ("en id de fr es it nl ja ru pt zh ar ms jv su ko vi th tl pl sv fi nb da cs hu ro tr el he fa hi bn ta uk "
         "bg sr hr sl sk lt lv et ca eu gl cy ga is mk sq hy ka az kk uz ur ne si my km lo mn ceb war min ace ban "
         "bug mad mul").split()
WORDS = ("the of and in a to is was for on as with by he at from his an were are which this also be has or had "
         "its first new after who they her she two their but been one more other all most some city province "
         "university party company river island district football club national league president minister "
         "journal study analysis protein gene cell species genus family review effect data model").split()
STMT = ('{"mainsnak":{"snaktype":"value","property":"%s","hash":"%040x","datavalue":{"value":{"entity-type":"item",'
        '"numeric-id":%d,"id":"Q%d"},"type":"wikibase-entityid"},"datatype":"wikibase-item"},"type":"statement",'
        '"id":"Q%d$%08X-%04X-4%03X-8000-%012X","rank":"%s"%s}')
STR_STMT = ('{"mainsnak":{"snaktype":"value","property":"%s","hash":"%040x","datavalue":{"value":"%s","type":'
            '"string"},"datatype":"external-id"},"type":"statement","id":"Q%d$%08X","rank":"normal"%s}')
REF = (',"references":[{"hash":"%040x","snaks":{"P248":[{"snaktype":"value","property":"P248","datavalue":{"value":'
       '{"entity-type":"item","numeric-id":%d,"id":"Q%d"},"type":"wikibase-entityid"},"datatype":"wikibase-item"}],'
       '"P813":[{"snaktype":"value","property":"P813","datavalue":{"value":{"time":"+2024-05-0%dT00:00:00Z",'
       '"timezone":0,"before":0,"after":0,"precision":11,"calendarmodel":"http://www.wikidata.org/entity/Q1985727"}'
       ',"type":"time"},"datatype":"time"}]},"snaks-order":["P248","P813"]}]')
KINDS = [  # (share of the long tail, P31 classes, properties that point at items)
    (0.45, [13442814], ["P50", "P2860", "P921", "P1433"]),   # scholarly article: authors, cites, subject, venue
    (0.10, [16521], ["P171", "P105"]),                        # taxon
    (0.10, [4167836], ["P301"]),                              # Wikimedia category
    (0.15, [5], ["P27", "P106", "P21", "P735"]),              # human without an id/en article
    (0.10, [486972], ["P17", "P131"]),                        # settlement
    (0.10, [783794], ["P17", "P452", "P159"]),                # company
]
POPULAR = [([5], ["P27", "P106", "P21", "P39", "P69", "P102"]), ([515], ["P17", "P131", "P150", "P47"]),
           ([3191695], ["P17", "P131", "P150"]), ([783794], ["P17", "P452", "P159", "P127"]),
           ([476028], ["P17", "P118", "P115"]), ([11424], ["P57", "P161", "P136"])]


def _text(rnd, lo, hi) -> str:
    return " ".join(rnd.choices(WORDS, k=rnd.randint(lo, hi))).capitalize()


def _names(rnd, langs, lo, hi) -> str:
    return ",".join(f'"{lang}":{{"language":"{lang}","value":"{_text(rnd, lo, hi)}"}}' for lang in langs)


def _claims(rnd, q, classes, props, n, refs) -> str:
    groups = {"P31": [(c, "normal") for c in classes]}
    for _ in range(n):
        groups.setdefault(rnd.choice(props), []).append((rnd.randint(1, 120_000_000), "normal"))
    out = []
    for pid, values in groups.items():
        stmts = [STMT % (pid, rnd.getrandbits(160), v, v, q, rnd.getrandbits(32), rnd.getrandbits(16),
                         rnd.getrandbits(12), rnd.getrandbits(48), rank,
                         REF % (rnd.getrandbits(160), 5000 + v % 97, 5000 + v % 97, rnd.randint(1, 9))
                         if rnd.random() < refs else "") for v, rank in values]
        out.append(f'"{pid}":[{",".join(stmts)}]')
    out.append('"P214":[%s]' % (STR_STMT % ("P214", rnd.getrandbits(160), rnd.getrandbits(40), q,
                                            rnd.getrandbits(32), "")))
    return ",".join(out)


def item_line(rnd: random.Random, q: int) -> str:
    r = rnd.random()
    if r < 0.005:  # a class under one of the map's roots
        parent = rnd.choice([515, 486972, 43229, 4830453, 5, 11424])
        claims = '"P279":[%s]' % (STMT % ("P279", rnd.getrandbits(160), parent, parent, q, 0, 0, 0, 0, "normal", ""))
        labels, descs, sites, aliases = _names(rnd, LANGS[:8], 1, 2), "", ["enwiki"], ""
    elif r < 0.075:  # popular: an id/en article, many names and statements
        classes, props = rnd.choice(POPULAR)
        labels = _names(rnd, rnd.sample(LANGS, rnd.randint(15, 60)), 1, 3)
        descs = _names(rnd, rnd.sample(LANGS, rnd.randint(5, 25)), 3, 8)
        aliases = ",".join(f'"{lang}":[{{"language":"{lang}","value":"{_text(rnd, 1, 3)}"}}]'
                           for lang in rnd.sample(LANGS, rnd.randint(0, 8)))
        claims = _claims(rnd, q, classes, props, rnd.randint(10, 60), 0.7)
        sites = ["enwiki" if rnd.random() < 0.9 else "idwiki"] + rnd.sample(
            [f"{lang}wiki" for lang in LANGS[2:-1]], rnd.randint(5, 60))
    else:  # the long tail
        x, acc = rnd.random(), 0.0
        for share, classes, props in KINDS:
            acc += share
            if x < acc:
                break
        labels = _names(rnd, ["en"] + rnd.sample(LANGS, rnd.randint(0, 4)), 3, 12)
        descs = _names(rnd, rnd.sample(LANGS, rnd.randint(1, 4)), 2, 5)
        aliases, sites = "", rnd.sample([f"{lang}wiki" for lang in LANGS[2:-1]], rnd.randint(0, 2))
        claims = _claims(rnd, q, classes, props, rnd.randint(3, 40), 0.5)
    sitelinks = ",".join(f'"{s}":{{"site":"{s}","title":"{_text(rnd, 1, 3)}","badges":[]}}' for s in sites)
    return (f'{{"type":"item","id":"Q{q}","labels":{{{labels}}},"descriptions":{{{descs}}},"aliases":{{{aliases}}},'
            f'"claims":{{{claims}}},"sitelinks":{{{sitelinks}}},"pageid":{q + 7},"ns":0,"title":"Q{q}",'
            f'"lastrevid":{2_000_000_000 + q},"modified":"2025-01-01T00:00:00Z"}}')


def generate(n: int) -> Path:
    path = CACHE / f"synthetic-{n}.json.gz"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(42)
    tmp = path.with_suffix(".tmp")
    with gzip.open(tmp, "wt", compresslevel=6, encoding="utf-8") as fh:
        fh.write("[\n")
        for i in range(n):
            fh.write(item_line(rnd, 1000 + i * 3) + (",\n" if i < n - 1 else "\n"))
        fh.write("]\n")
    tmp.rename(path)
    return path


def run_build(dump: Path, workers: int, lib: str, all_labelled: bool, out: Path, gz: str = "auto") -> dict:
    env = {**os.environ, "ENTNORM_JSON": lib, "ENTNORM_GZIP": gz,
           "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    cmd = [sys.executable, "-m", "entnorm.cli", "kb", "build", str(dump), "-o", str(out), "--workers", str(workers),
           "--quiet"] + (["--all-labelled"] if all_labelled else [])
    before, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
    subprocess.run(cmd, check=True, env=env)
    wall, after = time.monotonic() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    m = json.loads((out / "manifest.json").read_text())
    ents = m["counts"]["entities"]
    return {"json": m["options"]["json"], "gzip": m["options"]["gzip"], "workers": workers,
            "filter": m["options"]["filter"], "entities": ents, "kept": m["counts"]["kept_total"],
            "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "ent_per_s": round(ents / wall),
            "ent_per_cpu_s": round(ents / cpu), "gz_mb_per_s": round(dump.stat().st_size / wall / 1e6, 2)}


def decompress_rate(dump: Path) -> dict:
    out = {}
    mods = {"zlib": zlib}
    try:
        from isal import isal_zlib
        mods["isal"] = isal_zlib
    except ImportError:
        pass
    for name, mod in mods.items():
        t0, n, dec = time.perf_counter(), 0, mod.decompressobj(31)
        with open(dump, "rb") as fh:
            while data := fh.read(1 << 18):
                n += len(dec.decompress(data))
        sec = time.perf_counter() - t0
        out[name] = {"out_mb_per_s": round(n / sec / 1e6, 1), "gz_mb_per_s": round(dump.stat().st_size / sec / 1e6, 1)}
    out["ratio"] = round(n / dump.stat().st_size, 2)
    for tool in ("pigz", "gzip"):  # external inflaters, as a pipe would use them (`pigz -dc dump | ...`)
        if shutil.which(tool):
            t0 = time.perf_counter()
            subprocess.run([tool, "-dc", str(dump)], stdout=subprocess.DEVNULL, check=True)
            sec = time.perf_counter() - t0
            out[tool] = {"out_mb_per_s": round(n / sec / 1e6, 1),
                         "gz_mb_per_s": round(dump.stat().st_size / sec / 1e6, 1)}
    return out


def parse_rate(lines: list[bytes]) -> dict:
    libs = {"json": json.loads}
    try:
        import orjson
        libs["orjson"] = orjson.loads
    except ImportError:
        pass
    total, out = sum(map(len, lines)), {}
    for name, loads in libs.items():
        best = min(_timed(loads, lines) for _ in range(3))
        out[name] = {"lines_per_s": round(len(lines) / best), "mb_per_s": round(total / best / 1e6, 1)}
    return out


def _timed(loads, lines) -> float:
    t0 = time.perf_counter()
    for line in lines:
        loads(line)
    return time.perf_counter() - t0


def sample_lines(path: Path, n: int) -> list[bytes]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        lines = [ln.strip().rstrip(b",") for _, ln in zip(range(n + 1), fh)]
    return [ln for ln in lines if ln.startswith(b"{")]


def cpu_name() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        return next(line.split(":", 1)[1].strip() for line in out.splitlines() if line.startswith("Model name"))
    except (OSError, StopIteration):
        return platform.processor()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--items", type=int, default=200_000)
    ap.add_argument("--quick", action="store_true", help="only orjson (when installed) x 1/2 workers, default filter")
    args = ap.parse_args()
    t0 = time.monotonic()
    dump = generate(args.items)
    print(f"synthetic dump {dump.name}: {dump.stat().st_size / 1e6:.1f} MB gzip (generated/cached in "
          f"{time.monotonic() - t0:.0f} s)", file=sys.stderr)
    libs = ["json"] + (["auto"] if _has("orjson") else [])
    rows = []
    for all_labelled in ([False] if args.quick else [False, True]):
        for lib in (libs[-1:] if args.quick else libs):
            for workers in (1, 2):
                rows.append(run_build(dump, workers, lib, all_labelled, CACHE / "out"))
                print(json.dumps(rows[-1]), file=sys.stderr)
    if _has("isal"):  # the fastest default-filter setup again, with zlib instead of isal
        rows.append(run_build(dump, 2, libs[-1], False, CACHE / "out", gz="zlib"))
        print(json.dumps(rows[-1]), file=sys.stderr)
    result = {"cpu": cpu_name(), "cores": os.cpu_count(), "load_avg_at_start": os.getloadavg(),
              "python": platform.python_version(), "items": args.items, "dump_gz_bytes": dump.stat().st_size,
              "decompress": decompress_rate(dump),
              "parse": {"fixture": parse_rate(sample_lines(ROOT / "tests/data/wikidata/dump.json", 100) * 50),
                        "synthetic": parse_rate(sample_lines(dump, 20_000))},
              "builds": rows}
    best = max((r for r in rows if r["filter"] == "idwiki/enwiki"), key=lambda r: r["gz_mb_per_s"])
    result["projection_full_dump_h"] = {
        "by_gz_bytes": round(FULL_GZ_BYTES / (best["gz_mb_per_s"] * 1e6) / 3600, 1),
        "by_items": round(FULL_ITEMS / best["ent_per_s"] / 3600, 1), "row": best}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(table(result))


def _has(module: str) -> bool:
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def table(res: dict) -> str:
    lines = [f"CPU: {res['cpu']} ({res['cores']} cores), load at start {res['load_avg_at_start'][0]:.1f}; "
             f"{res['items']:,} items, {res['dump_gz_bytes'] / 1e6:.0f} MB gzip",
             f"{'filter':<14}{'json':<8}{'gzip':<10}{'workers':>8}{'ent/s':>10}{'ent/cpu-s':>11}{'gz MB/s':>9}"
             f"{'kept':>8}"]
    lines += [f"{r['filter']:<14}{r['json']:<8}{r['gzip']:<10}{r['workers']:>8}{r['ent_per_s']:>10,}"
              f"{r['ent_per_cpu_s']:>11,}{r['gz_mb_per_s']:>9}{r['kept']:>8,}" for r in res["builds"]]
    lines.append("decompress only: " + ", ".join(f"{k} {v['gz_mb_per_s']} MB/s gz -> {v['out_mb_per_s']} MB/s"
                                                 for k, v in res["decompress"].items() if isinstance(v, dict)))
    for name, p in res["parse"].items():
        lines.append(f"parse ({name} lines): " + ", ".join(f"{k} {v['mb_per_s']} MB/s" for k, v in p.items()))
    pr = res["projection_full_dump_h"]
    lines.append(f"projection, full dump (~110 M items, ~130 GB gz) with the fastest default-filter row: "
                 f"{pr['by_gz_bytes']} h by compressed bytes, {pr['by_items']} h by item count")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
