"""Annotate a corpus on Ray Data with exactly the local engine's output (`entnorm annotate --engine ray`).

    ds = read_jsonl(["a.jsonl", "b.jsonl.gz"], batch_size=64)          # one row per batch (the driver plans)
    out = annotate_dataset(ds, workers=4, load_kwargs={"ner": True})   # -> Dataset of {"line": bytes}

The local engine (`stream.annotate_stream`) in Ray's terms, each piece the same code:
  * plan (driver): the inputs are read once with the local reader (`jsonl.Input`) and cut into the local engine's
    batches (`stream.batches`): the tagger's output depends on the other texts of its batch (length-sorted
    padded forward passes), so the same batches are what makes the output byte-identical. A row is one batch:
    a byte range of a plain file (read by the worker), or the batch's bytes for a gzip file (which cannot be
    read from the middle). One row per block, so every batch can go to any actor.
  * pass 1 (an actor pool: the model and knowledge base load once per actor): parse the batch's lines
    (`jsonl.parse_line`), annotate them (`stream.annotate_batch`), and emit the slimmed results plus the batch's
    NIL observations (`NilClusterer.table()`: counts per NIL key and surface name, linked entities).
  * reduce (driver): only the observation tables come to the driver, merged into one `CorpusNil` and clustered
    with the local code (`stream.finish_nil`); clustering depends only on the merged counts, so the IDs do not
    depend on the partitioning.
  * pass 2 (tasks): the mapping is broadcast (`ray.put`, fetched once per worker process), each record's output
    object is built by `stream.output_object` and serialised by `jsonl.encode`; rows stay in input order
    (`preserve_order`).
docs/distributed.md: running on a cluster, memory, how the reduce scales, measurements.
"""
from __future__ import annotations

import io
import os
import pickle
import sys
import threading
import time
import zlib
from pathlib import Path

import ray

from .jsonl import Input, encode, parse_line
from .link.nil import CorpusNil
from .stream import (MAX_BATCH_CHARS, Stats, StrictStop, annotate_batch, batches, finish_nil, observe_batch,
                     output_object)

CPUS_ENV = "ENTNORM_RAY_CPUS"  # CPUs of the local Ray the CLI starts (default: this machine's)
NICE_ENV = "ENTNORM_RAY_NICENESS"  # the local Ray's worker niceness (default: Ray's, 15)
PIDS_ENV = "ENTNORM_RAY_PIDS"  # tests: a directory where each pass-1 actor writes a file named by its pid


# -- plan: the local engine's batches, as byte ranges -------------------------------------------------------
def plan(paths: list[str], batch_size: int = 64, text_field: str = "text", link_only: bool = False,
         max_chars: int = MAX_BATCH_CHARS, counts: dict | None = None):
    """Batch descriptors in input order, exactly `stream.batches` over the inputs read by `jsonl.Input`:
    {"path", "source", "start", "end", "first_line", "data"} — `data` is b"" for a plain file (the worker reads
    bytes [start, end)) and the batch's lines for a gzip one. `counts` (a dict) receives records and blank."""
    several = len(paths) > 1
    counts = counts if counts is not None else {}
    counts.update(records=0, blank=0)
    for path in paths:
        with Input(path, text_field, link_only, path if several else None) as source:
            spans = {}

            def records():
                for rec in source:
                    spans[rec.line] = source.span
                    yield rec

            for batch in batches(records(), batch_size, max_chars):
                start, end = spans[batch[0].line][0], spans[batch[-1].line][1]
                for rec in batch:
                    del spans[rec.line]
                counts["records"] += len(batch)
                yield {"path": str(Path(path).resolve()), "source": path if several else "", "start": start,
                       "end": end, "first_line": batch[0].line, "gzip": source.compressed, "data": b""}
            counts["blank"] += source.blank


