"""`python -m entnorm.kb.build`: rebuild gazetteer/generated/*.yaml from the shared gazetteer sources.

    python -m entnorm.kb.build            # reads $ENTNORM_DATA (default ../shared/data)
    python -m entnorm.kb.build --check    # build in memory, print counts, write nothing

Reads `$ENTNORM_DATA/gazetteer-sources`, `$ENTNORM_DATA/text` and `gazetteer/curated/*.yaml` (never written);
writes `gazetteer/generated/*.yaml` (or --out DIR) and prints counts. docs/gazetteer.md has the details.
"""
from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

from ..schema import LABELS
from .pipeline import Paths, Result, build
from .writer import licence_notice, write_yaml


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m entnorm.kb.build", description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="build in memory and print counts; write nothing")
    ap.add_argument("--with-iddbpedia-persons", action="store_true",
                    help="also emit the ~18k Indonesian DBpedia person names as slug-id PER records (off by default: "
                         "noisy, no IDs, and they double the load time of the YAML)")
    ap.add_argument("--out", type=Path, default=None, help="output dir (default: <gazetteer>/generated)")
    args = ap.parse_args(argv)
    t0 = time.time()
    paths = Paths.default()
    if args.out:
        paths.out = args.out
    if not (paths.src / "README.md").exists():
        print(f"gazetteer sources not found at {paths.src} (set ENTNORM_DATA)", file=sys.stderr)
        return 2
    result = build(paths, with_iddbpedia_persons=args.with_iddbpedia_persons)
    print(f"\ncurated: {len(result.curated)} records ({len(result.replaced)} replace a generated record with the "
          f"same id, {len(result.curated) - len(result.replaced)} are new)")
    if not args.check:
        written = write_yaml(result.by_file, paths.out)
        (paths.out.parent / "LICENSE-DATA.md").write_text(licence_notice(), encoding="utf-8")
        print("\nfiles:")
        for name, (n, size) in written.items():
            print(f"  generated/{name:28s} {n:7d} records {size / 1e6:6.2f} MB")
    _print_counts(result)
    print(f"\nbuilt in {time.time() - t0:.1f}s")
    return 0


def _print_counts(result: Result) -> None:
    counts = collections.Counter((r["type"], r.get("kind", "")) for r in result.records + result.curated)
    total = collections.Counter()
    for (t, _), n in counts.items():
        total[t] += n
    print("\ncounts by type/kind (generated + curated):")
    for (t, k), n in sorted(counts.items(), key=lambda x: (x[0][0], -x[1])):
        print(f"  {t:4s} {k:22s} {n:7d}")
    print(f"  total: {sum(total.values())} ({', '.join(f'{t} {total[t]}' for t in LABELS)})")
    if result.notes:
        print(f"\nnotes ({len(result.notes)}):")
        for n in result.notes[:10]:
            print("  " + n)
        if len(result.notes) > 10:
            print(f"  ... {len(result.notes) - 10} more")


if __name__ == "__main__":
    sys.exit(main())
