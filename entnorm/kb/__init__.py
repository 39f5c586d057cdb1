"""The knowledge base: record schema (schema.py), compiled index with a query API (index.py), YAML loader with a
compiled cache (loader.py), gazetteer spotter (spotter.py) and the builder (`python -m entnorm.kb.build`)."""
from .index import KnowledgeBase
from .loader import GazetteerNotFound, load_kb
from .schema import Entity

__all__ = ["KnowledgeBase", "GazetteerNotFound", "load_kb", "Entity"]
