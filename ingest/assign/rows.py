"""Who does what in a task-table row: the bodies of its lead column chủ trì, of its partner
column phối hợp ("Bộ Tài chính chỉ đạo Sở Giao dịch …" in a lead cell: both lead), its time column
the deadline. Columns are known by their header and by what the cells of all the table's rows hold."""

from __future__ import annotations

import re

from ingest.assign.clause_text import DIRECTS, ClauseText, Owner, joint, year_due
from ingest.assign.roles import Role
from ingest.bodies import Body
from ingest.body_vocab import holds_stop
from ingest.models import Clause
from ingest.normalize import fold
from ingest.pos import pos_tags
from ingest.tables import cell_kind, column_kind, content_kinds, names_columns


class RowReading:
    """The table-row part of the assignment reader (``ingest.assign.reader.Reader``), which gives it
    ``doc``, ``by_id``, ``owners``, ``tables``, ``wrong`` and ``dates``, ``bodies``, ``emit``."""

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
            dl = [{"text": due, "due": year_due(due)}]  # "2025 - 2030": the end of its last year
        t = ClauseText(self.doc, c.start, c.end, True)
        for h, value in c.cells.items():
            role = {"lead": Role.LEAD, "partner": Role.PARTNER, "lead_partner": Role.LEAD}.get(kinds[h])
            if not role or not value:
                continue
            at = max(0, t.text.find(value[:24]))
            found = joint(value, self.bodies(value))
            if len(found) == 1 and (whole := _whole_cell(value, found[0])) is not None:
                found = [whole]  # "Cục Người có công": the cell is the name, cut at "có" in running text
            for i, b in enumerate(found):
                r = role
                if role == Role.LEAD and i > 0 and DIRECTS.search(fold(value[: b.start])[-12:]):
                    r = Role.DOES  # "Bộ Tài chính chỉ đạo Sở Giao dịch …": directed, under the lead
                elif kinds[h] == "lead_partner" and i > 0:
                    r = Role.PARTNER  # "Sở Y tế; Sở Tài chính, các sở liên quan": the first leads
                pos = t.text.find(b.name, at)
                span = t.span(pos, pos + len(b.name)) if pos >= 0 else (-1, -1)
                self.emit(c, Owner(b.name, *span, b.group, "table"), r, f"cột {h}", "table", c.start, c.end,
                           deadlines=dl)
            if not found and _names_a_body(value):
                name = " ".join(value.split())
                pos = t.text.find(name, at)
                span = t.span(pos, pos + len(name)) if pos >= 0 else (-1, -1)
                self.emit(c, Owner(name, *span, False, "table"), role, f"cột {h}", "table", c.start, c.end, deadlines=dl)

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
            by_header = [column_kind(h) if names_columns(headers) else "other" for h in headers]
            self.tables[key] = content_kinds(by_header, columns)  # a data row taken for a header names no column
        return self.tables[key]


def _whole_cell(cell: str, body: Body) -> Body | None:
    """The whole cell as one name when the body found at its start runs on in a few lower-case
    words that are neither verbs nor the words that end a name in a sentence (a cell holds a
    name, not a sentence): "Cục Người có công", not "Sở Tư pháp thẩm định" or "Sở X (chủ trì)".

    >>> _whole_cell("Cục Người có công", Body("Cục Người", 0, 9)).name
    'Cục Người có công'
    >>> _whole_cell("Sở Tư pháp thẩm định", Body("Sở Tư pháp", 0, 10)) is None
    True
    """
    start, text = len(cell) - len(cell.lstrip()), cell.rstrip(" .;")
    rest = text[body.end :]
    if body.start != start or not rest.strip() or not rest.strip()[0].islower() or len(rest.split()) > 3 \
            or re.search(r"[,;:()+\-–\n]", rest):
        return None
    if holds_stop(rest, but=("có",)):
        return None
    tags = pos_tags(text)
    if any(tag == "V" and s >= body.end and text[s:e] != "có" for (s, e), tag in tags):
        return None
    return Body(" ".join(text[start:].split()), start, len(text), body.group, body.collective)


def _names_a_body(cell: str) -> bool:
    """A body cell whose text the names list does not know, read as a body's name: it opens with a
    capital and is not a sum, a count or a sentence.

    >>> _names_a_body("Tổ công tác liên ngành"), _names_a_body("Tối đa 225.000 đồng/người/ngày"), _names_a_body("Bước 3")
    (True, False, False)
    >>> _names_a_body("Phiếu kiểm soát quá trình giải quyết hồ sơ"), _names_a_body("Nội dung 2:")
    (False, False)
    """
    t = " ".join(cell.split())
    return (cell_kind(t) == "text" and t[:1].isupper() and len(t.split()) <= 12
            and not re.search(r"\d{3}|\bđồng\b|%|^[Bb]ước \d", t)  # "Bước 3": a step, merged into a body column
            and not _PAPER.match(fold(t)))


# A cell that opens with the name of a paper or a part of one ("Phiếu kiểm soát …", "Mẫu 05",
# "Nội dung 2:") names no body, whatever column it lands in (folded text)
_PAPER = re.compile(r"(?:phieu|mau|bieu|bang|to khai|to trinh|giay|don|ho so|quyet dinh|van ban|bao cao|ke hoach|noi dung"
                    r"|thong bao|cong van|du thao|danh muc|danh sach|so theo doi|ket qua)\b")
