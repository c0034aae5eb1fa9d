"""Ingest files into a new index generation, incrementally and atomically.

- A file whose bytes (sha256) are unchanged is not read again, as long as nothing it was
  read with changed either (``index.build.inputs``: the catalog, the agency registry, the analyser's
  data and code, the underthesea version); if nothing changed at all, no generation is built
  ("nothing to do"). Each generation holds its own copy of the catalog and the registry.
- A file that fails to parse is reported and skipped; if an earlier version of it
  was indexed, that version stays.
- Vectors are re-used by content hash from the generation in service, so only new
  or changed clauses are embedded. Each generation keeps its vectors beside its units
  (``vectors.npy``), so re-use does not depend on the Chroma that held them: moving an
  index from embedded Chroma to a ``chroma run`` server re-embeds nothing.
- The new generation becomes visible only when the manifest is swapped. ``progress`` is
  called between steps (each file read, each batch embedded, and just before the swap); an
  exception it raises abandons the build, so a caller with a deadline (an upload) can stop a
  build that ran late, and that build never publishes.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.agencies import Registry
from index.build.inputs import changed, snapshot
from index.build.layout import DataDir, Generation
from index.build.rows import document_rows, previous_rows, save_rows
from index.build.store import index_id, load_document, prune, read_manifest, write_json_atomic
from index.build.units import Unit, embed_text, units_for
from index.retrieval.diacritics import Restorer
from index.retrieval.embedders import Embedder
from index.retrieval.lexical import LexicalIndex
from index.retrieval.vector import VectorStore, open_client, shared_name
from ingest.catalog import load_catalog
from ingest.errors import IngestError, UnsupportedFormat
from ingest.models import Document
from ingest.pipeline import parse_bytes, sha256
from ingest.readers import SUPPORTED

log = logging.getLogger(__name__)


@dataclass
class FileResult:
    file: str
    status: str  # new | changed | unchanged | failed
    doc_id: str | None = None
    clauses: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class BuildReport:
    files: list[FileResult]
    generation: str | None
    built: bool  # False when nothing changed
    documents: int = 0
    clauses: int = 0
    embedded: int = 0
    reused: int = 0
    stored: int = 0  # vectors added to Chroma (distinct texts the generation in service lacked)
    seconds: float = 0.0
    reasons: list[str] = field(default_factory=list)  # inputs changed since the last generation: all read again

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]


def corpus_files(paths: list[Path]) -> list[Path]:
    """Supported files under the given files/folders, in a stable order."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUPPORTED
                          and not any(part.startswith(".") for part in q.relative_to(p).parts))  # nor .staging/
        else:
            out.append(p)
    return out


