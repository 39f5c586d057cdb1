from pathlib import Path

import pytest

from .support import FIXTURE_DATA


@pytest.fixture
def fixture_corpora(monkeypatch) -> Path:
    """$ENTNORM_DATA pointed at the fixture corpora (tests/data) for the test's duration."""
    monkeypatch.setenv("ENTNORM_DATA", str(FIXTURE_DATA))
    return FIXTURE_DATA


@pytest.fixture(scope="session")
def fp32():
    """The shipped model in fp32, the reference precision."""
    from entnorm.ner.tagger import DEFAULT_MODEL, NerTagger

    return NerTagger(DEFAULT_MODEL, precision="fp32")
