"""One process at a time on an embedded data dir: the server that holds it, and builds handed to it.

Chroma's embedded ``PersistentClient`` is for one process per directory. A ``tracuu serve``
on embedded Chroma holds its data dir for as long as it runs: an exclusive ``flock`` on
``.serve.lock`` (the kernel releases it however the process ends, kill -9 included) and
``serve.json``, readable by the owner only, saying which process it is, where it listens and
the key it accepts for builds handed to it. ``tracuu ingest`` takes the same lock for its
build; while a server holds it, the build is handed to that server (``POST /api/reindex``),
which builds with its own Chroma client and swaps the new generation in. With a Chroma
server (``TRACUU_CHROMA_URL``) no lease is needed: processes share the server, not a directory.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from index.errors import TracuuError

log = logging.getLogger(__name__)

LOCK = ".serve.lock"
INFO = "serve.json"
POLL = 0.2  # seconds between tries while another process holds the lock


class DataDirHeld(TracuuError):
    """Another server process holds the embedded data dir."""

    status = 409


@dataclass
class Holder:
    """The server process that holds a data dir."""

    pid: int
    url: str
    key: str


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def holder(data_dir: Path) -> Holder | None:
    """The live server named in ``serve.json`` (None: none, or it has ended)."""
    try:
        h = Holder(**json.loads((data_dir / INFO).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    return h if h.pid != os.getpid() and alive(h.pid) else None


def _try_lock(data_dir: Path):
    """The open lock file, locked exclusively; None while another process holds it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    f = open(data_dir / LOCK, "a+")  # noqa: SIM115 - closed by the caller, which releases the lock
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.close()
        return None
    return f


def _url(host: str, port: int) -> str:
    host = "127.0.0.1" if host in ("", "0.0.0.0") else "[::1]" if host == "::" else host
    return f"http://[{host}]:{port}" if ":" in host and not host.startswith("[") else f"http://{host}:{port}"


@contextmanager
def serve(data_dir: Path, host: str, port: int) -> Iterator[Holder]:
    """Hold ``data_dir`` for this server process; refuse when another server holds it, and
    wait while a command-line build finishes."""
    announced = False
    while (lock := _try_lock(data_dir)) is None:
        other = holder(data_dir)
        if other is not None:
            raise DataDirHeld(f"Máy chủ khác (tiến trình {other.pid}, {other.url}) đang giữ thư mục dữ liệu {data_dir} "
                              "với Chroma nhúng: hai tiến trình không được mở chung một thư mục Chroma nhúng. Hãy dừng "
                              "máy chủ kia, hoặc dùng chung một máy chủ Chroma (TRACUU_CHROMA_URL).")
        if not announced:
            log.warning("waiting for the build that holds %s to finish", data_dir)
            announced = True
        time.sleep(POLL)
    me = Holder(os.getpid(), _url(host, port), secrets.token_urlsafe(32))
    info = data_dir / INFO
    try:
        tmp = data_dir / f".{INFO}.{me.pid}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(me.__dict__, f)
        os.replace(tmp, info)
        yield me
    finally:
        info.unlink(missing_ok=True)  # ours: nobody else writes it while we hold the lock
        lock.close()


@contextmanager
def build_here_or_hand_over(data_dir: Path) -> Iterator[Holder | None]:
    """For a command-line build: ``None`` with the data dir held by this process for the build,
    or the server that holds it (hand it the build). Waits while another build holds it."""
    announced = False
    while (lock := _try_lock(data_dir)) is None:
        other = holder(data_dir)
        if other is not None:
            yield other
            return
        if not announced:
            log.warning("waiting for another build of %s to finish", data_dir)
            announced = True
        time.sleep(POLL)
    try:
        yield None
    finally:
        lock.close()
