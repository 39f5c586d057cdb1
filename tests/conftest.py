import importlib.util
import os
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
MINI_GAZETTEER = TESTS / "data" / "mini_gazetteer.yaml"


def bench_module(name: str):
    """A script of bench/ as a module, loaded by path (tests/kb is a package "kb" too)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", TESTS.parent / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def mini_linker():
    from entnorm.kb.loader import compile_kb
    from entnorm.link.linker import Linker

    return Linker(compile_kb([MINI_GAZETTEER]))


@pytest.fixture(scope="session")
def seeds():
    """The five seed articles, read from the shared data folder (never copied into git)."""
    import json

    from entnorm import settings

    path = settings.data_dir().parent / "seeds" / "seeds.jsonl"
    if not path.exists():
        pytest.skip(f"seed articles not found at {path} (set ENTNORM_DATA)")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
