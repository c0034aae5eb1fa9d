"""What a document says about itself (issuer, number, place, date, title) and about
other documents (references such as "Nghị quyết số 36-NQ/TW, ngày 30/01/2023").

All functions take normalised text (see ``normalize``); offsets they return are
offsets in that text.

>>> [r.number for r in find_references("theo Nghị quyết số 189/NQ-CP và Kế hoạch 12-KH/TU")]
['189/NQ-CP', '12-KH/TU']
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
    "ĐỀ ÁN": "Đề án",
    "QUY CHẾ": "Quy chế",
    "QUY ĐỊNH": "Quy định",
    "THÔNG BÁO": "Thông báo",
    "THÔNG BÁO KẾT LUẬN": "Thông báo",  # a Party body's notice of conclusions: a notice, as the portal files it
    "KẾT LUẬN": "Kết luận",
    "CÔNG VĂN": "Công văn",
    "NGHỊ QUYẾT LIÊN TỊCH": "Nghị quyết liên tịch",
    "THÔNG TƯ LIÊN TỊCH": "Thông tư liên tịch",
    "CÔNG ĐIỆN": "Công điện",
    "TỜ TRÌNH": "Tờ trình",
    "LỆNH": "Lệnh",
}
TITLE_LINE = re.compile(r"^(%s)$" % "|".join(map(re.escape, DOC_TYPES)))
_TYPES_LONGEST_FIRST = "|".join(map(re.escape, sorted(DOC_TYPES, key=len, reverse=True)))
# The space after the type may be lost where a capture closed one bold run and opened the next ("**NGHỊ QUYẾT****Về …**").
_TITLE_START = re.compile(rf"^({_TYPES_LONGEST_FIRST}) ?(?:VỀ|V/V|PHÊ|BAN HÀNH|QUY ĐỊNH|SỬA ĐỔI|CỦA|HƯỚNG DẪN|THỰC HIỆN"
                          r"|TRIỂN KHAI|TĂNG CƯỜNG)\b[^:]*$")

# "36-NQ/TW", "64-CTr/TU", "189/NQ-CP", "45/2025/NĐ-CP", "…/KH-UBND"
_SYM = r"[A-ZĐ][A-Za-zĐđ]*\d*(?:\.[A-ZĐ]+\d*)*"  # "V.I" in "11554/VPCP-V.I": a unit's code may hold a dot
# A copy may put a space beside a hyphen or a slash ("66- NQ/TW", "86 /NQ-CP", "12/ CT-TTg", "1717/QĐ- UBND"):
# a part after such a space must open with two capitals and the number must be whole, so "Số 398 - Đường …"
# or "5/ Sở …" is no number. Inside a symbol the space is on one side only: "12/KH-UBND - UBND tỉnh" ends at "UBND".
_CAPS = r"[A-ZĐ]{2}[A-Za-zĐđ]*\d*(?:\.[A-ZĐ]+\d*)*"
_TAIL = rf"(?:-{_SYM}|(?: -|- ){_CAPS})"  # "-UBND", "- UBND", " -UBND"
_SLASH = rf"(?:/{_SYM}|(?: /|/ ){_CAPS})"
NUMBER = re.compile(
    rf"(?<![\w/])(?P<num>(?:\d+|…+|\.{{3,}})(?:-{_SYM}{_SLASH}|/(?:\d{{4}}/)?{_SYM}{_TAIL}*"
    rf"| ?- ?{_CAPS}{_SLASH}| ?/ ?(?:\d{{4}} ?/ ?)?{_CAPS}{_TAIL}+))"
)
TYPE_WORDS = (r"Nghị quyết|Chương trình hành động|Chương trình|Kế hoạch|Nghị định|Quyết định|Thông tư|Chỉ thị|Luật"
               r"|Công văn|Đề án|Kết luận|Thông báo|Quy định|Hướng dẫn")
_DATE = r"ngày\s*(\d{1,2})\s*(?:/\s*(\d{1,2})\s*/\s*(\d{4})|tháng\s*(\d{1,2})\s*năm\s*(\d{4}))"
REFERENCE = re.compile(
    rf"(?:(?P<type>{TYPE_WORDS})\s+(?:số\s+)?)?{NUMBER.pattern}(?:\s*,?\s*(?P<date>{_DATE}))?"
)
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
    """'…………/KH-UBND' → '…/KH-UBND', '66- NQ/TW' → '66-NQ/TW'; other numbers unchanged.

    >>> canonical_number("…………/KH-UBND"), canonical_number("1717/QĐ- UBND")
    ('…/KH-UBND', '1717/QĐ-UBND')
    """
    return re.sub(r"^(?:…+|\.{3,})", "…", re.sub(r"\s+", "", raw))


def find_references(text: str) -> list[Found]:
    """Document numbers mentioned in ``text``, with type and date when written beside them."""
    out: list[Found] = []
    for m in REFERENCE.finditer(text):
        num = canonical_number(m.group("num"))
        if num.startswith("…"):
            continue
        date = _iso(m.group(*range(m.re.groupindex["date"] + 1, m.re.groupindex["date"] + 6))) if m.group("date") else None
        out.append(Found(num, m.group("type"), date, m.start(), m.end()))
    return out


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


def _known_casing(line: str) -> str | None:
    """A body's name as written, when an all-caps line is a name the recogniser knows."""
    from ingest.body_vocab import known_names

    g = known_names()
    return g.written(line) if g.exact(line) else None


