"""Uploads (admin): preview a file, add it to the corpus and the index; and the build that a
``tracuu ingest`` hands over to this server.

- The body is counted as it arrives: beyond ``TRACUU_MAX_UPLOAD_MB`` the request is refused
  (413) before more is read or spooled, with or without a Content-Length.
- The file name is checked (422): a plain name, of a supported format, at most
  ``MAX_NAME_CHARS`` characters and ``MAX_NAME_BYTES`` bytes (the corpus keeps it as a
  file name, and file systems count bytes).
- The file is read once, by the build, in a child process with a memory limit and a
  timeout (``service.isolation``); the preview reads it the same way.
- One upload at a time per data dir: the check for another file of the same name, the save
  and the build decide together, so two uploads of one name cannot interleave.
- The file is saved into the corpus before the build publishes a generation that holds it,
  and kept only if the index then holds these very bytes under this name: the corpus and
  the index never disagree about it.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from index.build.store import read_manifest
from ingest.catalog import Catalog, load_catalog
from ingest.errors import IngestError
from ingest.limits import MB
from ingest.pipeline import sha256
from ingest.readers import check_format
from service.api import AdminDep, EngineDep, SettingsDep, SlotDep, errors
from service.isolation import IsolatedParser
from service.settings import Settings
from service.state import EngineSlot
from service.views import outline_of

MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 200  # UTF-8; a Vietnamese letter takes 2 or 3 (ext4 allows 255 for the whole name)
MULTIPART_SLACK = 64 * 1024  # boundaries and part headers around the file
_RESERVED = set('/\\:*?"<>|')  # not allowed in file names on one system or another

router = APIRouter(prefix="/api", tags=["api"])

_UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary", "description": ".txt, .md, .docx hoặc .pdf"}},
}}}}}


def file_name(raw: str | None) -> str:
    """The name an upload is kept under, or 422 saying what is wrong with it."""
    name = unicodedata.normalize("NFC", Path((raw or "").replace("\\", "/")).name.strip())
    if not name or name.startswith(".") or name.endswith("."):
        raise HTTPException(422, "Tên tệp không hợp lệ: cần một tên tệp, không bắt đầu hay kết thúc bằng dấu chấm.")
    odd = sorted({ch for ch in name if ch in _RESERVED or unicodedata.category(ch)[0] == "C"})
    if odd:
        shown = ", ".join(repr(ch) for ch in odd)
        raise HTTPException(422, f"Tên tệp không hợp lệ: có ký tự không dùng được trong tên tệp ({shown}).")
    size = len(name.encode("utf-8"))
    if len(name) > MAX_NAME_CHARS or size > MAX_NAME_BYTES:
        raise HTTPException(422, f"Tên tệp quá dài ({len(name)} ký tự, {size} byte); tối đa {MAX_NAME_CHARS} ký tự "
                                 f"và {MAX_NAME_BYTES} byte (một chữ có dấu chiếm 2–3 byte). Hãy đặt tên ngắn hơn.")
    check_format(name)  # UnsupportedFormat → 422 with the formats we read
    return name


async def read_upload(request: Request, settings: Settings) -> tuple[str, bytes]:
    """The uploaded file's name and bytes; 413 beyond ``max_upload_mb``.

    Read after the token check, through a receive that counts: a body that grows past
    the limit is refused as the bytes arrive, chunked or not, before it is spooled."""
    limit = settings.max_upload_mb * MB
    too_big = HTTPException(413, f"Tệp quá lớn; tối đa {settings.max_upload_mb} MB.")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit + MULTIPART_SLACK:
        raise too_big
    received = 0

    async def receive():
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > limit + MULTIPART_SLACK:
            raise too_big
        return message

    counted = Request(request.scope, receive)
    form = await counted.form(max_files=1, max_fields=5)  # malformed multipart: Starlette answers 400
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise HTTPException(422, "Thiếu tệp: gửi tệp trong trường 'file' (multipart/form-data).")
        data = await upload.read(limit + 1)
    finally:
        await form.close()
    if len(data) > limit:
        raise too_big
    return file_name(upload.filename), data


def corpus_catalog(settings: Settings) -> Catalog:
    """The corpus's catalog as the next build will read it (the engine's copy may be older)."""
    return load_catalog(settings.corpus_dir / "catalog.yaml")


def isolated_parser(settings: Settings) -> IsolatedParser:
    return IsolatedParser(settings.limits(), settings.parse_timeout, settings.parse_memory_mb)


@router.post("/documents/preview", openapi_extra=_UPLOAD_BODY, responses=errors(400, 401, 403, 413, 422))
async def preview(request: Request, _: AdminDep, settings: SettingsDep, engine: EngineDep) -> dict:
    """Parse an uploaded file without touching the index: header, catalog match, outline, warnings."""
    name, data = await read_upload(request, settings)
    catalog = corpus_catalog(settings)
    doc = await run_in_threadpool(isolated_parser(settings), data, name, catalog)
    entry = catalog.entries.get(doc.id)
    return {
        "file": name, "doc_id": doc.id, "header": asdict(doc.header),
        "catalog": asdict(entry) if entry else None, "already_loaded": doc.id in engine.documents,
        "clauses": len(doc.clauses), "references": [asdict(r) for r in doc.references],
        "warnings": doc.warnings, "outline": [c.model_dump() for c in outline_of(doc)],
    }


@router.post("/documents", openapi_extra=_UPLOAD_BODY, responses=errors(400, 401, 403, 409, 413, 422))
async def upload(request: Request, _: AdminDep, settings: SettingsDep, slot: SlotDep) -> dict:
    """Add a document: keep the file in the corpus, build a new index generation that holds it.

    A file that cannot be read → 422 and the index and the corpus are unchanged. The answer
    comes once this app serves the new generation; other requests are served by the
    previous one meanwhile."""
    name, data = await read_upload(request, settings)
    return report_out(await run_in_threadpool(add_document, settings, slot, name, data))


def add_document(settings: Settings, slot: EngineSlot, name: str, data: bytes):
    """Save, build, and keep the saved file only if the index now holds it (see the module's note)."""
    target = settings.corpus_dir / name
    isolated = isolated_parser(settings)
    local = settings.file_parser()

    def parse(data_: bytes, file: str, catalog=None, gazetteer=None):
        """The upload in a child process; the corpus's other files, read again when the
        registry or the catalog changed, as ``tracuu ingest`` reads them."""
        return (isolated if file == name else local)(data_, file, catalog, gazetteer)

    with _one_upload_at_a_time(settings.data_dir):
        existed = target.exists()
        if existed and target.read_bytes() != data:
            raise HTTPException(409, f"Kho văn bản đã có tệp '{name}' với nội dung khác; hãy đổi tên tệp.")
        if not existed:
            _save(target, data)
        try:
            report = build_and_swap(settings, slot, uploads={name: data}, parse=parse)
        finally:
            if not existed and not _indexed(settings.data_dir, name, data):
                target.unlink(missing_ok=True)
    failed = next((f for f in report.failed if f.file == name), None)
    if failed is not None:  # its message already names the file
        raise IngestError(name, (failed.error or "không đọc được tệp").removeprefix(f"{name}: "))
    return report


@contextmanager
def _one_upload_at_a_time(data_dir: Path) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / ".upload.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or when the process dies
        yield


def _indexed(data_dir: Path, name: str, data: bytes) -> bool:
    """Whether the generation in the manifest holds ``data`` as the file ``name``."""
    digest = sha256(data)
    documents = (read_manifest(data_dir) or {}).get("documents", {})
    return any(m.get("file") == name and m.get("sha256") == digest for m in documents.values())


def _save(target: Path, data: bytes) -> None:
    """Write atomically (a hidden temp file, which corpus scans skip, then a rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.upload")
    tmp.write_bytes(data)
    os.replace(tmp, target)


class ReindexIn(BaseModel):
    paths: list[str] | None = None  # files or folders on this machine; None: the whole corpus


@router.post("/reindex", include_in_schema=False)
def reindex(request: Request, body: ReindexIn, settings: SettingsDep, slot: SlotDep) -> dict:
    """``tracuu ingest`` handed over by a command line while this server holds the embedded
    data dir (``service.lease``): authorised by the key in ``serve.json``, which only a user
    who can read the data dir has; answered once this app serves the new generation. The
    files are the corpus's own, read as ``tracuu ingest`` reads them."""
    holder = request.app.state.holder
    _, _, given = request.headers.get("authorization", "").partition(" ")
    if holder is None or not secrets.compare_digest(given.strip().encode(), holder.key.encode()):
        raise HTTPException(403, "Không có quyền giao việc nạp cho máy chủ này.")
    paths = [Path(p) for p in body.paths] if body.paths else None
    return report_out(build_and_swap(settings, slot, paths=paths, parse=settings.file_parser()))


def build_and_swap(settings: Settings, slot: EngineSlot, **what):
    """Build a generation with this app's model; when one is published, swap it in before returning.

    ``build()`` holds a file lock on the data dir, so uploads, handed-over ingests and other
    workers take turns."""
    from index.build.builder import build

    report = build(settings.data_dir, settings.corpus_dir, lambda: slot.get().embedder, chroma_url=settings.chroma_url, **what)
    if report.built:
        slot.reload()
    return report


def report_out(report) -> dict:
    return asdict(report) | {"failed": [asdict(f) for f in report.failed]}
