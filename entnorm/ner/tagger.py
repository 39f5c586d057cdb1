"""Inference: text -> non-overlapping PER/LOC/ORG mentions as `entnorm.doc.Span`s with exact character offsets.

Reads: raw text (any length). Writes: `Span(start, end, label, text[start:end], ner_score)` per mention, where
`ner_score` is the mean probability of the chosen labels over the mention's words.
Long texts are split into sentences and, when a sentence exceeds the encoder's window, into consecutive
word windows. The windows of all texts of a call are tokenised once (unseen words in one batched call),
sorted by length and cut into batches by a token budget, so batches are large and carry almost no padding.
The network is `fast_encoder.FastEncoder` in the precision `precision.resolve_precision` picks; each window's
labels are the constrained BIO path (`decode.best_path`).
"""
from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import torch

from .. import encoder, text as textmod
from ..doc import Span
from .decode import best_path
from .fast_encoder import load_fast_encoder
from .features import MAX_TOKENS, Features, Featurizer
from .labels import spans as bio_spans

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "ner-v1"
WINDOW_TOKENS = 256  # sentences longer than this (in subwords) are cut into word windows
TOKEN_BUDGET = 2048  # padded tokens per forward batch (larger batches measured slower: cache)
WINDOW_SLICE = 8192  # windows predicted together by one `tag` call (~6 pipeline batches of 64 news articles)


def _batches(lengths: list[int], budget: int, cap: int) -> list[list[int]]:
    """Indices sorted by length, cut so that rows x longest row <= budget (and rows <= cap)."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    out, current = [], []
    for i in order:
        if current and ((len(current) + 1) * lengths[i] > budget or len(current) >= cap):
            out.append(current)
            current = []
        current.append(i)
    if current:
        out.append(current)
    return out


class NerTagger:
    """`precision`: auto | bf16 | fp32 | int8 (see `precision.resolve_precision`). `batch_size`: most sentences per
    forward pass; `token_budget`: most padded subword positions per forward pass (the effective limit)."""

    def __init__(self, model_dir: Path = DEFAULT_MODEL, precision: str = "auto", batch_size: int = 256,
                 domain: str = "generic", token_budget: int = TOKEN_BUDGET):
        self.model_dir = Path(model_dir)
        self.model, self.meta, self.precision = load_fast_encoder(self.model_dir, precision)
        self.labels = self.meta["labels"]
        self._outside = self.labels.index("O")
        self.domain = self.meta["domains"].index(domain)
        self.batch_size = batch_size
        self.token_budget = token_budget
        self.featurizer = Featurizer(encoder.load_base_encoder())

    # -- features level ----------------------------------------------------------------------------------
    def predict_features(self, feats: list[Features], domain: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per sentence: (label index per word, its probability)."""
        for f in feats:
            if len(f.ids) > MAX_TOKENS:
                raise ValueError(f"sentence of {len(f.ids)} subwords exceeds {MAX_TOKENS}; split it first")
        out: list = [None] * len(feats)
        lengths = [len(f.ids) for f in feats]
        with torch.inference_mode():
            for idx in _batches(lengths, self.token_budget, self.batch_size):
                group = [feats[i] for i in idx]
                ids, lens = self.featurizer.padded(group)
                rows = np.repeat(np.arange(len(group)), [f.n_words for f in group])
                cols = np.fromiter((h for f in group for h in f.heads), dtype=np.int64, count=len(rows))
                lp = self.model.head_logprobs(ids, lens, domain, torch.from_numpy(rows), torch.from_numpy(cols))
                start = 0
                for i, f in zip(idx, group):
                    out[i] = best_path(lp[start : start + f.n_words])
                    start += f.n_words
        return out

    # -- word level (used by evaluation and by `tag`) --------------------------------------------
    def predict_words(self, sentences: list[list[str]], domain: int | None = None) -> list[list[tuple[str, float]]]:
        """Per sentence, per word: (BIO label, probability). Sentences must fit the encoder window."""
        domain = self.domain if domain is None else domain
        self.featurizer.prime(w for s in sentences for w in s)
        feats = [self.featurizer.features(self.featurizer.word_pieces(s)) for s in sentences]
        labels = self.labels
        return [[(labels[p], float(q)) for p, q in zip(path, probs)]
                for path, probs in self.predict_features(feats, domain)]

    # -- text level -------------------------------------------------------------------------------
    def tag(self, texts: list[str]) -> list[list[Span]]:
        """Spans for each text. Windows of all texts are batched together, WINDOW_SLICE at a time: a slice is
        plenty for length-sorted batching, and memory stays flat on one huge text."""
        all_words = [textmod.words(t) for t in texts]
        self.featurizer.prime(w.text for ws in all_words for w in ws)
        result: list[list[Span]] = [[] for _ in texts]
        windows = (
            (doc, win, f)
            for doc, (text, ws) in enumerate(zip(texts, all_words))
            for sent in textmod.sentences(text, ws)
            for win, f in self._windows_of(sent)
        )
        while chunk := list(itertools.islice(windows, WINDOW_SLICE)):
            self._spans_into(result, texts, chunk)
        self.model.release_pages()
        return result

    def _spans_into(self, result: list[list[Span]], texts: list[str], windows: list) -> None:
        labels = self.labels
        predicted = self.predict_features([f for _, _, f in windows], self.domain)
        for (doc, win, _), (path, probs) in zip(windows, predicted):
            if not (path != self._outside).any():
                continue
            for s, e, kind in bio_spans([labels[p] for p in path]):
                start, end = win[s].start, win[e - 1].end
                result[doc].append(Span(start, end, kind, texts[doc][start:end],
                                        ner_score=round(float(np.mean(probs[s:e])), 4)))

    def _windows_of(self, sent: list[textmod.Word]) -> list[tuple[list[textmod.Word], Features]]:
        fz = self.featurizer
        pieces = fz.word_pieces([w.text for w in sent])
        if sum(map(len, pieces)) <= WINDOW_TOKENS:
            return [(sent, fz.features(pieces))]
        out, start = [], 0
        for win in textmod.chunk(sent, [len(p) for p in pieces], WINDOW_TOKENS):
            out.append((win, fz.features(pieces[start : start + len(win)])))
            start += len(win)
        return out
