"""`entnorm annotate INPUT [-o OUTPUT]`: JSONL in, linked entities out (schema and decisions: docs/annotate.md).
`entnorm evaluate [--model DIR]`: the NER model's test-set scores (entnorm/ner/evaluate.py).

The work is `stream.annotate_stream` (batches, per-record errors, two-pass corpus NIL IDs); this module parses
arguments, shows progress and prints the summary. The output is renamed into place only when complete
(`jsonl.AtomicOutput`).
Exit status: 0 all records annotated, 1 some records failed (each still has its output line, with `error`),
2 usage or fatal error, or `--strict` stopped at a failure (no output written), 130 interrupted.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import zlib
from pathlib import Path

from . import __version__
from .jsonl import Inputs, encode, expand_inputs, open_output
from .ner.precision import PRECISIONS
from .stream import Stats, StrictStop, annotate_stream

PROG = "entnorm"


class Fatal(Exception):
    """Stops the run with exit status 2 and no output."""


class Progress:
    """One self-overwriting line on stderr: records, records/s and, when the input size is known, % and ETA."""

    def __init__(self, source, enabled: bool):
        self.source, self.enabled = source, enabled
        self.t0 = self.last = time.monotonic()

    def update(self, stats: Stats) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.25:
            return
        self.last, elapsed = now, now - self.t0
        msg = f"{stats.records:,} records  {stats.records / elapsed:,.1f} rec/s"
        pos, size = self.source.position(), self.source.size
        if pos and size:
            eta = elapsed * max(size - pos, 0) / pos
            msg += f"  {min(pos / size, 1):.0%}  ETA {int(eta) // 3600}:{int(eta) % 3600 // 60:02d}:{int(eta) % 60:02d}"
        sys.stderr.write(f"\r{msg}\x1b[K")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def read(source: Inputs):
    """The input's records; a read error (corrupt or truncated gzip, unreadable device) is fatal."""
    try:
        yield from source
    except (OSError, EOFError, zlib.error) as e:
        raise Fatal(f"cannot read {source.name} after line {source.lines}: {e}") from e


def pipeline_options(args) -> dict:
    """`entnorm.load` keyword arguments from the annotate flags (both engines)."""
    return dict(gazetteer=args.gazetteer, model=args.model, ner=not args.link_only, precision=args.precision,
                batch_size=args.batch_size, kb=args.kb, context_ranking=args.context_ranking)


def load_pipeline(args):
    from .pipeline import load

    if args.workers and not args.link_only and args.engine == "local":
        import torch

        torch.set_num_threads(args.workers)  # intra-op threads of the NER model, the heavy stage
    try:
        return load(**pipeline_options(args))
    except Exception as e:
        hint = "" if args.link_only else " (no NER model? use --model DIR, or --link-only with given spans)"
        raise Fatal(f"cannot load the pipeline: {type(e).__name__}: {e}{hint}") from e


def run_annotate(args) -> int:
    t0 = time.monotonic()
    try:
        args.inputs = expand_inputs(args.input)
    except (OSError, ValueError) as e:
        raise Fatal(f"cannot read {e}") from e
    target = Path(args.output.rstrip("/") or args.output)
    if args.output != "-" and not target.resolve().parent.is_dir():
        raise Fatal(f"output directory {target.resolve().parent} does not exist")
    output(args)  # checks a directory output is new or empty, before anything is loaded
    if args.engine == "ray":
        try:
            from .distributed import run_cli
        except ImportError as e:
            raise Fatal(f"--engine ray needs Ray: pip install 'entnorm[ray]' ({e})") from e
        return run_cli(args, t0)
    try:
        source = Inputs(args.inputs, args.text_field, args.link_only)
    except OSError as e:
        raise Fatal(f"cannot read {e.filename or args.inputs[0]}: {e.strerror or e}") from e
    nlp = load_pipeline(args)
    scratch_dir = None if args.output == "-" else target.resolve().parent
    with source, output(args) as out:
        progress = Progress(source, sys.stderr.isatty() and not args.quiet)
        try:
            stats = annotate_stream(nlp, read(source), lambda obj: out.write(encode(obj)),
                                    batch_size=args.batch_size, strict=args.strict, scratch_dir=scratch_dir,
                                    on_batch=progress.update)
        except StrictStop as e:
            progress.close()
            raise strict_stop(e) from e
        progress.close()
    if not args.quiet:
        summary(stats, source.blank, time.monotonic() - t0)
    return 1 if stats.failed else 0


