"""sentence-transformers models, loaded from a local path (or a name the local cache has).

Optional: ``pip install 'tracuu[st]'``. Never downloads: HF_HUB_OFFLINE is set before
the library is imported, so a name that is not cached fails instead of fetching.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from index.errors import ConfigError, MissingExtra


class SbertEmbedder:
    def __init__(self, model: str, batch: int = 32):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise MissingExtra("the 'sbert' embedder needs sentence-transformers: pip install 'tracuu[st]'") from e
        try:
            self._model = SentenceTransformer(model, device="cpu", local_files_only=True)
        except OSError as e:
            raise ConfigError(f"sentence-transformers model {model!r} not found locally (no downloads here): {e}") from e
        self.name = f"sbert:{Path(model).name if os.path.isdir(model) else model}"
        dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dim())
        self._batch = batch

    def passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        v = self._model.encode(texts, batch_size=self._batch, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(v, dtype=np.float32)

    def query(self, text: str) -> np.ndarray:
        v = self._model.encode([text], normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(v[0], dtype=np.float32)
