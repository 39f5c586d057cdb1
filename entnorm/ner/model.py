"""The tagger network and its shipped artifact.

Network: the rebuilt base BertModel + a linear BIO head. The corpus a sentence follows ("domain") is fed
through the token-type embedding, resized to one row per domain; domain 0 ("generic") is trained on a random
share of every corpus and is what users get by default.

Artifact (`entnorm/models/<name>/`): only what fine-tuning adds on top of the cached base. Each fine-tuned
matrix is stored as an int8 delta from the base with one fp32 scale per row (~1 byte per trained weight);
vectors, the domain embedding and the head are stored whole. `meta.json` names the labels, domains and base.
"""
from __future__ import annotations

import json
from pathlib import Path

import torch
from torch import nn

from .. import encoder
from .corpora import LABELS

DOMAINS = ("generic", "nergrit", "nerui", "idner", "nerp")
ARTIFACT_FORMAT = 1
FROZEN = ("embeddings.word_embeddings.weight",)  # 96M parameters; training them costs 2.7x per step


class Tagger(nn.Module):
    """`layers`: keep only the base's first N transformer layers (a smaller, faster tagger; None = all)."""

    def __init__(self, bert: nn.Module, n_labels: int = len(LABELS), n_domains: int = len(DOMAINS),
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


def _quantize_rows(delta: torch.Tensor):
    scale = delta.abs().amax(dim=1, keepdim=True).clamp_min(1e-12) / 127.0
    return torch.round(delta / scale).to(torch.int8), scale.float()


def save_artifact(tagger: Tagger, path: Path, meta: dict) -> None:
    from safetensors.torch import save_file

    base = {k: v for k, v in encoder.load_base_model().state_dict().items()}
    out = {}
    for name, value in tagger.state_dict().items():
        value = value.detach().float().cpu()
        key = name.removeprefix("bert.")
        if key in FROZEN:
            continue
        if name.startswith("bert.") and value.dim() == 2 and key in base and base[key].shape == value.shape:
            q, scale = _quantize_rows(value - base[key])
            out[f"delta8:{key}"], out[f"scale:{key}"] = q, scale
        else:
            out[f"full:{name}"] = value.contiguous()
    path.mkdir(parents=True, exist_ok=True)
    save_file(out, str(path / "weights.safetensors"))
    meta = dict(meta, format=ARTIFACT_FORMAT, labels=list(LABELS), domains=list(DOMAINS),
                base=encoder.base_dir().name, layers=tagger.bert.config.num_hidden_layers)
    (path / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False))


def load_artifact(path: Path) -> tuple[Tagger, dict]:
    from safetensors.torch import load_file

    meta = json.loads((path / "meta.json").read_text())
    if meta.get("format") != ARTIFACT_FORMAT:
        raise ValueError(f"{path}: artifact format {meta.get('format')} is not {ARTIFACT_FORMAT}")
    tagger = Tagger(encoder.load_base_model(), len(meta["labels"]), len(meta["domains"]), meta.get("layers"))
    stored = load_file(str(path / "weights.safetensors"))
    state = tagger.state_dict()
    for key, value in stored.items():
        kind, name = key.split(":", 1)
        if kind == "delta8":
            state["bert." + name] += value.float() * stored["scale:" + name]
        elif kind == "full":
            state[name] = value
    tagger.load_state_dict(state)
    return tagger.eval(), meta
