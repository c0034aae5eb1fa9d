"""The assignment reader: the bodies a heading addresses own the tasks under it (which bodies
those are: ``ingest.assign.headings``; a table row's: ``ingest.assign.rows``), and each sentence
is read for its subject, its role words, its partners and the bodies it reports to (an
activity's label lines, "Đơn vị chủ trì: X.": ``ingest.assign.labels``)."""

from __future__ import annotations

import re

from ingest.assign.clause_text import (
    DIRECTS,
    EXECUTES,
    MARKER,
    OWNS,
    ROLE_WORDS,
    STANDING,
    TITLES,
    WITHIN,
    ClauseText,
    Owner,
    continues,
    names_between,
    narrative,
    only_bodies,
    verb_next,
)
from ingest.assign.headings import HeadingReading, own_line
from ingest.assign.holders import duty_at, holder
from ingest.assign.labels import LEAD_IN_LIST, LabelReading, rejoin_labels
from ingest.assign.roles import Role, opens_with_partner, partner_cue, roles_of
from ingest.assign.rows import RowReading
from ingest.bodies import Body, find_bodies
from ingest.body_vocab import Gazetteer
from ingest.deadlines import deadlines
from ingest.models import Assignment, Clause, Document
from ingest.normalize import fold

_LEAD_IN = re.compile(r"^(?:giao cho|giao|de nghi|yeu cau|dong thoi,?|rieng|trong do,?|ngoai ra,?|doi voi"
                      r"|(?:pho )?chu tich|bo truong|thu truong(?: cac)?|(?:pho )?giam doc|truong ban|cuc truong"
                      r"|vu truong|(?:pho )?chanh(?: van phong| thanh tra)?|chi huy truong|nguoi dung dau)\s+", re.IGNORECASE)  # a title stands for its body
_SEGMENT = re.compile(r"(?<=[.;!?])\s+(?=\S)|(?<=:)\s+(?=[A-ZĐÀ-Ỹ])|\n+")
_TO = re.compile(r"\bnop\b(?:\s+[\w/-]+){0,4}?\s*\b(?:ve|tai|cho|len|vao)\s*$|\b(?:bao cao|gui|phan anh|phan hoi|(?<!chuong )(?<!to )(?<!qua )(?<!quy )(?<!lo )(?<!cong )trinh)\b(?:\s+[\w/-]+){0,4}?\s*(?:\b(?:ve|toi|len|cho)\s*)?$|(?<!thong )\bqua\s*$")
_REPORT_OF = re.compile(r"\bbao cao cua(?:\s+[\w/-]+){0,3}?\s*$")  # "căn cứ báo cáo của Giám đốc Sở X": X reports
_AGENT = re.compile(r"\b(?:do|giao cho|giao|de nghi|yeu cau|chi dao)\s*$")  # "(i) Chỉ đạo Đảng ủy Bộ Y tế chủ trì …": its role
_THROUGH = re.compile(r"(?P<route>\(\s*)?\bthong qua\s*$")
_OWNS_AT_END = re.compile(r"\s*(?:truc tiep\s+)?quan ly\s*[.;]?\s*$")
# a list of rights, conditions or parts, not of tasks
_NOT_TASKS = re.compile(r"\b(?:co (?:cac )?quyen|(?:dap ung|co du|dat) (?:cac |nhung )?(?:dieu kien|tieu chuan|tieu chi))\b")
_BASIS = re.compile(r"[\s*_]*(?:can cu|xet de nghi|theo de nghi)\b")
_ENACTS = re.compile(r"\bban hanh\s+(?:quyet dinh|thong tu|nghi dinh|nghi quyet|chi thi|quy dinh|quy che|luat|ke hoach"
                     r"|chuong trinh|huong dan|de an|cong dien)\b")


