"""Shared fixtures: a real index of corpus/, in-process apps over it, and real processes.

In this process:
- ``e5`` (session): the real e5 embedder, loaded once.
- ``plan_settings`` (session): an index of a copy of corpus/ built with e5, as ``tracuu
  ingest`` builds it; ``plan_engine``: an engine opened on it. ``hashing_plan_settings``
  (session), ``hashing_index_copy``: the same index embedded by the hashing embedder, for
  tests of plumbing, not ranking; a server on it runs that embedder (``tests/hashing_cli.py``).
- ``client`` (session): an ASGI client (Starlette's ``TestClient``, lifespan included) over
  ``create_app(plan_settings)``: the API and the pages as uvicorn would serve them, without
  a process. ``app_factory``: ``start(settings)`` → a client over another app, closed at the
  end of the test; ``module_app_factory``: ``start(**overrides)`` → one over a private copy
  of the index, kept for the module. ``index_copy``: ``copy(name, **overrides)`` → settings of a private copy
  of the index and its corpus, for tests that change them (uploads, edits).

Real processes (one embedded Chroma directory is never opened by two processes, so each
gets its own copy of the index):
- ``live_server`` (session): ``tracuu serve`` on a free 127.0.0.1 port; ``server_factory``:
  more servers inside one test, stopped at its end; ``module_server_factory``: servers on
  private copies of the index, shared by one module; ``run_server(settings)`` underneath.
- ``browser`` (session): Debian's chromium driven by Playwright, started offline.
- ``chat_endpoint`` (session): a small OpenAI-compatible endpoint on 127.0.0.1 for the
  optional phraser; it replies with the text it is sent as the model name.

Test modules use these fixtures (``tests`` is not a package, so they do not import
this module).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

# Where the environment sets PYTHONDONTWRITEBYTECODE (and the venv is installed with
# --no-compile), every process of the suite (xdist workers, each server, ingest, reader
# forkserver) compiled every module it imported again: sentence-transformers took 13 s to import
# instead of 4.6 s, a server's imports 1.9 s instead of 1.4 s. The suite then keeps compiled
# modules under .pytest_cache/ (outside the source tree); child processes inherit the setting.
if sys.dont_write_bytecode:
    _PYCACHE = Path(__file__).resolve().parents[1] / ".pytest_cache" / "pycache"
    sys.dont_write_bytecode, sys.pycache_prefix = False, str(_PYCACHE)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(_PYCACHE)

import httpx
import pytest

from service.settings import Settings

# The e5 engine's OpenMP threads spin while they wait for work. The tests run several
# processes on two cores at once (xdist workers, servers, ingests), where spinning threads
# take the cores from the ones with work: waiting passively halves the suite's time.
# Set before any model is loaded; child processes inherit it.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

ROOT = Path(__file__).resolve().parents[1]
ADMIN_TOKEN = "khoa-thu-nghiem-chi-dung-cho-kiem-thu"
START_TIMEOUT = 180.0  # seconds: loading the model and the index


def server_env(settings: Settings, token: str | None = None) -> dict[str, str]:
    """The environment of a child process that must use ``settings`` and nothing else
    (every ``TRACUU_*`` variable of this process is dropped, every set field passed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACUU_")}
    for name, value in settings.model_dump().items():
        if value is not None:
            secret = getattr(value, "get_secret_value", None)
            env[f"TRACUU_{name.upper()}"] = secret() if secret else str(value)
    env.pop("TRACUU_ADMIN_TOKEN", None)
    if token:
        env["TRACUU_ADMIN_TOKEN"] = token
    env.update({"HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
                "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))})
    return env


def copy_index(settings: Settings, dest: Path) -> Settings:
    """A private copy of an index (data dir, without its lease) and its corpus under ``dest``."""
    shutil.copytree(settings.data_dir, dest / "data", ignore=shutil.ignore_patterns(".serve.lock", "serve.json"))
    shutil.copytree(settings.corpus_dir, dest / "corpus")
    return settings.model_copy(update={"data_dir": dest / "data", "corpus_dir": dest / "corpus"})


@pytest.fixture(scope="session")
def admin_token() -> str:
    return ADMIN_TOKEN


@pytest.fixture(scope="session")
def e5():
    from index.retrieval.embedders import create_embedder

    return create_embedder("e5")


@pytest.fixture(scope="session")
def plan_settings(tmp_path_factory: pytest.TempPathFactory, e5) -> Settings:
    from index.build.builder import build

    root = tmp_path_factory.mktemp("plan")
    shutil.copytree(ROOT / "corpus", root / "corpus")
    # "testserver" is the Host of Starlette's TestClient, allowed here only (not by default)
    settings = Settings(_env_file=None, data_dir=root / "data", corpus_dir=root / "corpus", admin_token=ADMIN_TOKEN,
                        allowed_hosts="testserver")
    assert build(settings.data_dir, settings.corpus_dir, e5).built
    return settings


@pytest.fixture(scope="session")
def hashing_plan_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The index of ``plan_settings`` embedded by the hashing embedder (``tests/hashing_cli.py``),
    for tests of plumbing: ``run_server`` starts its copies with that embedder."""
    from index.build.builder import build
    from tests.bench.hashing import HashEmbedder

    root = tmp_path_factory.mktemp("hashing-plan")
    shutil.copytree(ROOT / "corpus", root / "corpus")
    settings = Settings(_env_file=None, data_dir=root / "data", corpus_dir=root / "corpus", admin_token=ADMIN_TOKEN)
    assert build(settings.data_dir, settings.corpus_dir, HashEmbedder()).built
    return settings


@pytest.fixture(scope="session")
def plan_engine(plan_settings: Settings, e5):
    from index.engine import Engine

    return Engine.open(plan_settings.options(), e5)


@pytest.fixture
def index_copy(plan_settings: Settings, tmp_path: Path) -> Callable[..., Settings]:
    """``copy(name="copy", **overrides)``: settings of a private copy of the session index."""
    def copy(name: str = "copy", **overrides) -> Settings:
        return copy_index(plan_settings, tmp_path / name).model_copy(update=overrides)

    return copy


@pytest.fixture
def hashing_index_copy(hashing_plan_settings: Settings, tmp_path: Path) -> Callable[..., Settings]:
    """``copy(name="copy", **overrides)``: settings of a private copy of the hashing index."""
    return lambda name="copy", **overrides: copy_index(hashing_plan_settings, tmp_path / name).model_copy(
        update=overrides)


@contextmanager
def app_client(settings: Settings, embedder=None):
    """A ``TestClient`` over ``create_app(settings)``, its lifespan run (the engine opened)."""
    from fastapi.testclient import TestClient

    from service.app import create_app

    with TestClient(create_app(settings, embedder)) as c:
        yield c


@pytest.fixture(scope="session")
def client(plan_settings: Settings, e5):
    with app_client(plan_settings, e5) as c:
        yield c


@pytest.fixture(scope="module")
def module_app_factory(plan_settings: Settings, tmp_path_factory: pytest.TempPathFactory, e5):
    """``start(**overrides)`` → a client over an app on a private copy of the session index,
    shared by the tests of one module."""
    with ExitStack() as stack:
        def start(**overrides):
            settings = copy_index(plan_settings, tmp_path_factory.mktemp("module-app")).model_copy(update=overrides)
            return stack.enter_context(app_client(settings, e5))

        yield start


@pytest.fixture
def app_factory(e5) -> Iterator[Callable[..., object]]:
    """``start(settings)`` → a client over an app of its own, closed when the test ends."""
    with ExitStack() as stack:
        yield lambda settings: stack.enter_context(app_client(settings, e5))


# --- real processes ---------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    settings: Settings
    token: str | None
    process: subprocess.Popen
    log: Path

    def client(self, **kw) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=kw.pop("timeout", 60.0), **kw)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def run_server(settings: Settings, token: str | None = ADMIN_TOKEN, log_dir: Path | None = None,
               wait: bool = True) -> Iterator[LiveServer]:
    """Start ``tracuu serve`` on a free loopback port and (``wait``) until ``/healthz`` answers 200.
    An index embedded by the hashing embedder is served with it (``tests/hashing_cli.py``)."""
    from tests.hashing_cli import built_by_hashing, command

    port = free_port()
    log = (log_dir or settings.data_dir.parent) / f"server-{port}.log"
    cmd = command(built_by_hashing(settings.data_dir)) + ["serve", "--host", "127.0.0.1", "--port", str(port)]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=server_env(settings, token), cwd=settings.data_dir.parent,
                                stdout=out, stderr=subprocess.STDOUT)
    server = LiveServer(f"http://127.0.0.1:{port}", settings, token, proc, log)
    try:
        if wait:
            wait_ready(server)
        yield server
    finally:
        _stop(proc)


def wait_ready(server: LiveServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"server exited with {server.process.returncode}:\n{server.log_text()}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        time.sleep(0.25)
    pytest.fail(f"server not ready after {START_TIMEOUT:.0f} s:\n{server.log_text()}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def live_server(plan_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with run_server(copy_index(plan_settings, tmp_path_factory.mktemp("live"))) as server:
        yield server


@pytest.fixture(scope="module")
def module_server_factory(plan_settings: Settings, tmp_path_factory: pytest.TempPathFactory):
    """``start(**overrides)`` → a server on a private copy of the session index, shared by the
    tests of one module (uploads change its index) and stopped after them."""
    with ExitStack() as stack:
        def start(**overrides) -> LiveServer:
            root = tmp_path_factory.mktemp("module-server")
            settings = copy_index(plan_settings, root).model_copy(update=overrides)
            return stack.enter_context(run_server(settings, log_dir=root))

        yield start


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """``start(settings, token=ADMIN_TOKEN)`` → a running server, stopped when the test ends."""
    with ExitStack() as stack:
        def start(settings: Settings, token: str | None = ADMIN_TOKEN, wait: bool = True) -> LiveServer:
            return stack.enter_context(run_server(settings, token, log_dir=tmp_path, wait=wait))

        yield start


@pytest.fixture(scope="session")
def chat_endpoint() -> Iterator[str]:
    """An OpenAI-compatible chat endpoint on 127.0.0.1: its reply is the model name it is sent."""
    import uvicorn
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/v1/chat/completions")
    def chat(body: dict):
        return {"choices": [{"message": {"role": "assistant", "content": body["model"]}}]}

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.config.port}/v1"
    server.should_exit = True
    thread.join(timeout=10)


CHROMIUM = "/usr/bin/chromium"
# Flags that keep chromium from reaching for the network (this machine has none) and run it as root.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make browser)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


SHOTS = Path(__file__).resolve().parents[1] / "test-output" / "screenshots"


def guarded_page(browser, expected: re.Pattern | None = None, **options) -> Iterator:
    """A fresh page that refuses any request leaving 127.0.0.1 and fails its test on a console
    error (a CSP violation shows up there), but those ``expected`` matches; ``options`` go to
    the browser context."""
    context = browser.new_context(locale="vi-VN", accept_downloads=True, viewport={"width": 1280, "height": 900},
                                  **options)
    outside: list[str] = []
    errors: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith("data:") or urlparse(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.on("console", lambda m: errors.append(m.text)
          if m.type == "error" and not (expected and expected.search(m.text)) else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"
    assert errors == [], f"console errors (CSP violations show up here): {errors}"


def shot(pg, name: str, full_page: bool = True) -> None:
    """A screenshot into test-output/screenshots, for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)
