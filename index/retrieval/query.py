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
>>> analyze("vướng mắc thì phản hồi qua cơ quan nào").role, analyze("tinh uy bao cao qua vu nao").role
('nhận báo cáo', 'nhận báo cáo')
>>> q = analyze("Hồ sơ mẫu nộp tại bộ phận nào?")
>>> q.kind, q.role
('who', 'nhận báo cáo')
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
from dataclasses import dataclass, field, replace
from typing import Any

from index.errors import BadQuery
from index.retrieval.scope import TYPE_WORDS, Named, numbers_named
from ingest.assign.roles import CUES, Role
from ingest.expand import expand
from ingest.normalize import collapse_spaces, fold, normalize_text
from ingest.tokens import has_diacritics, looks_english, terms

MAX_QUERY_CHARS = 500

# Question kinds, tested on folded text (so they work with or without diacritics).
_WHO = re.compile(r"\b(ai|co quan nao|don vi nao|so nao|bo nao|cuc nao|vu nao|ban nao|nganh nao|cap nao|ben nao"
                  r"|to chuc nao|luc luong nao|bo phan nao|phong nao|trung tam nao|chi cuc nao|tong cuc nao|vien nao"
                  r"|hoi dong nao|uy ban nao|nhung (?:bo|so|co quan|don vi|cuc|vu|to chuc)(?: nao)?|nhung ai"
                  r"|who|which (department|agency|body|office|ministry))\b")
_WHAT = re.compile(r"\b(lam gi|lam nhung gi|nhiem vu (?:gi|nao)|nhung nhiem vu|nhiem vu cua|co nhiem vu|trach nhiem gi"
                   r"|phai lam|can lam|trach nhiem cua|giao (gi|nhung gi|nhung viec gi|viec gi)|nhung viec gi|viec gi"
                   r"|phan cong (gi|nhung gi)|dam nhiem (gi|nhung gi)|nhung nhiem vu nao|co vai tro gi"
                   r"|what (must|should|does)|tasks? of|duties of)\b")
_PARTNER = re.compile(r"\bphoi hop\b")
_WITH_WHOM = re.compile(r"\bphoi hop\b(?:\s+\S+){0,3}?\s+(?:voi|cung)\s+$")  # … then the question word
# "… báo cáo cho ai?", "vướng mắc thì phản ánh về cơ quan nào để tổng hợp?", "hồ sơ nộp về đâu?",
# "hồ sơ nộp tại bộ phận nào?"
# "báo cáo cơ quan nào", "phản hồi qua cơ quan nào", "gửi về vụ nào": asks whom a report goes to
_ASKED_BODY = r"(?:ai|(?:co quan|don vi|so|bo|bo phan|noi|vu|cuc|ban|phong|chi cuc|tong cuc|trung tam)\s+nao|dau)"
_RECIPIENT = re.compile(r"\b(?:bao cao|gui|phan anh|phan hoi|kien nghi|nop)\b(?:\s+\S+){0,3}\s+(?:cho |ve |len |toi |qua |tai )?"
                        rf"{_ASKED_BODY}(?:\s+de\s+\S+(?:\s+\S+)?)?\s*(?:[?.!]|$)")
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

    def within_document(self, opening: str = "", by_number: bool = True) -> Query:
        """The question as asked of the document it names, without the words that name it: "Theo KH
        77/KH-UBND tỉnh Bắc Mẫu về giữ kho dữ liệu mẫu …, sở nào chủ trì lập danh mục?" ranks that
        plan's clauses by "sở nào chủ trì lập danh mục?", not by its title,
        which its preamble and every clause about the programme repeat. Kind, role and the
        references are kept; a question left with fewer than three words is kept whole.
        "… thực hiện Quy định 383 về <its title>?": the "về …" after the number goes too when the
        document's ``opening`` (its first lines: the title) writes those words. Not ``by_number``
        (the question names its document by title and place): only an opening clause that writes
        no number goes ("Theo nghị quyết vùng phát thải thấp của HĐND Hà Nội, …"); a number the
        question writes is then a document the clause it asks for cites ("triển khai QĐ 338").

        >>> analyze("Theo KH 77/KH-UBND tỉnh Bắc Mẫu về giữ kho dữ liệu mẫu, ai chủ trì kiểm định?").within_document().text
        'ai chủ trì kiểm định?'
        >>> analyze("Sở Y tế phải làm gì theo Kế hoạch 77 về kho mẫu?").within_document().text
        'Sở Y tế phải làm gì về kho mẫu?'
        >>> analyze("Ai kiểm tra việc thực hiện Quy định 77 về kho mẫu?").within_document("QUY ĐỊNH VỀ KHO MẪU TỈNH").text
        'Ai kiểm tra việc thực hiện?'
        >>> analyze("Theo kế hoạch giữ kho mẫu của tỉnh Bắc Mẫu, sở nào triển khai QĐ 77/QĐ-TTg?").within_document(by_number=False).text
        'sở nào triển khai QĐ 77/QĐ-TTg?'
        """
        folded, text = fold(self.text), self.text
        if len(folded) != len(text):
            return self
        if not by_number:
            spans = [m.span() for m in _NAMING_CLAUSE.finditer(folded) if not re.search(r"\d", m.group(0))]
            refs = []
        else:
            spans = [m.span() for p in (_NAMING_CLAUSE, _REF_SPAN) for m in p.finditer(folded)]
            refs = list(_REF_SPAN.finditer(folded))
        title = _words(fold(opening).lower())
        for m in refs:
            for about in (_ABOUT_ALL.match(folded, m.end()), _ABOUT.match(folded, m.end())) if title else ():
                if about and f" {_words(about['words'])} " in f" {title} ":
                    spans.append(about.span())  # "… Quy định 383 về Phông lưu trữ Đảng": its title
                    break
        for s, e in sorted(spans, reverse=True):
            text = text[:s] + " " * (e - s) + text[e:]
        text = collapse_spaces(re.sub(r"\s+([,;?.])", r"\1", text)).strip(" ,;")
        if m := _DANGLING.search(fold(text)):  # "… phải làm gì theo?" once "NQ 394/NQ-CP" is gone
            text = text[: m.start()] + text[m.end() :]
        if text == self.text or len(text.split()) < 3:
            return self
        expanded = expand(text)
        return replace(self, text=text, expanded=expanded, terms=terms(expanded, segment=self.diacritics), vector=None)

    @property
    def numbers(self) -> list[str]:
        """The full document numbers the question writes ("36-NQ/TW")."""
        return [n.number for n in self.refs if n.number]


