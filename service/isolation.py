"""Uploads are read in a child process with a memory limit and a timeout, so that one file
cannot take the server down (``ingest.limits`` refuses what is too large before reading it;
this stops what gets past those caps and still runs away).

The children fork from a process of their own, multiprocessing's *forkserver*, which has
imported the readers and warmed underthesea once (``service.reader_process``, 4 s), so a
file costs a fork, not an import, and the server's threads are never forked. Each child
gets ``RLIMIT_AS`` (its address space, so also its resident memory) of ``memory_mb`` and
is killed after ``timeout`` seconds. One file is read at a time per server process.

The child also makes the document's index units and checks them against the caps on one
document (``index.build.units.units_for``), so the segmenting a build does for an upload is
bounded like the reading, and a document too big to index is refused before anything is
embedded.

What the child raises comes back as it was (``IngestError`` subclasses pickle); running
out of memory, dying or running late become ``TooLarge``/``TookTooLong``, and an
unexpected error in the parser becomes ``CorruptFile`` (logged with its traceback): an
upload is refused with a sentence, never answered with a 500.
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing import forkserver
from pathlib import Path

from index.build.units import Unit, units_for
from ingest.catalog import Catalog
from ingest.errors import CorruptFile, IngestError, TookTooLong, TooLarge
from ingest.limits import MB, Limits
from ingest.models import Document
from ingest.pipeline import parse_bytes

log = logging.getLogger(__name__)

PRELOAD = ["service.reader_process"]
_context_lock = threading.Lock()
_one_at_a_time = threading.Lock()


def _context():
    """The forkserver context, its server told to preload the readers (before it starts)."""
    with _context_lock:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx


def start() -> None:
    """Start the forkserver now (it preloads in the background), so the first upload does not wait."""
    _context()
    forkserver.ensure_running()


def _child(conn, memory: int, fn: Callable, args: tuple) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        reply = ("ok", fn(*args))
    except IngestError as e:
        reply = ("refused", e)
    except MemoryError:
        reply = ("memory", None)
    except Exception as e:
        reply = ("bug", f"{type(e).__name__}: {e}\n{traceback.format_exc()}")
    if reply[0] != "ok" and _peak_address_space() > memory - 32 * MB:
        reply = ("memory", None)  # lxml reports a failed allocation as "unknown error", not MemoryError
    try:
        conn.send(reply)
    except MemoryError:
        conn.send(("memory", None))
    conn.close()


def _peak_address_space() -> int:
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmPeak:"):
            return int(line.split()[1]) * 1024
    return 0


def run_isolated(fn: Callable, args: tuple, name: str, timeout: float, memory_mb: int):
    """``fn(*args)`` in a child process; ``name`` is the file named in the errors."""
    ctx = _context()
    with _one_at_a_time:
        receive, send = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_child, args=(send, memory_mb * MB, fn, args), name="tracuu-doc-tep", daemon=True)
        try:
            try:
                child.start()
                send.close()
                if not receive.poll(timeout):
                    raise TookTooLong(name, f"đọc tệp quá {timeout:g} giây nên đã dừng; tệp quá phức tạp hoặc bị hỏng "
                                            "(hãy tách thành nhiều tệp)")
                kind, value = receive.recv()
            except (EOFError, OSError):  # killed (out of memory) or crashed before answering
                child.join(5)
                raise TooLarge(name, f"tiến trình đọc tệp dừng bất thường (mã {child.exitcode}); tệp có thể cần quá "
                                     f"{memory_mb} MB bộ nhớ hoặc bị hỏng") from None
        finally:
            send.close()
            receive.close()
            if child.is_alive():
                child.kill()
            child.join()
    if kind == "ok":
        return value
    if kind == "refused":
        raise value
    if kind == "memory":
        raise TooLarge(name, f"đọc tệp cần quá {memory_mb} MB bộ nhớ nên đã dừng; tệp quá lớn hoặc bất thường")
    log.error("the parser failed on %s:\n%s", name, value)
    raise CorruptFile(name, f"không đọc được tệp do lỗi của bộ phân tích ({value.splitlines()[0]})")


def read_for_index(data: bytes, name: str, catalog, gazetteer, limits: Limits) -> tuple[Document, list[Unit]]:
    """A file's document and its index units, within the caps (run in the child)."""
    doc = parse_bytes(data, name, catalog, gazetteer, limits)
    return doc, units_for(doc, capped_as=name)


@dataclass
class IsolatedReader:
    """``read_for_index`` run by ``run_isolated``: called as ``index.build.builder`` calls its
    ``parse``; ``units(doc)`` then hands the build the units the child made. Reading and
    making the units are given ``timeout`` seconds each; ``preview``: reading only."""

    limits: Limits
    timeout: float
    memory_mb: int
    preview: bool = False
    made: dict[str, list[Unit]] = field(default_factory=dict)

    def __call__(self, data: bytes, name: str, catalog: Catalog | None = None, gazetteer=None) -> Document:
        if self.preview:
            return run_isolated(parse_bytes, (data, name, catalog, gazetteer, self.limits), name, self.timeout,
                                self.memory_mb)
        doc, units = run_isolated(read_for_index, (data, name, catalog, gazetteer, self.limits), name,
                                  2 * self.timeout, self.memory_mb)
        self.made[doc.id] = units
        return doc

    def units(self, doc: Document) -> list[Unit]:
        made = self.made.pop(doc.id, None)
        return units_for(doc) if made is None else made
