"""The real-news dev set is generated from the shared corpora (not in git): the builder must reproduce it and its
checks must pass (spans match the text, every cluster key is described, QIDs come from the named sources)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from entnorm import settings

HERE = Path(__file__).resolve().parent / "data" / "realnews"


@pytest.mark.skipif(not (settings.data_dir() / "ner").is_dir(), reason="shared corpora not found (set ENTNORM_DATA)")
def test_builder_reproduces_the_dev_set():
    before = (HERE / "entities.jsonl").read_text()
    done = subprocess.run([sys.executable, str(HERE / "build_realnews.py"), "build"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert (HERE / "entities.jsonl").read_text() == before  # committed clusters and QIDs are what the build gives
    mentions = [m for line in (HERE / "documents.jsonl").read_text().splitlines() for m in json.loads(line)["mentions"]]
    assert len(mentions) >= 1500
