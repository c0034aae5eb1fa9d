"""The heading part of the assignment reader: where a clause's heading ends (its line, the
lines it wraps onto, a body's name cut by the line break), and the bodies a heading addresses
when it is an address and not a sentence ("3. Sở Tài chính", "II. CÁC SỞ, BAN, NGÀNH", with
bullets that each name bodies under it). Those bodies own the tasks under the heading; the
sentences are read by ``ingest.assign.reader``.
"""

from __future__ import annotations

import re

from ingest.assign.clause_text import MARKER, ClauseText, Owner, joint, only_bodies, sentence_case, verb_next
from ingest.assign.holders import holder
from ingest.assign.roles import Role, partner_cue
from ingest.bodies import Body
from ingest.body_vocab import holds_stop
from ingest.models import Clause
from ingest.normalize import fold

_HEAD_PREFIX = re.compile(r"\s*(?:(?:giao cho|giao|de nghi|yeu cau|doi voi|(?:trach nhiem|nhiem vu)(?: va quyen han)? cua)\s+)?"
                          r"(?:(?:pho )?(?:chu tich|giam doc)|thu truong(?: cac)?|bo truong|cuc truong|vu truong|chanh van phong"
                          r"|(?:pho )?truong ban|nguoi dung dau)?\s*"  # "Trách nhiệm của Giám đốc Sở X": the title stands for X
                          r"(?:cac \w+\s*:\s*)?")


def own_line(text: str, end: int) -> bool:
    r"""Whether the heading that ends at ``end`` is a line of its own: short, or in capitals, with a
    capital after it, not the first 80 columns of a wrapped paragraph.

    >>> own_line("III. TỔ CHỨC THỰC HIỆN\nCác cơ quan …", 22), own_line("4. Về dự án: " + "x" * 60 + " tỉnh Thanh\nHóa phối hợp", 84)
    (True, False)
    """
    if text[end : end + 1] != "\n" or not text[end + 1 : end + 2].isupper():
        return False
    line = text[text.rfind("\n", 0, end) + 1 : end]
    return len(line) < 60 or line.isupper()


