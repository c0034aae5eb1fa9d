"""The Vietnamese pages: search (``/`` and ``/?q=…``), agencies, documents, a document's
coverage report, and the records officer's upload form (``/admin/upload``).

Server-rendered with Jinja2 (autoescape on for every template); the small script in
``static/app.js`` only adds suggestions, copy and print buttons, so every page works
without it. The upload form is the exception: it sends the admin token in a request
header, so ``static/upload.js`` drives it. Query words are highlighted by folding both
the text and the query (case and diacritics ignored) and wrapping the matches in
``<mark>`` *after* escaping.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape

from index.answers.answer import Answer
from index.answers.answer import ask as answer
from index.answers.citation import citations_of, copy_text, dmy, doc_name, of_clause, of_document
from index.answers.digest import agency_id_of, successor_note
from index.engine import Engine, Hit
from index.errors import TracuuError
from index.retrieval.query import MAX_QUERY_CHARS, analyze
from ingest.normalize import collapse_spaces, fold, folded
from ingest.stopwords import HIGHLIGHT
from service.api import EngineDep, SettingsDep
from service.coverage import coverage_out, coverage_view
from service.reader import linked, reader_links
from service.schemas import clause_url
from service.views import (
    agencies_out,
    agency_out,
    crossrefs_of,
    document_out,
    documents_out,
    version_document,
    version_out,
)

TEMPLATES = Path(__file__).parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True)
_env.globals["max_query_chars"] = MAX_QUERY_CHARS  # the search box's maxlength is the API's limit
templates = Jinja2Templates(env=_env)
router = APIRouter(include_in_schema=False)

EXAMPLES = ["Sở nào bố trí kinh phí?", "Sở KH&CN phải làm gì?", "so nao bo tri kinh phi", "Nghị quyết 36-NQ/TW"]
RESULT_CHARS = 700

# Words too common to highlight on their own (folded): question words and function words.
_STOP = HIGHLIGHT  # ingest.stopwords
_WORD = re.compile(r"\w+")


# --- highlighting ---------------------------------------------------------------------------


def _folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """``text`` folded, combining marks dropped; ``offsets[i]`` is the source index of char i."""
    chars, offsets = [], []
    for i, ch in enumerate(text):
        if unicodedata.combining(ch):
            continue
        chars.append(ch)
        offsets.append(i)
    offsets.append(len(text))
    return fold("".join(chars)), offsets


def query_words(query: str) -> tuple[set[str], set[tuple[str, str]]]:
    """Single words worth highlighting alone, and the query's word pairs (folded)."""
    words = _WORD.findall(folded(query))
    singles = {w for w in words if w not in _STOP and len(w) >= 5}
    pairs = {(a, b) for a, b in zip(words, words[1:]) if not (a in _STOP and b in _STOP)}
    return singles, pairs


def highlight(text: str, query: str | None) -> Markup:
    """Escaped ``text`` with the query's words (pairs, or long single words) in ``<mark>``.

    >>> str(highlight("Sở Tài chính bố trí kinh phí <b>", "so nao bo tri kinh phi"))
    'Sở Tài chính <mark>bố trí kinh phí</mark> &lt;b&gt;'
    """
    if not query:
        return Markup(escape(text))
    singles, pairs = query_words(query)
    folded, offsets = _folded_with_offsets(text)
    words = list(_WORD.finditer(folded))
    marked = [w.group() in singles for w in words]
    for i in range(len(words) - 1):
        if (words[i].group(), words[i + 1].group()) in pairs and not folded[words[i].end():words[i + 1].start()].strip():
            marked[i] = marked[i + 1] = True
    spans: list[list[int]] = []
    for w, m in zip(words, marked):
        if not m:
            continue
        if spans and not folded[spans[-1][1]:w.start()].strip() and "\n" not in folded[spans[-1][1]:w.start()]:
            spans[-1][1] = w.end()
        else:
            spans.append([w.start(), w.end()])
    out, pos = [], 0
    for s, e in spans:
        a, b = offsets[s], offsets[e]
        out += [escape(text[pos:a]), Markup("<mark>"), escape(text[a:b]), Markup("</mark>")]
        pos = b
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def mark_exact(text: str, needle: str) -> Markup:
    """Escaped ``text`` with the first verbatim occurrence of ``needle`` in ``<mark>``."""
    i = text.find(needle) if needle else -1
    if i == -1:
        return Markup(escape(text))
    return Markup("").join([escape(text[:i]), Markup("<mark>"), escape(needle), Markup("</mark>"),
                            escape(text[i + len(needle):])])


