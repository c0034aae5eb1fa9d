"""tracuu inside LlamaIndex applications (``pip install 'tracuu[llama]'``).

- ``TracuuRetriever``: a ``BaseRetriever`` whose nodes are clauses, verbatim: ``id_`` is the
  clause id, ``text`` the clause as the source writes it, ``start_char_idx`` / ``end_char_idx``
  its offsets in the source, ``metadata`` the document (number, issuer, type, date), the section
  path and label, the agencies with their roles, the deadlines, the official citation when the
  index gives one, and the URL; relationships SOURCE (the document) and PARENT (the enclosing clause).
- ``TracuuQueryEngine``: a ``BaseQueryEngine`` whose ``Response`` is tracuu's extractive answer:
  the text of ``/api/ask``, its citations in order as ``source_nodes``, the responsible agency
  and its role in ``metadata``. No language model is asked anything.
- ``evaluate_retriever``: LlamaIndex's ``RetrieverEvaluator`` (hit rate, MRR) over a
  ``TracuuRetriever``, for ``tracuu eval``.

Both work over an engine in this process (``index.engine.Engine``) or over a running tracuu
server (its URL and, where a proxy asks for one, a bearer token). LlamaIndex ``MetadataFilters``
map onto tracuu's filters: ``doc_id`` (one document), ``section`` (a section path and what is
under it: "III", "III.8") and ``agency`` (an agency's tasks: its id or name), each with ``==``,
joined by AND; any other key, operator or condition is refused with a clear error.

Nothing here runs at import of the service: only code that imports this module loads llama-index.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import httpx

from index.errors import BadQuery, MissingExtra, TracuuError

try:
    import llama_index.core  # noqa: F401
except ImportError as e:
    raise MissingExtra("Tích hợp LlamaIndex cần gói llama-index-core: pip install 'tracuu[llama]'") from e
from llama_index.core.base.base_query_engine import BaseQueryEngine
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.response.schema import Response
from llama_index.core.callbacks import CallbackManager
from llama_index.core.evaluation import RetrieverEvaluator
from llama_index.core.schema import NodeRelationship, NodeWithScore, ObjectType, QueryBundle, RelatedNodeInfo, TextNode
from llama_index.core.vector_stores.types import FilterCondition, FilterOperator, MetadataFilter, MetadataFilters

MAX_REMOTE_K = 50  # /api/search's own limit
FILTER_KEYS = {"doc_id": "doc", "section": "section", "agency": "agency"}


class UnsupportedFilter(BadQuery):
    """A LlamaIndex filter that has no meaning for tracuu's document / section / agency filters."""


class ServerError(TracuuError):
    """The tracuu server could not be reached or refused the request; the message says which."""


@dataclass(frozen=True)
class Scope:
    """tracuu's filters: one document, a section path prefix, one agency's tasks (id or name)."""

    doc: str | None = None
    section: str | None = None
    agency: str | None = None


def scope_of(filters: MetadataFilters | None) -> Scope:
    """tracuu's filters for LlamaIndex ``filters``; ``UnsupportedFilter`` for what has no meaning here."""
    if filters is None or not filters.filters:
        return Scope()
    if filters.condition not in (None, FilterCondition.AND) and len(filters.filters) > 1:
        raise UnsupportedFilter(f"tracuu chỉ kết hợp các bộ lọc bằng AND, không hỗ trợ điều kiện "
                                f"'{filters.condition.value}'.")
    if filters.condition == FilterCondition.NOT:
        raise UnsupportedFilter("tracuu không hỗ trợ điều kiện phủ định (NOT) trên bộ lọc.")
    found: dict[str, str] = {}
    for f in filters.filters:
        if not isinstance(f, MetadataFilter):
            raise UnsupportedFilter("tracuu không hỗ trợ bộ lọc lồng nhau: hãy dùng một danh sách bộ lọc phẳng.")
        if f.key not in FILTER_KEYS:
            raise UnsupportedFilter(f"Không lọc được theo '{f.key}': tracuu lọc theo "
                                    f"{', '.join(FILTER_KEYS)}.")
        if f.operator != FilterOperator.EQ:
            raise UnsupportedFilter(f"Bộ lọc '{f.key}' chỉ nhận phép so sánh '==', không nhận "
                                    f"'{f.operator.value}'.")
        if not isinstance(f.value, str) or not f.value.strip():
            raise UnsupportedFilter(f"Giá trị của bộ lọc '{f.key}' phải là một chuỗi khác rỗng.")
        if f.key in found:
            raise UnsupportedFilter(f"Bộ lọc '{f.key}' chỉ được đặt một lần.")
        found[f.key] = f.value.strip()
    return Scope(**{FILTER_KEYS[k]: v for k, v in found.items()})


