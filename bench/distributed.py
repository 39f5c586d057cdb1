"""Local engine vs the Ray engine: `python bench/distributed.py [--docs N]` (needs `pip install -e ".[ray]"`).

Corpus: the throughput benchmark's (`bench/throughput.py`: Leipzig 2008 news sentences grouped into articles,
plus the seed articles), written as JSONL. Rows, each the real CLI in a fresh subprocess, NER on:
  local           `entnorm annotate corpus.jsonl -o out.jsonl` (torch's threads: all cores)
  ray, 1 worker   `... --engine ray --workers 1` (a local Ray; one actor with all cores' threads)
  ray, 2 workers  `... --engine ray --workers 2` (two actors, the cores split between them)
  ray, 1 worker, nice 0   (opt-in with --rows) one actor, ENTNORM_RAY_NICENESS=0: Ray starts workers at nice 15
Each row runs twice: on the corpus and on its first 5 documents; the difference is the steady-state rate
(docs/s without the fixed cost: interpreter, model load, Ray start), the small run is the fixed cost.
Every row's output must be byte-identical to the local engine's (checked; the table says so). `--repeat N`
runs the rows round-robin N times and reports each row's median, so that a load that changes slowly (a shared
machine) weighs on every row alike.
Writes `bench/results/distributed.json`.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from throughput import corpus, cpu_model  # noqa: E402

ROWS = [("local", [], {}), ("ray, 1 worker", ["--engine", "ray", "--workers", "1"], {}),
        ("ray, 2 workers", ["--engine", "ray", "--workers", "2"], {}),
        ("ray, 1 worker, nice 0", ["--engine", "ray", "--workers", "1"], {"ENTNORM_RAY_NICENESS": "0"})]
DEFAULT_ROWS = "local;ray, 1 worker;ray, 2 workers"
SMALL = 5


def run(src: Path, out: Path, extra: list[str], row_env: dict) -> float:
    env = dict(os.environ, **row_env, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    env.setdefault("RAY_AUTH_MODE", "disabled")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "entnorm.cli", "annotate", str(src), "-o", str(out), "--quiet",
                           *extra], env=env, capture_output=True, cwd=ROOT)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{extra}: exit {proc.returncode}\n{proc.stderr.decode()[-3000:]}")
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, help="first N documents of the corpus (default: all)")
    ap.add_argument("--rows", default=DEFAULT_ROWS, help=f"rows, ';'-separated names of {[r[0] for r in ROWS]} "
                    "(default: the first three; the local row is always first)")
    ap.add_argument("--repeat", type=int, default=1, help="rounds over the rows (median per row; default 1)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "distributed.json"))
    args = ap.parse_args()
    wanted = ["local"] + [r.strip() for r in args.rows.split(";") if r.strip() and r.strip() != "local"]
    rows_run = [r for name in wanted for r in ROWS if r[0] == name]
    load_start = os.getloadavg()
    docs = corpus(args.docs)
    with tempfile.TemporaryDirectory(prefix="entnorm-bench-") as tmp:
        tmp = Path(tmp)
        full, small = tmp / "corpus.jsonl", tmp / "small.jsonl"
        lines = [json.dumps({"n": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(docs)]
        full.write_text("".join(lines), encoding="utf-8")
        small.write_text("".join(lines[:SMALL]), encoding="utf-8")
        times = {name: [] for name, _, _ in rows_run}
        digests = {}
        for _ in range(args.repeat):
            for name, extra, row_env in rows_run:
                fixed = run(small, tmp / "small-out.jsonl", extra, row_env)
                total = run(full, tmp / "out.jsonl", extra, row_env)
                digests.setdefault(name, set()).add(hashlib.sha256((tmp / "out.jsonl").read_bytes()).hexdigest())
                times[name].append((total, fixed))
                print(f"{name}: {total:.1f} s (5 docs: {fixed:.1f} s)", file=sys.stderr, flush=True)
        reference = digests["local"]
        rows = []
        for name, extra, row_env in rows_run:
            total = statistics.median(t for t, _ in times[name])
            fixed = statistics.median(f for _, f in times[name])
            rows.append({"row": name, "args": extra, "env": row_env, "seconds": round(total, 2), "docs_per_s": round(len(docs) / total, 3),
                         "fixed_seconds": round(fixed, 2),
                         "steady_docs_per_s": round((len(docs) - SMALL) / max(total - fixed, 1e-9), 3),
                         "runs": [[round(t, 2), round(f, 2)] for t, f in times[name]],
                         "output_sha256": sorted(digests[name]),
                         "identical_to_local": digests[name] == reference and len(reference) == 1})
    local = rows[0]["steady_docs_per_s"]
    for r in rows:
        r["vs_local_steady"] = round(r["steady_docs_per_s"] / local, 3)
    result = {"cpu": cpu_model(), "docs": len(docs), "chars": sum(map(len, docs)),
              "date": time.strftime("%Y-%m-%d"), "command": "python bench/distributed.py"
              + (f" --docs {args.docs}" if args.docs else "") + (f" --repeat {args.repeat}" if args.repeat > 1 else "")
              + (f" --rows '{args.rows}'" if args.rows != DEFAULT_ROWS else ""),
              "load_average_at_start": load_start, "load_average_at_end": os.getloadavg(), "rows": rows,
              "note": "wall time of the CLI in a fresh process; steady = (docs - 5) / (time - time on 5 docs)"}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(f"{result['cpu']}; {len(docs)} documents; {result['command']}")
    print("| row | wall s | docs/s | fixed cost s | steady docs/s | vs local (steady) | output = local |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['row']} | {r['seconds']:.1f} | {r['docs_per_s']:.2f} | {r['fixed_seconds']:.1f} | "
              f"{r['steady_docs_per_s']:.2f} | {r['vs_local_steady']:.2f} | {'yes' if r['identical_to_local'] else 'NO'} |")


if __name__ == "__main__":
    main()
