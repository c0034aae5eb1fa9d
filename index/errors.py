"""Domain errors of the index layer. The service maps each to one HTTP status."""

from __future__ import annotations


class TracuuError(Exception):
    """Base class; ``status`` is the HTTP status the API answers with."""

    status = 500


class ConfigError(TracuuError):
    """Settings that cannot work (unknown embedder, model not found)."""


class MissingExtra(ConfigError):
    """An optional dependency is not installed; the message says what to install."""


class IndexMissing(TracuuError):
    """No index in the data dir yet: run ``tracuu ingest``."""

    status = 503


class IndexMismatch(TracuuError):
    """The index was built with another embedding model or dimension, or for another Chroma mode."""

    status = 409


class BadQuery(TracuuError):
    """Empty, too long or otherwise unusable query."""

    status = 422


class NotFound(TracuuError):
    """Unknown document, clause or agency id."""

    status = 404
