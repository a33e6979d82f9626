"""One crawl of the crawl benchmark, in its own process (a Twisted reactor runs once per process).

``python -m benchmarks.crawl_runner bare|warta --root URL --urls FILE --db PATH --stats OUT [--profile OUT]``.
"bare" fetches the listed URLs with a plain Scrapy spider that parses nothing; "warta" runs the real kompas
spider against the mirror (discovery, extract, dedupe, store). Both get the same concurrency, politeness off.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import resource
import time
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

#: Politeness off, the same for both crawls: the benchmark measures our cost per page, not a site's patience.
FAST = {
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "HTTPCACHE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    "TELNETCONSOLE_ENABLED": False,
    "REMOTE_CONTROL_ENABLED": False,
}


class BareSpider(scrapy.Spider):
    """Fetches the given URLs and keeps nothing: the ceiling a crawler of these pages can reach."""

    name = "bare"

    def __init__(self, urls_file: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = Path(urls_file).read_text().split()

    async def start(self):  # Scrapy >= 2.13 entry point
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response):
        self.crawler.stats.inc_value("bare/pages")
        self.crawler.stats.inc_value("bare/bytes", len(response.body))


def run(mode: str, root: str, urls: str, db: str, extra: dict[str, Any]) -> dict[str, Any]:
    """Run one crawl and return its stats plus the wall time around it."""
    if mode == "bare":
        from scrapy.settings import Settings

        settings = Settings()
        settings.setdict({**FAST, "ROBOTSTXT_OBEY": False, **extra})
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(BareSpider)
        kwargs: dict[str, Any] = {"urls_file": urls}
    else:
        settings = get_project_settings()
        settings.setdict({**FAST, "WARTA_DB": db, **extra}, priority="cmdline")
        process = CrawlerProcess(settings)
        crawler = process.create_crawler("kompas")
        kwargs = {"root": root, "db": db}
    t0 = time.perf_counter()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    process.crawl(crawler, **kwargs)
    process.start()
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in crawler.stats.get_stats().items()}
    stats["wall_seconds"] = wall
    # CPU of the crawl process itself (all its threads, not its extraction workers): what the
    # reactor thread and the archive writes cost, whatever else runs on the machine.
    stats["cpu_seconds"] = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return stats


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["bare", "warta"])
    ap.add_argument("--root", required=True)
    ap.add_argument("--urls", default="")
    ap.add_argument("--db", default="")
    ap.add_argument("--stats", required=True)
    ap.add_argument("--profile", default="")
    ap.add_argument("--set", action="append", default=[], help="extra Scrapy setting NAME=VALUE")
    a = ap.parse_args()
    extra: dict[str, Any] = {}
    for item in a.set:
        k, v = item.split("=", 1)
        extra[k] = int(v) if v.isdigit() else v
    if a.profile:
        prof = cProfile.Profile()
        stats = prof.runcall(run, a.mode, a.root, a.urls, a.db, extra)
        prof.dump_stats(a.profile)
    else:
        stats = run(a.mode, a.root, a.urls, a.db, extra)
    Path(a.stats).write_text(json.dumps(stats, indent=1, default=str))


if __name__ == "__main__":
    main()
