"""The JSON API (DESIGN.md, "Contract"): search, ask, agencies, documents, cross-references,
the coverage report (JSON and XLSX), the responsibility matrix, suggestions, and
``/healthz``; uploads are in ``service.uploads``.

Endpoints are plain ``def`` so FastAPI runs them in its thread pool: search and answer
are CPU work. The engine comes from ``EngineDep`` (the app's ``EngineSlot``, swapped when a
new index generation is published). Errors are raised, never caught here: the app's one
handler turns them into ``{"detail": "<Vietnamese message>"}`` with the right status.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, Security
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AfterValidator, BaseModel
from pydantic_core import PydanticCustomError

from index.answers.answer import ask as answer
from index.answers.digest import agency_id_of
from index.engine import Engine
from index.errors import NotFound, TracuuError
from index.retrieval.query import MAX_QUERY_CHARS
from service.coverage import XLSX_TYPE, coverage_out, require_document, xlsx_disposition
from service.schemas import AskResponse, SearchResponse, ask_out, search_out
from service.settings import Settings
from service.state import EngineSlot
from service.views import (
    AgencyDigestOut,
    AgencySummary,
    DocumentDetail,
    DocumentSummary,
    SuggestResponse,
    agencies_out,
    agency_out,
    crossrefs_of,
    document_out,
    documents_out,
    suggest_out,
)


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_slot(request: Request) -> EngineSlot:
    return request.app.state.engines


SlotDep = Annotated[EngineSlot, Depends(get_slot)]


def get_engine(slot: SlotDep) -> Engine:
    """The app's engine in service (a new generation is opened beside it, then swapped in)."""
    return slot.get()


EngineDep = Annotated[Engine, Depends(get_engine)]


bearer = HTTPBearer(auto_error=False, scheme_name="adminToken",
                    description="The admin token (TRACUU_ADMIN_TOKEN): `Authorization: Bearer <token>`.")


def require_admin(settings: SettingsDep,
                  credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]) -> None:
    """``Authorization: Bearer <TRACUU_ADMIN_TOKEN>``; write endpoints are off without a token."""
    token = settings.admin_token.get_secret_value() if settings.admin_token else ""
    if not token:
        raise HTTPException(403, "Chức năng cập nhật văn bản chưa bật (chưa cấu hình TRACUU_ADMIN_TOKEN).")
    if credentials is None:
        raise HTTPException(401, "Cần mã quản trị: gửi tiêu đề 'Authorization: Bearer <mã>'.",
                            headers={"WWW-Authenticate": "Bearer"})
    if not secrets.compare_digest(credentials.credentials.strip().encode(), token.encode()):
        raise HTTPException(403, "Mã quản trị không đúng.")


def has_word(q: str) -> str:
    """A query needs a letter or a digit, in any script. Checked here rather than by a schema
    ``pattern``: JSON Schema reads ``\\w`` and ``\\W`` as ASCII, so ``[^\\W_]`` would refuse "đ"."""
    if not any(ch.isalnum() for ch in q):
        raise PydanticCustomError("no_word", "the query has no letter or digit")
    return q


AdminDep = Annotated[None, Depends(require_admin)]
QueryText = Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS,
                                 description=f"Câu hỏi hoặc từ khóa: 1–{MAX_QUERY_CHARS} ký tự, có ít nhất một chữ hoặc số"),
                      AfterValidator(has_word)]

class ErrorOut(BaseModel):
    detail: str  # a Vietnamese sentence


def errors(*codes: int) -> dict:
    return {c: {"model": ErrorOut} for c in codes}


router = APIRouter(prefix="/api", tags=["api"], responses=errors(404, 422, 503))
health = APIRouter(tags=["health"])


@health.get("/healthz", responses={503: {"description": "No index can be opened: {\"status\": \"unavailable\", \"detail\": …}"}})
def healthz(slot: SlotDep) -> JSONResponse:
    """Ready: the generation in service and its size; ``"status": "empty"`` while no document
    is indexed yet (a fresh install: uploads work). 503 (JSON) when the index cannot be opened."""
    try:
        engine = slot.get()
    except TracuuError as e:
        return JSONResponse({"status": "unavailable", "detail": str(e)}, status_code=e.status if e.status >= 500 else 503)
    body = {"status": "ok" if engine.documents else "empty", "generation": engine.generation,
            "documents": len(engine.documents), "clauses": len(engine.clauses)}
    if not engine.documents:
        body["detail"] = "Chỉ mục chưa có văn bản nào: hãy nạp văn bản (tracuu ingest, hoặc trang /admin/upload)."
    if slot.error:  # a newer generation failed to open: this one keeps serving
        body["reload_error"] = slot.error
    return JSONResponse(body)


