"""Who does what, read from the text of each clause: ``assign(doc) -> list[Assignment]``.

Where an assignment comes from:

1. **a heading that names bodies**: "8. Sở Tài chính", "3. Các Bộ: Công Thương, Xây dựng",
   "2. Giao Sở Xây dựng", "1. Công an tỉnh, các sở, ban, ngành và Ủy ban nhân dân các xã,
   phường". The bodies own the tasks under the heading (its bullets, points, body text); a
   list of bullets that each name a body ("- Sở Công Thương (đối với …);") adds owners; in
   "1. Bộ X chủ trì, phối hợp với Bộ Y:" Bộ X leads each point and Bộ Y takes part in it; an
   article "Trách nhiệm của X" names X even when X is a role, not a body ("… của doanh nghiệp
   cung cấp dịch vụ", ``ingest.assign.holders``);
2. **a task-table row**: the bodies of its lead column chủ trì, of its partner column
   phối hợp ("Bộ Tài chính chỉ đạo Sở Giao dịch …" in a lead cell: both lead), its time
   column the deadline;
3. **a sentence**: its subject, when a sentence opens with bodies and a verb ("Bộ Kế
   hoạch và Đầu tư chủ trì, phối hợp với …", "Giao X …", "Đề nghị X …", "Các cơ quan, đơn
   vị gửi Sở Tài chính …"), or a role holder ("Cơ quan lập phương án có trách nhiệm …"); otherwise
   the owners of the enclosing heading. A sentence that opens a list ("1. UBND Thành phố có
   trách nhiệm sau đây:") gives its subject the points under it.

The role is what the sentence says: chủ trì; phối hợp for the bodies after "phối hợp
với"; under a body's own heading, "Phối hợp với … <làm Z>" means that body does Z
(thực hiện), while "X phối hợp thực hiện …" is X's supporting role; đầu mối for "là cơ
quan đầu mối / thường trực"; tham mưu; theo dõi, đôn đốc; báo cáo when the sentence asks
for a report, and nhận báo cáo for the body the report goes to. Nothing is guessed: a task
with no stated role is "thực hiện".
"""

from __future__ import annotations

from ingest.assign.reader import Reader
from ingest.assign.roles import RESPONSIBLE, ROLES, Role, roles_of
from ingest.body_vocab import Gazetteer
from ingest.models import Assignment, Document

__all__ = ["RESPONSIBLE", "ROLES", "Role", "assign", "roles_of"]


def _merge(found: list[Assignment]) -> list[Assignment]:
    """One assignment per clause, body and mention: the roles of its sentences together."""
    out: dict[tuple, Assignment] = {}
    for a in found:
        key = (a.clause_id, a.agency, a.start, a.role == Role.RECEIVES)
        if key not in out:
            out[key] = a
            continue
        m = out[key]
        m.roles = [r for r in ROLES if r in {*m.roles, *a.roles}]
        m.role = m.roles[0]
        if a.cue != "câu" and (m.cue == "câu" or ROLES.index(a.role) < ROLES.index(m.role)):
            m.cue = a.cue
        m.deadlines += [d for d in a.deadlines if d not in m.deadlines]
        if a.start == -1:
            m.seg_start, m.seg_end = min(m.seg_start, a.seg_start), max(m.seg_end, a.seg_end)
    return list(out.values())


def assign(doc: Document, gazetteer: Gazetteer | None = None, wrapped: bool = False) -> list[Assignment]:
    """The assignments of every clause of ``doc``, in document order. A deadline whose date
    cannot exist ("31/6/2025") is left out and named in ``doc.warnings``."""
    reader = Reader(doc, gazetteer, wrapped)
    found = _merge(reader.run())
    doc.warnings += [w for w in reader.warnings() if w not in doc.warnings]
    return found
