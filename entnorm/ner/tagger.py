"""Inference: text -> non-overlapping PER/LOC/ORG spans with exact character offsets.

Reads: raw text (any length). Writes: `Span(start, end, label, score)` with `text[start:end]` the mention.
Long texts are split into sentences and, when a sentence exceeds the encoder's window, into consecutive
word windows. The windows of all texts of a call are tokenised once (unseen words in one batched call),
sorted by length and cut into batches by a token budget, so batches are large and carry almost no padding.

The network runs through `FastEncoder`, the same maths as `model.Tagger` (BertModel + linear head) written
for inference: fused QKV projection, weights prepared once in the compute precision, the frozen 250k-row word
embedding table memory-mapped from the cached base (never copied), the head applied to labelled positions only.
Projections go through oneDNN with pre-packed weights and bias + GELU fused where torch provides it.
Precision (`resolve_precision`): "bf16" on CPUs with AMX / AVX-512 BF16 (matmuls in bf16, residual stream and
LayerNorm in fp32, as in training under autocast), else "fp32". "int8" (dynamic quantisation) exists for
measurement only: it fails the quality bar. See docs/throughput.md for measurements.
"""
from __future__ import annotations

import itertools
import json
import mmap
import os
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .. import encoder, text as textmod
from .corpora import spans as bio_spans
from .decode import START, TRANSITIONS, viterbi
from .features import MAX_TOKENS, Features, Featurizer

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "ner-v1"
WINDOW_TOKENS = 256  # sentences longer than this (in subwords) are cut into word windows
ROW_QUANTUM = 128  # token rows per matmul are padded to a multiple of this
TOKEN_BUDGET = 2048  # padded tokens per forward batch (larger batches measured slower: cache)
WINDOW_SLICE = 8192  # windows predicted together by one `tag` call (~6 pipeline batches of 64 news articles)
PRECISIONS = ("auto", "bf16", "fp32", "int8")
INT8_KEEP_FP32: tuple[str, ...] = ()  # projections int8 leaves in fp32 (see docs/throughput.md)


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


def resolve_precision(precision: str = "auto") -> str:
    """"bf16" | "fp32" | "int8". An explicit argument wins; "auto" defers to $ENTNORM_PRECISION, then to the
    CPU: bf16 where it is native, else fp32. int8 is only for experiments: dynamic quantisation costs this
    model up to 8 F1 points (docs/throughput.md)."""
    if precision == "auto":
        precision = os.environ.get("ENTNORM_PRECISION", "auto") or "auto"
    if precision not in PRECISIONS:
        raise ValueError(f"precision {precision!r} is not one of {', '.join(PRECISIONS)}")
    if precision == "auto":
        return "bf16" if cpu_supports_bf16() else "fp32"
    return precision


# -- weights -------------------------------------------------------------------------------------------
_ST_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I8": torch.int8,
              "I32": torch.int32, "I64": torch.int64, "U8": torch.uint8}


