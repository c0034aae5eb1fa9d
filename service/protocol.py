"""The HTTP protocol ``tracuu serve`` runs: uvicorn's, with a deadline on a request's headers.

uvicorn times out idle keep-alive connections (``timeout_keep_alive``) and caps the size of
headers, but waits for ever for headers sent a byte at a time: a few hundred such
connections hold the server's sockets and memory. Here a connection that has not sent a
whole request head within ``TRACUU_HEADER_TIMEOUT`` seconds of connecting, or of starting a
request, is closed. The body is not timed here: the upload routes count it as it arrives.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from service.settings import get_settings


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """``HttpToolsProtocol`` that closes a connection whose request head is late."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.header_timeout = get_settings().header_timeout
        self._late: asyncio.TimerHandle | None = None

    def _start_clock(self) -> None:
        if self._late is None:
            self._late = self.loop.call_later(self.header_timeout, self._close_late)

    def _stop_clock(self) -> None:
        if self._late is not None:
            self._late.cancel()
            self._late = None

    def _close_late(self) -> None:
        self._late = None
        self.transport.close()

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_clock()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_clock()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._start_clock()

    def on_headers_complete(self) -> None:
        self._stop_clock()
        super().on_headers_complete()