def issuer_name(lines: list[str]) -> str | None:
    """'UỶ BAN NHÂN DÂN' + 'TỈNH BÌNH THUẬN' → 'Ủy ban nhân dân tỉnh Bình Thuận';
    'BAN CHẤP HÀNH TRUNG ƯƠNG' → 'Ban Chấp hành Trung ương'; 'TỈNH ỦY TỈNH MẪU' → 'Tỉnh ủy tỉnh Mẫu';
    'ĐẢNG BỘ TỈNH MẪU' + 'BAN THƯỜNG VỤ TỈNH ỦY' → 'Ban Thường vụ Tỉnh ủy tỉnh Mẫu'.

    >>> issuer_name(["ĐẢNG BỘ TỈNH MẪU", "BAN THƯỜNG VỤ TỈNH ỦY"])
    'Ban Thường vụ Tỉnh ủy tỉnh Mẫu'
    >>> issuer_name(["BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"])
    'Bộ Nông nghiệp và Môi trường'
    >>> issuer_name(["BỘ TÀI CHÍNH", "CỤC THUẾ"]), issuer_name(["ỦY BAN NHÂN DÂN", "TỈNH MẪU", "SỞ XÂY DỰNG"])
    ('Cục Thuế', 'Sở Xây dựng tỉnh Mẫu')
    >>> issuer_name(["BAN CHẤP HÀNH", "TRUNG ƯƠNG", "VĂN PHÒNG"])
    'Văn phòng Trung ương Đảng'
    >>> issuer_name(["BAN CHẤP HÀNH", "TRUNG ƯƠNG", "BAN KIỂM TRA VÀ GIÁM SÁT MẪU"])
    'Ban Kiểm tra và Giám sát mẫu Trung ương'

    """
    text = " ".join(" ".join(lines).split()).lower()
    if not text:
        return None
    central = " ".join(" ".join(lines[:-1]).split()).lower() == "ban chấp hành trung ương"
    if len(lines) > 1 and _SUBORDINATE.match(lines[-1]) and (central or not _SUBORDINATE.match(lines[0])) \
            and not re.match(r"đảng bộ ", lines[0].lower()):
        # "BỘ TÀI CHÍNH" / "CỤC THUẾ": the body below its superior issues; "UBND TỈNH MẪU" / "SỞ TÀI CHÍNH": of its place
        own = issuer_name(lines[-1:])
        above = issuer_name(lines[:-1]) or ""
        if above == "Ban Chấp hành Trung ương":  # "BAN CHẤP HÀNH TRUNG ƯƠNG" / "VĂN PHÒNG"
            return f"{own} Trung ương{' Đảng' if own == 'Văn phòng' else ''}"
        place = PROVINCE.search(above)
        return f"{own} {'thành phố' if 'THÀNH PHỐ' in ' '.join(lines[:-1]) else 'tỉnh'} {place['name']}" \
            if place and not PROVINCE.search(own) else own
    if len(lines) > 1 and (party := re.match(r"đảng bộ (?P<place>.+)$", " ".join(lines[0].lower().split()))):
        # "ĐẢNG BỘ TỈNH MẪU" / "BAN THƯỜNG VỤ TỈNH ỦY": the issuer is the second line, of that place
        issuer = issuer_name(lines[1:])
        place = [w if w in PLACE_WORDS else w.capitalize() for w in party["place"].split()]
        return f"{issuer} {' '.join(place)}" if issuer else None
    known = next((k for k in sorted(ISSUERS, key=len, reverse=True) if text == k or text.startswith(k + " ")), None)
    if known:
        head, rest = ISSUERS[known], text[len(known):].split()
    elif written := _known_casing(lines[0]):
        head, rest = written, text.split()[len(lines[0].split()):]
    else:  # the first line is the body's name ("Sở …"), the rest its place
        first = lines[0].lower().split()
        n = 2 if " ".join(first[:2]) in _TWO_WORD_HEADS else 1  # "Cục Thuế", "Văn phòng Tỉnh ủy": the name's first word
        words = [first[0].capitalize(), *first[1:n], *(w if w in PLACE_WORDS else w.capitalize() for w in first[n:n + 1]),
                 *first[n + 1:]]
        if words[0] == "Ban":  # a Party commission named after two fields: "Ban Tuyên giáo và Dân vận"
            words = [w.capitalize() if i and words[i - 1] == "và" else w for i, w in enumerate(words)]
        head, rest = " ".join(words), text.split()[len(first):]
    return " ".join([head] + [w if w in PLACE_WORDS else w.capitalize() for w in rest])


