"""ArchivePipeline: items go to the SQLite archive in batches, one transaction per batch.

A batch is written when it holds WARTA_BATCH_SIZE items, when WARTA_BATCH_SECONDS have passed since
the last write (checked as items arrive), and when the spider closes. A crash mid-crawl loses at
most the batch not yet written; every committed batch stays (the archive is in WAL mode). The
counts (``warta/articles/new``, ``updated``, ``unchanged``, ``same_body``, ``aliases``) go to the
crawl stats; with WARTA_RUN_ID set they are also added to that crawl run in the same transaction.
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
        self.last_flush = time.monotonic()
        self.db: Any = None

    def open_spider(self) -> None:
        from archive.db import open_archive

        self.db = open_archive(self.path)  # ArchiveError stops the crawl before any request

    def process_item(self, item: Any) -> Any:
        if isinstance(item, dict) and item.get("canonical_url"):
            self.buffer.append(item)
            if len(self.buffer) >= self.batch_size or time.monotonic() - self.last_flush >= self.batch_seconds:
                self.flush()
        return item

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
        if not self.buffer:
            return
        batch, self.buffer = self.buffer, []
        # Other URLs an article was discovered under (amp, utm_*...): saving the same record under
        # that URL makes the archive record it as an alias (the content is unchanged).
        extra = [
            {**item, "url": url} for item in batch for url in item.get("discovered_urls", ()) if url
        ]
        records = [{k: v for k, v in item.items() if k != "discovered_urls"} for item in batch]
        try:
            result = save_articles(self.db, records, run_id=self.run_id)
            aliases = save_articles(self.db, extra).aliases if extra else 0
        except ArchiveError as exc:
            self.inc("warta/articles/lost", len(batch))
            logger.error("Could not archive %d articles: %s", len(batch), exc)
            return
        for name in COUNTS:
            self.inc(f"warta/articles/{name}", getattr(result, name, 0))
        self.inc("warta/articles/aliases", aliases)
        for error in getattr(result, "errors", ()):
            logger.warning("Not archived: %s", error)
        logger.info("Archived a batch of %d: %s", len(batch), result.as_dict())

    def inc(self, key: str, count: int) -> None:
        if count and self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)
