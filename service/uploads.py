"""Uploads (admin): preview a file, add it to the corpus and the index; and the build that a
``tracuu ingest`` hands over to this server.

- The credentials are checked before the body is read (a request without them is refused
  unread); then the body is counted as it arrives: beyond ``TRACUU_MAX_UPLOAD_MB`` (or, for a
  handed-over build, ``REINDEX_BODY_BYTES``) the request is refused (413) before more is read
  or spooled, with or without a Content-Length.
- At most ``TRACUU_UPLOAD_QUEUE`` write requests are taken at once; more get 503, so
  uploads waiting their turn cannot hold every worker thread and starve searches.
- The file name is checked (422): a plain name (no folder), of a supported format, at most
  ``MAX_NAME_CHARS`` characters and ``MAX_NAME_BYTES`` bytes (the corpus keeps it as a
  file name, and file systems count bytes).
- Every file a build in this server reads (the upload, the corpus's other files, a
  handed-over build's) is read, and made into index units, in a child process with a memory
  limit and a timeout (``service.isolation``); the preview reads it the same way (without
  making units). The build
  of an upload is abandoned after ``TRACUU_BUILD_TIMEOUT`` seconds, and an abandoned build
  never publishes.
- One upload at a time per data dir: the check for another file of the same name, the save
  and the build decide together, so two uploads of one name cannot interleave.
- Versions (``service.versions``): the bytes of a loaded document under another name are
  refused (409, naming that document); the same file unchanged is answered "nothing changed"
  without a build; new bytes under a loaded file's name (or a file whose type, number and
  issuer are a loaded document's) replace that document only when the upload confirms it
  (the ``replace`` field, the id the preview offered), else 409. The version replaced stays
  readable, kept in the data dir.
- The file waits in a staging folder (``service.staging``) while its generation is built,
  and becomes corpus only once that generation is published and holds these very bytes
  under this name.
"""

from __future__ import annotations

import fcntl
import secrets
import threading
import time
import unicodedata
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from index.build.store import read_manifest
from ingest.catalog import Catalog, load_catalog
from ingest.errors import IngestError, TookTooLong
from ingest.limits import MB
from ingest.pipeline import sha256
from ingest.readers import check_format
from service import versions
from service.api import AdminDep, EngineDep, SettingsDep, SlotDep, errors
from service.isolation import IsolatedReader
from service.settings import Settings
from service.staging import settle, stage
from service.state import EngineSlot
from service.views import outline_of

MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 200  # UTF-8; a Vietnamese letter takes 2 or 3 (ext4 allows 255 for the whole name)
MULTIPART_SLACK = 64 * 1024  # boundaries and part headers around the file
REINDEX_BODY_BYTES = 1 * MB  # a handed-over build's JSON: a list of paths
_RESERVED = set('/\\:*?"<>|')  # not allowed in file names on one system or another

router = APIRouter(prefix="/api", tags=["api"])

_UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary", "description": ".txt, .md, .docx hoặc .pdf"}},
}}}}}


def file_name(raw: str | None) -> str:
    """The name an upload is kept under, or 422 saying what is wrong with it."""
    name = unicodedata.normalize("NFC", (raw or "").strip())
    if "/" in name or "\\" in name:
        raise HTTPException(422, "Tên tệp không hợp lệ: chỉ gửi tên tệp, không kèm thư mục (có dấu / hoặc \\).")
    if not name or name.startswith(".") or name.endswith("."):
        raise HTTPException(422, "Tên tệp không hợp lệ: cần một tên tệp, không bắt đầu hay kết thúc bằng dấu chấm.")
    odd = sorted({ch for ch in name if ch in _RESERVED or unicodedata.category(ch)[0] == "C"
                  or unicodedata.category(ch) in ("Zl", "Zp")})
    if odd:
        shown = ", ".join(repr(ch) for ch in odd)
        raise HTTPException(422, f"Tên tệp không hợp lệ: có ký tự không dùng được trong tên tệp ({shown}).")
    size = len(name.encode("utf-8"))
    if len(name) > MAX_NAME_CHARS or size > MAX_NAME_BYTES:
        raise HTTPException(422, f"Tên tệp quá dài ({len(name)} ký tự, {size} byte); tối đa {MAX_NAME_CHARS} ký tự "
                                 f"và {MAX_NAME_BYTES} byte (một chữ có dấu chiếm 2–3 byte). Hãy đặt tên ngắn hơn.")
    check_format(name)  # UnsupportedFormat → 422 with the formats we read
    return name


