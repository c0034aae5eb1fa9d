"""A hashing embedder for the synthetic scale points of ``make bench``.

Embedding 100,000 generated clauses with e5 takes more than an hour on 2 cores, and the
open time, memory and search cost of an index do not depend on what its vectors mean,
only on their number and size. So the generated corpora are embedded with this: each word
hashed into one of 384 dimensions (e5's size), the counts L2-normalised. It has no
semantic value and is never offered as a setting; the real-text rows (the plan, the
development set) use e5. Its model weighs nothing, so a server running it holds less than
one running e5: the bench reports e5's own resident size beside it.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

_WORD = re.compile(r"[^\W_]+")


class HashEmbedder:
    name = "bench:hashing-384"
    dim = 384

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for w in _WORD.findall(text.lower()):
            v[zlib.crc32(w.encode()) % self.dim] += 1.0
        n = float(np.linalg.norm(v))
        return v / n if n else v

    def passages(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def query(self, text: str) -> np.ndarray:
        return self._vec(text)
