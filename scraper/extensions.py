"""Scrapy extension of Warta: a progress line for people watching a long crawl on a terminal.

``Progress`` is off unless ``WARTA_PROGRESS`` is true; ``warta crawl`` turns it on only when stderr is
a terminal, so cron runs and pipes never get it. The line shows pages fetched, articles yielded,
the rate, the requests still queued (the discovered sitemap/index entries not yet fetched) and an
ETA from those two; it is redrawn in place (``\\r``) every ``WARTA_PROGRESS_INTERVAL`` seconds.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import IO, TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


def format_eta(seconds: float | None) -> str:
    """``95`` -> ``1m35s``; None (unknown) -> ``?``."""
    if seconds is None:
        return "?"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def progress_line(name: str, pages: int, articles: int, queued: int | None, elapsed: float) -> str:
    """The text of one progress update."""
    rate = pages / elapsed if elapsed > 0 else 0.0
    eta = queued / rate if queued is not None and rate > 0 else None
    queue = "?" if queued is None else str(queued)
    return f"{name}: {pages} pages, {articles} articles, {rate:.1f} pages/s," f" {queue} queued, ETA {format_eta(eta)}"


class Progress:
    """Redraws one status line on stderr while the crawl runs."""

    def __init__(self, crawler: Crawler, stream: IO[str] | None = None, interval: float = 1.0) -> None:
        self.crawler = crawler
        self.stream = stream or sys.stderr
        self.interval = interval
        self.started = time.monotonic()
        self.task: Any = None
        self.width = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        if not crawler.settings.getbool("WARTA_PROGRESS"):
            raise NotConfigured  # no message: Scrapy would log one as a WARNING
        ext = cls(crawler, interval=crawler.settings.getfloat("WARTA_PROGRESS_INTERVAL"))
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def engine_started(self) -> None:
        self.started = time.monotonic()
        self.task = create_looping_call(self.show)
        self.task.start(self.interval, now=False)

    def queued(self) -> int | None:
        """Requests waiting in the scheduler (unknown for schedulers without a length)."""
        try:
            engine = self.crawler.engine
        except RuntimeError:  # not started yet (Scrapy 2.19 raises instead of returning None)
            return None
        scheduler = getattr(engine, "scheduler", None) if engine else None
        try:
            return len(scheduler)  # type: ignore[arg-type]
        except TypeError:
            return None

    def line(self) -> str:
        stats = self.crawler.stats
        get = stats.get_value if stats is not None else (lambda key, default=0: default)
        spider = self.crawler.spider
        name = str(getattr(getattr(spider, "site", None), "name", None) or getattr(spider, "name", "crawl"))
        return progress_line(
            name,
            int(get("downloader/response_count", 0) or 0),
            int(get("warta/articles/yielded", 0) or 0),
            self.queued(),
            time.monotonic() - self.started,
        )

    def show(self) -> None:
        # One column short of the terminal: a line as wide as the terminal wraps on some terminals,
        # and a wrapped line is not redrawn by \r (every update would scroll). Read each time: the
        # window may be resized during a long crawl.
        columns = shutil.get_terminal_size(fallback=(80, 24)).columns
        text = self.line()[: max(columns - 1, 1)]
        pad = max(min(self.width, columns - 1) - len(text), 0)
        self.width = len(text)
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.show()
        self.stream.write("\n")
        self.stream.flush()
