"""The tagger network, for training: the rebuilt base BertModel + a linear BIO head.

The corpus a sentence follows ("domain", `corpora.DOMAINS`) is fed through the token-type embedding, resized to
one row per domain; domain 0 ("generic") is trained on a random share of every corpus and is what users get by
default. Saved and loaded as an artifact (`artifact.py`: only what fine-tuning adds on top of the cached base).
"""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from .. import encoder
from .artifact import artifact_weights
from .corpora import DOMAINS
from .labels import BIO_LABELS

FROZEN = ("embeddings.word_embeddings.weight",)  # 96M parameters; training them costs 2.7x per step


class Tagger(nn.Module):
    """`layers`: keep only the base's first N transformer layers (a smaller, faster tagger; None = all)."""

    def __init__(self, bert: nn.Module, n_labels: int = len(BIO_LABELS), n_domains: int = len(DOMAINS),
                 layers: int | None = None):
        super().__init__()
        if layers is not None and layers != bert.config.num_hidden_layers:
            if not 1 <= layers <= bert.config.num_hidden_layers:
                raise ValueError(f"layers={layers}: the base has {bert.config.num_hidden_layers}")
            bert.encoder.layer = bert.encoder.layer[:layers]
            bert.config.num_hidden_layers = layers
        self.bert = bert
        old = bert.embeddings.token_type_embeddings
        if old.num_embeddings != n_domains:
            new = nn.Embedding(n_domains, old.embedding_dim)
            with torch.no_grad():
                new.weight[:] = old.weight[0]
            bert.embeddings.token_type_embeddings = new
            bert.config.type_vocab_size = n_domains
        self.dropout = nn.Dropout(0.1)
        self.classifier = nn.Linear(bert.config.hidden_size, n_labels)

    def forward(self, input_ids, attention_mask, domain_ids):
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                           token_type_ids=domain_ids).last_hidden_state
        return self.classifier(self.dropout(hidden))


def new_tagger(layers: int | None = None) -> Tagger:
    tagger = Tagger(encoder.load_base_model(), layers=layers)
    for name, param in tagger.bert.named_parameters():
        param.requires_grad = name not in FROZEN
    return tagger


def load_artifact(path: Path) -> tuple[Tagger, dict]:
    """The training network rebuilt from an artifact (for comparison with the inference path), in eval mode."""
    weights, meta, _ = artifact_weights(Path(path))
    tagger = Tagger(encoder.load_base_model(), len(meta["labels"]), len(meta["domains"]), meta.get("layers"))
    tagger.load_state_dict({name: weights[name] for name in tagger.state_dict()})
    return tagger.eval(), meta
