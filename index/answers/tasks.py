"""What-questions: "Sở KH&CN phải làm gì?" → the agency's tasks grouped by role, the clauses
that best match the rest of the question first, with the tasks of the agencies it succeeded
(marked with the name the document used) and of the groups that cover it."""

from __future__ import annotations

from index.answers import wording
from index.answers.evidence import hits
from index.answers.lookup import unsupported
from index.answers.quotes import MAX_QUOTE, cite
from index.answers.result import Answer, ids_of
from index.engine import Engine
from index.matrix import ROLES
from index.retrieval.query import Query
from index.retrieval.scope import Scope
from index.retrieval.search import Filters
from ingest.assign import Role
from ingest.models import Clause

_WHY_ORDER = ("own", "predecessor", "partial", "catch-all")


def subject(engine: Engine, q: Query, named: list, scope: Scope, section: str | None):
    """Of the agencies a what-question names at its start, the one whose tasks match the rest
    of the question best ("UBND cấp tỉnh phải làm gì với các KCN …": the document that gives
    a provincial People's Committee tasks about industrial parks)."""
    first = [n for n in named if n.at == named[0].at] or named[:1]
    longest = max(n.words for n in first)
    first = [n for n in first if n.words == longest]  # "Sở NN&MT …" names Sở NN&MT, not Sở NN&PTNT
    if len(first) == 1:
        return first[0].agency
    # one search over the clauses that give any of them a task (a body that only receives
    # reports there has none to answer with): the agency of the best of those clauses. (The scores
    # of separate searches are ranks within each and do not compare.)
    m = engine.matrix
    owner: dict[int, object] = {}
    for n in first:
        for r, _ in m.for_agency(n.agency.id):
            if r.roles[0] != Role.RECEIVES and r.clause_id in m.unit_row:
                u = m.unit_row[r.clause_id]
                if not scope.docs or engine.units[u]["doc_id"] in scope.docs:
                    owner.setdefault(u, n.agency)
    ranked = engine.searcher.search(q, len(owner), Filters(None, section, set(owner))) if owner else []
    if not ranked:
        return first[0].agency
    boost = scope.boost
    best = max(ranked, key=lambda h: h.score + boost.get(engine.units[h.unit]["doc_id"], 0) / 60)
    return owner[best.unit]


def agency_tasks(engine: Engine, q: Query, agency, scope: Scope, section: str | None) -> Answer:
    rows = engine.matrix.for_agency(agency.id)
    if scope.narrowed and any(rw[0].doc_id in scope.narrowed for rw in rows) or scope.docs:
        rows = [rw for rw in rows if rw[0].doc_id in scope.narrowed]
    elif scope.boost and any(rw[0].doc_id in scope.boost for rw in rows):
        rows = [rw for rw in rows if rw[0].doc_id in scope.boost]  # "… khi triển khai Nghị định 178"
    if section:
        rows = [rw for rw in rows if engine.clauses[rw[0].clause_id].path.startswith(section)]
    rows = [rw for rw in rows if rw[0].roles[0] != Role.RECEIVES]
    if not rows:
        return unsupported(engine, q, hits(engine, q, scope, section, 5), wording.no_tasks(agency.name))
    # The tasks that best match the rest of the question first ("… phải làm gì hằng năm với các
    # KCN …"); among equals, the agency's own item before the rows of a table it supports.
    units = {engine.matrix.unit_row[r.clause_id] for r, _ in rows if r.clause_id in engine.matrix.unit_row}
    order = {engine.units[h.unit]["id"]: i for i, h in enumerate(
        engine.searcher.search(q, len(units), Filters(scope.docs[0] if scope.docs else None, section, units)))}
    source = {"heading": 0, "sentence": 1, "list": 1, "table": 2}
    rows = sorted(rows, key=lambda rw: (_WHY_ORDER.index(rw[1]), not rw[0].responsible, source.get(rw[0].source, 3),
                                        order.get(rw[0].clause_id, len(order))))
    grouped: dict[str, list] = {}
    for row, why in rows:
        grouped.setdefault(row.roles[0], []).append((row, why))
    order_roles = [r for r in ROLES if r in grouped]
    notes = _succession_notes(engine, agency.id, rows)
    text = wording.task_count(agency.name, len(rows), [(r, len(grouped[r])) for r in order_roles])
    first_role: dict[str, str] = {}
    for row, why in rows:
        if why != "catch-all":
            first_role.setdefault(row.agency_name, row.roles[0])
    names = list(first_role.items())
    seen, citations = set(), []
    for item in _own_items(engine, rows):  # the agency's own part of the document, quoted whole
        seen.add(item.id)
        citations.append(cite(engine, item, whole=True))
    for row, _ in rows:
        if row.clause_id not in seen and engine.clauses[row.clause_id].parent not in seen:
            seen.add(row.clause_id)
            citations.append(cite(engine, engine.clauses[row.clause_id], (row.seg_start, row.seg_end)))
    ids = ids_of([row for row, _ in rows]) | {agency.name: agency.id}
    return Answer(q.raw, text, "what", names or [(agency.name, order_roles[0])], citations,
                  {r: grouped[r] for r in order_roles}, notes, ids=ids)


def _own_items(engine: Engine, rows) -> list[Clause]:
    """Items whose heading names the agency and nothing else ("5. Thanh tra tỉnh"), when short
    enough to quote whole: the first row's first."""
    out = []
    for row, why in rows[:1]:
        if row.source != "heading" or why != "own" or row.start < 0:
            continue
        c = engine.clauses[row.clause_id]
        while c.parent and not (c.start <= row.start < c.own_end) and c.parent in engine.clauses:
            c = engine.clauses[c.parent]
        if c.start <= row.start < c.own_end and c.children and c.end - c.start <= 2 * MAX_QUOTE:
            out.append(c)
    return out


def _succession_notes(engine: Engine, agency_id: str, rows) -> list[str]:
    notes = []
    target = engine.registry.agencies[agency_id].name
    for s in engine.registry.predecessors(agency_id):
        if any(why in ("predecessor", "partial") and row.agency_id == s.from_id for row, why in rows):
            old = engine.registry.agencies[s.from_id].name
            if s.scope == "full":
                notes.append(wording.inherited_full(old, target, s.date, s.source))
            else:
                notes.append(wording.inherited_part(old, target, s.note, s.source))
    return notes