_TWO_WORD_HEADS = {"văn phòng", "tổng cục", "chi cục", "trung tâm", "thanh tra", "kho bạc", "ủy ban", "uỷ ban", "hội đồng",
                   "bảo hiểm", "ban quản", "đảng ủy", "đảng uỷ", "công an"}
# "… tỉnh Bình Thuận", "… thành phố Hà Nội" at the end of an issuer's name: its province or city.
PROVINCE = re.compile(r"\b(?:tỉnh|thành phố)\s+(?P<name>[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][^,;()]*?)\s*$")
# The head of a body that sits below the one named on the line above it.
_SUBORDINATE = re.compile(r"^(?:SỞ|CỤC|TỔNG CỤC|CHI CỤC|VỤ|VĂN PHÒNG|BAN|TRUNG TÂM|THANH TRA|KHO BẠC|THUẾ|HẢI QUAN|BỘ CHỈ HUY"
                          r"|CÔNG AN|ĐẢNG ỦY|ĐẢNG UỶ|ỦY BAN KIỂM TRA|UỶ BAN KIỂM TRA|HỘI ĐỒNG|BAN QUẢN LÝ|ĐÀI|BẢO HIỂM)\b")
# The national motto of a State header, the name of the Party over a Party header.
MOTTO = r"CỘNG H(?:ÒA|OÀ) XÃ HỘI CHỦ NGHĨA VIỆT NAM|ĐẢNG CỘNG SẢN VIỆT NAM|Độc lập\s*[-–]\s*Tự do\s*[-–]\s*Hạnh phúc"
_MOTTO = re.compile(rf"{MOTTO}|-{{3,}}|_+|\*+|(?<=\S) (?=Số\s*:)")
_MARKER = re.compile(r"^(?:[IVX]{1,5}(?:\.|\s?-)\s|Chương\s+[IVXLC\d]|Điều\s+\d|PHỤ LỤC|\d{1,2}\.\s)")
_TITLE_THEN_SUBJECT = re.compile(rf"^({_TYPES_LONGEST_FIRST}) ?"
                                 r"(?=(?:Về|Quy định|Ban hành|Hướng dẫn|Sửa đổi|Phê duyệt|Thực hiện|Triển khai)\b)")
