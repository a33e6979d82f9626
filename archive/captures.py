"""Captures: every response a crawl fetches, kept as WARC/1.1 records beside the archive.

Layout: ``<archive stem>.warc/YYYY/MM/DD/warta-<time>-<pid>-<n>.warc.gz`` next to the archive file
(``archive.db`` -> ``archive.warc/``), one gzip member per record, a ``warcinfo`` record first in
each file, a new file when one reaches ``WARTA_CAPTURES_MAX_BYTES``. Each fetch is a ``response``
record followed by its ``request`` record (``WARC-Concurrent-To``); a fetch whose payload is byte
for byte one already kept for the same URL is a ``revisit`` record (headers only) instead.

The ``captures`` table (schema v5) has one row per response or revisit record: URL, fetched at,
HTTP status, content type, ``WARC-Payload-Digest``, file (relative to the WARC folder), offset and
length of the gzip member, the crawl run, and the article it became.

Crash safety: a record is written whole with one ``os.write`` (no Python buffer to lose), and its
row is inserted only after the file was fsync'ed, in batches. A SIGKILL may leave a WARC file with
records no row points at (harmless) but never a row without its record.
"""

from __future__ import annotations

import base64
import hashlib
import io
import itertools
import logging
import os
import socket
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import sqlite_utils
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

#: Settings of the captures, merged into ``archive.crawling.ARCHIVE_SETTINGS``.
CAPTURE_SETTINGS: dict[str, tuple[Any, str]] = {
    "WARTA_CAPTURES": (True, "keep every fetched response as WARC records beside the archive (--no-captures: off)"),
    "WARTA_CAPTURES_DIR": (None, "the folder of the WARC files (default: <archive stem>.warc beside the archive)"),
    "WARTA_CAPTURES_MAX_BYTES": (100_000_000, "start a new WARC file once one holds this many bytes"),
    "WARTA_CAPTURES_BATCH": (50, "captures rows per archive transaction (each record is on disk before its row)"),
}
#: Seconds after which buffered rows are written even when the batch is not full.
FLUSH_SECONDS = 2.0
#: At most this many scraped articles wait for their row to be linked (constant memory).
MAX_PENDING_LINKS = 10_000
#: Response headers not kept as sent: Scrapy has already undone the chunking they announce.
DROPPED_HEADERS = frozenset({"transfer-encoding"})
SOFTWARE = "Warta (https://github.com/) with warcio"


def warc_root(db_path: str | Path, configured: str | Path | None = None) -> Path:
    """The WARC folder of an archive: ``configured``, else ``<stem>.warc`` beside the file."""
    if configured:
        return Path(configured)
    p = Path(db_path)
    return p.with_name(p.stem + ".warc")


def payload_digest(payload: bytes) -> str:
    """``sha1:<base32>``, the form of ``WARC-Payload-Digest`` (warcio, Heritrix, Common Crawl)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode("ascii")


def warc_date(moment: datetime) -> str:
    """WARC/1.1 date: UTC with microseconds and a Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --------------------------------------------------------------------------------------------
# Building records
# --------------------------------------------------------------------------------------------


