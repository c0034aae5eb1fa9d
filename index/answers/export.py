"""The responsibility matrix as CSV and XLSX (openpyxl), one row per agency × task; the
coverage report as XLSX.

A row names the document by its number and name and the clause by its official citation
(``index.answers.citation``), never by an id or a section path; "Cơ quan hiện nay" is the
agency itself while it exists, else those that took over. A task's list marker ("- ",
"+ ", "• ") is layout, not content, and is dropped. Identical rows are written once.

Every cell is text that opens as text. A spreadsheet reads a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return as a formula: in CSV a cell that still
starts so gets a leading ``'``; in XLSX every cell is stored as a string with the "quote
prefix" style, so it stays text even when edited. Characters XML cannot hold (control
characters from a damaged file) are dropped. The workbook is set up for a meeting: a filter
on the header, landscape, fit to the page width, the header repeated on every page.

>>> csv_cell("=1+1"), csv_cell("-5% kinh phí"), csv_cell("Sở Y tế")
("'=1+1", "'-5% kinh phí", 'Sở Y tế')
"""

from __future__ import annotations

import csv
import io

from index.answers.citation import dmy, doc_name, of_clause
from index.answers.digest import plain_task
from index.engine import Engine

COLUMNS = ["Cơ quan (theo văn bản)", "Cơ quan hiện nay", "Vai trò", "Nhiệm vụ", "Thời hạn", "Hạn (ngày)", "Báo cáo",
           "Giao chung", "Cơ quan được nêu cùng", "Văn bản", "Số hiệu", "Mục", "Trích dẫn"]
WIDTHS = [30, 28, 16, 70, 20, 12, 9, 10, 28, 30, 16, 22, 50]


def matrix_rows(engine: Engine) -> list[list[str]]:
    out, seen = [], set()
    for r in engine.matrix.rows:
        c = engine.clauses[r.clause_id]
        doc = engine.documents[r.doc_id]
        now = ", ".join(a.name for a in engine.registry.current(r.agency_id)) if r.agency_id else ""
        row = [
            r.agency_name, now or r.agency_name, ", ".join(r.roles), plain_task(r.task), "; ".join(r.deadlines),
            "; ".join(dmy(d["due"]) for d in r.due if d.get("due")),
            "có" if r.reporting else "", "có" if r.catch_all else "", "; ".join(r.partners), doc_name(engine, r.doc_id),
            doc.header.number or "", c.label, of_clause(engine, c),
        ]
        if tuple(row) not in seen:
            seen.add(tuple(row))
            out.append(row)
    return out


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def matrix_csv(engine: Engine) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    w.writerows([csv_cell(v) for v in row] for row in matrix_rows(engine))
    return buf.getvalue()


def append_text(ws, row: list) -> None:
    """Append ``row`` to worksheet ``ws``, every cell a string shown as text (see above)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    for cell in ws[ws.max_row]:
        if cell.value is not None:
            cell.value = str(cell.value)
            cell.data_type = "s"  # openpyxl makes "=…" a formula and "#N/A" an error
            cell.quotePrefix = True


def for_meeting(ws, widths: list[int]) -> None:
    """Header bold and frozen, a filter on it, text wrapped; printed landscape on A4, fit to the
    page width, the header row repeated on every page."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def matrix_xlsx(engine: Engine) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Ma trận trách nhiệm"
    ws.append(COLUMNS)
    for row in matrix_rows(engine):
        append_text(ws, row)
    for_meeting(ws, WIDTHS)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def coverage_xlsx(engine: Engine, doc_id: str) -> bytes:
    """The coverage report of ``doc_id`` as a workbook with one sheet per finding."""
    from openpyxl import Workbook

    from index.answers.crossref import coverage

    cov = coverage(engine, doc_id)
    wb = Workbook()
    sheets = [
        ("Chưa được thực hiện", ["Văn bản", "Mục", "Nội dung"],
         [[doc_name(engine, c["doc_id"]), c["label"], c["heading"]] for c in cov["uncovered"]], [36, 24, 80]),
        ("Chưa giao cơ quan", ["Mục", "Nội dung"], [[c["label"], c["heading"]] for c in cov["tasks_without_agency"]],
         [24, 90]),
        ("Chưa có thời hạn", ["Mục", "Nội dung"],
         [[engine.clauses[x].label, engine.clauses[x].heading] for x in cov["items_without_deadline"]], [24, 90]),
        ("Chưa có báo cáo", ["Cơ quan"], [[x] for x in cov["agencies_without_reporting"]], [60]),
    ]
    for i, (title, head, rows, widths) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
        ws.append(head)
        for r in rows:
            append_text(ws, r)
        for_meeting(ws, widths)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
