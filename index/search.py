"""Hybrid retrieval: BM25 and dense ranks fused by reciprocal rank fusion, then filtered
and de-duplicated so a clause and its own parent item do not both fill the top.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.lexical import LexicalIndex
from index.query import Query
from index.restore import Restorer
from index.vector import VectorStore
from ingest.expand import expand

RRF_K = 60
POOL = 100  # candidates taken from each ranker
DENSE_WEIGHT = 1.0  # the dense ranking's weight (lexical = 1); 0.6, 0.8 and 1.0 score the same on our gold set
DENSE_WEIGHT_UNMARKED = 0.5  # the dense model reads queries without diacritics less well
AGENCY_WEIGHT = 1.0


@dataclass
class Ranked:
    unit: int  # index into the generation's unit list
    score: float
    lexical_rank: int | None
    dense_rank: int | None


@dataclass
class Filters:
    doc: str | None = None
    section: str | None = None  # a path prefix: "III", "III.8", "Điều 5"
    units: set[int] | None = None  # allowed units (e.g. an agency's clauses)

    @property
    def active(self) -> bool:
        return bool(self.doc or self.section or self.units is not None)

    def allows(self, unit: dict, i: int) -> bool:
        if self.doc and unit["doc_id"] != self.doc:
            return False
        if self.section and not _under(unit["path"], self.section):
            return False
        return self.units is None or i in self.units


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "/")


class HybridSearcher:
    def __init__(self, units: list[dict], lexical: LexicalIndex, vectors: VectorStore | None, embed_query):
        self.units = units
        self.lexical = lexical
        self.vectors = vectors
        self.embed_query = embed_query  # str -> np.ndarray
        self._row = {u["id"]: i for i, u in enumerate(units)}
        self._term_sets: dict[int, set[str]] = {}
        self.restorer = Restorer([u["text"] for u in units] + [u["context"] for u in units])

    def lexical_ranking(self, q: Query, filters: Filters) -> list[int]:
        s = self.lexical.scores(q.terms)
        if filters.active:  # filter first, so a narrow filter still gets a full pool at any corpus size
            s = np.where(np.fromiter((filters.allows(u, i) for i, u in enumerate(self.units)), bool, len(s)), s, 0)
        n = min(POOL, int(np.count_nonzero(s > 0)))
        if n == 0:
            return []
        top = np.argpartition(-s, n - 1)[:n]  # the pool without sorting every score (100,000 clauses)
        return [int(i) for i in top[np.lexsort((top, -s[top]))]]  # by score, then by position

    def dense_ranking(self, q: Query, filters: Filters) -> list[int]:
        if self.vectors is None:
            return []
        if q.vector is None:  # embedded once per query, however many searches an answer runs
            q.vector = self.embed_query(q.expanded if q.diacritics else expand(self.restorer.restore(q.text)))
        hits = self.vectors.query(q.vector, POOL, doc_id=filters.doc)
        rows = (self._row.get(h.id) for h in hits)
        return [i for i in rows if i is not None and filters.allows(self.units[i], i)]

    def search(self, q: Query, k: int = 10, filters: Filters | None = None, mode: str = "hybrid",
               agency_units: set[int] | None = None) -> list[Ranked]:
        """Fuse the rankers. ``agency_units``: clauses of the agencies the query names; they
        form a third ranking (in lexical order), so "Sở Y tế phải làm gì" prefers that Sở's items."""
        filters = filters or Filters()
        lex = self.lexical_ranking(q, filters) if mode in ("hybrid", "lexical") else []
        den = self.dense_ranking(q, filters) if mode in ("hybrid", "dense") else []
        rankings = [(lex, "lexical_rank", 1.0), (den, "dense_rank", DENSE_WEIGHT if q.diacritics else DENSE_WEIGHT_UNMARKED)]
        if agency_units and mode == "hybrid":
            rankings.append(([i for i in lex if i in agency_units] or sorted(agency_units), None, AGENCY_WEIGHT))
        fused: dict[int, Ranked] = {}
        for ranking, attr, weight in rankings:
            for r, i in enumerate(ranking, 1):
                hit = fused.setdefault(i, Ranked(i, 0.0, None, None))
                hit.score += weight / (RRF_K + r)
                if attr:
                    setattr(hit, attr, r)
        ranked = sorted(fused.values(), key=lambda h: -h.score)
        return self._dedupe(ranked, k)

    def row_of(self, clause_id: str) -> int | None:
        """The unit index of a clause (None for clauses with no own text)."""
        return self._row.get(clause_id)

    def support(self, q: Query, unit: int) -> float:
        """Share of the query's folded syllable bigrams that the unit contains (0..1).

        Dense similarities of e5 are compressed (unrelated questions still score ~0.83), so
        whether the corpus supports an answer is judged on shared wording instead."""
        bigrams = [t for t in q.terms if t.startswith("b:")]
        have = self._terms(unit)
        return sum(t in have for t in bigrams) / max(1, len(bigrams))

    def _terms(self, unit: int) -> set[str]:
        cached = self._term_sets.get(unit)
        if cached is None:
            cached = self._term_sets[unit] = set(self.units[unit]["terms"])
        return cached

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
