"""A document's identity beyond its header lines: what a page capture's metadata block adds,
the issuer named by the enacting authority, the date a resolution or a law was adopted, the
jurisdiction (``Header.place``) and the name a user reads (``display_name``).

``ingest.pipeline.identify`` applies them to every parsed document.
"""

from __future__ import annotations

import re

from ingest.header import DOC_TYPES, MOTTO, NUMBER, PROVINCE, TYPE_WORDS, canonical_number, issuer_name, symbol_of
from ingest.models import NATIONAL, Header


def apply_metadata(h: Header, meta: dict[str, str]) -> Header:
    """Fill what the text left unread from a capture's metadata block (``ingest.capture.metadata``):
    "Số hiệu", "Loại văn bản", "Nơi ban hành" (an issuer, or a province: "Tỉnh Hà Tĩnh"),
    "Người ký", "Ngày ban hành" ("20/11/2025"). A number the copy leaves blank is taken from the
    portal when the portal has it.

    >>> h = apply_metadata(Header(number="…/KH-UBND", symbol="KH-UBND"),
    ...     {"Số hiệu": "12/KH-UBND", "Nơi ban hành": "Tỉnh Hà Tĩnh", "Người ký": "Nguyễn Văn A", "Ngày ban hành": "02/07/2099"})
    >>> h.number, h.number_known, h.place, h.signer, h.date, h.issuer
    ('12/KH-UBND', True, 'Hà Tĩnh', 'Nguyễn Văn A', '2099-07-02', None)
    """
    number = meta.get("Số hiệu", "")
    if (found := NUMBER.fullmatch(number.replace(" ", ""))) and not h.number_known:
        h.number, h.number_known = canonical_number(found.group("num")), True
        h.symbol = symbol_of(h.number)
    kind = meta.get("Loại văn bản", "")
    if h.doc_type is None and kind.upper() in DOC_TYPES:
        h.doc_type = DOC_TYPES[kind.upper()]
    where = " ".join(meta.get("Nơi ban hành", "").split())
    province = re.match(r"^(?:Tỉnh|Thành phố|TP\.?)\s+(?P<name>\S.*)$", where)
    if province:
        h.place = h.place or province["name"]
    elif where and not h.issuer and where not in ("Đang cập nhật", "Không xác định"):
        h.issuer = where
        h.place = h.place or place_of(where, h.symbol)
    signer = " ".join(meta.get("Người ký", "").split())
    if signer and signer not in ("Đang cập nhật", "Đã biết", "***"):
        h.signer = h.signer or signer
    if h.date is None and (d := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", meta.get("Ngày ban hành", "").strip())):
        h.date = f"{d[3]}-{int(d[2]):02d}-{int(d[1]):02d}"
    return h


_NATIONAL = re.compile(r"^(?:Bộ (?!Chỉ huy)|Chính phủ|Thủ tướng|Quốc hội|Ủy ban Thường vụ Quốc hội|Văn phòng Chính phủ"
                       r"|Văn phòng Quốc hội|Văn phòng Chủ tịch nước|Chủ tịch nước|Ban Chấp hành Trung ương|Bộ Chính trị"
                       r"|Ban Bí thư|Tổng cục|Cục |Ngân hàng Nhà nước|Kiểm toán [Nn]hà nước|Tòa án nhân dân tối cao"
                       r"|Viện [Kk]iểm sát nhân dân tối cao|Thanh tra Chính phủ|Ủy ban Dân tộc|Đảng ủy Chính phủ|Đảng ủy Quốc hội)"
                       r"|Trung ương")
_NATIONAL_SYMBOL = re.compile(r"(?:/TW|/VPTW|/BTGDVTW|/ĐUCP|/ĐUQH|-TTg|-CP|/QH\d*|-VPCP|-UBTVQH\d*|-NHNN|-KTNN|-TTCP)$"
                              r"|^[A-ZĐ]+-B[A-ZĐ]+$")


def place_of(issuer: str | None, symbol: str | None) -> str | None:
    """The jurisdiction of a document (``Header.place``) from its issuer, else its symbol.

    >>> place_of("Ủy ban nhân dân tỉnh Bình Thuận", "KH-UBND"), place_of("Sở Tài chính thành phố Hà Nội", None)
    ('Bình Thuận', 'Hà Nội')
    >>> place_of("Bộ Tài chính", None), place_of("Ban Chấp hành Trung ương", None), place_of(None, "QĐ-TTg")
    ('national', 'national', 'national')
    >>> place_of("Ủy ban nhân dân", "KH-UBND") is None
    True
    """
    if issuer:
        if m := PROVINCE.search(issuer):
            return m["name"]
        if _NATIONAL.search(issuer):
            return NATIONAL
    if symbol and _NATIONAL_SYMBOL.search(symbol):
        return NATIONAL
    return None


# The authority that enacts, on its own line below the title ("CHÍNH PHỦ", "BỘ TRƯỞNG BỘ Y TẾ"): the issuer
# of a copy that has no issuer block.
_AUTHORITY = re.compile(r"^(?:BỘ TRƯỞNG (?=BỘ )|CHỦ TỊCH (?=ỦY BAN|UỶ BAN))?(?P<body>CHÍNH PHỦ|QUỐC HỘI|THỦ TƯỚNG CHÍNH PHỦ"
                        r"|ỦY BAN THƯỜNG VỤ QUỐC HỘI|UỶ BAN THƯỜNG VỤ QUỐC HỘI|BỘ CHÍNH TRỊ|BAN BÍ THƯ|BAN CHẤP HÀNH TRUNG ƯƠNG"
                        r"|BỘ [A-ZĐÀ-Ỹ ,]+|(?:ỦY|UỶ) BAN NHÂN DÂN [A-ZĐÀ-Ỹ ]+|HỘI ĐỒNG NHÂN DÂN [A-ZĐÀ-Ỹ ]+)$")


def authority(lines: list[str]) -> str | None:
    """The issuer named by the enacting authority's line, among the first lines of the body.

    >>> authority(["Căn cứ Luật Tổ chức Chính phủ", "BỘ TRƯỞNG BỘ Y TẾ"]), authority(["CHÍNH PHỦ"])
    ('Bộ Y tế', 'Chính phủ')
    """
    for line in lines:
        if m := _AUTHORITY.match(line):
            return issuer_name([m["body"]])
    return None


# The enacting formula of a copy whose issuer block and title line were lost: "Bộ trưởng Bộ Công Thương ban hành
# Thông tư …", "Chính phủ ban hành Nghị định …", "Quốc hội ban hành Luật …".
_FORMULA = re.compile(r"(?:^|(?<=[;,] )|(?<=[^\W\d]\. ))(?:(?:Bộ trưởng|Chủ tịch|Thống đốc|Tổng Kiểm toán) )?(?P<body>Bộ [^,;.]+?|Chính phủ"
                      r"|Thủ tướng Chính phủ|Quốc hội|Ủy ban Thường vụ Quốc hội|Ngân hàng Nhà nước Việt Nam"
                      r"|(?:Ủy|Uỷ) ban nhân dân [^,;.]+?|Hội đồng nhân dân [^,;.]+?) ban hành (?P<type>Thông tư|Nghị định"
                      r"|Luật|Quyết định|Nghị quyết|Pháp lệnh|Chỉ thị)\b(?! số)(?! \d)")  # a news lead names a number


def enacted_by(lines: list[str]) -> tuple[str | None, str | None]:
    """(issuer, type) from the enacting formula among the first lines of the body.

    >>> enacted_by(["Căn cứ Luật Mẫu;", "Bộ trưởng Bộ Thử nghiệm ban hành Thông tư quy định …"])
    ('Bộ Thử nghiệm', 'Thông tư')
    >>> enacted_by(["Căn cứ Luật Mẫu; Theo đề nghị của Vụ trưởng; Chính phủ ban hành Nghị định quy định …"])
    ('Chính phủ', 'Nghị định')
    >>> enacted_by(["1.1. Quốc hội ban hành Nghị quyết chỉ định …"])  # an item of a guide, not its formula
    (None, None)
    >>> enacted_by(["Quốc hội ban hành Luật Mẫu."]), enacted_by(["Chính phủ ban hành Nghị định số 9/2099/NĐ-CP ngày …"])
    (('Quốc hội', 'Luật'), (None, None))
    """
    for line in lines:  # the formula may close a preamble a capture wrote as one line ("…; Bộ trưởng … ban hành …")
        if m := _FORMULA.search(line):
            return m["body"], m["type"]
    return None, None


# A normative document's number carries its year and its type's code: "21/2099/TT-BMAU" is a Thông tư.
_CODES = {"NĐ": "Nghị định", "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "QĐ": "Quyết định", "NQ": "Nghị quyết",
          "CT": "Chỉ thị", "NQLT": "Nghị quyết liên tịch"}


def type_of_number(number: str | None) -> str | None:
    """The type a dated number's code names; None for a letter's "123/UBND-VP", and for "…/QH15",
    which a law and a resolution of the National Assembly share.

    >>> type_of_number("21/2099/TT-BMAU"), type_of_number("74/2099/QH15"), type_of_number("12/UBND-VP")
    ('Thông tư', None, None)
    """
    m = re.fullmatch(r"\d+/\d{4}/(?P<code>[A-ZĐ]+)-[A-ZĐ].*", number or "")
    return _CODES.get(m["code"]) if m else None


_NUM = NUMBER.pattern.replace("(?P<num>", "(?:")
# The document's own number where its header was lost: the attached part names it ("(Kèm theo Nghị quyết số 394/NQ-CP
# ngày 03 tháng 12 năm 2025 của Chính phủ)"), or a news lead before the copy does ("Toàn văn Thông báo 81-TB/TW",
# "… vừa ký ban hành Nghị quyết số 196/2025/QH15 …").
_ATTACHED = re.compile(rf"^\(?(?:Ban hành )?[Kk]èm theo (?P<type>{TYPE_WORDS}) (?:số )?(?P<num>{_NUM})"
                       r"(?:,? ngày (?P<d>\d{1,2})(?: tháng |/)(?P<m>\d{1,2})(?: năm |/)(?P<y>\d{4}))?")
_LEAD = re.compile(rf"^(?:Toàn văn:? |.{{0,120}}\bký ban hành )(?P<type>{TYPE_WORDS}) (?:số )?(?P<num>{_NUM})")
_LEAD_LINES = 5  # a news lead is the page's first paragraph or two


def own_number(lines: list[str], doc_type: str | None) -> tuple[str | None, str | None, str | None]:
    """(number, type, ISO date) a headerless copy gives itself: from the line that introduces an
    attached part ("(Kèm theo Nghị quyết số … ngày …)"), or a news lead in its first lines; a
    type other than the copy's own (when known) is another document's.

    >>> own_number(["1. Mục tiêu", "(Kèm theo Nghị quyết số 99/NQ-CP ngày 03 tháng 12 năm 2099 của Chính phủ)"], "Nghị quyết")
    ('99/NQ-CP', 'Nghị quyết', '2099-12-03')
    >>> own_number(["Toàn văn Thông báo 81-TB/TW 2099 Kết luận của Bộ Chính trị"], None)
    ('81-TB/TW', 'Thông báo', None)
    >>> own_number(["(Kèm theo Quyết định số 12/QĐ-TTg)"], "Nghị quyết")
    (None, None, None)
    """
    found = [(i, m) for i, line in enumerate(lines) if (m := _ATTACHED.match(line) or _LEAD.match(line))]
    for i, m in found:
        # an attached part is the copy's own only when the copy's title gave the same type: a page that is not a
        # document may quote a form "(Ban hành kèm theo Thông tư số …)"
        if (m.re is _ATTACHED and doc_type == m["type"]) or (m.re is _LEAD and i < _LEAD_LINES and doc_type in (None, m["type"])):
            dated = m.re is _ATTACHED and m["y"]
            return (canonical_number(m["num"]), m["type"],
                    f"{m['y']}-{int(m['m']):02d}-{int(m['d']):02d}" if dated else None)
    return None, None, None


def complete(h: Header, text: str, meta: dict[str, str]) -> Header:
    """The header the text's header lines gave, completed from the rest of the normalised
    ``text`` and a capture's metadata block ``meta``: the enacting authority or formula (issuer,
    type), the type a dated number names, the number an attached part or a news lead gives a
    headerless copy, the portal's fields, the adoption date and the jurisdiction."""
    from ingest.lines import lines_of

    lines = [ln.text for ln in lines_of(text)]
    body, kind = enacted_by(lines[:80])
    h.issuer = h.issuer or authority(lines[:80]) or body
    h.doc_type = h.doc_type or kind or type_of_number(h.number)
    if not h.number and (found := own_number(lines, h.doc_type))[0]:
        h.number, h.doc_type, h.date = found[0], h.doc_type or found[1], h.date or found[2]
        h.number_known, h.symbol = True, symbol_of(found[0])
    h = finish(apply_metadata(h, meta))
    if h.date is None and h.doc_type in ("Nghị quyết", "Luật", "Nghị quyết liên tịch", None):
        h.date = adopted_on(text)
    return h


# What only a document has near its start: the motto, a number line, legal bases, the enacting words of a
# resolution or decision, a letter's addressees, a first article.
_TYPE_FIRST = re.compile(rf"^(?:{'|'.join(map(re.escape, DOC_TYPES))})\b(?! *:)")  # "KẾ HOẠCH MẪU (…)" at the top
# A legal basis names an instrument and ends its clause ("Căn cứ Luật …;"), where an article says "Căn cứ chủ trương
# của …, Bộ … chỉ đạo".
_DOCUMENT_MARK = re.compile(rf"^(?:{MOTTO}|Căn cứ [A-ZĐ].*(?:[;,]$|; Căn cứ )|QUYẾT NGHỊ:|QUYẾT ĐỊNH:|Kính gửi|Điều 1\.|(?:Luật )?Số\s*:)")


def is_document(h: Header, text: str) -> bool:
    """Whether a text is a document at all, not a news article or an encyclopaedia page saved from
    the portal's site: its header names it, or its first lines are a document's.

    >>> is_document(Header(), "Ngày 2/7, Bộ Mẫu tổ chức hội nghị.\\nHội nghị đánh giá kết quả.")
    False
    >>> is_document(Header(), "Căn cứ Luật Mẫu;\\nQUYẾT NGHỊ:\\nĐiều 1. Phạm vi"), is_document(Header(number="1/KH"), "")
    (True, True)
    >>> is_document(Header(), "KẾ HOẠCH MẪU (bản thử)\\nI. NHIỆM VỤ")
    True
    """
    from ingest.lines import lines_of

    if h.number or h.doc_type or h.issuer:
        return True
    lines = [ln.text for ln in lines_of(text)[:60]]
    return any(_DOCUMENT_MARK.match(line) for line in lines) or any(_TYPE_FIRST.match(line) for line in lines[:5])


_ADOPTED = re.compile(r"(?:thông qua|ký ban hành|ban hành)\s+ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})")


def adopted_on(text: str) -> str | None:
    """The date a resolution or a law was adopted, from its closing formula ("Nghị quyết này
    được Quốc hội … thông qua ngày 12 tháng 6 năm 2025"): the last such date in the text.

    >>> adopted_on("Luật này được Quốc hội khóa XV thông qua ngày 12 tháng 6 năm 2099.")
    '2099-06-12'
    """
    found = list(_ADOPTED.finditer(re.sub(r"\*+", "", text)))  # "thông qua **ngày** 16 **tháng** 6*"
    if not found:
        return None
    d, m, y = found[-1].groups()
    return f"{y}-{int(m):02d}-{int(d):02d}"


_LOCAL = re.compile(r"^(?:Ủy ban nhân dân|Hội đồng nhân dân|Tỉnh ủy|Thành ủy|Ban Thường vụ (?:Tỉnh|Thành) ủy|Sở |Văn phòng "
                    r"(?:Ủy ban|Hội đồng|Tỉnh ủy|Thành ủy|Đoàn))")


def finish(h: Header) -> Header:
    """The jurisdiction (``Header.place``), from the issuer or the symbol (``place_of``); for a
    provincial issuer whose block names no place ("ỦY BAN NHÂN DÂN" alone), the date line's
    ("Bình Thuận, ngày …").

    >>> finish(Header(issuer="Ủy ban nhân dân", signed_in="Bình Thuận")).place
    'Bình Thuận'
    """
    if h.place is None:
        h.place = place_of(h.issuer, h.symbol)
    if h.place is None and h.issuer and h.signed_in and _LOCAL.match(h.issuer):
        h.place = h.signed_in
    return h


_SHORT = (("Ủy ban nhân dân", "UBND"), ("Hội đồng nhân dân", "HĐND"))


def display_name(h: Header) -> str:
    """A document's name for users, from its header only (never its file name).

    >>> display_name(Header(doc_type="Kế hoạch", number="12/KH-UBND", number_known=True))
    'Kế hoạch 12/KH-UBND'
    >>> display_name(Header(doc_type="Kế hoạch", number="…/KH-UBND", issuer="Ủy ban nhân dân tỉnh Mẫu", date="2099-07"))
    'Kế hoạch (chưa ghi số) của UBND tỉnh Mẫu, tháng 7/2099'
    >>> display_name(Header(issuer="Bộ Tài chính", title="Về việc thử nghiệm"))
    'Văn bản (chưa rõ số) của Bộ Tài chính: Về việc thử nghiệm'
    """
    kind = h.doc_type or "Văn bản"
    if h.number and h.number_known:
        return f"{kind} {h.number}"
    issuer = h.issuer
    for long, short in _SHORT:
        issuer = issuer.replace(long, short) if issuer else issuer
    name = f"{kind} ({'chưa ghi số' if h.number else 'chưa rõ số'})" + (f" của {issuer}" if issuer else "")
    if h.date:
        y, *md = (int(x) for x in h.date.split("-"))
        name += f", ngày {md[1]}/{md[0]}/{y}" if len(md) == 2 else f", tháng {md[0]}/{y}" if md else f", năm {y}"
    elif h.title:
        title = " ".join(h.title.split())
        name += f": {title[:80]}{'…' if len(title) > 80 else ''}"
    return name