def _counted(request: Request, limit: int, too_big: HTTPException) -> Request:
    """``request`` whose body is refused with ``too_big`` once more than ``limit`` bytes are
    announced or have arrived."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise too_big
    received = 0

    async def receive():
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > limit:
            raise too_big
        return message

    return Request(request.scope, receive)


async def read_upload(request: Request, settings: Settings) -> tuple[str, bytes, str | None]:
    """The uploaded file's name and bytes, and the ``replace`` field (the id of the document
    the preview offered to replace, confirmed); 413 beyond ``max_upload_mb``.

    Read after the token check, through a receive that counts: a body that grows past
    the limit is refused as the bytes arrive, chunked or not, before it is spooled."""
    limit = settings.max_upload_mb * MB
    too_big = HTTPException(413, f"Tệp quá lớn; tối đa {settings.max_upload_mb} MB.")
    counted = _counted(request, limit + MULTIPART_SLACK, too_big)
    form = await counted.form(max_files=1, max_fields=5)  # malformed multipart: Starlette answers 400
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise HTTPException(422, "Thiếu tệp: gửi tệp trong trường 'file' (multipart/form-data).")
        data = await upload.read(limit + 1)
        replace = form.get("replace")
    finally:
        await form.close()
    if len(data) > limit:
        raise too_big
    return file_name(upload.filename), data, (replace.strip() or None) if isinstance(replace, str) else None


class WriteQueue:
    """How many write requests are being served; beyond ``size``, 503 at once (the app's one
    instance is ``app.state.writes``; counted on the event loop, so no lock)."""

    def __init__(self, size: int):
        self.size, self.taken = size, 0

    def enter(self) -> None:
        if self.taken >= self.size:
            raise HTTPException(503, f"Máy chủ đang xử lý {self.taken} yêu cầu tải lên hoặc nạp văn bản; hãy thử lại sau "
                                     "ít phút.", headers={"Retry-After": "30"})
        self.taken += 1

    def leave(self) -> None:
        self.taken -= 1


async def write_turn(request: Request, _: AdminDep) -> AsyncIterator[None]:
    """A place among the write requests being served, after the token check (503 when full)."""
    queue: WriteQueue = request.app.state.writes
    queue.enter()
    try:
        yield
    finally:
        queue.leave()


WriteTurn = Annotated[None, Depends(write_turn)]


def corpus_catalog(settings: Settings) -> Catalog:
    """The corpus's catalog as the next build will read it (the engine's copy may be older)."""
    return load_catalog(settings.corpus_dir / "catalog.yaml")


def isolated_reader(settings: Settings, preview: bool = False) -> IsolatedReader:
    return IsolatedReader(settings.limits(), settings.parse_timeout, settings.parse_memory_mb, preview)


@router.post("/documents/preview", openapi_extra=_UPLOAD_BODY, responses=errors(400, 401, 403, 413, 422, 503))
async def preview(request: Request, _: WriteTurn, settings: SettingsDep, engine: EngineDep) -> dict:
    """Parse an uploaded file without touching the index: header, catalog match, outline, warnings."""
    name, data, _ = await read_upload(request, settings)
    catalog = corpus_catalog(settings)
    manifest = read_manifest(settings.data_dir)
    where = versions.standing(manifest, name, sha256(data))
    versions.refuse_duplicate(engine, name, where)
    doc = await run_in_threadpool(isolated_reader(settings, preview=True), data, name, catalog)
    if not where.unchanged:
        where = versions.standing(manifest, name, sha256(data), doc, engine.documents)
    entry = catalog.entries.get(doc.id)
    target = where.same_name or where.same_identity
    return {
        "file": name, "doc_id": doc.id, "header": asdict(doc.header),
        "catalog": asdict(entry) if entry else None, "already_loaded": doc.id in engine.documents,
        "clauses": len(doc.clauses), "references": [asdict(r) for r in doc.references],
        "warnings": doc.warnings, "outline": [c.model_dump() for c in outline_of(doc)],
        "unchanged": where.unchanged is not None,
        "message": versions.UNCHANGED if where.unchanged else None,
        "replaces": {"doc_id": target, "name": versions.described(engine, target), "file": manifest["documents"][target]["file"],
                     "same_file": target == where.same_name, "url": f"/documents/{target}"} if target else None,
    }


@router.post("/documents", openapi_extra=_UPLOAD_BODY, responses=errors(400, 401, 403, 409, 413, 422, 503))
async def upload(request: Request, _: WriteTurn, settings: SettingsDep, slot: SlotDep) -> dict:
    """Add a document: build a new index generation that holds it, then keep the file in the corpus.

    A file that cannot be read or indexed in time → 422 and the index and the corpus are
    unchanged. The answer comes once this app serves the new generation; other requests are
    served by the previous one meanwhile."""
    name, data, replace = await read_upload(request, settings)
    return await run_in_threadpool(add_document, settings, slot, name, data, replace)


def add_document(settings: Settings, slot: EngineSlot, name: str, data: bytes, replace: str | None = None) -> dict:
    """Stage, build, and move the staged file into the corpus once the index holds it.

    The work runs in a thread of its own, so that the answer leaves at the deadline even
    while the build finishes a step; that build stops at its next step and never publishes."""
    deadline = Deadline(name, settings.build_timeout)
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["report"] = _add(settings, slot, name, data, deadline, replace)
        except BaseException as e:
            outcome["error"] = e

    worker = threading.Thread(target=work, name="tracuu-tai-len", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.1)
        if worker.is_alive() and deadline.passed(grace=0.2):
            raise deadline.error()
    if "error" in outcome:
        raise outcome["error"]
    report, extra = outcome["report"]
    if isinstance(report, dict):  # nothing to build
        return report
    failed = next((f for f in report.failed if f.file == name), None)
    if failed is not None:  # its message already names the file
        raise IngestError(name, (failed.error or "không đọc được tệp").removeprefix(f"{name}: "))
    mine = next((f for f in report.files if f.file == name), None)
    said = ADDED.get(mine.status if mine else "", ADDED["new"])
    return report_out(report) | {"unchanged": False, "message": said} | extra


ADDED = {"new": "Đã nạp văn bản mới; tra cứu được ngay.", "changed": "Đã nạp phiên bản mới của văn bản; tra cứu được ngay."}


def _add(settings: Settings, slot: EngineSlot, name: str, data: bytes, deadline: Deadline, replace: str | None):
    target = settings.corpus_dir / name
    reader = isolated_reader(settings)
    with _one_upload_at_a_time(settings.data_dir):
        deadline.start()  # the upload's time counts from its turn
        manifest = read_manifest(settings.data_dir) or {}
        engine = slot.get()
        where = versions.standing(manifest, name, sha256(data))
        if where.unchanged:
            return versions.unchanged_report(manifest, where.unchanged), {}
        versions.refuse_duplicate(engine, name, where)
        held = manifest.get("documents", {})
        if replace is not None and (replace not in held or (where.same_name and replace != where.same_name)):
            raise HTTPException(409, f"Không thay thế được: văn bản cần thay thế không còn trong chỉ mục, hoặc không phải "
                                     f"văn bản của tệp '{name}'. Hãy xem trước lại tệp.")
        if (where.same_name and replace is None) or (target.exists() and target.read_bytes() != data and not where.same_name):
            shown = f" ({versions.described(engine, where.same_name)})" if where.same_name else ""
            raise HTTPException(409, f"Kho văn bản đã có tệp '{name}'{shown} với nội dung khác. Để thay bằng phiên bản "
                                     "mới, hãy xem trước rồi xác nhận thay thế; hoặc đổi tên tệp.")
        old = versions.keep_old(settings.data_dir, settings.corpus_dir, engine, manifest, replace, name, data) \
            if replace else None
        staged = stage(settings.corpus_dir, name, data)
        try:
            drop = frozenset({replace}) if replace and held[replace]["file"] != name else frozenset()
            report = build_and_swap(settings, slot, uploads={name: data}, parse=reader, units=reader.units,
                                    progress=deadline, drop=drop)
        finally:
            settle(settings, staged)
            extra = versions.settle_old(settings.data_dir, settings.corpus_dir,
                                        lambda d: versions.described(slot.get(), d), old)
        return report, extra


class Deadline:
    """An upload's build time: started when its turn comes; called as the build's ``progress``,
    it abandons the build once the time has passed."""

    def __init__(self, name: str, seconds: float):
        self.name, self.seconds, self.end = name, seconds, None

    def start(self) -> None:
        self.end = time.monotonic() + self.seconds

    def passed(self, grace: float = 0.0) -> bool:
        return self.end is not None and time.monotonic() > self.end + grace

    def error(self) -> TookTooLong:
        return TookTooLong(self.name, f"lập chỉ mục quá {self.seconds:g} giây nên đã dừng; tệp chưa được thêm (hãy "
                                      "tách thành nhiều tệp, hoặc nạp bằng lệnh tracuu ingest)")

    def __call__(self, *_) -> None:
        if self.passed():
            raise self.error()


@contextmanager
def _one_upload_at_a_time(data_dir: Path) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / ".upload.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or when the process dies
        yield


class ReindexIn(BaseModel):
    paths: list[str] | None = None  # files or folders on this machine; None: the whole corpus


@router.post("/reindex", include_in_schema=False)
async def reindex(request: Request, settings: SettingsDep, slot: SlotDep) -> dict:
    """``tracuu ingest`` handed over by a command line while this server holds the embedded
    data dir (``service.lease``): authorised by the key in ``serve.json``, which only a user
    who can read the data dir has, checked before the body is read; answered once this app
    serves the new generation. The files are the corpus's own, each read in a child process
    as uploads are (a file that runs away is reported failed, the others are indexed)."""
    holder = request.app.state.holder
    _, _, given = request.headers.get("authorization", "").partition(" ")
    if holder is None or not secrets.compare_digest(given.strip().encode(), holder.key.encode()):
        raise HTTPException(403, "Không có quyền giao việc nạp cho máy chủ này.")
    queue: WriteQueue = request.app.state.writes
    queue.enter()
    try:
        too_big = HTTPException(413, f"Yêu cầu nạp quá lớn; tối đa {REINDEX_BODY_BYTES // 1024} KB.")
        raw = b"".join([chunk async for chunk in _counted(request, REINDEX_BODY_BYTES, too_big).stream()])
        return report_out(await run_in_threadpool(_reindex, settings, slot, raw))
    finally:
        queue.leave()


def _reindex(settings: Settings, slot: EngineSlot, raw: bytes):
    try:
        body = ReindexIn.model_validate_json(raw or b"{}")
    except ValidationError:
        raise HTTPException(422, "Yêu cầu nạp không hợp lệ: cần JSON dạng {\"paths\": [\"…\"]} hoặc {}.") from None
    paths = [Path(p) for p in body.paths] if body.paths else None
    reader = isolated_reader(settings)
    return build_and_swap(settings, slot, paths=paths, parse=reader, units=reader.units)


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
