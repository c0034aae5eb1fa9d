"""Cross-references between directives: the document graph, clause alignment, coverage.

- The graph (``index.answers.graph``) joins the catalog's links with the references found
  in the texts, resolved against loaded documents and catalog entries alike.
- Alignment links each task item of a document to the clause(s) of a document it
  implements, scored by embedding similarity and shared terms, with the evidence.
- Coverage lists the higher document's task clauses that nothing implements, and the
  plan's tasks that lack a lead agency, a deadline or a reporting duty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from index.answers.graph import graph
from index.engine import Engine
from index.errors import NotFound
from ingest.models import Clause, Document
from ingest.normalize import collapse_spaces, fold, normalize_text
from ingest.stopwords import BIGRAM

MIN_SCORE = 0.55  # below this an alignment is not shown
NEAR_BEST = 0.01  # other targets within this of the best are shown too (near-ties)
_TASK_SECTION = re.compile(r"nhiem vu|giai phap")


@dataclass
class Alignment:
    source: Clause
    target: Clause
    score: float
    evidence: dict = field(default_factory=dict)


def _block_text(doc: Document, c: Clause) -> str:
    """The clause with all its children, normalised, one line; for a table row, only its
    task columns (the agency and deadline columns would make every row look alike)."""
    if c.kind == "row" and c.cells:
        task = [v for k, v in c.cells.items() if re.search(r"nhiem vu|noi dung|san pham|ket qua", fold(k))]
        if task:
            return collapse_spaces(normalize_text(". ".join(task)))
    return collapse_spaces(normalize_text(c.text))


def task_items(doc: Document) -> list[Clause]:
    """Clauses that carry tasks: numbered items of "Nhiệm vụ / giải pháp" sections, and table rows."""
    by_id = {c.id: c for c in doc.clauses}
    out = []
    for c in doc.clauses:
        if c.kind == "row":
            out.append(c)
        elif c.kind == "item" and c.parent and _TASK_SECTION.search(fold(by_id[c.parent].heading)):
            out.append(c)
    return out


def _terms(text: str) -> set[str]:
    syl = [s for s in re.findall(r"[^\W_]+", fold(text)) if s not in BIGRAM and not s.isdigit()]
    return {f"{a}_{b}" for a, b in zip(syl, syl[1:])}


class Aligner:
    """Embeds task items once per engine and aligns documents pairwise."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._vec: dict[str, np.ndarray] = {}

    def vectors(self, clauses: list[Clause]) -> np.ndarray:
        todo = [c for c in clauses if c.id not in self._vec]
        if todo:
            docs = self.engine.documents
            v = self.engine.embedder.passages([_block_text(docs[c.doc_id], c) for c in todo])
            self._vec.update({c.id: v[i] for i, c in enumerate(todo)})
        return np.vstack([self._vec[c.id] for c in clauses]) if clauses else np.zeros((0, 1))

    def align(self, lower: Document, higher: Document) -> list[Alignment]:
        """Each task item of ``lower`` → its best item and its best table row in ``higher``."""
        src, dst = task_items(lower), task_items(higher)
        if not src or not dst:
            return []
        sim = self.vectors(src) @ self.vectors(dst).T
        dst_terms = [_terms(_block_text(higher, d)) for d in dst]
        out: list[Alignment] = []
        scores = np.zeros_like(sim)
        shared_all, heading_all = [], []
        for i, s in enumerate(src):
            st = _terms(_block_text(lower, s))
            shared = [st & t for t in dst_terms]
            overlap = np.array([len(x) / max(1, min(len(st), len(t))) for x, t in zip(shared, dst_terms)])
            heading = np.array([len(_terms(s.heading) & _terms(d.heading)) > 0 for d in dst], dtype=float)
            scores[i] = 0.7 * sim[i] + 0.25 * np.sqrt(overlap) + 0.05 * heading
            shared_all.append(shared)
            heading_all.append(heading)

        def emit(i: int, j: int) -> None:
            ev = {"embedding": round(float(sim[i, j]), 3), "heading_match": bool(heading_all[i][j]),
                  "shared_terms": sorted(t.replace("_", " ") for t in shared_all[i][j])[:12]}
            out.append(Alignment(src[i], dst[j], round(float(scores[i, j]), 3), ev))

        items = np.array([d.kind == "item" for d in dst])
        for i in range(len(src)):  # items: the best, and near-ties (one item may carry out two)
            if items.any() and (best := float(scores[i][items].max())) >= MIN_SCORE:
                for j in np.flatnonzero(items & (scores[i] >= best - NEAR_BEST)):
                    emit(i, int(j))
        rows = np.flatnonzero(~items)
        used_src, used_dst = set(), set()
        # Table rows: one row is one task, so each row goes to at most one item (greedy by score).
        for i, j in sorted(((i, int(j)) for i in range(len(src)) for j in rows), key=lambda p: -scores[p]):
            if scores[i, j] >= MIN_SCORE and i not in used_src and j not in used_dst:
                used_src.add(i)
                used_dst.add(j)
                emit(i, j)
        return out


