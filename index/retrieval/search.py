"""Hybrid retrieval: BM25 and dense ranks fused by reciprocal rank fusion, then
de-duplicated so a clause and its own parent item do not both fill the top.

Filters bind every ranking: they become one mask over the units (document and section
masks are computed once per value with numpy and kept), which bm25s applies inside its
scoring, the dense ranker searches exactly (``index.retrieval.vector.nearest``) and the agency
ranking is cut by. So every result satisfies every filter, at any corpus size. Unfiltered, the
dense ranker is exact up to ``EXACT_UP_TO`` units and asks Chroma's HNSW index above that.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from index.retrieval.diacritics import Restorer
from index.retrieval.lexical import LexicalIndex
from index.retrieval.query import Query
from index.retrieval.vector import VectorStore, nearest
from ingest.expand import expand

RRF_K = 60
POOL = 100  # candidates taken from each ranker
DENSE_WEIGHT = 1.0  # the dense ranking's weight (lexical = 1); 0.6, 0.8 and 1.0 score the same on our gold set
DENSE_WEIGHT_UNMARKED = 0.5  # the dense model reads queries without diacritics less well
# A question in English: e5 is multilingual and matches it to Vietnamese text, where BM25 finds
# only the few words ``expand`` translates, so the dense ranking leads. On the legal set's 19
# English questions, article hit@5 0.21 (read as unmarked Vietnamese), 0.37 at weight 1, 0.53 at
# 2, 0.63 at 4 and with the dense ranking alone; the plan's 9 go from 7 to 8 right first.
DENSE_WEIGHT_ENGLISH = 4.0
AGENCY_WEIGHT = 1.0
# Up to this many units, unfiltered dense search is exact too (cosine over ``vectors.npy``):
# at 20,000 rows it takes about 1 ms, less than a Chroma HNSW query (about 2 ms), ranks every
# row, and gives the same ranking however the collection was filled (an HNSW graph filled in
# another order can rank the tail of the pool differently). Above it Chroma's HNSW serves.
EXACT_UP_TO = 20_000
FOREIGN_CAP = 1000  # at most this many more dense candidates, for vectors this generation does not use


@dataclass
class Ranked:
    unit: int  # index into the generation's unit list
    score: float
    lexical_rank: int | None
    dense_rank: int | None


@dataclass
class Filters:
    doc: str | None = None
    section: str | None = None  # a path prefix of whole numbers: "III", "III.8", "Điều 5" (not "II" for "III")
    units: set[int] | None = None  # allowed units (e.g. an agency's clauses)

    @property
    def active(self) -> bool:
        return bool(self.doc or self.section or self.units is not None)


class HybridSearcher:
    def __init__(self, units: list[dict], lexical: LexicalIndex, vectors: VectorStore | None, embed_query,
                 embeddings: np.ndarray | None = None, restorer: Restorer | None = None, keys: str = "id",
                 exact_up_to: int = EXACT_UP_TO):
        self.units = units
        self.exact_up_to = exact_up_to
        self.lexical = lexical
        self.vectors = vectors  # the generation's Chroma collection (unfiltered queries)
        self.embeddings = embeddings  # its vectors, row for row with the units (filtered queries)
        self.embed_query = embed_query  # str -> np.ndarray
        self._row = {u["id"]: i for i, u in enumerate(units)}
        # What the collection's ids are: content hashes (shared by generations) or clause ids.
        self._key_row = self._row if keys == "id" else {}
        self._more: dict[str, list[int]] = {}  # units beyond the first with the same embedded text
        if keys == "hash":
            for i, u in enumerate(units):
                if self._key_row.setdefault(u["hash"], i) != i:
                    self._more.setdefault(u["hash"], []).append(i)
        self.restorer = restorer or Restorer.of_units(units)  # a generation saves its own
        docs = np.array([u["doc_id"] for u in units], dtype=str)
        paths = np.array([u["path"] for u in units], dtype=str)

        @lru_cache(maxsize=256)
        def scope(doc: str | None, section: str | None) -> np.ndarray:
            m = np.ones(len(units), dtype=bool)
            if doc:
                m &= docs == doc
            if section:
                m &= (paths == section) | np.char.startswith(paths, section + ".") | np.char.startswith(paths, section + "/")
            m.flags.writeable = False
            return m

        self._scope = scope

    def mask(self, filters: Filters) -> np.ndarray | None:
        """One bool per unit: what ``filters`` allow (None: no filter)."""
        if not filters.active:
            return None
        m = self._scope(filters.doc or None, (filters.section or "").strip().rstrip(".") or None)
        if filters.units is not None:
            m = m & self._rows_mask(filters.units)
        return m

    def _rows_mask(self, rows: set[int]) -> np.ndarray:
        m = np.zeros(len(self.units), dtype=bool)
        m[np.fromiter(rows, dtype=np.int64, count=len(rows))] = True
        return m

    def lexical_ranking(self, s: np.ndarray) -> list[int]:
        """The pool of best-scoring units (already masked), by score, then by position."""
        n = min(POOL, int(np.count_nonzero(s > 0)))
        if n == 0:
            return []
        top = np.argpartition(-s, n - 1)[:n]  # the pool without sorting every score (100,000 clauses)
        return [int(i) for i in top[np.lexsort((top, -s[top]))]]

    def dense_ranking(self, q: Query, mask: np.ndarray | None) -> list[int]:
        if self.vectors is None or not self.units:
            return []
        if q.vector is None:  # embedded once per query, however many searches an answer runs
            marked = q.diacritics or q.english  # English is embedded as written: restoring marks would garble it
            q.vector = self.embed_query(q.expanded if marked else expand(self.restorer.restore(q.text)))
        if mask is None and self.embeddings is not None and len(self.units) <= self.exact_up_to:
            mask = np.ones(len(self.units), dtype=bool)
        if mask is not None:
            return nearest(self.embeddings, q.vector, mask, POOL) if self.embeddings is not None else []
        rows, strays = self._nearest(q.vector, self.vectors.count())
        if strays and len(rows) < POOL:  # the collection changed since it was counted: count again
            rows, _ = self._nearest(q.vector, self.vectors.count(fresh=True))
        return rows[:POOL]

    def _nearest(self, vector: np.ndarray, stored: int) -> tuple[list[int], int]:
        """This generation's units nearest to ``vector``, and how many hits were not its own.

        The shared collection may also hold vectors of the generation published after this
        one (until this engine is replaced) or left by a killed build: as many more are asked for."""
        foreign = min(FOREIGN_CAP, max(0, stored - len(self._key_row)))
        rows: list[int] = []
        strays = 0
        for h in self.vectors.query(vector, POOL + foreign):
            i = self._key_row.get(h.id)
            if i is None:
                strays += 1
                continue
            rows.append(i)
            rows += self._more.get(h.id, ())
        return rows, strays

    def search(self, q: Query, k: int = 10, filters: Filters | None = None, mode: str = "hybrid",
               agency_units: set[int] | None = None) -> list[Ranked]:
        """Fuse the rankers. ``agency_units``: clauses of the agencies the query names; they
        form a third ranking (by lexical score, else in document order), so "Sở Y tế phải làm
        gì" prefers that Sở's items."""
        mask = self.mask(filters or Filters())
        s = self.lexical.scores(q.terms, mask) if mode in ("hybrid", "lexical") else None
        lex = self.lexical_ranking(s) if s is not None else []
        den = self.dense_ranking(q, mask) if mode in ("hybrid", "dense") else []
        dense_weight = DENSE_WEIGHT_ENGLISH if q.english else DENSE_WEIGHT if q.diacritics else DENSE_WEIGHT_UNMARKED
        rankings = [(lex, "lexical_rank", 1.0), (den, "dense_rank", dense_weight)]
        if agency_units and mode == "hybrid":
            rankings.append((self._agency_ranking(s, agency_units, mask), None, AGENCY_WEIGHT))
        fused: dict[int, Ranked] = {}
        for ranking, attr, weight in rankings:
            for r, i in enumerate(ranking, 1):
                hit = fused.setdefault(i, Ranked(i, 0.0, None, None))
                hit.score += weight / (RRF_K + r)
                if attr:
                    setattr(hit, attr, r)
        ranked = sorted(fused.values(), key=lambda h: -h.score)
        return self._dedupe(ranked, k)

    def _agency_ranking(self, s: np.ndarray, agency_units: set[int], mask: np.ndarray | None) -> list[int]:
        """The named agencies' units that the filters allow: those the query's words score, best
        first; when it scores none of them, all of them in document order."""
        allowed = self._rows_mask(agency_units) if mask is None else mask & self._rows_mask(agency_units)
        scored = self.lexical_ranking(np.where(allowed, s, 0))
        return scored or [int(i) for i in np.flatnonzero(allowed)[:POOL]]

    def row_of(self, clause_id: str) -> int | None:
        """The unit index of a clause (None for clauses with no own text)."""
        return self._row.get(clause_id)

    def support(self, q: Query, unit: int) -> float:
        """Share of the query's folded syllable bigrams that the unit contains (0..1).

        Dense similarities of e5 are compressed (unrelated questions still score ~0.83), so
        whether the corpus supports an answer is judged on shared wording instead."""
        bigrams = [t for t in q.terms if t.startswith("b:")]
        have = np.isin(self.lexical.ids(bigrams), self.lexical.unit_ids(unit))  # a term the corpus lacks is in no unit
        return int(np.count_nonzero(have)) / max(1, len(bigrams))

    def _dedupe(self, ranked: list[Ranked], k: int) -> list[Ranked]:
        """The first ``k``, dropping a bullet whose item ranks higher, or an item one of whose bullets does."""
        kept: list[Ranked] = []
        paths: set[tuple[str, str]] = set()  # (doc, path) of kept clauses
        items: set[tuple[str, str]] = set()  # (doc, item) they belong to
        for h in ranked:
            u = self.units[h.unit]
            if (u["doc_id"], u["item"]) in paths or (u["doc_id"], u["path"]) in items:
                continue
            kept.append(h)
            if len(kept) == k:
                break
            paths.add((u["doc_id"], u["path"]))
            items.add((u["doc_id"], u["item"]))
        return kept