def output(args):
    """The atomic output: a file, or a directory of part files with a manifest naming the inputs."""
    try:
        return open_output(args.output, manifest={"entnorm": __version__, "engine": args.engine,
                                                  "inputs": [p if p == "-" else str(Path(p).resolve()) for p in args.inputs]})
    except FileExistsError as e:
        raise Fatal(str(e)) from e


def strict_stop(e: StrictStop) -> Fatal:
    return Fatal(f"{e.source + ' ' if e.source else ''}line {e.line}: {e.reason} (--strict: stopped, "
                 f"no output written)")


def summary(stats: Stats, blank: int, seconds: float) -> None:
    rate = stats.records / seconds if seconds > 0 else 0.0
    lines = [f"{PROG} annotate: {stats.records:,} records in {seconds:,.1f} s ({rate:,.1f} rec/s), "
             f"{stats.failed:,} failed, {blank:,} blank lines skipped",
             f"  entities: {stats.entities:,} ({stats.linked:,} linked to the gazetteer, {stats.nil:,} NIL "
             f"-> {stats.nil_ids:,} NIL ids across the run)"]
    lines += [f"  failed: {example}" for example in stats.examples]
    if stats.failed > len(stats.examples):
        lines.append(f"  ... and {stats.failed - len(stats.examples):,} more (records with an 'error' field)")
    print("\n".join(lines), file=sys.stderr)


