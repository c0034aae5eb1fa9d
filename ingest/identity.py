"""A document's identity beyond its header lines: what a page capture's metadata block adds,
the issuer named by the enacting authority, the date a resolution or a law was adopted, the
jurisdiction (``Header.place``) and the name a user reads (``display_name``).

``ingest.pipeline.identify`` applies them to every parsed document.
"""

from __future__ import annotations

import re

from ingest.header import DOC_TYPES, NUMBER, PROVINCE, canonical_number, issuer_name, symbol_of
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


_ADOPTED = re.compile(r"(?:thông qua|ký ban hành|ban hành)\s+ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})")


def adopted_on(text: str) -> str | None:
    """The date a resolution or a law was adopted, from its closing formula ("Nghị quyết này
    được Quốc hội … thông qua ngày 12 tháng 6 năm 2025"): the last such date in the text.

    >>> adopted_on("Luật này được Quốc hội khóa XV thông qua ngày 12 tháng 6 năm 2099.")
    '2099-06-12'
    """
    found = list(_ADOPTED.finditer(text))
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
