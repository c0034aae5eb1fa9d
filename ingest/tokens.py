"""Vietnamese tokens for the lexical index; documents and queries go through the same code.

A text becomes three kinds of terms, each with a prefix so they never collide:

- ``w:`` underthesea words, lowercased, syllables joined by ``_`` (``w:kinh_phí``), with a
  fixed-words list (``data/fixed_words.txt``) so agency names and key terms stay whole;
- ``s:`` diacritic-folded syllables (``s:kinh``, ``s:phi``);
- ``b:`` folded syllable bigrams (``b:kinh_phi``) that keep word order for queries typed
  without diacritics, where word segmentation cannot help.

>>> terms("bố trí kinh phí")
['w:bố_trí', 'w:kinh_phí', 's:bo', 's:tri', 's:kinh', 's:phi', 'b:bo_tri', 'b:tri_kinh', 'b:kinh_phi']
>>> [t for t in terms("so nao bo tri kinh phi") if t.startswith("b:")][-2:]
['b:tri_kinh', 'b:kinh_phi']
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from importlib import resources

from ingest.normalize import fold, folded, normalize_text
from ingest.stopwords import BIGRAM

# underthesea loads its models on first use, and that load is not thread-safe: every call into
# it, here and in ``ingest.pos`` (POS tagging), holds this one lock, so a build handed to a
# server (parsing) and the server's queries (tokenising) never run underthesea at once. Each
# call takes about a millisecond, so a busy server loses nothing to the lock.
UNDERTHESEA = threading.Lock()
_SYLLABLE = re.compile(r"[^\W_]+(?:[-/&][^\W_]+)*")


@lru_cache(maxsize=1)
def fixed_words() -> tuple[str, ...]:
    """The fixed-words list, lowercased and normalised."""
    text = resources.files("ingest").joinpath("data/fixed_words.txt").read_text(encoding="utf-8")
    words = (normalize_text(line.strip()).lower() for line in text.splitlines())
    return tuple(w for w in words if w and not w.startswith("#"))


def words(text: str) -> list[str]:
    """underthesea word segmentation, sentence by sentence, lowercased; punctuation dropped.

    >>> words("Sở Tài chính bố trí kinh phí.")
    ['sở_tài_chính', 'bố_trí', 'kinh_phí']
    """
    from underthesea import sent_tokenize, word_tokenize  # heavy import, paid on first use
    from underthesea.pipeline.word_tokenize import regex_tokenize

    out: list[str] = []
    with UNDERTHESEA:
        # underthesea keeps the pattern a call with fixed words compiles for every later call, its
        # part-of-speech tagger's too: the names ``ingest.bodies`` reads would then depend on whether
        # a text was segmented before. The pattern it had is put back.
        plain = regex_tokenize.patterns
        try:
            sentences = [word_tokenize(s, fixed_words=list(fixed_words())) for s in sent_tokenize(normalize_text(text).lower())]
        finally:
            regex_tokenize.patterns = plain
    for sentence in sentences:
        for w in sentence:
            if _SYLLABLE.search(w):
                out.append("_".join(_SYLLABLE.findall(w)))
    return out


def syllables(text: str) -> list[str]:
    """Folded syllables, in order.

    >>> syllables("Sở KH&CN, năm 2024")
    ['so', 'kh&cn', 'nam', '2024']
    """
    return _SYLLABLE.findall(folded(text))


def terms(text: str, *, segment: bool = True) -> list[str]:
    """All lexical terms of ``text`` (see the module docstring).

    ``segment=False`` skips word segmentation (for text known to lack diacritics).
    """
    out = [f"w:{w}" for w in words(text)] if segment else []
    syl = syllables(text)
    out += [f"s:{s}" for s in syl]
    out += [f"b:{a}_{b}" for a, b in zip(syl, syl[1:]) if not (a in BIGRAM and b in BIGRAM)]
    return out


# A Vietnamese syllable written without marks: an onset, a vowel group and a final that
# Vietnamese spelling allows. English words mostly break it (f, j, w, z; "st", "nd", "ts";
# several vowel groups in one word), so the share of words that do tells the languages apart.
_VIETNAMESE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
                       r"(?:[aeiouy]{1,3})"
                       r"(?:ng|nh|ch|[cmnpt])?")
_LETTERS = re.compile(r"[^\W\d_]+")


def looks_english(text: str) -> bool:
    """True when most words of a text cannot be Vietnamese syllables (marks folded away).

    >>> looks_english("Which article regulates land use rights?")
    True
    >>> looks_english("so nao bo tri kinh phi"), looks_english("Sở nào bố trí kinh phí?")
    (False, False)
    >>> looks_english("UBND tinh giao nhiem vu gi cho so KHCN"), looks_english("How is a department (vụ) organised?")
    (False, True)
    """
    words = [folded(w) for w in _LETTERS.findall(text) if not w.isupper()]  # KHCN, UBND: abbreviations
    if len(words) < 2:
        return False
    foreign = sum(not _VIETNAMESE.fullmatch(w) for w in words)
    return foreign * 2 > len(words)


def has_diacritics(text: str) -> bool:
    """True when the text carries Vietnamese marks (so word segmentation is meaningful).

    >>> has_diacritics("so nao bo tri kinh phi"), has_diacritics("Sở nào")
    (False, True)
    """
    t = normalize_text(text)
    return fold(t) != t.lower()
