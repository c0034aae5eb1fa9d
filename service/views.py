"""What the API, the pages and the CLI show about agencies and documents.

Response models (separate from the engine's internal objects) and the functions that
build them from an engine. The JSON API returns them as they are; the HTML pages
render the same objects, so a page and its ``/api`` twin cannot disagree.
"""

from __future__ import annotations

from dataclasses import asdict

from pydantic import BaseModel, Field

from index.answers.answer import cite
from index.answers.calendar import events
from index.answers.citation import citing_clauses as citing
from index.answers.citation import clause_words, doc_name, of_clause  # noqa: F401 (doc_name: for the pages)
from index.answers.digest import Digest, Task, agency_list, digest, succession_box, successor_note
from index.answers.graph import graph, status_of
from index.answers.suggest import suggest
from index.engine import Engine
from index.errors import NotFound
from ingest.catalog import Entry
from ingest.models import Document
from service import versions
from service.schemas import clause_url


class AgencySummary(BaseModel):
    id: str
    name: str
    kind: str
    level: str
    active: bool
    jurisdiction: str = Field("national", description="The province or city it belongs to, or 'national'")
    tasks: int = Field(description="Tasks that fall to it today: own, inherited from predecessors, catch-all")
    successors: list[str] = Field(description="Names of the agencies that took over (when it no longer exists)")
    successor_note: str = Field("", description="'nay là …, theo …' for an agency that no longer exists")


class SuccessionOut(BaseModel):
    id: str
    name: str
    date: str | None
    source: str
    note: str
    scope: str


class TaskOut(BaseModel):
    clause_id: str
    doc_id: str
    doc_number: str | None
    section: str = Field(description="Section path, e.g. III.6/2")
    label: str
    heading: str = Field(description="Heading of the numbered item the task sits under")
    roles: list[str] = Field(description="Every role the agency has in this clause (a clause is listed once)")
    text: str = Field(description="The task, normalised on one line")
    quote: str = Field(description="Verbatim source text at [start, end)")
    start: int
    end: int
    deadlines: list[str]
    due: list[dict] = Field(default_factory=list, description="The deadlines as dates: text, due (ISO), every "
                                                               "(year | month | …), month, day")
    reporting: bool
    why: str = Field(description="own | predecessor | partial | catch-all")
    name_in_document: str = Field(description="The agency's name as the document writes it")
    names_in_document: list[str] = Field(default_factory=list, description="Every name that brings the task here")
    note: str = Field("", description="Why the task is listed here when it is not the agency's own")
    url: str
    citation: str = Field("", description="Official citation of the clause")
    units: str = Field("", description="The citation's units without the document: 'khoản 8 Mục III'")


class RoleGroup(BaseModel):
    role: str
    tasks: list[TaskOut]


class AgencyDigestOut(BaseModel):
    id: str
    name: str
    kind: str
    jurisdiction: str = Field("national", description="The province or city it belongs to, or 'national'")
    level: str
    active: bool
    tasks: int
    successors: list[SuccessionOut]
    predecessors: list[SuccessionOut]
    predecessor_notes: list[str] = Field(description="The succession box: whose tasks are listed here, by which source")
    roles: list[RoleGroup]
    deadlines: list[TaskOut] = Field(description="Tasks with a date or a period: the events of its calendar (.ics)")
    reporting: list[TaskOut]
    calendar_events: int = Field(0, description="Events in the agency's calendar; 0: nothing dated")


class DocumentSummary(BaseModel):
    id: str
    type: str | None
    number: str | None
    issuer: str | None
    date: str | None
    title: str | None
    short: str | None
    file: str | None
    loaded: bool
    status: str = Field(description="'đã có toàn văn' or 'chưa có toàn văn'")
    clauses: int
    implements: list[str] = Field(default_factory=list, description="Ids of the documents it implements")
    cites: list[str] = Field(default_factory=list, description="Ids of other documents it refers to")


