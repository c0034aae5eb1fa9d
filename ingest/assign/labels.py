"""Label lines of the assignment reader: an activity's own "Đơn vị chủ trì: X." / "Cơ quan phối hợp
thực hiện: Y." / "Thời gian thực hiện: …" lines, and a lead-in that lists bodies after its colon
("Trách nhiệm chỉ đạo thực hiện: X; Y."). The sentences around them are read by
``ingest.assign.reader``."""

from __future__ import annotations

import re

from ingest.assign.clause_text import MARKER, ClauseText, Owner, joint, only_bodies, year_due
from ingest.assign.roles import CUES, PARTNERS, Role
from ingest.models import Clause
from ingest.normalize import fold

# "Trách nhiệm chỉ đạo thực hiện:", "Cơ quan giải quyết thủ tục hành chính:", "Thẩm quyền quyết định …:"
LEAD_IN_LIST = re.compile(r"\b(?:trach nhiem|co quan|don vi|phan cong|tham quyen)(?:\s+[a-z,]+){0,10}\s*:[\s*_]*$")
# An activity's own lines: "Đơn vị chủ trì: X." / "Cơ quan phối hợp thực hiện: Y." / "Thời gian thực hiện: …"
_LABEL = re.compile(r"(?:don vi|co quan)\s+(?P<role>chu tri|phoi hop|thuc hien|dau moi)(?:\s+[a-z]+){0,4}\s*:[\s*_]*")
_LABEL_ROLE = {"chu tri": Role.LEAD, "phoi hop": Role.PARTNER, "thuc hien": Role.DOES, "dau moi": Role.FOCAL}
_TIME_LABEL = re.compile(r"(?:thoi gian|thoi han|tien do)(?:\s+[a-z/]+){0,4}\s*:[\s*_]*")

# "các Bộ:", "các Tập đoàn:" (folded): the head of a list of names that follows the colon
_LIST_HEAD = re.compile(r"\bcac\s+(?:bo|so|tap doan|tong cong ty|ngan hang|cuc|vu|dai|hoi)\s*:[\s*_]*$")


def rejoin_labels(text: str, segments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    r"""A label line ("Đơn vị phối hợp: Sở Nội" / "vụ, Sở Tư pháp.") with the lines its value wraps
    onto: a following line that opens in lower case goes on with it (a capture wraps at 80 columns).

    >>> t = "Đơn vị phối hợp: Sở Nội\nvụ, Sở Tư pháp.\nThời gian: 2026."
    >>> [t[s:e].strip() for s, e in rejoin_labels(t, [(0, 24), (24, 40), (40, len(t))])]
    ['Đơn vị phối hợp: Sở Nội\nvụ, Sở Tư pháp.', 'Thời gian: 2026.']
    """
    out: list[tuple[int, int]] = []
    for s, e in segments:
        if out:
            ps, pe = out[-1]
            prev, piece = text[ps:pe], text[s:e].lstrip(" *_")
            lead = MARKER.match(prev)
            folded = fold(prev[lead.end():] if lead else prev).lstrip(" *_")
            label = _LABEL.match(folded)
            if label and not prev.rstrip(" *_\n").endswith((".", ";", ":")) and piece[:1].islower():
                out[-1] = (ps, e)
                continue
            if (label and not folded[label.end():].strip()) or _LIST_HEAD.search(folded):
                # "Cơ quan thực hiện thủ tục hành chính:" / "Bộ Nông nghiệp …": the label's value;
                # "đề nghị các Tổng công ty:" / "Xăng dầu …, Điện lực …": the list goes on
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out



class LabelReading:
    """The label part of the assignment reader (``ingest.assign.reader.Reader``), which gives it
    ``by_id``, ``wrong``, ``dates``, ``bodies`` and ``emit``."""

    def time_label(self, c: Clause, t: ClauseText, segments: list[tuple[int, int]]) -> list[dict]:
        """The deadline an activity's "Thời gian thực hiện: …" line gives."""
        for s, e in segments:
            seg = t.text[s:e]
            lead = MARKER.match(seg)
            seg = seg[lead.end():] if lead else seg
            if m := _TIME_LABEL.match(fold(seg)):
                known, value = len(self.wrong), seg[m.end():]
                found = self.dates(c, value, cell=True)
                if found or len(self.wrong) > known or not value.strip(" .;*_"):
                    return found
                return [{"text": value.strip(" .;*_"), "due": year_due(value)}]
        return []

    def labelled(self, c: Clause, t: ClauseText, s: int, e: int, due: list[dict]) -> bool:
        """"Đơn vị chủ trì: X." / "Đơn vị phối hợp thực hiện: Y.": the activity's lead and partners
        (of the clause the lines sit in, and of the activity above when the lines are its bullets)."""
        seg = t.text[s:e]
        lead = MARKER.match(seg)
        off = s + (lead.end() if lead else 0)
        m = _LABEL.match(fold(t.text[off:e]))
        if not m:
            return False
        role, value = _LABEL_ROLE[m["role"]], t.text[off + m.end() : e]
        if role == Role.DOES and (CUES[Role.LEAD].search(fold(value)) or PARTNERS.search(fold(value))):
            return False  # "Cơ quan thực hiện: Sở X chủ trì, phối hợp với Y …": a sentence, read as one
        parent = self.by_id.get(c.parent) if c.parent else None
        targets = [c] + ([parent] if parent is not None and c.kind == "bullet" and s == 0 else [])
        for b in joint(value, self.bodies(value)):
            at = off + m.end() + b.start
            for target in targets:
                self.emit(target, Owner(b.name, *t.span(at, at + len(b.name)), b.group, "sentence"), role,
                           m.group(0).strip(" :*_"), "sentence", *t.span(s, e), deadlines=due)
        return True

    def listed_after(self, c: Clause, t: ClauseText, s: int, e: int, m: re.Match) -> bool:
        """"Trách nhiệm chỉ đạo thực hiện: X; Y." / "Cơ quan chủ trì: X": the bodies listed."""
        piece = t.text[s:e]
        found = self.bodies(piece)
        if not only_bodies(piece, found):
            return False
        role = Role.LEAD if "chu tri" in m.group(0) else Role.PARTNER if "phoi hop" in m.group(0) else Role.DOES
        for b in found:
            self.emit(c, Owner(b.name, *t.span(s + b.start, s + b.end), b.group, "sentence"), role,
                       m.group(0).strip(" :"), "sentence", *t.span(s, e))
        return True
