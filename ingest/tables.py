"""Task tables: which column holds what, whatever the header row's wording, and rows
written one cell per line.

A task table is a table whose header names a task column ("Nhiệm vụ", "Nội dung hoạt
động", "Nhiệm vụ và giải pháp", …) or a product column, and a column of responsible
bodies ("Cơ quan chủ trì", "Đơn vị thực hiện", "Cơ quan phối hợp", …). Other tables
(the two-column layout of a header, a signature block) are not.

>>> column_kinds(["TT", "Nhiệm vụ và giải pháp", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện/ hoàn thành"])
['number', 'task', 'lead', 'partner', 'deadline']
>>> column_kinds(["THỦ TƯỚNG CHÍNH PHỦ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]) is None
True
>>> column_kinds(["Chỉ tiêu", "Đơn vị tính", "Năm 2030", "Cơ quan theo dõi"])
['task', 'unit', 'other', 'lead']
>>> column_kinds(["Nội dung", "Đơn vị chủ trì/phối hợp", "Thời gian"])
['task', 'lead_partner', 'deadline']
>>> row_number("III"), row_number("2.1"), row_number("a)"), row_number("Xây dựng")
('III', '2.1', 'a', None)
"""

from __future__ import annotations

import re

from ingest.normalize import fold

# Header words → column kind, tried in order on the folded header cell.
_KINDS = [
    ("number", re.compile(r"^(?:s?tt|so tt|so thu tu|stt\.?)$")),
    ("step", re.compile(r"^(?:buoc|ten buoc|trinh tu|thu tu cong viec)\b")),  # "Bước thực hiện" holds "Bước 1", not a body
    ("unit", re.compile(r"^(?:don vi tinh|dvt|don vi do)\b|^don vi\s*:")),
    ("lead_partner", re.compile(r"chu tri.*phoi hop")),  # "Đơn vị chủ trì/phối hợp": the first body leads
    ("partner", re.compile(r"phoi hop")),
    ("deadline", re.compile(r"thoi gian|thoi han|tien do|hoan thanh|thoi diem|^nam$")),
    ("product", re.compile(r"san pham|ket qua|hinh thuc|dau ra")),
    ("task", re.compile(r"nhiem vu|noi dung|hoat dong|giai phap|cong viec|^ten\b|de an|chi tieu")),  # "Tên thông tin …"
    ("note", re.compile(r"ghi chu")),
    ("budget", re.compile(r"kinh phi|nguon von|nguon luc|du toan")),  # before "lead": "Nguồn lực thực hiện"
    ("lead", re.compile(r"chu tri|thuc hien|chiu trach nhiem|trach nhiem|^co quan|^don vi|dau moi|phu trach|giao")),
]
BODY_KINDS = ("lead", "partner", "lead_partner")  # columns of bodies
_ROW_NUMBER = re.compile(r"^(?P<n>[IVX]{1,5}|\d{1,3}(?:\.\d{1,3})*|[a-zđ]|[A-Z])[.)]?$")


def column_kind(header: str) -> str:
    f = " ".join(fold(header).replace("/", " ").split())
    return next((kind for kind, p in _KINDS if p.search(f)), "other")


def column_kinds(header: list[str]) -> list[str] | None:
    """The kind of each column, or None when the header is not a task table's."""
    kinds = [column_kind(h) for h in header]
    has_task = "task" in kinds or "product" in kinds
    has_body = any(k in BODY_KINDS for k in kinds)
    return kinds if has_task and has_body else None


def is_header(cells: list[str]) -> bool:
    """A header row: a task table's column names, each short and none a list item or a row number.
    A data row may hold header words ("Thực hiện rà soát, cập nhật …", "Nội dung …") but its cells
    are sentences.

    >>> is_header(["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian"])
    True
    >>> is_header(["- Rà soát hướng dẫn", "- Bộ công cụ được ban hành", "Giai đoạn 2026 - 2027. Thực hiện rà soát, cập nhật hướng dẫn"])
    False
    """
    texts = [c.strip() for c in cells if c.strip()]
    if column_kinds(cells) is None or any(row_number(c) for c in cells[:1] if c):
        return False
    return all(len(t) <= 80 and t[:1] not in "-+•–" for t in texts)


def header_after(cells: list[str]) -> int:
    """Where a header starts in a row that runs on into it (0: nowhere): a page that loses the
    end of a table joins its last cells ("Tổng thời gian | 190 ngày", the next table's title) to
    the next table's header ("Bước thực hiện | Nội dung công việc | Đơn vị thực hiện | …").

    >>> header_after(["190 ngày", "Quy trình số 02: Quy trình nội bộ giải quyết thủ tục hành chính: Tuyển dụng mẫu (Mã: 1.000)",
    ...               "Bước thực hiện", "Nội dung công việc", "Đơn vị thực hiện", "Thời gian thực hiện"])
    2
    >>> header_after(["Tổng thời gian", "01 ngày", "Quy trình số 04", "Bước thực hiện", "Nội dung công việc",
    ...               "Đơn vị thực hiện"])
    3
    >>> header_after(["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian"]), header_after(["1", "Rà soát", "Sở Y tế"])
    (0, 0)
    >>> header_after(["TT", "Nhiệm vụ năm 2025", "Sản phẩm", "Cơ quan chủ trì", "Thời gian"])
    0
    """
    if not cells or row_number(cells[0]):
        return 0
    if not is_header(cells):
        return next((k for k in range(1, len(cells) - 2) if is_header(cells[k:])), 0)
    # short enough to pass for a header: the cells up to the last that gives a figure ("01 ngày làm việc",
    # "Quy trình số 04") and names no task column are the end of the table above
    last = max((i for i, c in enumerate(cells) if re.search(r"\d", c)), default=-1)
    before = [column_kind(c) for c in cells[: last + 1]]
    fits = 0 < last + 1 <= len(cells) - 3 and is_header(cells[last + 1 :])
    return last + 1 if fits and column_kind(cells[last]) == "other" and not {"task", "number"} & set(before) else 0