_LIST_GAPS = (",", ";", "va", "va cac", ", va", "cung", "cung voi")
# "Về kho xăng dầu mẫu …: đề nghị …" (folded): a topic, then the sentence that gives the task
_TOPIC = re.compile(r"^[^:]{0,300}:\s*(?:(?:giao cho|giao|de nghi|yeu cau)\s+)?(?:cac\s+[a-z ]{1,20}?\s*:\s*)?$")
class Reader(HeadingReading, LabelReading, RowReading):
    def __init__(self, doc: Document, gazetteer: Gazetteer | None, wrapped: bool):
        self.doc, self.gaz, self.wrapped = doc, gazetteer, wrapped
        self.by_id = {c.id: c for c in doc.clauses}
        self.owners: dict[str, list[Owner]] = {}
        self.last_roles: list[str] = []  # the roles the last sentence of a clause gave its subject
        self.listed: dict[str, list[Owner]] = {}  # bullets that list the bodies a heading addresses
        self.out: list[Assignment] = []
        self.wrong: dict[tuple[str, str], None] = {}
        self.tables: dict[tuple, list[str]] = {}  # (container, header) -> column kinds
        self.collective: set[str] = set()  # names read as every body of a kind  # (clause label, words) of dates the calendar lacks

    def dates(self, c: Clause, text: str, cell: bool = False) -> list[dict]:
        """The deadlines of ``text`` as dicts; a date that cannot exist is noted for a warning."""
        wrong: list[str] = []
        found = [d.to_dict() for d in deadlines(text, cell=cell, wrong=wrong)]
        for w in wrong:
            self.wrong[(c.label or c.path, w)] = None
        return found

    def warnings(self) -> list[str]:
        return [f"{label}: thời hạn «{words}» không phải ngày có thật trên lịch; đã bỏ qua thời hạn này"
                for label, words in self.wrong]

    def bodies(self, text: str) -> list[Body]:
        found = find_bodies(text, self.gaz)
        self.collective.update(b.name for b in found if b.collective)
        return found

    def run(self) -> list[Assignment]:
        for c in self.doc.clauses:  # pre-order: a heading is read before what it heads
            inherited = self.owners.get(c.parent, []) if c.parent else []
            if c.kind == "row":
                self.row(c)
                continue
            if c.id in self.listed:
                self.owners[c.id] = self.listed[c.id]
                for o in self.listed[c.id]:
                    self.emit(c, o, Role.DOES, "danh sách", "list", c.start, c.own_end)
                continue
            t = ClauseText(self.doc, c.start, c.own_end, self.wrapped)
            lead = MARKER.match(t.text)
            body_from = lead.end() if lead else 0
            heading_end = self.heading_end(c, t, body_from)
            if own_line(t.norm.text, heading_end):
                t.text = f"{t.text[:heading_end]}\n{t.text[heading_end + 1:]}"  # "III. TỔ CHỨC THỰC HIỆN" / "Các cơ quan …"
            named = self.addressees(c, t, body_from, heading_end)
            if named:
                self.owners[c.id] = named
                if not t.text[heading_end:].strip() and not c.children:
                    for o in named:
                        self.emit(c, o, Role.DOES, "tiêu đề", o.source, *t.span(body_from, heading_end))
                self.sentences(c, t, heading_end, named)
            elif address := self.address_bullet(c, t, body_from):
                self.owners[c.id] = address  # "- Bộ Xây dựng" / "+ Ban hành …": the body heads its points
            else:
                subject = self.sentences(c, t, body_from, inherited)
                # "1. UBND tỉnh thực hiện các việc sau:" / "a) …": a sentence that
                # opens a list gives its subject the tasks listed under it
                opens = c.children and subject and t.text.rstrip(" *_\n").endswith(":") \
                    and not _NOT_TASKS.search(fold(t.text))  # "… có quyền sau đây:", "… các điều kiện sau:"
                self.owners[c.id] = subject if opens else inherited
        return self.out

    # --- sentences ------------------------------------------------------------------------------

    def sentences(self, c: Clause, t: ClauseText, start: int, owners: list[Owner]) -> list[Owner]:
        """Read the clause's sentences from ``start``; return the last subject one of them names."""
        text = t.text
        bounds = [start] + [m.end() for m in _SEGMENT.finditer(text, start)] + [len(text)]
        segments, pending = [], None
        for s, e in zip(bounds, bounds[1:]):
            if not text[s:e].strip():
                continue
            # Only the new piece is read: what is pending is already known to name bodies only
            # (reading the whole run again would be quadratic in a long list).
            piece = text[s:e]
            lead = MARKER.match(piece)
            piece = piece[lead.end():] if lead else piece
            s = pending if pending is not None else s
            if e < len(text) and only_bodies(piece, self.bodies(piece)):
                pending = s  # "Các sở, ban, ngành; Ủy ban nhân dân các xã; …": a list, not a sentence
                continue
            pending = None
            segments.append((s, e))
        if pending is not None:
            segments.append((pending, len(text)))
        previous, carried, subject = "", owners, []
        self.last_roles = []
        segments = rejoin_labels(text, segments)
        due = self.time_label(c, t, segments)
        for s, e in segments:
            if self.labelled(c, t, s, e, due):
                previous = text[s:e]
                continue
            if (m := LEAD_IN_LIST.search(fold(previous))) and self.listed_after(c, t, s, e, m):
                previous = text[s:e]
                continue
            # a sentence without a subject of its own goes on with the last one ("X xây dựng …; báo cáo …")
            subject = self.segment(c, t, s, e, carried)
            carried = subject or carried
            previous = text[s:e]
        return subject

    def segment(self, c: Clause, t: ClauseText, s: int, e: int, owners: list[Owner]) -> list[Owner]:
        """Read one sentence; return its subject (for the sentences that go on without one)."""
        seg = t.text[s:e]
        lead = MARKER.match(seg)
        off = s + (lead.end() if lead else 0)
        body = t.text[off:e]
        folded = fold(body)
        if c.path == "preamble" and (_BASIS.match(folded) or _ENACTS.search(folded)):
            # "Căn cứ Nghị định số … của Chính phủ …", "Bộ trưởng Bộ X ban hành Thông tư …": the legal
            # basis and the enacting formula name bodies and give none of them a task. In the body of a
            # document "Căn cứ Kế hoạch này, các sở … xây dựng …" is a task, so only the preamble is read so
            return []
        if EXECUTES.search(folded):
            return []  # "Chánh Văn phòng …, Giám đốc Sở … chịu trách nhiệm thi hành Quyết định này": a formula, no task
        found = self.bodies(body)
        if standing := self._standing(folded, found):
            # "(Cơ quan) thường trực Ban Chỉ đạo là Công an tỉnh": the police are the standing body
            self.emit(c, Owner(standing.name, *t.span(off + standing.start, off + standing.end), False, "sentence"),
                      Role.FOCAL, "thường trực", "sentence", *t.span(off, e))
            return []
        subject = self._subject(body, found)
        if c.path == "preamble" and subject and body[subject[-1].end:].lstrip(" *_").startswith(":"):
            return []  # a telegram's addressees ("Bí thư Tỉnh ủy, Chủ tịch UBND các tỉnh: …"): no task yet
        if not subject and (held := holder(body)) is not None:
            subject = [held]  # "Cơ quan lập phương án có trách nhiệm niêm yết …": the role holder the rule charges
        elif not subject and found and not body[: found[0].start].strip(" *_") and (duty := duty_at(folded)):
            # "Đài A, Đài B và các phóng viên có trách nhiệm …": the names before the duty are its
            # subject, though words between them are no names
            subject = [b for b in found if b.end <= duty]
        if subject and narrative(body[subject[-1].end:]):
            # "Cục Thuế nhận được công văn số … của Công ty …", "Bộ X đã có ý kiến …": what a body
            # did or received (a reply letter, a news page), no task for it or for anyone it names
            return []
        # Agents of a clause inside the sentence: "… do Bộ Tài nguyên và Môi trường chủ trì, …",
        # "… giao (Giám đốc) Sở X …": what follows them is theirs, not the subject's.
        agents = [b for b in found if b not in subject and _AGENT.search(TITLES.sub("", folded[max(0, b.start - 40) : b.start])[-16:]) and verb_next(body[b.end:])
                  and not (OWNS.match(folded[b.end:].lstrip(" ,")) and not self._in_charge(folded, b, subject or owners))]
        groups: list[tuple[list[Body], int]] = []  # (actors, where their words begin)
        if subject:
            groups.append((subject, subject[-1].end))
        elif owners:
            groups.append(([], 0))
        for b in agents:
            if groups and groups[-1][0] and groups[-1][0][-1] is not b and continues(folded[groups[-1][0][-1].end : b.start]) \
                    and groups[-1][0][-1] in agents:
                groups[-1] = (groups[-1][0] + [b], b.end)
            else:
                groups.append(([b], b.end))
        taken = {b.start for g, _ in groups for b in g}
        partner_leads = False  # "Các sở, ngành phối hợp với Sở X …": Sở X leads the collective
        for k, (actors, words_from) in enumerate(groups):
            until = groups[k + 1][0][0].start if k + 1 < len(groups) else len(body)
            window = body[words_from:until]
            rest = folded[words_from:until]
            roles, cue = roles_of(rest, partner_cue(rest, [b.start - words_from for b in found]))
            dl = self.dates(c, window) or (self.dates(c, body) if k == 0 else [])
            start = actors[0].start if actors else 0
            span = t.span(off + start, off + until)
            people = [Owner(b.name, *t.span(off + b.start, off + b.end), b.group, "sentence") for b in actors] or owners
            if k == 0 and not actors and cue == "câu" and roles == [Role.DOES] and self.last_roles:
                roles = self.last_roles  # "Phối hợp cung cấp số liệu …; phân tích …": the role goes on
            if k == 0 and people and roles[0] == Role.DOES and opens_with_partner(folded[words_from:until]) \
                    and any(not b.collective and b.start >= words_from for b in found if b.start not in taken):
                # "Sở Công Thương phối hợp với Sở Xây dựng kiểm tra …": the two work together, the
                # sentence names no lead (each "phối hợp" with the other); collectives that work with
                # a named body ("Các sở, ngành phối hợp với Sở X …") take part in its task, which it leads
                partner_leads = all(a.group or a.name in self.collective for a in people)
                roles = [Role.PARTNER, *roles[1:]]
            if k == 0:
                self.last_roles = roles
            for a in people:
                if a.role == Role.PARTNER or (a.role and roles[0] == Role.DOES):  # the heading's role
                    self.emit(c, a, a.role, "tiêu đề", a.source, *span, roles=[a.role, *roles[1:]], deadlines=dl)
                else:
                    self.emit(c, a, roles[0], cue, a.source, *span, roles=roles, deadlines=dl)
        for b, role, why in self._others(body, folded, found, taken):
            if partner_leads and role == Role.PARTNER and not b.collective:
                role, partner_leads = Role.LEAD, False
            self.emit(c, Owner(b.name, *t.span(off + b.start, off + b.end), b.group, "sentence"), role, why,
                       "sentence", *t.span(off, e))
        return [Owner(b.name, *t.span(off + b.start, off + b.end), b.group, "sentence") for b in subject]

    @staticmethod
    def _in_charge(folded: str, b: Body, actors: list) -> bool:
        """"Kho dữ liệu của tỉnh do Văn phòng UBND tỉnh quản lý.": a sentence about a thing, with
        no body of its own, that ends saying who manages it, gives that body the charge of it; in a
        body's task ("Sắp xếp các phòng máy do Bộ Quốc phòng quản lý") the owner has no task."""
        return not actors and bool(_OWNS_AT_END.match(folded[b.end :]))

    @staticmethod
    def _standing(folded: str, found: list[Body]) -> Body | None:
        """The body a sentence names as another's standing body ("Thường trực Ban Chỉ đạo là Công an
        tỉnh"), if that is what the sentence says."""
        if len(found) < 2 or not (m := STANDING.match(folded)) or found[0].start not in (m.end(), len(m.group(0)) - len(m.group(0).lstrip(" *_"))):
            return None
        second = found[1]
        return second if re.fullmatch(r"\s+la\s+", folded[found[0].end : second.start]) else None

    def _subject(self, body: str, found: list[Body]) -> list[Body]:
        """Bodies that open the sentence and are followed by its verb."""
        if not found:
            return []
        lead = _LEAD_IN.match(fold(body))
        # "Căn cứ Lịch tại Điều 1, Thủ trưởng các đơn vị …": a title after the circumstance stands for its body
        prefix = body[: found[0].start - len(m.group(0)) if (m := TITLES.search(fold(body[: found[0].start]))) else found[0].start]
        if prefix.strip() and not (lead and lead.end() >= found[0].start) and not prefix.rstrip().endswith(",") \
                and not _TOPIC.match(fold(prefix)):
            return []
        if prefix.rstrip().endswith(",") and (len(prefix) > 80 or ROLE_WORDS.search(fold(prefix))):
            return []  # "Chủ trì, phối hợp với sở, ban, ngành, UBND xã tăng cường …": a partner, not the subject
        subject = [found[0]]
        for b in found[1:]:
            # "Chánh Văn phòng UBND tỉnh, Giám đốc Sở Tài chính, Chủ tịch UBND các xã …": titles stand for their bodies
            gap = TITLES.sub("", fold(body[subject[-1].end : b.start]).replace("*", "")).strip()  # "**Sở A**, Sở B"
            if gap in _LIST_GAPS:
                subject.append(b)
            elif (unnamed := names_between(body, subject[-1].end, b.start)) is not None:
                subject += [*unnamed, b]
            else:
                break
        after = body[subject[-1].end :]
        if (m := re.match(r"\s*là\s+(?!Cơ quan|Đơn vị|Thường trực|Đầu mối)(\w)", after)) and m.group(1).isupper():
            return []  # "Trưởng Ban Chỉ đạo là Chủ tịch UBND tỉnh": who the body is made of, no task
        if (m := WITHIN.match(fold(after))) and verb_next(after[m.end():]):
            after = after[m.end():]  # "…, trong phạm vi nhiệm vụ, quyền hạn của mình, tổ chức thực hiện"
        return subject if verb_next(after) or after.lstrip().startswith(":") or narrative(after) else []

    def _others(self, body: str, folded: str, found: list[Body], taken: set[int]):
        """Bodies named after "phối hợp với" or "thông qua" (partners), after "báo cáo"/"gửi"
        (recipients), after "chỉ đạo" (directed)."""
        partners = partner_cue(folded, [b.start for b in found])
        chain_end = None
        for b in found:
            if b.start in taken:
                continue
            before = folded[: b.start]
            if partners and b.start >= partners.end() and (chain_end is None or continues(folded[chain_end : b.start])):
                chain_end = b.end
                yield b, Role.PARTNER, partners.group(0)
                continue
            if (m := _THROUGH.search(before[-14:])) and not m["route"]:
                # "Hằng năm, thông qua Sở KH&CN tham mưu UBND tỉnh …" under another body's heading:
                # the heading's body does the task through this one, which takes part in it
                yield b, Role.PARTNER, "thông qua"
            elif m:  # "báo cáo UBND tỉnh (thông qua Sở X)": the report's route
                yield b, Role.RECEIVES, "báo cáo, gửi"
            elif _TO.search(before[-40:]) and not _REPORT_OF.search(before[-40:]):
                yield b, Role.RECEIVES, "báo cáo, gửi"
            elif DIRECTS.search(before[-12:]):
                yield b, Role.DOES, "được chỉ đạo"


    def emit(self, c: Clause, o: Owner, role: str, cue: str, source: str, seg_start: int, seg_end: int,
              roles: list[str] | None = None, deadlines: list[dict] | None = None) -> None:
        self.out.append(Assignment(c.id, o.name, role, cue, source, o.start, o.end, seg_start, seg_end, o.group,
                                   roles or [role], deadlines or [], o.group or o.name in self.collective))
