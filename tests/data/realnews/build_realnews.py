#!/usr/bin/env python
"""Build, look up and check the real-news linking dev set (tests/data/realnews/).

Inputs (never copied wholesale into git; read from ENTNORM_DATA, default /work/shared/data):
  ner/indolem_nerui/nergithub.txt, ner/idner_news_2k/{train,dev,test}.txt, ner/nergrit/*_preprocess.txt,
  text/leipzig_ind_news_2008_sample25k/my_leipzig_sample.txt, gazetteer-sources/** (QID look-up only).
Hand-written input: annotations.yaml (this folder).  Outputs: documents.jsonl, entities.jsonl (this folder).

Sub-commands
  build                 annotations.yaml -> documents.jsonl + entities.jsonl, then run the checks
  check                 consistency checks on the two JSONL files (spans, keys, labels, QIDs in named source)
  lookup NAME [...]     print source rows (file + row) whose name fields equal NAME (case-insensitive), with QIDs
  grep REGEX            print source rows matching REGEX (case-insensitive) that hold a QID
  show CORPUS:SPLIT:I[-J]  print corpus sentences with their gold spans (annotation helper)

Annotation format (annotations.yaml)
  entities:  key: [LABEL, canonical name, QID|null, qid_source|null]
  surface:   default entity key for a gold-span surface string (used when a document does not override it)
  documents: list of {id, src, domain, ...}.  src is "nerui:all:I", "idner:SPLIT:I", "nergrit:SPLIT:I" or a list
             of consecutive ones (joined with one space into one document), or "leipzig:LCCID".
             For NER-corpus documents the gold BIO spans are the mentions; per-document edits:
               keys:    {surface: key}         entity key for that surface in this document
               drop:    [surface, ...]         remove a gold span (NER-gold error, e.g. a non-name)
               relabel: {surface: LABEL}       change the gold label (clear NER-gold error)
               add:     [[surface, key, LABEL], ...]  add a missed span (every uncovered occurrence)
               span:    {old_surface: new_surface}    change span boundaries (new must overlap the old one)
             Leipzig documents carry `markup`: the sentence with [[surface|key]] or [[surface|key|LABEL]] marks.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import pickle
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("ENTNORM_DATA", "/work/shared/data"))
GAZ_YAML = HERE.parent.parent.parent / "gazetteer"  # the project's gazetteer YAML (records with Q ids)
LABELS = {"PER", "LOC", "ORG"}
DOMAINS = {"sport", "business", "entertainment", "local-politics", "national-politics", "world"}
LABEL_MAP = {"PERSON": "PER", "PER": "PER", "LOCATION": "LOC", "PLACE": "LOC", "LOC": "LOC",
             "ORGANIZATION": "ORG", "ORGANISATION": "ORG", "ORG": "ORG"}
csv.field_size_limit(10**8)


# ------------------------------------------------------------------------------------------------ corpora
def _read_bio(path: Path, sep: str):
    sents, cur = [], []
    with open(path, encoding="utf-8", newline="") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            if not line.strip():
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            parts = line.split(sep)
            cur.append((parts[0], parts[-1].strip()))
    if cur:
        sents.append(cur)
    return sents


_CORPORA: dict = {}


def corpus(name: str, split: str):
    key = (name, split)
    if key not in _CORPORA:
        ner = DATA / "ner"
        if name == "nerui":
            _CORPORA[key] = _read_bio(ner / "indolem_nerui" / "nergithub.txt", "\t")
        elif name == "idner":
            _CORPORA[key] = _read_bio(ner / "idner_news_2k" / f"{split}.txt", " ")
        elif name == "nergrit":
            _CORPORA[key] = _read_bio(ner / "nergrit" / f"{split}_preprocess.txt", "\t")
        else:
            raise KeyError(name)
    return _CORPORA[key]


_LEIPZIG: dict | None = None


def leipzig() -> dict:
    global _LEIPZIG
    if _LEIPZIG is None:
        p = DATA / "text" / "leipzig_ind_news_2008_sample25k" / "my_leipzig_sample.txt"
        _LEIPZIG = {}
        for line in open(p, encoding="utf-8"):
            lid, text = line.rstrip("\n").split(" ", 1)
            _LEIPZIG[lid] = text
    return _LEIPZIG


NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "...", "'s"}
NO_SPACE_AFTER = {"(", "[", "{"}


def detokenize(tokens):
    """Join tokens with natural spacing; return (text, [(start, end) per token]).

    No space before , . ; : ! ? ) ] } % ; no space after ( [ { ; a straight double quote (or a lone ')
    alternates between opening (attached to the next token) and closing (attached to the previous one).
    Everything else (hyphens, slashes) keeps the corpus's single spaces.
    """
    out, offs = [], []
    pos = 0
    attach_next = False
    quote_open = {'"': False, "'": False}
    for i, tok in enumerate(tokens):
        sep = " "
        if i == 0 or attach_next:
            sep = ""
        elif tok in NO_SPACE_BEFORE:
            sep = ""
        elif tok in quote_open and quote_open[tok]:
            sep = ""  # closing quote
        if i == 0:
            sep = ""
        attach_next = False
        if tok in NO_SPACE_AFTER:
            attach_next = True
        if tok in quote_open:
            if not quote_open[tok]:
                attach_next = True
            quote_open[tok] = not quote_open[tok]
        pos += len(sep)
        out.append(sep + tok)
        offs.append((pos, pos + len(tok)))
        pos += len(tok)
    return "".join(out), offs


def sentence_spans(sent):
    """Gold spans of one BIO sentence: text, [(start, end, label)] with char offsets (orphan I- starts a span)."""
    tokens = [t for t, _ in sent]
    text, offs = detokenize(tokens)
    spans, cur = [], None
    for i, (_, tag) in enumerate(sent):
        if tag == "O" or "-" not in tag:
            if cur:
                spans.append(cur)
            cur = None
            continue
        bio, typ = tag.split("-", 1)
        lab = LABEL_MAP.get(typ)
        if lab is None:  # TIME / QUANTITY etc.
            if cur:
                spans.append(cur)
            cur = None
            continue
        if bio == "B" or cur is None or cur[2] != lab:
            if cur:
                spans.append(cur)
            cur = [offs[i][0], offs[i][1], lab]
        else:
            cur[1] = offs[i][1]
    if cur:
        spans.append(cur)
    return text, [tuple(s) for s in spans]


def parse_src(src: str):
    name, split, idx = src.split(":")
    return name, split, int(idx)


def load_src(srcs):
    """One or more consecutive corpus sentences -> (text, [(s, e, label)])."""
    if isinstance(srcs, str):
        srcs = [srcs]
    text, spans = "", []
    for src in srcs:
        name, split, idx = parse_src(src)
        t, sp = sentence_spans(corpus(name, split)[idx])
        off = len(text) + (1 if text else 0)
        text = (text + " " + t) if text else t
        spans += [(s + off, e + off, lab) for s, e, lab in sp]
    return text, spans


# ------------------------------------------------------------------------------------------------ source index
def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).casefold().strip()
    return re.sub(r"\s+", " ", s)


QID_RE = re.compile(r"^Q[1-9]\d*$")
CACHE = Path("/tmp/realnews_source_index.pkl")


def _iter_source_rows():
    """Yield (relpath, row_text, fields) for every row of every tabular source file that holds a QID."""
    root = DATA / "gazetteer-sources"
    for p in sorted(root.rglob("*")):
        if not p.is_file():
            continue
        rel = str(p.relative_to(DATA))
        name = p.name[:-3] if p.name.endswith(".gz") else p.name
        if not name.endswith((".csv", ".tsv", ".jsonl")):
            continue
        opener = gzip.open if p.name.endswith(".gz") else open
        with opener(p, "rt", encoding="utf-8", errors="replace") as fh:
            data = fh.read()
        if "Q" not in data:
            continue
        if name.endswith(".jsonl"):
            for line in data.splitlines():
                if not re.search(r"\bQ\d+\b", line):
                    continue
                try:
                    obj = json.loads(line)
                except Exception:
                    continue
                fields = []
                _flatten(obj, fields)
                yield rel, line[:300], fields
        else:
            delim = "\t" if name.endswith(".tsv") else ","
            for row in csv.reader(io.StringIO(data), delimiter=delim):
                line = delim.join(row)
                if not re.search(r"\bQ\d+\b", line):
                    continue
                yield rel, line[:300], row
    # the project's gazetteer YAML (only records whose id is a QID)
    for p in sorted(GAZ_YAML.rglob("*.yaml")):
        rel = "main/gazetteer/" + str(p.relative_to(GAZ_YAML))
        try:
            recs = yaml.load(open(p, encoding="utf-8"), Loader=yaml.CSafeLoader) or []
        except Exception:
            continue
        for r in recs if isinstance(recs, list) else []:
            if isinstance(r, dict) and str(r.get("id", "")).startswith("Q"):
                fields = [r["id"], r.get("name", "")] + [a for a in (r.get("aliases") or []) if isinstance(a, str)]
                yield rel, f"{r['id']} {r.get('type')} {r.get('name')} | {str(r.get('description', ''))[:80]}", fields


def _flatten(obj, out):
    if isinstance(obj, dict):
        for v in obj.values():
            _flatten(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _flatten(v, out)
    elif isinstance(obj, str):
        out.append(obj)


_INDEX = None


def source_index():
    """name(normalised) -> list of (relpath, row preview, [QIDs in row]); also the set of QIDs per file."""
    global _INDEX
    if _INDEX is not None:
        return _INDEX
    if CACHE.exists():
        _INDEX = pickle.load(open(CACHE, "rb"))
        return _INDEX
    names = defaultdict(list)
    qids_in = defaultdict(set)
    for rel, line, fields in _iter_source_rows():
        qids = [f.strip() for f in fields if QID_RE.match(f.strip())]
        for m in re.findall(r"\bQ[1-9]\d*\b", line):
            qids_in[rel].add(m)
        for q in qids:
            qids_in[rel].add(q)
        seen = set()
        for f in fields:
            for part in re.split(r"[;|]", f):
                n = _norm(part)
                if n and not QID_RE.match(part.strip()) and n not in seen and len(n) < 120:
                    seen.add(n)
                    names[n].append((rel, line, qids))
    idx = (dict(names), {k: v for k, v in qids_in.items()})
    pickle.dump(idx, open(CACHE, "wb"))
    _INDEX = idx
    return idx


def qid_in_source(qid: str, rel: str) -> bool:
    """Is `qid` literally present in the named source file (path relative to DATA, or main/gazetteer/...)?"""
    if rel.startswith("main/gazetteer/"):
        p = GAZ_YAML / rel[len("main/gazetteer/"):]
        return bool(re.search(r"\b" + qid + r"\b", open(p, encoding="utf-8").read()))
    p = DATA / rel
    opener = gzip.open if p.name.endswith(".gz") else open
    with opener(p, "rt", encoding="utf-8", errors="replace") as fh:
        return bool(re.search(r"\b" + qid + r"\b", fh.read()))


def lookup(name: str, limit: int = 12):
    names, _ = source_index()
    return names.get(_norm(name), [])[:limit]


# ------------------------------------------------------------------------------------------------ build
def _all_occ(text, surface):
    return [m.start() for m in re.finditer(re.escape(surface), text)]


def slug(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


class Table:
    """The expanded annotation table: clusters (hand-made) + auto out-of-KB clusters."""

    def __init__(self, ann):
        self.sources = ann.get("sources") or {}
        self.ents = {}      # key -> [label, name, qid, qid_source]
        self.alias = {}     # surface -> key
        for key, (lab, name, qid, src, aliases) in (ann.get("clusters") or {}).items():
            self.ents[key] = [lab, name, qid, self._resolve(qid, src) if qid else None]
            for a in aliases:
                a = str(a)
                if a in self.alias and self.alias[a] != key:
                    raise SystemExit(f"alias {a!r} given to {self.alias[a]} and {key}")
                self.alias[a] = key

    def _resolve(self, qid, src):
        rel = self.sources.get(src, src)
        if rel.startswith("main/"):
            return rel
        p = DATA / rel
        if p.is_dir():  # pick the first file (sorted) of the folder that holds the QID
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix in (".csv", ".tsv", ".jsonl") and qid_in_source(qid, str(f.relative_to(DATA))):
                    return str(f.relative_to(DATA))
            return rel
        return rel

    def key_for(self, surface, label, override=None):
        key = override or self.alias.get(surface) or "nil:" + slug(surface)
        if key not in self.ents:
            if not key.startswith("nil:"):
                raise KeyError(key)
            self.ents[key] = [label, surface, None, None]
        return key


def build_document(did, src, edits, table, problems):
    """NER-corpus document: gold spans -> mentions with cluster keys (edits: keys/drop/add/span)."""
    text, spans = load_src(src)
    keys = edits.get("keys") or {}
    drop = set(edits.get("drop") or [])
    spanfix = edits.get("span") or {}
    mentions = []
    for s, e, lab in spans:
        surf = text[s:e]
        if surf in drop:
            continue
        if surf in spanfix:
            new = spanfix[surf]
            cands = [o for o in _all_occ(text, new) if o < e and o + len(new) > s]
            if not cands:
                problems.append(f"{did}: span fix {surf!r}->{new!r} not found")
                continue
            s, e, surf = cands[0], cands[0] + len(new), new
        key = table.key_for(surf, lab, keys.get(surf))
        mentions.append({"start": s, "end": e, "text": surf, "label": table.ents[key][0], "entity": key,
                         "gold_label": lab})
    for item in edits.get("add") or []:
        surf, key = item[0], item[1]
        lab = item[2] if len(item) > 2 else None
        added = 0
        for o in _all_occ(text, surf):
            if any(m["start"] < o + len(surf) and o < m["end"] for m in mentions):
                continue
            k = table.key_for(surf, lab or "ORG", key)
            mentions.append({"start": o, "end": o + len(surf), "text": surf, "label": table.ents[k][0], "entity": k,
                             "gold_label": None})
            added += 1
        if not added:
            problems.append(f"{did}: add {surf!r} found no free occurrence")
    mentions.sort(key=lambda m: m["start"])
    return text, mentions


def build_markup(did, lid, markup, table, problems):
    """Leipzig sentence annotated by hand: [[surface|key]] or [[surface|key|LABEL]] (LABEL for new nil keys)."""
    raw = leipzig()[str(lid)]
    text, mentions, pos = "", [], 0
    for m in re.finditer(r"\[\[([^\]|]+)\|([^\]|]+)(?:\|([A-Z]+))?\]\]", markup):
        text += markup[pos:m.start()]
        surf, key, lab = m.group(1), m.group(2), m.group(3)
        if key == "-":
            key = None
        k = table.key_for(surf, lab or "PER", key)
        s = len(text)
        text += surf
        mentions.append({"start": s, "end": len(text), "text": surf, "label": table.ents[k][0], "entity": k,
                         "gold_label": None})
        pos = m.end()
    text += markup[pos:]
    if text != raw:
        problems.append(f"{did}: markup text differs from Leipzig line {lid}:\n  {text}\n  {raw}")
    return text, mentions


def build_spans(did, lid, spans, table, problems):
    """Leipzig sentence annotated by hand as [surface, key|null, LABEL]: every occurrence of surface is marked
    (longer surfaces first, no overlaps); key null -> its own out-of-KB cluster keyed by the surface."""
    text = leipzig()[str(lid)]
    mentions = []
    for surf, key, lab in sorted(spans, key=lambda x: -len(x[0])):
        occ = [o for o in _all_occ(text, surf)
               if not any(m["start"] < o + len(surf) and o < m["end"] for m in mentions)]
        if not occ:
            problems.append(f"{did}: {surf!r} not found")
            continue
        k = table.key_for(surf, lab, key)
        for o in occ:
            mentions.append({"start": o, "end": o + len(surf), "text": surf, "label": table.ents[k][0], "entity": k,
                             "gold_label": None})
    mentions.sort(key=lambda m: m["start"])
    return text, mentions


def build():
    ann = yaml.safe_load(open(HERE / "annotations.yaml", encoding="utf-8"))
    table = Table(ann)
    edits = ann.get("edits") or {}
    problems, docs_out = [], []
    n = 0
    relabelled = 0

    def emit(src_label, domain, text, mentions):
        nonlocal n, relabelled
        if not mentions:
            return
        n += 1
        for m in mentions:
            if m["gold_label"] and m["gold_label"] != m["label"]:
                relabelled += 1
            del m["gold_label"]
        docs_out.append({"id": f"rn-{n:04d}", "source": src_label, "domain": domain, "text": text, "mentions": mentions})

    for r in ann.get("ranges") or []:
        name, split = r["corpus"].split(":")
        for i in range(r["from"], r["to"] + 1):
            src = f"{name}:{split}:{i}"
            ed = edits.get(src) or {}
            if ed.get("skip"):
                continue
            text, mentions = build_document(src, src, ed, table, problems)
            emit(src, ed.get("domain", r["domain"]), text, mentions)
    for d in ann.get("joined") or []:  # multi-sentence documents from corpora that keep article order
        srcs = d["src"]
        text, mentions = build_document(srcs[0], srcs, d, table, problems)
        emit(f"{srcs[0]}-{srcs[-1].rsplit(':', 1)[1]}", d["domain"], text, mentions)
    for d in ann.get("leipzig") or []:
        if "m" in d:
            text, mentions = build_markup(f"leipzig:{d['id']}", d["id"], d["m"], table, problems)
        else:
            text, mentions = build_spans(f"leipzig:{d['id']}", d["id"], d["spans"], table, problems)
        emit(f"leipzig:{d['id']}", d["domain"], text, mentions)

    used = Counter(m["entity"] for d in docs_out for m in d["mentions"])
    ent_out = [{"entity": k, "name": v[1], "label": v[0], "qid": v[2], "qid_source": v[3], "nil": v[2] is None}
               for k, v in table.ents.items() if used[k]]
    with open(HERE / "documents.jsonl", "w", encoding="utf-8") as fh:
        for d in docs_out:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    with open(HERE / "entities.jsonl", "w", encoding="utf-8") as fh:
        for e in ent_out:
            fh.write(json.dumps(e, ensure_ascii=False) + "\n")
    for p in problems:
        print("BUILD PROBLEM:", p)
    unused = [k for k in table.ents if not used[k]]
    print(f"built {len(docs_out)} documents; {relabelled} mention labels differ from the corpus gold label "
          f"(set to the cluster label); {len(unused)} hand clusters unused: {unused[:30]}")
    return problems


# ------------------------------------------------------------------------------------------------ check
def check(verbose=True):
    docs = [json.loads(l) for l in open(HERE / "documents.jsonl", encoding="utf-8")]
    ents = {}
    errors = []
    for l in open(HERE / "entities.jsonl", encoding="utf-8"):
        e = json.loads(l)
        if e["entity"] in ents:
            errors.append(f"duplicate entity row {e['entity']}")
        ents[e["entity"]] = e
    qid_cache = {}
    qid_owner = {}
    for e in ents.values():
        if e["label"] not in LABELS:
            errors.append(f"entity {e['entity']}: bad label {e['label']}")
        if e["qid"] is None:
            if not e["nil"] or e["qid_source"] is not None:
                errors.append(f"entity {e['entity']}: qid null but nil/qid_source inconsistent")
            continue
        if not QID_RE.match(e["qid"]):
            errors.append(f"entity {e['entity']}: malformed QID {e['qid']}")
            continue
        if e["nil"] or not e["qid_source"]:
            errors.append(f"entity {e['entity']}: QID given but nil true or no qid_source")
            continue
        if e["qid"] in qid_owner:
            errors.append(f"QID {e['qid']} used by two clusters: {qid_owner[e['qid']]} and {e['entity']}")
        qid_owner[e["qid"]] = e["entity"]
        k = (e["qid"], e["qid_source"])
        if k not in qid_cache:
            try:
                qid_cache[k] = qid_in_source(*k)
            except FileNotFoundError:
                qid_cache[k] = False
        if not qid_cache[k]:
            errors.append(f"entity {e['entity']}: {e['qid']} not found in {e['qid_source']}")
    ids = set()
    label_mismatch = []
    for d in docs:
        if d["id"] in ids:
            errors.append(f"duplicate doc id {d['id']}")
        ids.add(d["id"])
        if d["domain"] not in DOMAINS:
            errors.append(f"{d['id']}: bad domain {d['domain']}")
        prev_end = -1
        for m in d["mentions"]:
            if d["text"][m["start"]:m["end"]] != m["text"]:
                errors.append(f"{d['id']}: span {m} does not match text")
            if m["text"] != m["text"].strip() or not m["text"]:
                errors.append(f"{d['id']}: span has outer whitespace {m['text']!r}")
            if m["label"] not in LABELS:
                errors.append(f"{d['id']}: bad label {m}")
            if m["entity"] not in ents:
                errors.append(f"{d['id']}: entity {m['entity']} missing from entities.jsonl")
            elif ents[m["entity"]]["label"] != m["label"]:
                label_mismatch.append((d["id"], m["text"], m["label"], m["entity"], ents[m["entity"]]["label"]))
            if m["start"] < prev_end:
                errors.append(f"{d['id']}: overlapping mentions at {m}")
            prev_end = m["end"]
    used = {m["entity"] for d in docs for m in d["mentions"]}
    for k in ents:
        if k not in used:
            errors.append(f"entity {k} has no mention")
    if verbose:
        print(f"check: {len(docs)} documents, {sum(len(d['mentions']) for d in docs)} mentions, {len(ents)} entities, "
              f"{len(errors)} errors, {len(label_mismatch)} mention/entity label differences (metonymy, listed below)")
        for e in errors[:50]:
            print("  ERROR", e)
        for x in label_mismatch[:40]:
            print("  label-diff", x)
    return errors


def stats():
    docs = [json.loads(l) for l in open(HERE / "documents.jsonl", encoding="utf-8")]
    ents = {json.loads(l)["entity"]: json.loads(l) for l in open(HERE / "entities.jsonl", encoding="utf-8")}
    ms = [(d, m) for d in docs for m in d["mentions"]]
    print(f"documents {len(docs)}  mentions {len(ms)}  entities {len(ents)}")
    by_dom = Counter(d["domain"] for d in docs)
    mby_dom = Counter(d["domain"] for d, m in ms)
    for k in sorted(by_dom):
        sub = [m for d, m in ms if d["domain"] == k]
        q = sum(1 for m in sub if ents[m["entity"]]["qid"])
        print(f"  {k:18s} docs {by_dom[k]:4d} mentions {mby_dom[k]:5d}  with QID {q / len(sub):.0%}")
    lab = Counter(m["label"] for _, m in ms)
    print("  labels", dict(lab))
    for L in sorted(LABELS):
        sub = [m for _, m in ms if m["label"] == L]
        q = sum(1 for m in sub if ents[m["entity"]]["qid"])
        print(f"  {L}: {len(sub)} mentions, with QID {q / max(1, len(sub)):.0%}")
    q = sum(1 for _, m in ms if ents[m["entity"]]["qid"])
    print(f"  mentions with QID {q} ({q / len(ms):.1%}); out-of-KB (nil) {len(ms) - q} ({1 - q / len(ms):.1%})")
    eq = sum(1 for e in ents.values() if e["qid"])
    print(f"  entities with QID {eq}/{len(ents)}; entity labels {dict(Counter(e['label'] for e in ents.values()))}")
    multi_doc = Counter()
    for k in ents:
        n = len({d["id"] for d, m in ms if m["entity"] == k})
        multi_doc[min(n, 5)] += 1
    print("  clusters by #documents (5 = 5+):", dict(sorted(multi_doc.items())))
    src = Counter(d["source"].split(":")[0] for d in docs)
    print("  documents per corpus", dict(src), " mentions per corpus",
          dict(Counter(d["source"].split(":")[0] for d, m in ms)))
    qs = Counter(e["qid_source"].split("/")[0] if not e["qid_source"].startswith("main/") else "main/gazetteer"
                 for e in ents.values() if e["qid_source"])
    print("  QID sources", dict(qs))


# ------------------------------------------------------------------------------------------------ CLI
def main(argv):
    cmd = argv[0] if argv else "build"
    if cmd == "build":
        probs = build()
        errs = check()
        stats()
        return 1 if (probs or errs) else 0
    if cmd == "check":
        return 1 if check() else 0
    if cmd == "stats":
        stats()
        return 0
    if cmd == "lookup":
        for name in argv[1:]:
            rows = lookup(name)
            print(f"== {name}: {len(rows)} rows")
            for rel, line, qids in rows:
                print(f"   {qids} {rel} :: {line[:200]}")
        return 0
    if cmd == "grep":
        rx = re.compile(argv[1], re.I)
        n = 0
        for rel, line, fields in _iter_source_rows():
            if rx.search(line):
                print(f"   {rel} :: {line[:220]}")
                n += 1
                if n > 40:
                    break
        return 0
    if cmd == "show":
        name, split, rng = argv[1].split(":")
        a, _, b = rng.partition("-")
        b = b or a
        for i in range(int(a), int(b) + 1):
            if i >= len(corpus(name, split)):
                break
            text, spans = sentence_spans(corpus(name, split)[i])
            out, pos = "", 0
            for s, e, lab in spans:
                out += text[pos:s] + "[" + text[s:e] + "]" + lab[0]
                pos = e
            print(f"{i}\t{out + text[pos:]}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
