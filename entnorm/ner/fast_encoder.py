"""`FastEncoder`: the tagger network (`model.Tagger`: BertModel + linear head) written for inference.

Same maths as training, faster: fused QKV projection, weights prepared once in the compute precision, the frozen
250k-row word embedding table memory-mapped from the cached base (never copied), the head applied to labelled
positions only. Projections go through oneDNN with pre-packed weights and bias + GELU fused where torch provides
it. Precision (`precision.resolve_precision`): bf16 keeps the residual stream, LayerNorm and head in fp32, as
in training under autocast; int8 (dynamic quantisation) exists for measurement only. Loaded by
`load_fast_encoder` from an artifact (`artifact.artifact_weights`). See docs/throughput.md for measurements.
"""
from __future__ import annotations

import mmap
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .artifact import artifact_weights
from .precision import resolve_precision

ROW_QUANTUM = 128  # token rows per matmul are padded to a multiple of this


class _Layer(nn.Module):
    PROJECTIONS = ("qkv", "attn_out", "ffn_in", "ffn_out")

    def __init__(self, w: dict[str, torch.Tensor], prefix: str, eps: float, dtype: torch.dtype):
        super().__init__()

        def linear(*names):
            weight = torch.cat([w[f"{prefix}.{n}.weight"] for n in names]).to(dtype)
            lin = nn.utils.skip_init(nn.Linear, weight.shape[1], weight.shape[0], dtype=dtype)
            lin.weight.data = weight
            lin.bias.data = torch.cat([w[f"{prefix}.{n}.bias"] for n in names]).to(dtype)
            return lin

        self.qkv = linear("attention.self.query", "attention.self.key", "attention.self.value")
        self.attn_out = linear("attention.output.dense")
        self.ffn_in = linear("intermediate.dense")
        self.ffn_out = linear("output.dense")
        self.ln1 = (w[f"{prefix}.attention.output.LayerNorm.weight"].float(),
                    w[f"{prefix}.attention.output.LayerNorm.bias"].float())
        self.ln2 = (w[f"{prefix}.output.LayerNorm.weight"].float(), w[f"{prefix}.output.LayerNorm.bias"].float())
        self.eps = eps
        self.packed: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}

    def pack(self, tokens_hint: int) -> None:
        """oneDNN-blocked copies of the weights, for `mkldnn._linear_pointwise` (bias and GELU fused)."""
        for name in self.PROJECTIONS:
            lin = getattr(self, name)
            self.packed[name] = (torch.ops.mkldnn._reorder_linear_weight(lin.weight.detach(), tokens_hint),
                                 lin.bias.detach())

    def project(self, name: str, x: torch.Tensor, gelu: bool = False) -> torch.Tensor:
        if self.packed:
            w, b = self.packed[name]
            return torch.ops.mkldnn._linear_pointwise(x, w, b, "gelu" if gelu else "none", [],
                                                      "none" if gelu else "")
        y = getattr(self, name)(x)
        return F.gelu(y) if gelu else y


