"""References to other documents: those written without a document symbol ("Chương trình hành
động số 88", "Kế hoạch 141 ngày 05/3/2025"; full numbers such as "88-CTr/TU" are read by
``ingest.header.find_references``), each recorded with the clause it sits in once the outline
is built (``attach_references``), and what a sentence says the document does to the one it
names (``stated_relation``).

A short reference needs its type word (a bare "số 88" is a quantity as often as a number)
and is kept as the digits alone; ``index.answers.graph`` resolves it against loaded
documents of that type only when one is left.

>>> [(f.doc_type, f.number, f.date) for f in find_short_references(
...     "thực hiện Chương trình hành động số 88 ngày 09/5/2099 của Ban Thường vụ Tỉnh ủy")]
[('Chương trình hành động', '88', '2099-05-09')]
>>> find_short_references("Kế hoạch số 45/KH-UBND; Kế hoạch năm 2025; Nghị quyết 2025")
[]

A symbol the copy spaced out or wrote with a letter is a symbol, not a short reference:

>>> find_short_references("Nghị quyết số 66- NQ/TW; Quyết định số 163a/CT ngày 15/5/1987")
[]
"""

from __future__ import annotations

import re

from ingest.header import Found, find_references
from ingest.models import Document, Reference
from ingest.normalize import number_key

_TYPES = (r"Nghị quyết|Chương trình hành động|Chương trình|Kế hoạch|Quyết định|Chỉ thị|Kết luận|Thông báo"
          r"|Công văn|Đề án|Hướng dẫn")
_DATE = r"ngày\s*(\d{1,2})\s*(?:/\s*(\d{1,2})\s*/\s*(\d{4})|tháng\s*(\d{1,2})\s*năm\s*(\d{4}))"
SHORT = re.compile(rf"(?P<type>{_TYPES})\s+(?P<so>số\s+)?(?P<num>\d{{1,4}})(?!\d)(?![/\-–.,]\d|\s?[/\-–]\s?[A-Za-zĐđ]|[a-zđ]{{0,2}}/)"
                   rf"(?:\s*,?\s*(?:{_DATE}))?")


def find_short_references(text: str) -> list[Found]:
    """Type-and-number references with no symbol; a four-digit number needs "số" (it could be a year)."""
    out = []
    for m in SHORT.finditer(text):
        num = m.group("num")
        if len(num) == 4 and not m.group("so"):
            continue
        d, m1, y1, m2, y2 = m.group(4, 5, 6, 7, 8)
        month, year = (m1, y1) if m1 else (m2, y2)
        date = f"{int(year):04d}-{int(month):02d}-{int(d):02d}" if d and month and year else None
        out.append(Found(num, m.group("type"), date, m.start(), m.end()))
    return out


def attach_references(doc: Document, norm) -> None:
    """Record each document number mentioned, with the innermost clause it sits in."""
    full = find_references(norm.text)
    own = number_key(doc.header.number) if doc.header.number else None
    taken = [(f.start, f.end) for f in full]
    short = [f for f in find_short_references(norm.text) if not any(s < f.end and f.start < e for s, e in taken)]
    for f in sorted(full + short, key=lambda f: f.start):
        if own and number_key(f.number) == own:  # the document's own number ("Số: 99-NQ/TW") is no reference
            continue
        start, end = norm.span(f.start, f.end)
        inner = None
        for c in doc.clauses:
            if c.start <= start < c.end and (inner is None or c.depth >= inner.depth):
                inner = c
        doc.references.append(Reference(f.number, f.doc_type, f.date, start, end, inner.id if inner else None))


# --- what a document says it does to the document a reference names -----------------------------

# The verb right before the reference (a few words may sit between): "thay thế Quyết định số …",
# "bãi bỏ toàn bộ Quyết định số …", "sửa đổi, bổ sung một số điều của Nghị định số …" ("bổ sung"
# alone is a common task verb, so amending needs "sửa đổi"). Tried in this order.
_CUES = (("replaces", re.compile(r"\b(?:thay the|bai bo|huy bo)(?: cho| toan bo| mot phan| noi dung)?\W*$")),
         ("amends", re.compile(r"\bsua doi\b(?:(?!sua doi)[^.;:\n]){0,45}$")))  # the last "sửa đổi" before it
_KINDS = "quyet dinh|nghi quyet|nghi dinh|thong tu|ke hoach|chi thi"  # folded type words
_PATTERNS = {
    # the document speaking of itself: "Quyết định này …", "Kế hoạch này …"
    "self": rf"\b(?:{_KINDS}|quy dinh|chuong trinh(?: hanh dong)?|van ban|huong dan|de an|cong van|luat|quy che"
            r"|ket luan|thong bao|phap lenh) nay\b",
    # a proposal, not a decision: "Kiến nghị thực thi: Sửa đổi khoản 2 Điều 5 Thông tư số …"
    "proposes": r"\b(?:kien nghi|de xuat|du thao|phuong an)\b",
    # a document number with its symbol (a date has none): "84/2025/qd-ubnd"
    "number": r"\d+(?:/\d+)*[/-][a-z][\w/-]*\w",
    # what may open a sentence before its verb: markup, "Điều 2.", "2.", "a)"
    "opening": r"^[\s*#|_>\-–+•]*(?:(?:dieu|khoan|diem|muc)\s+\w+\W*)?(?:[a-z0-9]{1,4}[.)]\s*)?[\s*_]*$",
    # a title, "QUYẾT ĐỊNH SỬA ĐỔI, BỔ SUNG QUYẾT ĐỊNH SỐ …", or the enacting words "… ban hành Quyết định bãi bỏ …"
    "title": rf"(?:^[\s*#|_]*|\bban hanh\s+)(?:{_KINDS})\W*$",
}
_SELF, _PROPOSES, _NUMBER, _OPENING, _TITLE = (re.compile(_PATTERNS[k]) for k in
                                               ("self", "proposes", "number", "opening", "title"))


