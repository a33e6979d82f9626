"""ArchivePipeline: items go to the SQLite archive in batches, one transaction per batch.

A batch is written when it holds WARTA_BATCH_SIZE items, when WARTA_BATCH_SECONDS have passed since
the last write (checked as items arrive), and when the spider closes. A crash mid-crawl loses at
most the batch not yet written; every committed batch stays (the archive is in WAL mode). The
counts (``warta/articles/new``, ``updated``, ``unchanged``, ``same_body``, ``aliases``) go to the
crawl stats; with WARTA_RUN_ID set they are also added to that crawl run in the same transaction.

Two kinds of items: an article (``Article.to_dict()``, maybe with ``discovered_urls``: the other
URLs it was found under, amp or utm_* ones), and an alias (``{"warta_alias_of": canonical, "url":
...}``) for a URL found after its article was yielded.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

COUNTS = ("new", "updated", "unchanged", "same_body", "aliases", "invalid")
#: Articles of this run kept to record late aliases against (bounded: memory stays flat).
RECENT_ARTICLES = 1000


class ArchivePipeline:
    """Batch article items into ``archive.db.save_articles``."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ArchivePipeline":
        return cls(crawler)

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.path: str = settings.get("WARTA_DB") or "archive.db"
        self.batch_size = max(1, settings.getint("WARTA_BATCH_SIZE", 50))
        self.batch_seconds = settings.getfloat("WARTA_BATCH_SECONDS", 5.0)
        self.run_id: int | None = settings.getint("WARTA_RUN_ID") or None
        self.buffer: list[dict[str, Any]] = []
        self.alias_buffer: list[dict[str, Any]] = []
        self.recent: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self.last_flush = time.monotonic()
        self.db: Any = None

    def open_spider(self) -> None:
        from archive.db import open_archive

        self.db = open_archive(self.path)  # ArchiveError stops the crawl before any request

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        if item.get("warta_alias_of"):
            self.add_alias(item["warta_alias_of"], item.get("url"))
        elif item.get("canonical_url"):
            record = {k: v for k, v in item.items() if k != "discovered_urls"}
            self.buffer.append(record)
            self.remember(record)
            for url in item.get("discovered_urls", ()):
                self.add_alias(record["canonical_url"], url)
        else:
            return item
        if len(self.buffer) >= self.batch_size or time.monotonic() - self.last_flush >= self.batch_seconds:
            self.flush()
        return item

    def remember(self, record: dict[str, Any]) -> None:
        self.recent[record["canonical_url"]] = record
        self.recent.move_to_end(record["canonical_url"])
        while len(self.recent) > RECENT_ARTICLES:
            self.recent.popitem(last=False)

    def add_alias(self, canonical: str, url: str | None) -> None:
        """Queue ``url`` as an alias: the article's record saved under that URL (content unchanged)."""
        record = self.recent.get(canonical)
        if not url or record is None:
            self.inc("warta/aliases/unrecorded", 1)
            return
        self.alias_buffer.append({**record, "url": url})

    def close_spider(self) -> None:
        try:
            self.flush()
        finally:
            if self.db is not None:
                self.db.close()

    def flush(self) -> None:
        """Write the buffered items in one transaction and count what happened."""
        from archive.db import ArchiveError, save_articles

        self.last_flush = time.monotonic()
        batch, self.buffer = self.buffer, []
        aliases, self.alias_buffer = self.alias_buffer, []
        if not batch and not aliases:
            return
        try:
            result = save_articles(self.db, batch, run_id=self.run_id)
            # Saved separately and without the run id: these count as aliases only, not as
            # "unchanged" articles (save_articles counts every record it is given).
            alias_count = save_articles(self.db, aliases).aliases if aliases else 0
        except ArchiveError as exc:
            self.inc("warta/articles/lost", len(batch))
            logger.error("Could not archive %d articles: %s", len(batch), exc)
            return
        for name in COUNTS:
            self.inc(f"warta/articles/{name}", getattr(result, name, 0))
        self.inc("warta/articles/aliases", alias_count)
        for error in getattr(result, "errors", ()):
            logger.warning("Not archived: %s", error)
        if batch:
            logger.info("Archived a batch of %d: %s", len(batch), result.as_dict())

    def inc(self, key: str, count: int) -> None:
        if count and self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)
