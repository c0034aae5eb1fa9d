"""Query analysis: validation, expansion, document numbers, named agencies, question kind.

>>> q = analyze("  so nao bo tri kinh phi ")
>>> q.text, q.diacritics, q.kind
('so nao bo tri kinh phi', False, 'who')
>>> analyze("Sở KH&CN phải làm gì?").kind
'what'
>>> analyze("nq 36").numbers
['36-NQ/TW']
>>> analyze("   ")
Traceback (most recent call last):
...
index.errors.BadQuery: Câu hỏi trống: hãy nhập nội dung cần tìm.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from index.errors import BadQuery
from ingest.expand import expand
from ingest.header import find_references
from ingest.normalize import collapse_spaces, fold, normalize_text
from ingest.tokens import has_diacritics, terms

MAX_QUERY_CHARS = 500

# Question kinds, tested on folded text (so they work with or without diacritics).
_WHO = re.compile(r"\b(ai|co quan nao|don vi nao|so nao|nganh nao|cap nao|ben nao|who|which (department|agency|body|office))\b")
_WHAT = re.compile(r"\b(lam gi|nhiem vu (?:gi|nao)|nhung nhiem vu|nhiem vu cua|phai lam|trach nhiem cua|giao (gi|nhung gi)|what (must|should|does)|tasks? of|duties of)\b")
_IMPLEMENTS = re.compile(r"\b(thuc hien|trien khai|can cu) (van ban|nghi quyet|chuong trinh) nao\b|\bimplements?\b")
# Short document references staff type: "nq 36", "nghị quyết 189", "ctr 64", "kế hoạch 64".
_SHORT_NUMBER = re.compile(r"\b(nq|nghi quyet|ctr|chuong trinh|ke hoach|kh)\s*(?:so\s*)?(\d{2,3})\b")
_SHORT_KNOWN = {("nq", "36"): "36-NQ/TW", ("nq", "189"): "189/NQ-CP", ("ctr", "64"): "64-CTr/TU", ("kh", "64"): "64-CTr/TU"}


@dataclass
class Query:
    raw: str
    text: str  # normalised, one line
    expanded: str  # text + long forms of its abbreviations
    terms: list[str]
    diacritics: bool
    kind: str  # who | what | implements | search
    numbers: list[str] = field(default_factory=list)  # document numbers named ("36-NQ/TW")
    vector: Any = None  # the query embedding, set by the dense ranker on first use


def clean(raw: str) -> str:
    """Normalise and strip control characters; refuse empty or over-long queries."""
    if raw is None or not raw.strip():
        raise BadQuery("Câu hỏi trống: hãy nhập nội dung cần tìm.")
    if len(raw) > MAX_QUERY_CHARS:
        raise BadQuery(f"Câu hỏi quá dài ({len(raw)} ký tự); tối đa {MAX_QUERY_CHARS} ký tự.")
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in raw)
    text = collapse_spaces(normalize_text(text))
    if not any(ch.isalnum() for ch in text):
        raise BadQuery("Câu hỏi không có chữ hoặc số nào để tìm.")
    return text


def _numbers(text: str) -> list[str]:
    found = [r.number for r in find_references(text)]
    for m in _SHORT_NUMBER.finditer(fold(text)):
        t = {"nghi quyet": "nq", "chuong trinh": "ctr", "ke hoach": "kh"}.get(m.group(1), m.group(1))
        n = _SHORT_KNOWN.get((t, m.group(2)))
        if n and n not in found:
            found.append(n)
    return found


def analyze(raw: str) -> Query:
    text = clean(raw)
    folded = fold(text)
    if _WHAT.search(folded):
        kind = "what"
    elif _WHO.search(folded):
        kind = "who"
    elif _IMPLEMENTS.search(folded):
        kind = "implements"
    else:
        kind = "search"
    diacritics = has_diacritics(text)
    expanded = expand(text)
    return Query(raw, text, expanded, terms(expanded, segment=diacritics), diacritics, kind, _numbers(text))
