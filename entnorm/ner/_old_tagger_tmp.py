"""Inference: text -> non-overlapping PER/LOC/ORG spans with exact character offsets.

Reads: raw text (any length). Writes: `Span(start, end, label, score)` with `text[start:end]` the mention.
Long texts are split into sentences and, when a sentence exceeds the encoder's window, into consecutive
word windows; windows from many documents are sorted by length and batched together (little padding).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

from .. import encoder, text as textmod
from .corpora import spans as bio_spans
from .decode import viterbi
from .features import MAX_TOKENS, Featurizer
from .model import load_artifact

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "ner-v1"
WINDOW_TOKENS = 256  # sentences longer than this (in subwords) are cut into word windows


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    score: float  # mean probability of the chosen labels over the span's words


def cpu_supports_bf16() -> bool:
    """AMX or AVX-512 BF16 make bf16 matmuls fast; without them bf16 is slower than fp32."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


def resolve_precision(precision: str) -> torch.dtype:
    precision = os.environ.get("ENTNORM_PRECISION", precision)
    if precision == "auto":
        return torch.bfloat16 if cpu_supports_bf16() else torch.float32
    return {"bf16": torch.bfloat16, "fp32": torch.float32}[precision]


class NerTagger:
    def __init__(self, model_dir: Path = DEFAULT_MODEL, precision: str = "auto", batch_size: int = 32,
                 domain: str = "generic"):
        self.model, self.meta = load_artifact(Path(model_dir))
        self.dtype = resolve_precision(precision)
        self.model.to(self.dtype)
        self.labels = self.meta["labels"]
        self.domain = self.meta["domains"].index(domain)
        self.batch_size = batch_size
        self.featurizer = Featurizer(encoder.load_base_encoder())

    # -- word level (used by evaluation and by `tag`) --------------------------------------------
    def predict_words(self, sentences: list[list[str]], domain: int | None = None) -> list[list[tuple[str, float]]]:
        """Per sentence, per word: (BIO label, probability). Sentences must fit the encoder window."""
        domain = self.domain if domain is None else domain
        feats = [self.featurizer.features(p) for p in map(self.featurizer.word_pieces, sentences)]
        for f in feats:
            if len(f.ids) > MAX_TOKENS:
                raise ValueError(f"sentence of {len(f.ids)} subwords exceeds {MAX_TOKENS}; split it first")
        order = sorted(range(len(feats)), key=lambda i: len(feats[i].ids))
        out: list = [None] * len(feats)
        with torch.inference_mode():
            for b in range(0, len(order), self.batch_size):
                idx = order[b : b + self.batch_size]
                batch = self.featurizer.batch([feats[i] for i in idx], domain)
                logprobs = torch.log_softmax(self.model(**batch).float(), dim=-1).numpy()
                for row, i in enumerate(idx):
                    word_lp = logprobs[row, feats[i].heads]
                    path = viterbi(word_lp)
                    probs = np.exp(word_lp[np.arange(len(path)), path])
                    out[i] = [(self.labels[p], float(q)) for p, q in zip(path, probs)]
        return out

    # -- text level -------------------------------------------------------------------------------
    def windows(self, text: str) -> list[list[textmod.Word]]:
        out = []
        for sent in textmod.sentences(text):
            pieces = self.featurizer.word_pieces([w.text for w in sent])
            out.extend(textmod.chunk(sent, [len(p) for p in pieces], WINDOW_TOKENS))
        return out

    def tag(self, texts: list[str]) -> list[list[Span]]:
        """Spans for each text; all windows of all texts are batched together."""
        windows = [(doc, w) for doc, t in enumerate(texts) for w in self.windows(t)]
        predicted = self.predict_words([[w.text for w in win] for _, win in windows])
        result: list[list[Span]] = [[] for _ in texts]
        for (doc, win), labelled in zip(windows, predicted):
            tags = [label for label, _ in labelled]
            for s, e, kind in bio_spans(tags):
                score = float(np.mean([p for _, p in labelled[s:e]]))
                result[doc].append(Span(win[s].start, win[e - 1].end, kind, round(score, 4)))
        return result


@lru_cache(maxsize=4)
def shared_tagger(model_dir: str = str(DEFAULT_MODEL), precision: str = "auto") -> NerTagger:
    return NerTagger(Path(model_dir), precision)
