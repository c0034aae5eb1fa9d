"""The responsibility matrix's rows, resolved once by the build and saved in the generation.

``index.matrix`` turns each document's assignments into rows (the registry's agency or the
document's own body for every name it writes). That reads every clause's text again, which
at 100,000 clauses took most of the time to open an index. A build does it for the documents
it reads and keeps the rows of the documents it keeps (``matrix.json``: per document, its rows
and the bodies only it names); opening the generation builds the same ``Matrix`` from them.
A generation written before this file existed has its matrix built at open, as before.
"""

from __future__ import annotations

import gc
import json
from dataclasses import asdict
from pathlib import Path

from index.agencies import Agency, Registry
from index.matrix import Matrix, Row, rows_for_document
from ingest.models import Document

_SHARED = ("agency_id", "agency_name", "clause_id", "item_id", "doc_id", "task", "source", "cue")


def document_rows(registry: Registry, doc: Document) -> dict:
    """One document's entry of ``matrix.json``."""
    rows, agencies = rows_for_document(registry, doc)
    return {"rows": [asdict(r) for r in rows], "agencies": [asdict(a) for a in agencies]}


def previous_rows(path: Path) -> dict[str, dict]:
    """The entries a generation saved in ``path`` (its ``matrix.json``; none for one written before it)."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def save_rows(path: Path, entries: dict[str, dict]) -> None:
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")


def load_matrix(path: Path, doc_ids: list[str], registry: Registry, units: list[dict]) -> Matrix | None:
    """The matrix ``index.matrix.build_matrix`` builds, from the rows saved in ``path`` (documents in
    ``doc_ids`` order, as the engine holds them); None when the generation has none saved."""
    gc.disable()  # hundreds of thousands of small objects, none cyclic: the collector would rescan them all
    try:
        return _matrix(previous_rows(path), doc_ids, registry, units)
    finally:
        gc.enable()


def _matrix(entries: dict, doc_ids: list[str], registry: Registry, units: list[dict]) -> Matrix | None:
    if not entries or any(d not in entries for d in doc_ids):
        return None
    rows, extra = [], {}
    same: dict = {}  # one copy of each repeated string (ids, names, a clause's task for each of its rows)
    fields = Row.__dataclass_fields__
    for d in doc_ids:
        saved = entries[d]["rows"]
        if saved and not fields.keys() >= saved[0].keys():  # a field another version saved: not ours
            saved = [{k: v for k, v in r.items() if k in fields} for r in saved]
        for r in saved:
            for k in _SHARED:
                r[k] = same.setdefault(r[k], r[k])
            r["roles"] = same.setdefault(tuple(r["roles"]), r["roles"])  # read, never changed
            rows.append(Row(**r))
        for a in entries[d]["agencies"]:
            extra.setdefault(a["id"], Agency(**a))
    unit_row = {u["id"]: i for i, u in enumerate(units)}
    return Matrix(rows, registry.with_agencies(list(extra.values())), unit_row)
