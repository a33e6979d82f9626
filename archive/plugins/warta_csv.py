"""Datasette plugin: formula-safe CSV (OWASP "CSV Injection") from the served archive.

Datasette 0.65 has no per-cell CSV hook, and an output renderer cannot stream (``?_stream=on``),
so the ``.csv`` response itself is rewritten as it streams: body chunks are cut into whole CSV
records (a line end outside quotes); a record with cells that start with ``= + - @``, tab or CR
gets a ``'`` before those cells (archive.safety.neutralise_csv_record), and every other record
passes through byte for byte. Memory: one partial record at a time.

There is no opt-out by URL: a link that turned it off could be sent to a victim. Raw values are
in the JSON (``.json``) and in ``warta export`` without ``--excel``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from datasette import hookimpl

from archive.safety import neutralise_csv_record

Scope = dict[str, Any]
Message = dict[str, Any]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Callable[[], Awaitable[Any]], Send], Awaitable[None]]


def is_csv_request(scope: Scope) -> bool:
    """A request for Datasette's CSV of a table, view or query (``.csv`` is the only way in 0.65)."""
    return scope.get("type") == "http" and str(scope.get("path", "")).endswith(".csv")


def _is_csv_response(headers: list[tuple[bytes, bytes]]) -> bool:
    # Datasette serves CSV as text/plain (text/csv with _dl=on); ?_trace=1 wraps it in an HTML
    # page, and errors are HTML or JSON: those are not spreadsheet input and are left alone.
    types = [v.lower() for n, v in headers if n.lower() == b"content-type"]
    return bool(types) and types[0].startswith((b"text/plain", b"text/csv"))


class CsvRecords:
    """Cuts a stream of CSV bytes into whole records: a CRLF or LF outside double quotes ends one."""

    def __init__(self) -> None:
        self.pending = b""
        self.in_quotes = False
        self.scanned = 0  # bytes of pending already scanned (quote state is as of there)

    def feed(self, chunk: bytes) -> list[bytes]:
        """The records completed by this chunk (UTF-8 is safe to scan bytewise: no byte of a
        multi-byte character is ASCII)."""
        self.pending += chunk
        records = []
        start = 0
        i = self.scanned
        data = self.pending
        while True:
            quote = data.find(b'"', i)
            newline = data.find(b"\n", i)
            if newline < 0:
                if quote >= 0:  # count the rest's quotes so the next chunk starts in the right state
                    self.in_quotes ^= data.count(b'"', i) % 2 == 1
                i = len(data)
                break
            if 0 <= quote < newline:
                self.in_quotes = not self.in_quotes
                i = quote + 1
                continue
            i = newline + 1
            if not self.in_quotes:
                records.append(data[start:i])
                start = i
        self.pending = data[start:]
        self.scanned = i - start
        return records

    def rest(self) -> bytes:
        """What is left at the end of the stream (a last record without a line end)."""
        rest, self.pending, self.scanned = self.pending, b"", 0
        return rest


def formula_safe_csv(send: Send) -> Send:
    """A send() that neutralises formula cells in a CSV response body as it streams."""
    records: CsvRecords | None = None

    async def safe_send(message: Message) -> None:
        nonlocal records
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            if _is_csv_response(headers):
                records = CsvRecords()
                # The body's length changes: drop a Content-Length (Datasette streams without one).
                headers = [(n, v) for n, v in headers if n.lower() != b"content-length"]
                message = {**message, "headers": headers}
        elif message["type"] == "http.response.body" and records is not None:
            done = not message.get("more_body", False)
            parts = records.feed(message.get("body", b""))
            if done:
                parts.append(records.rest())
            message = {**message, "body": b"".join(neutralise_csv_record(p) for p in parts if p)}
        await send(message)

    return safe_send


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[App], App]:
    def wrap(app: App) -> App:
        async def safe(scope: Scope, receive: Any, send: Send) -> None:
            await app(scope, receive, formula_safe_csv(send) if is_csv_request(scope) else send)

        return safe

    return wrap
