"""The process's engine: opened once, swapped when a new index generation is published."""

from __future__ import annotations

import threading

from index.engine import Engine
from service.settings import Settings

_lock = threading.Lock()
_engine: Engine | None = None


def open_engine(settings: Settings) -> Engine:
    """The current engine; re-opened (off to the side, then swapped) when the manifest moved."""
    global _engine
    eng = _engine
    if eng is not None and not eng.stale():
        return eng
    with _lock:
        if _engine is None or _engine.stale():
            embedder = _engine.embedder if _engine is not None else None
            _engine = Engine.open(settings.options(), embedder)
        return _engine


def reset() -> None:
    global _engine
    with _lock:
        _engine = None
