"""Words -> subword ids with one labelled position per word, and padded batches.

Tokenisation is per word (so every word keeps its own pieces and offsets stay exact). News vocabulary is
Zipfian, so `Featurizer` keeps a word -> pieces cache: a batch of documents first `prime`s the cache with its
unseen words in one parallel `encode_batch` call, and every later lookup is a dict hit.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..encoder import METASPACE, BaseEncoder

MAX_TOKENS = 512
MAX_WORD_PIECES = 64
CACHE_WORDS = 400_000  # ~60 MB at most; cleared (not evicted one by one) when full


@dataclass
class Features:
    ids: list[int]          # <s> subwords </s>
    heads: list[int]        # per word: index into ids of the piece carrying its label
    n_words: int


class Featurizer:
    def __init__(self, base: BaseEncoder):
        self.base = base
        self.bos, self.eos, self.pad = base.special["bos"], base.special["eos"], base.special["pad"]
        self.unk = base.special["unk"]
        self.bare_space = base.tokenizer.token_to_id(METASPACE)
        self._cache: dict[str, list[int]] = {}

    def prime(self, words) -> None:
        """Tokenise, in one batched call, the words of `words` not seen before."""
        cache = self._cache
        new = list({w: None for w in words if w not in cache})
        if not new:
            return
        if len(cache) + len(new) > CACHE_WORDS:
            cache.clear()
        for w, p in zip(new, self.base.encode_words(new)):
            cache[w] = self._clip(p)

    def word_pieces(self, words: list[str]) -> list[list[int]]:
        """Subword ids per word (shared lists from the cache: read, never modify)."""
        self.prime(words)
        cache = self._cache
        try:
            return [cache[w] for w in words]
        except KeyError:  # the cache was cleared while priming a very large call
            return [self._clip(p) for p in self.base.encode_words(words)]

    def _clip(self, pieces: list[int]) -> list[int]:
        """A word the normaliser erases (zero-width, control characters) still needs a position; a word longer
        than MAX_WORD_PIECES (a base64 blob) keeps only its head, which is all that carries its label."""
        return pieces[:MAX_WORD_PIECES] or [self.unk]

    def features(self, pieces: list[list[int]]) -> Features:
        ids, heads = [self.bos], []
        bare = self.bare_space
        for word in pieces:
            # ~1% of words start with a bare "▁" piece: the label goes on the first piece with content.
            heads.append(len(ids) + 1 if len(word) > 1 and word[0] == bare else len(ids))
            ids.extend(word)
        ids.append(self.eos)
        return Features(ids, heads, len(pieces))

    def padded(self, feats: list[Features]) -> tuple[torch.Tensor, torch.Tensor]:
        """(ids, lengths): ids padded to the longest row, lengths per row (int64)."""
        lengths = np.fromiter((len(f.ids) for f in feats), dtype=np.int64, count=len(feats))
        width = int(lengths.max())
        ids = np.full((len(feats), width), self.pad, dtype=np.int64)
        for row, f in enumerate(feats):
            ids[row, : len(f.ids)] = f.ids
        return torch.from_numpy(ids), torch.from_numpy(lengths)

    def batch(self, feats: list[Features], domain: int | list[int]) -> dict[str, torch.Tensor]:
        ids, lengths = self.padded(feats)
        width = ids.shape[1]
        mask = (torch.arange(width)[None, :] < lengths[:, None]).long()
        domains = torch.as_tensor(domain if isinstance(domain, list) else [domain] * len(feats))
        return {"input_ids": ids, "attention_mask": mask, "domain_ids": domains[:, None].expand(-1, width)}
