"""Extractive answers in Vietnamese: the agency and its role, then verbatim citations.

``ask`` routes a question by its kind (``index.retrieval.query``) and the documents it names
(``index.retrieval.scope``):
- who → ``index.answers.who`` (the clause that best matches the task, the body asked for);
- what → ``index.answers.tasks`` (the agency's tasks grouped by role);
- a question that names a document by number answers from that document; one that names a
  place, from that place's documents; one whose named document is not loaded says so
  (``index.answers.lookup``), then answers from the loaded documents that implement it;
- anything else → the best clauses.

Quotes are cut by ``index.answers.quotes``; every sentence shown is in ``index.answers.wording``.
An agency is only named when the cited clause (or the heading it sits under) names it.
"""

from __future__ import annotations

import re

from index.agencies import NATIONAL
from index.answers import wording
from index.answers.graph import status_notes
from index.answers.lookup import issued_by, look_up, not_loaded
from index.answers.quotes import MAX_QUOTE, cite, quote_is_verbatim
from index.answers.result import Answer, Cite
from index.answers.tasks import agency_tasks, subject
from index.answers.who import who
from index.engine import Engine
from index.naming import named_in
from index.retrieval.query import Query, analyze
from index.retrieval.scope import Scope, names_document, scope_of
from ingest.normalize import fold

__all__ = ["Answer", "Cite", "MAX_QUOTE", "ask", "cite", "quote_is_verbatim"]

_OPENING = 4000  # characters of a document that hold its title (after a page capture's metadata and summary)
_ISSUED = re.compile(r"\b(ban hanh|ky ban hanh|issued)\b")
# The question is about a loaded document ("Kế hoạch yêu cầu … Nghị quyết 36 …"), not the one it names.
_ABOUT_LOADED = re.compile(r"\b(ke hoach|kh nay)\b")
# The named document is what speaks ("Nghị quyết 189/NQ-CP giao bộ nào …", "theo NQ 36 …"), not an
# object of a loaded document's task ("Ai chủ trì truyền thông Chương trình 64-CTr/TU?").
_SPEAKS = re.compile(r"^(?:theo |trong |tai )?(?:nghi quyet|quyet dinh|chuong trinh|ke hoach|chi thi|nghi dinh|thong tu"
                     r"|cong van|de an|luat|nq|qd|ctr|kh|ct|nd|tt|cv)\b[^?]{0,30}?\b(?:giao|yeu cau|quy dinh|noi|de ra"
                     r"|dat|xac dinh|neu|phan cong)\b")


def ask(engine: Engine, question: str | Query, phraser=None, doc: str | None = None, section: str | None = None,
        agency: str | None = None) -> Answer:
    """Answer ``question`` (text, or already analysed), within ``doc`` / ``section`` when given;
    ``agency`` (an id): from that agency's tasks only. ``phraser`` (``index.answers.phrase.Phraser``)
    optionally rewords it."""
    q = question if isinstance(question, Query) else analyze(question)
    answer = _answer(engine, q, doc, section, agency)
    answer.notes += [n for n in status_notes(engine, [c.clause.doc_id for c in answer.citations]) if n not in answer.notes]
    agencies = engine.registry.agencies
    answer.places = {n: agencies[i].jurisdiction or NATIONAL for n, i in answer.ids.items() if i in agencies}
    return phraser(answer, engine.registry) if phraser else answer


def within_named(engine: Engine, q: Query, scope: Scope) -> Query:
    """The question as asked of the document it names: its clauses ranked by what the question asks,
    not by the words naming the document (its title, as the document's opening writes it, included).
    So too when it names the document by its title and place, not its number ("Theo nghị quyết vùng
    phát thải thấp của HĐND Hà Nội, ai giám sát …?"): the place's documents answer it."""
    docs = scope.docs or scope.place_docs
    if not docs:
        return q
    return q.within_document(engine.documents[docs[0]].source[:_OPENING] if len(docs) == 1 or scope.docs else "",
                             by_number=bool(scope.docs))


def _answer(engine: Engine, q: Query, doc: str | None, section: str | None, agency: str | None = None) -> Answer:
    if doc and doc not in engine.documents:
        engine.document(doc)  # NotFound, with its message
    scope = scope_of(engine, q.text)
    if doc:
        scope.docs, scope.boost, scope.place_docs = [doc], {}, []
    elif scope.docs or scope.place_docs:
        q = within_named(engine, q, scope)
    if agency:  # the question asked of one agency's tasks, the best matching first
        return agency_tasks(engine, q, engine.registry.agencies[agency], scope, section)
    entries = [e for e in engine.catalog.entries.values() if any(names_document(n, e.number, e.type) for n in q.refs)]
    missing = [e for e in entries if e.id not in engine.documents and not scope.docs]
    folded = fold(q.text)
    if entries and _ISSUED.search(folded) and not doc:  # "Chương trình 64-CTr/TU do cơ quan nào ban hành?"
        return issued_by(engine, q, entries[0])
    if missing and not doc and not _ABOUT_LOADED.search(folded) and (q.kind not in ("who", "what") or _SPEAKS.search(folded)):
        lacking = not_loaded(engine, q, missing)  # "Nghị quyết 36 nói gì về …", a text we lack
        if q.kind not in ("who", "what"):
            return lacking
        answer = _by_kind(engine, q, scope, section)
        if not (answer.supported and answer.agencies):
            return lacking
        shown = {c.clause.id for c in answer.citations}
        answer.citations += [c for c in lacking.citations if c.clause.id not in shown]
    else:
        answer = _by_kind(engine, q, scope, section)
    if missing and answer.supported and not doc:  # answered from the documents that implement it
        e = missing[0]
        answer.text = wording.not_loaded_then(e.type, e.number) + answer.text
    return answer


def _by_kind(engine: Engine, q: Query, scope: Scope, section: str | None) -> Answer:
    if scope.docs and q.kind == "search":
        return look_up(engine, q, scope, section)
    named = _named(engine, q, scope)
    if q.kind == "what" and named:
        return agency_tasks(engine, q, subject(engine, q, named, scope, section), scope, section)
    if q.kind == "who" or q.deadline or (named and q.kind != "search"):
        # a body offered as one of two ("Sở KH&CN hay sở nào …") may be the answer: not the object
        return who(engine, q, scope, section, [n.agency for n in named if not n.offered])
    return look_up(engine, q, scope, section)


def _named(engine: Engine, q: Query, scope: Scope) -> list:
    """Agencies the question names that have tasks (in its documents, when it names some),
    in the order the question names them; of a place the question names, that place's body
    ("Sở Công Thương ở Bình Thuận": not another province's)."""
    found = named_in(engine.registry, q.names_text, engine.matrix.names)
    docs = set(scope.narrowed) or set(engine.documents)
    covered = set(engine.matrix.tasked_in(frozenset(scope.docs)))
    for n in found:  # successors and groups have tasks through their predecessors and members
        if n.agency.id not in covered and any(rw[0].doc_id in docs for rw in engine.matrix.for_agency(n.agency.id)):
            covered.add(n.agency.id)
    kept = [n for n in found if n.agency.id in covered]
    if scope.place and not scope.docs:
        local = [n for n in kept if engine.registry.serves(n.agency, scope.place)]
        kept = local or kept
    kept.sort(key=lambda n: (n.at, -n.words, -n.share))
    return kept
