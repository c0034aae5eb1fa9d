"""BM25 over the Vietnamese terms of ``ingest.tokens`` (words, folded syllables, bigrams),
and each unit's terms as compact ids.

bm25s does the scoring; the terms are ours, so documents and queries are analysed the same
way. A build encodes every unit's terms once against one vocabulary (term → id): the ids
of all units in one int32 array with offsets (``terms.ids.npy``, ``terms.indptr.npy``), and
bm25s indexes those same ids. Both are saved in the generation (``lexical/``) and opened
memory-mapped, so opening an index reads a vocabulary and maps a few arrays instead of
building BM25 again; a unit's terms cost 4 bytes each, not a Python string each.
An index of no units (a fresh install, an empty corpus) scores every query as nothing.
"""

from __future__ import annotations

import json
import logging

import numpy as np

from index.build.layout import LexicalFiles

EMPTY = "∅"  # the term of a unit with no terms (bm25s cannot index an empty document)


def _bm25():
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs each build at DEBUG
    return bm25s


def _index(rows: list[np.ndarray], vocab: dict[str, int]):
    """bm25s over units given as arrays of term ids, its score matrix built in whole-array steps.

    bm25s counts each document's terms in a Python loop (``Counter`` per document, a set
    intersection per document for the document frequencies): 0.8 s of an upload to a
    10,000-clause index, which has to index every unit again because every score depends on
    the corpus's size, average length and document frequencies. Its ``build_index_from_ids``
    is documented as the method to override for another way of building; this one computes the
    same (document, term, tf) triples with ``np.unique`` and scores them with bm25s's own idf
    and tf functions, then builds the matrix with bm25s's own CSC step."""
    bm25s = _bm25()
    from bm25s.scoring import _select_idf_scorer, _select_tfc_scorer

    class _WholeArrays(bm25s.BM25):
        def build_index_from_ids(self, unique_token_ids, corpus_token_ids, show_progress=True, leave_progress=False):
            if self.method not in ("lucene", "robertson", "atire"):  # those with no non-occurrence term
                return super().build_index_from_ids(unique_token_ids, corpus_token_ids, show_progress, leave_progress)
            self.nonoccurrence_array = None
            n_docs, n_vocab = len(rows), len(vocab)
            lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=n_docs)
            doc = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
            pairs, tf = np.unique(doc * n_vocab + np.concatenate(rows).astype(np.int64), return_counts=True)
            d, t = pairs // n_vocab, pairs % n_vocab
            df = np.bincount(t, minlength=n_vocab)
            idf_of = _select_idf_scorer(self.idf_method)
            idf = np.zeros(n_vocab, dtype=self.dtype)
            for term in np.flatnonzero(df):
                idf[term] = idf_of(int(df[term]), N=n_docs)
            tfc = _select_tfc_scorer(self.method)(tf_array=tf.astype(self.dtype), l_d=lengths[d], l_avg=lengths.mean(),
                                                  k1=self.k1, b=self.b, delta=self.delta)
            scores = (idf[t] * tfc).astype(self.dtype)
            data, indices, indptr = self._np_csc(data=scores, rows=d.astype(self.int_dtype), cols=t.astype(self.int_dtype),
                                                 shape=(n_docs, n_vocab))
            return {"data": data.astype(self.dtype), "indices": indices, "indptr": indptr, "num_docs": n_docs}

    bm25 = _WholeArrays(k1=1.2, b=0.75)
    bm25.index((rows, dict(vocab)), create_empty_token=False, show_progress=False)
    return bm25


