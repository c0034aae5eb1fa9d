"""Page captures of the national law portal, as the outline parser wants to read them.

A capture (what staff get when they save or copy a document from the portal, turned from
HTML into Markdown) differs from a plain text in three ways:

- page furniture comes first: the portal's notice that it owns the translation, the
  "CÁC NỘI DUNG ĐƯỢC SỬA ĐỔI" banner, "Đang tải văn bản...", the metadata block
  ("Số hiệu:" / value, "Loại văn bản:", "Nơi ban hành:", "Người ký:", "Ngày ban hành:" …)
  and sometimes the portal's summary of the document ending in "Xem chi tiết tại …"; and
  more comes last: the title again, "Văn bản này chưa cập nhật nội dung Tiếng Anh", the
  related documents and the site's address in a table of its own;
- HTML tables are written one cell per block of lines, a line holding only ``|`` after
  each cell and a second such line where a row ends; a table ends at a ``|`` line followed
  by an empty line (or never, when the capture has no empty lines: then the whole
  document sits in table cells, its body in one long cell);
- the body's paragraphs are wrapped at about 80 columns, and some are one very long line.

``capture_lines`` turns such a text into ``ingest.lines.Line`` s: the furniture dropped,
each table row one line whose cells are joined by " | " (the form ``ingest.tables``
reads). A cell that holds body text (a title, a section, the closing block, a preamble's
"Căn cứ …" opening a row, or more than ``BODY_CHARS`` characters) is read as lines of its
own, and so are the cells of a header's layout table (issuer | motto, number | place and
date; a letter's "Kính gửi:" | addressees | body), as a .txt copy writes them. A bold or
italic run wrapped onto the next line is one line again ("**ỦY BAN NHÂN" / "DÂN**"), and so
is a paragraph when the capture separates paragraphs by empty lines. ``metadata`` reads the
metadata block, which completes the header (``ingest.identity.apply_metadata``).

>>> text = "|\\n**Số hiệu:**\\n|\\n12/KH-UBND\\n|\\n|\\n**Nơi ban hành:**\\n|\\nTỉnh Mẫu\\n|\\n|\\n" \\
...        "**ỦY BAN NHÂN DÂN**\\n|\\n**CỘNG HÒA XÃ HỘI**\\n|\\n|\\nSố: 12/KH-UBND\\n|\\nTỉnh Mẫu, ngày 2\\n" \\
...        "tháng 7 năm 2099\\n|\\n**KẾ HOẠCH**\\nThử nghiệm\\n1. Mục tiêu\\n|\\n\\n"
>>> metadata(text)
{'Số hiệu': '12/KH-UBND', 'Nơi ban hành': 'Tỉnh Mẫu'}
>>> [ln.text for ln in capture_lines(text)]
['ỦY BAN NHÂN DÂN', 'CỘNG HÒA XÃ HỘI', 'Số: 12/KH-UBND', 'Tỉnh Mẫu, ngày 2 tháng 7 năm 2099', 'KẾ HOẠCH', 'Thử nghiệm', '1. Mục tiêu']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.header import MOTTO

BODY_CHARS = 2500  # a table cell longer than this is body text the portal wrapped in a table
_BAR = "|"
_LABEL = re.compile(r"^(?P<label>Số hiệu|Loại văn bản|Nơi ban hành|Người ký|Ngày ban hành|Ngày hiệu lực|Ngày công báo"
                    r"|Số công báo|Tình trạng)\s*:$")
_BANNER = re.compile(r"^(?:Bản dịch này thuộc quyền sở hữu|THƯ VIỆN PHÁP LUẬT\b|Click vào phần bôi vàng|Đang tải văn bản"
                     r"|CÁC NỘI DUNG ĐƯỢC SỬA ĐỔI, HƯỚNG DẪN)")
_SUMMARY_END = re.compile(r"^Xem chi tiết(?: tại)?\b")
# Where the portal's tail begins: the document's title again, then this line (or the list of related
# documents); below it the related documents, the comparison help and the site's address (no document text)
_TAIL = re.compile(r"^(?:Văn bản này chưa cập nhật nội dung Tiếng Anh|#+\s*Văn bản liên quan)$")
# A line of a header's or a signature's layout table: the motto, the number, the subject of a letter, the place and
# date, "TM. ỦY BAN NHÂN DÂN".
_LAYOUT_LINE = re.compile(rf"^(?:{MOTTO}|CỘNG H(?:ÒA|OÀ) XÃ HỘI|Độc lập\s*[-–]|Số\s*(?:[:\d…/_-]|$)|V/v\b"
                          r"|Kính gửi\b|(?:TM|KT|TL|TUQ|T/M|K/T|T/L)\.? [A-ZĐ])|^[^,]{0,40}, ngày\b.*\bnăm \d{4}$")
_MOTTO = re.compile(MOTTO)
_SUBJECT_LINE = re.compile(r"^v/v\b", re.IGNORECASE)  # a letter's subject, below its number: a line of its own
_LONE = re.compile(r"^[*_#]+$|^-{3,}$|^_{3,}$")  # emphasis marks and rules on lines of their own
_MAX_UNIT = 6  # lines an open emphasis may join: a stray "**" does not swallow a paragraph
_FURNITURE_LINES = 250  # the furniture sits within the first lines of a capture
# A cell that holds the document's body, not a table's cell: its title, a section, an article, the closing block,
# an appendix's title (which the page may put in the row between a table's last row and the next table's header).
_BODY_LINE = re.compile(r"^(?:KẾ HOẠCH|QUYẾT ĐỊNH|NGHỊ QUYẾT|NGHỊ ĐỊNH|CHỈ THỊ|THÔNG TƯ|THÔNG BÁO|KẾT LUẬN|CHƯƠNG TRÌNH"
                        r"|CÔNG ĐIỆN|HƯỚNG DẪN|QUY ĐỊNH|QUY CHẾ|ĐỀ ÁN|BÁO CÁO|LUẬT|PHỤ LỤC)\b[^a-zà-ỹđ]*$"
                        r"|^(?:[IVX]{1,5}\.|Chương [IVXLC\d]+|Điều \d+\.|Nơi nhận:|QUYẾT ĐỊNH:|QUYẾT NGHỊ:)")
# A preamble's "Căn cứ …" opens the body only in a row's first cell: after a row's number and body
# ("2 | Sở X | Căn cứ quy định tại … để rà soát …") it is what that body does.
_BASIS_LINE = re.compile(r"^Căn cứ ")


@dataclass
class Raw:
    """One line of the text: its reading (``ingest.lines.read``), offsets, number and the line as written."""

    text: str
    start: int
    end: int
    number: int
    raw: str


def raw_lines(text: str) -> list[Raw]:
    from ingest.lines import read

    out, pos = [], 0
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        start = pos + (len(line) - len(line.lstrip()))
        out.append(Raw(read(stripped) if stripped != _BAR else _BAR, start, start + len(stripped), number, stripped))
        pos += len(line) + 1
    return out


def is_capture(text: str) -> bool:
    """Cells one per block of lines: at least two lines that hold only "|"."""
    return len(re.findall(r"(?m)^[ \t]*\|[ \t]*$", text)) >= 2


def _furniture(lines: list[Raw]) -> tuple[int, dict[str, str]]:
    """(index of the first line after the portal's furniture, the metadata block's fields)."""
    meta: dict[str, str] = {}
    last = -1
    head = lines[:_FURNITURE_LINES]
    for i, ln in enumerate(head):
        if m := _LABEL.match(ln.text):
            j = next((j for j in range(i + 1, len(head)) if head[j].text not in ("", _BAR)), None)
            if j is None or _LABEL.match(head[j].text):
                continue
            meta.setdefault(m["label"], head[j].text)
            last = max(last, j)
        elif _BANNER.match(ln.text) and i < 60:
            last = max(last, i)
    if last < 0:
        return 0, meta
    # the portal's summary of the document, in the cell after the metadata: up to "Xem chi tiết tại …"
    j = last + 1
    while j < len(head) and head[j].text in ("", _BAR):
        j += 1
    k = j
    while k < len(head) and head[k].text != _BAR:
        if _SUMMARY_END.match(head[k].text):
            last = k
            break
        k += 1
    return last + 1, meta


def metadata(text: str) -> dict[str, str]:
    """The fields of a capture's metadata block ("Số hiệu" → "5348/CT-CS"); {} when it has none."""
    return _furniture(raw_lines(text))[1] if is_capture(text) else {}


