"""Answers that are not "who" or "what": the best clauses for a question, a document we know
only from the catalog (who issued it; its text not loaded), and no answer at all."""

from __future__ import annotations

from index.answers import wording
from index.answers.evidence import doc_name, hits, supported
from index.answers.quotes import cite
from index.answers.result import Answer, Cite, ids_of
from index.engine import Engine, Hit
from index.retrieval.query import Query
from index.retrieval.scope import Scope
from ingest.normalize import collapse_spaces, fold, number_key


def look_up(engine: Engine, q: Query, scope: Scope, section: str | None) -> Answer:
    found = hits(engine, q, scope, section, 5)
    if not supported(engine, q, found):
        return unsupported(engine, q, found)
    best = found[0]
    rows = [r for r in engine.matrix.rows_of(best.clause) if r.responsible]
    agencies = list(dict.fromkeys((r.shown, r.roles[0]) for r in rows))
    text = wording.most_relevant(doc_name(best.doc, engine), best.clause.label, collapse_spaces(best.clause.heading or ""))
    if agencies:
        text += wording.doing([n for n, _ in agencies])
    return Answer(q.raw, text, "search", agencies, [cite(engine, h.clause) for h in found], ids=ids_of(rows))


def unsupported(engine: Engine, q: Query, found: list[Hit], why: str | None = None) -> Answer:
    return Answer(q.raw, wording.nearest(why, bool(found)), q.kind, [], [cite(engine, h.clause) for h in found],
                  supported=False)


def citing_clauses(engine: Engine, number: str) -> list[Cite]:
    """Where loaded documents mention ``number``, one citation per clause."""
    cites: list[Cite] = []
    key = number_key(number)
    for doc in engine.documents.values():
        for ref in doc.references:
            if number_key(ref.number) == key and ref.clause_id in engine.clauses:
                clause = engine.clauses[ref.clause_id]
                if all(c.clause.id != clause.id for c in cites):
                    cites.append(cite(engine, clause, (ref.start, ref.end)))
    return cites


def issued_by(engine: Engine, q: Query, e) -> Answer:
    cites = citing_clauses(engine, e.number)
    text = wording.issued_by(e.type, e.number, e.issuer, e.date, e.id in engine.documents)
    named = [(n, "ban hành") for n in [e.issuer] if any(fold(n) in fold(c.quote) for c in cites)]
    return Answer(q.raw, text, "issuer", named, cites)


def not_loaded(engine: Engine, q: Query, entries) -> Answer:
    e = entries[0]
    cites = citing_clauses(engine, e.number)
    text = wording.not_loaded(e.type, e.number, e.issuer, e.date, len(cites))
    return Answer(q.raw, text, "not-loaded", [], cites, supported=False)
