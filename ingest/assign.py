"""Who does what, read from the text of each clause: ``assign(doc) -> list[Assignment]``.

Where an assignment comes from:

1. **a heading that names bodies**: "8. Sở Tài chính", "3. Các Bộ: Công Thương, Xây dựng",
   "2. Giao Sở Xây dựng", "1. Công an tỉnh, các sở, ban, ngành và Ủy ban nhân dân các xã,
   phường". The bodies own the tasks under the heading (its bullets, points, body text); a
   list of bullets that each name a body ("- Sở Công Thương (đối với …);") adds owners;
2. **a task-table row**: the bodies of its lead column chủ trì, of its partner column
   phối hợp ("Bộ Tài chính chỉ đạo Sở Giao dịch …" in a lead cell: both lead), its time
   column the deadline;
3. **a sentence**: its subject, when a sentence opens with bodies and a verb ("Bộ Kế
   hoạch và Đầu tư chủ trì, phối hợp với …", "Giao X …", "Đề nghị X …", "Các cơ quan, đơn
   vị gửi Sở Tài chính …"); otherwise the owners of the enclosing heading.

The role is what the sentence says: chủ trì; phối hợp for the bodies after "phối hợp
với"; under a body's own heading, "Phối hợp với … <làm Z>" means that body does Z
(thực hiện), while "X phối hợp thực hiện …" is X's supporting role; đầu mối for "là cơ
quan đầu mối / thường trực"; tham mưu; theo dõi, đôn đốc; báo cáo when the sentence asks
for a report, and nhận báo cáo for the body the report goes to. Nothing is guessed: a task
with no stated role is "thực hiện".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.bodies import Body, Gazetteer, find_bodies
from ingest.deadlines import deadlines
from ingest.models import Assignment, Clause, Document
from ingest.normalize import fold, normalize
from ingest.tables import cell_kind, column_kind, content_kinds

# In order of precedence: an answer leads with the first role an assignment has.
ROLES = ("đầu mối", "chủ trì", "theo dõi, đôn đốc", "tham mưu", "thực hiện", "phối hợp", "báo cáo", "nhận báo cáo")
RESPONSIBLE = ROLES[:5]  # roles that make a body answer "who does this?"

_MARKER = re.compile(r"^\s*(?:[#*_]+\s*|[-+·•▪●◦\u2022\uf0b7\uf0a7\u2013\u2212]\s*|(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2})*)(?:\.|\s?-)\s*"
                     r"|[a-zđ]\)\s*|Điều\s+\d+\s*[.:]?\s*)+")
_LEAD_IN = re.compile(r"^(?:giao cho|giao|de nghi|yeu cau|dong thoi,?|rieng|trong do,?|ngoai ra,?|doi voi"
                      r"|(?:pho )?chu tich|bo truong|thu truong(?: cac)?|(?:pho )?giam doc|truong ban|cuc truong"
                      r"|vu truong|chanh van phong|nguoi dung dau)\s+", re.IGNORECASE)  # a title stands for its body
_SEGMENT = re.compile(r"(?<=[.;!?])\s+(?=\S)|(?<=:)\s+(?=[A-ZĐÀ-Ỹ])|\n+")
_CUES = {
    "đầu mối": re.compile(r"\b(?:co quan|don vi) (?:dau moi|thuong truc)\b|\b(?:lam|la) (?:dau moi|thuong truc)\b|\bdau moi\b"),
    "chủ trì": re.compile(r"\bchu tri\b|\bchiu trach nhiem chinh\b|\b(?:co quan|don vi|luc luong) chu luc\b"),
    "tham mưu": re.compile(r"\btham muu\b"),
    "theo dõi, đôn đốc": re.compile(r"\bdon doc\b|\btheo doi\b"),
}
_PARTNERS = re.compile(r"\bphoi hop\s*(?:chat che\s+)?(?:voi|cung)\b|\bvoi su phoi hop cua\b")
_SUPPORT = re.compile(r"\bphoi hop\b")
_REPORT = re.compile(r"\bbao cao\b")
_TO = re.compile(r"\b(?:bao cao|gui|(?<!chuong )(?<!to )trinh)\b(?:\s+[\w/-]+){0,4}?\s*(?:\b(?:ve|toi|len|cho)\s*)?$|(?<!thong )\bqua\s*$")
_DIRECTS = re.compile(r"\bchi dao\s*$")
_VERBS = re.compile(r"^(?:chu tri|phoi hop|tham muu|co trach nhiem|chiu trach nhiem|la |lam |lanh dao|chi dao|thuc hien"
                    r"|trien khai|xay dung|to chuc|huong dan|theo doi|don doc|kiem tra|ra soat|nghien cuu|de xuat|bao cao"
                    r"|tong hop|gui|trinh|ban hanh|cung ung|cung cap|bo tri|bao dam|dam bao|tang cuong|day manh|khan truong"
                    r"|chu dong|tiep tuc|kip thoi|thuong xuyen|dinh ky|hang nam|can cu|phu trach|quan ly|giam sat|danh gia"
                    r"|phan cong|duoc giao|co van ban|xem xet|phe duyet|lap |soan|cap |thong qua)")
_LEAD_IN_LIST = re.compile(r"\b(?:trach nhiem|co quan|don vi|phan cong)(?:\s+[a-z,]+){0,4}\s*:[\s*_]*$")
# An activity's own lines: "Đơn vị chủ trì: X." / "Cơ quan phối hợp thực hiện: Y." / "Thời gian thực hiện: …"
_LABEL = re.compile(r"(?:don vi|co quan)\s+(?P<role>chu tri|phoi hop|thuc hien|dau moi)(?:\s+[a-z]+){0,4}\s*:[\s*_]*")
_LABEL_ROLE = {"chu tri": "chủ trì", "phoi hop": "phối hợp", "thuc hien": "thực hiện", "dau moi": "đầu mối"}
_TIME_LABEL = re.compile(r"(?:thoi gian|thoi han|tien do)(?:\s+[a-z/]+){0,4}\s*:[\s*_]*")
_HEAD_PREFIX = re.compile(r"\s*(?:(?:giao cho|giao|de nghi|yeu cau|doi voi|(?:trach nhiem|nhiem vu)(?: va quyen han)? cua)\s+)?"
                          r"(?:cac \w+\s*:\s*)?")
_AGENT = re.compile(r"\b(?:do|giao cho|giao|de nghi|yeu cau)\s*$")
_THROUGH = re.compile(r"\bthong qua\s*$")
_BASIS = re.compile(r"[\s*_]*(?:can cu|xet de nghi|theo de nghi)\b")
_ENACTS = re.compile(r"\bban hanh\s+(?:quyet dinh|thong tu|nghi dinh|nghi quyet|chi thi|quy dinh|quy che|luat)\b")
_PURPOSE = re.compile(r"\b(?:de|nham|dong thoi)\b")


@dataclass
class _Owner:
    name: str
    start: int
    end: int
    group: bool
    source: str


class _Text:
    """A clause's own text, normalised, with the map back to the source."""

    def __init__(self, doc: Document, start: int, end: int, wrapped: bool):
        self.base = start
        self.norm = normalize(doc.source[start:end])
        self.text = self.norm.text.replace("\n", " ") if wrapped else self.norm.text

    def span(self, s: int, e: int) -> tuple[int, int]:
        a, b = self.norm.span(s, e)
        return self.base + a, self.base + b


