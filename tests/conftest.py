"""Shared fixtures: a real index of corpus/ and real server processes.

- ``index_settings`` (session): copies corpus/ into a temporary folder and builds an index
  of it there with the default e5 embedder, exactly as ``tracuu ingest`` does (in a
  subprocess, so this process holds no Chroma client). Returns the ``Settings``.
- ``copy_index(settings, dest)``: a private copy of an index and its corpus, for tests
  that change the index (uploads) without touching the shared one.
- ``run_server(settings)``: a context manager that starts ``uvicorn`` on a free
  127.0.0.1 port with ``TRACUU_*`` variables, waits for ``/healthz`` and stops it.
- ``live_server`` (session): one such server over ``index_settings``;
  ``server_factory``: start more servers inside one test, stopped at its end;
  ``index_copy``: ``copy(name, **setting_overrides)`` → settings of a private copy.
- ``admin_token``: the token the servers above accept for write endpoints.
- ``e5`` and ``plan_engine`` (session): the real e5 embedder, and an in-process engine
  over its own index of corpus/ (separate from ``index_settings``, which servers open:
  two processes must not share one embedded Chroma directory).
- ``browser`` (session): Debian's chromium driven by Playwright, started offline.

Test modules use these fixtures (``tests`` is not a package, so they do not import
this module).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from service.settings import Settings

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


def build_index(data_dir: Path, corpus_dir: Path, embedder: str = "e5") -> Settings:
    """Index ``corpus_dir`` into ``data_dir`` with ``tracuu ingest``; the settings to use it."""
    settings = Settings(_env_file=None, data_dir=data_dir, corpus_dir=corpus_dir, embedder=embedder)
    run = subprocess.run([sys.executable, "-m", "service.cli", "ingest"], env=server_env(settings),
                         cwd=data_dir.parent, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, f"tracuu ingest failed:\n{run.stdout}\n{run.stderr}"
    return settings


def copy_index(settings: Settings, dest: Path) -> Settings:
    """A private copy of an index (data dir) and its corpus under ``dest``."""
    shutil.copytree(settings.data_dir, dest / "data")
    shutil.copytree(settings.corpus_dir, dest / "corpus")
    return settings.model_copy(update={"data_dir": dest / "data", "corpus_dir": dest / "corpus"})


@pytest.fixture(scope="session")
def admin_token() -> str:
    return ADMIN_TOKEN


@pytest.fixture
def index_copy(index_settings: Settings, tmp_path: Path) -> Callable[..., Settings]:
    """``copy(name="copy", **overrides)``: settings of a private copy of the session index."""
    def copy(name: str = "copy", **overrides) -> Settings:
        return copy_index(index_settings, tmp_path / name).model_copy(update=overrides)

    return copy


@pytest.fixture(scope="session")
def index_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("index")
    shutil.copytree(ROOT / "corpus", root / "corpus")
    return build_index(root / "data", root / "corpus")


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
def run_server(settings: Settings, token: str | None = ADMIN_TOKEN, log_dir: Path | None = None) -> Iterator[LiveServer]:
    """Start ``uvicorn service.app:create_app --factory`` and wait until ``/healthz`` answers 200."""
    port = free_port()
    log = (log_dir or settings.data_dir.parent) / f"server-{port}.log"
    cmd = [sys.executable, "-m", "uvicorn", "service.app:create_app", "--factory", "--host", "127.0.0.1",
           "--port", str(port), "--log-level", "warning", "--no-access-log"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=server_env(settings, token), cwd=settings.data_dir.parent,
                                stdout=out, stderr=subprocess.STDOUT)
    server = LiveServer(f"http://127.0.0.1:{port}", settings, token, proc, log)
    try:
        _wait_ready(server)
        yield server
    finally:
        _stop(proc)


def _wait_ready(server: LiveServer) -> None:
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
def live_server(index_settings: Settings) -> Iterator[LiveServer]:
    with run_server(index_settings) as server:
        yield server


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """``start(settings, token=ADMIN_TOKEN)`` → a running server, stopped when the test ends."""
    with ExitStack() as stack:
        def start(settings: Settings, token: str | None = ADMIN_TOKEN) -> LiveServer:
            return stack.enter_context(run_server(settings, token, log_dir=tmp_path))

        yield start


@pytest.fixture(scope="session")
def e5():
    from index.embedders import create_embedder

    return create_embedder("e5")


@pytest.fixture(scope="session")
def plan_engine(tmp_path_factory: pytest.TempPathFactory, e5):
    from index.build import build
    from index.engine import Engine, Options

    data = tmp_path_factory.mktemp("plan-data")
    build(data, ROOT / "corpus", e5)
    return Engine.open(Options(data, ROOT / "corpus"), e5)


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