_EXCEPTION_NAME = re.compile(r"\s*\((?:[A-Z][a-z]+){2,}\)|\s*\([A-Za-z]*(?:Error|Exception)\)")


def plain_message(text: str) -> str:
    """A message for staff without the name of a program's exception.

    >>> plain_message("tệp .docx bị hỏng (BadZipFile)"), plain_message("Sở Y tế (Sở Y Tế)")
    ('tệp .docx bị hỏng', 'Sở Y tế (Sở Y Tế)')
    """
    return _EXCEPTION_NAME.sub("", text)


_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def iso_dates_read(text: str) -> str:
    """Dates as staff read them: "từ 2025-02-28" → "từ 28/02/2025".

    >>> iso_dates_read("nay thuộc Sở Tài chính từ 2025-02-28, theo …")
    'nay thuộc Sở Tài chính từ 28/02/2025, theo …'
    """
    return _ISO_DATE.sub(lambda m: f"{m[3]}/{m[2]}/{m[1]}", text)


_env.filters["highlight"] = highlight
_env.filters["linked"] = linked
_env.filters["mark_exact"] = mark_exact
_env.filters["dmy"] = dmy
_env.filters["plain"] = plain_message
_env.filters["capitalize_first"] = lambda s: s[:1].upper() + s[1:]  # Jinja's ``capitalize`` lowers the rest


# --- helpers for the templates --------------------------------------------------------------


