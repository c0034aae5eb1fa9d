"""Deadlines and reporting periods, as dates where the text gives them.

``deadlines(text)`` finds the time expressions directives use and turns each into a
``Deadline``: its words, the last day it allows (``due``, ISO) when that is known, and
how often it recurs (``every``: year | quarter | month | "2 years" …) with the day of the
period for recurring reports ("trước ngày 15/12 hằng năm", "trước ngày 20 hằng tháng").

>>> [(d.text, d.due, d.every) for d in deadlines("trình Thủ tướng Chính phủ trong quý III năm 2012")]
[('quý III năm 2012', '2012-09-30', None)]
>>> [(d.text, d.due) for d in deadlines("hoàn thành chậm nhất đến ngày 01 tháng 7 năm 2028")]
[('đến ngày 01 tháng 7 năm 2028', '2028-07-01')]
>>> [(d.text, d.every, d.month, d.day) for d in deadlines("báo cáo trước ngày 15/12 hằng năm")]
[('trước ngày 15/12 hằng năm', 'year', 12, 15)]
>>> [(d.text, d.every, d.day) for d in deadlines("gửi báo cáo trước ngày 20 hằng tháng")]
[('trước ngày 20 hằng tháng', 'month', 20)]
>>> [(d.text, d.due) for d in deadlines("Quý III, IV/2026")]
[('Quý III, IV/2026', '2026-12-31')]
>>> [(d.text, d.due) for d in deadlines("trước năm 2024")]
[('trước năm 2024', '2023-12-31')]
"""

from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass

_ROMAN_Q = {"I": 1, "II": 2, "III": 3, "IV": 4}
_EVERY = r"(?P<every>(?:hằng|hàng)\s+(?:năm|tháng|quý))"
_PATTERNS = [
    # "trước ngày 15/12 hằng năm", "trước ngày 20 hằng tháng", "trước ngày 05/7"
    re.compile(rf"(?:trước|chậm nhất|đến|vào)?\s*ngày\s+(?P<d>\d{{1,2}})(?:\s*/\s*(?P<m>\d{{1,2}})(?:\s*/\s*(?P<y>\d{{4}}))?)?"
               rf"(?:\s+{_EVERY})?", re.IGNORECASE),
    # "ngày 01 tháng 7 năm 2028"
    re.compile(rf"(?:trước|chậm nhất|đến|vào)?\s*ngày\s+(?P<d>\d{{1,2}})\s+tháng\s+(?P<m>\d{{1,2}})"
               rf"(?:\s+năm\s+(?P<y>\d{{4}})|\s+{_EVERY})?", re.IGNORECASE),
    # "quý III năm 2012", "Quý III, IV/2026", "quý IV/2025"
    re.compile(r"quý\s+(?P<q>(?:IV|I{1,3})(?:\s*,\s*(?:IV|I{1,3}))*)(?:\s*(?:năm\s+|/)\s*(?P<y>\d{4}))?", re.IGNORECASE),
    # "tháng 12 hằng năm", "tháng 6/2025", "tháng 6 năm 2025"
    re.compile(rf"(?:trước|trong|vào)?\s*tháng\s+(?P<m>\d{{1,2}})(?:\s*(?:/|năm)\s*(?P<y>\d{{4}})|\s+{_EVERY})", re.IGNORECASE),
    # "trước năm 2024", "đến năm 2030", "năm 2025", "2025 - 2030"
    re.compile(r"(?P<before>trước)\s+năm\s+(?P<y>\d{4})|(?:đến|trong)\s+năm\s+(?P<y2>\d{4})", re.IGNORECASE),
    # "định kỳ 2 năm/lần", "hằng năm", "thường xuyên"
    re.compile(r"định kỳ\s+(?P<n>\d+)\s+(?P<unit>năm|tháng|quý)\s*/\s*lần|(?P<every2>(?:hằng|hàng)\s+(?:năm|tháng|quý))"
               r"|(?P<always>thường xuyên(?:,\s*liên tục)?)", re.IGNORECASE),
]
_UNIT = {"năm": "year", "tháng": "month", "quý": "quarter"}


@dataclass
class Deadline:
    text: str  # the words, as written
    due: str | None = None  # last day allowed, ISO, when the text fixes it
    every: str | None = None  # recurrence: year | quarter | month | "2 years" …; "continuous" for "thường xuyên"
    month: int | None = None  # for a recurring date: its month and day
    day: int | None = None
    start: int = 0  # offsets in the text searched
    end: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


def _every(words: str | None) -> str | None:
    return _UNIT.get(words.split()[-1].lower()) if words else None


def _last_day(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"


def _read(i: int, m: re.Match) -> Deadline | None:
    g = m.groupdict()
    text = re.sub(r"^(?:vào|trong)\s+", "", m.group(0).strip(), flags=re.IGNORECASE)
    if i in (0, 1):
        d, mo, y, every = int(g["d"]), g.get("m"), g.get("y"), _every(g.get("every"))
        if not mo and every != "month":
            return None  # "ngày 20" alone is no deadline
        if not (1 <= d <= 31 and (not mo or 1 <= int(mo) <= 12)):
            return None
        due = f"{int(y):04d}-{int(mo):02d}-{d:02d}" if y and mo else None
        return Deadline(text, due, every, int(mo) if mo else None, d)
    if i == 2:
        quarters = [_ROMAN_Q[q.strip().upper()] for q in g["q"].split(",")]
        due = _last_day(int(g["y"]), 3 * max(quarters)) if g.get("y") else None
        return Deadline(text, due)
    if i == 3:
        mo = int(g["m"])
        if not 1 <= mo <= 12:
            return None
        every = _every(g.get("every"))
        return Deadline(text, _last_day(int(g["y"]), mo) if g.get("y") else None, every, mo if every else None)
    if i == 4:
        if g.get("before"):
            return Deadline(text, f"{int(g['y']) - 1:04d}-12-31")
        return Deadline(text, f"{int(g['y2']):04d}-12-31")
    if g.get("n"):
        return Deadline(text, None, f"{g['n']} {_UNIT[g['unit'].lower()]}s")
    if g.get("every2"):
        return Deadline(text, None, _every(g["every2"]))
    return Deadline(text, None, "continuous")


def deadlines(text: str, cell: bool = False) -> list[Deadline]:
    """The deadlines stated in ``text`` (normalised), in order, overlaps resolved longest first.

    "Thường xuyên" is a time only as a table's time cell (``cell``): in a sentence it is an
    adverb, and "kinh phí chi thường xuyên" a kind of budget.

    >>> deadlines("bố trí kinh phí chi thường xuyên"), [d.every for d in deadlines("Thường xuyên", cell=True)]
    ([], ['continuous'])
    """
    found: list[Deadline] = []
    for i, p in enumerate(_PATTERNS):
        for m in p.finditer(text):
            d = _read(i, m)
            if d is None or (d.every == "continuous" and not cell):
                continue
            lead = len(m.group(0)) - len(m.group(0).lstrip())
            d.start, d.end = m.start() + lead, m.end()
            if not any(o.start < d.end and d.start < o.end for o in found):
                found.append(d)
    return sorted(found, key=lambda d: d.start)
