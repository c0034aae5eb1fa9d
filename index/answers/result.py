"""What an answer is: its text, the agencies with their roles, and verbatim citations."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.matrix import Row
from ingest.models import Clause


@dataclass
class Cite:
    clause: Clause
    doc_number: str | None
    quote: str
    start: int
    end: int
    heading: str = ""  # heading of the item the quote sits under (whose task it is)


@dataclass
class Answer:
    question: str
    text: str
    kind: str
    agencies: list[tuple[str, str]] = field(default_factory=list)  # (name, role)
    citations: list[Cite] = field(default_factory=list)
    tasks: dict[str, list[tuple[Row, str]]] = field(default_factory=dict)  # role -> rows (what-questions)
    notes: list[str] = field(default_factory=list)
    supported: bool = True
    ids: dict[str, str] = field(default_factory=dict)  # agency name as written -> agency id (its page)
    places: dict[str, str] = field(default_factory=dict)  # agency name as written -> its jurisdiction


def ids_of(rows: list[Row]) -> dict[str, str]:
    """Agency name as written (and as an answer shows it, with the office the text charges) → agency id,
    the first row's for each name."""
    out: dict[str, str] = {}
    for r in rows:
        out.setdefault(r.agency_name, r.agency_id)
        out.setdefault(r.shown, r.agency_id)
    return out
