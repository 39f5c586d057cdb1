"""Where entnorm reads shared data and keeps its cache. Every path is an environment setting."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def data_dir() -> Path:
    """Shared corpora and gazetteer sources (never copied into git). ENTNORM_DATA, default ../shared/data."""
    return Path(os.environ.get("ENTNORM_DATA", PROJECT_DIR.parent / "shared" / "data"))


def cache_dir() -> Path:
    """User cache for the rebuilt base encoder and compiled gazetteer. ENTNORM_CACHE, default ~/.cache/entnorm."""
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "entnorm"
    path = Path(os.environ.get("ENTNORM_CACHE", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


def gazetteer_dir() -> Path:
    """Human-editable YAML gazetteer. ENTNORM_GAZETTEER, else the one shipped inside the installed package
    (`entnorm/gazetteer/`, mapped from the top-level `gazetteer/` when the wheel is built), else the source
    checkout's top-level `gazetteer/` (editable installs)."""
    if "ENTNORM_GAZETTEER" in os.environ:
        return Path(os.environ["ENTNORM_GAZETTEER"])
    packaged = PACKAGE_DIR / "gazetteer"
    return packaged if packaged.is_dir() else PROJECT_DIR / "gazetteer"