@router.get("/search", response_model=SearchResponse)
def search(engine: EngineDep, q: QueryText, k: Annotated[int, Query(ge=1, le=50)] = 10,
           doc: str | None = None, section: str | None = None, agency: str | None = None) -> SearchResponse:
    """The best clauses for a query (hybrid BM25 + dense), optionally within a document,
    a section path prefix ("III", "III.8") or the tasks of an agency (id or name)."""
    hits = engine.search(q, k, doc=doc or None, section=section or None, agency=agency_id_of(engine, agency))
    return search_out(q, hits, engine.agencies_of)


@router.get("/ask", response_model=AskResponse)
def ask(engine: EngineDep, settings: SettingsDep, q: QueryText, doc: str | None = None,
        section: str | None = None, agency: str | None = None) -> AskResponse:
    """An extractive answer: the responsible agency and role, then verbatim citations
    (reworded by the configured OpenAI-compatible endpoint, if any, after checking);
    optionally from one document, within a section path prefix ("III", "III.8"), or from
    the tasks of one agency (id or name), as ``/api/search`` filters."""
    return ask_out(answer(engine, q, settings.phraser(), doc=doc or None, section=(section or "").strip() or None,
                          agency=agency_id_of(engine, agency)), engine)


@router.get("/suggest", response_model=SuggestResponse)
def suggest(engine: EngineDep, q: Annotated[str, Query(max_length=100)] = "") -> SuggestResponse:
    """Agency names and document numbers matching what is typed (for the search box)."""
    return suggest_out(engine, q)


@router.get("/agencies", response_model=list[AgencySummary])
def agencies(engine: EngineDep) -> list[AgencySummary]:
    """Agencies with tasks in the loaded documents, most tasks first."""
    return agencies_out(engine)


@router.get("/agencies/{agency_id}.ics", response_class=Response)
def agency_calendar(engine: EngineDep, request: Request, agency_id: str) -> Response:
    """The agency's dated tasks and periodic reports as an iCalendar feed, to subscribe to."""
    from index.answers.calendar import agency_calendar as ics

    return Response(ics(engine, agency_id, str(request.base_url).rstrip("/")), media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{agency_id}.ics"'})


@router.get("/agencies/{agency_id}", response_model=AgencyDigestOut)
def agency(engine: EngineDep, agency_id: str) -> AgencyDigestOut:
    """One agency's digest: tasks by role (own, inherited, catch-all), deadlines, reporting duties."""
    return agency_out(engine, agency_id)


@router.get("/documents", response_model=list[DocumentSummary])
def documents(engine: EngineDep) -> list[DocumentSummary]:
    """Loaded documents, then catalog documents whose text is not loaded yet."""
    return documents_out(engine)


@router.get("/documents/{doc_id}", response_model=DocumentDetail)
def document(engine: EngineDep, doc_id: str) -> DocumentDetail:
    """Header and outline; for a catalog-only document, its metadata and the clauses citing it."""
    return document_out(engine, doc_id)


@router.get("/crossrefs", responses=errors(501))
def crossrefs(engine: EngineDep, doc: Annotated[str, Query(max_length=200)]) -> dict:
    """The documents and clauses a document is linked to (``index.answers.crossref``)."""
    if doc not in engine.documents and doc not in engine.catalog.entries:
        raise NotFound(f"Không có văn bản '{doc}'.")
    out = crossrefs_of(engine, doc)
    if out is None:
        raise HTTPException(501, "Chức năng liên kết văn bản chưa sẵn sàng trên máy chủ này.")
    return out


@router.get("/coverage")
def coverage(engine: EngineDep, doc: Annotated[str, Query(max_length=200)]) -> dict:
    """The coverage report (``index.answers.crossref.coverage``): clauses of the loaded higher documents
    that nothing implements, tasks without a lead agency, items without a deadline, agencies
    without a reporting duty; plus ``loaded`` and ``not_loaded`` (related documents without text,
    whose coverage cannot be computed)."""
    return coverage_out(engine, doc)


@router.get("/coverage.xlsx", response_class=Response)
def coverage_xlsx(engine: EngineDep, doc: Annotated[str, Query(max_length=200)]) -> Response:
    """The coverage report as a workbook, one sheet per finding (``index.answers.export.coverage_xlsx``)."""
    from index.answers.export import coverage_xlsx as workbook

    require_document(engine, doc)
    return Response(workbook(engine, doc), media_type=XLSX_TYPE,
                    headers={"Content-Disposition": xlsx_disposition(engine, doc)})


@router.get("/export.xlsx", response_class=Response)
def export_xlsx(engine: EngineDep) -> Response:
    """The responsibility matrix (agency × task × role × deadline × clause) as XLSX."""
    from index.answers.export import matrix_xlsx

    return Response(matrix_xlsx(engine), media_type=XLSX_TYPE,
                    headers={"Content-Disposition": 'attachment; filename="ma-tran-trach-nhiem.xlsx"'})


@router.get("/export.csv", response_class=Response)
def export_csv(engine: EngineDep) -> Response:
    """The responsibility matrix as CSV (UTF-8 with BOM, so spreadsheet programs read the accents)."""
    from index.answers.export import matrix_csv

    return Response(matrix_csv(engine).encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="ma-tran-trach-nhiem.csv"'})
