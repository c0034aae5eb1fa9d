"""An agency's deadlines and reporting duties as an iCalendar feed (``.ics``), so an officer
can subscribe to what their agency owes.

Every dated or periodic duty of the agency's digest is an event (the deadlines were read
at ingest, ``ingest.deadlines``; the periodic phrases that reading leaves as words,
"định kỳ 6 tháng", "hằng quý", are read here):

- a date ("trước ngày 15/8/2099", "quý IV/2026": its last day): one all-day event;
- "trước ngày 15/12 hằng năm": every year on 15/12; "tháng 12 hằng năm": every year from 1/12;
  "trước ngày 20 hằng tháng": every month on the 20th; "hằng quý", "định kỳ 6 tháng": on the
  last day of each period; a bare "hằng năm": every year from 1 January, said so;
- "thường xuyên" is no event; a date that cannot exist (29/02/2025) is skipped.

Each event carries a whole summary (the part of the task that states the time, shortened
at a clause boundary, never mid-word), the clause's official citation, a link back to the
clause and an alarm a few days before. Built with the ``icalendar`` package.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from index.answers.citation import of_clause
from index.answers.digest import Digest, Task, digest, plain_task
from index.engine import Engine
from ingest.assign import Role

SUMMARY_CHARS = 110
ALARM_DAYS = 3
_PERIODIC = re.compile(r"định kỳ\s+(?P<n>\d+)\s+(?P<unit>tháng|năm|quý)(?!\s*/\s*lần)|(?P<every>(?:hằng|hàng)\s+quý)",
                       re.IGNORECASE)
_UNIT = {"tháng": "month", "năm": "year", "quý": "quarter"}
_CUTS = ("; ", ", ", " – ", " - ")


@dataclass(frozen=True)
class When:
    """When an event falls: its first day and, for a periodic duty, its rule."""

    start: date
    rrule: dict | None = None
    note: str = ""  # said in the description when the text gives no day


def summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    """``text`` whole when it fits; else cut at the last clause boundary (";", ",", a dash)
    before ``limit``, or at a word, with "…". Never mid-word.

    >>> summary("báo cáo kết quả thực hiện vào tháng 12 hằng năm")
    'Báo cáo kết quả thực hiện vào tháng 12 hằng năm'
    >>> summary("tổng hợp các đề xuất, kiến nghị của các cơ quan, đơn vị báo cáo UBND tỉnh", 50)
    'Tổng hợp các đề xuất, kiến nghị của các cơ quan…'
    >>> summary("một hai ba bốn năm sáu bảy tám chín mười", 20)
    'Một hai ba bốn năm…'
    """
    text = plain_task(text).strip(" ;,.:")
    if len(text) > limit:
        cut = max(text[:limit].rfind(sep) for sep in _CUTS)
        if cut < limit // 3:  # no boundary early enough: the next one, if it comes soon, else a word's end
            later = [i for i in (text.find(sep, limit) for sep in _CUTS) if 0 < i <= limit * 3 // 2]
            cut = min(later) if later else text[:limit].rfind(" ")
        text = text[:cut].rstrip(" ;,.:–-") + "…"
    return text[:1].upper() + text[1:]


def _part_with(task: str, words: str) -> str:
    """The sentence or ";"-clause of ``task`` that states ``words`` (its time), else the first."""
    parts = [p for p in re.split(r"(?<=[;.])\s+", task) if p.strip()]
    low = words.lower()
    return next((p for p in parts if low and low in p.lower()), parts[0] if parts else task)


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _last(y: int, m: int) -> date:
    return date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)


def when(due: dict, year: int) -> When | None:
    """The event of one deadline (``ingest.deadlines.Deadline`` as a dict), from ``year`` on;
    None for a time that is no event or a date that cannot exist.

    >>> when({"due": "2025-02-29"}, 2025), when({"due": "2026-12-31"}, 2025).start
    (None, datetime.date(2026, 12, 31))
    >>> w = when({"every": "year", "month": 12, "day": 15}, 2024); w.start, w.rrule
    (datetime.date(2024, 12, 15), {'freq': 'yearly'})
    >>> when({"every": "6 months"}, 2024).rrule
    {'freq': 'monthly', 'interval': 6, 'bymonthday': -1}
    """
    every, month, day = due.get("every"), due.get("month"), due.get("day")
    if due.get("due"):
        try:
            return When(date.fromisoformat(due["due"]))
        except ValueError:
            return None
    if every == "year" and month:
        start = _safe(year, month, day or 1)
        return When(start, {"freq": "yearly"}) if start else None
    if every == "year":
        return When(date(year, 1, 1), {"freq": "yearly"}, "Văn bản ghi “hằng năm”, không nêu ngày: lịch nhắc vào đầu mỗi năm.")
    if every == "month":
        if day and not 1 <= day <= 31:
            return None
        rule = {"freq": "monthly", "bymonthday": day} if day else {"freq": "monthly", "bymonthday": -1}
        start = _safe(year, 1, day) if day and day <= 28 else _last(year, 1)
        return When(start, rule, "" if day else "Văn bản ghi “hằng tháng”, không nêu ngày: lịch nhắc vào cuối mỗi tháng.")
    if every == "quarter":
        return When(_last(year, 3), {"freq": "monthly", "interval": 3, "bymonthday": -1})
    m = re.fullmatch(r"(\d+) (month|year|quarter)s", every or "")
    if m:
        n, unit = int(m.group(1)), m.group(2)
        interval = n * {"month": 1, "quarter": 3, "year": 12}[unit]
        return When(_last(year, min(interval, 12)), {"freq": "monthly", "interval": interval, "bymonthday": -1})
    return None


def periodic(text: str) -> list[dict]:
    """The periodic phrases ``ingest.deadlines`` leaves as words: "định kỳ 6 tháng", "hằng quý".

    >>> [(d["text"], d["every"]) for d in periodic("định kỳ 6 tháng báo cáo; hằng quý tổng hợp")]
    [('định kỳ 6 tháng', '6 months'), ('hằng quý', 'quarter')]
    """
    out = []
    for m in _PERIODIC.finditer(text):
        every = "quarter" if m.group("every") else f"{m.group('n')} {_UNIT[m.group('unit').lower()]}s"
        if every == "1 years":
            every = "year"
        out.append({"text": m.group(0), "every": every})
    return out


def duties(task: Task) -> list[dict]:
    """Every time ``task`` states: those read at ingest, then the periodic phrases read here."""
    out = list(task.due)
    taken = " ".join(d.get("text") or "" for d in out).lower()
    out += [d for d in periodic(task.row.task) if d["text"].lower() not in taken]
    return out


def _year(engine: Engine, task: Task) -> int:
    """The year a periodic duty starts: its document's year (a plan's "hằng năm" from then on)."""
    issued = engine.documents[task.row.doc_id].header.date or ""
    return int(issued[:4]) if issued[:4].isdigit() else date.today().year


def events(engine: Engine, d: Digest) -> list[tuple[Task, dict, When]]:
    """The digest's dated and periodic duties, once per clause and time."""
    out, seen = [], set()
    for task in d.tasks:
        for due in duties(task):
            key = (task.row.clause_id, (due.get("text") or "").lower())
            w = when(due, _year(engine, task))
            if w is None or key in seen:
                continue
            seen.add(key)
            out.append((task, due, w))
    return out