# A header's number line: the number alone, or with the place and date ("Số: 12/KH-UBND | Hà Nội, ngày …"); not a
# sentence that starts with one ("Nghị quyết số 27-NQ/TW ngày … của …").
_HEADER_NUMBER = re.compile(rf"^(?:Luật )?Số\s*:?\s*{NUMBER.pattern}\s*(?:\|\s*)?(?:[^,\d]{{0,40}},?\s*ngày\b.*)?$")
_LAW_TITLE = re.compile(r"^LUẬT ?(?=[A-ZĐÀ-Ỹ])")
_NUMBER_LINE = re.compile(r"^(?:Luật |Nghị quyết |Pháp lệnh |Lệnh )?[Ss]ố\s*:?\s*(?P<rest>(?:\d|…|\.\.\.|/|-|_).*|)$")
_DATE_LINE = re.compile(r"^[^,\d]{0,40},?\s*ngày\b.*\bnăm\s*\d{4}\b")
_SUBJECT = re.compile(r"^V/v\b\s*(?P<rest>.*)$", re.IGNORECASE)
_ADDRESSEES = re.compile(r"^Kính gửi\s*:?", re.IGNORECASE)
# Lines after the doc-type line that are no longer its title: the authority that enacts
# ("THỦ TƯỚNG CHÍNH PHỦ", "BỘ TRƯỞNG BỘ …"), the legal bases, the enacting formula.
_NOT_TITLE = re.compile(r"^(?:THỦ TƯỚNG|BỘ TRƯỞNG|CHỦ TỊCH|ỦY BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|BAN CHẤP HÀNH|BAN THƯỜNG VỤ"
                        r"|BỘ CHÍNH TRỊ|CHÍNH PHỦ|GIÁM ĐỐC|TỔNG GIÁM ĐỐC|CỤC TRƯỞNG|QUYẾT ĐỊNH:|QUYẾT NGHỊ:)"
                        r"|^(?:Căn cứ|Thực hiện|Theo đề nghị|Xét đề nghị|Xét|\(Kèm theo)")


def header_lines(lines) -> tuple[int, list[str]]:
    """(index of the first body line, the header's lines) of a document's ``ingest.lines``.

    The header runs to the title block: the doc-type line ("KẾ HOẠCH") and the title lines
    after it; for an official letter (công văn), to its subject ("V/v …") and its
    addressees ("Kính gửi: - …"). Table cells are lines of their own, and the national
    motto is left out, so "| THỦ TƯỚNG CHÍNH PHỦ ---- | CỘNG HÒA … |" gives the issuer.
    """
    first = lines[:40]
    title_at = next((i for i, ln in enumerate(first) if title_type(ln.text)), None)
    if title_at is not None:
        end = title_at + 1
        while end < len(lines) and _title_goes_on(lines[end], end == title_at + 1) and (
                lines[end].follows(lines[end - 1])
                or (end == title_at + 1 and lines[end].number <= lines[end - 1].number + 2 and lines[end].raw[:1] in "*#_")):
            end += 1  # a Markdown title may stand a blank line below its "# KẾ HOẠCH"
        return end, _split(lines[:title_at]) + [ln.text for ln in lines[title_at:end]]
    subject_at = next((i for i, ln in enumerate(first) if _SUBJECT.match(ln.text)), None)
    if subject_at is None:
        return _numbered(lines)
    end = subject_at + 1
    while end < len(lines) and lines[end].follows(lines[end - 1]) and not _ADDRESSEES.match(lines[end].text) \
            and not _DATE_LINE.match(lines[end].text):
        end += 1
    subject = " ".join([_SUBJECT.match(lines[subject_at].text)["rest"], *(ln.text for ln in lines[subject_at + 1 : end])])
    after = []  # the place and date, written after the subject when they sit in the right-hand column
    while end < len(lines) and end < subject_at + 4 and (_DATE_LINE.match(lines[end].text) or _NUMBER_LINE.match(lines[end].text)):
        after.append(lines[end].text)
        end += 1
    return _past_addressees(lines, end), _split(lines[:subject_at]) + after + ["CÔNG VĂN", subject]


