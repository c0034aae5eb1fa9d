"""The clauses an answer rests on: the best ones for a question in its documents (those it
names by number, else those of the place it names, else all, boosted towards the ones it points
to), and whether the best one supports an answer at all."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from index.engine import Engine, Hit
from index.naming import named_in
from index.retrieval.query import Query
from index.retrieval.scope import Scope
from index.retrieval.search import Filters
from ingest.models import Document

MIN_SUPPORT = 0.12  # share of the question's word pairs the best clause must contain (see search.support)
_DOC_UNITS: WeakKeyDictionary = WeakKeyDictionary()  # engine -> {doc id: its units}


def doc_units(engine: Engine, docs: list[str]) -> set[int]:
    """Units of the documents ``docs`` (kept per engine)."""
    per_doc = _DOC_UNITS.get(engine)
    if per_doc is None:
        per_doc = {}
        for i, u in enumerate(engine.units):
            per_doc.setdefault(u["doc_id"], set()).add(i)
        _DOC_UNITS[engine] = per_doc
    return set().union(*(per_doc.get(d, set()) for d in docs))


def hits(engine: Engine, q: Query, scope: Scope, section: str | None, k: int, units: set[int] | None = None) -> list[Hit]:
    """The best clauses for ``q`` in the question's documents (or boosted towards them). A question
    that names a place and no document is answered from that place's documents when they answer."""
    if not scope.docs and scope.place_docs:
        local = doc_units(engine, scope.place_docs)
        found = _ranked(engine, q, scope, section, k, local if units is None else units & local)
        if found:
            return found
    return _ranked(engine, q, scope, section, k, units)


def _ranked(engine: Engine, q: Query, scope: Scope, section: str | None, k: int, units: set[int] | None) -> list[Hit]:
    doc = scope.docs[0] if scope.docs else None
    ranked = engine.searcher.search(q, k * 3 if scope.boost else k, Filters(doc, section, units))
    if scope.boost:
        bonus = {d: w / 60 for d, w in scope.boost.items()}
        for r in ranked:
            r.score += bonus.get(engine.units[r.unit]["doc_id"], 0.0)
        ranked = sorted(ranked, key=lambda r: -r.score)[:k]
    return [engine.hit(r) for r in ranked]


def supported(engine: Engine, q: Query, found: list[Hit]) -> bool:
    """Whether the best clause shares enough wording with the question, or the question
    names an agency or a document the corpus knows."""
    if not found:
        return False
    if q.refs or named_in(engine.registry, q.names_text):
        return True
    row = engine.searcher.row_of(found[0].clause.id)
    return row is not None and engine.searcher.support(q, row) >= MIN_SUPPORT


def doc_name(doc: Document, engine: Engine) -> str:
    """A document as answers name it: its catalog short name, else its type and number."""
    entry = engine.catalog.entries.get(doc.id)
    if entry and entry.short:
        return entry.short
    h = doc.header
    return " ".join(x for x in (h.doc_type, h.number if h.number_known else None) if x) or doc.id
