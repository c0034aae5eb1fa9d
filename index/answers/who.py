"""Who-questions: "Sở nào bố trí kinh phí?", "Thanh tra tỉnh phối hợp với sở nào?", "vướng mắc
thì báo cáo cơ quan nào?" → the clause that best matches the task and, of the bodies it gives
roles to, the one the question asks for: the responsible one whose words the question echoes
(not a body the question itself names as the object), the partners, or the body the report
goes to. A collective ("các sở, ngành") never comes first when the clause names a specific body.

When the question names no document and documents of one cascade (one cites the other) give the
same task, the answer says who does it in each, the most specific (a province's document before a central one) first,
each with its citation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.agencies import place_of
from index.answers import wording
from index.answers.evidence import doc_name, hits, supported
from index.answers.lookup import unsupported
from index.answers.quotes import cite, listing
from index.answers.result import Answer, ids_of
from index.engine import Engine, Hit
from index.matrix import ROLES, Row, collective
from index.retrieval.query import Query
from index.retrieval.scope import Scope
from index.retrieval.search import Filters
from ingest.assign import Role
from ingest.deadlines import deadlines
from ingest.models import Clause, Document
from ingest.normalize import fold, name_key, normalize_text, number_key
from ingest.stopwords import SAME_TASK
from ingest.tokens import syllables

_QUESTION_WORDS = SAME_TASK  # words any two task sentences share (ingest.stopwords)
SAME_TASK = 0.5  # share of the two clauses' content words both write (Jaccard), for "the same task"
NEAR_SCORE = 0.9  # … and how close its rank score must be to the best one's


# Roles a question names that a clause gives one body rather than every body that does the task:
# the body holding it answers before the others ("chủ trì" is asked loosely: "ai chủ trì …" often
# means "who does …").
_NAMED_ROLES = (Role.FOCAL, Role.ADVISE)

_MANY = re.compile(r"\b(?:cac|nhung) \w+")  # "các sở", "những địa phương", folded
# "vụ nào", "sở nào", "bộ nào": the kind of body asked for, folded
_KIND_ASKED = re.compile(r"\b(so|bo|cuc|vu|ban|phong|chi cuc|tong cuc|trung tam|vien)\s+nao\b")
# "báo cáo qua cơ quan nào": the body a report goes through ("… UBND tỉnh (thông qua Sở X)"), folded
_ROUTE_ASKED = re.compile(r"\bqua (?:co quan|don vi|so|bo|cuc|vu|ban|phong)\s+nao\b")
_ROUTE = re.compile(r"\bqua\s*$")


@dataclass
class Finding:
    """One document's answer: the clause cited and its rows, in the order the question asks for them."""

    hit: Hit
    clause: Clause
    rows: list[Row]