def _blocks(lines: list[Raw]) -> list[tuple[str, list]]:
    """The text as the capture writes it: ("row", cells of lines) for each table row,
    ("text", lines) for each stretch of text outside tables (empty lines kept)."""
    out: list[tuple[str, list]] = []
    row: list[list[Raw]] = []
    cell: list[Raw] = []
    free: list[Raw] = []
    in_table = False
    width = 0  # the most cells a row of this table has had
    i = 0
    while i < len(lines):
        ln = lines[i]
        nxt = lines[i + 1].text if i + 1 < len(lines) else ""
        if ln.text == _BAR:
            if not in_table:
                in_table = True
                width = 0
                if free:
                    out.append(("text", free))
                    free = []
            else:
                row.append(cell)
                cell = []
                if nxt == "" or nxt == _BAR:
                    run = next((k for k in range(i, len(lines)) if lines[k].text != _BAR), len(lines)) - i
                    # Between the last cell of a row and the first of the next stand a closing and an
                    # opening bar, and one bar for each empty cell in between ("… | 2025 | | | 5 | …"):
                    # the row above gets the empty cells it lacks, the row below the rest.
                    empty = max(0, run - 2) if run > 2 and i + run < len(lines) and lines[i + run].text else 0
                    given = min(empty, max(0, width - len(row))) if width else 0
                    out.append(("row", row + [[] for _ in range(given)]))
                    width = max(width, len(row) + given)
                    row = [[] for _ in range(empty - given)]
                    in_table = nxt == _BAR
                    i += 2 + empty
                    continue
            i += 1
            continue
        (cell if in_table else free).append(ln)
        i += 1
    if cell:
        row.append(cell)
    if row:
        out.append(("row", row))
    if free:
        out.append(("text", free))
    return out