def _event(engine: Engine, d: Digest, task: Task, due: dict, w: When, base_url: str) -> Event:
    row = task.row
    clause = engine.clauses[row.clause_id]
    citation = of_clause(engine, clause)
    url = f"{base_url}/documents/{row.doc_id}#{clause.path}"
    e = Event()
    uid = hashlib.sha1(f"{d.agency_id}|{row.clause_id}|{due.get('text')}".encode()).hexdigest()[:20]
    e.add("uid", f"{uid}@tracuu")
    title = summary(_part_with(row.task, due.get("text") or ""))
    item = engine.clauses.get(row.item_id)
    if task.roles[0] in (Role.RECEIVES, Role.PARTNER) and item is not None and item.heading:
        title = f"{item.heading} — {title}"  # whose duty it is, when the agency only takes part
    e.add("summary", title)
    lines = [f"Thời hạn: {due.get('text')}", f"Vai trò: {', '.join(task.roles)}", f"Căn cứ: {citation}"]
    if task.why != "own":
        lines.append(f"Tên trong văn bản: {row.agency_name}")
    if w.note:
        lines.append(w.note)
    lines += ["", plain_task(row.task), "", url]
    e.add("description", "\n".join(lines))
    e.add("url", url)
    e.add("dtstart", w.start)
    e.add("dtend", w.start + timedelta(days=1))
    created = engine.manifest.get("created", "2024-01-01T00:00:00")
    e.add("dtstamp", datetime.fromisoformat(created).replace(tzinfo=UTC))
    if w.rrule:
        e.add("rrule", w.rrule)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Sắp đến hạn: {title}")
    alarm.add("trigger", timedelta(days=-ALARM_DAYS))
    e.add_component(alarm)
    return e


def agency_calendar(engine: Engine, agency_id: str, base_url: str = "") -> bytes:
    """The ``.ics`` of an agency's dated and periodic tasks (own, inherited, catch-all);
    ``base_url``: where the pages are served, for the links back."""
    d = digest(engine, agency_id)
    cal = Calendar()
    cal.add("prodid", "-//tracuu//lich nhiem vu//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Nhiệm vụ có thời hạn — {d.name}")
    for task, due, w in events(engine, d):
        cal.add_component(_event(engine, d, task, due, w, base_url))
    return cal.to_ical()
