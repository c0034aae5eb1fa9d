"""The web application: ``create_app(settings)`` builds it; nothing is opened at import.

``tracuu serve`` runs ``uvicorn service.app:create_app --factory``. The app's engine lives on
``app.state.engines`` (``service.state.EngineSlot``): opened when the app starts (an empty
one when there is no index yet), re-opened in the background when a new index generation is
published. On embedded Chroma the app holds its data dir for its whole life
(``service.lease``), so no other process opens the same Chroma directory. Errors of every kind are turned into
Vietnamese messages in one handler: JSON ``{"detail": …}`` under ``/api`` and
``/healthz``, a friendly HTML page elsewhere. Every response carries strict security
headers (the pages load only their own CSS and JS: no inline script, no CDN), and a request
whose ``Host`` is not one the settings name is refused (``TrustedHosts``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from index.errors import TracuuError
from index.retrieval.embedders import Embedder
from ingest.errors import IngestError
from service import lease
from service.settings import Settings, get_settings
from service.state import EngineSlot

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"

CSP = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
    "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'",
])
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]

HTTP_MESSAGES = {
    400: "Yêu cầu không hợp lệ (dữ liệu gửi lên không đọc được).",
    401: "Cần đăng nhập (mã quản trị) để dùng chức năng này.",
    403: "Không có quyền dùng chức năng này.",
    404: "Không tìm thấy trang hoặc tài nguyên được yêu cầu.",
    405: "Phương thức không được hỗ trợ cho địa chỉ này.",
    413: "Tệp tải lên quá lớn.",
    415: "Kiểu dữ liệu không được hỗ trợ.",
}


class SecurityHeaders:
    """Pure ASGI middleware: adds the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class TrustedHosts:
    """Pure ASGI middleware: requests must name one of ``hosts`` in their ``Host`` header
    (Starlette's ``TrustedHostMiddleware`` rule: an exact name, or ``*.example.vn`` for its
    subdomains; ``*`` for any), or they get 400 with a Vietnamese message. A web page that
    rebinds its own DNS name to this machine's address then cannot read the API."""

    def __init__(self, app: ASGIApp, hosts: list[str]):
        self.app, self.hosts = app, hosts

    def trusted(self, host: str) -> bool:
        name = host.lower().rsplit("]", 1)[0] + "]" if host.startswith("[") else host.lower().split(":", 1)[0]
        return any(p == "*" or name == p or (p.startswith("*.") and name.endswith(p[1:])) for p in self.hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and not self.trusted(Headers(scope=scope).get("host", "")):
            message = "Tên máy chủ trong yêu cầu (tiêu đề Host) không được phép; hãy dùng địa chỉ đã cấu hình."
            response = await handle_error(Request(scope), StarletteHTTPException(400, message))
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def wants_json(request: Request) -> bool:
    """API clients get JSON; people get an HTML page."""
    path = request.url.path
    return path.startswith("/api") or path == "/healthz" or path.startswith("/static")


def validation_message(exc: RequestValidationError) -> str:
    """One Vietnamese sentence per invalid parameter (pydantic's error types, translated)."""
    parts = []
    for err in exc.errors():
        name = str(err.get("loc", ["", "?"])[-1])
        kind, ctx = err.get("type", ""), err.get("ctx") or {}
        if name == "q" and kind in ("missing", "string_too_short"):
            parts.append("Câu hỏi trống: hãy nhập nội dung cần tìm.")
        elif name == "q" and kind == "no_word":  # service.api.has_word
            blank = not str(err.get("input", "")).strip()
            parts.append("Câu hỏi trống: hãy nhập nội dung cần tìm." if blank
                         else "Câu hỏi không có chữ hoặc số nào để tìm.")
        elif name == "q" and kind == "string_too_long":
            parts.append(f"Câu hỏi quá dài; tối đa {ctx.get('max_length')} ký tự.")
        elif kind == "missing":
            parts.append(f"Thiếu tham số '{name}'.")
        elif kind in ("int_parsing", "int_type", "int_from_float"):
            parts.append(f"Tham số '{name}' phải là số nguyên.")
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            parts.append(f"Tham số '{name}' nằm ngoài khoảng cho phép ({_bound(kind, ctx)}).")
        elif kind == "string_too_long":
            parts.append(f"Tham số '{name}' quá dài; tối đa {ctx.get('max_length')} ký tự.")
        else:
            parts.append(f"Tham số '{name}' không hợp lệ.")
    return " ".join(dict.fromkeys(parts)) or "Yêu cầu không hợp lệ."


def _bound(kind: str, ctx: dict) -> str:
    words = {"greater_than_equal": ("ge", "≥"), "less_than_equal": ("le", "≤"), "greater_than": ("gt", ">"),
             "less_than": ("lt", "<")}
    key, sign = words[kind]
    return f"{sign} {ctx.get(key)}"


def error_status_and_message(exc: Exception) -> tuple[int, str]:
    """The HTTP status and the Vietnamese message for any exception the app lets escape."""
    if isinstance(exc, TracuuError):
        return (exc.status if 400 <= exc.status < 600 else 500), str(exc)
    if isinstance(exc, IngestError):
        return 422, str(exc)
    if isinstance(exc, RequestValidationError):
        return 422, validation_message(exc)
    if isinstance(exc, StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail and not exc.detail.isascii() else None
        return exc.status_code, detail or HTTP_MESSAGES.get(exc.status_code, "Yêu cầu không thực hiện được.")
    log.exception("unexpected error", exc_info=exc)
    return 500, "Lỗi hệ thống ngoài dự kiến; vui lòng thử lại sau hoặc báo quản trị viên."


def allowed_methods(request: Request) -> str:
    """Every documented method at this path (Starlette names only the first route's, and
    ``/api/documents`` has a GET route and a POST route)."""
    path, methods = request.url.path, set()
    for template, operations in request.app.openapi().get("paths", {}).items():
        if re.fullmatch(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)), path):
            methods |= {m.upper() for m in operations}
    return ", ".join(sorted(methods))


