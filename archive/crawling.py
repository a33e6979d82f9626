"""The archive's side of a crawl, switched on as one Scrapy add-on (:class:`ArchiveAddon`).

The spiders in ``scraper/`` discover pages and turn them into article items; they know nothing of
SQLite. This add-on plugs the archive into a crawl through Scrapy settings alone:

- :class:`ArchivePipeline` (ITEM_PIPELINES): items go to ``archive.db.save_articles`` in batches;
- :class:`ArchivedFilter` (SPIDER_MIDDLEWARES): requests for articles the archive already holds
  are dropped before they are scheduled, unless ``-a refresh=1`` or the sitemap's lastmod is newer;
  the model is scrapy-deltafetch, which breaks on Scrapy 2.19;
- :class:`RunHeartbeat` (EXTENSIONS): the running counts go into this run's ``crawl_runs`` row;
- :func:`story_fingerprint` (WARTA_EXTRACT_EXTRAS): what an extraction worker adds to each article
  item, so the fingerprint travels with the item to the pipeline.

``warta crawl``, ``warta demo`` and the tests enable it through ``archive.runner``; plain
``scrapy crawl`` through ``archive.scrapy_settings`` (scrapy.cfg). This module imports no Scrapy at
module level, so the CLI can read :data:`ARCHIVE_SETTINGS` without loading Scrapy.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.captures import CAPTURE_SETTINGS, CaptureMiddleware

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

    from scraper.model import Article


logger = logging.getLogger(__name__)

#: The archive file when nothing else names one (``--db``, ``-s WARTA_DB=...``).
DEFAULT_DB = "archive.db"

#: Every archive-side setting, declared once: name -> (default, meaning). The add-on sets the
#: defaults at "addon" priority, so project settings, ``-s`` and ``--set`` override them.
ARCHIVE_SETTINGS: dict[str, tuple[Any, str]] = {
    "WARTA_DB": (os.environ.get("WARTA_DB") or DEFAULT_DB, "the SQLite archive the crawl writes to (env WARTA_DB)"),
    "WARTA_BATCH_SIZE": (50, "article items per archive transaction"),
    "WARTA_BATCH_SECONDS": (5.0, "...or write the batch at least this often (seconds)"),
    "WARTA_RUN_ID": (None, "the crawl_runs row of this run (set by warta crawl/demo): counts and heartbeat go there"),
    "WARTA_HEARTBEAT_SECONDS": (10.0, "how often the running counts are written to the crawl_runs row (0: never)"),
    **CAPTURE_SETTINGS,
    # Crawl health (archive.cron.judge_site): when a site's run is "blocked" or "degraded".
    "WARTA_HEALTH_BLOCKED_SHARE": (
        0.5,
        "blocked: at least this share of answers are 401/403/429/503 or challenge pages",
    ),
    "WARTA_HEALTH_MIN_RUNS": (3, "degraded: compare with the site's recent ok runs only when there are this many"),
    "WARTA_HEALTH_HISTORY_RUNS": (
        10,
        "degraded: how many of the site's recent ok runs make its usual figures (median)",
    ),
    "WARTA_HEALTH_MIN_ARTICLES": (10, "degraded: the articles-per-run rule applies when the usual run has this many"),
    "WARTA_HEALTH_ARTICLES_RATIO": (0.25, "degraded: fewer articles than this share of the usual number"),
    "WARTA_HEALTH_MIN_SAMPLE": (5, "degraded: the date/body/parse rules need this many articles in the run"),
    "WARTA_HEALTH_DATED_RATIO": (0.5, "degraded: share of articles with a date below this share of the usual one"),
    "WARTA_HEALTH_BODY_RATIO": (0.5, "degraded: median body length below this share of the usual one"),
    "WARTA_HEALTH_PARSE_FAILURES_EXTRA": (0.25, "degraded: parse failure share above the usual one plus this"),
    "WARTA_SHORTER_THAN_ARCHIVED": (0.5, "a re-fetched body shorter than this share of the archived one is not stored"),
}

WIB = timezone(timedelta(hours=7))
#: Counts of ``save_articles`` copied into the crawl stats as ``warta/articles/<name>``.
COUNTS = ("new", "updated", "unchanged", "same_body", "aliases", "invalid")


def setting(crawler: Crawler, name: str) -> Any:
    """An archive setting of this crawl, its declared default when the add-on did not run (unit tests)."""
    return crawler.settings.get(name, ARCHIVE_SETTINGS[name][0])


class ArchiveAddon:
    """``ADDONS = {"archive.crawling.ArchiveAddon": 0}``: the archive's pipeline, filter, heartbeat."""

    def update_settings(self, settings: BaseSettings) -> None:
        for name, (default, _meaning) in ARCHIVE_SETTINGS.items():
            settings.set(name, default, priority="addon")
        settings.setdefault_in_component_priority_dict("ITEM_PIPELINES", ArchivePipeline, 300)
        # After the spider's own output (lower numbers are closer to the engine); before Scrapy's
        # depth and offsite middlewares does not matter: those only count and drop.
        settings.setdefault_in_component_priority_dict("SPIDER_MIDDLEWARES", ArchivedFilter, 950)
        settings.setdefault_in_component_priority_dict("EXTENSIONS", RunHeartbeat, 901)
        # Above HttpCompression (590) and Redirect (600): responses as they came off the network.
        settings.setdefault_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", CaptureMiddleware, 890)
        # Declared (None) in scraper.settings at project priority: fill it in unless a user named another.
        if not settings.get("WARTA_EXTRACT_EXTRAS"):
            priority = settings.getpriority("WARTA_EXTRACT_EXTRAS") or "addon"
            settings.set("WARTA_EXTRACT_EXTRAS", "archive.crawling.story_fingerprint", priority=priority)


