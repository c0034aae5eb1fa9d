"""The coverage report of a document, shared by ``/api/coverage``, its XLSX twin and the page.

``index.answers.crossref.coverage`` says which task clauses of the *loaded* higher documents no
clause of the document implements, and which of the document's own tasks lack a lead
agency, a deadline or a reporting duty. It is silent about higher documents whose text
is not loaded, which is the usual case here (only the plan's text is on these machines):
an empty "uncovered" list would then read as "everything is covered". So
``coverage_out`` adds, next to the engine's report unchanged, whether the document itself
is loaded and which related documents have no text yet. ``coverage_view`` turns clause
ids into labels, headings and links for the page.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from index.answers.citation import doc_name
from index.engine import Engine
from index.errors import NotFound
from service.schemas import clause_url

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RELATIONS = {"implements": "văn bản được thực hiện", "cites": "văn bản được dẫn chiếu"}


def require_document(engine: Engine, doc_id: str) -> None:
    """404 unless the id is a loaded document or a catalog entry."""
    if doc_id not in engine.documents and doc_id not in engine.catalog.entries:
        raise NotFound(f"Không có văn bản '{doc_id}' trong chỉ mục hay danh mục văn bản.")


def not_loaded_related(engine: Engine, doc_id: str) -> list[dict]:
    """Documents ``doc_id`` implements or cites whose text is not loaded (implements first)."""
    from index.answers.graph import graph

    edges = [e for e in graph(engine)["edges"] if e["from"] == doc_id and e["to"] not in engine.documents]
    out: dict[str, dict] = {}
    for e in sorted(edges, key=lambda e: e["type"] != "implements"):
        entry = engine.catalog.entries.get(e["to"])
        out.setdefault(e["to"], {"id": e["to"], "relation": e["type"], "name": doc_name(engine, e["to"]),
                                 "number": entry.number if entry else None})
    return list(out.values())


def coverage_out(engine: Engine, doc_id: str) -> dict:
    """``index.answers.crossref.coverage`` as it is, plus ``loaded`` and ``not_loaded`` (see above)."""
    from index.answers.crossref import coverage

    require_document(engine, doc_id)
    out = coverage(engine, doc_id)
    out["loaded"] = doc_id in engine.documents
    out["not_loaded"] = not_loaded_related(engine, doc_id)
    return out


def _clause_row(engine: Engine, clause_id: str, fallback: dict | None = None) -> dict:
    c = engine.clauses.get(clause_id)
    if c is None:  # not expected; show what the report gave rather than fail
        f = fallback or {}
        return {"label": f.get("label") or clause_id, "heading": f.get("heading", ""), "url": None}
    return {"label": c.label, "heading": c.heading, "url": clause_url(c)}


def coverage_view(engine: Engine, cov: dict) -> dict:
    """What the page shows: every finding with its label, heading and link (in document order)."""
    def where(clause_id: str) -> tuple[str, int]:
        c = engine.clauses.get(clause_id)
        return (c.doc_id, c.start) if c else (clause_id, 0)

    uncovered = []
    for h in cov["higher"]:
        items = [_clause_row(engine, u["clause"], u) for u in cov["uncovered"] if u["doc_id"] == h]
        uncovered.append({"id": h, "name": doc_name(engine, h), "items": items})
    agencies = []
    for name in cov["agencies_without_reporting"]:
        a = engine.registry.resolve(name)
        agencies.append({"name": name, "id": a.id if a else None})
    not_loaded = [r | {"relation_label": RELATIONS.get(r["relation"], r["relation"])} for r in cov["not_loaded"]]
    return {
        "uncovered": uncovered,
        "not_loaded": not_loaded,
        "no_agency": [_clause_row(engine, t["clause"], t) for t in cov["tasks_without_agency"]],
        "no_deadline": [_clause_row(engine, cid) for cid in sorted(cov["items_without_deadline"], key=where)],
        "no_report": agencies,
    }


def xlsx_disposition(engine: Engine, doc_id: str) -> str:
    """``attachment`` with an ASCII ``filename`` and the Vietnamese name in RFC 5987 ``filename*``."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", f"bao-cao-bao-phu-{doc_id}").strip("-") + ".xlsx"
    readable = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", f"Báo cáo mức độ bao phủ - {doc_name(engine, doc_id)}")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(readable + '.xlsx', safe='')}"
