"""The engine: one opened index generation and everything read from it.

``Engine.open`` loads the manifest, the document trees, the units, the BM25 index, the
Chroma collection and the vectors, and the generation's own copies of the registry and the
catalog, once (never the live files in corpus/: what a generation was built with travels with
it). ``Engine.empty`` stands for a data dir with no index yet. The service keeps one engine
per app and opens a new one beside it when the manifest changes (``Engine.stale``).
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from index.agencies import Registry
from index.build.layout import DataDir
from index.build.rows import load_matrix
from index.build.store import load_document, load_units, read_manifest
from index.errors import IndexMismatch, IndexMissing, NotFound
from index.matrix import Matrix, build_matrix
from index.retrieval.diacritics import Restorer
from index.retrieval.embedders import Embedder, create_embedder, memoize
from index.retrieval.lexical import LexicalIndex
from index.retrieval.query import Query, analyze
from index.retrieval.search import EXACT_UP_TO, Filters, HybridSearcher, Ranked
from index.retrieval.vector import VectorStore, open_client
from ingest.catalog import Catalog, load_catalog
from ingest.deadlines import deadlines
from ingest.models import Clause, Document
from ingest.normalize import normalize_text


@dataclass
class Options:
    """What ``Engine.open`` needs from the settings (index never imports the service)."""

    data_dir: Path = Path("data")
    corpus_dir: Path = Path("corpus")  # what builds read; an engine reads only its generation
    embedder: str = "e5"
    embed_model: str | None = None
    chroma_url: str | None = None
    query_cache: int = 1024  # query embeddings memoised per engine (0 = off)
    exact_up_to: int = EXACT_UP_TO  # units up to which unfiltered dense search is exact (0: always Chroma's HNSW)


@dataclass
class Hit:
    """One search result: the clause, its document, and how it ranked."""

    clause: Clause
    doc: Document
    score: float
    lexical_rank: int | None = None
    dense_rank: int | None = None
    unit: dict = field(default_factory=dict)


class Engine:
    def __init__(self, options: Options, manifest: dict, documents: dict[str, Document], units: list[dict],
                 registry: Registry, catalog: Catalog, embedder: Embedder, vectors: VectorStore | None,
                 embeddings: np.ndarray | None = None, lexical: LexicalIndex | None = None,
                 restorer: Restorer | None = None, matrix: Matrix | None = None):
        self.options = options
        self.manifest = manifest
        self.documents = documents
        self.units = units
        self.registry = registry
        self.catalog = catalog
        self.embedder = embedder
        self.clauses: dict[str, Clause] = {c.id: c for d in documents.values() for c in d.clauses}
        embed = memoize(embedder.query, options.query_cache)
        lexical = lexical or LexicalIndex.build([u["terms"] for u in units])
        self.searcher = HybridSearcher(units, lexical, vectors, embed, embeddings, restorer, manifest.get("keys", "id"),
                                       options.exact_up_to)
        # the responsibility matrix: its rows saved by the build, or (older generations) built here
        self.matrix = matrix or build_matrix(documents, registry, units)
        self.registry = self.matrix.registry  # the registry's agencies and the documents' own bodies
        self._tasked_units = lru_cache(maxsize=256)(self._gather_tasked_units)  # agency id -> its units
        self._manifest_stat: tuple | None = None
        # What answer modules compute once per engine, under their own keys (crossref's aligner,
        # graph's document graph): dropped with the engine when a new generation is opened.
        self.memo: dict[str, object] = {}
        self._stale = False

    @property
    def generation(self) -> str | None:
        return self.manifest.get("generation")

    @classmethod
    def empty(cls, options: Options, embedder: Embedder | None = None) -> Engine:
        """The engine of a data dir with no index yet: no documents, every search empty.
        It is stale as soon as a build publishes a first generation."""
        embedder = embedder or create_embedder(options.embedder, options.embed_model)
        return cls(options, {}, {}, [], Registry([], []), Catalog(), embedder, None)

    @classmethod
    def open(cls, options: Options, embedder: Embedder | None = None) -> Engine:
        manifest = read_manifest(options.data_dir)
        if not manifest:
            raise IndexMissing("Chưa có chỉ mục: hãy chạy `tracuu ingest` trước (no index yet).")
        if "inputs" not in manifest:
            raise IndexMismatch("Chỉ mục được tạo bởi phiên bản cũ, chưa chứa bản sao danh mục cơ quan và danh mục văn "
                                "bản: hãy chạy lại `tracuu ingest` (vectơ được dùng lại, không nhúng lại).")
        embedder = embedder or create_embedder(options.embedder, options.embed_model)
        if embedder.name != manifest["embedder"] or embedder.dim != manifest["dim"]:
            raise IndexMismatch(
                f"Chỉ mục được tạo bằng mô hình {manifest['embedder']} ({manifest['dim']} chiều), nhưng mô hình đang "
                f"dùng là {embedder.name} ({embedder.dim} chiều): hãy chạy lại `tracuu ingest` với cùng mô hình."
            )
        if bool(manifest.get("chroma_url")) != bool(options.chroma_url):
            built, now = (("máy chủ Chroma", "Chroma nhúng") if manifest.get("chroma_url") else ("Chroma nhúng", "máy chủ Chroma"))
            raise IndexMismatch(f"Chỉ mục được tạo với {built}, nhưng cấu hình hiện dùng {now} (TRACUU_CHROMA_URL): "
                                "hãy chạy lại `tracuu ingest` với cấu hình này (vectơ được dùng lại, không nhúng lại).")
        gen = manifest["generation"]
        files = DataDir(options.data_dir).generation(gen)
        gc.disable()  # loading makes millions of objects and no cycles: no collection passes over them meanwhile
        try:
            documents = {d: load_document(options.data_dir, gen, d) for d in manifest["documents"]}
            units = load_units(options.data_dir, gen)
        finally:
            gc.enable()
        # Built once by the build that wrote the generation; one written before they were
        # saved has its terms in its units, and BM25 and the restorer are built from them.
        lexical = LexicalIndex.load(files.lexical) if LexicalIndex.saved(files.lexical) else None
        restorer = None
        if files.restore.exists():
            restorer = Restorer.load(files.restore)
            docs = {d: d for d in documents}
            for u in units:
                # The clause's text is in its document; the unit's own copy was for the restorer,
                # as were its headings (the builds read their units from the file). In memory a
                # unit keeps the nearest heading of its context.
                del u["text"]
                u.pop("embed_context", None)
                u.pop("section", None)
                u["context"] = u["context"].rsplit(" › ", 1)[-1]
                u["doc_id"] = docs.get(u["doc_id"], u["doc_id"])
        client = open_client(options.data_dir, options.chroma_url)
        vectors = VectorStore(client, manifest["collection"])
        embeddings = np.load(files.vectors, mmap_mode="r")  # filtered searches read only their rows
        registry = Registry.load(files.agencies)
        catalog = load_catalog(files.catalog)
        matrix = load_matrix(files.matrix, list(documents), registry, units)
        return cls(options, manifest, documents, units, registry, catalog, embedder, vectors, embeddings, lexical, restorer,
                   matrix)

    def stale(self) -> bool:
        """True when another build has swapped the manifest since this engine opened.

        Asked on every request: the manifest is read again only when its file changed
        (a build replaces it, so its inode and mtime change); once stale, always stale."""
        if self._stale:
            return True
        try:
            st = os.stat(DataDir(self.options.data_dir).manifest)
        except FileNotFoundError:
            return False
        seen = (st.st_ino, st.st_mtime_ns, st.st_size)
        if seen == self._manifest_stat:
            return False
        m = read_manifest(self.options.data_dir)
        if bool(m) and m.get("generation") != self.manifest.get("generation"):
            self._stale = True
            return True
        self._manifest_stat = seen
        return False

    # --- search -------------------------------------------------------------------------

    def search(self, q: str | Query, k: int = 10, doc: str | None = None, section: str | None = None,
               agency: str | None = None, mode: str = "hybrid") -> list[Hit]:
        query = q if isinstance(q, Query) else analyze(q)
        if doc and doc not in self.documents:
            raise NotFound(f"Không có văn bản '{doc}' trong chỉ mục.")
        units = None
        if agency:
            units = self.matrix.unit_rows_for(agency)
        ranked = self.searcher.search(query, k, Filters(doc, section, units), mode, self.named_agency_units(query))
        return [self.hit(r) for r in ranked]

    @cached_property
    def dated_units(self) -> set[int]:
        """Units of the clauses that state a time, which answer a question that asks when: a
        body's dated row, or a time anywhere in a clause's own text, whoever it names ("Bản tin …
        được đăng tải vào ngày 15 …", "Thời hiệu xử lý kỷ luật là 05 năm"); read when the units
        are made (``index.build.units``), or here for an index made before they were."""
        m = self.matrix
        out = {m.unit_row[r.clause_id] for r in m.rows if r.deadlines and r.clause_id in m.unit_row}
        for i, u in enumerate(self.units):
            if "dated" not in u:
                c = self.clauses[u["id"]]
                u["dated"] = c.kind != "preamble" and bool(deadlines(normalize_text(c.own_text)))
            if u["dated"]:
                out.add(i)
        return out

    def named_agency_units(self, query: Query) -> set[int]:
        """Units whose tasks belong to an agency the query names (or to its predecessors)."""
        out: set[int] = set()
        for agency, _, _ in self.registry.find(query.expanded):  # with its marks: "chỉ số tài chính" is no Sở Tài chính
            out |= self._tasked_units(agency.id)
        return out

    def _gather_tasked_units(self, agency_id: str) -> frozenset[int]:
        """An agency's units (not the catch-alls it is covered by); kept per engine
        (``_tasked_units``): at 100,000 clauses a province's Sở has tens of thousands of rows
        (20 ms to gather each time)."""
        return frozenset(self.matrix.unit_row[r.clause_id] for r, why in self.matrix.for_agency(agency_id)
                         if why != "catch-all" and r.clause_id in self.matrix.unit_row)

    def hit(self, r: Ranked) -> Hit:
        u = self.units[r.unit]
        return Hit(self.clauses[u["id"]], self.documents[u["doc_id"]], r.score, r.lexical_rank, r.dense_rank, u)

    # --- look-ups -----------------------------------------------------------------------

    def document(self, doc_id: str) -> Document:
        if doc_id not in self.documents:
            raise NotFound(f"Không có văn bản '{doc_id}'.")
        return self.documents[doc_id]

    def clause(self, clause_id: str) -> Clause:
        if clause_id not in self.clauses:
            raise NotFound(f"Không có điều khoản '{clause_id}'.")
        return self.clauses[clause_id]

    def item_clause(self, clause: Clause) -> Clause:
        """The numbered item a bullet belongs to (itself otherwise)."""
        return self.clauses.get(clause.parent) if clause.kind == "bullet" and clause.parent else clause

    def agencies_of(self, clause: Clause) -> list[str]:
        """Names (as written) of the agencies the matrix assigns to a clause or its bullets."""
        return list(dict.fromkeys(r.agency_name for r in self.matrix.rows_of(clause)))
