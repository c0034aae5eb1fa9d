"""The responsibility matrix as CSV and XLSX (openpyxl), one row per agency × task; the
coverage report as XLSX.

Every cell is text that opens as text. A spreadsheet reads a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return as a formula (20 cells of the plan's own
matrix start with "- "): in CSV such a cell gets a leading ``'``; in XLSX every cell is
stored as a string with the "quote prefix" style, so it stays text even when edited.
Characters XML cannot hold (control characters from a damaged file) are dropped.

>>> csv_cell("=1+1"), csv_cell("- Sở Y tế"), csv_cell("Sở Y tế")
("'=1+1", "'- Sở Y tế", 'Sở Y tế')
"""

from __future__ import annotations

import csv
import io

from index.engine import Engine

COLUMNS = ["Cơ quan (theo văn bản)", "Cơ quan hiện nay", "Vai trò", "Nhiệm vụ", "Thời hạn", "Hạn (ngày)", "Báo cáo",
           "Giao chung", "Cơ quan được nêu cùng", "Văn bản", "Số hiệu", "Mục", "Đường dẫn"]


def matrix_rows(engine: Engine) -> list[list[str]]:
    out = []
    for r in engine.matrix.rows:
        c = engine.clauses[r.clause_id]
        doc = engine.documents[r.doc_id]
        now = ", ".join(a.name for a in engine.registry.current(r.agency_id)) if r.agency_id else ""
        out.append([
            r.agency_name, now if now != r.agency_name else "", ", ".join(r.roles), r.task, "; ".join(r.deadlines),
            "; ".join(d["due"] for d in r.due if d.get("due")),
            "có" if r.reporting else "", "có" if r.catch_all else "", "; ".join(r.partners), r.doc_id,
            doc.header.number or "", c.label, c.path,
        ])
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


def matrix_xlsx(engine: Engine) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Ma trận trách nhiệm"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in matrix_rows(engine):
        append_text(ws, row)
    widths = [34, 28, 18, 80, 20, 8, 10, 30, 20, 14, 30, 10]
    for col, w in zip("ABCDEFGHIJKL", widths):
        ws.column_dimensions[col].width = w
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def coverage_xlsx(engine: Engine, doc_id: str) -> bytes:
    """The coverage report of ``doc_id`` as a workbook with one sheet per finding."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from index.answers.crossref import coverage

    cov = coverage(engine, doc_id)
    wb = Workbook()
    sheets = [
        ("Chưa được thực hiện", ["Văn bản", "Mục", "Nội dung"],
         [[c["doc_id"], c["label"], c["heading"]] for c in cov["uncovered"]]),
        ("Chưa giao cơ quan", ["Mục", "Nội dung"], [[c["label"], c["heading"]] for c in cov["tasks_without_agency"]]),
        ("Chưa có thời hạn", ["Mục", "Nội dung"],
         [[engine.clauses[x].label, engine.clauses[x].heading] for x in cov["items_without_deadline"]]),
        ("Chưa có báo cáo", ["Cơ quan"], [[x] for x in cov["agencies_without_reporting"]]),
    ]
    for i, (title, head, rows) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
        ws.append(head)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in rows:
            append_text(ws, r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
