"""The numbering Vietnamese directives use, as the outline parser (``ingest.outline``) reads it:
the marker that opens each kind of clause, and which number may come next.

- plans and programmes: Roman sections (``III.``, ``I-``), numbered items (``8.``, ``2.1.``),
  lettered points (``a)``), points in brackets (``(1)``, in Party conclusions and letters),
  bullets (``-``, ``·``, ``•``, ``+`` nested under the bullet above it);
- laws, decrees, resolutions: ``Chương``, ``Mục``, ``Điều N.``, khoản ``1.``, điểm ``a)``;
- appendices (``PHỤ LỤC II``), page numbers, and the closing block: the signature ("TM. …",
  "KT. CHỦ TỊCH") and the recipients ("Nơi nhận:").

In text hard-wrapped by a PDF extractor a line may run on from the line above and open with
"1.000 tỷ đồng" or "b) …" by chance: there a marker opens a clause only when it is the next
number (``next_number``, ``next_letter``).
"""

from __future__ import annotations

import re

BULLET = re.compile(r"^(?P<g>[-+·•▪●◦\u2022\uf0b7\uf0a7\u2013\u2212])\s*")
NESTED_GLYPHS = "+◦"  # sub-bullets under the bullet above them
# Party documents write "I- MỤC ĐÍCH" and "1- Quán triệt …" where State documents write "I." and "1."
ROMAN = re.compile(r"^(?P<n>[IVX]{1,5})(?:\.|\s?-)\s+(?P<rest>\S.*)$")
CHAPTER = re.compile(r"^Chương\s+(?P<n>[IVXLC]+|\d+)\b\.?\s*(?P<rest>.*)$")
LAW_SECTION = re.compile(r"^Mục\s+(?P<n>\d+)\b\.?\s*(?P<rest>.*)$")
ARTICLE = re.compile(r"^Điều\s+(?P<n>\d+)\s*(?P<dot>[.:])?\s*(?P<rest>.*)$")
NUMBERED = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})*)(?:\.(?!\d)\s*|\s?-\s+(?=[^\W\d_])|\s+(?=\D))(?P<rest>\S.*)$")
DOTTED = re.compile(r"^\d{1,2}\.\d{1,2}")
LETTER = re.compile(r"^(?P<n>[a-zđ])\)\s*(?P<rest>\S.*)$")
# "(1) Đảng ủy Bộ X chủ trì …": a Party document's or a letter's numbered points (not a form's "(1) ……")
PAREN = re.compile(r"^\((?P<n>\d{1,2})\)\s*(?P<rest>[^\W\d_].*)$")
APPENDIX = re.compile(r"^PHỤ LỤC\b\s*(?P<n>[IVX\d]*)\s*(?P<rest>.*)$")
PAGE_NUMBER = re.compile(r"^(?:-\s*)?\d{1,3}(?:\s*-)?$|^Trang\s+\d{1,3}(?:/\d{1,3})?$")
# The closing block: recipients ("Nơi nhận:" and its dash list) and the signature
# ("TM. ỦY BAN NHÂN DÂN", "T/M BỘ CHÍNH TRỊ", "KT. CHỦ TỊCH"). Not clauses, not tasks.
RECIPIENTS = re.compile(r"^Nơi nhận\s*:")
SIGNATURE = re.compile(r"^(?:TM|KT|TL|TUQ|T/M|K/T|T/L)\.?\s+(?P<rest>\S.*)$")


def next_number(current: str | None, number: str) -> bool:
    """Whether ``number`` follows the open item's ``current`` number: after "2.1", "2.2",
    "2.1.1" or "3"; after "1", "1.1" (or "2"); the first item is "1".

    >>> [next_number("1", n) for n in ("2", "1.1", "3", "1.2")], next_number(None, "1"), next_number("2.3", "3")
    ([True, True, False, False], True, True)
    """
    if current is None:
        return number == "1"
    if not current:
        return True
    new, cur = number.split("."), current.split(".")
    if new == [*cur, "1"]:
        return True  # the first sub-item
    k = len(new) - 1
    return len(cur) > k and new[:k] == cur[:k] and int(new[k]) == int(cur[k]) + 1


def next_letter(current: str | None, letter: str) -> bool:
    """Whether ``letter`` follows the open point's ``current`` letter ("đ" may follow any).

    >>> next_letter(None, "a"), next_letter("a", "b"), next_letter("d", "đ"), next_letter("a", "c")
    (True, True, True, False)
    """
    if current is None:
        return letter == "a"
    return letter in ("đ", chr(ord(current[:1]) + 1)) if current else True


def next_paren(current: str | None, n: str) -> bool:
    """"(1)" opens a list of points in brackets; "(k+1)" goes on with the open one.

    >>> next_paren(None, "1"), next_paren("2", "3"), next_paren(None, "3"), next_paren("2", "1")
    (True, True, False, True)
    """
    if n == "1":
        return True
    return current is not None and current.isdigit() and int(n) == int(current) + 1


def is_marker(t: str) -> bool:
    """A line that opens a section, chapter or article."""
    return bool(ROMAN.match(t) or CHAPTER.match(t) or ARTICLE.match(t))


def is_signature(t: str) -> bool:
    """The signature line of the closing block ("TM. ỦY BAN NHÂN DÂN"), in capitals."""
    m = SIGNATURE.match(t)
    return bool(m and m["rest"].split("|")[0].strip().isupper())