# --- where the clauses come from: this process's engine, or a tracuu server ---------------------


class LocalSource:
    """An engine in this process: the records of the HTTP API (built by the same functions), plus what the
    matrix knows of each clause (its agencies' roles, their deadlines). The service's modules are imported
    here, not at the top, so an app that only talks to a server does not load the engine's."""

    def __init__(self, engine):
        from service.api import agency_id_of
        from service.views import loaded_summary

        self.engine = engine
        self._agency_id = agency_id_of
        self._summary = loaded_summary

    def search(self, q: str, k: int, scope: Scope) -> list[dict]:
        from service.schemas import search_out

        e = self.engine
        hits = e.search(q, k, doc=scope.doc, section=scope.section, agency=self._agency_id(e, scope.agency))
        results = search_out(q, hits, e.agencies_of).results
        return [self._record(r.model_dump(), h.clause) for r, h in zip(results, hits)]

    def ask(self, q: str, scope: Scope) -> dict:
        from index.answers.answer import ask
        from service.schemas import ask_out

        e = self.engine
        return ask_out(ask(e, q, None, doc=scope.doc, section=scope.section,
                           agency=self._agency_id(e, scope.agency))).model_dump()

    def document(self, doc_id: str) -> dict:
        return self._summary(self.engine, self.engine.document(doc_id)).model_dump()

    def _record(self, result: dict, clause) -> dict:
        """``/api/search``'s result, with the clause's offsets and parent, and its agencies with their roles."""
        agencies, deadlines = {}, []
        for row in self.engine.matrix.rows_of(clause):
            role = row.roles[0] if row.roles else ""
            a = {"name": row.agency_name, "role": role, "roles": row.roles, "id": row.agency_id}
            known = self.engine.registry.agencies.get(row.agency_id)
            if getattr(known, "jurisdiction", None):
                a["jurisdiction"] = known.jurisdiction
            agencies.setdefault((row.agency_name, role), a)
            deadlines += [d for d in row.deadlines if d not in deadlines]
        return {**result, "start": clause.start, "end": clause.end, "parent": clause.parent,
                "agencies": list(agencies.values()), "deadlines": deadlines}


