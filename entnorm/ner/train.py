"""Fine-tune the tagger: `python -m entnorm.ner.train --out entnorm/models/ner-v1`.

Training pool: NERGrit train, NER UI fold-1 train, IDNer-news-2k train (optionally NERP, optionally the dev sets),
each deduplicated against every reported test set by normalised sentence text. Dev sets pick the best epoch and
weights (raw or their moving average); with `--with-dev` the recipe is fixed beforehand and the last epoch ships
(its moving average when `--ema` is set). Writes the artifact,
`metrics.json` (test scores measured on the saved, re-loaded artifact) and `manifest.json` (data + dedup).
"""
from __future__ import annotations

import argparse
import copy
import json
import math
import random
import sys
import time
from pathlib import Path

import torch

from .. import encoder
from .artifact import save_artifact
from .corpora import DOMAINS, TEST_SETS, read_corpus, sentence_key
from .evaluate import format_scores, score_model, score_rows
from .features import MAX_TOKENS, Featurizer
from .labels import BIO_LABELS
from .model import new_tagger
from .precision import PRECISIONS, resolve_precision

DEV_SETS = (("nergrit", "dev"), ("nerui", "dev"), ("idner", "dev"))


def build_pool(corpora: list[str], log=print, sample: dict[str, int] | None = None, seed: int = 13,
               with_dev: bool = False):
    test_keys = {sentence_key(s.words) for key in TEST_SETS for s in read_corpus(key)}
    dev_keys = set() if with_dev else {sentence_key(s.words) for key in DEV_SETS for s in read_corpus(key)}
    pool, seen, manifest = [], set(), {"train": {}, "removed_overlap_test": {}, "removed_overlap_dev": {},
                                       "removed_duplicate": {}}
    splits = [(c, "train") for c in corpora] + ([k for k in DEV_SETS if k[0] in corpora] if with_dev else [])
    for corpus, split in splits:
        sents = read_corpus((corpus, split))
        if sample and corpus in sample and split == "train":  # a fixed random subset, drawn before dedup
            sents = random.Random(seed).sample(sents, min(sample[corpus], len(sents)))
        name, kept = corpus if split == "train" else f"{corpus}/{split}", 0
        for s in sents:
            k = sentence_key(s.words)
            bucket = ("removed_overlap_test" if k in test_keys else "removed_overlap_dev" if k in dev_keys
                      else "removed_duplicate" if k in seen else None)
            if bucket:
                manifest[bucket][name] = manifest[bucket].get(name, 0) + 1
                continue
            seen.add(k)
            pool.append(s)
            kept += 1
        manifest["train"][name] = kept
    log(f"training pool: {manifest}")
    return pool, manifest


def encode_pool(feat: Featurizer, sentences):
    label_id = {l: i for i, l in enumerate(BIO_LABELS)}
    out = []
    for s in sentences:
        f = feat.features(feat.word_pieces(s.words))
        if len(f.ids) > MAX_TOKENS:  # training only: keep the words that fit (test text is never cut)
            keep = sum(1 for h in f.heads if h < MAX_TOKENS - 1)
            f = feat.features(feat.word_pieces(s.words[:keep]))
        out.append((f, [label_id[t] for t in s.tags[: f.n_words]], DOMAINS.index(s.corpus)))
    return out


def batches(encoded, batch_size: int, rng: random.Random, generic_share: float):
    """Length-grouped batches in random order; a share of sentences trains the generic domain."""
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0].ids) + rng.random() * 8)
    groups = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(groups)
    for group in groups:
        yield [(encoded[i][0], encoded[i][1], 0 if rng.random() < generic_share else encoded[i][2])
               for i in group]


def mixed_precision(bf16: bool):
    """bf16 autocast where the CPU runs bf16 natively; elsewhere it is emulated, over 5x slower than fp32."""
    return torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16)


def loss_on(model, feat: Featurizer, batch, bf16: bool = True):
    inputs = feat.batch([f for f, _, _ in batch], [d for _, _, d in batch])
    target = torch.full(inputs["input_ids"].shape, -100, dtype=torch.long)
    for row, (f, labels, _) in enumerate(batch):
        target[row, f.heads] = torch.tensor(labels)
    with mixed_precision(bf16):
        logits = model(**inputs)
    return torch.nn.functional.cross_entropy(logits.float().flatten(0, 1), target.flatten(), ignore_index=-100)


def model_predictor(model, feat: Featurizer, bf16: bool = True, batch_size: int = 32):
    from .decode import viterbi

    def predict(sentences, domain):
        model.eval()
        feats = [feat.features(feat.word_pieces(w)) for w in sentences]
        out = [None] * len(feats)
        order = sorted(range(len(feats)), key=lambda i: len(feats[i].ids))
        with torch.inference_mode(), mixed_precision(bf16):
            for b in range(0, len(order), batch_size):
                idx = order[b : b + batch_size]
                lp = torch.log_softmax(model(**feat.batch([feats[i] for i in idx], domain)).float(), -1).numpy()
                for row, i in enumerate(idx):
                    tags = [BIO_LABELS[j] for j in viterbi(lp[row, feats[i].heads])]
                    out[i] = tags + ["O"] * (len(sentences[i]) - len(tags))
        model.train()
        return out

    return predict


class WeightAverage:
    """Exponential moving average of the trained weights (evaluated and shipped in place of the raw ones when
    dev says so): it smooths the last epochs' noise at no inference cost."""

    def __init__(self, params: list[torch.Tensor], decay: float):
        self.params, self.decay = params, decay
        self.shadow = [p.detach().clone() for p in params]

    @torch.no_grad()
    def update(self):
        torch._foreach_lerp_(self.shadow, [p.detach() for p in self.params], 1.0 - self.decay)

    @torch.no_grad()
    def swap(self):
        """Exchange raw and averaged weights (call twice to restore)."""
        for p, s in zip(self.params, self.shadow):
            tmp = p.detach().clone()
            p.copy_(s)
            s.copy_(tmp)