# The type words a question names a document by (folded), with those it writes only before an
# issuer or a number ("CĐ 224", "Quy chế …", "văn bản số …")
_DOC_TYPES = "(?:%s)" % "|".join(sorted({*TYPE_WORDS, "cong dien", "cd", "quy che", "van ban"}, key=len, reverse=True))
# A document named by its type and number, and by whom ("KH 141 của UBND Bắc Ninh"); a bracket
# that holds a number ("(QĐ 2820/QĐ-UBND)", "(ban hành kèm QĐ 2820)"). Folded text.
_REF_SPAN = re.compile(rf"(?:\b(?:theo|trong)\s+)?\b{_DOC_TYPES}\s+(?:so\s+)?\d[^\s,;?()]*(?:\s+(?:cua|do)\s+[^,;?()]{{1,40}}?(?=\s+(?:ve|thi|nham|de|trong)\b|[,;?()]|$))?"
                       r"|\([^()]{0,80}\d[^()]{0,80}\)")
# "Theo QĐ 2530/QĐ-TTg về Kế hoạch …, bộ nào …", "Trong kế hoạch triển khai Nghị định … của Nghệ An,":
# an opening clause that names the document, up to its comma. Folded text.
_NAMING_CLAUSE = re.compile(rf"^(?:theo|trong|tai|can cu)\s+(?:[a-z]+\s+){{0,4}}?{_DOC_TYPES}\b[^,;?]{{0,200}},")
# "về <words>" after a document's number, up to the end of the clause (folded): its title, if it writes them
_ABOUT = re.compile(r"\s+ve\s+(?P<words>[^,;?()]{3,120}?)\s*(?=[,;?()]|$)")
_ABOUT_ALL = re.compile(r"\s+ve\s+(?P<words>[^;?()]{3,160}?)\s*(?=[;?()]|$)")  # "về địa chất, khoáng sản"
# a word left hanging once the number is gone ("… phải làm gì theo?"); "việc thực hiện" is a noun
_DANGLING = re.compile(r"(?<!\bviec)\s+(?:theo|trong|cua|tai|thuc hien)\s*(?=[?.!]?\s*$)")
# "<document type> <number> của <issuer>" (folded): the issuer, up to a comma or the next clause
_ISSUER_OF_REF = re.compile(
    rf"\b{_DOC_TYPES}\s+(?:so\s+)?\S*\d\S*\s+(?:nam \d{{4}}\s+)?"
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


def _asked_role(folded: str) -> str | None:
    """The role a who-question asks for: of the role words it writes, the one nearest its question
    word ("Quy chế phối hợp tìm kiếm … do sở nào chủ trì xây dựng?" asks who leads), a partner first
    when two are as near; "phối hợp (chặt chẽ) với <question word>" asks with whom, whatever follows.

    >>> _asked_role(fold("Quy chế phối hợp cứu nạn mẫu do sở nào chủ trì xây dựng?"))
    'chủ trì'
    >>> _asked_role(fold("Sở nào chủ trì, sở nào phối hợp lập đề án mẫu?")), _asked_role(fold("ai làm đầu mối?"))
    ('phối hợp', 'đầu mối')
    >>> _asked_role(fold("Sở X phối hợp kịp thời với cơ quan nào để tham mưu đề án mẫu?"))
    'phối hợp'
    """
    asks = [m.span() for m in _WHO.finditer(folded)]
    if any(_WITH_WHOM.search(folded[: a[0]]) for a in asks):
        return "phối hợp"  # "… phối hợp kịp thời với cơ quan nào để tham mưu …"
    cues = [(m.span(), "phối hợp") for m in _PARTNER.finditer(folded)]
    cues += [(m.span(), r) for r, p in _LEAD_ROLE.items() for m in p.finditer(folded)]
    if not asks or not cues:
        return None

    def distance(cue: tuple[int, int]) -> int:
        return min(max(cue[0] - a[1], a[0] - cue[1], 0) for a in asks)

    return min(cues, key=lambda c: (distance(c[0]), c[1] != "phối hợp"))[1]


def _words(text: str) -> str:
    """The words of ``text``, without punctuation or emphasis marks, one space apart."""
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def analyze(raw: str) -> Query:
    text = clean(raw)
    folded = fold(text)
    who = bool(_WHO.search(folded))
    role = "nhận báo cáo" if _RECIPIENT.search(folded) else _asked_role(folded) if who else None
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