def _past_addressees(lines, end: int) -> int:
    """The index past a letter's addressees ("Kính gửi: - …"), when they start at ``end``."""
    if end < len(lines) and _ADDRESSEES.match(lines[end].text):
        end += 1
        while end < len(lines) and (lines[end].text[:1] in "-+•·" or _ADDRESSEES.match(lines[end].text)):
            end += 1
    return end


def _numbered(lines) -> tuple[int, list[str]]:
    """The header of a copy with neither a title line nor a "V/v" subject, up to its "Số:" line
    and the place and date after it: a decree whose "NGHỊ ĐỊNH" line the capture lost, or a
    letter whose subject is written without "V/v" ("Về hướng dẫn …", then "Kính gửi: …")."""
    number_at = next((i for i, ln in enumerate(lines[:40]) if _HEADER_NUMBER.match(ln.text)), None)
    if number_at is None:
        return 0, []
    head, subject, end = _split(lines[: number_at + 1]), None, number_at + 1
    while end < min(len(lines), number_at + 4):
        text = lines[end].text
        if _DATE_LINE.match(text):
            head.append(text)
        elif subject is None and re.match(r"^(?:V/v|Về)\s", text, re.IGNORECASE):
            subject = _SUBJECT.sub(r"\g<rest>", text)
        else:
            break
        end += 1
    if subject is not None and end < len(lines) and _ADDRESSEES.match(lines[end].text):
        return _past_addressees(lines, end), head + ["CÔNG VĂN", subject]
    return end, head


def title_type(text: str) -> str | None:
    """The document type a title line names: "KẾ HOẠCH", or a line in capitals that starts with
    it ("QUYẾT ĐỊNH VỀ VIỆC BAN HÀNH …", as a capture may join a title's lines); else None.

    >>> title_type("KẾ HOẠCH"), title_type("QUYẾT ĐỊNH VỀ VIỆC BAN HÀNH QUY CHẾ"), title_type("QUYẾT ĐỊNH:")
    ('Kế hoạch', 'Quyết định', None)
    >>> title_type("NGHỊ ĐỊNH Về hợp đồng mẫu"), title_type("KẾ HOẠCH được ban hành")
    ('Nghị định', None)
    >>> title_type("NGHỊ QUYẾTVề việc thử nghiệm"), title_type("LUẬT THỬ NGHIỆM MẪU"), title_type("THÔNG BÁO KẾT LUẬN")
    ('Nghị quyết', 'Luật', 'Thông báo')
    """
    if m := TITLE_LINE.match(text):
        return DOC_TYPES[m.group(1)]
    if text.isupper() and (m := _TITLE_START.match(text)):
        return DOC_TYPES[m.group(1)]
    if m := _TITLE_THEN_SUBJECT.match(text):  # "NGHỊ ĐỊNH Về hợp đồng …": type and subject run together
        return DOC_TYPES[m.group(1)]
    if text.isupper() and _LAW_TITLE.match(text):  # "LUẬT VIỆC LÀM": a law's title is its name
        return "Luật"
    return None


def _type_prefix(line: str, doc_type: str) -> int:
    """How many characters of a title line name its type ("THÔNG BÁO KẾT LUẬN" whole, "LUẬT" of "LUẬTCÁN BỘ")."""
    return max((len(k) for k, v in DOC_TYPES.items() if v == doc_type and line.startswith(k)), default=0)


def _title_goes_on(ln, first: bool) -> bool:
    if _NOT_TITLE.match(ln.text) or ln.cells is not None or _MARKER.match(ln.text):
        return False
    return first or ln.text.isupper()


