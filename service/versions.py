"""Superseded versions of documents: what an upload replaced, kept readable and listed.

An upload that replaces a document (the same file name with new bytes, or the same type,
number and issuer under another file name, confirmed after the preview) keeps the version
it replaces here, in the data dir, outside the corpus that builds read::

    data/versions/index.json           the list: every superseded version, its date, its successor
    data/versions/<key>/document.json  the version's document tree, as its generation held it
    data/versions/<key>/<file>         the version's file, byte for byte

The version is written aside first (``.pending-<key>``) and listed only once the generation
that holds its successor is published (``record``); an abandoned build discards it. Search
and answers read only the index, so they use only the current version; the reader shows an
old one with "Đã được thay thế bởi … ngày dd/mm/yyyy" and a link to the current one.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from fastapi import HTTPException

from index.answers.citation import of_document
from index.build.store import load_document, read_manifest, write_json_atomic
from ingest.models import Document
from ingest.pipeline import sha256

log = logging.getLogger(__name__)

FOLDER = "versions"
INDEX = "index.json"
MAX_CHAIN = 50  # successors followed to the current version


@dataclass(frozen=True)
class Version:
    key: str  # folder name: "<yyyymmdd-hhmmss>-<sha256[:8]>"
    doc_id: str  # the id the version was served under
    file: str
    sha256: str
    name: str  # "Kế hoạch 12/KH-UBND", as the pages named it while it was current
    superseded_on: str  # ISO date of the replacement
    superseded_by: str  # id of the document that replaced it (current then; follow ``current_id``)
    superseded_by_name: str

    @property
    def url(self) -> str:
        return f"/documents/{self.doc_id}/phien-ban/{self.key}"


def root(data_dir: Path) -> Path:
    return data_dir / FOLDER


_cache: dict[Path, tuple[tuple, list[Version]]] = {}


def listed(data_dir: Path) -> list[Version]:
    """Every superseded version, oldest replacement first (read again when the list changes)."""
    path = root(data_dir) / INDEX
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return []
    seen = (st.st_ino, st.st_mtime_ns, st.st_size)
    cached = _cache.get(path)
    if cached and cached[0] == seen:
        return cached[1]
    rows = json.loads(path.read_text(encoding="utf-8")).get("versions", [])
    out = [Version(**r) for r in rows]
    _cache[path] = (seen, out)
    return out


def served_as(data_dir: Path, doc_id: str) -> list[Version]:
    """The superseded versions served under ``doc_id``, latest replacement first."""
    return sorted((v for v in listed(data_dir) if v.doc_id == doc_id), key=lambda v: v.key, reverse=True)


def earlier(data_dir: Path, doc_id: str) -> list[Version]:
    """Every earlier version of ``doc_id``: its own, and those of the documents it replaced
    under other ids (an upload under another file name), theirs too; latest first."""
    every = listed(data_dir)
    ids = {doc_id}
    while more := {v.doc_id for v in every if v.superseded_by in ids} - ids:
        ids |= more
    return sorted((v for v in every if v.doc_id in ids), key=lambda v: v.key, reverse=True)


def find(data_dir: Path, doc_id: str, key: str) -> Version | None:
    return next((v for v in listed(data_dir) if v.doc_id == doc_id and v.key == key), None)


def current_id(data_dir: Path, doc_id: str, loaded) -> str | None:
    """The id of the document now in service that ``doc_id`` became (itself when loaded)."""
    for _ in range(MAX_CHAIN):
        if doc_id in loaded:
            return doc_id
        versions = served_as(data_dir, doc_id)
        if not versions:
            return None
        doc_id = versions[0].superseded_by
    return None


def document(data_dir: Path, v: Version) -> Document:
    path = root(data_dir) / v.key / "document.json"
    return Document.from_dict(json.loads(path.read_text(encoding="utf-8")))


PENDING = ".pending-"
SUCCESSOR = "successor.json"  # in a pending folder: the upload that replaces it, its old name


def keep_aside(data_dir: Path, doc: Document, data: bytes, successor: dict) -> Path:
    """The version about to be replaced, written aside (not listed yet), with what replaces it
    (``{"file", "sha256", "name"}``), so that a server killed mid-upload can settle it."""
    key = f"{time.strftime('%Y%m%d-%H%M%S')}-{doc.sha256[:8]}"
    pending = root(data_dir) / f"{PENDING}{key}"
    pending.mkdir(parents=True, exist_ok=True)
    (pending / "document.json").write_text(json.dumps(doc.to_dict(), ensure_ascii=False), encoding="utf-8")
    (pending / Path(doc.file or "tep").name).write_bytes(data)
    write_json_atomic(pending / SUCCESSOR, successor)
    return pending


def record(data_dir: Path, pending: Path, doc: Document, name: str, by: str, by_name: str) -> Version:
    """List the version kept aside: its successor ``by`` is published."""
    key = pending.name.removeprefix(PENDING)
    os.replace(pending, root(data_dir) / key)
    v = Version(key, doc.id, doc.file or "", doc.sha256 or "", name, time.strftime("%Y-%m-%d"), by, by_name)
    write_json_atomic(root(data_dir) / INDEX, {"versions": [asdict(x) for x in listed(data_dir)] + [asdict(v)]})
    return v


def discard(pending: Path) -> None:
    shutil.rmtree(pending, ignore_errors=True)


# --- what an upload is, next to what is loaded ------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """An uploaded file's bytes and name against the generation in service."""

    unchanged: str | None = None  # id of the document held with these bytes under this name
    duplicate: str | None = None  # id of the document held with these bytes under another name
    same_name: str | None = None  # id of the document held under this name with other bytes
    same_identity: str | None = None  # id of the one loaded document of this type, number and issuer


