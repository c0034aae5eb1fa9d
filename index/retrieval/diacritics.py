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

import json
import re
from collections import Counter, defaultdict
from math import log1p
from pathlib import Path

from ingest.normalize import fold, normalize_text

_SYL = re.compile(r"[^\W_]+")


class Restorer:
    """Counts of the corpus's spellings: built from its texts by a build, saved in the
    generation (``restore.json``) and read back by ``load`` when an index opens."""

    def __init__(self, texts: list[str] = ()):
        self.forms: dict[str, Counter] = defaultdict(Counter)
        self.bigrams: Counter = Counter()  # "previous next" -> count
        self._count(texts, 1)

    def _count(self, texts, sign: int) -> None:
        for t in texts:
            syl = _SYL.findall(normalize_text(t).lower())
            for s in syl:
                self.forms[fold(s)][s] += sign
            for a, b in zip(syl, syl[1:]):
                self.bigrams[f"{a} {b}"] += sign

    @staticmethod
    def _texts(units: list[dict]) -> list[str]:
        return [u["text"] for u in units] + [u["context"] for u in units]

    @classmethod
    def of_units(cls, units: list[dict]) -> Restorer:
        """From an index's units: their own texts, then their heading paths."""
        return cls(cls._texts(units))

    def update(self, add: list[dict], remove: list[dict]) -> Restorer:
        """The counts with the units ``remove`` taken out and ``add`` put in: the same as
        counting the new set of units afresh, for the cost of the units that changed.

        >>> r = Restorer.of_units([{"text": "Sở Tài chính", "context": ""}, {"text": "số liệu", "context": ""}])
        >>> r.update(add=[{"text": "số lượng", "context": ""}], remove=[{"text": "Sở Tài chính", "context": ""}]).restore("so")
        'số'
        >>> dict(r.forms["so"]), "sở tài" in r.bigrams
        ({'số': 2}, False)
        """
        self._count(self._texts(remove), -1)
        self._count(self._texts(add), 1)
        for key in [k for k, forms in self.forms.items() if not +forms]:
            del self.forms[key]
        for key, forms in list(self.forms.items()):
            self.forms[key] = +forms  # counts of 0 leave
        self.bigrams = +self.bigrams
        return self

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"forms": self.forms, "bigrams": self.bigrams}, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Restorer:
        """>>> import tempfile; p = Path(tempfile.mkdtemp()) / "restore.json"
        >>> Restorer(["Sở Tài chính", "số liệu"]).save(p); Restorer.load(p).restore("so lieu")
        'số liệu'
        """
        data = json.loads(path.read_text(encoding="utf-8"))
        r = cls()
        r.forms.update((k, Counter(v)) for k, v in data["forms"].items())
        r.bigrams = Counter(data["bigrams"])
        return r

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
                    ((sc + 2.0 * log1p(self.bigrams[f"{p} {c}"]) + self._uni(c), path) for p, (sc, path) in best[-1].items()),
                    key=lambda x: x[0],
                )
                step[c] = (score, path + [c])
            best.append(step)
        return " ".join(max(best[-1].values(), key=lambda x: x[0])[1])

    def _uni(self, form: str) -> float:
        return 0.5 * log1p(self.forms[fold(form)][form]) if fold(form) in self.forms else 0.0