def _aligner(engine: Engine) -> Aligner:
    if "aligner" not in engine.memo:
        engine.memo["aligner"] = Aligner(engine)
    return engine.memo["aligner"]


def crossrefs(engine: Engine, doc_id: str) -> dict:
    """Everything the API and the reader's sidebar show for one document."""
    if doc_id not in engine.documents and doc_id not in engine.catalog.entries:
        raise NotFound(f"Không có văn bản '{doc_id}'.")
    g = graph(engine)
    out = {
        "doc_id": doc_id,
        "implements": [e for e in g["edges"] if e["from"] == doc_id and e["type"] == "implements"],
        "cites": [e for e in g["edges"] if e["from"] == doc_id and e["type"] == "cites"],
        "implemented_by": [e for e in g["edges"] if e["to"] == doc_id and e["type"] == "implements"],
        "cited_by": [e for e in g["edges"] if e["to"] == doc_id and e["type"] == "cites"],
        "replaces": [e for e in g["edges"] if e["from"] == doc_id and e["type"] == "replaces"],
        "replaced_by": [e for e in g["edges"] if e["to"] == doc_id and e["type"] == "replaces"],
        "amends": [e for e in g["edges"] if e["from"] == doc_id and e["type"] == "amends"],
        "amended_by": [e for e in g["edges"] if e["to"] == doc_id and e["type"] == "amends"],
        "alignments": [],
        "not_loaded": [e["to"] for e in g["edges"] if e["from"] == doc_id and e["to"] not in engine.documents],
    }
    for a in alignments(engine, doc_id):
        out["alignments"].append({
            "clause": a.source.id, "section": a.source.path, "label": a.source.label,
            "target_doc": a.target.doc_id, "target": a.target.id, "target_section": a.target.path,
            "target_label": a.target.label, "target_heading": a.target.heading, "score": a.score, "evidence": a.evidence,
        })
    return out


def higher_documents(engine: Engine, doc_id: str) -> list[Document]:
    """Loaded documents that ``doc_id`` implements (catalog or text), else loaded ones it cites."""
    edges = [e for e in graph(engine)["edges"] if e["from"] == doc_id and e["to"] in engine.documents
             and e["type"] in ("implements", "cites")]  # a document it replaces or amends is no higher one
    return [engine.documents[e["to"]] for e in sorted(edges, key=lambda e: e["type"] != "implements")]


def alignments(engine: Engine, doc_id: str, higher: list[Document] | None = None) -> list[Alignment]:
    if doc_id not in engine.documents:
        return []
    lower = engine.documents[doc_id]
    out: list[Alignment] = []
    for h in higher if higher is not None else higher_documents(engine, doc_id):
        out += _aligner(engine).align(lower, h)
    return out


def coverage(engine: Engine, doc_id: str) -> dict:
    """Uncovered clauses of the higher documents; the plan's tasks lacking agency, deadline, report.

    ``items_without_deadline`` holds clause ids in document order."""
    if doc_id not in engine.documents and doc_id not in engine.catalog.entries:
        raise NotFound(f"Không có văn bản '{doc_id}'.")
    higher = higher_documents(engine, doc_id)
    covered = {a.target.id for a in alignments(engine, doc_id, higher)}
    uncovered = [{"doc_id": c.doc_id, "clause": c.id, "section": c.path, "label": c.label, "heading": c.heading}
                 for h in higher for c in task_items(h) if c.id not in covered]
    rows = [r for r in engine.matrix.rows if r.doc_id == doc_id]
    assigned_items = {r.item_id for r in rows} | {r.clause_id for r in rows}
    no_agency = [{"clause": c.id, "section": c.path, "label": c.label, "heading": c.heading}
                 for c in task_items(engine.documents[doc_id]) if c.id not in assigned_items
                 and not any(x in assigned_items for x in c.children)] if doc_id in engine.documents else []
    order = {c.id: i for i, c in enumerate(engine.documents[doc_id].clauses)} if doc_id in engine.documents else {}
    no_deadline = sorted({r.item_id for r in rows} - {r.item_id for r in rows if r.deadlines}, key=lambda i: order.get(i, 0))
    no_report = sorted({r.agency_name for r in rows} - {r.agency_name for r in rows if r.reporting})
    return {"doc_id": doc_id, "higher": [h.id for h in higher], "uncovered": uncovered,
            "tasks_without_agency": no_agency, "items_without_deadline": no_deadline,
            "agencies_without_reporting": no_report}
