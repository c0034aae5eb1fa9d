"""Extractive answers in Vietnamese: the agency and its role, then verbatim citations.

Question kinds (``index.query``):
- who: "Sở nào bố trí kinh phí?" → the agency the responsibility matrix assigns to the
  best-matching task clause, with the role the text states;
- what: "Sở KH&CN phải làm gì?" → that agency's tasks grouped by role, including the
  tasks of the agencies it succeeded (marked with the name the document used);
- a document whose text is not loaded → says so and cites where loaded texts refer to it;
- anything else → the best clauses.

An agency is only named when the cited clause (or the item heading it sits under) names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.engine import Engine, Hit
from index.matrix import ROLES, Row
from index.query import Query, analyze
from index.search import Filters
from ingest.models import Clause, Document
from ingest.normalize import collapse_spaces, fold

MAX_QUOTE = 600
MIN_SUPPORT = 0.12  # share of the question's word pairs the best clause must contain (see search.support)
_WHY_ORDER = ("own", "predecessor", "catch-all")
_ISSUED = re.compile(r"\b(ban hanh|ky ban hanh|issued)\b")
# The question is about a loaded document ("Kế hoạch yêu cầu … Nghị quyết 36 …"), not the one it names.
_ABOUT_LOADED = re.compile(r"\b(ke hoach|kh nay)\b")


@dataclass
class Cite:
    clause: Clause
    doc_number: str | None
    quote: str
    start: int
    end: int
    heading: str = ""  # heading of the item the quote sits under


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


def cite(engine: Engine, clause: Clause, focus: tuple[int, int] | None = None) -> Cite:
    """A verbatim quote of ``clause``'s own text (cut to whole sentences around ``focus`` if long)."""
    doc = engine.documents[clause.doc_id]
    start, end = clause.start, clause.own_end
    if clause.kind == "item" and clause.heading:  # quote the body, not "8. Sở Tài chính"
        nl = doc.source.find("\n", start, end)
        if nl != -1 and doc.source[nl:end].strip():
            start = nl + 1
    start, end = _trim(doc.source, start, end)
    if end - start > MAX_QUOTE:
        f0, f1 = focus or (start, start)
        s = max(start, doc.source.rfind(". ", start, max(start, f0)) + 2 if f0 > start else start)
        e = doc.source.find(". ", min(end, max(f1, s + MAX_QUOTE // 2)), end)
        start, end = _trim(doc.source, s, end if e == -1 else e + 1)
    item = engine.item_clause(clause)
    return Cite(clause, doc.header.number, doc.source[start:end], start, end, item.heading if item else "")


def _trim(src: str, s: int, e: int) -> tuple[int, int]:
    while s < e and src[s].isspace():
        s += 1
    while e > s and src[e - 1].isspace():
        e -= 1
    return s, e


def _doc_name(doc: Document, engine: Engine) -> str:
    entry = engine.catalog.entries.get(doc.id)
    if entry and entry.short:
        return entry.short
    h = doc.header
    return " ".join(x for x in (h.doc_type, h.number) if x) or doc.id


def _now_called(engine: Engine, row: Row) -> str:
    """" (nay là Sở Tài chính — Nghị định …)" for an agency that no longer exists."""
    if not row.agency_id or engine.registry.agencies[row.agency_id].active:
        return ""
    succ = engine.registry.successors(row.agency_id)
    if not succ:
        return ""
    names = ", ".join(engine.registry.agencies[s.to_id].name for s in succ)
    return f" (nay là {names}, theo {succ[0].source})"


def ask(engine: Engine, question: str | Query, phraser=None) -> Answer:
    """Answer ``question`` (text, or already analysed); ``phraser`` (``index.phrase.Phraser``)
    optionally rewords it."""
    answer = _answer(engine, question if isinstance(question, Query) else analyze(question))
    return phraser(answer, engine.registry) if phraser else answer


def _answer(engine: Engine, q: Query) -> Answer:
    named_docs = [e for n in q.numbers if (e := engine.catalog.by_number(n))]
    missing = [e for e in named_docs if e.id not in engine.documents]
    folded = fold(q.text)
    if named_docs and _ISSUED.search(folded):  # "Chương trình 64-CTr/TU do cơ quan nào ban hành?"
        return _issued_by(engine, q, named_docs[0])
    if missing and q.kind not in ("who", "what") and not _ABOUT_LOADED.search(folded):
        return _not_loaded(engine, q, missing)  # "Nghị quyết 36 nói gì về …", a text we lack
    loaded = [e.id for e in named_docs if e.id in engine.documents]
    if loaded and q.kind == "search":  # "Nghị quyết 36 nói gì về …" once its text is loaded
        return _look_up(engine, q, doc=loaded[0])
    named = [a for a, _, _ in engine.registry.find(q.expanded)]
    if q.kind == "what" and named:
        return _agency_tasks(engine, q, named[0].id)
    if q.kind == "who" or (named and q.kind != "search"):
        return _who(engine, q)
    return _look_up(engine, q)


def _who(engine: Engine, q: Query) -> Answer:
    # Only clauses some agency is assigned can answer "who". No named-agency ranking here: in a
    # who-question a named agency is usually the object ("…báo cáo UBND tỉnh"), not the answer.
    hits = engine.searcher.search(q, 5, Filters(units=engine.matrix.assigned_units))
    general = engine.search(q, 3)
    if not hits or not _supported(engine, q, [engine.hit(hits[0])]):
        return _unsupported(engine, q, general)
    best = engine.clauses[engine.units[hits[0].unit]["id"]]
    rows = engine.matrix.rows_of(best)
    main = rows[0]
    roles = [r for r in ROLES if r in main.roles]
    names = list(dict.fromkeys(r.agency_name for r in rows))
    agencies = [(n, roles[0]) for n in names]
    c = cite(engine, best)
    doc = engine.documents[best.doc_id]
    text = (f"{', '.join(names)}{_now_called(engine, main)} — vai trò: {', '.join(roles)}. "
            f"Căn cứ: {_doc_name(doc, engine)}, {best.label}.")
    citations = [c] + [cite(engine, h.clause) for h in general if h.clause.id != best.id][:2]
    return Answer(q.raw, text, "who", agencies, citations)


def _agency_tasks(engine: Engine, q: Query, agency_id: str) -> Answer:
    agency = engine.registry.agencies[agency_id]
    rows = engine.matrix.for_agency(agency_id)
    if not rows:
        hits = engine.search(q, 5)
        return _unsupported(engine, q, hits, f"Không thấy nhiệm vụ nào giao cho {agency.name} trong các văn bản đã nạp.")
    rows = sorted(rows, key=lambda rw: _WHY_ORDER.index(rw[1]))  # own tasks first, catch-alls last
    grouped: dict[str, list[tuple[Row, str]]] = {}
    for row, why in rows:
        grouped.setdefault(row.roles[0], []).append((row, why))
    order = [r for r in ROLES if r in grouped]
    notes = []
    for s in engine.registry.predecessors(agency_id):
        if any(why == "predecessor" and row.agency_id == s.from_id for row, why in rows):
            old = engine.registry.agencies[s.from_id].name
            notes.append(f"Gồm nhiệm vụ giao cho {old} (nay thuộc {engine.registry.agencies[s.to_id].name} từ {s.date}, theo {s.source}).")
    counts = ", ".join(f"{len(grouped[r])} nhiệm vụ {r}" for r in order)
    text = f"{agency.name} có {len(rows)} nhiệm vụ theo các văn bản đã nạp: {counts}."
    names = list(dict.fromkeys((row.agency_name, row.roles[0]) for row, why in rows if why != "catch-all"))
    citations = [cite(engine, engine.clauses[row.clause_id]) for row, _ in rows]
    return Answer(q.raw, text, "what", names or [(agency.name, order[0])], citations,
                  {r: grouped[r] for r in order}, notes)


def _citing_clauses(engine: Engine, number: str) -> list[Cite]:
    """Where loaded documents mention ``number``, one citation per clause."""
    cites: list[Cite] = []
    for doc in engine.documents.values():
        for ref in doc.references:
            if ref.number == number and ref.clause_id in engine.clauses:
                clause = engine.clauses[ref.clause_id]
                if all(c.clause.id != clause.id for c in cites):
                    cites.append(cite(engine, clause, (ref.start, ref.end)))
    return cites


def _issued_by(engine: Engine, q: Query, e) -> Answer:
    cites = _citing_clauses(engine, e.number)
    text = f"{e.type or 'Văn bản'} số {e.number} do {e.issuer} ban hành"
    text += f" ngày {_vn_date(e.date)}." if e.date else "."
    if e.id not in engine.documents:
        text += " (Theo danh mục văn bản; toàn văn chưa được nạp.)"
    named = [(n, "ban hành") for n in [e.issuer] if any(fold(n) in fold(c.quote) for c in cites)]
    return Answer(q.raw, text, "issuer", named, cites)


def _vn_date(iso: str) -> str:
    return "/".join(reversed(iso.split("-")))  # "2023-07-05" → "05/07/2023", "2024-04" → "04/2024"


def _not_loaded(engine: Engine, q: Query, entries) -> Answer:
    e = entries[0]
    cites = _citing_clauses(engine, e.number)
    text = (f"Toàn văn {e.type or 'văn bản'} số {e.number} ({e.issuer}, {e.date}) chưa được nạp vào hệ thống, "
            f"nên chưa thể trả lời từ chính văn bản đó.")
    text += f" Có {len(cites)} chỗ trong các văn bản đã nạp dẫn chiếu văn bản này." if cites else ""
    return Answer(q.raw, text, "not-loaded", [], cites, supported=False)


def _supported(engine: Engine, q: Query, hits: list[Hit]) -> bool:
    """Whether the best clause shares enough wording with the question, or the question
    names an agency or a document the corpus knows."""
    if not hits:
        return False
    if q.numbers or engine.registry.find(q.expanded):
        return True
    row = engine.searcher.row_of(hits[0].clause.id)
    return row is not None and engine.searcher.support(q, row) >= MIN_SUPPORT


def _look_up(engine: Engine, q: Query, doc: str | None = None) -> Answer:
    hits = engine.search(q, 5, doc=doc)
    if not _supported(engine, q, hits):
        return _unsupported(engine, q, hits)
    best = hits[0]
    doc = best.doc
    rows = engine.matrix.rows_of(best.clause)
    agencies = list(dict.fromkeys((r.agency_name, r.roles[0]) for r in rows))
    text = f"Nội dung liên quan nhất: {_doc_name(doc, engine)}, {best.clause.label}"
    text += f" ({collapse_spaces(best.clause.heading)})." if best.clause.heading else "."
    if agencies:
        text += f" Cơ quan thực hiện: {', '.join(n for n, _ in agencies)}."
    return Answer(q.raw, text, "search", agencies, [cite(engine, h.clause) for h in hits])


def _unsupported(engine: Engine, q: Query, hits: list[Hit], why: str | None = None) -> Answer:
    text = why or "Không tìm thấy điều khoản nào trong các văn bản đã nạp trả lời được câu hỏi này."
    if hits:
        text += " Các điều khoản gần nhất:"
    return Answer(q.raw, text, q.kind, [], [cite(engine, h.clause) for h in hits], supported=False)


def quote_is_verbatim(engine: Engine, c: Cite) -> bool:
    return engine.documents[c.clause.doc_id].source[c.start : c.end] == c.quote