def display_text(text: str) -> str:
    """A clause's own text for reading: blank lines and indentation dropped (quotes stay verbatim)."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _answer_view(engine: Engine, a: Answer) -> dict:
    agencies: dict[str, dict] = {}  # one entry per agency, with every role it has in the answer
    for name, role in a.agencies:
        if name not in agencies:
            found = a.ids.get(name) or getattr(engine.registry.resolve(name), "id", None)
            agencies[name] = {"name": name, "roles": [], "id": found}
        if role not in agencies[name]["roles"]:
            agencies[name]["roles"].append(role)
    for entry in agencies.values():  # an agency that no longer exists: who holds its tasks today
        gone = engine.registry.agencies.get(entry["id"]) if entry["id"] else None
        entry["now"] = [(s.to_id, engine.registry.agencies[s.to_id].name)
                        for s in engine.registry.successors(gone.id)] if gone is not None and not gone.active else []
    succession = [f"{e['name']} không còn: {successor_note(engine, e['id'])[1]}." for e in agencies.values() if e["now"]]
    cites = []
    for c in a.citations:  # "copy_text", not "copy": in the template, ``c.copy`` would be the dict's method
        official = of_clause(engine, c.clause)
        cites.append({"url": clause_url(c.clause), "label": c.clause.label, "section": c.clause.path, "quote": c.quote,
                      "heading": c.heading, "doc": doc_name(engine, c.clause.doc_id), "citation": official,
                      "copy_text": copy_text(official, c.clause, c.quote)})
    # the extractive text may already say a note
    notes = [iso_dates_read(n) for n in dict.fromkeys([*succession, *a.notes]) if n not in a.text]
    return {"text": iso_dates_read(a.text), "supported": a.supported, "kind": a.kind, "agencies": list(agencies.values()),
            "citations": cites, "notes": notes}


def _result_view(engine: Engine, h: Hit) -> dict:
    text = collapse_spaces(h.clause.text)
    return {"url": clause_url(h.clause), "label": h.clause.label, "heading": h.clause.heading,
            "doc": doc_name(engine, h.clause.doc_id), "agencies": engine.agencies_of(h.clause),
            "citation": of_clause(engine, h.clause),
            "text": text if len(text) <= RESULT_CHARS else text[:RESULT_CHARS].rsplit(" ", 1)[0] + " …"}


_XREF_GROUPS = (("replaced_by", "from", "Bị thay thế bởi"), ("amended_by", "from", "Được sửa đổi, bổ sung bởi"),
                ("replaces", "to", "Thay thế"), ("amends", "to", "Sửa đổi, bổ sung"),
                ("implements", "to", "Thực hiện"), ("cites", "to", "Dẫn chiếu"),
                ("implemented_by", "from", "Được thực hiện bởi"), ("cited_by", "from", "Được dẫn chiếu bởi"))


def _short_path(path: str) -> str:
    return "Mở đầu" if path == "preamble" else path


def crossref_view(engine: Engine, doc_id: str, data: dict | None) -> dict | None:
    """The sidebar's links from ``index.answers.crossref.crossrefs``: related documents, each with the
    clauses where the link is stated, and the clauses aligned with a higher document."""
    if not data:
        return None
    groups = []
    for key, end, title in _XREF_GROUPS:
        links = []
        for e in data.get(key) or []:
            other = e.get(end)
            clauses = [engine.clauses[c] for c in (e.get("clauses") or []) if c in engine.clauses]
            links.append({"id": other, "name": doc_name(engine, other), "loaded": other in engine.documents,
                          "clauses": [(_short_path(c.path), clause_url(c), c.label) for c in clauses]})
        if links:
            groups.append({"title": title, "links": links})
    aligned = [{"label": a.get("label") or a.get("section"), "url": f"#{a.get('section')}",
                "target": f"{doc_name(engine, a.get('target_doc'))}, {a.get('target_label') or a.get('target_section')}",
                "target_url": f"/documents/{a.get('target_doc')}#{a.get('target_section')}"}
               for a in data.get("alignments") or [] if a.get("section") and a.get("target_doc")]
    return {"groups": groups, "aligned": aligned} if groups or aligned else None


def render(request: Request, name: str, status_code: int = 200, headers: dict | None = None, **ctx) -> HTMLResponse:
    return templates.TemplateResponse(request, name, ctx, status_code=status_code, headers=headers)


def render_error(request: Request, status: int, message: str, headers: dict | None = None) -> HTMLResponse:
    return render(request, "error.html", status, headers, status=status, message=message)


# --- pages ----------------------------------------------------------------------------------


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)  # HEAD: uptime checks
def home(request: Request, engine: EngineDep, settings: SettingsDep, q: str | None = None, doc: str | None = None,
         agency: str | None = None, section: str | None = None) -> HTMLResponse:
    """The search page; ``/?q=…`` renders that question's answer and results (bookmarkable).
    The answer is the one ``/api/ask`` gives, reworded by the configured phraser if any; both
    obey the filters (a document, a section, an agency)."""
    filters = {"doc": doc or "", "agency": agency or "", "section": (section or "").strip()}
    ctx = {"q": q or "", "filters": filters, "examples": EXAMPLES, "message": None, "answer": None, "results": None,
           "doc_options": [(d, doc_name(engine, d)) for d in engine.documents],
           "agency_options": [(a.id, a.name) for a in agencies_out(engine)]}
    if q is None or q == "":
        return render(request, "search.html", **ctx)
    try:
        where = {"doc": filters["doc"] or None, "section": filters["section"] or None,
                 "agency": agency_id_of(engine, filters["agency"])}  # an unknown agency: 404, before any answer
        query = analyze(q)  # one analysis (and one query embedding) for the answer and the list
        ctx["answer"] = _answer_view(engine, answer(engine, query, settings.phraser(), **where))
        ctx["results"] = [_result_view(engine, h) for h in engine.search(query, 10, **where)]
    except TracuuError as e:
        if e.status >= 500:
            raise
        ctx["message"] = str(e)
        return render(request, "search.html", e.status, **ctx)
    return render(request, "search.html", **ctx)


@router.get("/agencies", response_class=HTMLResponse)
def agencies_page(request: Request, engine: EngineDep) -> HTMLResponse:
    return render(request, "agencies.html", agencies=agencies_out(engine))


@router.get("/agencies/{agency_id}", response_class=HTMLResponse)
def agency_page(request: Request, engine: EngineDep, agency_id: str) -> HTMLResponse:
    d = agency_out(engine, agency_id)
    docs = {t.doc_id: doc_name(engine, t.doc_id) for g in d.roles for t in g.tasks}
    copies = {t.clause_id: copy_text(t.citation, engine.clauses[t.clause_id], t.quote) for g in d.roles for t in g.tasks}
    return render(request, "agency.html", a=d, docs=docs, copies=copies)


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, engine: EngineDep) -> HTMLResponse:
    return render(request, "documents.html", documents=documents_out(engine))


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, engine: EngineDep, doc_id: str) -> HTMLResponse:
    return _reader(request, engine, document_out(engine, doc_id))


@router.get("/documents/{doc_id}/phien-ban/{key}", response_class=HTMLResponse)
def version_page(request: Request, engine: EngineDep, doc_id: str, key: str) -> HTMLResponse:
    """An earlier version of a document, marked as replaced, with a link to the one in service."""
    return _reader(request, engine, version_out(engine, doc_id, key))


def _reader(request: Request, engine: Engine, d) -> HTMLResponse:
    """The reader: the text clause by clause, mentions of known documents linked, its links
    to other documents, and what replaced or amended it."""
    doc = version_document(engine, d)
    clauses = [{"path": c.path, "label": c.label, "kind": c.kind, "depth": c.depth, "heading": c.heading,
                "text": display_text(c.own_text), "clause": c} for c in doc.clauses] if doc else []
    cited = citations_of(doc, engine.catalog.entries.get(d.id)) if doc else {}
    links = reader_links(engine, doc) if doc else {}
    for c in clauses:  # a section's heading line is set apart from the paragraphs under it
        c["head"], _, c["body"] = c["text"].partition("\n") if c["kind"] == "section" else ("", "", c["text"])
        c["citation"] = cited.get(c["path"], "")
        c["links"] = links.get(c["clause"].id, [])
        quote = collapse_spaces(c["clause"].own_text)  # the "trích dẫn" action: the citation and the clause's words
        c["copy_text"] = copy_text(c["citation"], c["clause"], quote) if quote and c["citation"] else ""  # not "copy"
    xref = None if d.version else crossref_view(engine, d.id, crossrefs_of(engine, d.id))
    related = [] if xref else [(rel, i, doc_name(engine, i)) for rel, ids in (("Thực hiện", d.implements),
                                                                                ("Dẫn chiếu", d.cites)) for i in ids]
    names = {i: doc_name(engine, i) for i in [c.doc_id for c in d.cited_by] + d.amended_by + d.supersedes
             + ([d.superseded_by] if d.superseded_by else [])}
    return render(request, "document.html", d=d, clauses=clauses, related=related, xref=xref, names=names,
                  citation=of_document(engine, d.id) if not d.version else "")


@router.get("/documents/{doc_id}/coverage", response_class=HTMLResponse)
def coverage_page(request: Request, engine: EngineDep, doc_id: str) -> HTMLResponse:
    """"Báo cáo mức độ bao phủ": the page twin of ``/api/coverage`` (same data, with links)."""
    cov = coverage_out(engine, doc_id)
    return render(request, "coverage.html", d=document_out(engine, doc_id), cov=cov, v=coverage_view(engine, cov),
                  xlsx=f"/api/coverage.xlsx?doc={quote(doc_id)}")


@router.get("/admin/upload", response_class=HTMLResponse)
def upload_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    """The records officer's form: preview a file, then add it (``static/upload.js`` calls the API).
    The token is typed into the page and kept in sessionStorage; the server never puts it in the page."""
    enabled = bool(settings.admin_token and settings.admin_token.get_secret_value())
    return render(request, "upload.html", enabled=enabled, max_mb=settings.max_upload_mb)
