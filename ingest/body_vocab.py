"""What is known of the names of bodies before a text is read: the vocabulary of
``data/bodies.yaml`` (heads, stop words, titles, places, group nouns, …) as token phrases, with
the tokeniser and the phrase match that ``ingest.bodies`` reads names by; the vocabulary's
one-word heads; and whole names known by list (``Gazetteer``: the vocabulary's ``known``
names, a registry's names and aliases). ``ingest.bodies`` holds the rules that read a name
from these pieces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from ingest.normalize import folded, normalize_text

_TOKEN = re.compile(r"[^\W_]+(?:(?:[&'’]|-(?=[^\W\d_]))[^\W_]+)*|[^\w\s]")


@dataclass
class Token:
    """A word or a punctuation mark of a text; ``start``/``end`` index that text."""

    text: str
    start: int
    end: int

    @property
    def word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def cap(self) -> bool:
        return self.text[0].isupper() or self.text[0].isdigit()


# Whole names whose later words real texts also write in lower case ("Kho bạc nhà nước",
# "Ban chỉ đạo", "Ủy ban Mặt trận tổ quốc Việt Nam"): matched either way. Heads and the
# one-word entries keep their case, which is what tells "Ban Tuyên giáo" from "ban hành".
_CASE_BLIND_TAIL = ("place_heads", "singletons", "known")


@lru_cache(maxsize=1)
def vocab() -> dict:
    raw = yaml.safe_load(resources.files("ingest").joinpath("data/bodies.yaml").read_text(encoding="utf-8"))

    def phrases(key: str) -> _Phrases:
        out = {tuple(t.text for t in tokens(normalize_text(p))) for p in raw.get(key, [])}
        if key in _CASE_BLIND_TAIL:
            out |= {(p[0], *(w.lower() for w in p[1:])) for p in out if len(p) > 1}
        return _Phrases(sorted(out, key=len, reverse=True))

    return {k: phrases(k) for k in raw}


class _Phrases(list):
    """Phrases (tuples of tokens), longest first, looked up by their first word."""

    def __init__(self, phrases: list[tuple[str, ...]]):
        super().__init__(phrases)
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for p in phrases:
            self.by_first.setdefault(p[0].lower(), []).append(p)


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _same(tok: str, word: str) -> bool:
    return tok == word or (len(tok) > 1 and tok.isupper() and tok == word.upper())


def phrase_at(toks: list[Token], i: int, options: list[tuple[str, ...]], fold_case: bool = False) -> int:
    """Length (in tokens) of the longest phrase of ``options`` at ``toks[i]``; 0 if none."""
    if i >= len(toks):
        return 0
    for p in options.by_first.get(toks[i].text.lower(), ()) if isinstance(options, _Phrases) else options:
        if i + len(p) <= len(toks) and all(
            _same(toks[i + k].text, w) or (fold_case and toks[i + k].text.lower() == w.lower()) for k, w in enumerate(p)
        ):
            return len(p)
    return 0



def holds_stop(text: str, but: tuple[str, ...] = ()) -> bool:
    """Whether ``text`` holds a word of the vocabulary's stops (the verbs and function words that
    end a name in a sentence), other than those of ``but``: such a text is no name of its own.

    >>> holds_stop("Điện lực tỉnh"), holds_stop("Sở Y tế chủ trì"), holds_stop("có công", but=("có",))
    (False, True, False)
    """
    words = tokens(text)
    return any(w.text not in but and phrase_at(words, k, vocab()["stops"], fold_case=True) for k, w in enumerate(words))

class Gazetteer:
    """Known names (a registry's names and aliases): whole-word, case- and diacritic-blind
    matches, longest first."""

    def __init__(self, names: list[str], running_text_min: int = 3, whole: list[str] | None = None):
        self.whole = {" ".join(_key(n).split()): n for n in (whole if whole is not None else names) if n}
        keys = {_key(n) for n in names if n and len(_key(n)) >= running_text_min}
        self._pattern = re.compile(r"(?<![\w&])(" + "|".join(map(re.escape, sorted(keys, key=len, reverse=True)))
                                   + r")(?![\w&])") if keys else None

    def exact(self, text: str) -> bool:
        """Whether ``text`` is, as a whole, one of the names ("Báo" as a heading's addressee)."""
        return " ".join(_key(text).split()) in self.whole

    def written(self, text: str) -> str | None:
        """The name as the list writes it ("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" → "Bộ Nông nghiệp và Môi trường")."""
        return self.whole.get(" ".join(_key(text).split()))

    def find(self, text: str, capital: bool = False) -> list[tuple[int, int]]:
        """Spans of known names in ``text``; ``capital``: only where the text writes a capital
        (a name in running text), not "phát triển nông thôn" as a field of work."""
        if self._pattern is None:
            return []
        return [(m.start(), m.end()) for m in self._pattern.finditer(_key(text)) if not capital or text[m.start()].isupper()]


@lru_cache(maxsize=1)
def single_heads() -> frozenset[str]:
    """One-word heads ("Bộ", "Cục", "Sở"): a cell that ends with one was cut mid-name."""
    return frozenset(p[0] for p in vocab()["heads"] if len(p) == 1)


@lru_cache(maxsize=1)
def known_names() -> Gazetteer:
    """The national bodies and department names of ``data/bodies.yaml`` (``known``, and
    "Bộ"/"Sở" before each of ``fields``)."""
    v = yaml.safe_load(resources.files("ingest").joinpath("data/bodies.yaml").read_text(encoding="utf-8"))
    names = list(v.get("known", []))
    names += [f"{head} {f}" for f in v.get("fields", []) for head in ("Bộ", "Sở")]
    return Gazetteer(names)


def _key(text: str) -> str:
    """Folded text of the same length as the NFC text, an en dash as a hyphen."""
    return folded(text, hyphens=True)