class RemoteSource:
    """A running tracuu server: ``/api/search``, ``/api/ask``, ``/api/documents/{id}`` (its header and
    the offsets of its clauses, kept per document and read again when a clause no longer matches)."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 30.0, client: httpx.Client | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.url = url.rstrip("/")
        self.http = client or httpx.Client(base_url=self.url, headers=headers, timeout=timeout)
        self._documents: dict[str, dict] = {}

    def _get(self, path: str, **params) -> dict | list:
        try:
            r = self.http.get(path, params={k: v for k, v in params.items() if v is not None})
        except httpx.HTTPError as e:
            raise ServerError(f"Không kết nối được máy chủ tracuu tại {self.url}: {e}") from e
        if r.status_code != 200:
            try:
                detail = r.json().get("detail")
            except ValueError:
                detail = None
            err = ServerError(f"Máy chủ tracuu trả lời {r.status_code} cho {path}: {detail or r.text[:200]}")
            err.status = r.status_code
            raise err
        return r.json()

    def search(self, q: str, k: int, scope: Scope) -> list[dict]:
        body = self._get("/api/search", q=q, k=k, doc=scope.doc, section=scope.section, agency=scope.agency)
        return [self._record(r) for r in body["results"]]

    def ask(self, q: str, scope: Scope) -> dict:
        return self._get("/api/ask", q=q, doc=scope.doc, section=scope.section, agency=scope.agency)

    def document(self, doc_id: str, fresh: bool = False) -> dict:
        if fresh or doc_id not in self._documents:
            self._documents[doc_id] = self._get(f"/api/documents/{quote(doc_id, safe='')}")
        return self._documents[doc_id]

    def _clause(self, doc_id: str, clause_id: str, text: str) -> dict:
        for fresh in (False, True):  # a new index generation may have moved the clause: read the document again
            outline = {c["id"]: c for c in self.document(doc_id, fresh)["outline"]}
            if clause_id in outline and outline[clause_id]["text"] == text:
                return outline[clause_id]
        raise ServerError(f"Điều khoản '{clause_id}' không khớp với văn bản '{doc_id}' trên máy chủ tracuu.")

    def _record(self, r: dict) -> dict:
        c = self._clause(r["doc_id"], r["id"], r["text"])
        agencies = [a if isinstance(a, dict) else {"name": a} for a in r.get("agencies", [])]
        return {**r, "start": c["start"], "end": c["end"], "parent": c["parent"], "agencies": agencies,
                "deadlines": r.get("deadlines", [])}


def source_of(engine=None, url: str | None = None, token: str | None = None, timeout: float = 30.0,
              client: httpx.Client | None = None):
    if (engine is None) == (url is None and client is None):
        raise ValueError("Cần đúng một nguồn: một engine trong tiến trình này (engine=…) hoặc địa chỉ máy chủ tracuu (url=…).")
    return LocalSource(engine) if engine is not None else RemoteSource(url or str(client.base_url), token, timeout, client)


# --- LlamaIndex objects -------------------------------------------------------------------------


def _document_metadata(doc: dict) -> dict:
    return {"doc_number": doc.get("number"), "issuer": doc.get("issuer"), "doc_type": doc.get("type"),
            "date": doc.get("date")}


def clause_node(rec: dict, doc: dict) -> TextNode:
    """One clause as a ``TextNode``: verbatim text at its offsets, its document and enclosing clause."""
    metadata = {"doc_id": rec["doc_id"], **_document_metadata(doc), "section": rec["section"], "label": rec["label"],
                "heading": rec.get("heading", ""), "citation": rec.get("citation"), "agencies": rec.get("agencies", []),
                "deadlines": rec.get("deadlines", []), "url": rec["url"]}
    relationships = {NodeRelationship.SOURCE: RelatedNodeInfo(node_id=rec["doc_id"], node_type=ObjectType.DOCUMENT,
                                                              metadata=_document_metadata(doc))}
    if rec.get("parent"):
        relationships[NodeRelationship.PARENT] = RelatedNodeInfo(node_id=rec["parent"], node_type=ObjectType.TEXT)
    return TextNode(id_=rec["id"], text=rec["text"], start_char_idx=rec["start"], end_char_idx=rec["end"],
                    metadata=metadata, relationships=relationships,
                    excluded_embed_metadata_keys=list(metadata), excluded_llm_metadata_keys=["doc_id", "url"])


class TracuuRetriever(BaseRetriever):
    """The best clauses for a query (tracuu's hybrid BM25 + dense ranking), as LlamaIndex nodes.

    ``TracuuRetriever(engine)`` in this process, or ``TracuuRetriever(url="http://…:8000",
    token=None)`` over a running server; ``similarity_top_k`` results at most; ``filters``
    (LlamaIndex ``MetadataFilters``): ``doc_id``, ``section``, ``agency``, ``==`` only.
    """

    def __init__(self, engine=None, *, url: str | None = None, token: str | None = None, similarity_top_k: int = 10,
                 filters: MetadataFilters | None = None, timeout: float = 30.0, client: httpx.Client | None = None,
                 callback_manager: CallbackManager | None = None, verbose: bool = False):
        if similarity_top_k < 1:
            raise ValueError("similarity_top_k phải từ 1 trở lên.")
        if engine is None and similarity_top_k > MAX_REMOTE_K:
            raise ValueError(f"Máy chủ tracuu trả về tối đa {MAX_REMOTE_K} kết quả một lần: hãy đặt similarity_top_k "
                             f"≤ {MAX_REMOTE_K}.")
        self.similarity_top_k = similarity_top_k
        self.scope = scope_of(filters)
        self._source = source_of(engine, url, token, timeout, client)
        super().__init__(callback_manager=callback_manager, verbose=verbose)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        records = self._source.search(query_bundle.query_str, self.similarity_top_k, self.scope)
        return [NodeWithScore(node=clause_node(r, self._source.document(r["doc_id"])), score=r["score"])
                for r in records[: self.similarity_top_k]]


def citation_node(c: dict, doc: dict) -> TextNode:
    """One citation of an answer: the quote (verbatim at ``start``–``end``) of its clause."""
    rec = {**c, "id": f"{c['doc_id']}#{c['section']}", "text": c["quote"], "parent": None}
    return clause_node(rec, doc)


class TracuuQueryEngine(BaseQueryEngine):
    """tracuu's extractive answer as a LlamaIndex ``Response``: ``response`` is ``/api/ask``'s answer,
    ``source_nodes`` its citations in order, ``metadata`` the responsible agency (``agency``,
    ``role``), every agency named, whether a clause supports the answer and the notes."""

    def __init__(self, engine=None, *, url: str | None = None, token: str | None = None,
                 filters: MetadataFilters | None = None, timeout: float = 30.0, client: httpx.Client | None = None,
                 callback_manager: CallbackManager | None = None):
        self.scope = scope_of(filters)
        self._source = source_of(engine, url, token, timeout, client)
        super().__init__(callback_manager=callback_manager)

    def _get_prompt_modules(self) -> dict:
        return {}

    def _query(self, query_bundle: QueryBundle) -> Response:
        body = self._source.ask(query_bundle.query_str, self.scope)
        return response_of(body, self._source.document)

    async def _aquery(self, query_bundle: QueryBundle) -> Response:
        return self._query(query_bundle)


def response_of(body: dict, document) -> Response:
    """A LlamaIndex ``Response`` for an ``/api/ask`` body; ``document(doc_id)`` gives a cited document's header."""
    agencies = body.get("agencies") or []
    first = agencies[0] if agencies else {}
    nodes = [NodeWithScore(node=citation_node(c, document(c["doc_id"])), score=None) for c in body["citations"]]
    return Response(response=body["answer"], source_nodes=nodes,
                    metadata={"agency": first.get("name"), "role": first.get("role"), "agencies": agencies,
                              "supported": body.get("supported", True), "notes": body.get("notes", [])})


# --- evaluation --------------------------------------------------------------------------------


def evaluate_retriever(engine, cases: list[tuple[str, list[str]]], k: int) -> dict:
    """LlamaIndex's ``RetrieverEvaluator`` (hit rate, MRR) over ``TracuuRetriever(engine)`` on
    ``cases`` (question, the ids of the clauses that answer it); a question with no result counts 0."""
    retriever = TracuuRetriever(engine, similarity_top_k=k)
    evaluator = RetrieverEvaluator.from_metric_names(["hit_rate", "mrr"], retriever=retriever)
    per: list[dict[str, float]] = []
    for q, expected in cases:
        if not retriever.retrieve(q):  # the metrics refuse an empty list
            per.append({"hit_rate": 0.0, "mrr": 0.0})
            continue
        result = evaluator.evaluate(query=q, expected_ids=expected)
        per.append({name: m.score for name, m in result.metric_dict.items()})
    n = len(per)
    return {"n": n, **{m: round(sum(p[m] for p in per) / n, 3) if n else None for m in ("hit_rate", "mrr")},
            "per_question": per}
