"""Task tables read line by line, for the outline builder: ``TableReader`` turns table lines into
row clauses under the builder's current container, whether a row is one ``| … |`` line or is
written one cell per line after its header.

What a column holds (from its header's wording and its cells) is ``ingest.tables``; which
column a cell of a short or flattened row belongs to is ``ingest.table_align``. This module
is the stateful part: the open table, its group rows, the flattened row being gathered.
"""

from __future__ import annotations

import re

from ingest.tables import (
    BODY_KINDS,
    column_kind,
    column_kinds,
    header_after,
    is_group,
    is_header,
    names_columns,
    row_number,
)


def _within(kinds: list[str] | None, header: list[str]) -> bool:
    """Whether ``kinds`` are the kinds of ``header``'s columns in order, some left out.

    >>> _within(["task", "lead", "deadline"], ["number", "task", "lead", "partner", "deadline"])
    True
    """
    rest = iter(header)
    return kinds is not None and all(k in rest for k in kinds)


class TableReader:
    """Turns table lines into row clauses under the builder's current container.

    Rows written as ``| 1 | task | lead | … |`` are one line each. Rows written one cell per
    line after a header row (some text extractions flatten tables so) open with a line
    holding only the row's number ("1", "a)"); their cells are the lines up to the next such
    line, assigned to the columns in order: a line that opens with a body's name starts the
    next body column, a line that gives a time the time column, and a line that runs on from
    a cut cell ("… Việt Nam, Cục" / "Lâm nghiệp và Kiểm lâm") joins it.
    """

    def __init__(self, builder):
        self.b = builder
        self.header: list[str] | None = None
        self.kinds: list[str] | None = None
        self.count = 0  # tables seen
        self.parent = None  # the container the table sits in
        self.rows = 0
        self.group = None  # the open group row (Roman TT)
        self.flat = False
        self.row = None  # the open flattened row
        self.row_lines: list[str] = []
        self.numbered = None  # the last numbered flattened row (parent of its lettered rows)
        self.pending: list[str] | None = None  # header cells on lines of their own ("TT", "Nội dung", …)
        self.above: list[str] | None = None  # the last data row's cells, column by column (for merged cells)
        self.last: list[str] | None = None  # the header of the last task table

    def take(self, ln) -> bool:
        if ln.cells is not None:
            pending, self.pending = self.pending, None
            if pending is not None and column_kinds(pending) is not None and not is_header(ln.cells):
                self.end()
                self._start(pending)  # the header's cells on lines of their own, the rows joined by bars
            self._pipe_row(ln)
            return True
        if self.header is None:
            return self._header_line(ln)
        if self.flat or (self.rows == 0 and self.kinds):
            if self._flat_line(ln):
                return True
        self.end()
        return False

    def end(self) -> None:
        """The table ended: what follows belongs to its container, not to its last row."""
        if self.header is None:
            return
        self._close_row()
        if self.parent is not None and self.b.current is not None and self.b.current.clause.kind == "row":
            self.b.current = self.parent
        if self.kinds is not None and names_columns(self.header):
            self.last = self.header
        self.header = self.kinds = self.group = self.row = self.numbered = self.above = None
        self.flat, self.rows = False, 0

    def _start(self, header: list[str], flat: bool = False) -> None:
        self.count += 1
        self.header, self.kinds, self.flat = header, column_kinds(header), flat
        self.parent = self.b.ctx.container()

    # --- rows written as "| a | b |" --------------------------------------------------------

    def _pipe_row(self, ln) -> None:
        cells = ln.cells
        if self.header is not None and self.flat:
            self.end()
        n = len(self.header or ())
        k = 0
        if n and len(cells) > n and row_number(cells[0]):
            k = next((k for k in range(n, len(cells) - 2) if is_header(cells[k:])), 0)
        if k:  # the row runs on into the next table's title and header: a page that lost the table's end
            self._cells(cells[:n], ln)
            self.end()
            self._start(cells[k:])
            return
        self._cells(cells, ln)

    def _cells(self, cells: list[str], ln) -> None:
        if self.rows == 0 and len(cells) >= 3 and all(re.fullmatch(r"\(?[A-Z0-9]{1,2}\)?", c.strip()) for c in cells):
            self.b.body(ln)  # "A | B | 1 | 2 | 3": the columns' numbers under the header
            return
        if self.rows and self.kinds and is_header(cells) and _within(column_kinds(cells), self.kinds):
            self.b.body(ln)  # the header again after a page break, perhaps without its TT cell
            return
        k = header_after(cells)
        if self.header is None and self.last is not None and row_number(cells[0]) and len(cells) == len(self.last):
            self._start(self.last)  # the table goes on after a page break or a title, without its header again
        elif self.header is None or k or (self.rows and is_header(cells) and cells != self.header):
            self.end()
            self._start(cells[k:])
            if self.b.current is not None:
                self.b.body(ln)
            return
        from ingest.table_align import align, spanned

        group = self._group_row(cells)
        own = None  # the columns the row writes itself (the others are merged cells of the rows above)
        if self.kinds and len(cells) < len(self.header) and not group:
            where = align(cells, self.kinds)
            own = {j for j, i in enumerate(where) if i is not None}
            cells = spanned(cells, self.kinds, self.above, where)
        held = [c for c in cells if c.strip()]
        number = row_number(held[0]) if group else self._number(cells)
        heading = " ".join(held[1:2]) if group else self._task(cells, own)
        if group or is_group(number) and not self._bodies(cells):
            self.group = self._add(f"T{self.count}.{number}", f"Bảng {self.count}, nhóm {number}", heading, ln, self.parent)
            self.above = None
        else:
            self._data_row(number, heading, ln)
            self.above = cells
        if group:  # the group's number and title, not a body's cell: "A. | BỘ Y TẾ" heads the rows below
            cells = [number or "", heading]
            headers = [self.header[0], self._task_header()]
            self.b.current.clause.cells = dict(zip(headers, cells))
        else:
            self.b.current.clause.cells = dict(zip(self.header, cells))
        self.rows += 1

    def _task_header(self) -> str:
        kinds = self.kinds or []
        j = next((kinds.index(k) for k in ("task", "product") if k in kinds), min(1, len(self.header) - 1))
        return self.header[j]

    def _group_row(self, cells: list[str]) -> bool:
        """"I | Nhóm nhiệm vụ …", "A. | BỘ NÔNG NGHIỆP": a group's number and its title, nothing more."""
        held = [c for c in cells if c.strip()]
        return len(held) <= 2 and is_group(row_number(held[0])) if held else False

    def _data_row(self, number: str | None, heading: str, ln) -> None:
        if number is None or number != re.sub(r"[^\w.]", "", number):
            number = str(sum(1 for n in self.b.nodes if n.clause.path.startswith(self._prefix())) + 1)
        if self.group is not None:
            g = self.group.clause.path.rsplit(".", 1)[-1]
            self._add(f"{self._prefix()}{number}", f"Bảng {self.count}, nhóm {g}, dòng {number}", heading, ln, self.group)
        else:
            self._add(f"T{self.count}.{number}", f"Bảng {self.count}, dòng {number}", heading, ln, self.parent)

    def _prefix(self) -> str:
        return f"{self.group.clause.path}." if self.group is not None else f"T{self.count}."

    def _add(self, path, label, heading, ln, parent):
        return self.b.add("row", path, label, heading, ln, parent)

    def _number(self, cells: list[str]) -> str | None:
        col = self.kinds.index("number") if self.kinds and "number" in self.kinds else 0
        return row_number(cells[col]) if col < len(cells) else None

    def _task(self, cells: list[str], own: set[int] | None = None) -> str:
        for kind in ("task", "product"):
            cols = [j for j, k in enumerate(self.kinds or []) if k == kind and j < len(cells)]
            cols = [j for j in cols if own is None or j in own] or cols[:1]
            if cols:
                return cells[cols[0]]
        return cells[1] if len(cells) > 1 else cells[0]

    def _bodies(self, cells: list[str]) -> bool:
        if not self.kinds:
            return False
        return any(c for c, k in zip(cells, self.kinds) if k in BODY_KINDS)

    # --- rows written one cell per line ---------------------------------------------------------

    def _header_line(self, ln) -> bool:
        """A header written one cell per line, as a PDF's table comes out of its text layer:
        "TT" / "Nội dung" / "Cơ quan chủ trì" / … then "1" / "Xây dựng …" / "Sở A" / …"""
        text = ln.text
        if self.pending is None:
            if text in ("TT", "STT", "Số TT"):
                self.pending = [text]
                self.b.body(ln)
                return True
            return False
        if len(text) <= 40 and column_kind(text) != "other" and row_number(text) is None:
            self.pending.append(text)
            self.b.body(ln)
            return True
        header, self.pending = self.pending, None
        if row_number(text) is None or column_kinds(header) is None:
            return False
        self._start(header, flat=True)
        self._open_row(row_number(text), ln)
        return True

    def _flat_line(self, ln) -> bool:
        text = ln.text
        if self.b.is_boundary(ln):
            return False
        if self.row is None and len(text) <= 40 and column_kind(text) in ("deadline", "product", "note", *BODY_KINDS):
            self.header = [*self.header, text]  # a header cell the extraction put on its own line
            self.kinds = [*self.kinds, column_kind(text)]
            self.flat = True
            self.b.body(ln)
            return True
        number = row_number(text)
        if number is not None:
            self.flat = True
            self._close_row()
            self._open_row(number, ln)
            return True
        if not self.flat or self.row is None:
            return False
        self.row_lines.append(text)
        self.b.extend(self.row, ln.end)
        return True

    def _open_row(self, number: str, ln) -> None:
        t = self.count
        if is_group(number):
            self.group = self._add(f"T{t}.{number}", f"Bảng {t}, nhóm {number}", "", ln, self.parent)
            self.row, self.numbered = self.group, None
        elif number.isalpha() and self.numbered is not None:
            n = self.numbered.clause.path.rsplit(".", 1)[-1]
            self.row = self._add(f"{self.numbered.clause.path}.{number}", f"Bảng {t}, dòng {n}, {number})", "", ln,
                                 self.numbered)
        else:
            parent = self.group or self.parent
            prefix = f"{self.group.clause.path}." if self.group is not None else f"T{t}."
            self.row = self._add(f"{prefix}{number}", f"Bảng {t}, dòng {number}", "", ln, parent)
            self.numbered = self.row
        self.rows += 1

    def _close_row(self) -> None:
        if self.row is None:
            return
        from ingest.table_align import assign_cells

        cells = assign_cells(self.row_lines, self.kinds or [])
        c = self.row.clause
        c.cells = {h: cells.get(i, "") for i, h in enumerate(self.header or []) if cells.get(i)}
        task = next((cells[i] for i, k in enumerate(self.kinds or []) if k == "task" and cells.get(i)), "")
        c.heading = " ".join(task.split()) or " ".join(" ".join(self.row_lines[:1]).split())
        self.row, self.row_lines = None, []

