"""``warta import``: WARC and ARC files from any crawler, and JSON Lines of ``warta extract``.

Records stream through warcio (gzip or plain, WARC or ARC) one at a time: a response of a
profiled host (any host with ``all_hosts``) goes through ``scraper.extract.extract_article``,
the archive's dedupe (``archive.db.save_articles``) and story grouping, with its ``WARC-Date``
as the time it was seen. Articles are written in batches, one transaction each.

Importing what the archive already holds writes nothing: a record that only confirms an
article is rolled back, and ``first_seen``/``last_seen`` are widened only when its fetch time
lies outside them. A damaged file (a record cut short, a gzip member cut in half, a response
that is not an HTTP message, bytes that are no record) is read up to the damage, what was
read is committed, and the damage is reported with its byte offset.
"""

from __future__ import annotations

import gzip
import http.client
import io
import json
import os
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

import sqlite_utils
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeadersParser, StatusAndHeadersParserException

from archive.db import prepare_records, save_articles
from archive.stories import fingerprint_pool
from scraper.extract import MAX_BYTES, extract_article
from scraper.model import NotAnArticle
from scraper.sites import site_for_url

__all__ = ["Damage", "ImportStats", "Importer", "ReadError", "EXIT_DAMAGED"]

#: Exit status of ``warta import`` when a file was damaged (or a backfill file could not be read).
EXIT_DAMAGED = 1
#: Articles per transaction: large enough that commits cost little, small enough that an
#: interrupted import loses seconds of work (and a re-import redoes it harmlessly).
BATCH_SIZE = 1000
#: Worker processes prepare a batch of at least MIN_POOL_BATCH articles (URLs, hashes, story fingerprints:
#: archive.db.prepare_records) while the batches before it are written; at most PREPARE_AHEAD batches wait
#: in flight. A small import never starts them.
MIN_POOL_BATCH = 100
PREPARE_AHEAD = 2
_GZIP_MAGIC = b"\x1f\x8b"
_PROGRESS_EVERY_S = 0.5
_HTTP_PARSER = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1"], verify=True)


class _NotHTTP(Exception):
    """A response record whose block is not an HTTP response."""


class ReadError(Exception):
    """The source could not be read (a network or disk error), as opposed to damaged content."""


@dataclass
class Damage:
    """Where a file is damaged and how."""

    source: str
    offset: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}: damaged at offset {self.offset}: {self.message}"


@dataclass
class ImportStats:
    """The counts of one import: records read, HTML responses, articles, skips by reason, damage."""

    records: int = 0  # WARC/ARC records (JSON Lines: lines) read
    responses: int = 0  # HTTP response records
    html: int = 0  # of which HTML
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    same_body: int = 0  # another URL of an archived article of the same site (an alias)
    aliases: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    damage: list[Damage] = field(default_factory=list)
    bytes_read: int = 0

    def add(self, other: ImportStats) -> None:
        """Accumulate another file's counts."""
        for name in ("records", "responses", "html", "new", "updated", "unchanged", "same_body", "aliases",
                     "bytes_read"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.skipped.update(other.skipped)
        self.damage.extend(other.damage)

    def as_dict(self) -> dict[str, Any]:
        """The counts as plain JSON-able values (``warta import --json``)."""
        return {
            "records": self.records,
            "responses": self.responses,
            "html": self.html,
            "articles": {"new": self.new, "updated": self.updated, "unchanged": self.unchanged,
                         "same_body": self.same_body},
            "aliases": self.aliases,
            "skipped": dict(sorted(self.skipped.items())),
            "damage": [{"file": d.source, "offset": d.offset, "message": d.message} for d in self.damage],
        }

    def summary(self) -> str:
        """A few lines for a person (the end of ``warta import``)."""
        skipped = ", ".join(f"{reason} {n:,}" for reason, n in sorted(self.skipped.items())) or "none"
        return (
            f"records read: {self.records:,}; HTTP responses: {self.responses:,}; HTML: {self.html:,}\n"
            f"articles: {self.new:,} new, {self.updated:,} updated, {self.unchanged:,} unchanged, "
            f"{self.same_body:,} same body as another URL of the site\n"
            f"skipped: {sum(self.skipped.values()):,} ({skipped})\n"
            f"damaged: {len(self.damage)}" + "".join(f"\n  {d}" for d in self.damage)
        )


class CountingReader(io.RawIOBase):
    """A read-only stream that counts the bytes it hands out (warcio's offsets are relative to it),
    and turns the source's I/O errors into ReadError so they are not mistaken for damage."""

    def __init__(self, raw: IO[bytes], prefix: bytes = b"") -> None:
        self.raw = raw
        self.prefix = prefix
        self.count = 0

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.count

    def read(self, size: int | None = -1) -> bytes:
        if self.prefix:
            n = len(self.prefix) if size is None or size < 0 else size
            data, self.prefix = self.prefix[:n], self.prefix[n:]
        else:
            try:
                data = self.raw.read(-1 if size is None else size)
            except (OSError, http.client.HTTPException) as exc:
                raise ReadError(f"read failed after {self.count} bytes: {type(exc).__name__}: {exc}") from exc
        self.count += len(data)
        return data

    def readinto(self, b: Any) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)


