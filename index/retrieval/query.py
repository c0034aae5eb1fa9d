"""Query analysis: validation, expansion, document numbers, named agencies, question kind.

>>> q = analyze("  so nao bo tri kinh phi ")
>>> q.text, q.diacritics, q.kind
('so nao bo tri kinh phi', False, 'who')
>>> analyze("Sở KH&CN phải làm gì?").kind
'what'
>>> q = analyze("Thanh tra tỉnh phối hợp với sở nào?")
>>> q.kind, q.role
('who', 'phối hợp')
>>> analyze("vướng mắc thì báo cáo cơ quan nào").role
'nhận báo cáo'
>>> analyze("kho khan thi phan anh ve co quan nao de tong hop").role
'nhận báo cáo'
>>> analyze("Thông tư phải xong vào thời điểm nào?").deadline
True
>>> [(n.doc_type, n.lead) for n in analyze("nq 36").refs]
[('Nghị quyết', '36')]
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
from index.retrieval.scope import Named, numbers_named
from ingest.assign.roles import CUES, Role
from ingest.expand import expand
from ingest.normalize import collapse_spaces, fold, normalize_text
from ingest.tokens import has_diacritics, looks_english, terms

MAX_QUERY_CHARS = 500

# Question kinds, tested on folded text (so they work with or without diacritics).
_WHO = re.compile(r"\b(ai|co quan nao|don vi nao|so nao|bo nao|cuc nao|vu nao|ban nao|nganh nao|cap nao|ben nao"
                  r"|to chuc nao|luc luong nao|nhung (?:bo|so|co quan|don vi|cuc|vu|to chuc)(?: nao)?|nhung ai"
                  r"|who|which (department|agency|body|office|ministry))\b")
_WHAT = re.compile(r"\b(lam gi|lam nhung gi|nhiem vu (?:gi|nao)|nhung nhiem vu|nhiem vu cua|co nhiem vu|trach nhiem gi"
                   r"|phai lam|can lam|trach nhiem cua|giao (gi|nhung gi|nhung viec gi|viec gi)|nhung viec gi|viec gi"
                   r"|phan cong (gi|nhung gi)|dam nhiem (gi|nhung gi)|nhung nhiem vu nao|co vai tro gi"
                   r"|what (must|should|does)|tasks? of|duties of)\b")
_PARTNER = re.compile(r"\bphoi hop\b")
# "… báo cáo cho ai?", "vướng mắc thì phản ánh về cơ quan nào để tổng hợp?", "hồ sơ nộp về đâu?"
_RECIPIENT = re.compile(r"\b(?:bao cao|gui|phan anh|nop)\b(?:\s+\S+){0,3}\s+(?:cho |ve |len |toi )?"
                        r"(?:ai|co quan nao|don vi nao|so nao|bo nao|noi nao|dau)(?:\s+de\s+\S+(?:\s+\S+)?)?\s*(?:[?.!]|$)")
_DEADLINE = re.compile(r"\b(khi nao|bao gio|thoi han|han chot|thoi diem nao|thoi gian nao|truoc ngay nao|ngay nao|nam nao"
                       r"|thang nao|quy nao|bao lau|may lan|tien do|when|deadline)\b")
# "cơ quan nào là (cơ quan) thường trực …" asks for the focal point, as a clause that says it names it
_LEAD_ROLE = {"chủ trì": re.compile(r"\bchu tri\b"), "đầu mối": CUES[Role.FOCAL],
              "tham mưu": re.compile(r"\btham muu\b")}
_IMPLEMENTS = re.compile(r"\b(thuc hien|trien khai|can cu) (van ban|nghi quyet|chuong trinh) nao\b|\bimplements?\b")


@dataclass
class Query:
    raw: str
    text: str  # normalised, one line
    expanded: str  # text + long forms of its abbreviations
    terms: list[str]
    diacritics: bool
    kind: str  # who | what | implements | search
    refs: list[Named] = field(default_factory=list)  # documents named by number ("QĐ 232", "36-NQ/TW")
    role: str | None = None  # the role a who-question asks for: phối hợp, nhận báo cáo, chủ trì …
    deadline: bool = False  # the question asks when
    english: bool = False  # asked in English: embedded as written, not read as unmarked Vietnamese
    vector: Any = None  # the query embedding, set by the dense ranker on first use

    @property
    def names_text(self) -> str:
        """The question without the document numbers it writes ("CV 7103/UBND-TH" names no UBND)
        and without the issuer of a document it names ("KH 141 của UBND Bắc Ninh, Sở Nội vụ làm
        gì?" asks about the Sở, not the committee that issued the plan)."""
        text = self.text
        if len(folded := fold(text)) == len(text):
            for m in reversed(list(_ISSUER_OF_REF.finditer(folded))):
                text = text[: m.start(1)] + " " * (m.end(1) - m.start(1)) + text[m.end(1) :]
        return re.sub(r"(?<!\S)\S*\d\S*/\S+", " ", text)  # matches start at a word's start: quadratic in a word's length at worst, not cubic

    @property
    def numbers(self) -> list[str]:
        """The full document numbers the question writes ("36-NQ/TW")."""
        return [n.number for n in self.refs if n.number]


# "<document type> <number> của <issuer>" (folded): the issuer, up to a comma or the next clause
_ISSUER_OF_REF = re.compile(
    r"\b(?:ke hoach|kh|quyet dinh|qd|chi thi|ct|nghi quyet|nq|cong van|cv|thong bao|tb|chuong trinh|ctr|cong dien|cd"
    r"|ket luan|kl|quy dinh|quy che|huong dan|hd|van ban|thong tu|nghi dinh)\s+(?:so\s+)?\S*\d\S*\s+(?:nam \d{4}\s+)?"
    r"cua\s+([^,;?.()]{2,60}?)(?=\s+(?:ve|thi|do|nham|de|tai|trong|theo|giao|quy dinh)\b|\s*[,;?.()]|\s*$)")

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


def analyze(raw: str) -> Query:
    text = clean(raw)
    folded = fold(text)
    who = bool(_WHO.search(folded))
    role = None
    if _RECIPIENT.search(folded):
        role = "nhận báo cáo"
    elif _PARTNER.search(folded) and who:
        role = "phối hợp"
    elif who:
        role = next((r for r, p in _LEAD_ROLE.items() if p.search(folded)), None)
    if _WHAT.search(folded) and not (who and role):
        kind = "what"
    elif who or role:
        kind = "who"
    elif _IMPLEMENTS.search(folded):
        kind = "implements"
    else:
        kind = "search"
    diacritics = has_diacritics(text)
    expanded = expand(text)
    return Query(raw, text, expanded, terms(expanded, segment=diacritics), diacritics, kind, numbers_named(text),
                 role, bool(_DEADLINE.search(folded)), english=not diacritics and looks_english(text))
