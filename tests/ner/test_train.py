"""Training runs end to end on a tiny slice and writes a loadable artifact."""
import json

from entnorm.ner import train
from entnorm.ner.model import load_artifact


def test_one_tiny_training_step(tmp_path):
    out = tmp_path / "tiny"
    train.main(["--out", str(out), "--limit", "16", "--max-steps", "1", "--batch-size", "8"])
    tagger, meta = load_artifact(out)
    assert meta["labels"][0] == "O" and "generic" in meta["domains"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["train"] and "removed_overlap_test" in manifest
    assert (out / "weights.safetensors").stat().st_size < 25 * 2**20
    metrics = json.loads((out / "metrics.json").read_text())
    assert set(metrics["corpus_domain"]) == {"nergrit/test", "nerui/test", "idner/test"}
