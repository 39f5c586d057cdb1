"""entnorm/ner/artifact.py: the artifact format round-trips, stores only what training adds, and is read the
same way by the training network and the inference path."""
import json
import mmap

import pytest
import torch
from safetensors.torch import load_file, save_file

from entnorm.ner import artifact
from entnorm.ner.artifact import ARTIFACT_FORMAT, artifact_weights, mmap_safetensors, read_meta, save_artifact
from entnorm.ner.corpora import DOMAINS
from entnorm.ner.labels import BIO_LABELS
from entnorm.ner.model import FROZEN, load_artifact, new_tagger
from entnorm.ner.tagger import DEFAULT_MODEL

from .support import needs_model


def test_mmap_safetensors_reads_every_dtype_and_page_aligned_regions(tmp_path):
    g = torch.Generator().manual_seed(0)
    tensors = {"f32": torch.randn(3, 5, generator=g), "bf16": torch.randn(7, generator=g).bfloat16(),
               "i8": torch.randint(-128, 127, (4, 4), dtype=torch.int8, generator=g),
               "i64": torch.arange(6).view(2, 3), "big": torch.randn(3000, generator=g)}
    save_file(tensors, str(tmp_path / "t.safetensors"))
    regions = {}
    got = mmap_safetensors(tmp_path / "t.safetensors", regions)
    assert set(got) == set(tensors) == set(regions)
    for name, want in tensors.items():
        assert got[name].dtype == want.dtype and torch.equal(got[name], want)
    size = (tmp_path / "t.safetensors").stat().st_size
    for mm, start, length in regions.values():
        assert start % mmap.PAGESIZE == 0 and 0 < length and start + length <= size
    got["f32"][0, 0] = 42.0  # copy-on-write: the file is never written
    assert torch.equal(load_file(str(tmp_path / "t.safetensors"))["f32"], tensors["f32"])


def test_read_meta_refuses_another_format(tmp_path):
    (tmp_path / "meta.json").write_text(json.dumps({"format": ARTIFACT_FORMAT + 1}))
    with pytest.raises(ValueError, match="format"):
        read_meta(tmp_path)
    (tmp_path / "meta.json").write_text(json.dumps({"format": ARTIFACT_FORMAT, "labels": ["O"]}))
    assert read_meta(tmp_path)["labels"] == ["O"]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A 2-layer tagger with every trainable tensor moved off the base, saved as an artifact."""
    torch.manual_seed(0)
    tagger = new_tagger(layers=2)
    with torch.no_grad():
        for param in tagger.parameters():
            if param.requires_grad:
                param.add_(torch.randn_like(param) * 0.01)
    path = tmp_path_factory.mktemp("artifact") / "tiny"
    save_artifact(tagger, path, {"trained_with": {"note": "test"}})
    return tagger, path


def test_save_stores_matrices_as_int8_deltas_and_skips_the_frozen_table(saved):
    tagger, path = saved
    stored = load_file(str(path / artifact.WEIGHTS))
    state = tagger.state_dict()
    for name, value in state.items():
        key = name.removeprefix("bert.")
        if key in FROZEN:
            assert not any(k.endswith(":" + key) or k.endswith(":" + name) for k in stored), name
        elif name.startswith("bert.") and value.dim() == 2 and f"delta8:{key}" in stored:
            assert stored[f"delta8:{key}"].dtype == torch.int8
            assert stored[f"scale:{key}"].shape == (value.shape[0], 1)
        else:
            assert torch.equal(stored[f"full:{name}"], value), name
    matrices = [n for n, v in state.items() if n.startswith("bert.encoder.") and v.dim() == 2]
    assert matrices and all(f"delta8:{n.removeprefix('bert.')}" in stored for n in matrices)


def test_meta_names_labels_domains_base_and_layers(saved):
    _, path = saved
    meta = read_meta(path)
    assert meta["format"] == ARTIFACT_FORMAT and meta["layers"] == 2
    assert meta["labels"] == list(BIO_LABELS) and meta["domains"] == list(DOMAINS)
    assert meta["base"].startswith("base-") and meta["trained_with"] == {"note": "test"}


def test_weights_round_trip_within_one_quantisation_step(saved):
    tagger, path = saved
    weights, _, config = artifact_weights(path)
    assert config["num_hidden_layers"] == 2
    for name, want in tagger.state_dict().items():
        got = weights[name]
        assert got.shape == want.shape and got.dtype == torch.float32, name
        if name in weights.deltas:  # base + int8 delta: off by at most half a step of its row's scale
            scale = weights.deltas[name][1]
            assert bool(((got - want).abs() <= scale / 2 + 1e-6).all()), name
        else:
            assert torch.equal(got, want), name
    state = tagger.state_dict()
    assert {n for n, v in state.items() if n.startswith("bert.encoder.") and v.dim() == 2} <= set(weights.deltas)
    assert not any(n.startswith("classifier") for n in weights.deltas)


def test_the_training_network_loads_what_the_inference_path_reads(saved):
    _, path = saved
    reference, meta = load_artifact(path)
    weights, _, _ = artifact_weights(path)
    assert len(reference.bert.encoder.layer) == meta["layers"] == 2
    assert not reference.training
    for name, value in reference.state_dict().items():
        assert torch.equal(value, weights[name]), name


@needs_model
def test_the_shipped_artifact_reads_with_this_label_set():
    weights, meta, config = artifact_weights(DEFAULT_MODEL)
    assert meta["labels"] == list(BIO_LABELS) and meta["domains"] == list(DOMAINS)
    assert weights["classifier.weight"].shape[0] == len(BIO_LABELS)
    assert weights["bert.embeddings.token_type_embeddings.weight"].shape[0] == len(DOMAINS)
    layer = f"bert.encoder.layer.{config['num_hidden_layers'] - 1}.output.dense.weight"
    assert layer in weights.deltas and weights[layer].dtype == torch.float32
