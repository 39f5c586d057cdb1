"""`entnorm kb build DUMP... -o DIR`: Wikidata dumps (and gazetteer YAML) -> DIR/records.jsonl.gz + manifest.json.

One read of each dump. The reader (this process; a feeder thread cuts blocks of whole lines) hands blocks to the
workers (`scan.process_block`), which return candidates, P279 edges and P297 codes; results come back in order.
Candidates are spilled to a scratch file in DIR with their QIDs and offsets in int arrays, so memory stays small.
At the end the P279 closure is computed (`classes.widen`), and the candidates are read back in QID order, typed,
given their country code and written as schema records. YAML records (the gazetteer schema) are validated and
copied through; a YAML record replaces the Wikidata record with the same id.
"""
from __future__ import annotations

import heapq
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
from array import array
from dataclasses import dataclass
from pathlib import Path

from ..loader import gazetteer_files, read_records
from ..schema import FIELDS, RecordError, check_record
from .classes import load_class_map, type_of, widen
from .dump import DumpReader, gzip_module
from .entity import DEFAULT_LANGS
from .records import RECORDS, Spill, sort_key, write_records
from .report import Progress, Stats
from .scan import JSON_LIB, ScanOptions, init_worker, process_block

MANIFEST, SCRATCH = "manifest.json", ".candidates.tmp"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class BuildOptions:
    langs: tuple[str, ...] = DEFAULT_LANGS
    all_labelled: bool = False
    workers: int = 0                 # 0: one per core
    chunk_bytes: int = 4 << 20       # decompressed bytes per block handed to a worker
    class_map: str | None = None     # default: the shipped classes.yaml
    progress: bool = False
    verbose: bool = True             # print the first malformed lines and the summary


