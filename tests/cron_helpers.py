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