@dataclass
class Fetch:
    """One HTTP exchange as it went over the wire (the body before any content decoding)."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    fetched: datetime
    request_body: bytes = b""
    protocol: str = "HTTP/1.1"

    @property
    def content_type(self) -> str | None:
        for name, value in self.response_headers:
            if name.lower() == "content-type":
                return value
        return None


def _writer(out: io.BytesIO) -> Any:
    from warcio.warcwriter import WARCWriter

    return WARCWriter(out, gzip=True, warc_version="1.1")


def _http_headers(fetch: Fetch) -> tuple[Any, Any]:
    from warcio.statusandheaders import StatusAndHeaders

    try:
        reason = HTTPStatus(fetch.status).phrase
    except ValueError:
        reason = "Unknown"
    response = StatusAndHeaders(
        f"{fetch.status} {reason}",
        [(k, v) for k, v in fetch.response_headers if k.lower() not in DROPPED_HEADERS],
        protocol=fetch.protocol,
    )
    parts = urlsplit(fetch.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = list(fetch.request_headers)
    if not any(k.lower() == "host" for k, _ in headers):
        headers.insert(0, ("Host", parts.netloc))
    request = StatusAndHeaders(f"{fetch.method} {target} {fetch.protocol}", headers, is_http_request=True)
    return response, request


def build_records(fetch: Fetch, digest: str, refers_to: tuple[str, str] | None = None) -> tuple[bytes, bytes]:
    """The gzip members of a fetch: (response or revisit record, request record).

    ``refers_to``: (target URI, WARC-Date) of the record holding the same payload; the response
    is then a ``revisit`` record with the HTTP headers only.
    """
    response_headers, request_headers = _http_headers(fetch)
    out = io.BytesIO()
    writer = _writer(out)
    date = warc_date(fetch.fetched)
    if refers_to is None:
        record = writer.create_warc_record(
            fetch.url,
            "response",
            payload=io.BytesIO(fetch.body),
            length=len(fetch.body),
            http_headers=response_headers,
            warc_headers_dict={"WARC-Date": date, "WARC-Payload-Digest": digest},
        )
    else:
        record = writer.create_revisit_record(
            fetch.url, digest, refers_to[0], refers_to[1], http_headers=response_headers,
            warc_headers_dict={"WARC-Date": date},
        )
    request = writer.create_warc_record(
        fetch.url,
        "request",
        payload=io.BytesIO(fetch.request_body),
        length=len(fetch.request_body),
        http_headers=request_headers,
        warc_headers_dict={"WARC-Date": date},
    )
    writer.write_record(record)
    first = out.tell()
    request.rec_headers.add_header("WARC-Concurrent-To", record.rec_headers.get_header("WARC-Record-ID"))
    writer.write_record(request)
    data = out.getvalue()
    return data[:first], data[first:]


def warcinfo_record(filename: str, extra: dict[str, str] | None = None) -> bytes:
    """The ``warcinfo`` record that opens a WARC file."""
    out = io.BytesIO()
    writer = _writer(out)
    info = {"software": SOFTWARE, "format": "WARC File Format 1.1", "hostname": socket.gethostname(),
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"}
    writer.write_record(writer.create_warcinfo_record(filename, {**info, **(extra or {})}))
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


_SERIAL = itertools.count(1)


class WarcFiles:
    """Appends whole records to the current WARC file of a folder, rotating at ``max_bytes``."""

    def __init__(self, root: Path, max_bytes: int = 100_000_000, prefix: str = "warta") -> None:
        self.root = root
        self.max_bytes = max(1, int(max_bytes))
        self.prefix = prefix
        self.fd: int | None = None
        self.relative: str = ""
        self.size = 0
        self.serial = 0
        self.dirty = False

    def _open(self, now: datetime) -> None:
        self.close()
        day = now.astimezone(UTC)
        folder = self.root / f"{day:%Y}" / f"{day:%m}" / f"{day:%d}"
        folder.mkdir(parents=True, exist_ok=True)
        while True:
            # One counter per process: several spiders of one run (one writer each) share the pid.
            self.serial = next(_SERIAL)
            name = f"{self.prefix}-{day:%Y%m%d%H%M%S}-{os.getpid()}-{self.serial:05d}.warc.gz"
            try:
                # O_EXCL: a file is written by one writer only, from its first byte.
                self.fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
                break
            except FileExistsError:  # left by an earlier process that had the same pid
                continue
        self.relative = f"{day:%Y}/{day:%m}/{day:%d}/{name}"
        self.size = 0
        self._write(warcinfo_record(name))

    def _write(self, data: bytes) -> None:
        assert self.fd is not None
        view = memoryview(data)
        while view:  # one write() in practice; a short write (full disk) is retried or raises
            written = os.write(self.fd, view)
            view = view[written:]
        self.size += len(data)
        self.dirty = True

    def append(self, members: Iterable[bytes], now: datetime) -> tuple[str, list[int]]:
        """Write the members back to back in one file; (relative file, offset of each member)."""
        chunks = list(members)
        if self.fd is None or self.size >= self.max_bytes:
            self._open(now)
        offsets = []
        position = self.size
        for chunk in chunks:
            offsets.append(position)
            position += len(chunk)
        self._write(b"".join(chunks))  # one write: a kill never splits a response from its request
        return self.relative, offsets

    def sync(self) -> None:
        """fsync what was written, so rows inserted after this point find their records on disk."""
        if self.fd is not None and self.dirty:
            os.fsync(self.fd)
            self.dirty = False

    def close(self) -> None:
        if self.fd is not None:
            self.sync()
            os.close(self.fd)
            self.fd = None


# --------------------------------------------------------------------------------------------
# The writer: records, rows, dedupe, links to articles
# --------------------------------------------------------------------------------------------

_INSERT = (
    "INSERT INTO captures (url, fetched_at, status, content_type, payload_digest, payload_length, record_type, "
    "revisit_of, file, offset, length, request_length, run_id) "
    "VALUES (:url, :fetched_at, :status, :content_type, :payload_digest, :payload_length, :record_type, "
    ":revisit_of, :file, :offset, :length, :request_length, :run_id)"
)


@dataclass
class CaptureCounts:
    """What a writer did: records written, revisits (payload kept already), rows, links."""

    responses: int = 0
    revisits: int = 0
    bytes: int = 0
    rows: int = 0
    linked: int = 0


class CaptureWriter:
    """Writes fetches as WARC records and their ``captures`` rows (after the records are on disk)."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        root: Path,
        *,
        run_id: int | None = None,
        max_bytes: int = 100_000_000,
        batch: int = 50,
    ) -> None:
        self.db = db
        self.root = root
        self.files = WarcFiles(root, max_bytes)
        self.run_id = run_id
        self.batch = max(1, int(batch))
        self.rows: list[dict[str, Any]] = []
        self.buffered: dict[tuple[str, str], dict[str, Any]] = {}  # (url, digest) -> row not yet inserted
        self.pending: list[tuple[str, str]] = []  # (fetched URL, canonical URL) of scraped articles
        self.last_flush = time.monotonic()
        self.counts = CaptureCounts()

    def _known(self, url: str, digest: str) -> tuple[int, str] | None:
        """(capture id, WARC-Date) of the response record already holding this payload of this URL."""
        row = self.db.conn.execute(
            "SELECT id, fetched_at FROM captures WHERE url = ? AND payload_digest = ? AND record_type = 'response' "
            "ORDER BY id LIMIT 1",
            (url, digest),
        ).fetchone()
        return (int(row[0]), row[1]) if row else None

    def write(self, fetch: Fetch) -> None:
        """Keep one fetch: a response record, or a revisit when this URL's payload is kept already."""
        digest = payload_digest(fetch.body)
        if (fetch.url, digest) in self.buffered:
            self.flush()  # the original's row must exist before a revisit can point at it
        original = self._known(fetch.url, digest)
        response, request = build_records(fetch, digest, (fetch.url, original[1]) if original else None)
        file, (offset, _request_offset) = self.files.append((response, request), fetch.fetched)
        row = {
            "url": fetch.url,
            "fetched_at": warc_date(fetch.fetched),
            "status": fetch.status,
            "content_type": fetch.content_type,
            "payload_digest": digest,
            "payload_length": len(fetch.body),
            "record_type": "revisit" if original else "response",
            "revisit_of": original[0] if original else None,
            "file": file,
            "offset": offset,
            "length": len(response),
            "request_length": len(request),
            "run_id": self.run_id,
        }
        self.rows.append(row)
        if original is None:
            self.buffered[(fetch.url, digest)] = row
            self.counts.responses += 1
        else:
            self.counts.revisits += 1
        self.counts.bytes += len(response) + len(request)
        if len(self.rows) >= self.batch or time.monotonic() - self.last_flush >= FLUSH_SECONDS:
            self.flush()

    def article_scraped(self, url: str, canonical: str) -> None:
        """Link the captures of ``url`` to the article archived under ``canonical`` (at a flush)."""
        self.pending.append((url, canonical))
        if len(self.pending) > MAX_PENDING_LINKS:
            del self.pending[: len(self.pending) - MAX_PENDING_LINKS]

    def flush(self) -> None:
        """fsync the WARC file, then insert the buffered rows and link scraped articles, one transaction."""
        from archive.common import write
        from archive.db import _lookup_id

        self.last_flush = time.monotonic()
        if not self.rows and not self.pending:
            return
        self.files.sync()
        rows, self.rows = self.rows, []
        self.buffered.clear()
        still: list[tuple[str, str]] = []
        try:
            with write(self.db) as conn:
                conn.executemany(_INSERT, rows)
                for url, canonical in self.pending:
                    article_id = _lookup_id(self.db, canonical)
                    if article_id is None:
                        still.append((url, canonical))  # its batch is not archived yet
                        continue
                    cur = conn.execute(
                        "UPDATE captures SET article_id = ? WHERE url IN (?, ?) AND article_id IS NULL",
                        (article_id, url, canonical),
                    )
                    self.counts.linked += cur.rowcount
        except sqlite3.Error as exc:
            # The records stay in the WARC file; only their rows are lost (never the other way round).
            logger.error("Could not record %d captures: %s", len(rows), exc)
            return
        self.counts.rows += len(rows)
        self.pending = still

    def close(self) -> None:
        """Write what is buffered and close the file."""
        try:
            self.flush()
        finally:
            self.files.close()