async def handle_error(request: Request, exc: Exception) -> Response:
    """The one handler: domain, validation and HTTP errors → JSON for the API, HTML for pages."""
    status, message = error_status_and_message(exc)
    # 500s are answered outside the middleware stack: they get the security headers here.
    headers = {k.decode(): v.decode() for k, v in SECURITY_HEADERS} | (getattr(exc, "headers", None) or {})
    if status == 405 and (allowed := allowed_methods(request)):
        headers["Allow"] = allowed
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    from service.web import render_error

    return render_error(request, status, message, headers)


def quiet_libraries() -> None:
    """pypdf logs a warning for every damaged object it repairs (22,000 lines for one
    900 KB PDF); the reader already says what matters about a file in its warnings."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)


def create_app(settings: Settings | None = None, embedder: Embedder | None = None) -> FastAPI:
    """Build the app for ``settings`` (default: from ``TRACUU_*`` environment variables);
    ``embedder``: an already loaded model to use instead of loading one."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        slot: EngineSlot = app.state.engines

        def warm_up() -> None:
            # Load the model and the index, and run one search: underthesea loads its word
            # segmenter lazily and that first load is not thread-safe, so it must happen
            # before concurrent requests arrive.
            slot.reload().search("khởi động tra cứu văn bản", 1)

        with ExitStack() as held:
            if not settings.chroma_url:
                app.state.holder = await run_in_threadpool(
                    held.enter_context, lease.serve(settings.data_dir, settings.host, settings.port))
            from service.staging import settle_staged

            await run_in_threadpool(settle_staged, settings)  # what a killed server left mid-upload
            try:
                await run_in_threadpool(warm_up)
            except TracuuError as e:
                log.warning("engine not ready at start-up: %s", e)
            if settings.admin_token:  # uploads are on: the process that reads them loads meanwhile
                from service import isolation

                await run_in_threadpool(isolation.start)
            yield

    app = FastAPI(
        title="tracuu", summary="Tra cứu văn bản chỉ đạo: cơ quan nào làm gì, trích dẫn nguyên văn.",
        version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,  # the docs UIs load scripts from a CDN
    )  # the schema is at /openapi.json
    app.state.settings = settings
    app.state.engines = EngineSlot(settings.options(), embedder)
    app.state.holder = None  # this app's lease on an embedded data dir (service.lease), once started
    quiet_libraries()
    for exc_type in (TracuuError, IngestError, RequestValidationError, StarletteHTTPException, Exception):
        app.add_exception_handler(exc_type, handle_error)
    app.add_middleware(TrustedHosts, hosts=settings.trusted_hosts())
    app.add_middleware(SecurityHeaders)

    from service.api import health, router
    from service.uploads import WriteQueue
    from service.uploads import router as uploads_router

    app.state.writes = WriteQueue(settings.upload_queue)  # write requests being served (service.uploads)
    from service.web import router as web_router

    app.include_router(health)
    app.include_router(router)
    app.include_router(uploads_router)
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