def _seen(warc_date: str | None) -> str | None:
    """A WARC-Date (or an ARC date converted by warcio) as the archive's UTC timestamp."""
    if not warc_date:
        return None
    try:
        when = datetime.fromisoformat(warc_date.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).replace(microsecond=0).isoformat()


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _is_html(content_type: str) -> bool:
    """HTML by its Content-Type; a response without one is given the benefit of the doubt."""
    media = content_type.split(";")[0].strip().lower()
    return not media or "html" in media


class Importer:
    """Feeds records of one or more sources into an archive; counts in ``stats``.

    ``progress`` is called with the running stats, the source name and the bytes read of it
    (about twice a second).
    """

    def __init__(
        self,
        db: sqlite_utils.Database,
        *,
        all_hosts: bool = False,
        batch_size: int = BATCH_SIZE,
        progress: Callable[[ImportStats, str, int], None] | None = None,
        workers: int | None = None,
    ) -> None:
        self.db = db
        self.all_hosts = all_hosts
        self.batch_size = batch_size
        self.progress = progress
        self.stats = ImportStats()
        self._pending: list[tuple[dict[str, Any], str | None]] = []
        # Batches the pool prepares while earlier ones are written (Future or None).
        self._inflight: list[tuple[list[tuple[dict[str, Any], str | None]], Any]] = []
        self._pool: Any = None
        self.workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        self._last_progress = 0.0

    # ---------------------------------------------------------------- sources

    def import_stream(self, stream: IO[bytes], source: str) -> ImportStats:
        """Import one file or stream (WARC, ARC, either gzipped, or JSON Lines); returns its counts."""
        before = ImportStats()
        before.add(self.stats)
        head = stream.read(2)
        reader = CountingReader(stream, head)
        try:
            if head.startswith(_GZIP_MAGIC):
                inner = self._gzip_head(reader)
                if inner.lstrip()[:1] == b"{":
                    self._import_jsonl(gzip.GzipFile(fileobj=reader), source, reader)
                else:
                    self._import_warc(reader, source)
            elif head.lstrip()[:1] == b"{" or not head:
                self._import_jsonl(io.BufferedReader(reader, 1 << 16), source, reader)
            else:
                self._import_warc(reader, source)
        finally:
            self.flush()
            self.stats.bytes_read += reader.count
        after = ImportStats()
        after.add(self.stats)
        for name in ("records", "responses", "html", "new", "updated", "unchanged", "same_body", "aliases",
                     "bytes_read"):
            setattr(after, name, getattr(after, name) - getattr(before, name))
        after.skipped.subtract(before.skipped)
        after.skipped = +after.skipped
        after.damage = after.damage[len(before.damage):]
        return after

    @staticmethod
    def _gzip_head(reader: CountingReader) -> bytes:
        """The first decompressed bytes of a gzip stream, the compressed bytes put back."""
        chunk = reader.prefix + reader.raw.read(4096)
        reader.prefix = chunk
        try:
            return zlib.decompressobj(wbits=31).decompress(chunk, 64)
        except zlib.error:
            return b""

    def _import_warc(self, reader: CountingReader, source: str) -> None:
        # no_record_parse: the HTTP headers are parsed here, so a response that is not an HTTP
        # message is one damaged record, not the end of warcio's iteration.
        it = ArchiveIterator(reader, arc2warc=True, no_record_parse=True)
        stats = self.stats
        records: Iterator[Any] = iter(it)
        while True:
            start = it.offset
            try:
                record = next(records)
            except StopIteration:
                break
            except ReadError:
                raise
            except Exception as exc:  # noqa: BLE001 - warcio's errors on bad bytes are of many kinds
                stats.damage.append(Damage(source, start, f"no readable record here ({type(exc).__name__}: {exc})"))
                return
            stats.records += 1
            try:
                article = self._response(record)
            except ReadError:
                raise
            except _NotHTTP:
                stats.skipped["damaged"] += 1
                offset = it.get_record_offset()
                # Headers unreadable because the file ends inside the record (or inside its WARC headers).
                cut = record.length is None or getattr(record.raw_stream, "limit", 0) > 0
                message = ("record cut short: the file ends inside it" if cut
                           else "response record is not an HTTP response")
                stats.damage.append(Damage(source, offset, message))
                continue
            except Exception as exc:  # noqa: BLE001 - a payload that cannot be decoded is damage, not a crash
                article = None
                stats.skipped["damaged"] += 1
                it.read_to_end()
                stats.damage.append(Damage(source, it.get_record_offset(), f"unreadable payload ({exc})"))
                continue
            offset = it.get_record_offset()  # reads the rest of the record
            if record.rec_type is None or record.length is None:
                stats.skipped["damaged"] += 1
                stats.damage.append(Damage(source, offset, "record headers cut short: the file ends inside them"))
                continue
            if getattr(record.raw_stream, "limit", 0) > 0:
                stats.skipped["damaged"] += 1
                stats.damage.append(Damage(source, offset, "record cut short: the file ends inside it"))
                continue
            if article is not None:
                self._add(*article)
            self._tick(source, reader.count)
        # warcio stops quietly at a gzip member cut in half or at trailing bytes it cannot parse.
        if reader.count > it.offset:
            stats.damage.append(Damage(source, it.offset, f"incomplete record: {reader.count - it.offset} bytes "
                                                          "to the end of the file"))

    def _response(self, record: Any) -> tuple[dict[str, Any], str | None] | None:
        """An HTTP response record's article and fetch time, or None (counted as skipped);
        _NotHTTP when the record's block is not an HTTP response."""
        if record.rec_type != "response":
            return None
        uri = record.rec_headers.get_header("WARC-Target-URI") or ""
        if not uri.lower().startswith(("http://", "https://")):
            self.stats.skipped["not_http"] += 1  # dns:, ftp:, whois: responses (Heritrix writes them)
            return None
        try:
            http_headers = _HTTP_PARSER.parse(record.raw_stream)
        except (StatusAndHeadersParserException, EOFError, ValueError):
            raise _NotHTTP from None
        record.http_headers = http_headers  # content_stream() undoes chunking and compression with them
        stats = self.stats
        stats.responses += 1
        content_type = http_headers.get_header("Content-Type") or ""
        html = _is_html(content_type)
        stats.html += html
        status = http_headers.get_statuscode()
        if status != "200":
            stats.skipped["http_status"] += 1
            return None
        if not html:
            stats.skipped["not_html"] += 1
            return None
        if not self.all_hosts and site_for_url(uri) is None:
            stats.skipped["other_host"] += 1
            return None
        body = record.content_stream().read(MAX_BYTES + 1)
        if len(body) > MAX_BYTES:
            stats.skipped["too_large"] += 1
            return None
        if getattr(record.raw_stream, "limit", 0) > 0:
            return None  # cut short: the caller reports it
        try:
            article = extract_article(uri, body, encoding=_charset(content_type))
        except NotAnArticle as exc:
            stats.skipped[exc.reason] += 1
            return None
        return article.to_dict(), _seen(record.rec_headers.get_header("WARC-Date"))

    def _import_jsonl(self, stream: IO[bytes] | io.BufferedIOBase, source: str, reader: CountingReader) -> None:
        stats = self.stats
        offset = 0
        while True:
            try:
                line = stream.readline()
            except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
                stats.damage.append(Damage(source, offset, f"gzip stream cut or corrupt ({exc})"))
                return
            if not line:
                break
            start, offset = offset, offset + len(line)
            if not line.strip():
                continue
            stats.records += 1
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("not a JSON object")
            except ValueError as exc:
                stats.skipped["damaged"] += 1
                stats.damage.append(Damage(source, start, f"line is not a JSON object ({str(exc)[:80]})"))
                continue
            if "skipped" in record:
                stats.skipped[str(record["skipped"])] += 1
                continue
            fetched = _seen(record.get("fetched") or record.get("last_seen"))
            self._add(record, fetched)
            self._tick(source, reader.count)

    # ---------------------------------------------------------------- writing

    def _add(self, record: dict[str, Any], seen: str | None) -> None:
        self._pending.append((record, seen))
        if len(self._pending) >= self.batch_size:
            self._submit()
            # Batches in flight are being prepared by the pool; write the oldest meanwhile.
            while len(self._inflight) > PREPARE_AHEAD:
                self._write(*self._inflight.pop(0))

    def _submit(self) -> None:
        """Move the pending articles in flight; with a pool, their preparation starts."""
        batch, self._pending = self._pending, []
        if not batch:
            return
        future = None
        if len(batch) >= MIN_POOL_BATCH:
            pool = self._prepare_pool()
            if pool is not None:
                future = pool.submit(prepare_records, [record for record, _ in batch])
        self._inflight.append((batch, future))

    def _prepare_pool(self) -> Any:
        """Worker processes for prepare_records (~0.5 ms of CPU an article), made on the first full batch."""
        if self._pool is None and self.workers > 0:
            self._pool = fingerprint_pool(self.workers)
        return self._pool

    def flush(self) -> None:
        """Write every pending article (one transaction per batch) and stop the fingerprint workers."""
        self._submit()
        while self._inflight:
            self._write(*self._inflight.pop(0))
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def _write(self, batch: list[tuple[dict[str, Any], str | None]], future: Any) -> None:
        """One batch in one save_articles transaction: a record that only confirms what the archive holds
        writes nothing (its savepoint is rolled back) but widens first/last seen to its fetch time."""
        records = future.result() if future is not None else [record for record, _ in batch]
        result = save_articles(self.db, records, seen_each=[seen for _, seen in batch], confirmations="widen")
        stats = self.stats
        stats.new += result.new
        stats.updated += result.updated
        stats.unchanged += result.unchanged
        stats.same_body += result.same_body
        stats.aliases += result.aliases
        if result.invalid:
            stats.skipped["invalid"] += result.invalid

    def _tick(self, source: str, position: int) -> None:
        if self.progress is None:
            return
        now = time.monotonic()
        if now - self._last_progress >= _PROGRESS_EVERY_S:
            self._last_progress = now
            self.progress(self.stats, source, position)