def standing(manifest: dict | None, name: str, digest: str, doc: Document | None = None,
             loaded: dict[str, Document] | None = None) -> Standing:
    """Where an upload stands: nothing new, a copy of another file, or a new version of a document."""
    held = (manifest or {}).get("documents", {})
    for doc_id, m in held.items():
        if m.get("sha256") == digest:
            return Standing(unchanged=doc_id) if m.get("file") == name else Standing(duplicate=doc_id)
    same_name = next((d for d, m in held.items() if m.get("file") == name), None)
    same = None
    if doc is not None and loaded and same_name is None:
        same = _same_identity(doc, {d: loaded[d] for d in held if d in loaded})
    return Standing(same_name=same_name, same_identity=same)


def _same_identity(doc: Document, loaded: dict[str, Document]) -> str | None:
    """The one loaded document with ``doc``'s type, number and issuer (all three read), if any."""
    from index.answers.graph import identity

    mine = identity(doc)
    if mine is None:
        return None
    found = [d for d, other in loaded.items() if d != doc.id and identity(other) == mine]
    return found[0] if len(found) == 1 else None


# --- an upload's answers ----------------------------------------------------------------------

UNCHANGED = "Văn bản không thay đổi; không nạp lại."


def described(engine, doc_id: str) -> str:
    """A document as staff know it: its official name (type, number, date, issuer) and its
    title, never its id."""
    name = of_document(engine, doc_id)
    doc = engine.documents.get(doc_id)
    title = doc.header.title if doc and doc.header.title else None
    return f"{name} ({title})" if title and title.lower() not in name.lower() else name


def refuse_duplicate(engine, name: str, where: Standing) -> None:
    """409 for the bytes of a document already loaded under another file name."""
    if where.duplicate:
        raise HTTPException(409, f"Tệp '{name}' trùng nội dung với văn bản đã nạp: {described(engine, where.duplicate)}. "
                                 "Không nạp trùng một văn bản hai lần.")


