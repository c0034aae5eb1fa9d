"""What a document says about itself (issuer, number, place, date, title) and about
other documents (references such as "Nghị quyết số 36-NQ/TW, ngày 30/01/2023").

All functions take normalised text (see ``normalize``); offsets they return are
offsets in that text.

>>> [r.number for r in find_references("theo Nghị quyết số 189/NQ-CP và NQ 36")]
['189/NQ-CP', '36-NQ/TW']
>>> parse_date("Bình Thuận, ngày        tháng 4 năm 2024")
('Bình Thuận', '2024-04')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.models import Header

DOC_TYPES = {
    "KẾ HOẠCH": "Kế hoạch",
    "NGHỊ QUYẾT": "Nghị quyết",
    "NGHỊ ĐỊNH": "Nghị định",
    "QUYẾT ĐỊNH": "Quyết định",
    "CHƯƠNG TRÌNH HÀNH ĐỘNG": "Chương trình hành động",
    "CHƯƠNG TRÌNH": "Chương trình",
    "THÔNG TƯ": "Thông tư",
    "CHỈ THỊ": "Chỉ thị",
    "LUẬT": "Luật",
    "HƯỚNG DẪN": "Hướng dẫn",
    "BÁO CÁO": "Báo cáo",
}
TITLE_LINE = re.compile(r"^(%s)$" % "|".join(map(re.escape, DOC_TYPES)))

# "36-NQ/TW", "64-CTr/TU", "189/NQ-CP", "45/2025/NĐ-CP", "…/KH-UBND"
_SYM = r"[A-ZĐ][A-Za-zĐđ]*"
NUMBER = re.compile(
    rf"(?<![\w/])(?P<num>(?:\d+|…+|\.{{3,}})(?:-{_SYM}/{_SYM}|/(?:\d{{4}}/)?{_SYM}(?:-{_SYM})+))"
)
_TYPE_WORDS = r"Nghị quyết|Chương trình hành động|Chương trình|Kế hoạch|Nghị định|Quyết định|Thông tư|Chỉ thị|Luật"
_DATE = r"ngày\s*(\d{1,2})\s*(?:/\s*(\d{1,2})\s*/\s*(\d{4})|tháng\s*(\d{1,2})\s*năm\s*(\d{4}))"
REFERENCE = re.compile(
    rf"(?:(?P<type>{_TYPE_WORDS})\s+(?:số\s+)?)?{NUMBER.pattern}(?:\s*,?\s*(?P<date>{_DATE}))?"
)
# Short forms staff and texts use: "NQ 36", "Nghị quyết 189", "CTr 64".
SHORT_REFERENCE = re.compile(
    r"\b(?P<type>NQ|Nghị quyết|CTr|Chương trình)\s+(?:số\s+)?(?P<n>\d{2,3})\b(?![-/])", re.IGNORECASE
)
_SHORT_KNOWN = {("nq", "36"): "36-NQ/TW", ("nq", "189"): "189/NQ-CP", ("ctr", "64"): "64-CTr/TU"}


@dataclass
class Found:
    number: str
    doc_type: str | None
    date: str | None
    start: int
    end: int


def _iso(groups: tuple[str | None, ...]) -> str | None:
    d, m1, y1, m2, y2 = groups
    month, year = (m1, y1) if m1 else (m2, y2)
    if not (d and month and year):
        return None
    return f"{int(year):04d}-{int(month):02d}-{int(d):02d}"


def canonical_number(raw: str) -> str:
    """'…………/KH-UBND' → '…/KH-UBND'; other numbers unchanged.

    >>> canonical_number("…………/KH-UBND")
    '…/KH-UBND'
    """
    return re.sub(r"^(?:…+|\.{3,})", "…", raw)


def find_references(text: str) -> list[Found]:
    """Document numbers mentioned in ``text``, with type and date when written beside them."""
    out: list[Found] = []
    taken: list[tuple[int, int]] = []
    for m in REFERENCE.finditer(text):
        num = canonical_number(m.group("num"))
        if num.startswith("…"):
            continue
        date = _iso(m.group(*range(m.re.groupindex["date"] + 1, m.re.groupindex["date"] + 6))) if m.group("date") else None
        out.append(Found(num, m.group("type"), date, m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for m in SHORT_REFERENCE.finditer(text):
        key = ("nq" if m.group("type").lower() in ("nq", "nghị quyết") else "ctr", m.group("n"))
        if key in _SHORT_KNOWN and not any(s <= m.start() < e for s, e in taken):
            out.append(Found(_SHORT_KNOWN[key], None, None, m.start(), m.end()))
    return sorted(out, key=lambda f: f.start)


def symbol_of(number: str) -> str | None:
    """The document symbol (ký hiệu) of a number; party documents keep both parts.

    >>> symbol_of("…/KH-UBND"), symbol_of("99/2099/NĐ-CP"), symbol_of("36-NQ/TW")
    ('KH-UBND', 'NĐ-CP', 'NQ/TW')
    """
    if m := re.fullmatch(r"(?:\d+|…)-(?P<sym>[^/\s]+/[^/\s]+)", number):
        return m["sym"]
    return number.rsplit("/", 1)[-1] if "/" in number else None


def parse_date(line: str) -> tuple[str | None, str | None]:
    """(place, ISO date) from a line like "Hà Nội, ngày 16 tháng 11 năm 2023"; partial when blank."""
    m = re.search(r"^\s*(?P<place>[^,\n]*?),?\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?\s*năm\s*(?P<y>\d{4})", line)
    if not m:
        return None, None
    parts = [m.group("y")] + [f"{int(v):02d}" for v in (m.group("m"), m.group("d")) if v]
    if not m.group("m"):
        parts = parts[:1]
    return (m.group("place").strip() or None), "-".join(parts)


# Issuing bodies as Vietnamese writes them (headers are in capitals): the capitals they keep.
ISSUERS = {n.lower(): n for n in (
    "Ban Chấp hành Trung ương", "Bộ Chính trị", "Ban Bí thư", "Quốc hội", "Ủy ban Thường vụ Quốc hội", "Chính phủ",
    "Thủ tướng Chính phủ", "Tỉnh ủy", "Ban Thường vụ Tỉnh ủy", "Thành ủy", "Ban Thường vụ Thành ủy",
    "Ủy ban nhân dân", "Hội đồng nhân dân")}
# Words for a kind of place, written in lower case before the place's name: "tỉnh Bình Thuận".
PLACE_WORDS = {"tỉnh", "thành", "phố", "huyện", "quận", "thị", "xã", "phường", "trấn"}


def _issuer(lines: list[str]) -> str | None:
    """'UỶ BAN NHÂN DÂN' + 'TỈNH BÌNH THUẬN' → 'Ủy ban nhân dân tỉnh Bình Thuận';
    'BAN CHẤP HÀNH TRUNG ƯƠNG' → 'Ban Chấp hành Trung ương'; 'TỈNH ỦY TỈNH MẪU' → 'Tỉnh ủy tỉnh Mẫu'."""
    text = " ".join(" ".join(lines).split()).lower()
    if not text:
        return None
    known = next((k for k in sorted(ISSUERS, key=len, reverse=True) if text == k or text.startswith(k + " ")), None)
    if known:
        head, rest = ISSUERS[known], text[len(known):].split()
    else:  # the first line is the body's name ("Sở …"), the rest its place
        first = lines[0].lower().split()
        head, rest = " ".join([first[0].capitalize()] + first[1:]), text.split()[len(first):]
    return " ".join([head] + [w if w in PLACE_WORDS else w.capitalize() for w in rest])


def parse_header(lines: list[str]) -> Header:
    """Header fields from the stripped, normalised lines that precede the title block.

    ``lines`` ends with the doc-type line and the title lines when there is a title.
    """
    h = Header()
    issuer_lines: list[str] = []
    for i, line in enumerate(lines):
        if line.startswith("Số"):
            m = NUMBER.search(line)
            if m:
                h.number = canonical_number(m.group("num"))
                h.number_known = not h.number.startswith("…")
                h.symbol = symbol_of(h.number)
        elif "ngày" in line and "năm" in line and h.date is None:
            h.place, h.date = parse_date(line)
        elif TITLE_LINE.match(line):
            h.doc_type = DOC_TYPES[line]
            h.title = " ".join(lines[i + 1 :]) or None
            break
        elif line.isupper() and not line.startswith(("CỘNG HÒA", "CỘNG HOÀ")) and h.number is None:
            issuer_lines.append(line)
    h.issuer = _issuer(issuer_lines)
    return h