def who(engine: Engine, q: Query, scope: Scope, section: str | None, named: list) -> Answer:
    # Clauses that give some body a role answer "who"; a question about a time may be
    # answered by any clause.
    units = (engine.dated_units or None) if q.deadline and q.kind != "who" else _role_units(engine, q)
    found = hits(engine, q, scope, section, 5, units)
    general = hits(engine, q, scope, section, 3)
    if not found or not supported(engine, q, [found[0]]):
        return unsupported(engine, q, general or found)
    named_ids = {a.id for a in named}
    found = _named_reporter_first(engine, q, found, named_ids)
    findings = [_specific_first(engine, q, found, named_ids)]
    if not scope.narrowed and findings[0].rows:
        findings += _elsewhere(engine, q, found, findings[0], named_ids)
        findings.sort(key=lambda f: place_of(f.hit.doc) is None)  # the most specific first (stable: by rank after)
    main = findings[0]
    best, rows = main.clause, main.rows
    citations = [cite(engine, best, (rows[0].seg_start, rows[0].seg_end) if rows else None)]
    listed = listing(engine, rows[0]) if rows and rows[0].source == "list" else None
    if listed is not None and listed.id != best.id:
        citations.insert(0, cite(engine, listed))  # "- Sở Công Thương (đối với … cụm công nghiệp …);"
    citations += [cite(engine, f.clause, (f.rows[0].seg_start, f.rows[0].seg_end)) for f in findings[1:]]
    shown = {c.clause.id for c in citations}
    citations += [cite(engine, h.clause) for h in found + general if h.clause.id not in shown][:2]
    doc = engine.documents[best.doc_id]
    where = wording.grounds(doc_name(doc, engine), best.label)
    if not rows:
        return Answer(q.raw, wording.most_relevant(doc_name(doc, engine), best.label), "who", [], citations)
    first = rows[0]
    names = list(dict.fromkeys((r.shown, r.roles[0]) for r in rows))
    # a question that asks when: the clause's own time when the body's row has none
    times = first.deadlines or ([d.text for d in deadlines(normalize_text(best.own_text))] if q.deadline else [])
    text = wording.who_said(first.shown, _now_called(engine, first), first.roles, names[1:4], times, where)
    if len(findings) > 1:
        text += wording.also_in([(f.rows[0].shown, f.rows[0].roles[0], doc_name(f.hit.doc, engine), f.clause.label)
                                 for f in findings[1:]])
        names += [(f.rows[0].shown, f.rows[0].roles[0]) for f in findings[1:]
                  if (f.rows[0].shown, f.rows[0].roles[0]) not in names]
    all_rows = rows + [r for f in findings[1:] for r in f.rows[:1]]
    return Answer(q.raw, text, "who", names, citations, ids=ids_of(all_rows))


def _named_reporter_first(engine: Engine, q: Query, found: list[Hit], named_ids: set[str]) -> list[Hit]:
    """"Báo cáo của các sở, UBND xã gửi về cơ quan nào?": of the clauses of the best one's document,
    close in rank, that say where a report goes, the first in which a body the question names is one that reports
    ("… UBND các xã … báo cáo về Công an tỉnh"), not one where another body reports elsewhere
    ("Công an tỉnh … báo cáo Bộ Công an"). A body the question names for another reason ("hồ sơ
    thuộc thẩm quyền Chủ tịch UBND tỉnh nộp tại đâu?") reports nothing there and moves nothing."""
    if q.role != Role.RECEIVES or not named_ids:
        return found
    for i, h in enumerate(found):
        if h.score < NEAR_SCORE * found[0].score:
            break
        if h.doc.id != found[0].doc.id:
            continue  # another document's clause answers only by rank
        rows = engine.matrix.rows_of(h.clause)
        if any(Role.RECEIVES in r.roles for r in rows) \
                and any(r.agency_id in named_ids and Role.REPORTS in r.roles for r in rows):
            return [h, *found[:i], *found[i + 1 :]]
    return found


def _finding(engine: Engine, q: Query, hit: Hit, named_ids: set[str]) -> Finding:
    best = _drill_down(engine, q, hit.clause)
    # A point drilled into that names no body is the heading's body's task.
    own = engine.matrix.rows_of(best) or engine.matrix.rows_of(hit.clause)
    return Finding(hit, best, pick(engine, q, own, named_ids))


def _specific_first(engine: Engine, q: Query, found: list[Hit], named_ids: set[str]) -> Finding:
    """The best clause's finding; but when the question asks for a role ("ai chủ trì …"), that
    clause gives its task first to a collective ("Các sở, ngành, UBND các xã: kiểm định …", "Đơn
    vị chủ trì: Các cơ quan, đơn vị") and a clause of the same document close in rank gives the
    role to a specific body ("Bộ Chỉ huy Quân sự tỉnh: … chủ trì tiến hành kiểm định …"), that
    clause's: a specific body named for the role answers before every body of a kind, unless the
    question asks about the kind ("các sở …")."""
    first = _finding(engine, q, found[0], named_ids)
    top = first.rows[0] if first.rows else None
    if top is None or not q.role or not collective(top) or _asks_for(q, top):
        return first
    for h in found[1:]:
        if h.score < NEAR_SCORE * found[0].score:
            break
        if h.doc.id != found[0].doc.id:
            continue
        f = _finding(engine, q, h, named_ids)
        if f.rows and q.role in f.rows[0].roles and not collective(f.rows[0]) and f.rows[0].agency_id not in named_ids:
            return f
    return first