def block_dir(fallback: Path, budget: int) -> str:
    """A scratch directory for the blocks in flight: in /dev/shm (memory) when it has room for them (a container's
    /dev/shm may be 64 MB), else next to the output."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        for old in shm.glob("entnorm-kb-*-*"):  # left by a killed run: its process is gone
            pid = old.name.split("-")[2]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                shutil.rmtree(old, ignore_errors=True)
        if shutil.disk_usage(shm).free > 2 * budget:
            return tempfile.mkdtemp(prefix=f"entnorm-kb-{os.getpid()}-", dir=shm)
    return tempfile.mkdtemp(prefix=".blocks-", dir=fallback)


def scan_dumps(readers: list[DumpReader], opts: BuildOptions, stats: Stats, spill: Spill, err, progress: Progress):
    """Read every dump once; returns (P279 edges, {QID number: ISO code})."""
    edges, isos = array("q"), {}
    starts = [sum(r.size for r in readers[:i]) for i in range(len(readers))]
    workers = opts.workers or os.cpu_count() or 1
    window = threading.BoundedSemaphore(workers * 3)  # blocks in flight: bounds the reader's lead and the memory
    scratch = block_dir(spill.path.parent, workers * 3 * opts.chunk_bytes) if workers > 1 else None

    def tasks():
        for seq, (i, (first_line, position, block)) in enumerate(
                (i, b) for i, reader in enumerate(readers) for b in reader.blocks()):
            window.acquire()
            if scratch:  # handed over as a file the worker maps: one copy instead of a pickle through a pipe
                path = os.path.join(scratch, str(seq))
                with open(path, "wb") as fh:
                    fh.write(block)
                block = path
            yield i, first_line, position, block

    scan_opts = ScanOptions(tuple(opts.langs), opts.all_labelled)
    pool = None
    if workers == 1:
        init_worker(scan_opts)
        results = map(process_block, tasks())
    else:
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
        pool = ctx.Pool(workers, initializer=init_worker, initargs=(scan_opts, True))
        results = pool.imap(process_block, tasks())
    try:
        for res in results:
            window.release()
            name = readers[res.source].path.name
            stats.entities += res.entities
            stats.skipped.update(res.counts)
            for line, reason in res.errors:
                stats.add_error(f"{name}:{line}", reason, err if opts.verbose else None, progress)
            edges.extend(res.edges)
            for qnum, code in res.isos:
                isos.setdefault(qnum, code)
            for qnum, blob in res.candidates:
                spill.add(qnum, blob)
            stats.candidates += len(res.candidates)
            progress.update(stats, starts[res.source] + res.position)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    progress.update(stats, sum(r.size for r in readers), force=True)
    stats.incomplete += [f"{r.path.name}: {r.problem}" for r in readers if r.problem]
    return edges, isos


def finalize(spill: Spill, labels: dict, isos: dict, stats: Stats, replaced: set):
    """Typed schema records in QID order."""
    previous = None
    for qnum, (_, p31, name, aliases, desc, p17, p27, prior, titles) in spill.sorted():
        label = type_of(p31, labels)
        if label is None:
            stats.skipped["untyped: no P31 class under a mapped class"] += 1
            continue
        if label.type is None:
            stats.skipped["ambiguous: the nearest P31 classes map to different types"] += 1
            continue
        qid = f"Q{qnum}"
        if qnum == previous or qid in replaced:  # repeated in the dump / a YAML record has this id
            stats.dropped[label.type] += 1
            continue
        previous = qnum
        country = isos.get((p27 or p17) if label.type == "PER" else p17, "")
        refs = dict(titles, **({"iso": isos[qnum]} if qnum in isos else {}))
        rec = {"id": qid, "type": label.type, "name": name, "aliases": list(aliases), "kind": label.kind,
               "country": country, "description": desc, "prior": prior, "refs": refs, "source": "wikidata"}
        rec = {k: rec[k] for k in FIELDS if k in rec and (rec[k] or k == "prior")}
        check_record(rec, f"wikidata {qid}")
        stats.kept[label.type] += 1
        yield rec


def read_yaml(paths: list[Path], stats: Stats) -> list[dict]:
    recs, seen = [], set()
    for path, rec in read_records(gazetteer_files(paths)):
        if rec["id"] in seen:
            raise RecordError(f"{path}: duplicate entity id {rec['id']}")
        seen.add(rec["id"])
        recs.append(rec)
    for rec in recs:
        stats.kept[rec["type"]] += 1
    stats.yaml_records = len(recs)
    return sorted(recs, key=lambda r: sort_key(str(r["id"])))


def build(inputs: list[str | Path], out_dir: str | Path, opts: BuildOptions | None = None, err=None) -> dict:
    """Build DIR/records.jsonl.gz and DIR/manifest.json from dumps and/or YAML; returns the manifest."""
    from ... import __version__

    opts, err, t0 = opts or BuildOptions(), err or sys.stderr, time.monotonic()
    paths = [Path(p) for p in inputs]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"input not found: {', '.join(missing)}")
    yaml_paths = [p for p in paths if p.is_dir() or p.suffix.lower() in YAML_SUFFIXES]
    readers = [DumpReader(p, opts.chunk_bytes) for p in paths if p not in yaml_paths]
    cmap = load_class_map(opts.class_map)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stats = Stats()
    yaml_recs = read_yaml(yaml_paths, stats) if yaml_paths else []
    progress = Progress(sum(r.size for r in readers), opts.progress, err)
    spill = Spill(out_dir / SCRATCH)
    try:
        edges, isos = scan_dumps(readers, opts, stats, spill, err, progress)
        progress.message("typing candidates through the P279 closure, sorting, writing ...")
        labels = widen(cmap.roots, edges)
        wikidata = finalize(spill, labels, isos, stats, {str(r["id"]) for r in yaml_recs})
        write_records(out_dir / RECORDS, heapq.merge(wikidata, yaml_recs, key=lambda r: sort_key(str(r["id"]))))
        progress.clear()
    finally:
        spill.close()
    elapsed = time.monotonic() - t0
    manifest = {
        "format": "entnorm-kb-records/1", "records": RECORDS, "entnorm_version": __version__,
        "dumps": [{"name": r.path.name, "size": r.size, "format": r.format, "lines": r.lines,
                   "complete": not r.problem, **({"problem": r.problem} if r.problem else {})} for r in readers],
        "yaml": [{"name": p.name, "size": p.stat().st_size if p.is_file() else None} for p in yaml_paths],
        "options": {"langs": list(opts.langs), "filter": "all-labelled" if opts.all_labelled else "idwiki/enwiki",
                    "workers": opts.workers or os.cpu_count(), "json": JSON_LIB, "gzip": gzip_module().__name__},
        "class_map": {"file": Path(cmap.path).name, "sha256": cmap.sha256, "roots": len(cmap.roots),
                      "classes_after_p279": len(labels), "p279_edges": len(edges) // 2, "iso_codes": len(isos)},
        "counts": stats.counts(), "elapsed_s": round(elapsed, 3)}
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if opts.verbose:
        print(stats.summary(elapsed, len(readers)), file=err)
    return manifest
