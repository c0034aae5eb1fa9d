"""Role holders: who a rule charges when it names no body but a role ("Cơ quan lập phương án",
"Đơn vị cung cấp dịch vụ", "Giảng viên chấm bài", "Tổ chức, cá nhân có liên quan").

Regulations, laws and charters name their addressees so. A role holder is read in two places
only, where the grammar says who holds the duty:

- an article or item heading "Trách nhiệm (của) X", "Nhiệm vụ, quyền hạn của X" (the points
  under it are X's);
- a sentence "X có trách nhiệm …" / "X chịu trách nhiệm …", X opening it.

X is a noun phrase that opens with a word for a holder (cơ quan, đơn vị, tổ chức, cá nhân,
giảng viên, …) and has at most 12 words; its name is kept as written. A body the vocabulary
knows is read by ``ingest.bodies`` first: a holder is read only where no body opens the text.

>>> holder("Cơ quan lập phương án có trách nhiệm niêm yết kết quả mẫu.").name
'Cơ quan lập phương án'
>>> holder("Trách nhiệm của doanh nghiệp cung cấp dịch vụ mẫu", heading=True).name
'doanh nghiệp cung cấp dịch vụ mẫu'
>>> holder("Trách nhiệm của văn thư", heading=True).name
'văn thư'
>>> holder("Trách nhiệm thi hành", heading=True), holder("Trách nhiệm tổ chức thực hiện", heading=True)
(None, None)
>>> holder("Hồ sơ có trách nhiệm …"), holder("Giám đốc là người đứng đầu Trung tâm, chịu trách nhiệm …")
(None, None)
>>> holder("Đơn vị có trách nhiệm báo cáo …"), holder("Chủ đầu tư có trách nhiệm báo cáo …").name
(None, 'Chủ đầu tư')
"""

from __future__ import annotations

import re

from ingest.bodies import Body
from ingest.normalize import fold

# first words of a phrase naming who holds a role (folded)
_HOLDERS = ("co quan", "don vi", "to chuc", "ca nhan", "doanh nghiep", "nguoi", "bo phan", "can bo", "cong chuc",
            "vien chuc", "giang vien", "hoc vien", "chu dau tu", "nha dau tu", "nha thau", "co so", "hoi dong",
            "to cong tac", "to giup viec", "thanh vien", "chu tich", "thu truong", "giam doc", "truong phong",
            "ban chi dao", "ban quan ly", "cac")
_HOLDER = re.compile(r"(?:%s)\b" % "|".join(_HOLDERS))
_HEADING = re.compile(r"[\s*_]*(?:trach nhiem|nhiem vu(?:,? quyen han)?|quyen han(?:,| va) trach nhiem"
                      r"|trach nhiem(?:,| va) quyen han|nghia vu)(?P<of> cua)?\s+")
# "tổ chức" as a verb ("Trách nhiệm tổ chức thực hiện"), "X là người đứng đầu …": no holder
_NOT_HOLDER = re.compile(r"to chuc (?:thuc hien|thi hanh|trien khai|le)\b|.*\bla\b")
# a holder's word alone says not which one ("Đơn vị có trách nhiệm …"); "Chủ đầu tư" does
_TOO_GENERIC = {"co quan", "don vi", "to chuc", "ca nhan", "nguoi", "bo phan", "co so"}
_DUTY = re.compile(r"\s+(?:co|chiu) trach nhiem\b")
_SUBJECT_CHARS = 200  # how far into a sentence its subject may end
_MAX_WORDS = 12


def holder(text: str, heading: bool = False) -> Body | None:
    """The role holder ``text`` charges (a heading, or a sentence's opening), if it names one."""
    folded = fold(text)
    lead = re.match(r"[\s*_]*", text).end()
    if heading:
        if not (m := _HEADING.match(folded)):
            return None
        start, end = m.end(), len(text.rstrip(" *_:.\n"))
    else:
        if not (m := _DUTY.search(folded, lead, lead + _SUBJECT_CHARS)):
            return None
        start, end = lead, m.start()
    name = " ".join(text[start:end].split())
    # after "Trách nhiệm của" any noun phrase is the holder ("… của văn thư"); elsewhere a holder's word opens it
    named_by_heading = heading and m.group("of")
    word = _HOLDER.match(fold(name))
    bare = fold(name).lower() in _TOO_GENERIC
    if not name or not (named_by_heading or (word and not bare)) or _NOT_HOLDER.match(fold(name)) \
            or len(name.split()) > _MAX_WORDS or re.search(r"[;:.()]", name):
        return None  # no holder, or a bare "Đơn vị" / "Cơ quan": which one, the words after it say
    collective = fold(name).startswith("cac ")
    return Body(name, start, end, collective, collective)


def duty_at(folded: str) -> int | None:
    """Where "có trách nhiệm" / "chịu trách nhiệm" follows a sentence's subject (folded text)."""
    return m.start() if (m := _DUTY.search(folded, 0, _SUBJECT_CHARS)) else None


def role_name(name: str) -> bool:
    """Whether a name is a role holder's, a common noun phrase ("Công chức", "Cơ quan lập đề án",
    "giảng viên"), not a body's own name: a question that writes it names no body.

    >>> role_name("Công chức"), role_name("Cơ quan lập đề án"), role_name("Công ty Mẫu"), role_name("Sở Y tế")
    (True, True, False, False)
    """
    words = name.split()
    return bool(words) and bool(_HOLDER.match(fold(name).lower())) and not any(w[:1].isupper() for w in words[1:])