def build(
    data_dir: Path,
    corpus_dir: Path,
    embedder: Embedder | Callable[[], Embedder],
    paths: list[Path] | None = None,
    chroma_url: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    uploads: dict[str, bytes] | None = None,
    parse: Callable[..., Document] = parse_bytes,
    units: Callable[[Document], list[Unit]] = units_for,
    drop: frozenset[str] = frozenset(),
) -> BuildReport:
    """Bring the index in line with ``paths`` (default: the whole ``corpus_dir``).

    One build at a time per data dir: a file lock serialises builds from the CLI, the
    API's upload and other workers.

    ``paths`` add or update files on top of what is indexed; the default run also drops
    documents whose files left the corpus. ``uploads`` maps file names to bytes (API).
    ``embedder`` may be a factory, so an unchanged corpus never loads a model. ``parse(data,
    name, catalog, gazetteer)`` reads one file (the API reads uploads in a child process);
    ``units(doc)`` makes a document's units (the API's child process has made them already).
    ``drop`` names documents (ids) the new generation leaves out although files are being
    added: an upload that replaces a document kept under another file name.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(DataDir(data_dir).lock, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or when the process dies
        return _build(data_dir, corpus_dir, embedder, paths, chroma_url, progress, uploads, parse, units, drop)


def _build(data_dir, corpus_dir, embedder, paths, chroma_url, progress, uploads, parse, units, drop=frozenset()) -> BuildReport:
    t0 = time.perf_counter()
    step = progress or (lambda *_: None)
    manifest = read_manifest(data_dir) or {}
    generation = time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
    out = DataDir(data_dir).generation(generation)
    try:
        inputs = snapshot(corpus_dir, out)  # the new generation's own catalog and registry
        stale = changed(manifest, inputs)
        gazetteer = Registry.load(out.agencies).gazetteer()  # the names the recogniser knows
        docs, results = _read(corpus_dir, manifest, load_catalog(out.catalog), gazetteer, paths, uploads,
                              bool(stale), step, parse, drop)
        previous = manifest.get("documents", {})
        report = BuildReport(results, manifest.get("generation"), built=False, reasons=stale)
        moved = _moved(manifest, chroma_url)
        former = manifest.get("keys") != "hash"  # a generation with its own collection: moved to the shared one
        if manifest and not (stale or moved or former or any(d is not None for d in docs.values()) or set(docs) != set(previous)):
            shutil.rmtree(out.folder)
            report.documents, report.seconds = len(previous), time.perf_counter() - t0
            report.clauses = sum(m.get("clauses", 0) for m in previous.values())
            return report
        _write_generation(data_dir, generation, manifest, docs, embedder, chroma_url, inputs, report, step, units)
    except BaseException:
        shutil.rmtree(out.folder, ignore_errors=True)
        raise
    report.seconds = time.perf_counter() - t0
    return report


def _read(corpus_dir, manifest, catalog, gazetteer, paths, uploads, stale, step, parse, drop=frozenset()) -> tuple[dict[str, Document | None], list[FileResult]]:
    """Parse what must be parsed. A document maps to None when the serving generation's copy
    stays: its file is unchanged and so is everything it was read with (``stale`` is False).
    The documents in ``drop`` are left out."""
    previous: dict[str, dict] = {k: v for k, v in manifest.get("documents", {}).items() if k not in drop}
    dropped = {m["file"] for k, m in manifest.get("documents", {}).items() if k in drop}
    by_file = {meta["file"]: doc_id for doc_id, meta in previous.items()}
    uploads = uploads or {}
    adding = paths is not None or bool(uploads)  # adding files: everything indexed before stays
    # An upload replaces a corpus file of the same name (it is saved there after the build).
    inputs: list[tuple[str, bytes | Path]] = [(p.name, p) for p in corpus_files(paths or [corpus_dir])
                                              if p.name not in uploads and p.name not in dropped]
    inputs += list(uploads.items())
    if stale and adding:  # the documents that stay are read again too, from the corpus where they are
        named = {name for name, _ in inputs}
        inputs += [(f, corpus_dir / f) for f in sorted(by_file) if f not in named and (corpus_dir / f).is_file()]
    docs: dict[str, Document | None] = {}
    results: list[FileResult] = []
    for i, (name, src) in enumerate(inputs, 1):
        step("đọc", i, len(inputs))
        try:
            if isinstance(src, Path) and src.suffix.lower() not in SUPPORTED:
                raise UnsupportedFormat(name, f"định dạng không hỗ trợ; hỗ trợ: {', '.join(SUPPORTED)}")
            data = src.read_bytes() if isinstance(src, Path) else src
            old_id = by_file.get(name)
            if old_id and not stale and previous[old_id]["sha256"] == sha256(data):
                docs[old_id] = None
                results.append(FileResult(name, "unchanged", old_id, previous[old_id].get("clauses", 0)))
                continue
            doc = parse(data, name, catalog, gazetteer)
            if doc.id in docs or (doc.id in previous and previous[doc.id]["file"] != name):
                raise IngestError(name, f"mã văn bản '{doc.id}' đã dùng cho tệp khác")
            docs[doc.id] = doc
            status = "changed" if old_id else "new"
            results.append(FileResult(name, status, doc.id, len(doc.clauses), doc.warnings))
        except IngestError as e:
            results.append(FileResult(name, "failed", by_file.get(name), error=str(e)))
            if by_file.get(name):  # keep the version that was indexed before
                docs[by_file[name]] = None
        except OSError as e:
            results.append(FileResult(name, "failed", error=f"{name}: {e.strerror or e}"))
    if adding:
        for doc_id in previous:
            docs.setdefault(doc_id, None)
    return docs, results


def _write_generation(data_dir, generation, manifest, docs, embedder, chroma_url, inputs, report, step,
                      units_of=units_for) -> None:
    out = DataDir(data_dir).generation(generation)
    client = open_client(data_dir, chroma_url)
    owner = index_id(data_dir)
    old = DataDir(data_dir).generation(manifest["generation"]) if manifest.get("generation") else None
    store, added = None, []
    try:
        out.docs.mkdir(parents=True)
        # What the generation in service built is carried over for the documents it keeps:
        # their trees (linked), units, term ids, matrix rows and spelling counts are not made
        # again (minutes at 100,000 clauses), unless what they are made with has changed.
        reuse = old is not None and any(d is None for d in docs.values()) and not report.reasons
        old_units = json.loads(old.units.read_text(encoding="utf-8")) if old else []
        base = LexicalIndex.load(old.lexical) if reuse and LexicalIndex.saved(old.lexical) else None
        previous: dict[str, list[int]] = {}  # the old units' rows, by document
        for r, u in enumerate(old_units if reuse else ()):
            previous.setdefault(u["doc_id"], []).append(r)
        kept_rows = previous_rows(old.matrix) if reuse else {}
        registry = Registry.load(out.agencies)  # the generation's own copy
        # units as units.json stores them; each one's terms (strings) or its row in ``base``
        units, terms, fresh, rows, doc_meta, carried = [], [], [], {}, {}, set()
        for doc_id, doc in sorted(docs.items()):
            if doc is None and doc_id in previous and doc_id in kept_rows:
                _link(old.doc(doc_id), out.doc(doc_id))
                for r in previous[doc_id]:
                    units.append(old_units[r])
                    terms.append(r if base is not None else old_units[r].pop("terms"))
                rows[doc_id] = kept_rows[doc_id]
                doc_meta[doc_id] = {k: manifest["documents"][doc_id][k] for k in ("file", "sha256", "clauses")}
                carried.add(doc_id)
                continue
            if doc is None:  # kept, but its units are made again (what they are made with changed)
                doc = load_document(data_dir, manifest["generation"], doc_id)
            out.doc(doc_id).write_text(json.dumps(doc.to_dict(), ensure_ascii=False), encoding="utf-8")
            for unit in units_of(doc):
                d = unit.to_dict()
                terms.append(d.pop("terms"))
                units.append(d)
                fresh.append(d)
            rows[doc_id] = document_rows(registry, doc)
            doc_meta[doc_id] = {"file": doc.file, "sha256": doc.sha256, "clauses": len(doc.clauses)}
        save_rows(out.matrix, rows)
        model = embedder() if callable(embedder) and not hasattr(embedder, "passages") else embedder
        vectors = _vectors(old, old_units, client, manifest, model, units, report, step)
        name = shared_name(owner, model.name, model.dim)
        store = VectorStore(client, name, create=True, meta={"embedder": model.name, "dim": model.dim, "index_id": owner})
        shared = manifest.get("keys") == "hash" and manifest.get("collection") == name and not _moved(manifest, chroma_url)
        have = {u["hash"] for u in old_units} if shared else set()
        first: dict[str, int] = {}  # each distinct embedded text's first unit
        for i, u in enumerate(units):
            first.setdefault(u["hash"], i)
        added = [h for h in first if h not in have]
        step("lưu", 0, 1)
        store.upsert(added, vectors[[first[h] for h in added]] if added else vectors[:0])
        report.stored = len(added)
        out.units.write_text(json.dumps(units, ensure_ascii=False), encoding="utf-8")
        LexicalIndex.build(terms, base).save(out.lexical)
        gone = [old_units[r] for d, rs in previous.items() if d not in carried for r in rs]
        _save_restorer(out, old if reuse else None, units, fresh, gone)
        np.save(out.vectors, vectors)
        new_manifest = {
            "generation": generation, "collection": name, "keys": "hash", "embedder": model.name, "dim": model.dim,
            "inputs": inputs, "documents": doc_meta, "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "units": len(units), "chroma_url": chroma_url or None,
        }
        step("công bố", 0, 1)  # the last moment a caller may still abandon the build
        write_json_atomic(DataDir(data_dir).manifest, new_manifest)  # the swap
    except BaseException:
        if added:  # vectors no generation in service uses
            try:
                store.delete(added)
            except Exception:  # the build's own error is the one to report
                log.warning("vectors stored by the failed build not deleted", exc_info=True)
        raise
    report.generation, report.built = generation, True
    report.documents, report.clauses = len(doc_meta), sum(m["clauses"] for m in doc_meta.values())
    # Keep the generation that served until now: a running server may still read its files.
    keep = {generation} | ({manifest["generation"]} if manifest.get("generation") else set())
    prune(data_dir, keep)
    _prune_vectors(client, store, set(first), have, owner, chroma_url, {name, manifest.get("collection")})


def _moved(manifest: dict, chroma_url: str | None) -> bool:
    """Whether the index moves: embedded ↔ server, or to another server."""
    return (manifest.get("chroma_url") or None) != (chroma_url or None)


def _save_restorer(out: Generation, old: Generation | None, units: list[dict], fresh: list[dict], gone: list[dict]) -> None:
    """The restorer's counts: those of the generation ``old`` with the units it had and this
    one has not taken out and the new ones added (the same counts, for the cost of what
    changed); else counted over every unit."""
    if old is not None and old.restore.exists():
        Restorer.load(old.restore).update(add=fresh, remove=gone).save(out.restore)
    else:
        Restorer.of_units(units).save(out.restore)


def _link(src: Path, dst: Path) -> None:
    """A kept file in the new generation: the same file linked (no bytes copied), or copied."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _prune_vectors(client, store: VectorStore, used: set[str], had: set[str], owner: str, chroma_url, keep: set) -> None:
    """After the swap: drop the vectors only the old generation used (its engine is being
    replaced; until then it skips what it misses), sweep any a killed build left, and drop
    this index's collections that neither generation kept uses (another embedder's, or one
    per generation from before the collection was shared)."""
    try:
        store.delete(sorted(had - used))
        if store.collection.count() != len(used):
            store.delete(sorted(store.ids() - used))
        for c in client.list_collections():  # a Chroma server may hold other indexes' collections: not ours to drop
            ours = c.name.startswith(f"tracuu-{owner[:16]}-") or (
                c.name.startswith("clauses-") and (not chroma_url or (c.metadata or {}).get("index_id") == owner))
            if ours and c.name not in keep:
                client.delete_collection(c.name)
    except Exception:  # published already: what is left over costs space, not answers
        log.warning("vectors of older generations not pruned", exc_info=True)


