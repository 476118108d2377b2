"""Waitress for the app: bodies over the app's limit get the app's 413, never a reset.

Waitress refuses a body over its ``max_request_body_size`` by answering its own 413
and closing the connection without reading the rest; the client is still sending,
so it sees "connection reset by peer" and never reads the answer. Here waitress's
ceiling is raised to :data:`CEILING` and the request parser reads a body over the
app's limit to the end without keeping it (a chunked body keeps at most the limit).
The app then sees a request whose length is over ``MAX_CONTENT_LENGTH`` and answers
its own 413 (JSON under /api/, HTML elsewhere) on a connection that is still in step.
Only a body over the ceiling meets waitress's own refusal.
"""

from __future__ import annotations

import socket
from typing import Any

from waitress import create_server
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser

from kb.search import MAX_QUERY_CHARS

CEILING = 1 << 30  # bytes read and thrown away at most, per request
# A query at the length limit still fits in a URL (a character percent-encodes to at
# most 12 bytes), so the app, not waitress, answers a GET that is too long, in JSON.
MAX_HEADER = 12 * MAX_QUERY_CHARS + (64 << 10)


class _CappedBuffer:
    """A request body buffer that keeps at most ``keep`` bytes and counts the rest."""

    def __init__(self, inner: Any, keep: int) -> None:
        self.inner = inner
        self.keep = keep
        self.total = 0

    def append(self, data: bytes) -> None:
        """Keep the data while under the cap; count it either way."""
        if self.total + len(data) <= self.keep:
            self.inner.append(data)
        self.total += len(data)

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    def getfile(self) -> Any:
        """Return the kept bytes as a file (empty when the body was over the cap)."""
        return self.inner.getfile()

    def close(self) -> None:
        """Free what was kept."""
        self.inner.close()


def parser_for(limit: int) -> type[HTTPRequestParser]:
    """Return a waitress request parser that discards bodies over ``limit`` bytes."""

    class LimitedParser(HTTPRequestParser):
        def parse_header(self, header_plus: bytes) -> None:
            super().parse_header(header_plus)
            receiver = self.body_rcv
            if receiver is None:
                return
            if self.chunked:  # the length is known only at the end: keep up to the limit
                receiver.buf = _CappedBuffer(receiver.buf, limit)
            elif self.content_length > limit:  # read it all, keep none of it
                receiver.buf = _CappedBuffer(receiver.buf, 0)

    return LimitedParser


def make_server(
    app: Any,
    *,
    host: str | None = None,
    port: int = 0,
    sockets: list[socket.socket] | None = None,
    threads: int = 8,
    limit: int | None = None,
    ceiling: int = CEILING,
) -> Any:
    """Create a waitress server for the app; bodies over ``limit`` reach the app empty."""
    limit = app.config.get("MAX_CONTENT_LENGTH") if limit is None else limit
    where: dict[str, Any] = {"sockets": sockets} if sockets else {"host": host, "port": port}
    servers: dict[Any, Any] = {}
    server = create_server(
        app,
        map=servers,
        threads=threads,
        ident="kb",
        max_request_body_size=ceiling,
        max_request_header_size=MAX_HEADER,
        **where,
    )
    if limit:

        class Channel(HTTPChannel):
            parser_class = parser_for(limit)

        for listener in list(servers.values()):
            if hasattr(listener, "channel_class"):
                listener.channel_class = Channel
    return server
