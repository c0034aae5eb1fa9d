"""The roles a body can have in a task, and how a sentence's words give them.

``Role`` is a ``StrEnum``: a member is the Vietnamese word itself, so it is stored, compared and
shown as that word ("chủ trì" == Role.LEAD).
"""

from __future__ import annotations

import re
from enum import StrEnum


class Role(StrEnum):
    """In order of precedence: an answer leads with the first role an assignment has."""

    FOCAL = "đầu mối"
    LEAD = "chủ trì"
    MONITOR = "theo dõi, đôn đốc"
    ADVISE = "tham mưu"
    DOES = "thực hiện"
    PARTNER = "phối hợp"
    REPORTS = "báo cáo"
    RECEIVES = "nhận báo cáo"


ROLES = tuple(Role)
RESPONSIBLE = ROLES[:5]  # roles that make a body answer "who does this?"

CUES = {
    Role.FOCAL: re.compile(r"\b(?:co quan|don vi) (?:dau moi|thuong truc)\b|\b(?:lam|la) (?:dau moi|thuong truc)\b|\bdau moi\b"),
    # not "theo hướng dẫn của cơ quan chủ trì": another body, the lead
    Role.LEAD: re.compile(r"(?<!cua co quan )(?<!cua don vi )(?<!voi co quan )(?<!voi don vi )\bchu tri\b|\bchiu trach nhiem chinh\b|\b(?:co quan|don vi|luc luong) chu luc\b"),
    Role.ADVISE: re.compile(r"\btham muu\b"),
    # "theo dõi" watches others' work ("theo dõi, kiểm tra việc thực hiện", "theo dõi tiến độ"), not
    # a situation the body itself follows ("theo dõi sát diễn biến mưa lũ": it does that)
    Role.MONITOR: re.compile(r"\bdon doc\b|\btheo doi\b(?=[,\s]+(?:[^\s,;.]+[,\s]+){0,3}?(?:viec\b|thuc hien|trien khai"
                             r"|tien do|ket qua|kiem tra|huong dan|giam sat|danh gia|tong hop"
                             r"|cac (?:so|co quan|don vi|dia phuong|nganh|bo|xa)))"),
}
# "phối hợp cùng X" (not "phối hợp cung cấp …", "cung ứng": "cùng" and "cung" fold alike)
PARTNERS = re.compile(r"\bphoi hop\s*(?:chat che\s+)?(?:voi|cung(?!\s+(?:cap|ung)\b))\b|\bvoi su phoi hop cua\b")
_SUPPORT = re.compile(r"\bphoi hop\b")
_REPORT = re.compile(r"\bbao cao\b")
_PURPOSE = re.compile(r"\b(?:de|nham|dong thoi)\b")
# "chủ trì, phối hợp với Y … để tham mưu …": the subject's own purpose, unless the sentence hands
# the work to another body first ("gửi Y để tổng hợp, tham mưu …": Y's)
_ADVISES = re.compile(r"(?:de|nham)\s+tham muu\b")
_HANDS_OVER = re.compile(r"\b(?:gui|bao cao|chuyen|cung cap|trinh|ve|cho)\b")
# a circumstance before the sentence's verb ("Trên cơ sở dự toán được giao, phối hợp với …")
_CIRCUMSTANCE = re.compile(r"\s*(?:can cu|tren co so|hang nam|dinh ky|khi|truong hop)\b[^,;:]{0,120},\s*")


# "phối hợp" right before a body; a body consulted takes part too ("lấy ý kiến (bằng văn bản) của Y",
# "sau khi tham khảo ý kiến của Y"); "xin ý kiến" asks a superior, who takes no part
_BARE_PARTNERS = re.compile(r"\bphoi hop\s+(?:chat che\s+)?(?=\S)"
                            r"|\b(?:lay|tham khao|tham van)\s+y kien\s+(?:gop y\s+)?(?:bang van ban\s+)?(?:cua\s+)?(?=\S)")


def partner_cue(folded: str, starts: list[int]) -> re.Match | None:
    """Where a sentence names its partners: "phối hợp với …", or "phối hợp" right before a body
    ("Chủ trì, phối hợp Bộ Chỉ huy Quân sự tỉnh …": ``starts`` are where the bodies begin), not
    "phối hợp triển khai …"; the bodies it consults ("lấy ý kiến của Y", not "được lấy ý kiến
    thẩm định").

    >>> partner_cue("chu tri, phoi hop so tu phap ra soat", [18]).group(0)
    'phoi hop '
    >>> partner_cue("chu tri, phoi hop trien khai", [])
    >>> partner_cue("quyet dinh sau khi tham khao y kien bang van ban cua bo tu lenh", [53]).group(0)
    'tham khao y kien bang van ban cua '
    """
    if m := PARTNERS.search(folded):
        return m
    return next((m for m in _BARE_PARTNERS.finditer(folded) if m.end() in starts), None)