_OBJECT_OF = re.compile(r"\b(?:chi dao|huong dan|don doc|yeu cau|ho tro|voi|giao cho|kiem tra|giam sat|de nghi)\s+$")


def _asks_for(q: Query, r: Row) -> bool:
    """Whether the question names a collective row's kind ("các sở", "UBND các xã")."""
    m = _MANY.search(name_key(r.agency_name))
    if not m:
        return False
    text = " ".join(fold(q.text).lower().split())
    # "cơ quan nào chỉ đạo các đơn vị …", "sở nào phối hợp với các sở …": the kind is whom the body
    # asked for acts on, not the body asked for
    return any(not _OBJECT_OF.search(text[: x.start()]) for x in re.finditer(rf"\b{re.escape(m.group(0))}\b", text))


def _elsewhere(engine: Engine, q: Query, found: list[Hit], main: Finding, named_ids: set[str]) -> list[Finding]:
    """The same task in other loaded documents: one clause each, close in rank to the best and
    sharing most of its words, whose first body is a specific one."""
    out, docs = [], {main.hit.doc.id}
    words = _content(main.clause.own_text)
    for h in found[1:]:
        if h.doc.id in docs or h.score < NEAR_SCORE * found[0].score or not _cascade(engine, main.hit.doc, h.doc):
            continue
        other = _content(h.clause.own_text)
        if not words or len(words & other) / len(words | other) < SAME_TASK:
            continue
        f = _finding(engine, q, h, named_ids)
        if f.rows and f.rows[0].responsible and not collective(f.rows[0]):
            docs.add(h.doc.id)
            out.append(f)
    return out


def _cascade(engine: Engine, a: Document, b: Document) -> bool:
    """Whether one of two documents implements (cites) the other: a plan and the programme it carries out."""
    def numbers(d: Document) -> set[str]:
        entry = engine.catalog.entries.get(d.id)
        return {number_key(n) for n in (d.header.number, entry.number if entry else None) if n}

    def cites(d: Document, numbers: set[str]) -> bool:
        return any(number_key(r.number) in numbers for r in d.references)

    return cites(a, numbers(b)) or cites(b, numbers(a))


def _content(text: str) -> set[str]:
    return {s for s in syllables(text) if s not in _QUESTION_WORDS and len(s) > 1}


def _overlap(q_words: set[str], text: str) -> float:
    return len(q_words & _content(text)) / max(1, len(q_words))


