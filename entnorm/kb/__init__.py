"""The knowledge base: record schema (schema.py), in-memory index with a query API (index.py), the compiled
memory-mapped store with the same API (store.py, store_compile.py; docs/kb.md), layers of several (layered.py),
YAML loader with a compiled cache (loader.py), gazetteer spotter (spotter.py) and the builder
(`python -m entnorm.kb.build`)."""
from .index import KnowledgeBase
from .layered import LayeredKnowledgeBase
from .loader import GazetteerNotFound, load_kb
from .schema import Entity
from .store import MappedKnowledgeBase, StoreError, compile_store, open_store

__all__ = ["KnowledgeBase", "MappedKnowledgeBase", "LayeredKnowledgeBase", "GazetteerNotFound", "StoreError",
           "load_kb", "compile_store", "open_store", "Entity"]
