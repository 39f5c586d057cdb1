"""Words -> subword ids with one labelled position per word, and padded batches."""
from __future__ import annotations

from dataclasses import dataclass

import torch

from ..encoder import METASPACE, BaseEncoder

MAX_TOKENS = 512


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

    def word_pieces(self, words: list[str]) -> list[list[int]]:
        # A word the normaliser erases (zero-width or control characters) still needs a position.
        return [p or [self.unk] for p in self.base.encode_words(words)]

    def features(self, pieces: list[list[int]]) -> Features:
        ids, heads = [self.bos], []
        for word in pieces:
            # ~1% of words start with a bare "▁" piece: the label goes on the first piece with content.
            head = 1 if len(word) > 1 and word[0] == self.bare_space else 0
            heads.append(len(ids) + head)
            ids.extend(word)
        ids.append(self.eos)
        return Features(ids, heads, len(pieces))

    def batch(self, feats: list[Features], domain: int | list[int]) -> dict[str, torch.Tensor]:
        width = max(len(f.ids) for f in feats)
        ids = torch.full((len(feats), width), self.pad, dtype=torch.long)
        mask = torch.zeros((len(feats), width), dtype=torch.long)
        for row, f in enumerate(feats):
            ids[row, : len(f.ids)] = torch.tensor(f.ids)
            mask[row, : len(f.ids)] = 1
        domains = torch.as_tensor(domain if isinstance(domain, list) else [domain] * len(feats))
        return {"input_ids": ids, "attention_mask": mask, "domain_ids": domains[:, None].expand(-1, width)}
