"""The dense store: one Chroma collection per index and embedder, keyed by the units'
content hashes and shared by its generations; and exact search over a filtered subset.

- A vector is stored once per distinct embedded text, under that text's hash (``Unit.hash``).
  A build adds only the hashes the generation in service does not have (an upload to a large
  index adds its own clauses, not the index again), and once the new generation is published
  deletes the hashes only the old one used. The collection holds ids and embeddings only: our
  clause texts and metadata live in the generation, and Chroma's full-text index over stored
  documents tripled the time to add a vector (10,000 vectors: 10.1 s with texts and metadata,
  3.0 s without).
- Unfiltered queries on an index above ``search.EXACT_UP_TO`` units go to the collection's
  HNSW index and ask for ids and distances only (smaller ones are searched exactly, as filtered
  queries are, for the same cost and a ranking that does not depend on how the graph was
  filled); an engine maps each hash to its own units and skips hashes its generation does not have (the
  moment between a build's publication and the old engine's replacement).
- Filtered queries (a document, a section, an agency's clauses) are exact: cosine over the
  allowed rows of the generation's own ``vectors.npy`` (memory-mapped, row for row with its
  units). Every hit satisfies the filter and none is lost to a candidate pool, at any corpus
  size; a Chroma ``where`` filter instead scans its matches one by one (at 50,000 vectors,
  89 ms for a filter matching half of them and 40 ms for one matching 250, against 3 ms and
  0.06 ms here; docs/benchmarks.md).

Generations written before the collection was shared have one collection each, keyed by
clause id (``keys`` absent from their manifest); they open and search as they did.

Chroma runs embedded (``PersistentClient`` under the data dir) or as a server
(``chroma run``; pass its URL). Telemetry is off, and Chroma's own embedding
function is never used: every vector comes from our embedder, so nothing downloads.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from index.build.layout import DataDir
from index.errors import ConfigError

log = logging.getLogger(__name__)


def open_client(data_dir: Path, chroma_url: str | None = None):
    """An embedded client under ``data_dir/chroma``, or an HTTP client for ``chroma_url``."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        u = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        if not u.hostname:
            raise ConfigError(f"TRACUU_CHROMA_URL {chroma_url!r} has no host")
        return chromadb.HttpClient(host=u.hostname, port=u.port or 8000, ssl=u.scheme == "https", settings=settings)
    folder = DataDir(data_dir).chroma
    folder.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(folder), settings=settings)


@dataclass
class Neighbour:
    """A vector store result: the stored id (a content hash) and its cosine similarity."""

    id: str
    score: float  # cosine similarity


def shared_name(owner: str, embedder: str, dim: int) -> str:
    """The collection of an index (``owner``: its ``index-id``) and an embedder.

    >>> shared_name("0123456789abcdef0123", "e5", 384)
    'tracuu-0123456789abcdef-11ad19fa'
    """
    return f"tracuu-{owner[:16]}-{hashlib.sha1(f'{embedder}:{dim}'.encode()).hexdigest()[:8]}"


class VectorStore:
    """A collection of vectors: the index's shared one (ids are content hashes) or a
    generation's own from before (ids are clause ids, with metadata)."""

    def __init__(self, client, name: str, create: bool = False, meta: dict | None = None):
        if create:
            self.collection = client.get_or_create_collection(
                name, metadata={"hnsw:space": "cosine", **(meta or {})}, embedding_function=None)
        else:
            self.collection = client.get_collection(name, embedding_function=None)
        self.name = name
        self._count: int | None = None  # cached by a searching engine: it only queries

    def count(self, fresh: bool = False) -> int:
        """The number of vectors stored (read once, or again when ``fresh``)."""
        if self._count is None or fresh:
            self._count = self.collection.count()
        return self._count

    def upsert(self, ids: list[str], vectors: np.ndarray, batch: int = 1000) -> None:
        for i in range(0, len(ids), batch):
            self.collection.upsert(ids=ids[i : i + batch], embeddings=vectors[i : i + batch])

    def delete(self, ids: list[str], batch: int = 5000) -> None:
        for i in range(0, len(ids), batch):
            self.collection.delete(ids=ids[i : i + batch])

    def ids(self, page: int = 10000) -> set[str]:
        """Every id stored (a build's sweep of vectors no generation uses)."""
        out: set[str] = set()
        for offset in range(0, self.collection.count(), page):
            out.update(self.collection.get(include=[], limit=page, offset=offset)["ids"])
        return out

    def query(self, vector: np.ndarray, k: int) -> list[Neighbour]:
        if not self.count():
            return []
        res = self.collection.query(query_embeddings=[vector], n_results=min(k, self.count()), include=["distances"])
        return [Neighbour(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]  # cosine space

    def embeddings_by_hash(self) -> dict[str, np.ndarray]:
        """A generation's own collection from before (clause ids, hashes in metadata): every
        vector by its unit's content hash, for re-use by the next build."""
        out: dict[str, np.ndarray] = {}
        total = self.collection.count()
        for offset in range(0, total, 5000):
            got = self.collection.get(include=["embeddings", "metadatas"], limit=5000, offset=offset)
            for meta, emb in zip(got["metadatas"], got["embeddings"]):
                if meta and "hash" in meta:
                    out[meta["hash"]] = np.asarray(emb, dtype=np.float32)
        return out


def nearest(matrix: np.ndarray, vector: np.ndarray, mask: np.ndarray, k: int) -> list[int]:
    """The ``k`` rows of ``matrix`` (L2-normalised, one per unit) allowed by ``mask`` that are
    nearest to ``vector`` by cosine, best first, ties by position.

    Rows under one document or section are contiguous, so only the span between the first and
    the last allowed row is read; a sparse mask (an agency's clauses) reads just its rows."""
    rows = np.flatnonzero(mask)
    if not len(rows) or not len(matrix):
        return []
    lo, hi = int(rows[0]), int(rows[-1]) + 1
    if len(rows) * 8 < hi - lo:
        sims = np.asarray(matrix[rows], dtype=np.float32) @ vector
    else:
        sims = np.where(mask[lo:hi], np.asarray(matrix[lo:hi]) @ vector, -np.inf)
        rows = np.arange(lo, hi)
    n = min(k, int(np.count_nonzero(np.isfinite(sims))))
    top = np.argpartition(-sims, n - 1)[:n]
    return [int(rows[i]) for i in top[np.lexsort((top, -sims[top]))]]
