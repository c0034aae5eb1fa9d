"""What the hardening of issue 12 changed for a user, in process through an ASGI client over
the app built from settings: exports that open as text."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

PLAN_ID = "kh-ubnd-2024-cnsh"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- exports ----------------------------------------------------------------------------------


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(client):
    rows = list(csv.reader(io.StringIO(client.get("/api/export.csv").content.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    quoted = [c for c in cells if c.startswith("'- ")]
    assert len(quoted) >= 20  # the plan's bullets, "- Chủ trì …", open as text
    assert all(c[1:] in {x[1:] for x in cells} for c in quoted)


def _text_cells(workbook: bytes) -> list:
    wb = load_workbook(io.BytesIO(workbook))
    return [cell for ws in wb.worksheets for row in ws.iter_rows(min_row=2) for cell in row if cell.value is not None]


@pytest.mark.parametrize("path", ["/api/export.xlsx", f"/api/coverage.xlsx?doc={PLAN_ID}"])
def test_every_workbook_cell_is_text_with_a_quote_prefix(client, path):
    cells = _text_cells(client.get(path).content)
    assert cells
    assert {c.data_type for c in cells} == {"s"} and all(c.quotePrefix for c in cells)
    assert any(str(c.value).startswith("- ") for c in cells) or "coverage" in path
