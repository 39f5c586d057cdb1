"""Shared by the NER tests: the fixture corpora (tests/data/ner, laid out as $ENTNORM_DATA/ner) and the marks
for tests that need the real corpora or the shipped model (they skip, with the reason, where it is absent)."""
from pathlib import Path

import pytest
import torch

from entnorm import settings
from entnorm.ner.corpora import CORPUS_FILES
from entnorm.ner.tagger import DEFAULT_MODEL

FIXTURE_DATA = Path(__file__).resolve().parent.parent / "data"


def _missing_corpora() -> list[str]:
    root = settings.data_dir() / "ner"
    return [spec.relpath for spec in CORPUS_FILES.values() if not (root / spec.relpath).exists()]


needs_corpora = pytest.mark.skipif(
    bool(_missing_corpora()),
    reason=f"the real NER corpora are not under {settings.data_dir() / 'ner'} (set ENTNORM_DATA): "
           f"{len(_missing_corpora())} of {len(CORPUS_FILES)} files missing, e.g. {(_missing_corpora() or [''])[0]}")
needs_model = pytest.mark.skipif(not (DEFAULT_MODEL / "meta.json").exists(),
                                 reason=f"no shipped NER model at {DEFAULT_MODEL}")


def assert_same_logits(reference, model, batch: dict) -> None:
    """Two networks give the same logits (to 1e-3) at the real, unpadded positions of a padded batch."""
    with torch.inference_mode():
        want, got = reference(**batch), model(**batch)
    mask = batch["attention_mask"].bool()
    assert torch.allclose(got[mask], want[mask], atol=1e-3, rtol=0)