def _tail(lines: list[Raw], first: int) -> int:
    """Where the portal's tail begins (the end of the document's text), or the end."""
    k = next((k for k in range(first, len(lines)) if _TAIL.match(lines[k].text)), len(lines))
    title = k < len(lines) and k > first and lines[k - 1].text not in ("", _BAR) and not lines[k].text.startswith("#")
    return k - 1 if title else k


def _is_body(cell: list[Raw], first: bool = True) -> bool:
    """Whether a cell holds the document's body; ``first``: it opens its row (no cell with text before it)."""
    texts = [ln.text for ln in cell if ln.text]
    if len(texts) == 1 and re.fullmatch(r"[IVX]{1,5}\.", texts[0]):
        return False  # a task table's TT cell: the group "I. | BỘ CÔNG AN", not a section
    return sum(len(ln.text) + 1 for ln in cell) > BODY_CHARS or any(
        _BODY_LINE.match(t) or first and _BASIS_LINE.match(t) for t in texts)


def _is_layout(row: list[list[Raw]]) -> bool:
    """The two-column block of a header (issuer | motto, number | place and date) or of a signature."""
    # a cell's lines joined too: the motto a capture wraps ("**ĐẢNG CỘNG" / "SẢN VIỆT NAM**") names the block
    return any(_LAYOUT_LINE.match(ln.text) for cell in row for ln in cell) \
        or any(_MOTTO.search(" ".join(ln.text for ln in cell)) for cell in row)


