"""Put diacritics back on a query typed without them, using the corpus's own spelling.

Dense models read "so nao bo tri kinh phi" poorly. Every folded syllable has a few
spellings in the corpus ("so" → "sở", "số"); the one that most often follows the
previous choice (bigram count, then unigram count) is taken. Syllables the corpus
never uses stay as typed. This is only used to help the dense ranker; the lexical
ranker matches folded syllables directly.

>>> r = Restorer(["Sở Tài chính bố trí kinh phí", "số liệu"])
>>> r.restore("so tai chinh bo tri kinh phi")
'sở tài chính bố trí kinh phí'
>>> r.restore("so lieu")
'số liệu'
"""

from __future__ import annotations

import re
from math import log1p
from collections import Counter, defaultdict

from ingest.normalize import fold, normalize_text

_SYL = re.compile(r"[^\W_]+")


class Restorer:
    def __init__(self, texts: list[str]):
        self.forms: dict[str, Counter] = defaultdict(Counter)
        self.bigrams: Counter = Counter()
        for t in texts:
            syl = _SYL.findall(normalize_text(t).lower())
            for s in syl:
                self.forms[fold(s)][s] += 1
            self.bigrams.update(zip(syl, syl[1:]))

    def restore(self, query: str) -> str:
        """Best spelling sequence by a small Viterbi over bigram and unigram counts."""
        syl = _SYL.findall(query.lower())
        lattice = [
            list(self.forms[s]) if s in self.forms and fold(s) == s else [s] for s in syl
        ]
        if not lattice:
            return query
        best = [{c: (self._uni(c), [c]) for c in lattice[0]}]
        for cands in lattice[1:]:
            step = {}
            for c in cands:
                score, path = max(
                    ((sc + 2.0 * log1p(self.bigrams[(p, c)]) + self._uni(c), path) for p, (sc, path) in best[-1].items()),
                    key=lambda x: x[0],
                )
                step[c] = (score, path + [c])
            best.append(step)
        return " ".join(max(best[-1].values(), key=lambda x: x[0])[1])

    def _uni(self, form: str) -> float:
        return 0.5 * log1p(self.forms[fold(form)][form]) if fold(form) in self.forms else 0.0
