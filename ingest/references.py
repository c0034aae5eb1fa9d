"""References written without a document symbol: "Chương trình hành động số 88", "Kế hoạch
141 ngày 05/3/2025". Full numbers ("88-CTr/TU") are read by ``ingest.header.find_references``.

A short reference needs its type word (a bare "số 88" is a quantity as often as a number)
and is kept as the digits alone; ``index.answers.graph`` resolves it against loaded
documents of that type only when one is left.

>>> [(f.doc_type, f.number, f.date) for f in find_short_references(
...     "thực hiện Chương trình hành động số 88 ngày 09/5/2099 của Ban Thường vụ Tỉnh ủy")]
[('Chương trình hành động', '88', '2099-05-09')]
>>> find_short_references("Kế hoạch số 45/KH-UBND; Kế hoạch năm 2025; Nghị quyết 2025")
[]

A symbol the copy spaced out or wrote with a letter is a symbol, not a short reference:

>>> find_short_references("Nghị quyết số 66- NQ/TW; Quyết định số 163a/CT ngày 15/5/1987")
[]
"""

from __future__ import annotations

import re

from ingest.header import Found

_TYPES = (r"Nghị quyết|Chương trình hành động|Chương trình|Kế hoạch|Quyết định|Chỉ thị|Kết luận|Thông báo"
          r"|Công văn|Đề án|Hướng dẫn")
_DATE = r"ngày\s*(\d{1,2})\s*(?:/\s*(\d{1,2})\s*/\s*(\d{4})|tháng\s*(\d{1,2})\s*năm\s*(\d{4}))"
SHORT = re.compile(rf"(?P<type>{_TYPES})\s+(?P<so>số\s+)?(?P<num>\d{{1,4}})(?!\d)(?![/\-–.,]\d|\s?[/\-–]\s?[A-Za-zĐđ]|[a-zđ]{{0,2}}/)"
                   rf"(?:\s*,?\s*(?:{_DATE}))?")


def find_short_references(text: str) -> list[Found]:
    """Type-and-number references with no symbol; a four-digit number needs "số" (it could be a year)."""
    out = []
    for m in SHORT.finditer(text):
        num = m.group("num")
        if len(num) == 4 and not m.group("so"):
            continue
        d, m1, y1, m2, y2 = m.group(4, 5, 6, 7, 8)
        month, year = (m1, y1) if m1 else (m2, y2)
        date = f"{int(year):04d}-{int(month):02d}-{int(d):02d}" if d and month and year else None
        out.append(Found(num, m.group("type"), date, m.start(), m.end()))
    return out
