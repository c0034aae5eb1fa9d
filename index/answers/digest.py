"""Per-agency digests (the onboarding page) and the agency list, from the matrix.

A digest lists every task that falls to an agency today, once per clause with all its
roles merged ("thực hiện" as a member of "các sở, ban, ngành" and "phối hợp" by name are
one task): its own, those the documents gave to the agencies it succeeded (marked with
the name the document used), and catch-all tasks addressed to a group it belongs to.
The succession is told once per page (``succession_box``), with each legal source by
its number, and without the registry's notes meant for its maintainers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.engine import Engine
from index.errors import NotFound
from index.matrix import ROLES, Row

_WHY_ORDER = ("own", "predecessor", "partial", "catch-all")
# Sentences of a registry note written for whoever maintains the registry, not for staff.
_MAINTAINERS = re.compile(r"\s*(?:Ngày ghi là[^.]*\.|[^.]*chưa đối chiếu[^.]*\.)")
_POINTERS = re.compile(r"\s*\((?:xem )?mục (?:kế tiếp|trước|sau)\)", re.IGNORECASE)


_MARKER = re.compile(r"^\s*(?:[-+•·*–]\s+)+")


def plain_task(text: str) -> str:
    """A task's words without the list marker it was written with ("- ", "+ ", "• "): layout, not content.

    >>> plain_task("- Hằng năm, tham mưu"), plain_task("· Là cơ quan đầu mối"), plain_task("-5% chi phí")
    ('Hằng năm, tham mưu', 'Là cơ quan đầu mối', '-5% chi phí')
    """
    return _MARKER.sub("", " ".join(text.split()))


def public_note(note: str | None) -> str:
    """A registry note as staff should read it: no maintainers' remarks, no "(xem mục kế tiếp)".

    >>> public_note("Sở A hợp nhất vào Sở B. Ngày ghi là ngày ký Nghị định; ngày hiệu lực chưa đối chiếu.")
    'Sở A hợp nhất vào Sở B.'
    >>> public_note("nhiệm vụ chuyển cho cấp xã và cấp tỉnh (xem mục kế tiếp).")
    'nhiệm vụ chuyển cho cấp xã và cấp tỉnh.'
    """
    text = _POINTERS.sub("", note or "")
    return _MAINTAINERS.sub("", text).strip()


@dataclass
class Task:
    """One clause that concerns the agency, with every role the agency has in it."""

    rows: list[Row]  # the matrix rows (the agency's, its predecessors', its groups')
    why: str  # own | predecessor | partial | catch-all (the closest reason)
    label: str  # "Mục III, điểm 8"
    doc_number: str | None
    url_path: str  # "III.8"
    roles: list[str] = field(default_factory=list)
    due: list[dict] = field(default_factory=list)  # the deadlines as ``ingest.deadlines.Deadline`` dicts
    deadlines: list[str] = field(default_factory=list)  # as written

    @property
    def row(self) -> Row:
        """The row that brings the task here (the closest reason)."""
        return self.rows[0]

    @property
    def reporting(self) -> bool:
        return any(r.reporting for r in self.rows)

    @property
    def names(self) -> list[str]:
        """The names the document used for the bodies that bring the task here."""
        return list(dict.fromkeys(r.agency_name for r in self.rows))


@dataclass
class Digest:
    agency_id: str
    name: str
    kind: str
    level: str
    active: bool
    successors: list[dict] = field(default_factory=list)  # when it no longer exists
    predecessors: list[dict] = field(default_factory=list)  # whose tasks it inherited
    tasks: list[Task] = field(default_factory=list)  # one per clause, in document order
    by_role: dict[str, list[Task]] = field(default_factory=dict)  # each task under its first role
    deadlines: list[Task] = field(default_factory=list)
    reporting: list[Task] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.tasks)


def _succ(engine: Engine, s, end: str) -> dict:
    other = engine.registry.agencies[s.to_id if end == "to" else s.from_id]
    return {"id": other.id, "name": other.name, "date": s.date, "source": s.source, "note": public_note(s.note),
            "scope": s.scope}


def _merge(engine: Engine, rows: list[tuple[Row, str]]) -> Task:
    rows = sorted(rows, key=lambda rw: _WHY_ORDER.index(rw[1]))
    first, why = rows[0]
    c = engine.clauses[first.clause_id]
    roles = [r for r in ROLES if any(r in row.roles for row, _ in rows)]
    roles += [r for row, _ in rows for r in row.roles if r not in roles]
    t = Task([r for r, _ in rows], why, c.label, engine.documents[first.doc_id].header.number, c.path, roles)
    dues = [d for r, _ in rows for d in r.due]
    if not dues:  # the clause's time, stated for another body of the same clause (the report it receives)
        dues = [d for r in engine.matrix.rows_of(c) for d in r.due]
    seen = set()
    for d in dues:
        if d.get("text") not in seen:
            seen.add(d.get("text"))
            t.due.append(d)
            t.deadlines.append(d.get("text") or "")
    return t


def digest(engine: Engine, agency_id: str) -> Digest:
    agency = engine.registry.agencies.get(agency_id) or engine.registry.resolve(agency_id)
    if agency is None:
        raise NotFound(f"Không có cơ quan '{agency_id}' trong danh mục cơ quan.")
    d = Digest(agency.id, agency.name, agency.kind, agency.level, agency.active)
    d.successors = [_succ(engine, s, "to") for s in engine.registry.successors(agency.id)]
    d.predecessors = [_succ(engine, s, "from") for s in engine.registry.predecessors(agency.id)]
    by_clause: dict[str, list[tuple[Row, str]]] = {}
    for row, why in engine.matrix.for_agency(agency.id):
        by_clause.setdefault(row.clause_id, []).append((row, why))
    d.tasks = [_merge(engine, rows) for rows in by_clause.values()]
    for t in d.tasks:
        d.by_role.setdefault(t.roles[0], []).append(t)
    d.deadlines = [t for t in d.tasks if t.deadlines]
    d.reporting = [t for t in d.tasks if t.reporting]
    d.by_role = {r: d.by_role[r] for r in [*ROLES, *d.by_role] if r in d.by_role}
    return d


def agency_list(engine: Engine) -> list[Digest]:
    """Every registry agency that has tasks today (own, inherited or catch-all), most tasks first."""
    out = [digest(engine, a) for a in engine.registry.agencies]
    return sorted((d for d in out if d.count), key=lambda d: (-d.count, d.name))


def agency_id_of(engine: Engine, agency: str | None) -> str | None:
    """The registry id of an agency given by id or by any of its names (None when not given)."""
    if not agency:
        return None
    a = engine.registry.agencies.get(agency) or engine.registry.resolve(agency)
    if a is None:
        raise NotFound(f"Không có cơ quan '{agency}' trong danh mục cơ quan.")
    return a.id


# --- succession, told once per page ---------------------------------------------------------


def successor_note(engine: Engine, agency_id: str) -> tuple[list[str], str]:
    """The names of the agencies that took over, and "nay là …, theo …" (empty when none)."""
    succ = engine.registry.successors(agency_id)
    names = [engine.registry.agencies[s.to_id].name for s in succ]
    return names, (f"nay là {', '.join(names)}, theo {succ[0].source}" if succ else "")


def succession_box(d: Digest) -> list[str]:
    """The page's one succession box: which predecessors' tasks are listed here, under which
    names the documents gave them, since when and by which legal source."""
    lines = []
    for p in d.predecessors:
        written = sorted({n for t in d.tasks if t.why in ("predecessor", "partial")
                          for r in t.rows if r.agency_id == p["id"] for n in [r.agency_name]})
        if not written:
            continue
        names = ", ".join(f"“{n}”" for n in written)
        since = f" từ {'/'.join(reversed(p['date'].split('-')))}" if p.get("date") else ""
        if p["scope"] == "full":
            lines.append(f"Gồm nhiệm vụ văn bản giao cho {p['name']} (tên trong văn bản: {names}), nay thuộc {d.name}"
                         f"{since}, theo {p['source']}.")
        else:
            part = f" — phần: {p['note']}" if p.get("note") else ""
            lines.append(f"Gồm nhiệm vụ văn bản giao cho {p['name']} (tên trong văn bản: {names}), có thể thuộc "
                         f"{d.name}{part} (theo {p['source']}).")
    return lines