def dev_scores(predict) -> dict:
    """Mean dev micro F1 with each corpus's own domain row and with the generic row (what ships)."""
    rows = score_rows(predict, DEV_SETS, DOMAINS)
    own, generic = rows["corpus_domain"], rows["generic_domain"]
    mean = lambda res: sum(v["micro_f1"] for v in res.values()) / len(res)
    return {"dev_mean_micro_f1": mean(own), "dev_generic_mean_micro_f1": mean(generic),
            **{k: round(v["micro_f1"], 4) for k, v in own.items()},
            **{f"generic:{k}": round(v["micro_f1"], 4) for k, v in generic.items()}}


def train(args) -> dict:
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    log_file = open(args.out.parent / f"{args.out.name}.train.log", "a") if args.out else None

    def log(msg):
        line = f"[{time.strftime('%H:%M:%S')}] {msg}"
        print(line, flush=True)
        if log_file:
            log_file.write(line + "\n")
            log_file.flush()

    sample = dict((k, int(v)) for k, v in (item.split("=") for item in args.sample))
    pool, manifest = build_pool(args.corpora, log, sample, args.seed, args.with_dev)
    if args.limit:
        pool = pool[: args.limit]
    feat = Featurizer(encoder.load_base_encoder())
    encoded = encode_pool(feat, pool)
    model = new_tagger(args.layers).train()
    # The head starts from scratch and gets the higher rate; optionally the domain rows too (run B, docs/ner.md).
    fresh = ("classifier", "bert.embeddings.token_type_embeddings") if args.fast_domain_rows else ("classifier",)
    head = [p for n, p in model.named_parameters() if n.startswith(fresh)]
    body = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith(fresh)]
    opt = torch.optim.AdamW([{"params": body, "lr": args.lr}, {"params": head, "lr": args.head_lr}],
                            weight_decay=0.01)
    steps_per_epoch = math.ceil(len(encoded) / args.batch_size)
    total = args.max_steps or steps_per_epoch * args.epochs
    warmup = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup))))
    precision = resolve_precision(args.precision)
    bf16 = precision == "bf16"
    predict = model_predictor(model, feat, bf16)
    average = WeightAverage(body + head, args.ema) if args.ema else None
    best, best_score, step, history = None, -1.0, 0, []
    for epoch in range(args.epochs):
        t0, running = time.time(), 0.0
        for i, batch in enumerate(batches(encoded, args.batch_size, rng, args.generic_share)):
            loss = loss_on(model, feat, batch, bf16)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(body + head, 1.0)
            opt.step(), sched.step(), opt.zero_grad()
            if average:
                average.update()
            running += loss.item()
            step += 1
            if step % 50 == 0:
                log(f"epoch {epoch + 1} step {step}/{total} loss {running / (i + 1):.4f}")
            if step >= total:
                break
        log(f"epoch {epoch + 1} done in {time.time() - t0:.0f}s, loss {running / max(1, i + 1):.4f}")
        if args.max_steps and step >= total:
            break
        if args.with_dev:
            continue
        # Selection is on the generic row's dev mean: that row is what the pipeline uses.
        for weights in ("raw", "ema") if average else ("raw",):
            if weights == "ema":
                average.swap()
            history.append({"epoch": epoch + 1, "weights": weights, **dev_scores(predict)})
            log(f"epoch {epoch + 1} dev: {history[-1]}")
            if history[-1]["dev_generic_mean_micro_f1"] > best_score:
                best_score, best = history[-1]["dev_generic_mean_micro_f1"], copy.deepcopy(model.state_dict())
            if weights == "ema":
                average.swap()
    if best is not None:
        model.load_state_dict(best)
    elif average:  # no dev selection (--with-dev): the averaged weights ship
        average.swap()
    if not args.out:
        return {"history": history}
    config = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    save_artifact(model, args.out, {"trained_with": config, "dev_history": history})
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    metrics = score_model(args.out, precision)  # the saved artifact, re-loaded
    log("test sets:\n" + format_scores(metrics))
    metrics["dev_history"] = history
    (args.out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    return metrics


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, help="artifact directory (e.g. entnorm/models/ner-v1)")
    ap.add_argument("--corpora", nargs="+", default=["nergrit", "nerui", "idner"])
    ap.add_argument("--sample", nargs="*", default=[], metavar="CORPUS=N",
                    help="train on a fixed random subset of N sentences of CORPUS (e.g. nerp=3000)")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=6e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--generic-share", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N training sentences")
    ap.add_argument("--max-steps", type=int, default=0, help="stop after N steps (smoke tests)")
    ap.add_argument("--fast-domain-rows", action="store_true",
                    help="train the domain rows at the head's learning rate (not used for ner-v1)")
    ap.add_argument("--precision", choices=[p for p in PRECISIONS if p != "int8"], default="auto",
                    help="matmul precision (default: bf16 autocast where the CPU has it natively, else fp32)")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (default: torch's choice)")
    ap.add_argument("--ema", type=float, default=0.0, metavar="DECAY",
                    help="also keep a moving average of the weights (e.g. 0.999); dev picks raw or averaged")
    ap.add_argument("--layers", type=int, default=None,
                    help="keep only the base's first N transformer layers (a faster, smaller tagger)")
    ap.add_argument("--with-dev", action="store_true",
                    help="train on the dev sets too (no dev selection: the last epoch ships)")
    args = ap.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    train(args)


if __name__ == "__main__":
    sys.exit(main())
