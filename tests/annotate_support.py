"""Shared helpers for the `entnorm annotate` / Python API tests: a small gazetteer written at test time, spans found
by string search (for link-only runs without the NER model), the seed articles, and a CLI runner (subprocess)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from entnorm import settings

PROJECT_DIR = settings.PROJECT_DIR
SEEDS = settings.data_dir().parent / "seeds" / "seeds.jsonl"
MODEL_DIR = settings.PACKAGE_DIR / "models" / "ner-v1"
HAS_MODEL = (MODEL_DIR / "meta.json").is_file()

needs_seeds = pytest.mark.skipif(not SEEDS.is_file(), reason=f"seed articles not found at {SEEDS} "
                                 "(shared data is not in git; set ENTNORM_DATA to <shared>/data)")
needs_model = pytest.mark.skipif(not HAS_MODEL, reason=f"no NER model at {MODEL_DIR} (not trained yet)")

# Entities of the seed articles; Belousov and Yoon Suk Yeol are left out on purpose, so they are NIL.
GAZETTEER = [
    {"id": "Q159", "type": "LOC", "name": "Rusia", "aliases": ["Russia"], "kind": "country", "country": "RU",
     "prior": 1},
    {"id": "Q212", "type": "LOC", "name": "Ukraina", "aliases": ["Ukraine"], "kind": "country", "country": "UA",
     "prior": 1},
    {"id": "Q423", "type": "LOC", "name": "Korea Utara", "aliases": ["North Korea", "Korut"], "kind": "country",
     "country": "KP", "prior": 1},
    {"id": "Q884", "type": "LOC", "name": "Korea Selatan", "aliases": ["South Korea", "Korsel"], "kind": "country",
     "country": "KR", "prior": 1},
    {"id": "Q30", "type": "LOC", "name": "Amerika Serikat", "aliases": ["AS", "United States"], "kind": "country",
     "country": "US", "prior": 1},
    {"id": "Q649", "type": "LOC", "name": "Moskwa", "aliases": ["Moskow", "Moscow"], "kind": "city",
     "country": "RU", "prior": 0.9},
    {"id": "Q1899", "type": "LOC", "name": "Kyiv", "aliases": ["Kiev", "Kiew"], "kind": "city", "country": "UA",
     "prior": 0.9},
    {"id": "Q18808", "type": "LOC", "name": "Pyongyang", "kind": "city", "country": "KP", "prior": 0.9},
    {"id": "Q56226", "type": "PER", "name": "Kim Jong Un", "aliases": ["Kim Jong-un"], "country": "KP",
     "prior": 1},
    {"id": "Q7747", "type": "PER", "name": "Vladimir Putin", "country": "RU", "prior": 1},
    {"id": "Q57792", "type": "PER", "name": "Mark Rutte", "country": "NL", "prior": 0.9},
    {"id": "Q7184", "type": "ORG", "name": "NATO", "aliases": ["Pakta Pertahanan Atlantik Utara"], "prior": 1},
    {"id": "Q493276", "type": "ORG", "name": "Korean Central News Agency", "aliases": ["KCNA"], "country": "KP",
     "prior": 0.8},
]
NIL_NAMES = {"Andrei Belousov": "PER", "Andrey Belousov": "PER", "Andrei Beloussov": "PER",
             "Belousov": "PER", "Beloussov": "PER",
             "Yoon Seok-yul": "PER", "Yoon Suk Yeol": "PER"}


def write_gazetteer(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "seeds.yaml").write_text(yaml.safe_dump(GAZETTEER, allow_unicode=True, sort_keys=False))
    return directory


def find_spans(text: str) -> list[dict]:
    """Given spans for link-only runs: every gazetteer name/alias and NIL name found as a whole word,
    longest first, never overlapping."""
    names = {n: e["type"] for e in GAZETTEER for n in [e["name"], *e.get("aliases", [])]} | NIL_NAMES
    taken, spans = [False] * len(text), []
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if not any(taken[m.start():m.end()]):
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
                spans.append({"start": m.start(), "end": m.end(), "label": names[name]})
    return sorted(spans, key=lambda s: s["start"])


def seed_records() -> list[dict]:
    return [json.loads(line) for line in SEEDS.read_text(encoding="utf-8").splitlines() if line.strip()]


def cli_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_DIR), env.get("PYTHONPATH")]))
    return env


def run_cli(*args, stdin: bytes | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "entnorm.cli", *map(str, args)], input=stdin,
                          capture_output=True, env=cli_env(), timeout=timeout, cwd=PROJECT_DIR)


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def read_jsonl(path_or_bytes) -> list[dict]:
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def check_entities(record: dict, text_field: str = "text") -> None:
    """Schema and offset invariants of one annotated output record."""
    text, previous_end = record[text_field], 0
    for e in record["entities"]:
        fields = {"start", "end", "text", "label", "id", "name", "score", "method", "matched"}
        assert set(e) in (fields, fields | {"ner_score"}), e  # ner_score: spans found by the tagger
        assert "ner_score" not in e or 0 <= e["ner_score"] <= 1, e
        assert text[e["start"]:e["end"]] == e["text"], e
        assert e["start"] >= previous_end, f"overlap at {e}"
        assert e["label"] in ("PER", "LOC", "ORG")
        assert isinstance(e["score"], float) and 0 <= e["score"] <= 1
        previous_end = e["end"]