def _split(lines) -> list[str]:
    """Header lines: one per table cell, the motto dropped ("ỦY BAN …     CỘNG HÒA …" gives "ỦY BAN …").

    >>> from ingest.lines import Line
    >>> _split([Line("THỦ TƯỚNG CHÍNH PHỦ / -------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / ----", 0, 0, 1)])
    ['THỦ TƯỚNG CHÍNH PHỦ']
    """
    out = []
    for ln in lines:
        parts = ln.cells if ln.cells is not None else [ln.text]
        for part in parts:
            # " | " and " / " part a table's cells and a cell's paragraphs where a reader joined them on one line
            for piece in re.split(r"\n|\s[|/](?=\s|$)", _MOTTO.sub("\n", part)):
                if re.search(r"\w", piece):
                    out.append(" ".join(piece.split()))
    return out


def parse_header(lines: list[str]) -> Header:
    """Header fields from the stripped, normalised lines that precede the title block.

    ``lines`` ends with the doc-type line and the title lines when there is a title.

    >>> h = parse_header(["ỦY BAN NHÂN DÂN", "TỈNH MẪU", "Số: 7103 /UBND-TH", "Tỉnh Mẫu, ngày 10 tháng 7 năm 2099",
    ...                   "CÔNG VĂN", "triển khai thực hiện Nghị định mẫu"])
    >>> h.number, h.issuer, h.doc_type, h.date
    ('7103/UBND-TH', 'Ủy ban nhân dân tỉnh Mẫu', 'Công văn', '2099-07-10')
    >>> parse_header(["Số:          /UBND-XD Tỉnh Mẫu, ngày        tháng 7 năm 2099"]).number
    '…/UBND-XD'
    >>> parse_header(["Số: 7104 /QĐ -UBND"]).number  # a space on either side of the symbol's hyphen
    '7104/QĐ-UBND'
    """
    h = Header()
    issuer_lines: list[str] = []
    lines = _rejoin_number(lines)
    for i, line in enumerate(lines):
        if _MOTTO.fullmatch(line):
            continue
        dated = line
        if (m := _NUMBER_LINE.match(line)) and h.number is None:
            rest = re.sub(r"(?<=[\d….])\s+(?=[/-])|(?<=[/-])\s+(?=[A-ZĐ])", "", m["rest"])  # "7432 /UBND-XD"
            rest = re.sub(r"^[\s_]*(?=[/-][A-ZĐ])", "…", rest)  # "Số:      /KH-UBND", "Số -CTr/TU": left blank
            if found := NUMBER.search(rest):
                h.number = canonical_number(found.group("num"))
                h.number_known = not h.number.startswith("…")
                h.symbol = symbol_of(h.number)
                dated = rest[found.end():]
        if "ngày" in dated and "năm" in dated and h.date is None:
            h.signed_in, h.date = parse_date(dated)
            continue
        if doc_type := title_type(line):
            h.doc_type = doc_type
            rest_of_line = line[_type_prefix(line, doc_type):]
            pieces = [rest_of_line.strip(), *lines[i + 1 :]]
            # a capture may write the subject twice: joined to the type's line and on a line of its own
            h.title = " ".join(p for j, p in enumerate(pieces) if p and (j == 0 or p != pieces[j - 1])) or None
            break
        if line.isupper() and h.number is None and not m:
            issuer_lines.append(line)
    h.issuer = issuer_name(issuer_lines)
    return h


def _rejoin_number(lines: list[str]) -> list[str]:
    """A number wrapped after its hyphen or slash is one line again: "Số: 3783/QĐ-" + "UBND".

    >>> _rejoin_number(["Số: 12/QĐ-", "UBND", "Tỉnh Mẫu, ngày 2 tháng 7 năm 2099"])[0]
    'Số: 12/QĐ-UBND'
    """
    out: list[str] = []
    for line in lines:
        if out and _NUMBER_LINE.match(out[-1]) and out[-1].endswith(("-", "/")) and _SYMBOL_TAIL.match(line):
            out[-1] += line
        else:
            out.append(line)
    return out


_SYMBOL_TAIL = re.compile(r"^[A-ZĐ][A-ZĐ0-9.-]*$")