def _within(kinds: list[str] | None, header: list[str]) -> bool:
    """Whether ``kinds`` are the kinds of ``header``'s columns in order, some left out.

    >>> _within(["task", "lead", "deadline"], ["number", "task", "lead", "partner", "deadline"])
    True
    """
    rest = iter(header)
    return kinds is not None and all(k in rest for k in kinds)


def names_columns(header: list[str]) -> bool:
    """Whether a table's first row names its columns, rather than being a row of data taken for a
    header (a table whose header the text lost): it opens with no row number and no cell is a
    paragraph.

    >>> names_columns(["STT", "Nhiệm vụ", "Cơ quan chủ trì"]), names_columns(["5.4", "Giấy giới thiệu", "X"])
    (True, False)
    """
    first = next((c for c in header if c.strip()), "")
    return row_number(first) is None and all(len(c) <= 100 for c in header)


def row_number(cell: str) -> str | None:
    """The row's number as the TT column writes it ("III", "2.1", "a)" → "a"), else None."""
    m = _ROW_NUMBER.match(cell.strip())
    return m["n"] if m else None


def is_group(number: str | None) -> bool:
    """A Roman TT ("I", "II") or a capital letter ("A", "B") opens a group of rows ("Nhóm nhiệm vụ …")."""
    return bool(number and re.fullmatch(r"[IVX]{1,5}|[A-Z]", number))


_TIME = re.compile(
    r"^(?:quy\s+[ivx0-9]|thuong xuyen|hang nam|hang thang|hang quy|dinh ky|truoc ngay|truoc thang|trong (?:nam|thang|quy)"
    r"|nam\s+\d{4}|thang\s+\d|\d{4}\b|giai doan|sau khi|theo (?:tien do|yeu cau)|da hoan thanh|lien tuc|tu nam|den nam)"
)


def looks_like_time(text: str) -> bool:
    """A cell that gives a time ("Quý III, IV/2026", "Thường xuyên", "2025 - 2030").

    >>> looks_like_time("Quý III, IV/2026"), looks_like_time("Thường xuyên"), looks_like_time("Xây dựng Thông tư")
    (True, True, False)
    """
    return bool(_TIME.match(" ".join(fold(text).split())))


_VALUE = re.compile(r"[\d.,%‰\s/+~<>≤≥-]+(?:\s*[a-zđ%²³/]{1,10})?|[a-zđ%²³/ ]{1,14}")  # on folded text


def cell_kind(text: str) -> str:
    """What a cell holds: body | time | value | text ("" when empty).

    >>> [cell_kind(c) for c in ["Sở Tài chính", "Năm 2025; Năm 2030", "%", "95,5", "Xây dựng đề án", ""]]
    ['body', 'time', 'value', 'value', 'text', '']
    """
    from ingest.bodies import find_bodies

    t = " ".join(text.replace("*", " ").split())
    if not t:
        return ""
    if _VALUE.fullmatch(fold(t)) and (t[:1].isdigit() or t == t.lower()):
        return "value"  # "95,5", "≥ 80%", "%", "km", "tỷ đồng"
    if looks_like_time(t):
        return "time"
    found = find_bodies(t)
    return "body" if found and found[0].start <= 1 else "text"


def content_kinds(kinds: list[str], columns: list[list[str]]) -> list[str]:
    """Column kinds corrected by what their cells hold: a body column whose cells are mostly
    times is the time column, mostly numbers or units a value column ("%", "km"); a column
    headed "Đơn vị" whose cells are mostly body names is the lead column.

    >>> content_kinds(["task", "lead", "lead"], [["Xây dựng đề án"], ["%"], ["Sở Y tế"]])
    ['task', 'value', 'lead']
    >>> content_kinds(["task", "lead", "partner"], [["Báo cáo"], ["Năm 2025; Năm 2030"], ["Sở Y tế"]])
    ['task', 'deadline', 'partner']
    """
    out = list(kinds)
    for j, (kind, cells) in enumerate(zip(kinds, columns)):
        held = [k for k in map(cell_kind, cells) if k]
        if kind not in BODY_KINDS or not held:
            continue
        share = {k: held.count(k) / len(held) for k in set(held)}
        if share.get("time", 0) > 0.5:
            out[j] = "deadline" if "deadline" not in kinds else "other"
        elif share.get("value", 0) > 0.5:
            out[j] = "value"
    return out


# --- reading tables line by line (called by the outline builder) ----------------------------


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

