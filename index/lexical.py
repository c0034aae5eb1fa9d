"""BM25 over the Vietnamese terms of ``ingest.tokens`` (words, folded syllables, bigrams).

bm25s does the scoring; the terms are ours, so documents and queries are analysed
the same way. The index is rebuilt in memory from the stored terms when an index
generation is opened (part of the 2.8 s it takes to open 10,000 clauses, see
docs/benchmarks.md), so there is no second on-disk format to keep in step with Chroma.
An index of no units (a fresh install, an empty corpus) scores every query as nothing.
"""

from __future__ import annotations

import logging

import numpy as np


class LexicalIndex:
    def __init__(self, unit_terms: list[list[str]]):
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs each build at DEBUG
        self.size = len(unit_terms)
        self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
        self._vocab: dict[str, int] = {}
        if self.size:  # bm25s cannot index an empty corpus
            self._bm25.index([t or ["∅"] for t in unit_terms], show_progress=False)
            self._vocab = self._bm25.vocab_dict

    def scores(self, query_terms: list[str], mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every unit for the query terms (unknown terms are ignored);
        ``mask`` (one bool per unit) zeroes the units a filter excludes, inside bm25s."""
        known = [t for t in query_terms if t in self._vocab]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        weights = None if mask is None else mask.astype(np.float32)
        return np.asarray(self._bm25.get_scores(known, weight_mask=weights), dtype=np.float32)
