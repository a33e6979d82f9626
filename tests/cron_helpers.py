"""Test-only Scrapy components loaded into real crawl subprocesses with ``--set`` (never in production).

``ExplodingPipeline`` raises on articles whose title says "meledak": a real error in a real item
pipeline, which Scrapy logs at ERROR ("Error processing ..."), to test ``--max-errors``.
"""

from __future__ import annotations

from typing import Any


class ExplodingPipeline:
    def process_item(self, item: Any) -> Any:
        if isinstance(item, dict) and "meledak" in str(item.get("title", "")).lower():
            raise RuntimeError("pipeline exploded on purpose (test)")
        return item


def _full_disk_pipeline() -> type:
    from archive.crawling import ArchivePipeline

    class FullDiskPipeline(ArchivePipeline):
        """The archive's pipeline on a "disk" with a few free pages: ``PRAGMA max_page_count`` on its
        connection makes SQLite answer SQLITE_FULL ("database or disk is full"), as a full disk does."""

        def open_spider(self) -> None:
            super().open_spider()
            (pages,) = self.db.execute("PRAGMA page_count").fetchone()
            self.db.execute(f"PRAGMA max_page_count = {pages + 8}")

    return FullDiskPipeline


FullDiskPipeline = _full_disk_pipeline()
