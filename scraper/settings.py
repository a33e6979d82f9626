"""Scrapy settings of the Warta scraper: polite by default.

Every crawl (``scrapy crawl``, ``warta crawl``, ``warta demo``, the tests) uses these settings. Tests,
benchmarks and the offline demo turn politeness off with :data:`FAST_SETTINGS` as *overrides* (``-s``,
``warta crawl --fast``), so they exercise the same code path as production.

These settings know nothing of the archive: the archive's pipeline, "already archived" filter and
run heartbeat, and their ``WARTA_*`` settings, come from the add-on ``archive.crawling.ArchiveAddon``
(``archive.scrapy_settings``, named by scrapy.cfg, switches it on for ``scrapy crawl``). The
``WARTA_*`` settings of the scraper are declared here, each once, with its default.
"""

from __future__ import annotations

import os

BOT_NAME = "warta"
SPIDER_MODULES = ["scraper.spiders"]
NEWSPIDER_MODULE = "scraper.spiders"

# An honest User-Agent with a contact, so a site operator can reach us instead of blocking us.
WARTA_CONTACT = os.environ.get("WARTA_CONTACT", "archive@warta.invalid")
USER_AGENT = os.environ.get(
    "WARTA_USER_AGENT",
    f"Warta/0.1 (+https://github.com/warta-archive/warta; {WARTA_CONTACT})",
)

# Politeness. Protego is Scrapy's default robots.txt parser; it implements Google's `*`/`$` wildcards,
# which Kompas's rules (`*?utm_source=*`) need.
ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.75
DOWNLOAD_DELAY_JITTER = 0.5  # +-50 %: requests do not arrive on a fixed beat
DOWNLOAD_TIMEOUT = 30  # Scrapy's default of 180 s stalls a cron run on one dead host
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# A news page over 16 MB is not an article; stop reading instead of filling memory (warn at 8 MB).
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024

# Scrapy 2.19 starts a localhost remote-control server that runs Python sent to it: never in Warta.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

# No project-wide DEPTH_LIMIT: it silently caps sitemap/index walks. Spiders bound their own walks.
DEPTH_LIMIT = 0
HTTPCACHE_ENABLED = False
COOKIES_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# Requests for articles are deduplicated on the canonical URL (amp, utm_*, ?page=all... are one article).
REQUEST_FINGERPRINTER_CLASS = "scraper.fingerprints.CanonicalFingerprinter"
DUPEFILTER_CLASS = "scrapy.dupefilters.RFPDupeFilter"

# `-a root=http://127.0.0.1:PORT` (or WARTA_ROOT) sends every request to a local mirror; the handler
# rewrites the URL for the network only, so robots.txt, parsing and the archive see the real URLs.
DOWNLOAD_HANDLERS = {
    "http": "scraper.middlewares.MirrorDownloadHandler",
    "https": "scraper.middlewares.MirrorDownloadHandler",
}
WARTA_ROOT = os.environ.get("WARTA_ROOT") or None  # the mirror root (env WARTA_ROOT); None: the real hosts
# Pages cut short (no closing tag, a Content-Length mismatch) are retried, then skipped as
# "truncated"; challenge pages (Cloudflare, DDoS-Guard, captchas...) are counted and marked. After
# HttpCompressionMiddleware (590) in the response path, so it sees the decoded page.
DOWNLOADER_MIDDLEWARES = {"scraper.middlewares.ResponseCheckMiddleware": 580}

# Extract articles in this many worker processes (0: in the crawl process). Scrapy runs callbacks on
# one thread; a fast crawl from a mirror is CPU-bound there, a polite crawl of a live site is not.
WARTA_EXTRACT_PROCESSES = int(os.environ.get("WARTA_EXTRACT_PROCESSES", "0"))
# An import path of a callable (Article) -> dict run in each extraction worker; its fields are added
# to the article's item. None here; the archive's add-on names its story fingerprint.
WARTA_EXTRACT_EXTRAS: str | None = None

# Crawling on several machines (`warta cluster`, archive/cluster.py): the prefix of every Redis key
# of one cluster (request queues, dupefilters, seeds, the item stream), so several clusters can
# share one Redis. Env WARTA_CLUSTER; `warta cluster ... --cluster NAME`.
WARTA_CLUSTER = os.environ.get("WARTA_CLUSTER", "warta")

# The progress line on a terminal (scraper.extensions.Progress): off unless warta crawl sees a terminal.
WARTA_PROGRESS = False
WARTA_PROGRESS_INTERVAL = 1.0  # seconds between redraws
EXTENSIONS = {"scraper.extensions.Progress": 900}

# Scrapy runs CONCURRENT_ITEMS asyncio tasks over the output of every callback; a Warta callback
# yields one article or a few requests, and the default 100 tasks per page cost more than the page's
# own processing in a fast crawl (measured: 500 pages 4.3-4.5 s with 8, 4.9-6.5 s with 100).
CONCURRENT_ITEMS = 16

#: Politeness off, for the local test server, benchmarks and the offline demo. Applied as overrides.
FAST_SETTINGS: dict[str, object] = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "DOWNLOAD_DELAY_JITTER": 0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_TIMEOUT": 10,
    "RETRY_TIMES": 1,
    "LOG_LEVEL": "WARNING",
}

# `WARTA_FAST=1 scrapy crawl ...`: the same overrides for plain Scrapy runs (benchmarks).
if os.environ.get("WARTA_FAST") == "1":
    globals().update(FAST_SETTINGS)