def stated_relation(folded: str, own_number: str | None = None) -> str | None:
    """'replaces' or 'amends' when the words before a reference (``folded``: the sentence up to
    it, folded, lower case) say that the document itself replaces or amends what it names;
    None otherwise. The document must be the subject: "Quyết định này thay thế …", a sentence
    or an article that opens with the verb ("2. Bãi bỏ …"), its title, or its own number. A
    sentence whose subject is another document ("Nghị định số 30/2025/NĐ-CP sửa đổi, bổ sung …"),
    a passive ("được sửa đổi, bổ sung bởi …") or a task ("tham mưu … thay thế …") states nothing.

    >>> stated_relation("ke hoach nay thay the "), stated_relation("2. bai bo toan bo ")
    ('replaces', 'replaces')
    >>> stated_relation("quyet dinh 84/2025/qd-ubnd ngay 02/12/2025 bai bo ", "84/2025/QĐ-UBND")
    'replaces'
    >>> stated_relation("quyet dinh 84/2025/qd-ubnd bai bo quyet dinh 10/2016/qd-ubnd va quyet dinh 14/2022/qd-ubnd sua doi ",
    ...                 "84/2025/QĐ-UBND")
    >>> stated_relation("thong tu 112/2025/tt-btc sua doi thong tu 55/2023/tt-btc duoc sua doi boi ", "112/2025/TT-BTC")
    >>> stated_relation("tieu chuan cua don vi hanh chinh (thay the "), stated_relation("*(ke hoach nay thay the ")
    (None, 'replaces')
    >>> stated_relation("can cu nghi dinh so 30/2025/nd-cp cua chinh phu sua doi, bo sung mot so dieu cua ")
    >>> stated_relation("luat so 64/2025/qh15 duoc sua doi, bo sung boi "), stated_relation("tham muu ubnd tinh thay the ")
    (None, None)
    >>> stated_relation("phi va le phi, duoc\\nsua doi, bo sung boi "), stated_relation("kien nghi thuc thi**\\n\\nsua doi dieu 5 ")
    (None, None)
    """
    joined = re.sub(r"(?<!\n)\n(?!\n)", " ", folded)  # a line wrapped inside a sentence is no boundary
    sentence = re.split(r"[.;:\n](?=\D|$)", joined)[-1]
    said, m = next(((kind, m) for kind, cue in _CUES if (m := cue.search(sentence))), (None, None))
    if m is None:
        return None
    head = sentence[: m.start()]
    if re.search(r"\bduoc\W*$", head) or _PROPOSES.search(joined[: len(joined) - len(sentence)][-150:] + head):
        return None
    if head.count("(") > head.count(")"):  # said inside brackets: of what the brackets follow, unless "… này"
        return said if _SELF.search(head.rsplit("(", 1)[1]) else None
    if _SELF.search(head) or _OPENING.match(head) or _TITLE.match(head):
        return said
    # "Quyết định 84/2025/QĐ-UBND bãi bỏ …": the last document number before the verb is its own
    numbers = _NUMBER.findall(head)
    own = number_key(own_number) if own_number and not own_number.startswith("…") else None
    return said if own and numbers and numbers[-1] == own else None


# An article whose heading states the act and whose items name the documents it is done to:
# "Điều 1. Bãi bỏ toàn bộ các quyết định" + "1. Quyết định số …", "Điều 2. Bãi bỏ các văn bản … như sau:".
# The object must be whole documents ("các quyết định", "một số văn bản"): "Bãi bỏ một số quy định của …"
# repeals provisions, and its items say which.
_DOCUMENTS = rf"(?:toan bo )?(?:cac |mot so |nhung )?(?:{_KINDS}|van ban|chuong trinh|ket luan|quy che)\b"
_HEADING_CUES = (("replaces", re.compile(rf"^(?:thay the|bai bo|huy bo) {_DOCUMENTS}")),
                 ("amends", re.compile(rf"^sua doi(?:,? bo sung)? {_DOCUMENTS}")))


def listed_relation(heading: str, item_head: str) -> str | None:
    """'replaces' or 'amends' for a document named at the start of an item (``item_head``: the
    item's text before the reference, folded) when the heading of the article the item sits in
    (``heading``: folded, without its number) says the article does that to the documents listed.

    >>> listed_relation("bai bo toan bo cac quyet dinh", "1. "), listed_relation("sua doi, bo sung cac nghi quyet", "- ")
    ('replaces', 'amends')
    >>> listed_relation("bai bo mot so quy dinh cua thong tu", "1. ")  # provisions, not documents
    >>> listed_relation("bai bo cac van ban sau", "2. ban chi dao thuc hien "), listed_relation("to chuc thuc hien", "1. ")
    (None, None)
    """
    heading = heading.strip(" *_#|")
    if not _OPENING.match(item_head) or re.match(r"^[\s*#|_>\-–+•]*(?:dieu|khoan|diem|muc)\b", item_head):
        return None
    return next((kind for kind, cue in _HEADING_CUES if cue.match(heading)), None)