def _joint(text: str, bodies: list[Body]) -> list[Body]:
    """"Cục Lâm nghiệp và Cục Kiểm lâm" in a cell or heading: one joint addressee."""
    out: list[Body] = []
    for b in bodies:
        prev = out[-1] if out else None
        if prev and not prev.group and not b.group and text[prev.end : b.start] == " và " \
                and prev.name.split()[0] == b.name.split()[0]:
            out[-1] = Body(f"{prev.name} và {b.name}", prev.start, b.end)
        else:
            out.append(b)
    return out


def _only_bodies(text: str, bodies: list[Body]) -> bool:
    """Whether ``text`` is just the bodies and separators ("X, Y và Z:", "Giao X")."""
    rest, pos = [], 0
    for b in bodies:
        rest.append(text[pos : b.start])
        pos = b.end
    rest.append(text[pos:])
    left = fold(" ".join(rest))
    left = re.sub(r"\b(?:giao cho|giao|de nghi|yeu cau|va cac|va|doi voi|cac (?:bo|so|ban|co quan))\b", " ", left)
    return bool(bodies) and not re.sub(r"[\s,;:.()\-–*_#]+", "", left)


def _rejoin_labels(text: str, segments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    r"""A label line ("Đơn vị phối hợp: Sở Nội" / "vụ, Sở Tư pháp.") with the lines its value wraps
    onto: a following line that opens in lower case goes on with it (a capture wraps at 80 columns).

    >>> t = "Đơn vị phối hợp: Sở Nội\nvụ, Sở Tư pháp.\nThời gian: 2026."
    >>> [t[s:e].strip() for s, e in _rejoin_labels(t, [(0, 24), (24, 40), (40, len(t))])]
    ['Đơn vị phối hợp: Sở Nội\nvụ, Sở Tư pháp.', 'Thời gian: 2026.']
    """
    out: list[tuple[int, int]] = []
    for s, e in segments:
        if out:
            ps, pe = out[-1]
            prev, piece = text[ps:pe], text[s:e].lstrip(" *_")
            lead = _MARKER.match(prev)
            if _LABEL.match(fold(prev[lead.end():] if lead else prev).lstrip(" *_")) \
                    and not prev.rstrip(" *_\n").endswith((".", ";", ":")) and piece[:1].islower():
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out


class _Reader:
    def __init__(self, doc: Document, gazetteer: Gazetteer | None, wrapped: bool):
        self.doc, self.gaz, self.wrapped = doc, gazetteer, wrapped
        self.by_id = {c.id: c for c in doc.clauses}
        self.owners: dict[str, list[_Owner]] = {}
        self.listed: dict[str, list[_Owner]] = {}  # bullets that list the bodies a heading addresses
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
                    self._emit(c, o, "thực hiện", "danh sách", "list", c.start, c.own_end)
                continue
            t = _Text(self.doc, c.start, c.own_end, self.wrapped)
            lead = _MARKER.match(t.text)
            body_from = lead.end() if lead else 0
            heading_end = self._heading_end(c, t, body_from)
            named = self._addressees(c, t, body_from, heading_end)
            if named:
                self.owners[c.id] = named
                if not t.text[heading_end:].strip() and not c.children:
                    for o in named:
                        self._emit(c, o, "thực hiện", "tiêu đề", o.source, *t.span(body_from, heading_end))
                self.sentences(c, t, heading_end, named)
            else:
                self.owners[c.id] = inherited
                self.sentences(c, t, body_from, inherited)
        return self.out

    # --- headings -------------------------------------------------------------------------------

    def _heading_end(self, c: Clause, t: _Text, body_from: int) -> int:
        """End of the heading in ``t.text``: its line, and the lines it was wrapped onto."""
        if not c.heading or c.kind in ("bullet", "preamble", "row"):
            return body_from
        from ingest.lines import read

        text, head = t.norm.text, c.heading
        end = text.find("\n", body_from)
        end = len(text) if end == -1 else end
        while end < len(text):
            nxt = text.find("\n", end + 1)
            nxt = len(text) if nxt == -1 else nxt
            line = read(text[end + 1 : nxt])
            if not line or line not in head:
                break
            end = nxt
        return self._name_wrapped(t, body_from, end)

    def _name_wrapped(self, t: _Text, body_from: int, end: int) -> int:
        """A heading whose body's name the line break cuts ("4. Sở Tài" / "chính", "5. Sở Văn" /
        "hóa, Thể thao và Du lịch") runs on to the next line: its end is that line's end."""
        text = t.norm.text
        if end >= len(text) or text[end] != "\n" or not text[end + 1 : end + 2].strip():
            return end
        nxt = text.find("\n", end + 1)
        nxt = len(text) if nxt == -1 else nxt
        joined = text[body_from:nxt].replace("\n", " ")
        cut = end - body_from
        spans = [b for b in self.bodies(joined) if b.start < cut < b.end]
        if not spans:
            return end
        if text[end + 1].islower() or not joined[spans[0].end :].strip(" *_:"):
            return nxt
        # a capital on the next line may open the body text ("2. Giao Sở Xây dựng" / "Chủ trì, …"):
        # the name runs on when the first line ends in a bare head ("1. Sở" / "Công Thương") or
        # the name is all the next line holds ("6. Sở Ngoại" / "Vụ")
        first = self.bodies(text[body_from:end])
        return end if first and first[-1].end >= len(text[body_from:end].rstrip(" *_")) else nxt

    def _addressees(self, c: Clause, t: _Text, body_from: int, heading_end: int) -> list[_Owner]:
        """The bodies a heading addresses, when the heading is an address and not a sentence."""
        if c.kind not in ("item", "point", "section", "article", "clause", "part") or heading_end <= body_from:
            return []
        heading = t.text[body_from:heading_end]
        found = self._whole_parts(heading, _joint(heading, self.bodies(_sentence_case(heading))))
        if not found or not _HEAD_PREFIX.fullmatch(fold(heading[: found[0].start])):
            return []
        sentence = _verb_next(heading[found[-1].end:]) and not _only_bodies(heading, found)
        if not (_only_bodies(heading, found) or (c.children and not heading.rstrip().endswith(".") and not sentence)):
            return []
        owners = [_Owner(b.name, *t.span(body_from + b.start, body_from + b.end), b.group, "heading") for b in found]
        return owners + self._listed(c)

    def _whole_parts(self, heading: str, found: list[Body]) -> list[Body]:
        """Comma-separated parts of a heading that are, as a whole, a known name ("…, Báo, Đài …")."""
        if self.gaz is None:
            return found
        out, pos = list(found), 0
        for part in heading.split(","):
            s, e = pos, pos + len(part)
            pos = e + 1
            inner = part.strip()
            if inner and not any(b.start < e and s < b.end for b in found) and self.gaz.exact(inner):
                at = s + part.find(inner)
                out.append(Body(inner, at, at + len(inner)))
        return sorted(out, key=lambda b: b.start)

    def _listed(self, c: Clause) -> list[_Owner]:
        """Bullets that each name bodies and their scope ("- Sở Công Thương (đối với …);"): their
        bodies own the tasks of the heading too, and each such bullet is its own bodies' task."""
        listed: dict[str, list[_Owner]] = {}
        for cid in c.children:
            child = self.by_id[cid]
            if child.kind != "bullet":
                continue
            t = _Text(self.doc, child.start, child.own_end, self.wrapped)
            lead = _MARKER.match(t.text)
            off = lead.end() if lead else 0
            text = t.text[off:]
            scope = re.search(r"\(|[;.]?\s*$", text)
            head = text[: scope.start()] if scope else text
            found = self.bodies(head)
            if found and found[0].start == 0 and _only_bodies(head, found):
                listed[cid] = [_Owner(b.name, *t.span(off + b.start, off + b.end), b.group, "list") for b in found]
        if len(listed) < 2:
            return []
        self.listed.update(listed)
        return [o for owners in listed.values() for o in owners]

    # --- sentences ------------------------------------------------------------------------------

    def sentences(self, c: Clause, t: _Text, start: int, owners: list[_Owner]) -> None:
        text = t.text
        bounds = [start] + [m.end() for m in _SEGMENT.finditer(text, start)] + [len(text)]
        segments, pending = [], None
        for s, e in zip(bounds, bounds[1:]):
            if not text[s:e].strip():
                continue
            # Only the new piece is read: what is pending is already known to name bodies only
            # (reading the whole run again would be quadratic in a long list).
            piece = text[s:e]
            lead = _MARKER.match(piece)
            piece = piece[lead.end():] if lead else piece
            s = pending if pending is not None else s
            if e < len(text) and _only_bodies(piece, self.bodies(piece)):
                pending = s  # "Các sở, ban, ngành; Ủy ban nhân dân các xã; …": a list, not a sentence
                continue
            pending = None
            segments.append((s, e))
        if pending is not None:
            segments.append((pending, len(text)))
        previous, carried = "", owners
        segments = _rejoin_labels(text, segments)
        due = self._time_label(c, t, segments)
        for s, e in segments:
            if self._labelled(c, t, s, e, due):
                previous = text[s:e]
                continue
            if (m := _LEAD_IN_LIST.search(fold(previous))) and self._listed_after(c, t, s, e, m):
                previous = text[s:e]
                continue
            # a sentence without a subject of its own goes on with the last one ("X xây dựng …; báo cáo …")
            carried = self.segment(c, t, s, e, carried) or carried
            previous = text[s:e]

    def _time_label(self, c: Clause, t: _Text, segments: list[tuple[int, int]]) -> list[dict]:
        """The deadline an activity's "Thời gian thực hiện: …" line gives."""
        for s, e in segments:
            seg = t.text[s:e]
            lead = _MARKER.match(seg)
            seg = seg[lead.end():] if lead else seg
            if m := _TIME_LABEL.match(fold(seg)):
                known, value = len(self.wrong), seg[m.end():]
                found = self.dates(c, value, cell=True)
                if found or len(self.wrong) > known or not value.strip(" .;*_"):
                    return found
                return [{"text": value.strip(" .;*_"), "due": _year_due(value)}]
        return []

    def _labelled(self, c: Clause, t: _Text, s: int, e: int, due: list[dict]) -> bool:
        """"Đơn vị chủ trì: X." / "Đơn vị phối hợp thực hiện: Y.": the activity's lead and partners
        (of the clause the lines sit in, and of the activity above when the lines are its bullets)."""
        seg = t.text[s:e]
        lead = _MARKER.match(seg)
        off = s + (lead.end() if lead else 0)
        m = _LABEL.match(fold(t.text[off:e]))
        if not m:
            return False
        role, value = _LABEL_ROLE[m["role"]], t.text[off + m.end() : e]
        parent = self.by_id.get(c.parent) if c.parent else None
        targets = [c] + ([parent] if parent is not None and c.kind == "bullet" and s == 0 else [])
        for b in _joint(value, self.bodies(value)):
            at = off + m.end() + b.start
            for target in targets:
                self._emit(target, _Owner(b.name, *t.span(at, at + len(b.name)), b.group, "sentence"), role,
                           m.group(0).strip(" :*_"), "sentence", *t.span(s, e), deadlines=due)
        return True

    def _listed_after(self, c: Clause, t: _Text, s: int, e: int, m: re.Match) -> bool:
        """"Trách nhiệm chỉ đạo thực hiện: X; Y." / "Cơ quan chủ trì: X": the bodies listed."""
        piece = t.text[s:e]
        found = self.bodies(piece)
        if not _only_bodies(piece, found):
            return False
        role = "chủ trì" if "chu tri" in m.group(0) else "phối hợp" if "phoi hop" in m.group(0) else "thực hiện"
        for b in found:
            self._emit(c, _Owner(b.name, *t.span(s + b.start, s + b.end), b.group, "sentence"), role,
                       m.group(0).strip(" :"), "sentence", *t.span(s, e))
        return True

    def segment(self, c: Clause, t: _Text, s: int, e: int, owners: list[_Owner]) -> list[_Owner]:
        """Read one sentence; return its subject (for the sentences that go on without one)."""
        seg = t.text[s:e]
        lead = _MARKER.match(seg)
        off = s + (lead.end() if lead else 0)
        body = t.text[off:e]
        folded = fold(body)
        if c.path == "preamble" and (_BASIS.match(folded) or _ENACTS.search(folded)):
            # "Căn cứ Nghị định số … của Chính phủ …", "Bộ trưởng Bộ X ban hành Thông tư …": the legal
            # basis and the enacting formula name bodies and give none of them a task. In the body of a
            # document "Căn cứ Kế hoạch này, các sở … xây dựng …" is a task, so only the preamble is read so
            return []
        found = self.bodies(body)
        subject = self._subject(body, found)
        # Agents of a clause inside the sentence: "… do Bộ Tài nguyên và Môi trường chủ trì, …",
        # "… giao Sở X …": what follows them is theirs, not the subject's.
        agents = [b for b in found if b not in subject and _AGENT.search(folded[: b.start][-16:]) and _verb_next(body[b.end:])]
        groups: list[tuple[list[Body], int]] = []  # (actors, where their words begin)
        if subject:
            groups.append((subject, subject[-1].end))
        elif owners:
            groups.append(([], 0))
        for b in agents:
            if groups and groups[-1][0] and groups[-1][0][-1] is not b and _continues(folded[groups[-1][0][-1].end : b.start]) \
                    and groups[-1][0][-1] in agents:
                groups[-1] = (groups[-1][0] + [b], b.end)
            else:
                groups.append(([b], b.end))
        taken = {b.start for g, _ in groups for b in g}
        partner_leads = False  # "Các sở, ngành phối hợp với Sở X …": Sở X leads the collective
        for k, (actors, words_from) in enumerate(groups):
            until = groups[k + 1][0][0].start if k + 1 < len(groups) else len(body)
            window = body[words_from:until]
            roles, cue = self._roles(folded[words_from:until], 0)
            dl = self.dates(c, window) or (self.dates(c, body) if k == 0 else [])
            start = actors[0].start if actors else 0
            span = t.span(off + start, off + until)
            people = [_Owner(b.name, *t.span(off + b.start, off + b.end), b.group, "sentence") for b in actors] or owners
            if k == 0 and people and all(a.group or a.name in self.collective for a in people) and roles[0] == "thực hiện" \
                    and _PARTNERS.match(folded[words_from:until].lstrip(" ,:")) \
                    and any(not b.collective and b.start >= words_from for b in found if b.start not in taken):
                partner_leads, roles = True, ["phối hợp", *roles[1:]]
            for a in people:
                self._emit(c, a, roles[0], cue, a.source, *span, roles=roles, deadlines=dl)
        for b, role, why in self._others(body, folded, found, taken):
            if partner_leads and role == "phối hợp" and not b.collective:
                role, partner_leads = "chủ trì", False
            self._emit(c, _Owner(b.name, *t.span(off + b.start, off + b.end), b.group, "sentence"), role, why,
                       "sentence", *t.span(off, e))
        return [_Owner(b.name, *t.span(off + b.start, off + b.end), b.group, "sentence") for b in subject]

    def _subject(self, body: str, found: list[Body]) -> list[Body]:
        """Bodies that open the sentence and are followed by its verb."""
        if not found:
            return []
        lead = _LEAD_IN.match(fold(body))
        prefix = body[: found[0].start]
        if prefix.strip() and not (lead and lead.end() >= found[0].start) and not prefix.rstrip().endswith(","):
            return []
        if prefix.rstrip().endswith(",") and len(prefix) > 80:
            return []
        subject = [found[0]]
        for b in found[1:]:
            gap = fold(body[subject[-1].end : b.start]).strip()
            if gap not in (",", ";", "va", "va cac", ", va", "cung", "cung voi"):
                break
            subject.append(b)
        after = body[subject[-1].end :]
        return subject if _verb_next(after) or after.lstrip().startswith(":") else []

    def _roles(self, folded: str, start: int) -> tuple[list[str], str]:
        return roles_of(folded[start:])

    def _others(self, body: str, folded: str, found: list[Body], taken: set[int]):
        """Bodies named after "phối hợp với" or "thông qua" (partners), after "báo cáo"/"gửi"
        (recipients), after "chỉ đạo" (directed)."""
        partners = _PARTNERS.search(folded)
        chain_end = None
        for b in found:
            if b.start in taken:
                continue
            before = folded[: b.start]
            if partners and b.start >= partners.end() and (chain_end is None or _continues(folded[chain_end : b.start])):
                chain_end = b.end
                yield b, "phối hợp", partners.group(0)
                continue
            if _THROUGH.search(before[-14:]):
                # "Hằng năm, thông qua Sở KH&CN tham mưu UBND tỉnh …" under another body's heading:
                # the heading's body does the task through this one, which takes part in it
                yield b, "phối hợp", "thông qua"
            elif _TO.search(before[-40:]):
                yield b, "nhận báo cáo", "báo cáo, gửi"
            elif _DIRECTS.search(before[-12:]):
                yield b, "thực hiện", "được chỉ đạo"

    # --- table rows -----------------------------------------------------------------------------

    def row(self, c: Clause) -> None:
        self.owners[c.id] = []
        if not c.cells:
            return
        headers = list(c.cells)
        kinds = dict(zip(headers, self._table_kinds(c, headers)))
        due = next((v for h, v in c.cells.items() if kinds[h] == "deadline" and v), "")
        known = len(self.wrong)
        dl = self.dates(c, due, cell=True)
        if not dl and due and len(self.wrong) == known:
            dl = [{"text": due, "due": _year_due(due)}]  # "2025 - 2030": the end of its last year
        t = _Text(self.doc, c.start, c.end, True)
        for h, value in c.cells.items():
            role = {"lead": "chủ trì", "partner": "phối hợp", "lead_partner": "chủ trì"}.get(kinds[h])
            if not role or not value:
                continue
            at = max(0, t.text.find(value[:24]))
            found = _joint(value, self.bodies(value))
            for i, b in enumerate(found):
                r = role
                if role == "chủ trì" and i > 0 and _DIRECTS.search(fold(value[: b.start])[-12:]):
                    r = "thực hiện"  # "Bộ Tài chính chỉ đạo Sở Giao dịch …": directed, under the lead
                elif kinds[h] == "lead_partner" and i > 0:
                    r = "phối hợp"  # "Sở Y tế; Sở Tài chính, các sở liên quan": the first leads
                pos = t.text.find(b.name, at)
                span = t.span(pos, pos + len(b.name)) if pos >= 0 else (-1, -1)
                self._emit(c, _Owner(b.name, *span, b.group, "table"), r, f"cột {h}", "table", c.start, c.end,
                           deadlines=dl)
            if not found and cell_kind(value) == "text" and value.strip()[:1].isupper():
                name = " ".join(value.split())
                pos = t.text.find(name, at)
                span = t.span(pos, pos + len(name)) if pos >= 0 else (-1, -1)
                self._emit(c, _Owner(name, *span, False, "table"), role, f"cột {h}", "table", c.start, c.end, deadlines=dl)

    def _table_kinds(self, c: Clause, headers: list[str]) -> list[str]:
        """The kinds of a table's columns, by header and by what the cells of all its rows hold."""
        table = c
        while table.parent and self.by_id[table.parent].kind == "row":
            table = self.by_id[table.parent]
        key = (table.parent, tuple(headers))
        if key not in self.tables:
            rows = [r for r in self.doc.clauses if r.kind == "row" and r.parent in (table.parent, table.id)
                    and r.cells and list(r.cells) == headers]
            rows += [r for r in self.doc.clauses if r.kind == "row" and r.cells and list(r.cells) == headers
                     and r.parent and self.by_id[r.parent].kind == "row" and r not in rows]
            columns = [[r.cells.get(h, "") for r in rows] for h in headers]
            self.tables[key] = content_kinds([column_kind(h) for h in headers], columns)
        return self.tables[key]

    def _emit(self, c: Clause, o: _Owner, role: str, cue: str, source: str, seg_start: int, seg_end: int,
              roles: list[str] | None = None, deadlines: list[dict] | None = None) -> None:
        self.out.append(Assignment(c.id, o.name, role, cue, source, o.start, o.end, seg_start, seg_end, o.group,
                                   roles or [role], deadlines or [], o.group or o.name in self.collective))


def _sentence_case(text: str) -> str:
    """An all-capitals heading ("1. SỞ TÀI CHÍNH TỈNH MẪU") with the capitals names keep, of the
    same length, so the recogniser can read it ("1. Sở Tài Chính tỉnh Mẫu")."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or not all(ch.isupper() for ch in letters) or len(letters) < 6:
        return text
    small = {"và", "các", "tỉnh", "thành", "phố", "huyện", "xã", "phường", "quận", "thị", "trấn", "của", "với", "cấp"}
    return re.sub(r"[^\W\d_]+", lambda m: m.group().lower() if m.group().lower() in small else m.group().capitalize(), text)


def _verb_next(after: str) -> bool:
    """Whether ``after`` (the text after a name) opens with a verb: the name is a subject."""
    from ingest.bodies import pos_tags

    rest = after.lstrip(" ,;:\n")
    if not rest[:1].islower():
        return False
    if _VERBS.match(fold(rest)):
        return True
    tagged = pos_tags(rest[:60])
    return bool(tagged) and tagged[0][1] == "V"


def roles_of(rest: str) -> tuple[list[str], str]:
    """The roles the words after a sentence's subject give it, main role first, and the cue
    (``rest`` folded: ``ingest.normalize.fold``).

    >>> roles_of("chu tri phoi hop voi cac co quan … tham muu ubnd tinh bo tri kinh phi")[0]
    ['chủ trì', 'tham mưu']
    >>> roles_of("la co quan dau moi theo doi, don doc …; dinh ky tong hop, bao cao ubnd tinh")[0]
    ['đầu mối', 'theo dõi, đôn đốc', 'báo cáo']
    >>> roles_of("phoi hop voi cac co quan, don vi co lien quan day manh thu hut dau tu")[0]
    ['thực hiện']
    >>> roles_of("phoi hop thuc hien cac nhiem vu lien quan")[0]
    ['phối hợp']
    >>> roles_of("tham muu ban thuong vu tinh uy bo tri can bo theo doi viec thuc hien")[0]
    ['tham mưu', 'theo dõi, đôn đốc']
    """
    if m := _PURPOSE.search(rest, 12):
        rest = rest[: m.start()]  # "… gửi Y để tổng hợp, tham mưu …": what follows is Y's
    found = sorted((m.start(), role, m.group(0)) for role, p in _CUES.items() if (m := p.search(rest)))
    # chủ trì and đầu mối lead wherever they stand; otherwise the first verb of the sentence does
    # ("tham mưu … bố trí cán bộ theo dõi": tham mưu).
    lead = [f for f in found if f[1] in ("chủ trì", "đầu mối")]
    found = sorted(lead, key=lambda f: ROLES.index(f[1])) + [f for f in found if f not in lead]
    roles, cue = [f[1] for f in found], (found[0][2] if found else "")
    partners = _PARTNERS.search(rest)
    if "chủ trì" not in roles and partners and partners.start() <= 2:
        roles.insert(0, "thực hiện")  # "(X) phối hợp với Y <làm Z>": X does Z, with Y
        cue = partners.group(0)
    elif not roles and (m := _SUPPORT.search(rest)) and not partners:
        roles.append("phối hợp")  # "X phối hợp thực hiện …"
        cue = m.group(0)
    if _REPORT.search(rest):
        roles.append("báo cáo")
    if not roles or roles[0] in ("báo cáo",):
        roles.insert(0, "thực hiện")
    return list(dict.fromkeys(roles)), cue or "câu"


def _continues(gap: str) -> bool:
    """The words between two partners keep the list going ("Bộ A, Bộ B và các bộ …")."""
    return gap.strip(" ,;") in ("", "va", "va cac", "cung", "cung cac")


def _year_due(cell: str) -> str | None:
    """"2025", "2025 - 2030": the end of the last year named."""
    years = re.findall(r"\b(20\d\d|19\d\d)\b", cell)
    return f"{years[-1]}-12-31" if years else None


def _merge(found: list[Assignment]) -> list[Assignment]:
    """One assignment per clause, body and mention: the roles of its sentences together."""
    out: dict[tuple, Assignment] = {}
    for a in found:
        key = (a.clause_id, a.agency, a.start, a.role == "nhận báo cáo")
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
    reader = _Reader(doc, gazetteer, wrapped)
    found = _merge(reader.run())
    doc.warnings += [w for w in reader.warnings() if w not in doc.warnings]
    return found
