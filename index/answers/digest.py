"""Per-agency digests (the onboarding page) and the agency list, from the matrix.

A digest lists every task that falls to an agency today: its own, those the documents
gave to the agencies it succeeded (marked with the name the document used and the
legal source of the change), and catch-all tasks addressed to a group it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from index.engine import Engine
from index.errors import NotFound
from index.matrix import ROLES, Row


@dataclass
class Task:
    row: Row
    why: str  # own | predecessor | partial | catch-all
    label: str  # "Mục III, điểm 8"
    doc_number: str | None
    url_path: str  # "III.8"


@dataclass
class Digest:
    agency_id: str
    name: str
    kind: str
    level: str
    active: bool
    successors: list[dict] = field(default_factory=list)  # when it no longer exists
    predecessors: list[dict] = field(default_factory=list)  # whose tasks it inherited
    by_role: dict[str, list[Task]] = field(default_factory=dict)
    deadlines: list[Task] = field(default_factory=list)
    reporting: list[Task] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.by_role.values())


def _succ(engine: Engine, s, end: str) -> dict:
    other = engine.registry.agencies[s.to_id if end == "to" else s.from_id]
    return {"id": other.id, "name": other.name, "date": s.date, "source": s.source, "note": s.note, "scope": s.scope}


def digest(engine: Engine, agency_id: str) -> Digest:
    agency = engine.registry.agencies.get(agency_id) or engine.registry.resolve(agency_id)
    if agency is None:
        raise NotFound(f"Không có cơ quan '{agency_id}' trong danh mục cơ quan.")
    d = Digest(agency.id, agency.name, agency.kind, agency.level, agency.active)
    d.successors = [_succ(engine, s, "to") for s in engine.registry.successors(agency.id)]
    d.predecessors = [_succ(engine, s, "from") for s in engine.registry.predecessors(agency.id)]
    for row, why in engine.matrix.for_agency(agency.id):
        c = engine.clauses[row.clause_id]
        doc = engine.documents[row.doc_id]
        t = Task(row, why, c.label, doc.header.number, c.path)
        d.by_role.setdefault(row.roles[0], []).append(t)
        if row.deadlines:
            d.deadlines.append(t)
        if row.reporting:
            d.reporting.append(t)
    d.by_role = {r: d.by_role[r] for r in ROLES if r in d.by_role}
    return d


def agency_list(engine: Engine) -> list[Digest]:
    """Every registry agency that has tasks today (own, inherited or catch-all), most tasks first."""
    out = [digest(engine, a) for a in engine.registry.agencies]
    return sorted((d for d in out if d.count), key=lambda d: (-d.count, d.name))
