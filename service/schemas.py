"""Response models of the public contract (DESIGN.md), shared by the API and ``--json``.

They are built from the engine's internal objects by the ``*_out`` functions below, so
the CLI and the HTTP API cannot drift apart.
"""

from __future__ import annotations

from urllib.parse import quote

from pydantic import BaseModel, Field

from index.agencies import jurisdiction_of, place_of
from index.answers.answer import Answer
from index.answers.citation import of_clause
from index.engine import Hit
from ingest.models import Clause


class SearchResult(BaseModel):
    id: str = Field(description="Clause id: <doc_id>#<section path>")
    doc_id: str
    doc_number: str | None
    section: str = Field(description="Section path, e.g. III.8 or III.1/3")
    label: str = Field(description="Human form, e.g. 'Mục III, điểm 8'")
    heading: str
    text: str = Field(description="The clause, verbatim from the source")
    score: float
    agencies: list[str] = Field(description="Agencies responsible for this clause (names as the document writes them)")
    jurisdictions: list[str] = Field(default_factory=list, description="Each agency's province or city as of the "
                                     "document (the document's place), or 'national'; in the order of agencies")
    url: str


class SearchResponse(BaseModel):
    query: str
    results: list[SearchResult]


class AgencyRole(BaseModel):
    name: str
    role: str
    id: str | None = Field(None, description="The agency's id (its page: /agencies/{id}), when known")
    jurisdiction: str | None = Field(None, description="The agency's province or city (today's, for an agency of the "
                                     "registry), or 'national', when known")


class Citation(BaseModel):
    doc_id: str
    doc_number: str | None
    section: str
    label: str
    heading: str = Field(description="The clause's heading; for a bullet or point, the heading of the item it sits "
                                     "under (whose task it is: '8. Sở Tài chính')")
    quote: str = Field(description="Verbatim text of the source at [start, end)")
    start: int
    end: int
    url: str
    citation: str = Field("", description="Official citation: 'điểm a khoản 2 Mục III Kế hoạch số …/KH-UBND ngày … "
                                          "tháng 4 năm 2024 của UBND tỉnh Bình Thuận' (empty only when built without "
                                          "the engine)")


class AskResponse(BaseModel):
    question: str
    answer: str
    agencies: list[AgencyRole] = Field(description="agencies[0] is the responsible agency when the question asks who")
    citations: list[Citation] = Field(description="citations[0] is the best clause")
    supported: bool = Field(True, description="False when no clause supports an answer (citations are the nearest)")
    notes: list[str] = Field(default_factory=list, description="Succession notes, phrasing notes")


def clause_url(c: Clause) -> str:
    return f"/documents/{quote(c.doc_id)}#{quote(c.path, safe='/.')}"


def search_out(query: str, hits: list[Hit], agencies_of) -> SearchResponse:
    results = [
        SearchResult(
            id=h.clause.id, doc_id=h.clause.doc_id, doc_number=h.doc.header.number, section=h.clause.path,
            label=h.clause.label, heading=h.clause.heading or _parent_heading(h), text=h.clause.text,
            score=round(h.score, 6), agencies=(names := agencies_of(h.clause)),
            jurisdictions=[jurisdiction_of(n, place_of(h.doc)) for n in names], url=clause_url(h.clause),
        )
        for h in hits
    ]
    return SearchResponse(query=query, results=results)


def _parent_heading(h: Hit) -> str:
    return h.unit.get("context", "").rsplit(" › ", 1)[-1] if h.unit else ""


def ask_out(a: Answer, engine=None) -> AskResponse:
    """``engine``: to name each citation's document officially (``citation``)."""
    return AskResponse(
        question=a.question,
        answer=a.text,
        agencies=[AgencyRole(name=n, role=r, id=a.ids.get(n), jurisdiction=a.places.get(n)) for n, r in a.agencies],
        citations=[
            Citation(doc_id=c.clause.doc_id, doc_number=c.doc_number, section=c.clause.path, label=c.clause.label,
                     heading=c.clause.heading or c.heading, quote=c.quote, start=c.start, end=c.end, url=clause_url(c.clause),
                     citation=of_clause(engine, c.clause) if engine is not None else "")
            for c in a.citations
        ],
        supported=a.supported,
        notes=a.notes,
    )
