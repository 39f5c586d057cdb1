"""Readers for the human-annotated Indonesian NER corpora, mapped onto one label set (PER/LOC/ORG, BIO).

Each corpus keeps its own identity (`domain`): the corpora disagree on conventions (IDNer leaves places inside
titles unlabelled, NERGrit tags offices as ORG), so the tagger is told which one a sentence came from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import settings
from .labels import map_tag, repair_bio

# The rows of the tagger's domain embedding, in this order (stored in each artifact's meta.json): "generic" is
# trained on a random share of every corpus and is what users get; each other row is one corpus's conventions.
DOMAINS = ("generic", "nergrit", "nerui", "idner", "nerp")


@dataclass
class Sentence:
    words: list[str]
    tags: list[str]
    corpus: str
    split: str
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CorpusFile:
    corpus: str   # domain name the tagger is conditioned on
    split: str
    relpath: str  # under settings.data_dir()/ner
    columns: str  # "tab2" (token<TAB>tag) or "space3" (token POS tag)


CORPUS_FILES = {
    ("nergrit", "train"): CorpusFile("nergrit", "train", "nergrit/train_preprocess.txt", "tab2"),
    ("nergrit", "dev"): CorpusFile("nergrit", "dev", "nergrit/valid_preprocess.txt", "tab2"),
    ("nergrit", "test"): CorpusFile("nergrit", "test", "nergrit/test_preprocess.txt", "tab2"),
    ("nerui", "train"): CorpusFile("nerui", "train", "indolem_nerui/train.01.tsv", "tab2"),
    ("nerui", "dev"): CorpusFile("nerui", "dev", "indolem_nerui/dev.01.tsv", "tab2"),
    ("nerui", "test"): CorpusFile("nerui", "test", "indolem_nerui/test.01.tsv", "tab2"),
    ("idner", "train"): CorpusFile("idner", "train", "idner_news_2k/train.txt", "space3"),
    ("idner", "dev"): CorpusFile("idner", "dev", "idner_news_2k/dev.txt", "space3"),
    ("idner", "test"): CorpusFile("idner", "test", "idner_news_2k/test.txt", "space3"),
    ("nerp", "train"): CorpusFile("nerp", "train", "nerp/train_preprocess.txt", "tab2"),
}
TEST_SETS = (("nergrit", "test"), ("nerui", "test"), ("idner", "test"))


def read_corpus(key: tuple[str, str], data_dir: Path | None = None) -> list[Sentence]:
    spec = CORPUS_FILES[key]
    path = (data_dir or settings.data_dir()) / "ner" / spec.relpath
    if not path.exists():
        raise FileNotFoundError(f"NER corpus {key} not found at {path} (set ENTNORM_DATA)")
    sentences, words, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.rstrip("\r")
        if not line.strip():
            if words:
                sentences.append(Sentence(words, repair_bio(tags), spec.corpus, spec.split))
                words, tags = [], []
            continue
        parts = line.split("\t") if spec.columns == "tab2" else line.split(" ")
        words.append(parts[0])
        tags.append(map_tag(parts[-1].strip()))
    if words:
        sentences.append(Sentence(words, repair_bio(tags), spec.corpus, spec.split))
    return sentences


def sentence_key(words: list[str]) -> str:
    """Normalised sentence text used to deduplicate training pools against test sets."""
    return re.sub(r"[\W_]+", "", " ".join(words).lower())