def positive_int(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def run_evaluate(args) -> int:
    from .ner.evaluate import format_scores, score_model
    from .ner.tagger import DEFAULT_MODEL

    try:
        metrics = score_model(Path(args.model) if args.model else DEFAULT_MODEL, args.precision)
    except FileNotFoundError as e:
        raise Fatal(f"{e.filename or e}: not found (model directory, or the corpora under $ENTNORM_DATA)") from e
    print(format_scores(metrics))
    if args.json:
        Path(args.json).write_text(json.dumps(metrics, indent=2))
    return 0


def run_kb_build(args) -> int:
    """`entnorm kb build`: Wikidata dump(s) / gazetteer YAML -> DIR/records.jsonl.gz + manifest.json (docs/kb.md).
    Exit status 0, or 1 when lines were malformed or a dump is incomplete (the output is still written)."""
    import yaml

    from .kb.wikidata import DEFAULT_LANGS, BuildOptions, build

    langs = tuple(x.strip() for x in args.langs.split(",") if x.strip()) if args.langs else DEFAULT_LANGS
    opts = BuildOptions(langs=langs, all_labelled=args.all_labelled, workers=args.workers or 0,
                        class_map=args.class_map, progress=sys.stderr.isatty() and not args.quiet,
                        verbose=not args.quiet)
    try:
        counts = build(args.inputs, args.output, opts)["counts"]
    except (OSError, ValueError, yaml.YAMLError) as e:  # missing input, bad YAML record or class map
        raise Fatal(str(e)) from e
    return 1 if counts["malformed"] or counts["incomplete"] else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Find PER/LOC/ORG mentions in Indonesian news and "
                                     "link every spelling to one canonical ID.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    a = sub.add_parser("annotate", help="annotate a JSONL file of records",
                       description="Annotate JSONL records (one JSON object per line; .jsonl or .jsonl.gz; '-' "
                       "for stdin/stdout). Output: each input object with every field kept plus 'entities'; a "
                       "record that cannot be annotated gets 'error': {line, reason} instead. Exit status 0 = all "
                       "annotated, 1 = some records failed, 2 = usage/fatal error or --strict stop.")
    a.add_argument("input", metavar="INPUT", nargs="+",
                   help="JSONL file (.jsonl, .jsonl.gz), a directory of them, a glob, or '-' for stdin; several "
                   "are read in order as one corpus (error records then name their file)")
    a.add_argument("-o", "--output", default="-", metavar="OUTPUT",
                   help="output file, written atomically; gzip if it ends in .gz (default: stdout); a directory "
                   "(ending in '/', or existing and empty) gets part files and manifest.json")
    a.add_argument("--text-field", default="text", metavar="NAME", help="field holding the text (default: text)")
    a.add_argument("--link-only", action="store_true",
                   help="no NER: link the spans in each record's 'entities' ({start, end, label})")
    a.add_argument("--gazetteer", action="append", metavar="PATH",
                   help="gazetteer YAML file or directory (repeatable; default: the project gazetteer)")
    a.add_argument("--kb", action="append", metavar="DIR",
                   help="a knowledge base layered over the shipped gazetteer (repeatable; the first wins on a "
                   "shared id): a folder written by `entnorm kb build`, a compiled store, or gazetteer YAML")
    a.add_argument("--model", metavar="DIR", help="NER model directory (default: the shipped model)")
    a.add_argument("--precision", choices=PRECISIONS, default="auto",
                   help="NER compute precision (default: auto = $ENTNORM_PRECISION, else bf16 where the CPU has "
                   "native bf16, else fp32; int8 is opt-in)")
    a.add_argument("--batch-size", type=positive_int, default=64, metavar="N", help="records per batch (default 64)")
    a.add_argument("--context-ranking", action=argparse.BooleanOptionalAction, default=None,
                   help="decide competing or weak candidates by comparing the sentence with their descriptions "
                   "(the encoder; on by default; --no-context-ranking for names alone: faster, above all with "
                   "--link-only; docs/linking.md)")
    a.add_argument("--engine", choices=["local", "ray"], default="local",
                   help="local (default): this process; ray: Ray Data actors, same output (pip install "
                   "'entnorm[ray]'; docs/distributed.md)")
    a.add_argument("--workers", type=positive_int, metavar="N",
                   help="local engine: CPU threads for the NER model (torch intra-op threads; default: torch's "
                   "choice; linking runs in one thread; no effect with --link-only). ray engine: N actors, "
                   "each holding the model and knowledge base once (default: 1 per 2 CPUs of the cluster)")
    a.add_argument("--address", metavar="ADDR",
                   help="ray engine: join this Ray cluster (host:port or 'auto'); default: start a local Ray "
                   "with the workers' processes")
    a.add_argument("--quiet", action="store_true", help="no progress bar and no summary on stderr")
    a.add_argument("--strict", action="store_true",
                   help="stop at the first record that fails (exit 2, no output written)")
    a.set_defaults(func=run_annotate)
    e = sub.add_parser("evaluate", help="score a NER model on the NERGrit, NER UI and IDNer test sets",
                       description="Span F1 (exact, typed; micro and macro) and per-type P/R/F1 on the three "
                       "test sets, with the generic domain row (what annotate uses) and each corpus's own row. "
                       "Reads the corpora under $ENTNORM_DATA.")
    e.add_argument("--model", metavar="DIR", help="NER model directory (default: the shipped model)")
    e.add_argument("--precision", choices=[p for p in PRECISIONS if p != "auto"], default="fp32",
                   help="compute precision (default fp32, the reference)")
    e.add_argument("--json", metavar="PATH", help="also write the scores as JSON")
    e.set_defaults(func=run_evaluate)
    k = sub.add_parser("kb", help="knowledge-base tools: build records from a Wikidata dump",
                       description="Knowledge-base tools (docs/kb.md).")
    kb_build = k.add_subparsers(dest="kb_command", metavar="SUBCOMMAND", required=True).add_parser(
        "build", help="Wikidata JSON dump(s) and/or gazetteer YAML -> DIR/records.jsonl.gz + DIR/manifest.json",
        description="Import PER/LOC/ORG items from the Wikidata JSON dump (latest-all.json.gz / .bz2 / .json), "
        "typed through classes.yaml widened by the dump's P279 hierarchy; gazetteer YAML inputs are validated and "
        "copied through (they replace a Wikidata record with the same id). Exit status 0, 1 when lines were "
        "malformed or a dump is incomplete (output still written), 2 on a fatal error.")
    kb_build.add_argument("inputs", nargs="+", metavar="DUMP", help="Wikidata JSON dump (gzip, bz2 or plain), or a "
                          "gazetteer YAML file or directory")
    kb_build.add_argument("-o", "--output", required=True, metavar="DIR", help="output directory")
    kb_build.add_argument("--all-labelled", action="store_true", help="keep every typed item with a label in "
                          "--langs (default: only items with an idwiki or enwiki article)")
    kb_build.add_argument("--langs", metavar="L1,L2", help="label languages, in display-name order (default "
                          "id,mul,en,ms,jv,su)")
    kb_build.add_argument("--workers", type=positive_int, metavar="N", help="parser processes (default: one per core)")
    kb_build.add_argument("--class-map", metavar="YAML", help="class map (default: the shipped classes.yaml)")
    kb_build.add_argument("--quiet", action="store_true", help="no progress bar, malformed lines or summary")
    kb_build.set_defaults(func=run_kb_build)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.func(args)
    except Fatal as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `entnorm annotate x.jsonl | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
