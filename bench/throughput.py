"""Throughput benchmark: `python bench/throughput.py [--model DIR]` (one command, one run, ~10 minutes).

Corpus: the Leipzig 2008 news sentences (`$ENTNORM_DATA/text/.../my_leipzig_sample.txt`) grouped in file order
into article-sized documents of 15-25 sentences, plus the seed articles (`seeds/seeds.jsonl`).

Rows, each measured in a fresh subprocess (so peak RSS and cold start are per row):
  naive         `transformers.pipeline("token-classification", aggregation_strategy="simple", stride=16)` on
                the same weights exported as a BertForTokenClassification, fp32, one text at a time (on a
                subset of the documents; docs/s is comparable)
  entnorm-fp32  `entnorm.pipeline.load(precision="fp32").pipe(docs)` + JSON lines: NER, linking, serialisation
  entnorm-int8  the same with dynamic int8 linear layers (the fast option for CPUs without bf16)
  entnorm-bf16  the same in bf16 (the default where the CPU has AMX / AVX-512 BF16)
  entnorm-fp32+context (etc.)  with `--context-ranking`: each entnorm row again with load(context_ranking=True),
                the linker's context ranker on (link/semantic.py); reports the share of mentions it embedded and
                the change in wall time and in the process's CPU time (steadier on a shared machine)
Cold start = `import entnorm.pipeline` + `load()` (model + gazetteer) with a warm cache. Each entnorm row also
splits its time into encoder forward passes, the rest of the tagger (tokenisation, batching, decoding), the
reconciler (linking) and JSON, and reports the encoder's achieved FLOP/s against the measured matmul ceiling.
Quality: fp32 vs each fast precision on the three NER test sets (entity agreement, F1 difference).
Writes `bench/results/throughput.json`.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TQDM_DISABLE", "1")

LEIPZIG = Path("text") / "leipzig_ind_news_2008_sample25k" / "my_leipzig_sample.txt"
MATMUL_PARAMS_PER_LAYER = 4 * 384 * 384 + 2 * 384 * 1536  # QKV + attention output + FFN in/out


# -- corpus ----------------------------------------------------------------------------------------------
def corpus(limit: int | None = None) -> list[str]:
    from entnorm import settings

    lines = (settings.data_dir() / LEIPZIG).read_text(encoding="utf-8").splitlines()
    sents = [l.split(" ", 1)[1].strip() for l in lines if " " in l]
    rng, docs, i = random.Random(0), [], 0
    while i < len(sents):
        n = rng.randint(15, 25)
        docs.append(" ".join(sents[i : i + n]))
        i += n
    seeds = settings.data_dir().parent / "seeds" / "seeds.jsonl"
    if seeds.exists():
        docs += [json.loads(l)["text"] for l in seeds.read_text(encoding="utf-8").splitlines() if l.strip()]
    return docs[:limit] if limit else docs


def cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        fields = dict(l.split(":", 1) for l in out.splitlines() if ":" in l)
        flags = fields.get("Flags", "")
        extra = [f for f in ("amx_bf16", "avx512_bf16", "avx512_vnni", "amx_int8") if f in flags.split()]
        return f"{fields.get('Model name', '?').strip()}, {fields.get('CPU(s)', '?').strip()} CPUs, {' '.join(extra)}"
    except OSError:
        return platform.processor()


def peak_rss_mb() -> float:
    """Peak resident set of this process image (VmHWM; ru_maxrss would carry the parent's across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- ceiling ---------------------------------------------------------------------------------------------
def matmul_ceiling(dtype_name: str, tokens: int = 4096, seconds: float = 2.0) -> dict:
    """FLOP/s of the encoder's own matmul mix (one layer's four projections on `tokens` rows), and of a
    large square matmul, at the process's thread count."""
    import torch

    dtype = {"bf16": torch.bfloat16, "fp32": torch.float32}[dtype_name]
    H, F = 384, 1536
    x = torch.randn(tokens, H, dtype=dtype)
    ws = [torch.randn(3 * H, H, dtype=dtype), torch.randn(H, H, dtype=dtype), torch.randn(F, H, dtype=dtype),
          torch.randn(H, F, dtype=dtype)]
    h = torch.randn(tokens, F, dtype=dtype)

    def layer():
        torch.nn.functional.linear(x, ws[0])
        torch.nn.functional.linear(x, ws[1])
        torch.nn.functional.linear(x, ws[2])
        torch.nn.functional.linear(h, ws[3])

    def rate(fn, flops):
        fn()
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            fn()
            n += 1
        return flops * n / (time.perf_counter() - t0)

    a = torch.randn(2048, 2048, dtype=dtype)
    with torch.inference_mode():
        return {"encoder_mix_flops": rate(layer, 2 * tokens * MATMUL_PARAMS_PER_LAYER),
                "square_2048_flops": rate(lambda: a @ a, 2 * 2048 ** 3)}


def encoder_flops(tokens: int, sq_tokens: int, layers: int = 12, hidden: int = 384) -> float:
    """2 x matmul parameters per token, plus attention: QK^T and PV, 2*L*H each per token per layer."""
    return 2 * layers * MATMUL_PARAMS_PER_LAYER * tokens + layers * 4 * hidden * sq_tokens


# -- baseline --------------------------------------------------------------------------------------------
def export_baseline(model_dir: Path, out: Path) -> None:
    """The artifact as a plain BertForTokenClassification + fast tokenizer, what a user would load."""
    import torch
    from tokenizers import Tokenizer
    from transformers import BertConfig, BertForTokenClassification, PreTrainedTokenizerFast

    from entnorm import encoder
    from entnorm.ner.artifact import artifact_weights

    weights, meta, config = artifact_weights(model_dir)
    labels = meta["labels"]
    cfg = BertConfig.from_pretrained(str(encoder.base_dir()))
    cfg.type_vocab_size = len(meta["domains"])
    cfg.num_hidden_layers = config["num_hidden_layers"]
    cfg.num_labels = len(labels)
    cfg.id2label = dict(enumerate(labels))
    cfg.label2id = {l: i for i, l in enumerate(labels)}
    model = BertForTokenClassification(cfg)
    state = {k: v.float().contiguous() for k, v in weights.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected and all("position_ids" in k for k in missing), (missing, unexpected)
    model.save_pretrained(str(out))
    base = encoder.load_base_encoder()
    pieces = {k: base.tokenizer.id_to_token(v) for k, v in base.special.items()}
    tok = PreTrainedTokenizerFast(tokenizer_object=Tokenizer.from_file(str(base.path / "tokenizer.json")),
                                  bos_token=pieces["bos"], eos_token=pieces["eos"], cls_token=pieces["bos"],
                                  sep_token=pieces["eos"], pad_token=pieces["pad"], unk_token=pieces["unk"],
                                  model_max_length=512)
    tok.save_pretrained(str(out))
    del torch


def row_naive(args) -> dict:
    t0 = time.perf_counter()
    from transformers import pipeline

    t1 = time.perf_counter()
    nlp = pipeline("token-classification", model=str(args.baseline_dir), tokenizer=str(args.baseline_dir),
                   aggregation_strategy="simple", stride=16, device="cpu")
    t2 = time.perf_counter()
    set_threads(args)
    docs = corpus()[: args.baseline_docs]
    nlp(docs[0][:200])  # warm-up
    start = time.perf_counter()
    raw = [nlp(d) for d in docs]
    elapsed = time.perf_counter() - start
    return {"docs": len(docs), "seconds": elapsed, "import_s": t1 - t0, "load_s": t2 - t1,
            "entities": [naive_spans(d, r) for d, r in zip(docs, raw)], "rss_mb": peak_rss_mb()}


def naive_spans(text: str, found: list[dict]) -> list[tuple[int, int, str]]:
    """The pipeline's groups as entnorm-comparable spans: offsets without the leading "▁" space, and
    fragments of one word ("▁A" + "kon", which "simple" aggregation leaves apart) joined."""
    out: list[list] = []
    for e in found:
        start, end = e["start"], e["end"]
        while start < end and text[start].isspace():
            start += 1
        if out and out[-1][2] == e["entity_group"] and out[-1][1] == start:
            out[-1][1] = end
        elif start < end:
            out.append([start, end, e["entity_group"]])
    return [tuple(s) for s in out]


def set_threads(args) -> None:
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)


class Timer:
    def __init__(self):
        self.seconds = 0.0

    def wrap(self, fn):
        def timed(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                self.seconds += time.perf_counter() - t
        return timed


class BatchCounter:
    """What the encoder is given, counted around `FastEncoder.head_logprobs(ids, lengths, ...)`: rows, real and
    padded tokens, batches, and the sum of squared lengths (for the attention FLOPs)."""

    def __init__(self):
        self.stats = {"sequences": 0, "tokens": 0, "sq_tokens": 0, "padded_tokens": 0, "batches": 0}

    def wrap(self, fn):
        def counted(ids, lengths, *a, **k):
            st = self.stats
            st["sequences"] += len(lengths)
            st["tokens"] += int(lengths.sum())
            st["sq_tokens"] += int((lengths * lengths).sum())
            st["padded_tokens"] += ids.numel()
            st["batches"] += 1
            return fn(ids, lengths, *a, **k)
        return counted


def row_entnorm(args) -> dict:
    t0 = time.perf_counter()
    from entnorm import pipeline

    t1 = time.perf_counter()
    nlp = pipeline.load(model=args.model, precision=args.precision, context_ranking=bool(args.context))
    t2 = time.perf_counter()
    set_threads(args)
    tagger = nlp.tagger
    docs = corpus(args.docs)
    for _ in nlp.pipe(docs[:8]):  # warm-up
        pass
    enc, tag, link, dump, batches = Timer(), Timer(), Timer(), Timer(), BatchCounter()
    tagger.model.head_logprobs = batches.wrap(enc.wrap(tagger.model.head_logprobs))
    tagger.tag = tag.wrap(tagger.tag)
    nlp.link = link.wrap(nlp.link)
    to_json = dump.wrap(lambda d: json.dumps(d.to_dict(), ensure_ascii=False))
    n_entities, spans = 0, []
    start, cpu = time.perf_counter(), time.process_time()
    with open(os.devnull, "w") as sink:
        for doc in nlp.pipe(docs, batch_size=64):
            sink.write(to_json(doc) + "\n")
            n_entities += len(doc.entities)
            if len(spans) < args.baseline_docs:
                spans.append([(e.start, e.end, e.label) for e in doc.entities])
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"docs": len(docs), "seconds": elapsed, "cpu_s": cpu, "import_s": t1 - t0, "load_s": t2 - t1,
            "encoder_s": enc.seconds, "tagger_s": tag.seconds, "link_s": link.seconds, "json_s": dump.seconds,
            "precision": tagger.precision, "threads": __import__("torch").get_num_threads(),
            "layers": len(tagger.model.layers),
            "stats": batches.stats, "entities": n_entities, "first_doc_spans": spans, "rss_mb": peak_rss_mb(),
            "context": dict(nlp.linker.ranker.stats) if nlp.linker.ranker else None}


def row_quality(args) -> dict:
    """fp32 vs each fast precision on the three test sets (corpus domain, as in the model's metrics.json)."""
    from entnorm.ner.corpora import TEST_SETS, read_corpus
    from entnorm.ner.labels import spans
    from entnorm.ner.metrics import span_scores
    from entnorm.ner.precision import cpu_supports_bf16
    from entnorm.ner.tagger import NerTagger

    set_threads(args)
    fast = ["int8"] + (["bf16"] if cpu_supports_bf16() else [])
    taggers = {p: NerTagger(Path(args.model), precision=p) for p in ["fp32"] + fast}
    out = {}
    for key in TEST_SETS:
        sents = read_corpus(key)
        domain = taggers["fp32"].meta["domains"].index(key[0])
        gold = [s.tags for s in sents]
        pred = {p: [[l for l, _ in row] for row in t.predict_words([s.words for s in sents], domain)]
                for p, t in taggers.items()}
        ref = {(i, s) for i, tags in enumerate(pred["fp32"]) for s in spans(tags)}
        res = {"sentences": len(sents), "fp32_f1": span_scores(gold, pred["fp32"])["micro_f1"]}
        for p in fast:
            got = {(i, s) for i, tags in enumerate(pred[p]) for s in spans(tags)}
            res[p] = {"f1": span_scores(gold, pred[p])["micro_f1"], "agreement": len(ref & got) / max(1, len(ref | got)),
                      "entities_fp32": len(ref), "entities": len(got)}
            res[p]["f1_diff_points"] = 100 * (res[p]["f1"] - res["fp32_f1"])
        out[f"{key[0]}/{key[1]}"] = res
    return out


def run_row(kind: str, args, **extra) -> dict:
    cmd = [sys.executable, __file__, "--row", kind, "--model", str(args.model), "--docs", str(args.docs or 0),
           "--baseline-docs", str(args.baseline_docs), "--baseline-dir", str(args.baseline_dir),
           "--threads", str(args.threads)]
    for k, v in extra.items():
        cmd += [f"--{k}", str(v)]
    with tempfile.NamedTemporaryFile(suffix=".json") as fh:
        subprocess.run(cmd + ["--result", fh.name], check=True)
        return json.loads(Path(fh.name).read_text())


def span_agreement(a: list, b: list) -> float:
    sa = {(i, tuple(s)) for i, doc in enumerate(a) for s in doc}
    sb = {(i, tuple(s)) for i, doc in enumerate(b) for s in doc}
    return len(sa & sb) / max(1, len(sa | sb))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=ROOT / "entnorm" / "models" / "ner-v1")
    ap.add_argument("--docs", type=int, default=0, help="limit the corpus (0 = all); for quick runs")
    ap.add_argument("--baseline-docs", type=int, default=60, help="documents the naive baseline processes")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "throughput.json")
    ap.add_argument("--rows", default="naive,fp32,int8,bf16", help="comma-separated subset of the rows")
    ap.add_argument("--no-quality", action="store_true")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0 = torch's default, all cores)")
    ap.add_argument("--context-ranking", action="store_true",
                    help="also run each entnorm row with the context ranker on (load(context_ranking=True))")
    ap.add_argument("--context", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--row", help=argparse.SUPPRESS)
    ap.add_argument("--precision", help=argparse.SUPPRESS)
    ap.add_argument("--baseline-dir", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    args.docs = args.docs or None

    if args.row:  # a subprocess measuring one row (threads are set after the timed cold start)
        fn = {"naive": row_naive, "entnorm": row_entnorm, "quality": row_quality}[args.row]
        args.result.write_text(json.dumps(fn(args)))
        return

    import torch

    from entnorm.ner.precision import cpu_supports_bf16

    set_threads(args)
    rows = args.rows.split(",")
    if "bf16" in rows and not cpu_supports_bf16():
        rows.remove("bf16")
    # Warm the caches (rebuilt base encoder, compiled gazetteer) so every row measures a warm start.
    from entnorm import pipeline

    pipeline.load(model=args.model, precision="fp32")
    docs = corpus(args.docs)
    print(f"entnorm throughput benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"CPU: {cpu_model()}; torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(f"corpus: {len(docs)} documents ({sum(len(d) for d in docs):,} characters); model {args.model}")
    results = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "cpu": cpu_model(),
               "torch": torch.__version__, "threads": torch.get_num_threads(), "model": str(args.model),
               "docs": len(docs), "rows": {}}

    # Emulated bf16 (no AMX / AVX-512 BF16) is no ceiling of anything, and takes minutes to measure.
    ceiling = {p: matmul_ceiling(p) for p in (("bf16", "fp32") if cpu_supports_bf16() else ("fp32",))}
    results["ceiling"] = ceiling

    with tempfile.TemporaryDirectory(prefix="entnorm-baseline-") as tmp:
        args.baseline_dir = Path(tmp)
        if "naive" in rows:
            export_baseline(args.model, args.baseline_dir)
            results["rows"]["naive"] = run_row("naive", args)
        for p in ("fp32", "int8", "bf16"):
            if p in rows:
                results["rows"][f"entnorm-{p}"] = run_row("entnorm", args, precision=p)
                if args.context_ranking:
                    results["rows"][f"entnorm-{p}+context"] = run_row("entnorm", args, precision=p, context=1)
        if not args.no_quality:
            results["quality"] = run_row("quality", args)

    report(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for r in results["rows"].values():  # keep the JSON small
        r.pop("entities", None) if isinstance(r.get("entities"), list) else None
        r.pop("first_doc_spans", None)
    args.out.write_text(json.dumps(results, indent=2))
    print(f"\nwrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


def report(results: dict) -> None:
    rows = results["rows"]
    base = rows.get("naive")
    base_rate = base["docs"] / base["seconds"] if base else None
    ceiling = results["ceiling"]
    print("\nmatmul ceiling (encoder's projection mix, 4096 tokens; large square matmul):")
    for p, c in ceiling.items():
        print(f"  {p}: {c['encoder_mix_flops'] / 1e12:.2f} TFLOP/s (square 2048: {c['square_2048_flops'] / 1e12:.2f})")
    tokens_total = next((r["stats"]["tokens"] for k, r in rows.items() if k != "naive"), None)

    head = (f"\n{'row':14s} {'docs/s':>8s} {'tok/s':>8s} {'x naive':>8s} {'encoder':>9s} {'% ceil':>7s} "
            f"{'outside enc':>11s} {'link+json':>9s} {'pad':>5s} {'RSS MB':>7s} {'cold s':>7s}")
    print(head)
    print("-" * len(head))
    for name, r in rows.items():
        rate = r["docs"] / r["seconds"]
        cold = r["import_s"] + r["load_s"]
        ratio = f"{rate / base_rate:.1f}" if base_rate else "-"
        if name == "naive":
            toks = tokens_total / results["docs"] * rate if tokens_total else float("nan")
            r["docs_per_s"], r["tokens_per_s"], r["cold_start_s"] = rate, toks, cold
            print(f"{name:14s} {rate:8.2f} {toks:8.0f} {ratio:>8s} {'':>9s} {'':>7s} {'':>11s} {'':>9s} {'':>5s} "
                  f"{r['rss_mb']:7.0f} {cold:7.2f}")
            continue
        st = r["stats"]
        flops = encoder_flops(st["tokens"], st["sq_tokens"], r.get("layers", 12))
        enc_rate = flops / r["encoder_s"]
        dtype = "bf16" if r["precision"] == "bf16" else "fp32"
        frac = enc_rate / ceiling[dtype]["encoder_mix_flops"]
        outside = 1 - r["encoder_s"] / r["seconds"]
        link_json = (r["link_s"] + r["json_s"]) / r["seconds"]
        pad = 1 - st["tokens"] / st["padded_tokens"]
        r.update(docs_per_s=rate, tokens_per_s=st["tokens"] / r["seconds"], ratio_to_naive=rate / base_rate if base_rate else None,
                 encoder_tokens_per_s=st["tokens"] / r["encoder_s"], encoder_tflops=enc_rate / 1e12,
                 fraction_of_ceiling=frac, ceiling_dtype=dtype, share_outside_encoder=outside,
                 share_link_json=link_json, padding=pad, cold_start_s=cold, flops_per_token=flops / st["tokens"])
        print(f"{name:14s} {rate:8.2f} {st['tokens'] / r['seconds']:8.0f} {ratio:>8s} "
              f"{enc_rate / 1e12:6.2f} TF {100 * frac:6.1f}% {100 * outside:10.1f}% {100 * link_json:8.1f}% "
              f"{100 * pad:4.1f}% {r['rss_mb']:7.0f} {cold:7.2f}")
    any_row = next((r for k, r in rows.items() if k != "naive"), None)
    if any_row:
        print(f"\nencoder FLOPs per token: {any_row['flops_per_token'] / 1e6:.1f} M "
              f"(2 x {any_row.get('layers', 12) * MATMUL_PARAMS_PER_LAYER / 1e6:.2f} M matmul parameters + attention at the corpus's lengths)")
        print("time split (s):  " + "; ".join(
            f"{k}: encoder {r['encoder_s']:.1f}, rest of tagger {r['tagger_s'] - r['encoder_s']:.1f}, "
            f"linking {r['link_s']:.1f}, json {r['json_s']:.1f}, total {r['seconds']:.1f}"
            for k, r in rows.items() if k != "naive"))
        print("cold start (s):  " + "; ".join(f"{k}: import {r['import_s']:.2f} + load {r['load_s']:.2f}"
                                              for k, r in rows.items()))
        for k, r in rows.items():
            plain = rows.get(k.removesuffix("+context"))
            if r.get("context") and plain is not r:
                c = r["context"]
                print(f"context ranking ({k}): {c['mentions']} of {r['entities']} mentions compared "
                      f"({100 * c['mentions'] / max(1, r['entities']):.1f}%), {c['queries']} windows "
                      f"({c['query_tokens']} subwords), {c['passages']} descriptions; total time "
                      f"{100 * (r['seconds'] / plain['seconds'] - 1):+.1f}% vs {k.removesuffix('+context')} (CPU "
                      f"time {100 * (r['cpu_s'] / plain['cpu_s'] - 1):+.1f}%, linking {plain['link_s']:.1f} -> "
                      f"{r['link_s']:.1f} s), peak RSS {r['rss_mb'] - plain['rss_mb']:+.0f} MB")
    if base and any_row:
        for k, r in rows.items():
            if k != "naive" and r.get("first_doc_spans"):
                n = min(len(base["entities"]), len(r["first_doc_spans"]))
                r["span_agreement_with_naive"] = span_agreement(base["entities"][:n], r["first_doc_spans"][:n])
        print("exact-span agreement with the naive pipeline on its documents (its word splitting differs): " +
              ", ".join(f"{k} {100 * r['span_agreement_with_naive']:.1f}%" for k, r in rows.items()
                        if "span_agreement_with_naive" in r))
    if "quality" in results:
        print(f"\n{'test set':14s} {'fp32 F1':>8s}  " + "  ".join(f"{p + ' F1':>8s} {'dF1':>6s} {'agree':>7s}"
                                                              for p in ("int8", "bf16")))
        for key, q in results["quality"].items():
            cells = [f"{100 * q[p]['f1']:8.2f} {q[p]['f1_diff_points']:+6.2f} {100 * q[p]['agreement']:6.2f}%"
                     if p in q else f"{'-':>8s} {'':>6s} {'':>7s}" for p in ("int8", "bf16")]
            print(f"{key:14s} {100 * q['fp32_f1']:8.2f}  " + "  ".join(cells))
        print("(agree = entities found by both / entities found by either; target >= 99.5%, |dF1| <= 0.3)")


if __name__ == "__main__":
    main()