def _open_emphasis(raw: str) -> bool:
    """Whether a line leaves "**" or "*" open (a bold or italic run wrapped onto the next line)."""
    bold = raw.count("**") % 2
    return bool(bold or raw.replace("**", "").count("*") % 2)


def _units(lines: list[Raw], paragraphs: bool, layout: bool = False) -> list[list[Raw]]:
    """The lines of one stretch of text grouped into what was written as one line: an emphasis
    run wrapped over lines; with ``paragraphs`` (text outside tables in a capture that
    separates paragraphs by empty lines), every line of a paragraph, up to a line that starts
    a numbered item or a bullet, or a line in capitals (a title); in a header's ``layout``,
    a line that goes on in lower case ("Hà Nội, ngày 2" / "tháng 7 năm 2099")."""
    from ingest.lines import starts_item

    out: list[list[Raw]] = []
    unit: list[Raw] = []
    open_ = False
    for ln in lines:
        if not ln.text or _LONE.match(ln.raw):
            if paragraphs and not ln.text:
                out.append(unit) if unit else None
                unit, open_ = [], False
            continue
        caps = ln.text.isupper() or unit and unit[-1].text.isupper()
        caps = caps or "|" in ln.raw or unit and "|" in unit[-1].raw or _LAYOUT_LINE.match(ln.text)  # a line of its own
        joins = unit and (open_ and len(unit) < _MAX_UNIT or paragraphs and not starts_item(ln.text) and not caps
                          or layout and (ln.text[:1].islower() and not _SUBJECT_LINE.match(ln.text)
                                         or re.fullmatch(r"Số\s*:?", unit[-1].text)))
        if not joins:
            out.append(unit) if unit else None
            unit, open_ = [], False
        unit.append(ln)
        open_ = open_ != _open_emphasis(ln.raw)
    if unit:
        out.append(unit)
    return out


def capture_lines(text: str):
    """The ``ingest.lines.Line`` s of a capture (see the module's doc), or None if ``text`` is none."""
    from ingest.lines import Line, line_of, read

    if not is_capture(text):
        return None
    lines = raw_lines(text)
    first, _ = _furniture(lines)
    lines = lines[: _tail(lines, first)]
    paragraphs = sum(1 for ln in lines if not ln.text) >= 0.05 * len(lines)
    out: list[Line] = []

    def emit(stretch: list[Raw], free: bool = False, layout: bool = False) -> None:
        for unit in _units(stretch, paragraphs and free, layout):
            if len(unit) == 1:
                out.extend(line_of(unit[0].raw, unit[0].start, unit[0].number))
                continue
            raw = " ".join(ln.raw for ln in unit)
            out.append(Line(read(raw), unit[0].start, unit[-1].end, unit[0].number, None, raw,
                            unit[-1].number - unit[0].number + 1))

    def row_line(cells: list[list[Raw]]) -> None:
        kept = [[ln for ln in c if ln.text and not _LONE.match(ln.raw)] for c in cells]
        if sum(1 for c in kept if c) < 2:
            for c in kept:
                emit(c)
            return
        texts = [read(" ".join(ln.raw for ln in c)) for c in kept]
        present = [c for c in kept if c]
        first_line, last_line = present[0][0], present[-1][-1]
        out.append(Line(" | ".join(t for t in texts if t), first_line.start, last_line.end, first_line.number, texts,
                        " | ".join(" ".join(ln.raw for ln in c) for c in kept), last_line.number - first_line.number + 1))

    def run_line(run: list[list[Raw]]) -> None:
        if _is_layout(run):  # a header's or a signature's two columns: each cell its own lines
            for cell in run:
                emit(cell, layout=True)
        else:
            row_line(run)

    for kind, block in _blocks(lines[first:]):
        if kind == "text":
            emit(block, free=True)
            continue
        run: list[list[Raw]] = []
        for cell in block:
            # the document's body, put by the page in a cell of its layout table
            if _is_body(cell, first=not any(ln.text for c in run for ln in c)):
                run_line(run)
                run = []
                emit(cell)
            else:
                run.append(cell)
        run_line(run)
    return out