class OutlineClause(BaseModel):
    id: str
    path: str
    label: str
    heading: str
    kind: str
    depth: int
    parent: str | None
    start: int
    end: int
    text: str


class CitingClause(BaseModel):
    doc_id: str
    doc_number: str | None
    section: str | None = Field(description="Null when the mention sits in the document's header or title")
    label: str
    mention: str = Field(description="The words of the mention, verbatim")
    quote: str
    url: str
    citation: str = Field("", description="Official citation of the citing clause")


class VersionOut(BaseModel):
    key: str
    doc_id: str = Field(description="The id the version was served under")
    name: str
    file: str
    superseded_on: str = Field(description="ISO date it was replaced")
    url: str = Field(description="Its page in the reader")


class DocumentDetail(DocumentSummary):
    header: dict | None = Field(None, description="The header as parsed from the text (loaded documents)")
    warnings: list[str] = Field(default_factory=list)
    outline: list[OutlineClause] = Field(default_factory=list)
    cited_by: list[CitingClause] = Field(default_factory=list,
                                         description="For a catalog-only document: where loaded texts cite it")
    superseded_by: str | None = Field(None, description="Id of the document in service that replaces this one: a new "
                                                         "version uploaded, or a loaded text that says it replaces it")
    superseded_on: str | None = Field(None, description="ISO date of the replacement (of the replacing text when it says so)")
    supersedes: list[str] = Field(default_factory=list, description="Ids of the documents this one replaces")
    amended_by: list[str] = Field(default_factory=list, description="Ids of the loaded documents that amend this one")
    versions: list[VersionOut] = Field(default_factory=list, description="Its earlier versions, latest first")
    version: str | None = Field(None, description="Set when this is an earlier version: its key")


LOADED, NOT_LOADED, SUPERSEDED = "đã có toàn văn", "chưa có toàn văn", "đã được thay thế"


# --- agencies -------------------------------------------------------------------------------


def _jurisdiction(engine: Engine, agency_id: str) -> str:
    a = engine.registry.agencies.get(agency_id)
    return (a.jurisdiction if a else None) or "national"


def agencies_out(engine: Engine) -> list[AgencySummary]:
    out = []
    for d in agency_list(engine):
        names, note = successor_note(engine, d.agency_id)
        gone = not d.active
        out.append(AgencySummary(id=d.agency_id, name=d.name, kind=d.kind, level=d.level, active=d.active,
                                 jurisdiction=_jurisdiction(engine, d.agency_id), tasks=d.count, successors=names if gone else [], successor_note=note if gone else ""))
    return out


def _task_note(engine: Engine, d: Digest, t: Task) -> str:
    doc = engine.documents[t.row.doc_id]
    in_doc = f"tên trong {doc.header.doc_type or 'văn bản'}"
    if t.why in ("predecessor", "partial"):
        chain = engine.matrix.succession_of(t.row, d.agency_id)
        verb = "nay thuộc" if t.why == "predecessor" else "có thể thuộc"
        source = f", theo {chain.source}" if chain and chain.source else ""
        return f"Nhiệm vụ giao cho {t.row.agency_name} ({in_doc}), {verb} {d.name}{source}."
    if t.why == "catch-all":
        return f"Nhiệm vụ giao chung cho “{t.row.agency_name}” ({in_doc})."
    return ""


def _task_out(engine: Engine, d: Digest, t: Task) -> TaskOut:
    clause = engine.clauses[t.row.clause_id]
    c = cite(engine, clause)
    return TaskOut(
        clause_id=clause.id, doc_id=clause.doc_id, doc_number=t.doc_number, section=t.url_path, label=t.label,
        heading=c.heading, roles=t.roles, text=t.row.task, quote=c.quote, start=c.start, end=c.end,
        deadlines=t.deadlines, due=[{k: v for k, v in x.items() if k not in ("start", "end")} for x in t.due],
        reporting=t.reporting, why=t.why, name_in_document=t.row.agency_name, names_in_document=t.names,
        note=_task_note(engine, d, t), url=clause_url(clause), citation=of_clause(engine, clause),
        units=clause_words(engine.documents[clause.doc_id], clause),
    )


