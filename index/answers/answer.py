"""Extractive answers in Vietnamese: the agency and its role, then verbatim citations.

Question kinds (``index.retrieval.query``):
- who: "Sở nào bố trí kinh phí?", "Thanh tra tỉnh phối hợp với sở nào?", "vướng mắc thì báo
  cáo cơ quan nào?" → the clause that best matches the task, and of the bodies it gives
  roles to, the one the question asks for: the responsible one whose words the question
  echoes (not a body the question itself names as the object), the partners, or the body
  the report goes to;
- what: "Sở KH&CN phải làm gì?" → that agency's tasks grouped by role, the clauses that
  best match the rest of the question first, including the tasks of the agencies it
  succeeded (marked with the name the document used);
- a question that names a document by number answers from that document
  (``index.retrieval.scope``); one whose text is not loaded says so and cites where loaded texts
  refer to it;
- anything else → the best clauses.

An agency is only named when the cited clause (or the heading it sits under) names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.agencies import named_in
from index.engine import Engine, Hit
from index.matrix import RESPONSIBLE, ROLES, Row
from index.retrieval.query import Query, analyze
from index.retrieval.scope import Scope, _names, scope_of
from index.retrieval.search import Filters
from ingest.models import Clause, Document
from ingest.normalize import collapse_spaces, fold, normalize_text
from ingest.tokens import syllables

MAX_QUOTE = 1200
MIN_SUPPORT = 0.12  # share of the question's word pairs the best clause must contain (see search.support)
_WHY_ORDER = ("own", "predecessor", "partial", "catch-all")
_ISSUED = re.compile(r"\b(ban hanh|ky ban hanh|issued)\b")
# The question is about a loaded document ("Kế hoạch yêu cầu … Nghị quyết 36 …"), not the one it names.
_ABOUT_LOADED = re.compile(r"\b(ke hoach|kh nay)\b")
# The named document is what speaks ("Nghị quyết 189/NQ-CP giao bộ nào …", "theo NQ 36 …"), not an
# object of a loaded document's task ("Ai chủ trì truyền thông Chương trình 64-CTr/TU?").
_SPEAKS = re.compile(r"^(?:theo |trong |tai )?(?:nghi quyet|quyet dinh|chuong trinh|ke hoach|chi thi|nghi dinh|thong tu"
                     r"|cong van|de an|luat|nq|qd|ctr|kh|ct|nd|tt|cv)\b[^?]{0,30}?\b(?:giao|yeu cau|quy dinh|noi|de ra"
                     r"|dat|xac dinh|neu|phan cong)\b")
_QUESTION_WORDS = set("ai nao gi la co khong the thi de cho cua cac nhung va voi ve theo trong duoc phai can lam bao "
                      "nhieu viec nhiem vu chu tri phoi hop co quan don vi bo so nganh giao trach".split())


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
    return Cite(clause, doc.header.number, doc.source[start:end], start, end, _owner_heading(engine, clause))


def _owner_heading(engine: Engine, clause: Clause) -> str:
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


def _doc_name(doc: Document, engine: Engine) -> str:
    entry = engine.catalog.entries.get(doc.id)
    if entry and entry.short:
        return entry.short
    h = doc.header
    return " ".join(x for x in (h.doc_type, h.number if h.number_known else None) if x) or doc.id


def _now_called(engine: Engine, row: Row) -> str:
    """" (nay là Sở Tài chính — Nghị định …)" for an agency that no longer exists."""
    a = engine.registry.agencies.get(row.agency_id)
    if a is None or a.active:
        return ""
    succ = engine.registry.successors(row.agency_id)
    full = [s for s in succ if s.scope == "full"]
    if full:
        return f" (nay là {', '.join(engine.registry.agencies[s.to_id].name for s in full)}, theo {full[0].source})"
    if succ:
        return f" (nay có thể thuộc {', '.join(engine.registry.agencies[s.to_id].name for s in succ)} tùy lĩnh vực, theo {succ[0].source})"
    return ""


def ask(engine: Engine, question: str | Query, phraser=None, doc: str | None = None, section: str | None = None,
        agency: str | None = None) -> Answer:
    """Answer ``question`` (text, or already analysed), within ``doc`` / ``section`` when given;
    ``agency`` (an id): from that agency's tasks only. ``phraser`` (``index.answers.phrase.Phraser``)
    optionally rewords it."""
    q = question if isinstance(question, Query) else analyze(question)
    answer = _answer(engine, q, doc, section, agency)
    return phraser(answer, engine.registry) if phraser else answer


def _answer(engine: Engine, q: Query, doc: str | None, section: str | None, agency: str | None = None) -> Answer:
    if doc and doc not in engine.documents:
        engine.document(doc)  # NotFound, with its message
    scope = scope_of(engine, q.text)
    if doc:
        scope.docs, scope.boost = [doc], {}
    if agency:  # the question asked of one agency's tasks, the best matching first
        return _agency_tasks(engine, q, engine.registry.agencies[agency], scope, section)
    entries = [e for e in engine.catalog.entries.values() if any(_names(n, e.number, e.type) for n in q.refs)]
    missing = [e for e in entries if e.id not in engine.documents and not scope.docs]
    folded = fold(q.text)
    if entries and _ISSUED.search(folded) and not doc:  # "Chương trình 64-CTr/TU do cơ quan nào ban hành?"
        return _issued_by(engine, q, entries[0])
    if missing and (q.kind not in ("who", "what") or _SPEAKS.search(folded)) and not _ABOUT_LOADED.search(folded) and not doc:
        return _not_loaded(engine, q, missing)  # "Nghị quyết 36 nói gì về …", a text we lack
    if scope.docs and q.kind == "search":
        return _look_up(engine, q, scope, section)
    named = _named(engine, q, scope)
    if q.kind == "what" and named:
        return _agency_tasks(engine, q, _subject(engine, q, named, scope, section), scope, section)
    if q.kind == "who" or q.deadline or (named and q.kind != "search"):
        return _who(engine, q, scope, section, [n.agency for n in named])
    return _look_up(engine, q, scope, section)


def _named(engine: Engine, q: Query, scope: Scope) -> list:
    """Agencies the question names that have tasks (in its documents, when it names some),
    in the order the question names them."""
    found = named_in(engine.registry, q.names_text, engine.matrix.names)
    docs = set(scope.docs) or set(engine.documents)
    covered = set(engine.matrix.tasked_in(frozenset(scope.docs)))
    for n in found:  # successors and groups have tasks through their predecessors and members
        if n.agency.id not in covered and any(rw[0].doc_id in docs for rw in engine.matrix.for_agency(n.agency.id)):
            covered.add(n.agency.id)
    kept = [n for n in found if n.agency.id in covered]
    kept.sort(key=lambda n: (n.at, -n.words, -n.share))
    return kept


def _subject(engine: Engine, q: Query, named: list, scope: Scope, section: str | None):
    """Of the agencies a what-question names at its start, the one whose tasks match the rest
    of the question best ("UBND cấp tỉnh phải làm gì với các KCN …": the document that gives
    a provincial People's Committee tasks about industrial parks)."""
    first = [n for n in named if n.at == named[0].at] or named[:1]
    longest = max(n.words for n in first)
    first = [n for n in first if n.words == longest]  # "Sở NN&MT …" names Sở NN&MT, not Sở NN&PTNT
    if len(first) == 1:
        return first[0].agency
    best, score = first[0].agency, -1.0
    for n in first:
        units = engine.matrix.unit_rows_for(n.agency.id)
        if scope.docs:
            units = {u for u in units if engine.units[u]["doc_id"] in scope.docs}
        ranked = engine.searcher.search(q, 1, Filters(None, section, units)) if units else []
        top = ranked[0].score + (scope.boost.get(engine.units[ranked[0].unit]["doc_id"], 0) / 60 if ranked else 0) \
            if ranked else -1.0
        if top > score:
            best, score = n.agency, top
    return best


def _hits(engine: Engine, q: Query, scope: Scope, section: str | None, k: int, units: set[int] | None = None) -> list[Hit]:
    """The best clauses for ``q`` in the question's documents (or boosted towards them)."""
    doc = scope.docs[0] if scope.docs else None
    ranked = engine.searcher.search(q, k * 3 if scope.boost else k, Filters(doc, section, units))
    if scope.boost:
        bonus = {d: w / 60 for d, w in scope.boost.items()}
        for r in ranked:
            r.score += bonus.get(engine.units[r.unit]["doc_id"], 0.0)
        ranked = sorted(ranked, key=lambda r: -r.score)[:k]
    return [engine.hit(r) for r in ranked]


def _content(text: str) -> set[str]:
    return {s for s in syllables(text) if s not in _QUESTION_WORDS and len(s) > 1}


def _overlap(q_words: set[str], text: str) -> float:
    return len(q_words & _content(text)) / max(1, len(q_words))


def _pick(engine: Engine, q: Query, rows: list[Row], named_ids: set[str]) -> list[Row]:
    """The clause's rows in the order the question asks for them: who it asks about first."""
    if not rows:
        return []
    words = _content(q.text)

    def window(r: Row) -> str:
        return _window(engine, r)

    def rank(r: Row) -> tuple:
        wanted = q.role and q.role in r.roles
        if q.role == "phối hợp":
            role_fit = 0 if r.roles[0] == "phối hợp" else 1
        elif q.role == "nhận báo cáo":
            role_fit = 0 if r.roles[0] == "nhận báo cáo" else 1
        else:
            role_fit = 0 if r.responsible else 2
        named = r.agency_id in named_ids and len({x.agency_id for x in rows} - named_ids) > 0
        return (named, role_fit, -round(_overlap(words, window(r)), 2), not wanted, ROLES.index(r.roles[0]), r.catch_all)

    return sorted(rows, key=rank)


def _window(engine: Engine, r: Row) -> str:
    """The words a row was read from, without the body's own name (no evidence for itself); for
    a body listed with its scope ("- Sở Xây dựng (đối với … đô thị);"), that scope too."""
    doc = engine.documents[r.doc_id]
    text = normalize_text(doc.source[r.seg_start : r.seg_end]) if r.seg_end > r.seg_start else r.task
    if r.source == "list" and (listed := _listing(engine, r)) is not None and listed.id != r.clause_id:
        text = f"{text} {normalize_text(listed.own_text)}"
    return text.replace(r.agency_name, " ")


def _who(engine: Engine, q: Query, scope: Scope, section: str | None, named: list) -> Answer:
    # Clauses that give some body a role answer "who"; a question about a time may be
    # answered by any clause.
    units = _dated_units(engine) if q.deadline and q.kind != "who" else _role_units(engine, q)
    hits = _hits(engine, q, scope, section, 5, units)
    general = _hits(engine, q, scope, section, 3)
    if not hits or not _supported(engine, q, [hits[0]]):
        return _unsupported(engine, q, general or hits)
    best = _drill_down(engine, q, hits[0].clause)
    # A point drilled into that names no body is the heading's body's task.
    own = engine.matrix.rows_of(best) or engine.matrix.rows_of(hits[0].clause)
    rows = _pick(engine, q, own, {a.id for a in named})
    citations = [cite(engine, best, (rows[0].seg_start, rows[0].seg_end) if rows else None)]
    listed = _listing(engine, rows[0]) if rows and rows[0].source == "list" else None
    if listed is not None and listed.id != best.id:
        citations.insert(0, cite(engine, listed))  # "- Sở Công Thương (đối với … cụm công nghiệp …);"
    citations += [cite(engine, h.clause) for h in hits[1:] + general if h.clause.id != best.id][:2]
    doc = engine.documents[best.doc_id]
    where = f"Căn cứ: {_doc_name(doc, engine)}, {best.label}."
    due = [d for r in rows[:1] for d in r.deadlines]
    if not rows:
        text = f"Thời hạn: {'; '.join(due)}. {where}" if due else f"Nội dung liên quan nhất: {_doc_name(doc, engine)}, {best.label}."
        return Answer(q.raw, text, "who", [], citations)
    main = rows[0]
    names = list(dict.fromkeys((r.agency_name, r.roles[0]) for r in rows))
    text = f"{main.agency_name}{_now_called(engine, main)} — vai trò: {', '.join(main.roles)}"
    others = [f"{n} ({role})" for n, role in names[1:4]]
    if others:
        text += f"; cùng: {', '.join(others)}"
    if main.deadlines:
        text += f". Thời hạn: {'; '.join(main.deadlines)}"
    return Answer(q.raw, f"{text}. {where}", "who", names, citations, ids=_ids(rows))


def _drill_down(engine: Engine, q: Query, clause: Clause) -> Clause:
    """An item that is only its heading ("4. Các cơ quan, … được giao quản lý tài sản") answers
    through the one of its points the question is about."""
    if not clause.children or engine.clauses[clause.children[0]].start - clause.start > len(clause.heading) + 24:
        return clause
    units = {engine.searcher.row_of(c) for c in clause.children} - {None}
    ranked = engine.searcher.search(q, 1, Filters(clause.doc_id, None, units)) if units else []
    return engine.clauses[engine.units[ranked[0].unit]["id"]] if ranked else clause


def _listing(engine: Engine, row: Row) -> Clause | None:
    """The bullet that lists a body among those a heading addresses (where its name is written)."""
    doc = engine.documents[row.doc_id]
    inner = None
    for c in doc.clauses:
        if c.kind == "bullet" and c.start <= row.start < c.end:
            inner = c
    return inner


def _dated_units(engine: Engine) -> set[int] | None:
    """Units of the clauses that state a time (a question that asks when)."""
    m = engine.matrix
    ids = {r.clause_id for r in m.rows if r.deadlines}
    units = {m.unit_row[i] for i in ids if i in m.unit_row}
    return units or None


def _ids(rows: list[Row]) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in rows:
        out.setdefault(r.agency_name, r.agency_id)
    return out


def _role_units(engine: Engine, q: Query) -> set[int]:
    """Units of the clauses that give a body the role asked for (any responsible role by default;
    "chủ trì" is asked loosely, so it is not a filter)."""
    m = engine.matrix
    if q.role in ("phối hợp", "nhận báo cáo", "đầu mối", "tham mưu"):
        ids = {r.clause_id for r in m.rows if q.role in r.roles}
        units = {m.unit_row[i] for i in ids if i in m.unit_row}
        if units:
            return units
    return m.assigned_units


def _agency_tasks(engine: Engine, q: Query, agency, scope: Scope, section: str | None) -> Answer:
    rows = engine.matrix.for_agency(agency.id)
    if scope.docs:
        rows = [rw for rw in rows if rw[0].doc_id in scope.docs]
    elif scope.boost and any(rw[0].doc_id in scope.boost for rw in rows):
        rows = [rw for rw in rows if rw[0].doc_id in scope.boost]  # "… khi triển khai Nghị định 178"
    if section:
        rows = [rw for rw in rows if engine.clauses[rw[0].clause_id].path.startswith(section)]
    rows = [rw for rw in rows if rw[0].roles[0] != "nhận báo cáo"]
    if not rows:
        hits = _hits(engine, q, scope, section, 5)
        return _unsupported(engine, q, hits, f"Không thấy nhiệm vụ nào giao cho {agency.name} trong các văn bản đã nạp.")
    # The tasks that best match the rest of the question first ("… phải làm gì hằng năm với các
    # KCN …"); among equals, the agency's own item before the rows of a table it supports.
    units = {engine.matrix.unit_row[r.clause_id] for r, _ in rows if r.clause_id in engine.matrix.unit_row}
    order = {engine.units[h.unit]["id"]: i for i, h in enumerate(
        engine.searcher.search(q, len(units), Filters(scope.docs[0] if scope.docs else None, section, units)))}
    source = {"heading": 0, "sentence": 1, "list": 1, "table": 2}
    rows = sorted(rows, key=lambda rw: (_WHY_ORDER.index(rw[1]), not rw[0].responsible, source.get(rw[0].source, 3),
                                        order.get(rw[0].clause_id, len(order))))
    grouped: dict[str, list[tuple[Row, str]]] = {}
    for row, why in rows:
        grouped.setdefault(row.roles[0], []).append((row, why))
    order_roles = [r for r in ROLES if r in grouped]
    notes = _succession_notes(engine, agency.id, rows)
    counts = ", ".join(f"{len(grouped[r])} nhiệm vụ {r}" for r in order_roles)
    text = f"{agency.name} có {len(rows)} nhiệm vụ theo các văn bản đã nạp: {counts}."
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
    ids = _ids([row for row, _ in rows]) | {agency.name: agency.id}
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
                notes.append(f"Gồm nhiệm vụ giao cho {old} (nay thuộc {target} từ {s.date}, theo {s.source}).")
            else:
                notes.append(f"Gồm nhiệm vụ giao cho {old}, có thể thuộc {target} — phần: {s.note} (theo {s.source}).")
    return notes


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
    if q.refs or named_in(engine.registry, q.names_text):
        return True
    row = engine.searcher.row_of(hits[0].clause.id)
    return row is not None and engine.searcher.support(q, row) >= MIN_SUPPORT


def _look_up(engine: Engine, q: Query, scope: Scope, section: str | None) -> Answer:
    hits = _hits(engine, q, scope, section, 5)
    if not _supported(engine, q, hits):
        return _unsupported(engine, q, hits)
    best = hits[0]
    doc = best.doc
    rows = [r for r in engine.matrix.rows_of(best.clause) if r.responsible]
    agencies = list(dict.fromkeys((r.agency_name, r.roles[0]) for r in rows))
    text = f"Nội dung liên quan nhất: {_doc_name(doc, engine)}, {best.clause.label}"
    text += f" ({collapse_spaces(best.clause.heading)})." if best.clause.heading else "."
    if agencies:
        text += f" Cơ quan thực hiện: {', '.join(n for n, _ in agencies)}."
    return Answer(q.raw, text, "search", agencies, [cite(engine, h.clause) for h in hits], ids=_ids(rows))


def _unsupported(engine: Engine, q: Query, hits: list[Hit], why: str | None = None) -> Answer:
    text = why or "Không tìm thấy điều khoản nào trong các văn bản đã nạp trả lời được câu hỏi này."
    if hits:
        text += " Các điều khoản gần nhất:"
    return Answer(q.raw, text, q.kind, [], [cite(engine, h.clause) for h in hits], supported=False)


def quote_is_verbatim(engine: Engine, c: Cite) -> bool:
    return engine.documents[c.clause.doc_id].source[c.start : c.end] == c.quote