def read_jsonl(paths: list[str], batch_size: int = 64, text_field: str = "text", link_only: bool = False,
               max_chars: int = MAX_BATCH_CHARS, counts: dict | None = None) -> "ray.data.Dataset":
    """A Dataset with one row (and one block) per batch of the local engine, in input order (see `plan`). Each
    block goes to the object store as it is planned, so the driver holds only references."""
    import pyarrow as pa

    if any(path == "-" for path in paths):
        raise ValueError("the ray engine reads files, not stdin ('-')")
    ray.data.DataContext.get_current().execution_options.preserve_order = True  # the datasets made here keep it
    refs = [ray.put(pa.Table.from_pylist([item], schema=BATCH_SCHEMA))
            for item in _with_gzip_bytes(plan(paths, batch_size, text_field, link_only, max_chars, counts))]
    if not refs:
        return ray.data.from_arrow(BATCH_SCHEMA.empty_table())
    return ray.data.from_arrow_refs(refs)  # (not a `union` of datasets: it interleaves their blocks)


def _with_gzip_bytes(items):
    """A gzip file's batches carry their bytes (decompressed once more, in step with the plan)."""
    import gzip

    current, fh = None, None
    try:
        for item in items:
            if item["gzip"]:
                if item["path"] != current:
                    if fh:
                        fh.close()
                    current, fh = item["path"], gzip.open(item["path"], "rb")
                fh.seek(item["start"])  # forward only: batches come in order
                item["data"] = fh.read(item["end"] - item["start"])
            yield item
    finally:
        if fh:
            fh.close()


def _schema():
    import pyarrow as pa

    return pa.schema([("path", pa.string()), ("source", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
                      ("first_line", pa.int64()), ("gzip", pa.bool_()), ("data", pa.binary())])


BATCH_SCHEMA = _schema()


def batch_records(item: dict, text_field: str = "text", link_only: bool = False) -> list:
    """One planned batch -> its Records, parsed by the local engine's code, numbered by physical line."""
    data = item["data"]
    if not data:
        with open(item["path"], "rb") as fh:
            fh.seek(item["start"])
            data = fh.read(item["end"] - item["start"])
    records = []
    for n, line in enumerate(io.BytesIO(data)):
        rec = parse_line(line, int(item["first_line"]) + n, text_field, link_only)
        if rec is not None:
            rec.source = item["source"] or None
            records.append(rec)
    return records


# -- pass 1: an actor pool -----------------------------------------------------------------------------------
class Annotator:
    """Holds the pipeline (model + knowledge base) once per actor; annotates one planned batch per row."""

    def __init__(self, load_kwargs: dict, threads: int, text_field: str, link_only: bool, progress=None):
        if threads and load_kwargs.get("ner", True):
            import torch

            torch.set_num_threads(threads)  # Ray sets OMP_NUM_THREADS per worker; say what we want
        from .pipeline import load

        self.nlp = load(**load_kwargs)
        self.text_field, self.link_only, self.progress = text_field, link_only, progress
        if os.environ.get(PIDS_ENV):
            Path(os.environ[PIDS_ENV], str(os.getpid())).touch()

    def __call__(self, rows: dict) -> dict:
        out = {"scratch": [], "nil": [], "stats": []}
        for i in range(len(rows["first_line"])):
            item = {k: rows[k][i] for k in ("path", "source", "start", "end", "first_line", "data")}
            records = batch_records(item, self.text_field, self.link_only)
            nil, stats = CorpusNil(), Stats()
            items = observe_batch(records, annotate_batch(self.nlp, records), nil, stats)
            out["scratch"].append(pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL))
            out["nil"].append(pickle.dumps(nil.clusterer.table(), protocol=pickle.HIGHEST_PROTOCOL))
            out["stats"].append(pickle.dumps(stats, protocol=pickle.HIGHEST_PROTOCOL))
            if self.progress is not None:
                self.progress.add.remote(stats.records)
        return out


@ray.remote(num_cpus=0)
class Counter:
    """Records annotated so far (progress; a retried batch counts twice, so it is capped by the total)."""

    def __init__(self):
        self.n = 0

    def add(self, n: int) -> None:
        self.n += n

    def get(self) -> int:
        return self.n