# --------------------------------------------------------------------------------------------
# Story fingerprints, computed where the page was parsed
# --------------------------------------------------------------------------------------------


def story_fingerprint(article: Article) -> dict[str, Any]:
    """Run in an extraction worker: the item field ``story_fingerprint`` (body_hash, packed
    fingerprint) that ``save_articles`` would otherwise compute on the crawl's main thread."""
    from archive.stories import precompute_fingerprint

    return {"story_fingerprint": precompute_fingerprint(article.body)}


# --------------------------------------------------------------------------------------------
# The item pipeline
# --------------------------------------------------------------------------------------------


class ArchivePipeline:
    """Batch article items into ``archive.db.save_articles``, one transaction per batch.

    A batch is written when it holds WARTA_BATCH_SIZE items, when WARTA_BATCH_SECONDS have passed
    since the last write (checked as items arrive), and when the spider closes. A crash mid-crawl
    loses at most the batch not yet written; every committed batch stays (the archive is in WAL
    mode). The counts go to the crawl stats; with WARTA_RUN_ID set they are also added to that
    crawl run in the same transaction.

    Two kinds of items: an article (``Article.to_dict()``, maybe with ``discovered_urls``: the other
    URLs it was found under, and ``story_fingerprint``), and an alias (``{"warta_alias_of":
    canonical, "url": ...}``) for a URL found after its article was yielded (in this run or an
    earlier one). Aliases are written after the batch's articles, through ``archive.db.add_aliases``.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.path: str = str(setting(crawler, "WARTA_DB") or DEFAULT_DB)
        self.batch_size = max(1, int(setting(crawler, "WARTA_BATCH_SIZE")))
        self.batch_seconds = float(setting(crawler, "WARTA_BATCH_SECONDS"))
        self.run_id: int | None = int(setting(crawler, "WARTA_RUN_ID") or 0) or None
        self.buffer: list[dict[str, Any]] = []
        self.alias_buffer: list[tuple[str, str]] = []  # (canonical URL, other URL)
        self.last_flush = time.monotonic()
        self.db: Any = None
        self.shorter_ratio = float(setting(crawler, "WARTA_SHORTER_THAN_ARCHIVED"))
        self.unwritable = False  # the archive refused a write: nothing more is stored or fetched

    def open_spider(self) -> None:
        from archive.db import open_archive

        self.db = open_archive(self.path)  # ArchiveError stops the crawl before any request

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        if item.get("warta_alias_of"):
            self.add_alias(item["warta_alias_of"], item.get("url"))
        elif item.get("canonical_url"):
            if self.unwritable or not self.keeps_archived_body(item):
                return item
            record = {k: v for k, v in item.items() if k != "discovered_urls"}
            self.buffer.append(record)
            for url in item.get("discovered_urls", ()):
                self.add_alias(record["canonical_url"], url)
        else:
            return item
        if len(self.buffer) >= self.batch_size or time.monotonic() - self.last_flush >= self.batch_seconds:
            self.flush()
        return item

    def keeps_archived_body(self, item: dict[str, Any]) -> bool:
        """False (counted as skipped) when the archived body is the better one: a re-fetch far shorter
        than it (WARTA_SHORTER_THAN_ARCHIVED: a page cut short that still parsed), or an incomplete
        multi-page article where the archive holds it complete. Captures do not exist yet; the
        archived article's body is the reference."""
        from archive.db import archived_state

        state = archived_state(self.db, item["canonical_url"])
        if state is None:
            return True
        _seen, archived_incomplete, archived_length = state
        length = len(str(item.get("body") or ""))
        reason = None
        if item.get("incomplete") and not archived_incomplete:
            reason = "incomplete_kept_complete"
        elif not archived_incomplete and archived_length and length < archived_length * self.shorter_ratio:
            reason = "shorter_than_archived"
        if reason is None:
            return True
        self.inc("warta/skipped", 1)
        self.inc(f"warta/skipped/{reason}", 1)
        logger.warning(
            "Not stored %s: %s (%d characters, archived %d)", item["canonical_url"], reason, length, archived_length
        )
        return False

    def add_alias(self, canonical: str, url: str | None) -> None:
        """Queue ``url`` as another address of the article archived under ``canonical``."""
        if url:
            self.alias_buffer.append((canonical, url))

    def close_spider(self) -> None:
        try:
            self.flush()
        finally:
            if self.db is not None:
                self.db.close()

    def flush(self) -> None:
        """Write the buffered items in one transaction and count what happened."""
        from archive.db import ArchiveError, add_aliases, save_articles

        self.last_flush = time.monotonic()
        batch, self.buffer = self.buffer, []
        aliases, self.alias_buffer = self.alias_buffer, []
        if not batch and not aliases:
            return
        try:
            result = save_articles(self.db, batch, run_id=self.run_id)
            # After the batch, so that aliases of its own articles find them.
            alias_count, unrecorded = add_aliases(self.db, aliases) if aliases else (0, 0)
        except ArchiveError as exc:
            self.inc("warta/articles/lost", len(batch))
            logger.error("Could not archive %d articles: %s", len(batch), exc)
            if unwritable(exc):
                self.stop_crawl(exc)
            return
        for name in COUNTS:
            self.inc(f"warta/articles/{name}", getattr(result, name, 0))
        self.inc("warta/articles/aliases", alias_count)
        self.inc("warta/canonical/collision", getattr(result, "collisions", 0))  # issue 11 §2
        self.inc("warta/aliases/unrecorded", unrecorded)
        for error in getattr(result, "errors", ()):
            logger.warning("Not archived: %s", error)
        if batch:
            logger.info("Archived a batch of %d: %s", len(batch), result.as_dict())

    def stop_crawl(self, exc: BaseException) -> None:
        """The archive cannot be written (disk full, I/O error, read-only): stop downloading now,
        finish reason ``archive_unwritable`` (the verdict fails the run with it)."""
        if self.unwritable:
            return
        self.unwritable = True
        self.inc("warta/archive/unwritable", 1)
        logger.error("The archive cannot be written (%s): stopping the crawl", exc)
        engine = getattr(self.crawler, "engine", None)
        if engine is not None:
            from scrapy.utils.defer import _schedule_coro

            _schedule_coro(engine.close_spider_async(reason="archive_unwritable"))

    def inc(self, key: str, count: int) -> None:
        if count and self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)