def agency_out(engine: Engine, agency_id: str) -> AgencyDigestOut:
    d = digest(engine, agency_id)
    tasks = {id(t): _task_out(engine, d, t) for t in d.tasks}
    dated = events(engine, d)
    for t, due, _ in dated:  # the periodic phrases the calendar reads beyond the ingest's deadlines
        if due.get("text") not in tasks[id(t)].deadlines:
            tasks[id(t)].deadlines.append(due.get("text"))
    return AgencyDigestOut(
        id=d.agency_id, name=d.name, kind=d.kind, level=d.level, active=d.active, tasks=d.count,
        jurisdiction=_jurisdiction(engine, d.agency_id),
        successors=[SuccessionOut(**s) for s in d.successors], predecessors=[SuccessionOut(**p) for p in d.predecessors],
        predecessor_notes=succession_box(d),
        roles=[RoleGroup(role=r, tasks=[tasks[id(t)] for t in ts]) for r, ts in d.by_role.items()],
        deadlines=[tasks[i] for i in dict.fromkeys(id(t) for t, _, _ in dated)],
        reporting=[tasks[id(t)] for t in d.reporting], calendar_events=len(dated),
    )


# --- documents ------------------------------------------------------------------------------


def loaded_summary(engine: Engine, doc: Document) -> DocumentSummary:
    h, e = doc.header, engine.catalog.entries.get(doc.id)
    return DocumentSummary(
        id=doc.id, type=h.doc_type or (e.type if e else None), number=h.number or (e.number if e else None),
        issuer=h.issuer or (e.issuer if e else None), date=h.date or (e.date if e else None),
        title=h.title or (e.title if e else None), short=e.short if e else None, file=doc.file, loaded=True,
        status=LOADED, clauses=len(doc.clauses), implements=e.implements if e else [], cites=e.cites if e else [],
    )


def _catalog_summary(e: Entry) -> DocumentSummary:
    return DocumentSummary(id=e.id, type=e.type, number=e.number, issuer=e.issuer, date=e.date, title=e.title,
                           short=e.short, file=e.file, loaded=False, status=NOT_LOADED, clauses=0,
                           implements=e.implements, cites=e.cites)


def documents_out(engine: Engine) -> list[DocumentSummary]:
    """Loaded documents first, then the catalog entries whose text is not loaded."""
    out = [loaded_summary(engine, d) for d in engine.documents.values()]
    out += [_catalog_summary(e) for e in engine.catalog.entries.values() if e.id not in engine.documents]
    return out


def outline_of(doc: Document) -> list[OutlineClause]:
    return [OutlineClause(id=c.id, path=c.path, label=c.label, heading=c.heading, kind=c.kind, depth=c.depth,
                          parent=c.parent, start=c.start, end=c.end, text=c.text) for c in doc.clauses]


def citing_clauses(engine: Engine, entry: Entry) -> list[CitingClause]:
    """Where the loaded texts mention the document of ``entry`` (by its number)."""
    return [CitingClause(doc_id=c.doc_id, doc_number=c.doc_number, section=c.clause.path if c.clause else None,
                         label=c.clause.label if c.clause else "Phần đầu văn bản", mention=c.mention, quote=c.quote,
                         url=clause_url(c.clause) if c.clause else f"/documents/{c.doc_id}", citation=c.citation)
            for c in citing(engine, entry.id)]


def _version_out(v: versions.Version) -> VersionOut:
    return VersionOut(key=v.key, doc_id=v.doc_id, name=v.name, file=v.file, superseded_on=v.superseded_on, url=v.url)


