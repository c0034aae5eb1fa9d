r"""Vietnamese text normalisation with a map back to the source.

Official texts arrive decomposed (``"a" + U+0301``), with old-style tone marks
(``"UỶ"``, ``"hoà"``), odd spaces and bullet glyphs. Search needs one spelling of
each syllable; citations need the source verbatim. ``normalize`` gives both: the
normalised text and, for every normalised character, the source offset it came from.

>>> n = normalize("Uy\u0309 ban")       # "Uỷ", decomposed, old tone placement
>>> n.text
'Ủy ban'
>>> s, e = n.span(0, 2)
>>> (s, e), n.source[s:e] == "Uy\u0309"
((0, 3), True)
>>> fold("Sở Tài chính bố trí kinh phí")
'so tai chinh bo tri kinh phi'
>>> fold("ĐẦU MỐI")
'dau moi'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Spaces other than " " and "\n" that turn up in copied official texts; each maps to one space.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u3000\t\u000b"), " ")
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\ufeff"}
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Normalized:
    """Normalised text plus ``offsets[i]``: the source offset of normalised char ``i``.

    ``offsets`` has one extra entry, ``len(source)``, so end offsets map too.
    """

    source: str
    text: str
    offsets: tuple[int, ...] | range

    def to_source(self, i: int) -> int:
        """Source offset of normalised offset ``i`` (0 <= i <= len(text))."""
        return self.offsets[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span ``[s, e)`` that normalised ``[start, end)`` came from."""
        return self.offsets[start], self.offsets[end]


@lru_cache(maxsize=65536)
def _tone(word: str) -> str:
    """One tone-mark placement per syllable (``hoà`` → ``hòa``), length-preserving."""
    from underthesea.pipeline.text_normalize import token_normalize

    out = token_normalize(word)
    return out if len(out) == len(word) else word


@lru_cache(maxsize=1)
def _plain() -> tuple[re.Pattern, dict[int, str]]:
    """What lets a text skip the character loop of ``normalize``: a pattern of the characters
    that need it (combining marks, zero-width ones, characters NFC turns into several, any
    outside the BMP), and the one-for-one table of the rest (odd spaces, NFC singletons)."""
    table, slow = dict(_SPACES), list(_ZERO_WIDTH)
    for code in range(0x10000):
        ch = chr(code)
        if 0xD800 <= code < 0xE000:
            continue
        nfc = unicodedata.normalize("NFC", ch)
        if unicodedata.combining(ch) or len(nfc) != 1:
            slow.append(ch)
        elif nfc != ch:
            table[code] = nfc
    cls = "".join(re.escape(c) for c in slow)
    return re.compile(f"[{cls}\U00010000-\U0010ffff\ud800-\udfff]"), table


def normalize(source: str) -> Normalized:
    """NFC, one tone-mark placement, plain spaces; keeps a map to ``source``.

    Line breaks and every other character are kept, so line-based parsing of the
    normalised text sees the same lines as the source. A text with nothing to compose or
    drop (most of them, once decoded) is mapped in one ``str.translate``, its offsets the
    identity; the others go character by character.

    >>> n = normalize("Hoà bình\u00a0x")  # an old tone placement and a no-break space
    >>> n.text, n.offsets[-1]
    ('Hòa bình x', 10)
    """
    slow, table = _plain()
    if not slow.search(source):
        text = source.translate(table)
        text = _WORD.sub(lambda m: _tone_word(text, m), text)
        return Normalized(source=source, text=text, offsets=range(len(source) + 1))
    return _by_characters(source)


def _by_characters(source: str) -> Normalized:
    """``normalize`` one cluster (a character and its combining marks) at a time."""
    chars: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(source)
    while i < n:
        # A cluster: one character and the combining marks that follow it.
        j = i + 1
        while j < n and unicodedata.combining(source[j]):
            j += 1
        cluster = source[i:j]
        if cluster in _ZERO_WIDTH:
            i = j
            continue
        for ch in unicodedata.normalize("NFC", cluster.translate(_SPACES)):
            chars.append(ch)
            offsets.append(i)
        i = j
    offsets.append(n)
    text = "".join(chars)
    text = _WORD.sub(lambda m: _tone_word(text, m), text)
    return Normalized(source=source, text=text, offsets=tuple(offsets))


def _tone_word(text: str, m: re.Match) -> str:
    # A stray mark after the word ("hoà" + U+0300) would compose with a letter the tone
    # moved off, so the output would not be NFC and a second pass would change it.
    if m.end() < len(text) and unicodedata.combining(text[m.end()]):
        return m.group()
    return _tone(m.group())


def normalize_text(text: str) -> str:
    """The normalised string alone (for queries and names).

    >>> normalize_text("Uỷ ban  nhân dân") == normalize_text("Ủy ban  nhân dân")
    True
    """
    return normalize(text).text


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    return base.lower() if len(base) == 1 else ch.lower()


class _FoldTable(dict):
    """code point → its folded character, filled on first sight (``str.translate`` asks it)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        f = _fold_char(ch)
        self[code] = f = f if len(f) == 1 else ch
        return f


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lowercase and strip Vietnamese diacritics, one character for one (``đ`` → ``d``).

    Expects NFC text (run ``normalize`` first); the output has the same length, so
    offsets found in folded text are offsets in the input.

    >>> fold("Nghị quyết số 36-NQ/TW")
    'nghi quyet so 36-nq/tw'
    """
    return text.translate(_FOLD_TABLE)


def folded(text: str, hyphens: bool = False) -> str:
    """Any text as compared without case or marks: ``fold(normalize_text(text))``. One character
    for each of the normalised text's, so what is found in it is found at the same offsets there.
    ``hyphens``: an en dash as a hyphen too, for names found in running text ("Sở Nội vụ –
    Sở Tư pháp"), where either is written.

    >>> folded("Uỷ  ban – Sở"), folded("Uỷ  ban – Sở", hyphens=True)
    ('uy  ban – so', 'uy  ban - so')
    """
    out = fold(normalize_text(text))
    return out.replace("–", "-") if hyphens else out


def name_key(text: str) -> str:
    """A name (an agency, a short title, a place) as compared: folded, runs of spaces as one.
    ``index.agencies.key`` is the registry's stricter key (abbreviations spelled out, "các" dropped).

    >>> name_key(" Sở  Tài chính\\n") == name_key("SỞ TÀI CHÍNH")
    True
    """
    return " ".join(folded(text).split())


def number_key(text: str) -> str:
    """A document number as compared: folded, with no spaces ("36 - NQ/TW" is "36-NQ/TW").

    >>> number_key("36 - NQ/TW") == number_key("36-nq/tw")
    True
    """
    return "".join(folded(text).split())


def collapse_spaces(text: str) -> str:
    """Collapse runs of whitespace into one space and strip the ends (for display).

    >>> collapse_spaces("  Sở   Tài chính \\n")
    'Sở Tài chính'
    """
    return " ".join(text.split())
