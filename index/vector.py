"""The dense store: one Chroma collection per index generation, written through
llama-index's ``ChromaVectorStore`` with embeddings we compute ourselves.

Queries go to the Chroma collection directly and ask for ids and distances only:
llama-index's query also fetches every hit's text and metadata and rebuilds a node from
each, which cost 8 ms of a 27 ms search on the plan (2 ms without).

Chroma runs embedded (``PersistentClient`` under the data dir) or as a server
(``chroma run``; pass its URL). Telemetry is off, and Chroma's own embedding
function is never used: every vector comes from our embedder, so nothing downloads.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from index.errors import ConfigError

log = logging.getLogger(__name__)


def pin_llama_index(embedder) -> None:
    """Point llama-index's global defaults at our embedder and at no LLM.

    Its defaults are OpenAI models; setting both explicitly means no llama-index code
    path can reach for a network API, even one we do not call today."""
    from llama_index.core import Settings
    from llama_index.core.embeddings import BaseEmbedding
    from llama_index.core.llms import MockLLM

    class Adapter(BaseEmbedding):
        def _get_query_embedding(self, query: str) -> list[float]:
            return embedder.query(query).tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return embedder.passages([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return embedder.passages(texts).tolist()

    Settings.embed_model = Adapter(model_name=embedder.name)
    Settings.llm = MockLLM()


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
    (data_dir / "chroma").mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=settings)


@dataclass
class Hit:
    id: str
    score: float  # cosine similarity


class VectorStore:
    """One generation's collection. Metadata per unit: doc_id, path, item, section, hash."""

    def __init__(self, client, name: str, create: bool = False, meta: dict | None = None):
        from llama_index.vector_stores.chroma import ChromaVectorStore

        if create:
            self.collection = client.create_collection(name, metadata={"hnsw:space": "cosine", **(meta or {})}, embedding_function=None)
        else:
            self.collection = client.get_collection(name, embedding_function=None)
        self.store = ChromaVectorStore(chroma_collection=self.collection)
        self.name = name
        self._count: int | None = None  # a generation's collection does not change once published

    def add(self, ids: list[str], texts: list[str], vectors: np.ndarray, metas: list[dict], batch: int = 1000) -> None:
        from llama_index.core.schema import TextNode

        for i in range(0, len(ids), batch):
            nodes = [
                TextNode(id_=ids[j], text=texts[j], embedding=vectors[j].tolist(), metadata=metas[j],
                         excluded_embed_metadata_keys=list(metas[j]), excluded_llm_metadata_keys=list(metas[j]))
                for j in range(i, min(i + batch, len(ids)))
            ]
            self.store.add(nodes)

    def query(self, vector: np.ndarray, k: int, doc_id: str | None = None) -> list[Hit]:
        if self._count is None:
            self._count = self.collection.count()
        res = self.collection.query(query_embeddings=[vector], n_results=max(1, min(k, self._count)),
                                    where={"doc_id": doc_id} if doc_id else None, include=["distances"])
        return [Hit(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]  # cosine space

    def embeddings_by_hash(self) -> dict[str, np.ndarray]:
        """Every stored vector keyed by its unit's content hash (for re-use by the next build)."""
        out: dict[str, np.ndarray] = {}
        total = self.collection.count()
        for offset in range(0, total, 5000):
            got = self.collection.get(include=["embeddings", "metadatas"], limit=5000, offset=offset)
            for meta, emb in zip(got["metadatas"], got["embeddings"]):
                if meta and "hash" in meta:
                    out[meta["hash"]] = np.asarray(emb, dtype=np.float32)
        return out