# -- pass 2: tasks with the broadcast mapping ----------------------------------------------------------------
_MAPPINGS: dict = {}


def rewrite(rows: dict, mapping: list) -> dict:
    """Pass 2: every record's output line (NIL IDs from the broadcast `CorpusNil`; `mapping` = [ObjectRef],
    wrapped in a list so that it travels as a reference and is fetched once per worker process)."""
    ref = mapping[0]
    if ref.hex() not in _MAPPINGS:
        _MAPPINGS.clear()
        _MAPPINGS[ref.hex()] = ray.get(ref)
    nil = _MAPPINGS[ref.hex()]
    return {"line": [encode(output_object(item, nil)) for blob in rows["scratch"] for item in pickle.loads(blob)]}


# -- the two passes ------------------------------------------------------------------------------------------
def resources(workers: int | None) -> tuple[int, int, float]:
    """(actors, torch threads per actor, logical CPUs per actor) for this cluster. The actors never take every
    CPU: one stays free for the tasks around them (reading, a user's upstream transforms, pass 2). An actor pool
    holding all CPUs starves those tasks and Ray waits forever (ray #44687; a `repartition` upstream of a pool
    asking 0.75 of 2 CPUs per actor hung here). The logical CPUs are bookkeeping: the threads do the work."""
    total = float(ray.cluster_resources().get("CPU", 1))
    node = max([n["Resources"].get("CPU", 0.0) for n in ray.nodes() if n.get("Alive")] or [total])
    workers = workers or max(1, int(total // 2))
    threads = max(1, int(min(total // workers, node)))  # an actor lives on one node

    def keep(cpus: float) -> float:
        return cpus - (1.0 if cpus >= 2 else cpus / 2)

    return workers, threads, round(max(0.01, min(threads, keep(total) / workers, keep(node))), 3)


def annotate_dataset(ds: "ray.data.Dataset", *, workers: int | None = None, load_kwargs: dict | None = None,
                     text_field: str = "text", link_only: bool = False, strict: bool = False,
                     stats: Stats | None = None, on_progress=None) -> "ray.data.Dataset":
    """`read_jsonl`'s Dataset -> a Dataset of {"line": bytes} (one output line per record, input order),
    the local engine's output byte for byte. Runs pass 1 and the NIL reduce now (blocking; `on_progress(n)`
    is called with records annotated so far); pass 2 is the returned lazy Dataset. `load_kwargs`: passed to
    `entnorm.load` in every actor; `stats`: filled with the run's counts. `strict`: raise StrictStop for the
    first failed record (in input order) before anything is emitted."""
    ds.context.execution_options.preserve_order = True  # a Dataset keeps the context it was made with
    workers, threads, cpus = resources(workers)
    stats = stats if stats is not None else Stats()
    progress = Counter.remote() if on_progress else None
    # Ray Data restarts a lost actor and reruns its batch (max_restarts and max_task_retries default to -1).
    pass1 = ds.map_batches(Annotator, batch_size=1, compute=ray.data.ActorPoolStrategy(size=workers),
                           num_cpus=cpus, batch_format="numpy",
                           fn_constructor_kwargs={"load_kwargs": load_kwargs or {}, "threads": threads,
                                                  "text_field": text_field, "link_only": link_only,
                                                  "progress": progress})
    pass1 = _materialize(pass1, progress, on_progress)
    nil = CorpusNil()
    for row in pass1.select_columns(["nil", "stats"]).iter_rows():  # observations only, never documents
        nil.clusterer.merge(pickle.loads(row["nil"]))
        stats.add(pickle.loads(row["stats"]))
    finish_nil(nil, stats)
    if strict and stats.failed:
        raise _first_failure(pass1)
    mapping = ray.put(_light(nil))
    return pass1.map_batches(rewrite, batch_size=1, batch_format="numpy", num_cpus=0.25,
                             fn_kwargs={"mapping": [mapping]})


def _materialize(ds, progress, on_progress):
    """`ds.materialize()`, reporting progress from the driver while it runs."""
    if not on_progress:
        return ds.materialize()
    result: dict = {}

    def run():
        try:
            result["ds"] = ds.materialize()
        except BaseException as e:  # re-raised in the caller's thread
            result["error"] = e

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.5)
        on_progress(ray.get(progress.get.remote()))
    if "error" in result:
        raise result["error"]
    return result["ds"]


def _first_failure(pass1) -> StrictStop:
    for row in pass1.select_columns(["scratch"]).iter_rows():
        for obj, doc in pickle.loads(row["scratch"]):
            if doc is None:
                err = obj["error"]
                return StrictStop(err["line"], err["reason"], err.get("file"))
    return StrictStop(0, "unknown failure")


def _light(nil: CorpusNil) -> CorpusNil:
    """What pass 2 needs of the reduce: the assignment (not the observation table)."""
    light = CorpusNil(nil.clusterer.min_similarity, nil.corpus_context_score)
    light.assignment = nil.assignment
    return light


# -- the CLI's engine ----------------------------------------------------------------------------------------
def start(workers: int | None = None, address: str | None = None, **kwargs) -> None:
    """Join the cluster at `address`, or start a local Ray with this machine's CPUs; quiet on stdout."""
    if ray.is_initialized():
        return
    opts = dict(include_dashboard=False, log_to_driver=False, logging_level="ERROR", configure_logging=True)
    opts.update(kwargs)
    if address:
        ray.init(address=address, **opts)
    else:
        cpus = int(os.environ.get(CPUS_ENV) or os.cpu_count() or 1)
        if os.environ.get(NICE_ENV):  # Ray starts its workers at nice 15: they lose to any busy process
            opts.setdefault("_system_config", {})["worker_niceness"] = int(os.environ[NICE_ENV])
        ray.init(num_cpus=cpus, **opts)
    import logging

    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False  # entnorm's own progress line instead
    ctx.print_on_execution_start = False
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.WARNING)


def run_cli(args, t0: float) -> int:
    """`entnorm annotate ... --engine ray` (cli.run_annotate hands over after checking the paths)."""
    from .cli import Fatal, Progress, output, pipeline_options, strict_stop, summary

    load_kwargs = pipeline_options(args)
    try:
        start(args.workers, args.address)
    except Exception as e:
        raise Fatal(f"cannot start or join Ray: {type(e).__name__}: {e}") from e
    counts: dict = {}
    try:
        ds = read_jsonl(args.inputs, args.batch_size, args.text_field, args.link_only, counts=counts)
    except (OSError, EOFError, ValueError, zlib.error) as e:
        raise Fatal(f"cannot read the input: {e}") from e
    total = _Total(counts["records"])
    progress = Progress(total, sys.stderr.isatty() and not args.quiet)
    stats = Stats()

    def on_progress(n: int) -> None:
        total.done = min(n, total.size)
        progress.update(Stats(records=total.done))

    try:
        out_ds = annotate_dataset(ds, workers=args.workers, load_kwargs=load_kwargs, text_field=args.text_field,
                                  link_only=args.link_only, strict=args.strict, stats=stats,
                                  on_progress=on_progress)
        with output(args) as out:
            for batch in out_ds.iter_batches(batch_size=256, batch_format="numpy"):
                for line in batch["line"]:
                    out.write(bytes(line))
    except StrictStop as e:
        progress.close()
        raise strict_stop(e) from e
    except Fatal:
        raise
    except Exception as e:  # a batch that keeps failing, an actor that cannot load the pipeline, a lost node
        progress.close()
        raise Fatal(f"the Ray run failed (no output written): {type(e).__name__}: {str(e)[-2000:]}") from e
    progress.close()
    if not args.quiet:
        summary(stats, counts["blank"], time.monotonic() - t0)
    return 1 if stats.failed else 0


class _Total:
    """The progress line's "input": records annotated of the planned total (so % and ETA are by records)."""

    def __init__(self, size: int):
        self.size, self.done = size, 0

    def position(self) -> int:
        return self.done
