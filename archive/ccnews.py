"""Backfill from Common Crawl's CC-NEWS: its monthly path lists, then each WARC file, streamed.

``crawl-data/CC-NEWS/YYYY/MM/warc.paths.gz`` lists a month's WARC files (one path per line, relative
to the data host). Each file is streamed over HTTP through ``archive.imports.Importer`` (records
of the profiled hosts only) and never stored. The ``imported_files`` table records every file's
status, so a backfill run from cron resumes where it stopped: ``done`` and ``damaged`` files are
not fetched again; a file left ``running`` (the process was killed) or ``failed`` (the network)
is read again from its start, and the dedupe makes the second reading write nothing it had.
"""

from __future__ import annotations

import gzip
import http.client
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlite_utils

from archive.common import write
from archive.imports import Importer, ImportStats, ReadError

__all__ = ["DEFAULT_BASE", "BackfillResult", "backfill", "months", "path_list_url"]

#: Common Crawl's public data host (HTTPS; the same files as s3://commoncrawl/).
DEFAULT_BASE = "https://data.commoncrawl.org"
USER_AGENT = "warta-backfill (+https://github.com/; CC-NEWS import)"
_NETWORK_ERRORS = (OSError, http.client.HTTPException, ReadError, socket.timeout)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def months(since: str, until: str) -> list[str]:
    """The months ``YYYY/MM`` from ``since`` to ``until`` (both ``YYYY-MM``), inclusive."""
    def parse(value: str) -> tuple[int, int]:
        try:
            when = datetime.strptime(value, "%Y-%m")
        except ValueError:
            raise ValueError(f"not a month (YYYY-MM): {value!r}") from None
        return when.year, when.month

    (y, m), end = parse(since), parse(until)
    if (y, m) > end:
        raise ValueError(f"--since {since} is after --until {until}")
    out = []
    while (y, m) <= end:
        out.append(f"{y:04d}/{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def path_list_url(base: str, month: str) -> str:
    """The URL of a month's ``warc.paths.gz``."""
    return f"{base.rstrip('/')}/crawl-data/CC-NEWS/{month}/warc.paths.gz"


@dataclass
class BackfillResult:
    """What a backfill run did: files by outcome and the summed import counts."""

    listed: int = 0
    done_before: int = 0  # already imported by an earlier run: not fetched
    done: int = 0
    damaged: int = 0
    failed: int = 0
    stats: ImportStats = field(default_factory=ImportStats)
    errors: list[str] = field(default_factory=list)


def _open(url: str, timeout: float) -> http.client.HTTPResponse:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    return urllib.request.urlopen(request, timeout=timeout)


def _with_retries(what: str, retries: int, backoff: float, action: Callable[[], object]) -> object:
    """Run ``action``, retrying network errors ``retries`` times with doubling waits."""
    for attempt in range(retries + 1):
        try:
            return action()
        except urllib.error.HTTPError as exc:
            if exc.code == 404 or attempt == retries:  # a month not published yet is not retried
                raise ReadError(f"{what}: HTTP {exc.code} {exc.reason}") from None
        except _NETWORK_ERRORS as exc:
            if attempt == retries:
                raise ReadError(f"{what}: {type(exc).__name__}: {exc}") from None
        time.sleep(backoff * 2**attempt)
    raise AssertionError("unreachable")


def listed_paths(base: str, month: str, *, timeout: float, retries: int, backoff: float) -> list[str]:
    """The WARC paths a month's ``warc.paths.gz`` lists (small: read whole)."""
    url = path_list_url(base, month)

    def fetch() -> bytes:
        with _open(url, timeout) as response:
            return response.read()

    data = _with_retries(url, retries, backoff, fetch)
    assert isinstance(data, bytes)
    try:
        text = gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise ReadError(f"{url}: not a gzipped path list ({exc})") from None
    return [line.strip() for line in text.splitlines() if line.strip()]


def _status(db: sqlite_utils.Database, path: str) -> str | None:
    row = db.execute("SELECT status FROM imported_files WHERE source = ?", (path,)).fetchone()
    return row[0] if row else None


def _mark(db: sqlite_utils.Database, path: str, status: str, stats: ImportStats | None = None,
          error: str | None = None) -> None:
    with write(db) as conn:
        if status == "running":
            conn.execute(
                "INSERT INTO imported_files (source, status, attempts, started) VALUES (?, 'running', 1, ?) "
                "ON CONFLICT (source) DO UPDATE SET status = 'running', attempts = attempts + 1, "
                "started = excluded.started, finished = NULL, error = NULL",
                (path, _now()),
            )
            return
        s = stats or ImportStats()
        conn.execute(
            "UPDATE imported_files SET status = ?, finished = ?, records = ?, html = ?, articles_new = ?, "
            "updated = ?, unchanged = ?, skipped = ?, error = ? WHERE source = ?",
            (status, _now(), s.records, s.html, s.new, s.updated, s.unchanged, sum(s.skipped.values()),
             error, path),
        )


def backfill(
    db: sqlite_utils.Database,
    importer: Importer,
    *,
    since: str,
    until: str,
    base: str = DEFAULT_BASE,
    timeout: float = 60.0,
    retries: int = 3,
    backoff: float = 5.0,
    max_files: int | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> BackfillResult:
    """Import the CC-NEWS WARC files of the months ``since``..``until`` not imported yet."""
    result = BackfillResult()
    fetched = 0
    for month in months(since, until):
        try:
            paths = listed_paths(base, month, timeout=timeout, retries=retries, backoff=backoff)
        except ReadError as exc:
            result.errors.append(str(exc))
            log(f"cannot read the path list of {month}: {exc}")
            continue
        result.listed += len(paths)
        for path in paths:
            if _status(db, path) in ("done", "damaged"):
                result.done_before += 1
                continue
            if max_files is not None and fetched >= max_files:
                return result
            fetched += 1
            _import_one(db, importer, base, path, timeout, retries, backoff, result, log)
    return result


def _import_one(
    db: sqlite_utils.Database,
    importer: Importer,
    base: str,
    path: str,
    timeout: float,
    retries: int,
    backoff: float,
    result: BackfillResult,
    log: Callable[[str], None],
) -> None:
    """Stream one WARC file into the archive, re-reading it from the start after a network error."""
    url = f"{base.rstrip('/')}/{path.lstrip('/')}"
    _mark(db, path, "running")
    totals = ImportStats()
    for attempt in range(retries + 1):
        try:
            with _open(url, timeout) as response:
                stats = importer.import_stream(response, path)
                missing = response.length  # bytes of the announced Content-Length never received
            if missing:
                totals.add(stats)
                raise ReadError(f"connection closed {missing} bytes before the end")
        except urllib.error.HTTPError as exc:
            error = f"HTTP {exc.code} {exc.reason}"
        except _NETWORK_ERRORS as exc:
            error = f"{type(exc).__name__}: {exc}"
        else:
            totals.add(stats)
            # Counts of this reading; articles written by an earlier, interrupted one still count.
            earlier = (totals.new - stats.new) + (totals.updated - stats.updated)
            stats.new, stats.updated = totals.new, totals.updated
            stats.unchanged = max(stats.unchanged - earlier, 0)
            if stats.damage and attempt < retries:
                # A connection cut inside a gzip member looks like damage: read it again first.
                log(f"{path}: {stats.damage[0]}; reading it again")
                time.sleep(backoff * 2**attempt)
                continue
            status = "damaged" if stats.damage else "done"
            _mark(db, path, status, stats, str(stats.damage[0]) if stats.damage else None)
            result.stats.add(stats)
            result.done += status == "done"
            result.damaged += status == "damaged"
            return
        log(f"{path}: {error} (attempt {attempt + 1} of {retries + 1})")
        if attempt < retries:
            time.sleep(backoff * 2**attempt)
    _mark(db, path, "failed", totals, error)
    result.failed += 1
    result.errors.append(f"{path}: {error}")


def statuses(db: sqlite_utils.Database) -> Iterator[tuple[str, int]]:
    """Files per status in ``imported_files`` (for the summary)."""
    yield from db.execute("SELECT status, count(*) FROM imported_files GROUP BY status ORDER BY status")