def _standing(engine: Engine, doc_id: str) -> dict:
    """What replaced or amended a document in service, and what it replaced (texts and uploads)."""
    data_dir = engine.options.data_dir
    status = status_of(engine, doc_id)
    by = status["replaced_by"][0] if status["replaced_by"] else None
    said = [e["to"] for e in graph(engine)["edges"] if e["from"] == doc_id and e["type"] == "replaces"]
    earlier = versions.earlier(data_dir, doc_id)
    return {"superseded_by": by, "superseded_on": engine.documents[by].header.date if by else None,
            "amended_by": status["amended_by"], "supersedes": list(dict.fromkeys(said + [v.doc_id for v in earlier
                                                                                          if v.doc_id != doc_id])),
            "versions": [_version_out(v) for v in earlier]}


def version_out(engine: Engine, doc_id: str, key: str) -> DocumentDetail:
    """An earlier version, as it was served, with the document in service that replaced it."""
    data_dir = engine.options.data_dir
    v = versions.find(data_dir, doc_id, key)
    if v is None:
        raise NotFound(f"Không có phiên bản '{key}' của văn bản '{doc_id}'.")
    doc = versions.document(data_dir, v)
    base = loaded_summary(engine, doc).model_dump() | {"status": SUPERSEDED}
    return DocumentDetail(**base, header=asdict(doc.header), warnings=doc.warnings, outline=outline_of(doc),
                          superseded_by=versions.current_id(data_dir, v.superseded_by, engine.documents),
                          superseded_on=v.superseded_on, version=v.key,
                          versions=[_version_out(o) for o in versions.served_as(data_dir, doc_id) if o.key != key])


def version_document(engine: Engine, d: DocumentDetail) -> Document | None:
    """The text a detail shows: the document in service, or the earlier version's."""
    if d.version is None:
        return engine.documents.get(d.id)
    v = versions.find(engine.options.data_dir, d.id, d.version)
    return versions.document(engine.options.data_dir, v) if v else None


def document_out(engine: Engine, doc_id: str) -> DocumentDetail:
    if doc_id in engine.documents:
        doc = engine.documents[doc_id]
        base = loaded_summary(engine, doc)
        return DocumentDetail(**base.model_dump(), header=asdict(doc.header), warnings=doc.warnings,
                              outline=outline_of(doc), **_standing(engine, doc_id))
    earlier = versions.served_as(engine.options.data_dir, doc_id)
    if earlier:  # replaced by an upload under another name: its last version, marked so
        return version_out(engine, doc_id, earlier[0].key)
    entry = engine.catalog.entries.get(doc_id)
    if entry is None:
        raise NotFound(f"Không có văn bản '{doc_id}' trong chỉ mục hay danh mục văn bản.")
    return DocumentDetail(**_catalog_summary(entry).model_dump(), cited_by=citing_clauses(engine, entry),
                          **_standing(engine, doc_id))


def crossrefs_of(engine: Engine, doc_id: str) -> dict | None:
    """``index.answers.crossref.crossrefs`` when that module exists (None otherwise)."""
    try:
        from index.answers.crossref import crossrefs
    except ModuleNotFoundError as e:
        if e.name != "index.answers.crossref":
            raise
        return None
    return crossrefs(engine, doc_id)


# --- suggestions ----------------------------------------------------------------------------


class Suggestion(BaseModel):
    text: str = Field(description="What to put in the search box")
    kind: str = Field(description="'cơ quan' or 'văn bản'")
    id: str = Field(description="Agency or document id")


class SuggestResponse(BaseModel):
    query: str
    suggestions: list[Suggestion]


def suggest_out(engine: Engine, q: str, limit: int = 10) -> SuggestResponse:
    """Agency names/aliases and document numbers/aliases that contain what was typed
    (``index.answers.suggest``)."""
    return SuggestResponse(query=q, suggestions=[Suggestion(text=t, kind=k, id=i) for t, k, i in suggest(engine, q, limit)])
