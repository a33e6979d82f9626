"""ArchivePipeline: items go to the SQLite archive in batches, one transaction per batch.

A batch is written when it holds WARTA_BATCH_SIZE items, when WARTA_BATCH_SECONDS have passed since
the last write (checked as items arrive), and when the spider closes. A crash mid-crawl loses at
most the batch not yet written; every committed batch stays (the archive is in WAL mode). The
counts (``warta/articles/new``, ``updated``, ``unchanged``, ``same_body``, ``aliases``) go to the
crawl stats; with WARTA_RUN_ID set they are also added to that crawl run in the same transaction.

Two kinds of items: an article (``Article.to_dict()``, maybe with ``discovered_urls``: the other
URLs it was found under, amp or utm_* ones), and an alias (``{"warta_alias_of": canonical, "url":
...}``) for a URL found after its article was yielded (in this run or an earlier one). Aliases are
written after the batch's articles, through ``archive.db.add_aliases``.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

COUNTS = ("new", "updated", "unchanged", "same_body", "aliases", "invalid")


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
        self.alias_buffer: list[tuple[str, str]] = []  # (canonical URL, other URL)
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
            for url in item.get("discovered_urls", ()):
                self.add_alias(record["canonical_url"], url)
        else:
            return item
        if len(self.buffer) >= self.batch_size or time.monotonic() - self.last_flush >= self.batch_seconds:
            self.flush()
        return item

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
            return
        for name in COUNTS:
            self.inc(f"warta/articles/{name}", getattr(result, name, 0))
        self.inc("warta/articles/aliases", alias_count)
        self.inc("warta/aliases/unrecorded", unrecorded)
        for error in getattr(result, "errors", ()):
            logger.warning("Not archived: %s", error)
        if batch:
            logger.info("Archived a batch of %d: %s", len(batch), result.as_dict())

    def inc(self, key: str, count: int) -> None:
        if count and self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)
