"""Linking: candidates (candidates.py) -> per-document decision (linker.py, weights in policy.py) -> context
links (context.py) -> NIL keys, IDs and corpus clustering (nil.py)."""
from .linker import Linker
from .nil import CorpusNil, NilClusterer, reconcile
from .policy import Policy

__all__ = ["Linker", "Policy", "CorpusNil", "NilClusterer", "reconcile"]