def opens_with_partner(rest: str) -> bool:
    """Whether the words after a subject open with "phối hợp với" (after a circumstance, if any)."""
    rest = rest.lstrip(" ,:")
    return bool(PARTNERS.match(rest, m.end() if (m := _CIRCUMSTANCE.match(rest)) else 0))


def roles_of(rest: str, partners: re.Match | None = None) -> tuple[list[str], str]:
    """The roles the words after a sentence's subject give it, main role first, and the cue
    (``rest`` folded: ``ingest.normalize.fold``). ``partners``: where ``rest`` names the
    partners, when the reader found it ("phối hợp Sở X" before a body, see ``partner_cue``).

    >>> " | ".join(roles_of("chu tri phoi hop voi cac co quan … tham muu ubnd tinh bo tri kinh phi")[0])
    'chủ trì | tham mưu'
    >>> " | ".join(roles_of("la co quan dau moi theo doi, don doc …; dinh ky tong hop, bao cao ubnd tinh")[0])
    'đầu mối | theo dõi, đôn đốc | báo cáo'
    >>> " | ".join(roles_of("phoi hop voi cac co quan, don vi co lien quan day manh thu hut dau tu")[0])
    'thực hiện'
    >>> " | ".join(roles_of("phoi hop thuc hien cac nhiem vu lien quan")[0])
    'phối hợp'
    >>> " | ".join(roles_of("tren co so du toan duoc giao, phoi hop voi so y te tham muu de xuat nguon von")[0])
    'thực hiện | tham mưu'
    >>> " | ".join(roles_of("chu tri, phoi hop voi so giao duc va dao tao can cu cac quy dinh de tham muu cap co tham quyen")[0])
    'chủ trì | tham mưu'
    >>> " | ".join(roles_of("tong hop, gui so tai chinh de tham muu ubnd tinh")[0])
    'thực hiện'
    >>> " | ".join(roles_of("phoi hop cung cap so lieu chi so gia")[0])
    'phối hợp'
    >>> " | ".join(roles_of("tham muu ban thuong vu tinh uy bo tri can bo theo doi viec thuc hien")[0])
    'tham mưu | theo dõi, đôn đốc'
    >>> [" | ".join(roles_of(t)[0]) for t in ("theo doi sat dien bien mua lu", "theo doi tien do cua cac du an")]
    ['thực hiện', 'theo dõi, đôn đốc']
    """
    advises = False
    if m := _PURPOSE.search(rest, 12):
        advises = bool(_ADVISES.match(rest, m.start())) and not _HANDS_OVER.search(rest, 0, m.start())
        rest = rest[: m.start()]  # "… gửi Y để tổng hợp, tham mưu …": what follows is Y's
    found = sorted((m.start(), role, m.group(0)) for role, p in CUES.items() if (m := p.search(rest)))
    # chủ trì and đầu mối lead wherever they stand; otherwise the first verb of the sentence does
    # ("tham mưu … bố trí cán bộ theo dõi": tham mưu).
    lead = [f for f in found if f[1] in (Role.LEAD, Role.FOCAL)]
    found = sorted(lead, key=lambda f: ROLES.index(f[1])) + [f for f in found if f not in lead]
    roles, cue = [f[1] for f in found], (found[0][2] if found else "")
    partners = partners or PARTNERS.search(rest)
    opening = m.end() if (m := _CIRCUMSTANCE.match(rest)) else 0
    if Role.LEAD not in roles and partners and partners.start() <= opening + 2:
        roles.insert(0, Role.DOES)  # "(X) phối hợp với Y <làm Z>": X does Z, with Y
        cue = partners.group(0)
    elif not roles and (m := _SUPPORT.search(rest)) and not partners:
        roles.append(Role.PARTNER)  # "X phối hợp thực hiện …"
        cue = m.group(0)
    if advises:
        roles.append(Role.ADVISE)
    if _REPORT.search(rest):
        roles.append(Role.REPORTS)
    if not roles or roles[0] in (Role.REPORTS,):
        roles.insert(0, Role.DOES)
    return list(dict.fromkeys(roles)), cue or "câu"