def mmap_safetensors(path: Path, regions: dict | None = None) -> dict[str, torch.Tensor]:
    """Tensors of a .safetensors file as views of a private (copy-on-write) memory map: nothing is read until
    used. `regions`, if given, receives name -> (mmap, page-aligned start, length) for `madvise`."""
    with open(path, "rb") as f:
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
    (n,) = struct.unpack("<Q", mm[:8])
    header = json.loads(mm[8 : 8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = _ST_DTYPES[info["dtype"]]
        start, end = info["data_offsets"]
        count = (end - start) // dtype.itemsize
        out[name] = torch.frombuffer(mm, dtype=dtype, count=count, offset=8 + n + start).view(info["shape"])
        if regions is not None:
            lo = (8 + n + start) // mmap.PAGESIZE * mmap.PAGESIZE
            hi = -(-(8 + n + end) // mmap.PAGESIZE) * mmap.PAGESIZE
            regions[name] = (mm, lo, min(hi, len(mm)) - lo)
    return out


class _Weights(dict):
    """Name -> tensor; a fine-tuned matrix (base + int8 delta x row scale) is computed when it is read, so
    loading never holds two fp32 copies of the network."""

    def __init__(self, base: dict, deltas: dict):
        super().__init__(base)
        self.deltas = deltas

    def __getitem__(self, name):
        value = super().__getitem__(name)
        if name in self.deltas:
            q, scale = self.deltas[name]
            value = value + q.float() * scale
        return value

    def items(self):
        return ((k, self[k]) for k in self)


def artifact_weights(model_dir: Path) -> tuple[dict[str, torch.Tensor], dict, dict]:
    """(fp32 weights named as in `model.Tagger.state_dict()`, artifact meta, base config), without building
    the transformers model: base tensors (memory-mapped) + the artifact's int8 deltas and whole tensors."""
    from safetensors.torch import load_file

    from .model import ARTIFACT_FORMAT

    meta = json.loads((model_dir / "meta.json").read_text())
    if meta.get("format") != ARTIFACT_FORMAT:
        raise ValueError(f"{model_dir}: artifact format {meta.get('format')} is not {ARTIFACT_FORMAT}")
    base = encoder.base_dir()
    config = json.loads((base / "config.json").read_text())
    config["num_hidden_layers"] = meta.get("layers", config["num_hidden_layers"])  # a truncated tagger
    regions: dict = {}
    weights = {"bert." + k: v for k, v in mmap_safetensors(base / "model.safetensors", regions).items()}
    stored = load_file(str(model_dir / "weights.safetensors"))
    deltas = {}
    for key, value in stored.items():
        kind, name = key.split(":", 1)
        if kind == "delta8":
            if "bert." + name not in weights:
                raise KeyError(f"{model_dir}: delta for {name}, which the base encoder lacks")
            deltas["bert." + name] = (value, stored["scale:" + name])
        elif kind == "full":
            weights[name] = value
    out = _Weights(weights, deltas)
    out.regions = {"bert." + k: v for k, v in regions.items()}
    return out, meta, config


# -- the network, for inference ---------------------------------------------------------------------------
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

    def to_int8(self, keep: tuple[str, ...] = INT8_KEEP_FP32, per_channel: bool = True) -> "FastEncoder":
        """Dynamic int8 quantisation (int8 weights per output channel, activations quantised per batch) of
        the projections not in `keep`."""
        import warnings

        from torch.ao.quantization import default_dynamic_qconfig, per_channel_dynamic_qconfig, quantize_dynamic

        qconfig = per_channel_dynamic_qconfig if per_channel else default_dynamic_qconfig
        for layer in self.layers:
            names = [n for n in layer.PROJECTIONS if n not in keep]
            with warnings.catch_warnings():  # torch >= 2.10 announces the move of quantisation to torchao
                warnings.simplefilter("ignore")
                q = quantize_dynamic(nn.ModuleDict({n: getattr(layer, n) for n in names}),
                                     {nn.Linear: qconfig}, dtype=torch.qint8)
            for n in names:
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


def load_fast_encoder(model_dir: Path, precision: str = "auto", fused: bool = True
                      ) -> tuple[FastEncoder, dict, str]:
    weights, meta, config = artifact_weights(Path(model_dir))
    precision = resolve_precision(precision)
    model = FastEncoder(weights, config, len(meta["labels"]),
                        torch.bfloat16 if precision == "bf16" else torch.float32)
    del weights
    if precision == "int8":
        import warnings

        warnings.warn("precision int8 (dynamic quantisation) fails entnorm's quality bar on the shipped model "
                      "(66-84% entity agreement with fp32 on the test sets, docs/throughput.md); use fp32 or bf16", stacklevel=3)
        model.to_int8()
    elif fused:
        model.fuse()
    return model, meta, precision


# -- decoding ----------------------------------------------------------------------------------------------
def _decode(lp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Constrained BIO path and its per-word probabilities. When the per-word argmax already obeys the
    constraints it is the Viterbi path (transitions are 0 or -inf), so Viterbi runs only where it does not."""
    best = lp.argmax(axis=1)
    if len(best):
        ok = START[best[0]] == 0 and not (TRANSITIONS[best[:-1], best[1:]] != 0).any()
        if not ok:
            best = np.asarray(viterbi(lp), dtype=np.int64)
    return best, np.exp(lp[np.arange(len(best)), best])


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
    """`precision`: auto | bf16 | fp32 | int8 (see `resolve_precision`). `batch_size`: most sentences per
    forward pass; `token_budget`: most padded subword positions per forward pass (the effective limit)."""

    def __init__(self, model_dir: Path = DEFAULT_MODEL, precision: str = "auto", batch_size: int = 256,
                 domain: str = "generic", token_budget: int = TOKEN_BUDGET):
        self.model, self.meta, self.precision = load_fast_encoder(Path(model_dir), precision)
        self.dtype = self.model.compute
        self.labels = self.meta["labels"]
        self._outside = self.labels.index("O")
        self.domain = self.meta["domains"].index(domain)
        self.batch_size = batch_size
        self.token_budget = token_budget
        self.featurizer = Featurizer(encoder.load_base_encoder())
        self.stats = {"sequences": 0, "tokens": 0, "sq_tokens": 0, "padded_tokens": 0, "batches": 0}

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
                st = self.stats
                st["sequences"] += len(group)
                st["tokens"] += int(lens.sum())
                st["sq_tokens"] += int((lens * lens).sum())
                st["padded_tokens"] += ids.numel()
                st["batches"] += 1
                start = 0
                for i, f in zip(idx, group):
                    out[i] = _decode(lp[start : start + f.n_words])
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
    def windows(self, text: str) -> list[list[textmod.Word]]:
        return [win for sent in textmod.sentences(text) for win, _ in self._windows_of(sent)]

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
            self._spans_into(result, chunk)
        self.model.release_pages()
        return result

    def _spans_into(self, result: list[list[Span]], windows: list) -> None:
        labels = self.labels
        predicted = self.predict_features([f for _, _, f in windows], self.domain)
        for (doc, win, _), (path, probs) in zip(windows, predicted):
            if not (path != self._outside).any():
                continue
            for s, e, kind in bio_spans([labels[p] for p in path]):
                result[doc].append(Span(win[s].start, win[e - 1].end, kind, round(float(np.mean(probs[s:e])), 4)))

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


@lru_cache(maxsize=4)
def shared_tagger(model_dir: str = str(DEFAULT_MODEL), precision: str = "auto") -> NerTagger:
    return NerTagger(Path(model_dir), precision)