class FastEncoder(nn.Module):
    """`model.Tagger` for inference. `compute` is the dtype of the matmul inputs (bf16 or fp32); the residual
    stream, LayerNorm and the head stay fp32."""

    def __init__(self, weights: dict[str, torch.Tensor], config: dict, n_labels: int,
                 dtype: torch.dtype = torch.float32):
        super().__init__()
        self.hidden = config["hidden_size"]
        self.heads = config["num_attention_heads"]
        eps = config["layer_norm_eps"]
        self.eps = eps
        emb = "bert.embeddings."
        # Frozen in training, kept fp32 (a bf16 copy measured 99.28% instead of 99.64% agreement on the test
        # slice): the memory-mapped table itself, nothing copied. A corpus touches most of its pages in the end
        # (384 MB), so `release_pages` hands them back after each call; they are re-read from the page cache.
        self.word = weights[emb + "word_embeddings.weight"]
        self._word_region = getattr(weights, "regions", {}).get(emb + "word_embeddings.weight")
        self.pos = weights[emb + "position_embeddings.weight"].float().contiguous()
        self.types = weights[emb + "token_type_embeddings.weight"].float().contiguous()
        self.ln0 = (weights[emb + "LayerNorm.weight"].float(), weights[emb + "LayerNorm.bias"].float())
        self.layers = nn.ModuleList(_Layer(weights, f"bert.encoder.layer.{i}", eps, dtype)
                                    for i in range(config["num_hidden_layers"]))
        self.classifier = nn.utils.skip_init(nn.Linear, self.hidden, n_labels)
        self.classifier.weight.data = weights["classifier.weight"].float().contiguous()
        self.classifier.bias.data = weights["classifier.bias"].float()
        self.compute = dtype
        self.eval()

    def fuse(self, tokens_hint: int = 2048) -> bool:
        """Run the projections through oneDNN with pre-packed weights and bias + GELU fused (what inductor
        emits for CPU); a no-op where this torch build lacks the op. Not for int8."""
        if not _mkldnn_linear_ok(self.compute):
            return False
        for layer in self.layers:
            layer.pack(tokens_hint)
        return True

    def to_int8(self) -> "FastEncoder":
        """Dynamic int8 quantisation of the projections: int8 weights per output channel, activations quantised
        per batch."""
        from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

        for layer in self.layers:
            with warnings.catch_warnings():  # torch >= 2.10 announces the move of quantisation to torchao
                warnings.simplefilter("ignore")
                q = quantize_dynamic(nn.ModuleDict({n: getattr(layer, n) for n in layer.PROJECTIONS}),
                                     {nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8)
            for n in layer.PROJECTIONS:
                setattr(layer, n, q[n])
        return self

    def encode(self, ids: torch.Tensor, lengths: torch.Tensor, domain: torch.Tensor | int) -> torch.Tensor:
        """ids (B, L) padded, lengths (B,), domain per row or one for all -> fp32 hidden states (B, L, H)."""
        B, L = ids.shape
        H, nh = self.hidden, self.heads
        M = B * L
        # Token rows are padded to a multiple of ROW_QUANTUM: few distinct matmul shapes, so oneDNN reuses its
        # primitives and the allocator its blocks (unbounded shapes grew RSS by ~0.5 GB over a corpus).
        Mp = -(-M // ROW_QUANTUM) * ROW_QUANTUM
        x = F.embedding(ids, self.word) + self.pos[:L]
        x = x + (self.types[domain] if isinstance(domain, int) else self.types[domain][:, None, :])
        x = F.layer_norm(x, (H,), *self.ln0, self.eps).view(M, H)
        if Mp != M:
            x = torch.cat([x, x.new_zeros(Mp - M, H)])
        # Padding is only ever at the end of a row; batches of equal lengths need no mask at all.
        mask = None
        if int(lengths.min()) != L:
            mask = (torch.arange(L)[None, :] < lengths[:, None])[:, None, None, :]
        cd = self.compute
        a = torch.zeros(Mp, H, dtype=cd)
        for layer in self.layers:
            qkv = layer.project("qkv", x.to(cd))[:M].view(B, L, 3, nh, H // nh).permute(2, 0, 3, 1, 4)
            attn = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=mask)
            a[:M].view(B, L, nh, H // nh).copy_(attn.transpose(1, 2))
            x = F.layer_norm(layer.project("attn_out", a).float() + x, (H,), *layer.ln1, layer.eps)
            h = layer.project("ffn_in", x.to(cd), gelu=True)
            x = F.layer_norm(layer.project("ffn_out", h).float() + x, (H,), *layer.ln2, layer.eps)
        return x[:M].view(B, L, H)

    def release_pages(self) -> None:
        """Drop the resident pages of the memory-mapped word-embedding table (never written, so nothing is
        lost: the next lookup re-reads them from the page cache)."""
        if self._word_region is None:
            return
        mm, start, length = self._word_region
        try:
            mm.madvise(mmap.MADV_DONTNEED, start, length)
        except (AttributeError, OSError, ValueError):
            self._word_region = None

    def forward(self, input_ids, attention_mask, domain_ids):
        """Same call and result (logits) as `model.Tagger.forward`, for right-padded batches."""
        lengths = attention_mask.sum(1)
        return self.classifier(self.encode(input_ids, lengths, domain_ids[:, 0]))

    def head_logprobs(self, ids, lengths, domain, rows, cols) -> np.ndarray:
        """Log-probabilities of the labels at positions (rows[i], cols[i]) only."""
        hidden = self.encode(ids, lengths, domain)[rows, cols]
        return torch.log_softmax(self.classifier(hidden), dim=-1).numpy()


@lru_cache(maxsize=2)
def _mkldnn_linear_ok(dtype: torch.dtype) -> bool:
    try:
        x, w, b = torch.randn(4, 8, dtype=dtype), torch.randn(16, 8, dtype=dtype), torch.randn(16, dtype=dtype)
        packed = torch.ops.mkldnn._reorder_linear_weight(w, 4)
        got = torch.ops.mkldnn._linear_pointwise(x, packed, b, "gelu", [], "none")
        return bool(torch.allclose(got.float(), F.gelu(F.linear(x, w, b)).float(), atol=0.1, rtol=0.05))
    except (AttributeError, RuntimeError, NotImplementedError):
        return False


def load_fast_encoder(model_dir: Path, precision: str = "auto") -> tuple[FastEncoder, dict, str]:
    """(encoder, artifact meta, resolved precision) for an artifact directory."""
    weights, meta, config = artifact_weights(Path(model_dir))
    precision = resolve_precision(precision)
    model = FastEncoder(weights, config, len(meta["labels"]),
                        torch.bfloat16 if precision == "bf16" else torch.float32)
    del weights
    if precision == "int8":
        warnings.warn("precision int8 (dynamic quantisation) fails entnorm's quality bar on the shipped model "
                      "(66-84% entity agreement with fp32 on the test sets, docs/throughput.md); use fp32 or bf16", stacklevel=3)
        model.to_int8()
    else:
        model.fuse()
    return model, meta, precision
