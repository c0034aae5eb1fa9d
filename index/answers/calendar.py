"""An agency's deadlines and reporting duties as an iCalendar feed (``.ics``), so an officer
can subscribe to what their agency owes.

One all-day event per dated task ("trước ngày 15/8/2099", "quý III năm 2099": its last
day), and one recurring event per periodic report ("trước ngày 15/12 hằng năm": every year
on 15/12; "vào tháng 12 hằng năm": every year from 1/12; "trước ngày 20 hằng tháng": every
month on the 20th). Each event says the task,
the role, the clause and its document; times the text leaves open ("thường xuyên") are not
events. The calendar is built with the ``icalendar`` package.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone

from icalendar import Calendar, Event

from index.answers.digest import Digest, digest
from index.engine import Engine


def _event(engine: Engine, d: Digest, task, deadline: dict, start: date, rrule: dict | None) -> Event:
    row = task.row
    e = Event()
    doc = engine.documents[row.doc_id]
    number = doc.header.number if doc.header.number_known else doc.id
    uid = hashlib.sha1(f"{d.agency_id}|{row.clause_id}|{deadline.get('text')}".encode()).hexdigest()[:20]
    e.add("uid", f"{uid}@tracuu")
    e.add("summary", f"{row.agency_name} ({row.roles[0]}): {row.task[:90]}")
    e.add("description", f"{deadline.get('text')} — {number}, {task.label}.\n{row.task}")
    e.add("dtstart", start)
    e.add("dtstamp", datetime.fromisoformat(engine.manifest.get("created", "2024-01-01T00:00:00")).replace(tzinfo=timezone.utc))
    if rrule:
        e.add("rrule", rrule)
    return e


def _year(engine: Engine, row) -> int:
    """The year a periodic duty starts: its document's year (a plan's "hằng năm" from then on)."""
    issued = engine.documents[row.doc_id].header.date or ""
    return int(issued[:4]) if issued[:4].isdigit() else date.today().year


def agency_calendar(engine: Engine, agency_id: str) -> bytes:
    """The ``.ics`` of an agency's dated and periodic tasks (own, inherited, catch-all)."""
    d = digest(engine, agency_id)
    cal = Calendar()
    cal.add("prodid", "-//tracuu//lich nhiem vu//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Nhiệm vụ có thời hạn — {d.name}")
    seen = set()
    for task in d.deadlines:
        for dl in task.row.due:
            key = (task.row.clause_id, dl.get("text"))
            if key in seen:
                continue
            seen.add(key)
            if dl.get("due"):
                cal.add_component(_event(engine, d, task, dl, date.fromisoformat(dl["due"]), None))
            elif dl.get("every") == "year" and dl.get("month"):  # "vào tháng 12 hằng năm": from its first day
                start = date(_year(engine, task.row), dl["month"], dl.get("day") or 1)
                cal.add_component(_event(engine, d, task, dl, start, {"freq": "yearly"}))
            elif dl.get("every") == "month" and dl.get("day"):
                start = date(_year(engine, task.row), 1, min(dl["day"], 28))
                cal.add_component(_event(engine, d, task, dl, start, {"freq": "monthly", "bymonthday": dl["day"]}))
    return cal.to_ical()
