"""The engine an app serves (``app.state.engines``): opened at start-up, re-opened beside
the one in service when a new index generation is published, and swapped in when ready.

Requests never wait for a re-open that another build caused: they keep using the engine in
service while a background thread opens the new generation (53 s at 100,000 clauses). The
process that published the generation (an upload, a build handed over by ``tracuu
ingest``) waits for it with ``reload()``, so its answer already reflects the new index. A
data dir with no index yet gets an empty engine, so a fresh install can serve and take its
first upload.
"""

from __future__ import annotations

import logging
import os
import threading

from index.build.layout import DataDir
from index.build.store import read_manifest
from index.engine import Engine, Options
from index.retrieval.embedders import Embedder, create_embedder

log = logging.getLogger(__name__)


class EngineSlot:
    def __init__(self, options: Options, embedder: Embedder | None = None):
        self.options = options
        self._embedder = embedder  # loaded once, kept across generations
        self._engine: Engine | None = None
        self._opening = threading.Lock()  # one open at a time
        self._background = threading.Lock()  # held while a background re-open is under way
        self._failed: tuple | None = None  # the manifest a background re-open failed on: not retried
        self.error: str | None = None  # why it failed (for /healthz)

    def get(self) -> Engine:
        """The engine in service; a stale one starts a background re-open and keeps serving."""
        engine = self._engine
        if engine is None:
            return self.reload()
        if engine.stale() and self._manifest_key() != self._failed and self._background.acquire(blocking=False):
            threading.Thread(target=self._reopen, name="tracuu-reopen", daemon=True).start()
        return engine

    def reload(self) -> Engine:
        """Open the generation the manifest names now, swap it in and return it (the caller waits)."""
        with self._opening:
            engine = self._engine
            if engine is not None and not engine.stale():
                return engine
            if self._embedder is None:
                self._embedder = create_embedder(self.options.embedder, self.options.embed_model)
            if read_manifest(self.options.data_dir) is None:
                engine = Engine.empty(self.options, self._embedder)
            else:
                engine = Engine.open(self.options, self._embedder)
            self._engine, self._failed, self.error = engine, None, None
            return engine

    def _reopen(self) -> None:
        try:
            self.reload()
        except Exception as e:
            self._failed, self.error = self._manifest_key(), str(e)
            log.exception("index generation not opened; the previous one keeps serving")
        finally:
            self._background.release()

    def _manifest_key(self) -> tuple | None:
        try:
            st = os.stat(DataDir(self.options.data_dir).manifest)
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size
