"""The wheel is the product: built from this checkout, installed into a clean virtual environment (no source
checkout on the path), it must ship its gazetteer and model and link the example articles to QIDs."""
import json
import os
import re
import site
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from annotate_support import HAS_MODEL, PROJECT_DIR


def test_every_package_is_listed():
    """pyproject lists packages by hand (for the gazetteer mapping): a new subpackage must be added there."""
    listed = set(tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(PROJECT_DIR).parts) for p in (PROJECT_DIR / "entnorm").rglob("__init__.py")}
    assert found <= listed and "entnorm.gazetteer" in listed


@pytest.mark.skipif(not HAS_MODEL, reason="no NER model in the checkout")
def test_wheel_in_a_clean_venv_links_the_examples(tmp_path):
    run = lambda *cmd, **kw: subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)  # noqa: E731
    run(sys.executable, "-m", "pip", "wheel", str(PROJECT_DIR), "--no-deps", "-q", "-w", str(tmp_path / "dist"))
    wheel = next((tmp_path / "dist").glob("entnorm-*.whl"))
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", str(venv))
    run(sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps", "--no-index",
        "-q", str(wheel))
    # the dependencies (torch, transformers, ...) come from this environment: its site-packages are appended
    # after the venv's own, so the installed wheel, not this checkout, is what gets imported
    venv_site = next(venv.glob("lib/python*/site-packages"))
    (venv_site / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("ENTNORM_GAZETTEER", "PYTHONPATH")}
    env["ENTNORM_DATA"] = str(tmp_path / "no-shared-data")
    where = run(str(venv / "bin" / "python"), "-c", "import entnorm.settings as s; print(s.gazetteer_dir())",
                cwd=tmp_path, env=env).stdout.strip()
    assert where.startswith(str(venv)), where
    out = tmp_path / "out.jsonl"
    run(str(venv / "bin" / "entnorm"), "annotate", str(PROJECT_DIR / "examples" / "news.jsonl"), "-o", str(out),
        "--quiet", cwd=tmp_path, env=env)
    entities = {e["text"]: e["id"] for line in out.read_text().splitlines() for e in json.loads(line)["entities"]}
    for name in ("Andrei Belousov", "Belousov", "Kim Jong-un", "Pyongyang"):
        assert re.fullmatch(r"Q\d+", entities.get(name, "")), (name, entities.get(name))
