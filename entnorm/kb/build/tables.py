"""The build's hand-made tables, read from the plain data files beside this module.

Reads: `entnorm/kb/build/data/*.yaml` and `*.csv`; each file starts with a comment saying what it is and why.
Writes nothing. YAML tables hold only strings (mapping keys included, so a bare `NO` that YAML would read
as false is an error, not Norway); CSV tables have a header row after their comment lines.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


class TableError(ValueError):
    """A data file that does not hold what the build expects."""


def _check_strings(value, where: str) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                raise TableError(f"{where}: key {k!r} is not a string (quote it)")
            _check_strings(v, f"{where}/{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_strings(v, f"{where}[{i}]")
    elif not isinstance(value, str):
        raise TableError(f"{where}: {value!r} is not a string (quote it)")


@lru_cache(maxsize=None)
def yaml_table(name: str):
    """The contents of data/<name> (a YAML mapping or list of strings). Shared: do not modify."""
    path = DATA_DIR / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    _check_strings(data, path.name)
    return data


@lru_cache(maxsize=None)
def csv_table(name: str) -> tuple[dict, ...]:
    """The rows of data/<name> as dicts keyed by its header, '#' comment lines skipped."""
    path = DATA_DIR / name
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return tuple(csv.DictReader(lines))
