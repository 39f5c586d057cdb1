"""The tagger artifact (`entnorm/models/<name>/`): its format is written and read here and nowhere else.

Only what fine-tuning adds on top of the cached base encoder is stored:
    weights.safetensors   "delta8:<base name>" + "scale:<base name>": a fine-tuned matrix of the base as an int8
                          delta with one fp32 scale per row (~1 byte per trained weight);
                          "full:<network name>": every other tensor whole (vectors, the domain embedding, the head).
                          A tensor equal to the base's (the frozen word-embedding table) is not stored at all.
    meta.json             format, BIO labels, domains, base name, number of layers, and what training adds.
Network names are those of `model.Tagger.state_dict()`: the encoder's are "bert." + the base's names.

Reading: `artifact_weights` gives every network tensor in fp32 without building a transformers model: the base's
tensors memory-mapped (`mmap_safetensors`, nothing is read until used) and each fine-tuned matrix computed when it
is read, so loading never holds two fp32 copies of the network. `model.load_artifact` (the training network)
and `fast_encoder.load_fast_encoder` (inference) both read through it.
"""
from __future__ import annotations

import json
import mmap
import struct
from pathlib import Path

import torch

from .. import encoder
from .corpora import DOMAINS
from .labels import BIO_LABELS

ARTIFACT_FORMAT = 1
META, WEIGHTS = "meta.json", "weights.safetensors"
ENCODER = "bert."  # prefix of the base encoder's tensors in the network's names


# -- the memory-mapped base ---------------------------------------------------------------------------------
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


def _base_tensors(regions: dict | None = None) -> dict[str, torch.Tensor]:
    """The cached base encoder's tensors (memory-mapped), under their base names."""
    return mmap_safetensors(encoder.base_dir() / "model.safetensors", regions)


# -- writing ------------------------------------------------------------------------------------------------
def _quantize_rows(delta: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    scale = delta.abs().amax(dim=1, keepdim=True).clamp_min(1e-12) / 127.0
    return torch.round(delta / scale).to(torch.int8), scale.float()


def save_artifact(tagger: torch.nn.Module, path: Path, meta: dict) -> None:
    """Write a `model.Tagger` (its `state_dict()` and number of layers) as an artifact; `meta` is what the
    caller adds to meta.json (training configuration, dev history)."""
    from safetensors.torch import save_file

    base = _base_tensors()
    out = {}
    for name, value in tagger.state_dict().items():
        value = value.detach().float().cpu()
        key = name.removeprefix(ENCODER)
        ref = base.get(key) if name.startswith(ENCODER) else None
        if ref is not None and ref.shape == value.shape:
            if torch.equal(value, ref):
                continue  # frozen: the base has it
            if value.dim() == 2:
                out[f"delta8:{key}"], out[f"scale:{key}"] = _quantize_rows(value - ref)
                continue
        out[f"full:{name}"] = value.contiguous()
    path.mkdir(parents=True, exist_ok=True)
    save_file(out, str(path / WEIGHTS))
    meta = dict(meta, format=ARTIFACT_FORMAT, labels=list(BIO_LABELS), domains=list(DOMAINS),
                base=encoder.base_dir().name, layers=tagger.bert.config.num_hidden_layers)
    (path / META).write_text(json.dumps(meta, indent=2, ensure_ascii=False))


# -- reading ------------------------------------------------------------------------------------------------
def read_meta(path: Path) -> dict:
    meta = json.loads((Path(path) / META).read_text())
    if meta.get("format") != ARTIFACT_FORMAT:
        raise ValueError(f"{path}: artifact format {meta.get('format')} is not {ARTIFACT_FORMAT}")
    return meta


class _Weights(dict):
    """Network name -> fp32 tensor; a fine-tuned matrix (base + int8 delta x row scale) is computed when it is
    read. `regions`: the memory-mapped base tensors' pages (for `FastEncoder.release_pages`)."""

    def __init__(self, tensors: dict, deltas: dict, regions: dict):
        super().__init__(tensors)
        self.deltas = deltas
        self.regions = regions

    def __getitem__(self, name):
        value = super().__getitem__(name)
        if name in self.deltas:
            q, scale = self.deltas[name]
            value = value + q.float() * scale
        return value

    def items(self):
        return ((k, self[k]) for k in self)


def artifact_weights(model_dir: Path) -> tuple[dict[str, torch.Tensor], dict, dict]:
    """(fp32 weights named as in `model.Tagger.state_dict()`, artifact meta, base config with the artifact's
    number of layers): base tensors (memory-mapped) + the artifact's int8 deltas and whole tensors."""
    from safetensors.torch import load_file

    model_dir = Path(model_dir)
    meta = read_meta(model_dir)
    config = json.loads((encoder.base_dir() / "config.json").read_text())
    config["num_hidden_layers"] = meta.get("layers", config["num_hidden_layers"])  # a truncated tagger
    regions: dict = {}
    weights = {ENCODER + k: v for k, v in _base_tensors(regions).items()}
    stored = load_file(str(model_dir / WEIGHTS))
    deltas = {}
    for key, value in stored.items():
        kind, name = key.split(":", 1)
        if kind == "delta8":
            if ENCODER + name not in weights:
                raise KeyError(f"{model_dir}: delta for {name}, which the base encoder lacks")
            deltas[ENCODER + name] = (value, stored["scale:" + name])
        elif kind == "full":
            weights[name] = value
    return _Weights(weights, deltas, {ENCODER + k: v for k, v in regions.items()}), meta, config