def _previous_vectors(old: Generation | None, old_units: list[dict], client, manifest: dict, model) -> dict[str, np.ndarray]:
    """The serving generation's vectors by unit hash: from its ``vectors.npy``, or (for a
    generation written before that file existed) from its Chroma collection."""
    if old is None or manifest.get("embedder") != model.name:
        return {}
    try:
        if old.vectors.exists():
            return dict(zip((u["hash"] for u in old_units), np.load(old.vectors)))
        return VectorStore(client, manifest["collection"]).embeddings_by_hash()
    except Exception:  # an unreadable old generation only costs re-embedding
        log.warning("vectors of generation %s not readable; re-embedding", manifest["generation"])
        return {}


def _vectors(old, old_units, client, manifest, model, units: list[dict], report, step) -> np.ndarray:
    """Vectors for ``units``: re-used by hash from the generation in service, else embedded."""
    cache = _previous_vectors(old, old_units, client, manifest, model)
    vectors = np.zeros((len(units), model.dim), dtype=np.float32)
    todo = [i for i, u in enumerate(units) if u["hash"] not in cache]
    for i, u in enumerate(units):
        if u["hash"] in cache:
            vectors[i] = cache[u["hash"]]
    done = 0
    for idx in _batches(todo, units):
        step("nhúng", done, len(todo))
        vectors[idx] = model.passages([embed_text(units[i]) for i in idx])
        done += len(idx)
    step("nhúng", len(todo), len(todo))
    report.embedded, report.reused = len(todo), len(units) - len(todo)
    return vectors


BATCH_UNITS, BATCH_CHARS = 64, 16_000  # a batch embeds in a few seconds, so a deadline is noticed soon


def _batches(todo: list[int], units: list[dict]):
    """``todo`` in batches of at most ``BATCH_UNITS`` units and about ``BATCH_CHARS`` characters."""
    batch, size = [], 0
    for i in todo:
        length = len(embed_text(units[i]))
        if batch and (len(batch) == BATCH_UNITS or size + length > BATCH_CHARS):
            yield batch
            batch, size = [], 0
        batch.append(i)
        size += length
    if batch:
        yield batch
