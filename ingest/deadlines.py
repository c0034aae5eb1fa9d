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
>>> [(d.text, d.due) for d in deadlines("Thời gian dự kiến: từ tháng 10/2025 đến hết năm 2026")]
[('đến hết năm 2026', '2026-12-31')]
>>> [(d.text, d.due) for d in deadlines("hoàn thành trước 31/12/2025")]
[('trước 31/12/2025', '2025-12-31')]
>>> [(d.text, d.due) for d in deadlines("trả lời bằng văn bản trong thời hạn 10 ngày kể từ ngày nhận được")]
[('thời hạn 10 ngày', None)]
>>> [d.text for d in deadlines("Thời hiệu xử lý kỷ luật là 05 năm; luân chuyển tối thiểu là 03 năm")]
['05 năm', 'tối thiểu là 03 năm']
"""

from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass

_ROMAN_Q = {"I": 1, "II": 2, "III": 3, "IV": 4}
_EVERY = r"(?P<every>(?:hằng|hàng)\s+(?:năm|tháng|quý))"
_PATTERNS = [
    # "trước ngày 15/12 hằng năm", "trước ngày 20 hằng tháng", "trước ngày 05/7", "trước thời điểm 30/4/2026"
    re.compile(rf"(?:trước|chậm nhất|đến|vào)?\s*(?:ngày|(?P<moment>thời điểm))\s+(?P<d>\d{{1,2}})(?:\s*/\s*(?P<m>\d{{1,2}})(?:\s*/\s*(?P<y>\d{{4}}))?)?"
               rf"(?:\s+{_EVERY})?", re.IGNORECASE),
    # "ngày 01 tháng 7 năm 2028"
    re.compile(rf"(?:trước|chậm nhất|đến|vào)?\s*ngày\s+(?P<d>\d{{1,2}})\s+tháng\s+(?P<m>\d{{1,2}})"
               rf"(?:\s+năm\s+(?P<y>\d{{4}})|\s+{_EVERY})?", re.IGNORECASE),
    # "quý III năm 2012", "Quý III, IV/2026", "quý IV/2025"
    re.compile(r"quý\s+(?P<q>(?:IV|I{1,3})(?:\s*,\s*(?:IV|I{1,3}))*)(?:\s*(?:năm\s+|/)\s*(?P<y>\d{4}))?", re.IGNORECASE),
    # "tháng 12 hằng năm", "tháng 6/2025", "tháng 6 năm 2025"
    re.compile(rf"(?:trước|trong|vào)?\s*tháng\s+(?P<m>\d{{1,2}})(?:\s*(?:/|năm)\s*(?P<y>\d{{4}})|\s+{_EVERY})", re.IGNORECASE),
    # "trước năm 2024", "đến năm 2030", "đến hết năm 2026"
    re.compile(r"(?P<before>trước)\s+năm\s+(?P<y>\d{4})|(?:đến|trong)(?:\s+hết)?\s+năm\s+(?P<y2>\d{4})", re.IGNORECASE),
    # "định kỳ 2 năm/lần", "định kỳ 6 tháng", "hằng năm", "thường xuyên"
    re.compile(r"định kỳ\s+(?P<n>\d+)\s+(?P<unit>năm|tháng|quý)(?:\s*/\s*lần|\s+một\s+lần)?|(?P<every2>(?:hằng|hàng)\s+(?:năm|tháng|quý))"
               r"|(?P<always>thường xuyên(?:,\s*liên tục)?)", re.IGNORECASE),
    # a table's time cell: "30/6/2026"; in a sentence, after "trước", "đến", "chậm nhất": "trước 31/12/2025"
    re.compile(r"(?P<lead>(?:trước|chậm nhất|đến)\s+)?(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?![\d/])",
               re.IGNORECASE),
    # a time allowed from an event: "trong thời hạn 10 ngày", "05 ngày làm việc", "chậm nhất 03 ngày", "sau tối đa 05 ngày";
    # a period a rule sets: "thời hiệu … là 05 năm", "luân chuyển tối thiểu 03 năm", "không quá 15 ngày"
    re.compile(r"(?:(?:trong|sau)\s+(?:thời hạn|vòng|tối đa)|chậm nhất(?:\s+sau)?|tối đa|tối thiểu|không quá|ít nhất"
               r"|thời hạn(?:\s+\w+)?|là)\s+(?:là\s+)?(?P<span>\d{1,3})\s+"
               r"(?P<unit>ngày(?:\s+làm\s+việc)?|tháng|năm|giờ)|(?P<span2>\d{1,3})\s+ngày\s+làm\s+việc", re.IGNORECASE),
]
_FROM = re.compile(r"\btừ\s*$", re.IGNORECASE)
_UNTIL = re.compile(r"\s*(?:-|–|đến|tới)\s", re.IGNORECASE)
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


class _NoSuchDate(Exception):
    """A date the calendar does not have ("31/4", "29/02/2025", "năm 0001")."""


def _year(y: str | int) -> int:
    if not 1900 <= int(y) <= 2200:
        raise _NoSuchDate
    return int(y)


def _date(y: str | int, m: int, d: int) -> str:
    """ISO date, checked against the calendar."""
    if not 1 <= m <= 12 or not 1 <= d <= calendar.monthrange(_year(y), m)[1]:
        raise _NoSuchDate
    return f"{int(y):04d}-{m:02d}-{d:02d}"


def _every(words: str | None) -> str | None:
    return _UNIT.get(words.split()[-1].lower()) if words else None


def _last_day(y: int, m: int) -> str:
    return _date(y, m, calendar.monthrange(_year(y), m)[1])


def _read(i: int, m: re.Match) -> Deadline | None:
    g = m.groupdict()
    text = re.sub(r"^(?:vào|trong|là)\s+", "", m.group(0).strip(), flags=re.IGNORECASE)
    if i in (0, 1, 6):
        d, mo, y, every = int(g["d"]), g.get("m"), g.get("y"), _every(g.get("every"))
        if not mo and (every != "month" or g.get("moment")):
            return None  # "ngày 20" alone is no deadline
        if not 1 <= d <= 31:
            raise _NoSuchDate  # "ngày 32"
        if mo and not y:
            _date(2023, int(mo), d)  # a day and month without a year: a day every year has
        due = _date(y, int(mo), d) if y and mo else None
        return Deadline(text, due, every, int(mo) if mo else None, d)
    if i == 2:
        quarters = [_ROMAN_Q[q.strip().upper()] for q in g["q"].split(",")]
        due = _last_day(int(g["y"]), 3 * max(quarters)) if g.get("y") else None
        return Deadline(text, due)
    if i == 3:
        mo = int(g["m"])
        if not 1 <= mo <= 12:
            raise _NoSuchDate
        every = _every(g.get("every"))
        return Deadline(text, _last_day(int(g["y"]), mo) if g.get("y") else None, every, mo if every else None)
    if i == 4:
        if g.get("before"):
            return Deadline(text, f"{_year(g['y']) - 1:04d}-12-31")
        return Deadline(text, f"{_year(g['y2']):04d}-12-31")
    if i == 7:  # a time allowed, counted from an event the text names: no date of its own
        return Deadline(text)
    if g.get("n"):  # pattern 5
        return Deadline(text, None, f"{g['n']} {_UNIT[g['unit'].lower()]}s")
    if g.get("every2"):
        return Deadline(text, None, _every(g["every2"]))
    return Deadline(text, None, "continuous")


def deadlines(text: str, cell: bool = False, wrong: list[str] | None = None) -> list[Deadline]:
    """The deadlines stated in ``text`` (normalised), in order, overlaps resolved longest first.

    "Thường xuyên" is a time only as a table's time cell (``cell``): in a sentence it is an
    adverb, and "kinh phí chi thường xuyên" a kind of budget. A date the calendar does not
    have ("31/6/2025", "29/02/2025", "năm 0001") is no deadline: its words go to ``wrong``.

    >>> deadlines("bố trí kinh phí chi thường xuyên"), [d.every for d in deadlines("Thường xuyên", cell=True)]
    ([], ['continuous'])
    >>> wrong = []; deadlines("hoàn thành trước ngày 31/6/2025", wrong=wrong), wrong
    ([], ['trước ngày 31/6/2025'])
    """
    found: list[Deadline] = []
    taken: list[tuple[int, int]] = []
    for i, p in enumerate(_PATTERNS):
        for m in p.finditer(text):
            lead = len(m.group(0)) - len(m.group(0).lstrip())
            start, end = m.start() + lead, m.end()
            if any(s < end and start < e for s, e in taken) or (i == 6 and not cell and not m.group("lead")):
                continue
            if _FROM.search(text[max(0, start - 8) : start]) and _UNTIL.match(text, end):
                taken.append((start, end))  # "từ tháng 10/2025 đến hết năm 2026": when it begins; the end is the deadline
                continue
            try:
                d = _read(i, m)
            except _NoSuchDate:
                taken.append((start, end))
                if wrong is not None:
                    wrong.append(m.group(0).strip())
                continue
            if d is None or (d.every == "continuous" and not cell):
                continue
            d.start, d.end = start, end
            found.append(d)
            taken.append((start, end))
    return sorted(found, key=lambda d: d.start)
