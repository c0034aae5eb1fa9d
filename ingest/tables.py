"""Task tables: which column holds what, whatever the header row's wording, told from the
header and from what the cells hold. Reading a table line by line into row clauses is
``ingest.table_reader``.

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