def pick(engine: Engine, q: Query, rows: list[Row], named_ids: set[str]) -> list[Row]:
    """The clause's rows in the order the question asks for them: who it asks about first, of the
    kind it asks for ("vụ nào", "sở nào"), the body a report goes through when it asks "qua cơ
    quan nào"; a collective after the specific bodies (other than the one the question names)."""
    if not rows:
        return []
    words = _content(q.text)
    folded = fold(q.text).lower()
    kind = m.group(1) if (m := _KIND_ASKED.search(folded)) else None
    route = bool(_ROUTE_ASKED.search(folded))

    def off_route(r: Row) -> bool:
        """Asked the route of a report, a body not named after "qua" / "thông qua"."""
        source = engine.documents[r.doc_id].source
        return route and not (r.start > 0 and _ROUTE.search(fold(source[max(0, r.start - 14) : r.start]).lower()))

    def fit(r: Row) -> int:
        """How well a row's role fits the role asked for (0 best)."""
        if q.role in (Role.PARTNER, Role.RECEIVES):
            return 0 if r.roles[0] == q.role else 1
        if q.role in _NAMED_ROLES and r.responsible:
            # "cơ quan nào là đầu mối …": the body the clause makes the focal point, before one
            # that only carries the task out ("Mặt trận … thực hiện")
            return 0 if q.role in r.roles else 1
        return 0 if r.responsible else 2

    # the roles at which a specific body (not one the question names) is given the task
    specific = {fit(r) for r in rows if r.agency_id not in named_ids and not collective(r)}

    def demoted(r: Row) -> bool:
        """A collective beside a specific body of the same fit, unless the question asks about
        it ("các sở gửi báo cáo …": its "các sở")."""
        return fit(r) in specific and collective(r) and not _asks_for(q, r)

    def rank(r: Row) -> tuple:
        wanted = q.role and q.role in r.roles
        role_fit = fit(r)
        # a body the question names is the one it asks about unless it asks who ("Sở nào phối
        # hợp với Sở X?": X is the object); "Sở X phải báo cáo … trước ngày nào?" asks about X
        named = q.kind == "who" and r.agency_id in named_ids and len({x.agency_id for x in rows} - named_ids) > 0
        # "báo cáo Ban X (qua Vụ Y)" asked "qua vụ nào": Vụ Y
        other_kind = kind is not None and not name_key(r.agency_name).startswith(kind + " ")
        return (named, role_fit, other_kind, off_route(r), demoted(r), -round(_overlap(words, _window(engine, r)), 2),
                not wanted, ROLES.index(r.roles[0]), r.catch_all)

    return sorted(rows, key=rank)


def _window(engine: Engine, r: Row) -> str:
    """The words a row was read from, without the body's own name (no evidence for itself); for
    a body listed with its scope ("- Sở Xây dựng (đối với … đô thị);"), that scope too."""
    doc = engine.documents[r.doc_id]
    text = normalize_text(doc.source[r.seg_start : r.seg_end]) if r.seg_end > r.seg_start else r.task
    if r.source == "list" and (listed := listing(engine, r)) is not None and listed.id != r.clause_id:
        text = f"{text} {normalize_text(listed.own_text)}"
    return text.replace(r.agency_name, " ")


def _drill_down(engine: Engine, q: Query, clause: Clause) -> Clause:
    """An item that is only its heading ("4. Các cơ quan, … được giao quản lý tài sản") answers
    through the one of its points the question is about."""
    if not clause.children or engine.clauses[clause.children[0]].start - clause.start > len(clause.heading) + 24:
        return clause
    units = {engine.searcher.row_of(c) for c in clause.children} - {None}
    ranked = engine.searcher.search(q, 1, Filters(clause.doc_id, None, units)) if units else []
    return engine.clauses[engine.units[ranked[0].unit]["id"]] if ranked else clause


def _role_units(engine: Engine, q: Query) -> set[int]:
    """Units of the clauses that give a body the role asked for (any responsible role by default;
    "chủ trì" is asked loosely, so it is not a filter)."""
    m = engine.matrix
    if q.role in (Role.PARTNER, Role.RECEIVES, Role.FOCAL, Role.ADVISE):
        ids = {r.clause_id for r in m.rows if q.role in r.roles}
        units = {m.unit_row[i] for i in ids if i in m.unit_row}
        if units:
            return units
    return m.assigned_units


def _now_called(engine: Engine, row: Row) -> str:
    """" (nay là Sở Tài chính — Nghị định …)" for an agency that no longer exists."""
    a = engine.registry.agencies.get(row.agency_id)
    if a is None or a.active:
        return ""
    succ = engine.registry.successors(row.agency_id)
    full = [s for s in succ if s.scope == "full"]
    if full:
        return wording.now_is([engine.registry.agencies[s.to_id].name for s in full], full[0].source)
    if succ:
        return wording.now_maybe([engine.registry.agencies[s.to_id].name for s in succ], succ[0].source)
    return ""
