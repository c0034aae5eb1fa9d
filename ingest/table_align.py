"""Which column each cell of a table row belongs to: rows with fewer cells than their table's
header (merged cells), and rows written one cell per line (``assign_cells``).

A table cell that spans several rows (the lead body of five tasks, the group a task belongs
to) is written once, in the first of its rows; the page capture and Markdown then give the
rows below it fewer cells. Read left to right, those cells land in the wrong columns: the
time cell in the partner column, the product in the lead column. ``align`` puts each cell
under the column whose kind fits what it holds (a body's name under a body column, a time
under the time column, a row number under TT), and ``spanned`` fills the missing columns
from the row above, as the merged cell does on the page.

>>> kinds = ["number", "lead", "partner", "task", "product", "deadline"]
>>> align(["Rà soát hướng dẫn kỹ thuật", "Bộ hướng dẫn được ban hành", "Giai đoạn 2026 - 2027"], kinds)
[None, None, None, 0, 1, 2]
>>> align(["2", "Xây dựng đề án", "Đề án", "Năm 2026"], kinds)
[0, None, None, 1, 2, 3]
"""

from __future__ import annotations

import re
from itertools import combinations

from ingest.normalize import fold
from ingest.tables import BODY_KINDS, cell_kind, looks_like_time, row_number

_MAX_COLUMNS = 14  # beyond this the combinations are too many: the cells are read from the right


# A time written inside a sentence ("Ban hành trong năm 2026", "… quý I/2026"), on folded text.
_MENTIONS_TIME = re.compile(r"\b(?:nam|quy|thang|giai doan)\s+(?:\d|[ivx]+\b)|\b20\d\d\b|thuong xuyen")


def _fit(text: str, kind: str) -> float:
    """How well a cell's text fits a column of ``kind``: positive fits, negative does not."""
    t = text.strip()
    if not t:
        return 0.0
    held = cell_kind(t)
    if re.match(r"[Bb]ước \d", t):
        return 2.0 if kind == "step" else -2.0  # "Bước 3": the step column's
    if kind == "number":
        return 2.0 if row_number(t) is not None else -3.0
    if row_number(t) is not None:
        return -2.0  # "2" in any other column: a row number
    if kind in BODY_KINDS:
        return {"body": 2.0, "time": -2.0, "value": -2.0}.get(held, -1.0 if len(t) > 80 else -0.5)
    timed = bool(_MENTIONS_TIME.search(fold(t)))
    if kind == "deadline":
        return {"time": 2.0, "body": -2.0}.get(held, 1.5 if timed and len(t) <= 160 else -0.5)
    if kind in ("unit", "value"):
        return 1.0 if held == "value" else -1.0
    return {"body": -1.0, "time": -1.0, "value": -0.5}.get(held, 0.0 if timed else 0.5)


def align(cells: list[str], kinds: list[str]) -> list[int | None]:
    """For each column of the header, the index of the cell it holds (None: the cell is missing).

    Of every way to keep the cells' order across the columns, the one whose cells best fit their
    columns; between equals, the one whose cells sit side by side (a row that opens with its own
    number then leaves its last cells to the row above: a time, a form they share), then the one
    that leaves the first columns out (the lead of several tasks merged at the row's start)."""
    n, k = len(kinds), len(cells)
    if k >= n:
        return list(range(n))
    if n > _MAX_COLUMNS:
        return [None] * (n - k) + list(range(k))
    best, best_score = None, None
    for cols in combinations(range(n), k):
        side = 0.01 if cols[-1] - cols[0] == k - 1 else 0.0
        score = sum(_fit(c, kinds[j]) for c, j in zip(cells, cols)) + side + 0.001 * sum(cols)
        if best_score is None or score > best_score:
            best, best_score = cols, score
    out: list[int | None] = [None] * n
    for i, j in enumerate(best or ()):
        out[j] = i
    return out


def spanned(cells: list[str], kinds: list[str], above: list[str] | None, where: list[int | None] | None = None) -> list[str]:
    """The row's cells under the header's columns: the cells it has where ``align`` puts them, a
    missing column's cell taken from the row ``above`` (the merged cell), the TT column left empty.
    ``where`` is ``align``'s answer when the caller has it.

    >>> spanned(["Rà soát", "Bộ hướng dẫn", "Năm 2026"], ["number", "lead", "task", "product", "deadline"],
    ...         ["1", "Sở Y tế", "Xây dựng", "Đề án", "Năm 2025"])
    ['', 'Sở Y tế', 'Rà soát', 'Bộ hướng dẫn', 'Năm 2026']
    """
    where = align(cells, kinds) if where is None else where
    out = []
    for j, i in enumerate(where):
        if i is not None:
            out.append(cells[i])
        elif above is not None and j < len(above) and kinds[j] != "number":
            out.append(above[j])
        else:
            out.append("")
    return out


def assign_cells(lines: list[str], kinds: list[str]) -> dict[int, str]:
    """Column index → text, for the lines of a row written one cell per line.

    >>> assign_cells(["Xây dựng Thông tư", "Cục Lâm nghiệp và Kiểm lâm", "Vụ Pháp chế", "Quý III/2026"],
    ...              ["number", "task", "lead", "partner", "deadline"])
    {1: 'Xây dựng Thông tư', 2: 'Cục Lâm nghiệp và Kiểm lâm', 3: 'Vụ Pháp chế', 4: 'Quý III/2026'}
    >>> assign_cells(["Xây dựng tiêu chuẩn", "Viện Khoa học, Cục", "Vụ Pháp chế", "Quý IV/2026", "kết quả giảm phát thải.",
    ...               "Lâm nghiệp và Kiểm lâm"], ["number", "task", "lead", "partner", "deadline"])[2]
    'Viện Khoa học, Cục Lâm nghiệp và Kiểm lâm'
    """
    from ingest.bodies import find_bodies
    from ingest.body_vocab import single_heads

    order = [i for i, k in enumerate(kinds) if k != "number"]
    cols: dict[int, list[str]] = {}
    cur = -1  # position in ``order`` of the column being filled
    for text in lines:
        found = find_bodies(text)
        opens_body, timed = bool(found and found[0].start == 0), looks_like_time(text)
        later = order[cur + 1 :]
        if cur == -1:
            target = later[0] if later else None
        elif opens_body:
            target = next((j for j in later if kinds[j] in BODY_KINDS), None)
        elif timed:
            target = next((j for j in later if kinds[j] == "deadline"), None)
        else:
            target = later[0] if later and kinds[later[0]] in ("product", "note", "other", "budget") else None
        if target is not None:
            cur = order.index(target)
            cols[target] = [text]
            continue
        cut = next((j for j in cols if kinds[j] in BODY_KINDS and cols[j][-1].split()[-1] in single_heads()), None)
        task = next((j for j in cols if kinds[j] == "task"), None)
        here = order[cur] if cur >= 0 else None
        if cut is not None and text[:1].isupper():
            cols[cut].append(text)  # "… Việt Nam, Cục" + "Lâm nghiệp và Kiểm lâm"
        elif here is not None and kinds[here] in BODY_KINDS and text[:1].islower() and len(text) <= 30:
            cols[here].append(text)  # "Sở Nông nghiệp và Môi" + "trường": a name wrapped in its cell
        elif task is not None and kinds[order[cur]] in ("deadline", *BODY_KINDS):
            cols[task].append(text)  # the rest of a task cell, after a page break
        elif order:
            cols.setdefault(order[max(cur, 0)], []).append(text)
    return {i: " ".join(v) for i, v in sorted(cols.items())}