class HeadingReading:
    """The heading part of the assignment reader (``ingest.assign.reader.Reader``), which gives it
    ``doc``, ``by_id``, ``gaz``, ``wrapped``, ``listed`` and ``bodies``."""

    def heading_end(self, c: Clause, t: ClauseText, body_from: int) -> int:
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
        for _ in range(3):  # a line the heading runs on to may end in a name cut in turn ("… Bộ Quốc" / "phòng …")
            end, before = self._name_wrapped(t, body_from, end), end
            if end == before:
                break
        return end

    def _name_wrapped(self, t: ClauseText, body_from: int, end: int) -> int:
        """A heading whose body's name the line break cuts ("4. Sở Tài" / "chính", "5. Sở Văn" /
        "hóa, Thể thao và Du lịch") runs on to the next line: its end is that line's end."""
        text = t.norm.text
        if end >= len(text) or text[end] != "\n" or not text[end + 1 : end + 2].strip():
            return end
        nxt = text.find("\n", end + 1)
        nxt = len(text) if nxt == -1 else nxt
        joined = text[body_from:nxt].replace("\n", " ")
        cut = end - body_from
        found = self.bodies(joined)
        spans = [b for b in found if b.start < cut < b.end]
        if not spans:
            return end
        after = joined[spans[0].end :].strip(" *_:")
        if not after:
            return nxt
        if text[end + 1].islower() and after[0].islower() and not re.match(r"(?:và|hoặc|cùng)\b", after) \
                and only_bodies(joined[: spans[0].end], [b for b in found if b.end <= spans[0].end]):
            # "m) Ủy ban nhân dân các tỉnh, thành phố trực thuộc" / "trung ương chịu trách nhiệm
            # toàn diện trước Chính phủ …", "2. Thanh tra tỉnh, UBND các" / "xã, phường niêm yết …":
            # the names the heading opens with end on the next line and their sentence follows;
            # the heading is the names, the rest is read as their sentence (not more addressees).
            # A list of names that goes on ("…, Thủ trưởng cơ quan ngang Bộ," / "cơ quan thuộc
            # Chính phủ và Chủ tịch …") is read as before.
            return body_from + spans[0].end
        if text[end + 1].islower():
            return nxt
        tail = joined[cut : spans[0].end]
        if after[0].islower() and len(tail.split()) >= 2 and not holds_stop(tail):
            # "5. Đề nghị Hội Liên hiệp Phụ nữ" / "Việt Nam tỉnh chủ trì, …": the heading ends with
            # the name, on the next line (not "2. Sở Xây dựng" / "Phối hợp với …", a verb with a
            # capital)
            return body_from + spans[0].end
        # a capital on the next line may open the body text ("2. Giao Sở Xây dựng" / "Chủ trì, …"):
        # the name runs on when the first line ends in a bare head ("1. Sở" / "Công Thương") or
        # the name is all the next line holds ("6. Sở Ngoại" / "Vụ")
        first = self.bodies(text[body_from:end])
        return end if first and first[-1].end >= len(text[body_from:end].rstrip(" *_")) else nxt

    def addressees(self, c: Clause, t: ClauseText, body_from: int, heading_end: int) -> list[Owner]:
        """The bodies a heading addresses, when the heading is an address and not a sentence."""
        if c.kind not in ("item", "point", "section", "article", "clause", "part") or heading_end <= body_from:
            return []
        heading = t.text[body_from:heading_end]
        found = self._whole_parts(heading, joint(heading, self.bodies(sentence_case(heading))))
        if not found or not _HEAD_PREFIX.fullmatch(fold(heading[: found[0].start])):
            # "Điều 30. Trách nhiệm của doanh nghiệp cung cấp dịch vụ …": the role holder it names
            held = holder(heading, heading=True) if c.children or t.text[heading_end:].strip() else None
            return [Owner(held.name, *t.span(body_from + held.start, body_from + held.end), held.group, "heading")] \
                if held else []
        sentence = verb_next(heading[found[-1].end:]) and not only_bodies(heading, found)
        if not (only_bodies(heading, found) or (c.children and not heading.rstrip().endswith(".") and not sentence)):
            return []
        folded = fold(heading)
        cue = partner_cue(folded, [b.start for b in found])
        leads = bool(cue) and "chu tri" in folded[: cue.start()]
        owners = [Owner(b.name, *t.span(body_from + b.start, body_from + b.end), b.group, "heading",
                        (Role.PARTNER if b.start >= cue.end() else Role.LEAD if leads else None) if cue else None)
                  for b in found]
        return owners + self._listed(c)

    def address_bullet(self, c: Clause, t: ClauseText, body_from: int) -> list[Owner]:
        """A bullet that is only a body's name, with the points under it ("- Bộ Xây dựng" /
        "+ Ban hành …"): the body it addresses owns them, not the bodies of the item above."""
        if c.kind != "bullet" or not c.children:
            return []
        raw = t.text[body_from:]
        off = body_from + len(raw) - len(raw.lstrip(" *_"))
        text = raw.strip(" *_").rstrip(" *_:.;\n")
        found = self.bodies(text)
        if not found or not only_bodies(text, found):
            return []
        return [Owner(b.name, *t.span(off + b.start, off + b.end), b.group, "heading") for b in found]

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

    def _listed(self, c: Clause) -> list[Owner]:
        """Bullets that each name bodies and their scope ("- Sở Công Thương (đối với …);"): their
        bodies own the tasks of the heading too, and each such bullet is its own bodies' task."""
        listed: dict[str, list[Owner]] = {}
        for cid in c.children:
            child = self.by_id[cid]
            if child.kind != "bullet":
                continue
            t = ClauseText(self.doc, child.start, child.own_end, self.wrapped)
            lead = MARKER.match(t.text)
            off = lead.end() if lead else 0
            text = t.text[off:]
            scope = re.search(r"\(|[;.]?\s*$", text)
            head = text[: scope.start()] if scope else text
            found = self.bodies(head)
            if found and found[0].start == 0 and only_bodies(head, found):
                listed[cid] = [Owner(b.name, *t.span(off + b.start, off + b.end), b.group, "list") for b in found]
        if len(listed) < 2:
            return []
        self.listed.update(listed)
        return [o for owners in listed.values() for o in owners]