class LexicalIndex:
    def __init__(self, bm25, vocab: dict[str, int], indptr: np.ndarray, ids: np.ndarray):
        self._bm25 = bm25  # None when there are no units
        self._vocab = vocab
        self._indptr = indptr  # unit i's term ids: ids[indptr[i]:indptr[i + 1]], in text order
        self._ids = ids
        self.size = len(indptr) - 1

    @classmethod
    def build(cls, unit_terms: list[list[str] | int], base: LexicalIndex | None = None) -> LexicalIndex:
        """Encode the units' terms and index them. A unit given as an int is that unit of
        ``base`` (a build carrying units over): its ids are taken as they are, not decoded and
        encoded again. Terms no unit uses any more leave the vocabulary.

        >>> a = LexicalIndex.build([["sở", "tài_chính"], ["bộ", "y_tế"]])
        >>> b = LexicalIndex.build([1, ["sở", "y_tế", "mới"]], base=a)
        >>> b.unit_terms(0), b.unit_terms(1), sorted(b._vocab)
        (['bộ', 'y_tế'], ['sở', 'y_tế', 'mới'], ['bộ', 'mới', 'sở', 'y_tế'])
        """
        vocab: dict[str, int] = dict(base._vocab) if base is not None else {}
        rows = [base.unit_ids(t) if isinstance(t, int) else
                np.array([vocab.setdefault(x, len(vocab)) for x in (t or [EMPTY])], dtype=np.int32) for t in unit_terms]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(r) for r in rows], out=indptr[1:])
        ids = np.concatenate(rows).astype(np.int32) if rows else np.zeros(0, dtype=np.int32)
        if base is not None:  # drop what only the units left behind used, and number the rest densely
            used = np.unique(ids)
            if len(used) < len(vocab):
                new = np.full(len(vocab), -1, dtype=np.int64)
                new[used] = np.arange(len(used))
                vocab = {t: int(new[i]) for t, i in vocab.items() if new[i] >= 0}
                ids = new[ids].astype(np.int32)
        bm25 = _index(np.split(ids, indptr[1:-1]), vocab) if rows else None
        return cls(bm25, vocab, indptr, ids)

    def save(self, files: LexicalFiles) -> None:
        files.folder.mkdir(parents=True, exist_ok=True)
        np.save(files.indptr, self._indptr)
        np.save(files.ids, self._ids)
        files.vocab.write_text(json.dumps(self._vocab, ensure_ascii=False), encoding="utf-8")
        if self._bm25 is not None:
            self._bm25.save(files.bm25, show_progress=False)

    @classmethod
    def load(cls, files: LexicalFiles) -> LexicalIndex:
        """Open what ``save`` wrote; the arrays stay on disk, mapped (pages read on use)."""
        indptr = np.load(files.indptr, mmap_mode="r")
        ids = np.load(files.ids, mmap_mode="r")
        vocab = json.loads(files.vocab.read_text(encoding="utf-8"))
        bm25 = None
        if len(indptr) > 1:
            bm25 = _bm25().BM25.load(files.bm25, mmap=True, load_vocab=False, show_progress=False)
            bm25.vocab_dict = vocab  # the same dict: one copy of the vocabulary in memory
            bm25.unique_token_ids_set = set()  # bm25s fills this for its own retrieve(); scores() does not use it
        return cls(bm25, vocab, indptr, ids)

    @staticmethod
    def saved(files: LexicalFiles) -> bool:
        return files.vocab.exists()

    def ids(self, terms: list[str]) -> list[int]:
        """The known terms' ids (unknown terms are dropped)."""
        return [self._vocab[t] for t in terms if t in self._vocab]

    def unit_ids(self, unit: int) -> np.ndarray:
        return np.asarray(self._ids[self._indptr[unit] : self._indptr[unit + 1]])

    def unit_terms(self, unit: int) -> list[str]:
        """A unit's terms as strings (a build re-uses them for documents it keeps)."""
        return self.decode(self.unit_ids(unit))

    def decode(self, ids: np.ndarray) -> list[str]:
        if not hasattr(self, "_names"):
            self._names = np.empty(len(self._vocab), dtype=object)
            for t, i in self._vocab.items():
                self._names[i] = t
        return [t for t in self._names[ids].tolist() if t != EMPTY]

    def scores(self, query_terms: list[str], mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every unit for the query terms (unknown terms are ignored);
        ``mask`` (one bool per unit) zeroes the units a filter excludes, inside bm25s."""
        known = self.ids(query_terms)
        if not known or self._bm25 is None:
            return np.zeros(self.size, dtype=np.float32)
        weights = None if mask is None else mask.astype(np.float32)
        return np.asarray(self._bm25.get_scores_from_ids(known, weight_mask=weights), dtype=np.float32)