#: SQLite's words for "this archive cannot take a write" (SQLITE_FULL, SQLITE_IOERR, SQLITE_READONLY,
#: SQLITE_CANTOPEN): retrying cannot help, so the crawl stops instead of downloading for nothing.
UNWRITABLE_MESSAGES = ("database or disk is full", "disk i/o error", "readonly database", "unable to open database")


def unwritable(exc: BaseException) -> bool:
    """Is this archive error one that every later write will hit too?"""
    text = f"{exc} {exc.__cause__ or ''}".lower()
    return any(m in text for m in UNWRITABLE_MESSAGES)


# --------------------------------------------------------------------------------------------
# "Already archived": a spider middleware
# --------------------------------------------------------------------------------------------


def _as_datetime(value: str | None) -> datetime | None:
    """An ISO 8601 timestamp as an aware datetime (naive ones are read as WIB)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=WIB)


class ArchivedFilter:
    """Drops the requests for articles the archive holds, unless the sitemap says they changed.

    The spider marks an article's request with ``meta["warta_canonical"]`` and
    ``meta["warta_lastmod"]`` (the sitemap's or feed's date, maybe None); other requests pass.
    Nothing is dropped when the spider was started with ``refresh`` (``-a refresh=1``). A dropped
    request counts as ``warta/known``; one refetched because its lastmod is newer than when the
    archive last saw it, as ``warta/refetch/lastmod``; an article stored ``incomplete`` (a page
    missing) is always fetched again, as ``warta/refetch/incomplete``. As a spider middleware it drops requests as
    the spider yields them, before the scheduler: a known article costs no queue entry.
    """

    def __init__(self, crawler: Crawler, db: Any = None) -> None:
        self.crawler = crawler
        self.path = str(setting(crawler, "WARTA_DB") or "")
        self.db: Any = db
        self._opened = db is not None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivedFilter:
        from scrapy import signals

        mw = cls(crawler)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def archive(self) -> Any:
        """The archive, opened on the first article request; None when there is none yet."""
        if not self._opened:
            self._opened = True
            if self.path and Path(self.path).exists():
                from archive.db import open_archive

                # One indexed lookup per discovered URL rather than every known URL in memory: an
                # archive of a million articles must not cost a cron run seconds and hundreds of MB.
                self.db = open_archive(self.path)
        return self.db

    def state(self, canonical: str) -> tuple[str, bool] | None:
        """(last seen, stored incomplete) of the archived article; None: not archived. The cluster's
        workers, which open no SQLite, look it up in Redis instead (``archive.cluster.ClusterArchivedFilter``)."""
        db = self.archive()
        if db is None:
            return None
        from archive.db import archived_state

        found = archived_state(db, canonical)  # one indexed lookup
        return None if found is None else (found[0], found[1])

    def is_known(self, canonical: str, lastmod: str | None) -> bool:
        """Archived already (whole), and the sitemap says nothing changed since we last saw it."""
        state = self.state(canonical)
        if state is None:
            return False
        seen, incomplete = state
        if incomplete:  # stored without all its pages: fetch it again until it is whole
            self.inc("warta/refetch/incomplete")
            return False
        modified = _as_datetime(lastmod)
        if modified is not None:
            seen_at = _as_datetime(seen)
            if seen_at is None or modified > seen_at:
                self.inc("warta/refetch/lastmod")
                return False
        return True

    def keep(self, output: Any) -> bool:
        """False for the request of an article that need not be fetched again."""
        meta = getattr(output, "meta", None)
        if meta is None or "warta_lastmod" not in meta:
            return True  # an item, or a request that is not an article's first
        if getattr(self.crawler.spider, "refresh", False):
            return True
        if self.is_known(meta["warta_canonical"], meta["warta_lastmod"]):
            self.inc("warta/known")
            return False
        return True

    async def process_spider_output(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for output in result:
            if self.keep(output):
                yield output

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for output in start:
            if self.keep(output):
                yield output

    def inc(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)

    def spider_closed(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


# --------------------------------------------------------------------------------------------
# The run heartbeat
# --------------------------------------------------------------------------------------------


class RunHeartbeat:
    """Writes the running counts into this run's crawl_runs row every few seconds.

    So a crawl that is watched in Datasette shows how far it is, and one killed with SIGKILL leaves
    a row that says how far it got (its status stays 'running' until the next run marks it killed).
    Enabled when the crawl has a run id (``WARTA_RUN_ID``, set by ``warta crawl``).
    """

    def __init__(self, crawler: Crawler, path: str, run_id: int, interval: float) -> None:
        self.crawler = crawler
        self.path = path
        self.run_id = run_id
        self.interval = interval
        self.task: Any = None
        self.db: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunHeartbeat:
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        run_id = int(setting(crawler, "WARTA_RUN_ID") or 0)
        path = setting(crawler, "WARTA_DB")
        interval = float(setting(crawler, "WARTA_HEARTBEAT_SECONDS"))
        if not run_id or not path or interval <= 0:
            raise NotConfigured
        ext = cls(crawler, path, run_id, interval)
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def engine_started(self) -> None:
        from scrapy.utils.asyncio import create_looping_call

        self.task = create_looping_call(self.beat)
        self.task.start(self.interval, now=False)

    def beat(self) -> None:
        from archive.db import ArchiveError, open_archive

        stats = self.crawler.stats.get_stats() if self.crawler.stats is not None else {}
        prefix = "downloader/response_status_count/"
        http = {k[len(prefix) :]: v for k, v in stats.items() if k.startswith(prefix)}
        try:
            if self.db is None:
                # Its own connection with a short wait: a heartbeat is worth less than the crawl's time.
                self.db = open_archive(self.path, busy_timeout_ms=1000)
            self.db.execute(  # autocommit: each beat is committed, so a SIGKILL leaves the last one
                "UPDATE crawl_runs SET pages_fetched = ?, errors = ?, http_status = ? "
                "WHERE id = ? AND status = 'running'",
                (
                    int(stats.get("downloader/response_count", 0)),
                    int(stats.get("log_count/ERROR", 0)),
                    json.dumps(dict(sorted(http.items()))),
                    self.run_id,
                ),
            )
        except (ArchiveError, sqlite3.Error) as exc:  # the next beat will try again
            logger.debug("Heartbeat not written: %s", exc)

    def spider_closed(self) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.db is not None:
            self.db.close()
            self.db = None
