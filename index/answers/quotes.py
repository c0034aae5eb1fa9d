"""Cutting verbatim quotes out of a clause: whole sentences around what answers, the heading
that says whose task it is, and the bullet where a listed body's name is written."""

from __future__ import annotations

from index.answers.result import Cite
from index.engine import Engine
from index.matrix import Row
from ingest.models import Clause

MAX_QUOTE = 1200


def cite(engine: Engine, clause: Clause, focus: tuple[int, int] | None = None, whole: bool = False) -> Cite:
    """A verbatim quote of ``clause``'s own text (``whole``: with its children), cut to whole
    sentences around ``focus`` if long. A table row is quoted whole: task, bodies, time."""
    doc = engine.documents[clause.doc_id]
    start, end = clause.start, clause.end if whole or clause.kind == "row" else clause.own_end
    start, end = _trim(doc.source, start, end)
    if end - start > (2 if whole else 1) * MAX_QUOTE:
        f0, f1 = focus if focus and focus[0] >= 0 else (start, start)
        s = max(start, doc.source.rfind(". ", start, max(start, f0)) + 2 if f0 > start else start)
        e = doc.source.find(". ", min(end, max(f1, s + MAX_QUOTE // 2)), end)
        start, end = _trim(doc.source, s, end if e == -1 else e + 1)
    return Cite(clause, doc.header.number, doc.source[start:end], start, end, owner_heading(engine, clause))


def owner_heading(engine: Engine, clause: Clause) -> str:
    """The heading that says whose task a clause is: the nearest enclosing item's."""
    c = clause
    while c.kind in ("bullet", "point", "row") and c.parent and c.parent in engine.clauses:
        c = engine.clauses[c.parent]
        if c.kind in ("item", "clause", "article", "section"):
            break
    return c.heading if c is not clause or c.kind != "bullet" else ""


def _trim(src: str, s: int, e: int) -> tuple[int, int]:
    while s < e and src[s].isspace():
        s += 1
    while e > s and src[e - 1].isspace():
        e -= 1
    return s, e


def listing(engine: Engine, row: Row) -> Clause | None:
    """The bullet that lists a body among those a heading addresses (where its name is written)."""
    doc = engine.documents[row.doc_id]
    inner = None
    for c in doc.clauses:
        if c.kind == "bullet" and c.start <= row.start < c.end:
            inner = c
    return inner


def quote_is_verbatim(engine: Engine, c: Cite) -> bool:
    return engine.documents[c.clause.doc_id].source[c.start : c.end] == c.quote
