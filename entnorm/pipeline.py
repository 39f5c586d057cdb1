"""The whole pipeline in one place:

    text -> sentences/words (text.py)
         -> NER spans (ner/tagger.py) + multi-word knowledge-base names NER missed (kb/spotter.py)
         -> candidates (link/candidates.py, on kb/index.py)
         -> document decision + context links (link/linker.py, link/context.py; weights in link/policy.py)
         -> canonical IDs and NIL IDs (link/nil.py) -> Doc (doc.py)

`load()` builds it from the shipped model and gazetteer; `nlp(text)` annotates one text, `nlp.pipe(...)`
streams many (texts, or records with `text` and optionally given `entities` to link only);
`stream.annotate_stream` adds per-record errors and corpus-level NIL IDs for a whole corpus.
`nlp.to_disk(dir)` / `load(dir)` save and restore the model reference, gazetteer, policy and context ranking.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from . import __version__
from .doc import Doc, Span, check_spans
from .kb.loader import fingerprint, gazetteer_files, load_knowledge
from .kb.spotter import spot
from .link.linker import Linker
from .link.policy import Policy
from .text import extend_hyphenated

CONFIG = "entnorm.json"
CONTEXT_RANKING = True  # load()'s default: see docs/linking.md "Context ranking" for the measurements


class Pipeline:
    def __init__(self, linker: Linker, tagger=None, batch_size: int = 64, gazetteer: list[Path] | None = None,
                 kbs: list[Path] | None = None):
        self.linker = linker
        self.tagger = tagger
        self.batch_size = batch_size
        self.gazetteer = gazetteer or []  # the YAML files the knowledge base was compiled from
        self.kbs = kbs or []              # the user's knowledge bases layered over it (`--kb`)

    def __call__(self, text: str, entities: list | None = None) -> Doc:
        return next(self.pipe([{"text": text, "entities": entities} if entities is not None else text]))

    def pipe(self, items: Iterable, batch_size: int | None = None) -> Iterator[Doc]:
        """Annotate texts (str) or records ({"text": ..., "entities": [...] to link given spans only})."""
        items = iter(items)
        while batch := list(islice(items, batch_size or self.batch_size)):
            yield from self._batch(batch)

    def _batch(self, batch: list) -> list[Doc]:
        texts = [b if isinstance(b, str) else b["text"] for b in batch]
        given = [None if isinstance(b, str) else b.get("entities") for b in batch]
        to_tag = [i for i, g in enumerate(given) if g is None]
        if to_tag and self.tagger is None:
            raise ValueError("this pipeline has no NER model: pass entities to link, or load(ner=True)")
        tagged = dict(zip(to_tag, self.tagger.tag([texts[i] for i in to_tag]))) if to_tag else {}
        docs = [Doc(text, check_spans(text, given[i]) if given[i] is not None else self.complete_spans(text, tagged[i]))
                for i, text in enumerate(texts)]
        return self.link(docs, relabel=[g is None for g in given])

    def complete_spans(self, text: str, found: list[Span]) -> list[Span]:
        """NER spans with hyphenated words made whole (up to the next span), plus the knowledge-base names the
        tagger missed, in text order."""
        found = sorted(found, key=lambda s: s.start)
        spans = []
        for n, s in enumerate(found):
            end = extend_hyphenated(text, s.start, s.end)
            nxt = found[n + 1].start if n + 1 < len(found) else len(text)
            end = end if end <= nxt else s.end
            spans.append(Span(s.start, end, s.label, text[s.start:end], s.ner_score))
        spans += spot(text, [(s.start, s.end) for s in spans], self.linker.kb)
        return sorted(spans, key=lambda s: (s.start, s.end))

    def link(self, docs: list[Doc], relabel: list[bool]) -> list[Doc]:
        """Link every span of `docs` (in place), the batch at once (the context ranker embeds in full batches).
        `relabel`: per document, whether a span takes its entity's type: spans found by our own NER do (the
        knowledge base knows Moskow is a place even when the tagger slips); given spans keep theirs."""
        for doc, links, retype in zip(docs, self.linker.link_documents([(d.spans, d.text) for d in docs]), relabel):
            for span, link in zip(doc.spans, links):
                span.link = link
                if retype and link.entity is not None:
                    span.label = link.entity.type
        return docs

    # -- serialisation ------------------------------------------------------------------------------------
    def to_disk(self, path: str | Path) -> Path:
        """Save what reproduces this pipeline's output: the model reference (path + weights hash), the
        gazetteer files (copied) with their fingerprint, the policy and whether context ranking is on.
        `load(path)` restores it."""
        path = Path(path)
        gaz_dir = path / "gazetteer"
        if gaz_dir.exists():
            shutil.rmtree(gaz_dir)
        gaz_dir.mkdir(parents=True)
        copied = []
        for n, f in enumerate(self.gazetteer):
            target = gaz_dir / f"{n:03d}-{f.name}"  # numbered: the same name may come from two folders
            shutil.copyfile(f, target)
            copied.append(target.name)
        model = None
        if self.tagger is not None:
            model = {"path": str(Path(self.tagger.model_dir).resolve()), "weights_sha256": model_hash(self.tagger.model_dir),
                     "precision": self.tagger.precision}
        config = {"entnorm": __version__, "batch_size": self.batch_size, "model": model,
                  "kb": [str(Path(p).resolve()) for p in self.kbs],  # referenced, not copied: they may be large
                  "gazetteer": {"files": copied, "fingerprint": fingerprint(sorted(gaz_dir / c for c in copied))},
                  "policy": self.linker.policy.to_dict(), "context_ranking": self.linker.ranker is not None}
        (path / CONFIG).write_text(json.dumps(config, indent=1, ensure_ascii=False))
        return path


def model_hash(model_dir: str | Path) -> str:
    h = hashlib.sha256()
    for f in sorted(Path(model_dir).glob("*.safetensors")) + [Path(model_dir) / "meta.json"]:
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def load(path: str | Path | None = None, gazetteer: list[str | Path] | None = None, model: str | Path | None = None,
         ner: bool = True, precision: str = "auto", batch_size: int = 64, policy: Policy | None = None,
         kb: list[str | Path] | str | Path | None = None, context_ranking: bool | None = None) -> Pipeline:
    """The shipped pipeline, or one saved with `Pipeline.to_disk(path)`.
    `gazetteer`: YAML files/directories replacing the shipped gazetteer; `kb`: knowledge bases layered over it
    (folders written by `entnorm kb build`, compiled stores or gazetteer YAML; the first wins on a shared id);
    `model`: NER artifact directory; `ner=False` for link-only use; `precision`: auto | bf16 | fp32;
    `context_ranking`: compare the mentions names cannot decide with their candidates' descriptions
    (link/semantic.py, docs/linking.md "Context ranking"); None: `CONTEXT_RANKING`, or what `path` saved."""
    if path is not None:
        return _from_disk(Path(path), ner=ner, context_ranking=context_ranking)
    files = gazetteer_files([Path(p) for p in gazetteer] if gazetteer else None)
    kbs = [Path(kb)] if isinstance(kb, (str, Path)) else [Path(p) for p in kb or ()]
    knowledge = load_knowledge(files, kbs)
    ranker = None
    if CONTEXT_RANKING if context_ranking is None else context_ranking:
        from .link.semantic import ContextRanker

        ranker = ContextRanker(knowledge, precision="fp32" if precision in ("fp32", "int8") else "auto")
    linker = Linker(knowledge, policy or Policy(), ranker=ranker)
    tagger = None
    if ner:
        from .ner.tagger import DEFAULT_MODEL, NerTagger

        tagger = NerTagger(Path(model) if model else DEFAULT_MODEL, precision=precision)
    return Pipeline(linker, tagger, batch_size, files, kbs)


def _from_disk(path: Path, ner: bool = True, context_ranking: bool | None = None) -> Pipeline:
    config_file = path / CONFIG
    if not config_file.is_file():
        raise FileNotFoundError(f"{config_file} not found: not a folder written by Pipeline.to_disk()")
    config = json.loads(config_file.read_text())
    files = [path / "gazetteer" / f for f in config["gazetteer"]["files"]]
    if fingerprint(sorted(files)) != config["gazetteer"]["fingerprint"]:
        raise ValueError(f"{path}/gazetteer changed since it was saved (fingerprint differs; the name-key code or "
                         f"the YAML was edited): results would not reproduce")
    model = config["model"] if ner else None
    if model and model_hash(model["path"]) != model["weights_sha256"]:
        raise ValueError(f"the NER model at {model['path']} is not the one saved (weights hash differs)")
    return load(gazetteer=files, model=model and model["path"], ner=bool(model),
                precision=model["precision"] if model else "auto", batch_size=config["batch_size"],
                policy=Policy.from_dict(config["policy"]), kb=config.get("kb", []),
                context_ranking=config.get("context_ranking", False) if context_ranking is None else context_ranking)