# --------------------------------------------------------------------------------------------
# The Scrapy downloader middleware
# --------------------------------------------------------------------------------------------


def _pairs(headers: Any) -> list[tuple[str, str]]:
    """Scrapy Headers (bytes, multi-valued) as (name, value) text pairs in order."""
    out = []
    for name, values in headers.items():
        key = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        for value in values:
            out.append((key, value.decode("latin-1") if isinstance(value, bytes) else str(value)))
    return out


class CaptureMiddleware:
    """DOWNLOADER_MIDDLEWARES: writes every response as it came from the network (before Scrapy
    decompresses it or follows a redirect), robots.txt, sitemaps and error pages included."""

    def __init__(self, crawler: Crawler, writer: CaptureWriter) -> None:
        self.crawler = crawler
        self.writer = writer

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CaptureMiddleware:
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        from archive.db import open_archive

        def setting(name: str) -> Any:  # archive.crawling imports this module: read them here
            return crawler.settings.get(name, CAPTURE_SETTINGS[name][0] if name in CAPTURE_SETTINGS else None)

        if not crawler.settings.getbool("WARTA_CAPTURES", CAPTURE_SETTINGS["WARTA_CAPTURES"][0]):
            raise NotConfigured
        path = str(setting("WARTA_DB") or "archive.db")
        writer = CaptureWriter(
            open_archive(path),
            warc_root(path, setting("WARTA_CAPTURES_DIR")),
            run_id=int(setting("WARTA_RUN_ID") or 0) or None,
            max_bytes=int(setting("WARTA_CAPTURES_MAX_BYTES")),
            batch=int(setting("WARTA_CAPTURES_BATCH")),
        )
        mw = cls(crawler, writer)
        crawler.signals.connect(mw.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def process_response(self, request: Request, response: Response) -> Response:
        if "cached" in response.flags:  # HTTPCACHE: kept already when it was fetched
            return response
        fetch = Fetch(
            url=request.url,
            method=request.method,
            request_headers=_pairs(request.headers),
            request_body=request.body or b"",
            status=response.status,
            response_headers=_pairs(response.headers),
            body=response.body,
            fetched=datetime.now(UTC),
            protocol=getattr(response, "protocol", None) or "HTTP/1.1",
        )
        try:
            self.writer.write(fetch)
        except OSError as exc:  # a full disk must not stop the crawl: the article is still archived
            logger.error("Capture of %s not written: %s", request.url, exc)
            self.inc("warta/captures/failed")
            return response
        self.inc("warta/captures/written")
        return response

    def item_scraped(self, item: Any) -> None:
        if isinstance(item, dict) and item.get("canonical_url") and item.get("url"):
            self.writer.article_scraped(str(item["url"]), str(item["canonical_url"]))

    def spider_closed(self) -> None:
        # After the item pipeline closed (its last batch is archived): every article can be linked.
        try:
            self.writer.close()
        finally:
            self.writer.db.close()
        counts = self.writer.counts
        logger.info("Captures: %d responses, %d revisits, %d bytes of WARC, %d rows, %d linked to articles",
                    counts.responses, counts.revisits, counts.bytes, counts.rows, counts.linked)

    def inc(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)


# --------------------------------------------------------------------------------------------
# Reading captures back
# --------------------------------------------------------------------------------------------


@dataclass
class Capture:
    """A capture row with its record resolved (a revisit resolved to the record with the payload)."""

    id: int
    url: str
    fetched_at: str
    status: int | None
    content_type: str | None
    payload_digest: str
    path: Path  # the WARC file of the payload
    offset: int
    length: int
    request_length: int | None
    article_id: int | None

    def member(self) -> bytes:
        """The gzip member of the response record, as stored."""
        with self.path.open("rb") as f:
            f.seek(self.offset)
            return f.read(self.length)

    def members(self) -> bytes:
        """The response and request members, as stored (for a WARC export)."""
        with self.path.open("rb") as f:
            f.seek(self.offset)
            return f.read(self.length + (self.request_length or 0))

    def payload(self, decoded: bool = True) -> bytes:
        """The HTTP body; ``decoded``: with its Content-Encoding undone (what a browser shows)."""
        from warcio.archiveiterator import ArchiveIterator

        for record in ArchiveIterator(io.BytesIO(self.member())):
            stream = record.content_stream() if decoded else record.raw_stream
            return stream.read()
        raise OSError(f"no WARC record at {self.path}:{self.offset}")


_CAPTURE_COLUMNS = (
    "c.id, c.url, c.fetched_at, c.status, c.content_type, c.payload_digest, c.article_id, "
    "coalesce(o.file, c.file), coalesce(o.offset, c.offset), coalesce(o.length, c.length), "
    "coalesce(o.request_length, c.request_length)"
)
_CAPTURE_FROM = "captures c LEFT JOIN captures o ON o.id = c.revisit_of"


def _capture(root: Path, row: Any) -> Capture:
    file = Path(row[7])
    return Capture(
        id=row[0], url=row[1], fetched_at=row[2], status=row[3], content_type=row[4], payload_digest=row[5],
        article_id=row[6], path=file if file.is_absolute() else root / file, offset=row[8], length=row[9],
        request_length=row[10],
    )


def capture_by_id(conn: sqlite3.Connection, root: Path, capture_id: int) -> Capture | None:
    """One capture, its revisit resolved to the record holding the payload."""
    row = conn.execute(f"SELECT {_CAPTURE_COLUMNS} FROM {_CAPTURE_FROM} WHERE c.id = ?", (capture_id,)).fetchone()
    return _capture(root, row) if row else None


def article_captures(conn: sqlite3.Connection, root: Path, article_id: int) -> list[Capture]:
    """The response records (not revisits) of an article, oldest first."""
    rows = conn.execute(
        f"SELECT {_CAPTURE_COLUMNS} FROM {_CAPTURE_FROM} WHERE c.article_id = ? AND c.record_type = 'response' "
        "ORDER BY c.id",
        (article_id,),
    )
    return [_capture(root, r) for r in rows]


def latest_capture(conn: sqlite3.Connection, root: Path, article_id: int) -> Capture | None:
    """The last fetch of an article (a revisit resolved to its payload), if one was kept."""
    row = conn.execute(
        f"SELECT {_CAPTURE_COLUMNS} FROM {_CAPTURE_FROM} WHERE c.article_id = ? AND c.status = 200 "
        "ORDER BY c.id DESC LIMIT 1",
        (article_id,),
    ).fetchone()
    return _capture(root, row) if row else None


def charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header."""
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip().strip('"') or None
    return None


def iter_warc(path: Path) -> Iterator[Any]:
    """The records of a WARC file with warcio (for tests and benchmarks)."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as f:
        yield from ArchiveIterator(f)
