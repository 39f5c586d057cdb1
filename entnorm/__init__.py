"""entnorm: find PER/LOC/ORG mentions in Indonesian news and link every spelling to one canonical ID.

    import entnorm
    nlp = entnorm.load()                       # shipped NER model + project gazetteer
    doc = nlp("Menteri Pertahanan Rusia, Andrei Belousov, bertemu Kim Jong Un.")
    [(e.text, e.label, e.id, e.method) for e in doc.entities]
    nlp.pipe(texts_or_records, batch_size=64)  # stream; records {"text", "entities"} are linked only
    entnorm.annotate_stream(nlp, records, sink)  # a corpus: per-record errors, corpus-level NIL IDs

The names below are imported lazily: `import entnorm` loads neither torch nor the gazetteer.
"""
from __future__ import annotations

from importlib import import_module

__all__ = ["load", "Pipeline", "Doc", "Span", "Link", "SpanError", "annotate_stream", "reconcile", "__version__"]
_LAZY = {"load": "pipeline", "Pipeline": "pipeline", "Doc": "doc", "Span": "doc", "Link": "doc", "SpanError": "doc",
         "annotate_stream": "stream", "reconcile": "link.nil"}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("entnorm")
    except PackageNotFoundError:  # running from a source checkout
        import re
        from pathlib import Path

        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        found = pyproject.is_file() and re.search(r'^version\s*=\s*"([^"]+)"', pyproject.read_text(), re.M)
        return found.group(1) if found else "0+unknown"


__version__ = _version()


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
