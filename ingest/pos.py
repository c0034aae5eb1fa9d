"""underthesea's reading of Vietnamese words, for the names of bodies (``ingest.bodies``) and
the clause text of assignments: part-of-speech tags (``pos_tags``) and whether a word runs on
past a point (``joined``), cached. The tagger's cost grows with the square of a line's length,
so a long line is tagged in bounded pieces; every call holds ``ingest.tokens.UNDERTHESEA``.
"""

from __future__ import annotations

from functools import lru_cache

from ingest.tokens import UNDERTHESEA

_POS_CHUNK = 400  # characters; underthesea's tagger costs grow with the square of a line's length


@lru_cache(maxsize=65536)
def pos_tags(text: str) -> tuple[tuple[tuple[int, int], str], ...]:
    """Spans and tags of the words of ``text`` (underthesea), cached. A long line (a list of
    hundreds of bodies in one sentence) is tagged in pieces cut after a comma or semicolon."""
    from underthesea import pos_tag

    out = []
    for base, piece in _pieces(text, _POS_CHUNK):
        with UNDERTHESEA:
            tagged = pos_tag(piece)
        cursor = 0
        for word, tag in tagged:
            at = piece.find(word, cursor)
            if at == -1:
                continue
            out.append(((base + at, base + at + len(word)), tag))
            cursor = at + len(word)
    return tuple(out)


def _pieces(text: str, size: int) -> list[tuple[int, str]]:
    """``text`` cut into pieces of about ``size`` characters, after a ',' or ';' where there is one.

    >>> _pieces("a, b; c", 3)
    [(0, 'a,'), (2, ' b;'), (5, ' c')]
    """
    out, s = [], 0
    while len(text) - s > size:
        cut = max(text.rfind(",", s, s + size), text.rfind(";", s, s + size)) + 1
        if cut <= s + 1:  # no comma: cut at a space, else mid-word
            space = text.rfind(" ", s, s + size)
            cut = space if space > s else s + size
        out.append((s, text[s:cut]))
        s = cut
    out.append((s, text[s:]))
    return out


@lru_cache(maxsize=65536)
def joined(text: str, first: int) -> bool:
    """Whether underthesea's first word of ``text`` runs past its first ``first`` characters."""
    from underthesea import word_tokenize

    with UNDERTHESEA:
        words = word_tokenize(text)
    return bool(words) and len(words[0]) > first