def unchanged_report(manifest: dict, doc_id: str) -> dict:
    """The answer to an upload of a file the index holds as it is: nothing built."""
    held = manifest.get("documents", {})
    mine = held[doc_id]
    return {"files": [{"file": mine["file"], "status": "unchanged", "doc_id": doc_id, "clauses": mine.get("clauses", 0),
                       "warnings": [], "error": None}],
            "generation": manifest.get("generation"), "built": False, "documents": len(held),
            "clauses": sum(m.get("clauses", 0) for m in held.values()), "embedded": 0, "reused": 0, "stored": 0,
            "seconds": 0.0, "reasons": [], "unchanged": True, "message": UNCHANGED}


def keep_old(data_dir: Path, corpus_dir: Path, engine, manifest: dict, doc_id: str, name: str, data: bytes) -> Path:
    """The version an upload (``name``, ``data``) replaces, written aside before the build: its
    tree as the generation in service holds it, its file as the corpus keeps it, its name now."""
    doc = load_document(data_dir, manifest["generation"], doc_id)
    source = corpus_dir / manifest["documents"][doc_id]["file"]
    successor = {"file": name, "sha256": sha256(data), "name": described(engine, doc_id)}
    return keep_aside(data_dir, doc, source.read_bytes(), successor)


def settle_old(data_dir: Path, corpus_dir: Path, describe, pending: Path | None) -> dict:
    """After the build: once the successor is published, the old version listed and its file
    out of the corpus (when it had another name); else the copy kept aside is dropped.
    ``describe(doc_id)`` names the successor."""
    if pending is None:
        return {}
    successor = json.loads((pending / SUCCESSOR).read_text(encoding="utf-8"))
    held = (read_manifest(data_dir) or {}).get("documents", {})
    new_id = next((d for d, m in held.items() if m.get("file") == successor["file"]
                   and m.get("sha256") == successor["sha256"]), None)
    if new_id is None:
        discard(pending)
        return {}
    doc = Document.from_dict(json.loads((pending / "document.json").read_text(encoding="utf-8")))
    (pending / SUCCESSOR).unlink()
    v = record(data_dir, pending, doc, successor["name"], new_id, describe(new_id))
    if doc.file and doc.file != successor["file"]:
        (corpus_dir / doc.file).unlink(missing_ok=True)
    return {"replaced": {"doc_id": v.doc_id, "version": v.key, "url": v.url, "date": v.superseded_on, "name": v.name},
            "message": f"Đã thay thế phiên bản cũ ({v.name}); bản cũ vẫn xem được."}


def named_in_index(data_dir: Path, doc_id: str) -> str:
    """A document of the published generation by its type and number (no engine at hand)."""
    manifest = read_manifest(data_dir) or {}
    h = load_document(data_dir, manifest["generation"], doc_id).header
    return " ".join(x for x in (h.doc_type, h.number if h.number_known else None) if x) or doc_id


def settle_pending(data_dir: Path, corpus_dir: Path, describe) -> list[str]:
    """At start-up: the versions a killed upload left aside, listed if their successor was
    published (and the old file taken out of the corpus), else dropped."""
    folder = root(data_dir)
    out = []
    for pending in sorted(folder.glob(f"{PENDING}*")) if folder.is_dir() else []:
        if (pending / SUCCESSOR).is_file():
            if settle_old(data_dir, corpus_dir, describe, pending):
                out.append(pending.name.removeprefix(PENDING))
        else:
            discard(pending)
    return out


def settle_at_start(data_dir: Path, corpus_dir: Path) -> None:
    """The versions a killed upload left aside, settled (``settle_pending``) unless an upload
    is under way in another worker: it holds the upload lock, and settles its own."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / ".upload.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return
        settled = settle_pending(data_dir, corpus_dir, lambda d: named_in_index(data_dir, d))
    if settled:
        log.warning("versions left aside by a stopped upload settled: %s", ", ".join(settled))
