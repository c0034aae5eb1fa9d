"""Party bodies as Party texts write them, in lower case: "ban thường vụ tỉnh ủy", "văn phòng
cấp ủy cấp xã", "các văn phòng tỉnh ủy, thành ủy", "thường trực tỉnh ủy", "đảng ủy trực thuộc
Trung ương". The capitalised reader of ``ingest.bodies`` needs a capital after a head, so these
names were no bodies at all and their tasks went to nobody. An organ ("ban thường vụ", "văn
phòng", …) is a name only with the committee it belongs to ("tỉnh ủy", "cấp ủy cấp xã");
a member of it ("ủy viên ban thường vụ tỉnh ủy") is a person, no body.

>>> [(n.text, n.collective) for n in party_names("Ban thường vụ tỉnh ủy chỉ đạo; các văn phòng tỉnh ủy, thành ủy thực hiện")]
[('Ban thường vụ tỉnh ủy', False), ('các văn phòng tỉnh ủy, thành ủy', True)]
>>> party_names("bầu ủy viên ban thường vụ tỉnh ủy"), party_names("T/M BAN THƯỜNG VỤ TỈNH ỦY")
([], [])
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.normalize import folded

# a committee: one province's ("tỉnh ủy"), or every one of a level ("cấp ủy cấp xã")
_LEVEL = (r"(?:tinh uy|thanh uy|huyen uy|quan uy|thi uy|dang uy (?:xa|phuong|dac khu|co so)"
          r"|cap uy(?: cap (?:tinh|huyen|xa|co so|tren truc tiep|tren))?)")
_ORGAN = (r"(?:ban thuong vu|ban chap hanh|thuong truc|van phong|uy ban kiem tra|ban to chuc"
          r"|ban tuyen giao(?: va dan van)?|ban dan van|ban noi chinh)")
_NAME = re.compile(
    rf"\b(?P<many>cac\s+)?(?:{_ORGAN}\s+(?P<every>cac\s+)?(?P<level>{_LEVEL}(?:\s*,\s*{_LEVEL})*(?:\s+va\s+{_LEVEL})?)"
    r"|(?P<direct>dang uy truc thuoc (?:trung uong|tinh uy|thanh uy)))(?!\w)")
_MEMBER = re.compile(r"\buy vien\s+$")  # "ủy viên ban thường vụ …": a member, not the body


@dataclass(frozen=True)
class PartyName:
    text: str
    start: int
    end: int
    group: bool  # "các văn phòng tỉnh ủy, thành ủy": addressed as a group
    collective: bool  # every body of its kind: a group, "văn phòng cấp ủy", "đảng ủy trực thuộc Trung ương"


def party_names(text: str) -> list[PartyName]:
    """The lower-case (or partly capitalised) Party bodies named in ``text``, in order."""
    key = folded(text).lower()
    out = []
    for m in _NAME.finditer(key):
        if _MEMBER.search(key[max(0, m.start() - 12) : m.start()]) or text[m.start() : m.end()].isupper():
            continue  # a member; or the capitals of a header or signature line ("BAN THƯỜNG VỤ THÀNH ỦY")
        many = bool(m["many"] or m["every"])
        generic = bool(m["direct"]) or (m["level"] or "").startswith("cap uy")
        out.append(PartyName(" ".join(text[m.start() : m.end()].split()), m.start(), m.end(), many, many or generic))
    return out
