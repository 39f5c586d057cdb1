"""Wikidata JSON dump -> entnorm knowledge-base records (docs/kb.md, "Wikidata import").

    from entnorm.kb.wikidata import build, BuildOptions, iter_records
    build(["latest-all.json.gz"], "kb/", BuildOptions(workers=8))   # or: entnorm kb build latest-all.json.gz -o kb/
    for rec in iter_records("kb/"): ...                                # schema records (entnorm/kb/schema.py)

Modules: dump.py reads the (compressed) dump as blocks of lines; scan.py is the worker that parses a block;
entity.py extracts names, statements and the prior from one entity; classes.py holds the class map (classes.yaml)
and its P279 closure; report.py counts and prints; records.py writes and reads records; build.py runs it all.
"""
from .build import MANIFEST, BuildOptions, build
from .records import RECORDS, iter_records
from .classes import load_class_map
from .entity import DEFAULT_LANGS, prior_from_sitelinks

__all__ = ["build", "BuildOptions", "iter_records", "load_class_map", "prior_from_sitelinks", "DEFAULT_LANGS",
           "RECORDS", "MANIFEST"]
