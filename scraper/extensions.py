"""Scrapy extensions of Warta: a progress line for people watching a long crawl on a terminal.

``Progress`` is off unless ``WARTA_PROGRESS`` is true; ``warta crawl`` turns it on only when stderr is
a terminal, so cron runs and pipes never get it. The line shows pages fetched, articles yielded,
the rate, the requests still queued (the discovered sitemap/index entries not yet fetched) and an
ETA from those two; it is redrawn in place (``\\r``) every ``WARTA_PROGRESS_INTERVAL`` seconds.
"""

from __future__ import annotations

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
    def from_crawler(cls, crawler: Crawler) -> "Progress":
        if not crawler.settings.getbool("WARTA_PROGRESS"):
            raise NotConfigured  # no message: Scrapy would log one as a WARNING
        ext = cls(crawler, interval=crawler.settings.getfloat("WARTA_PROGRESS_INTERVAL", 1.0))
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def engine_started(self) -> None:
        self.started = time.monotonic()
        self.task = create_looping_call(self.show)
        self.task.start(self.interval, now=False)

    def queued(self) -> int | None:
        """Requests waiting in the scheduler (unknown for schedulers without a length)."""
        engine = self.crawler.engine
        scheduler = getattr(engine, "scheduler", None) if engine else None
        try:
            return len(scheduler)  # type: ignore[arg-type]
        except TypeError:
            return None

    def line(self) -> str:
        stats = self.crawler.stats
        get = stats.get_value if stats is not None else (lambda key, default=0: default)
        spider = self.crawler.spider
        name = getattr(getattr(spider, "site", None), "name", None) or getattr(spider, "name", "crawl")
        return progress_line(
            name,
            int(get("downloader/response_count", 0) or 0),
            int(get("warta/articles/yielded", 0) or 0),
            self.queued(),
            time.monotonic() - self.started,
        )

    def show(self) -> None:
        text = self.line()
        pad = max(self.width - len(text), 0)
        self.width = len(text)
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.show()
        self.stream.write("\n")
        self.stream.flush()


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

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "RunHeartbeat":
        run_id = crawler.settings.getint("WARTA_RUN_ID")
        path = crawler.settings.get("WARTA_DB")
        interval = crawler.settings.getfloat("WARTA_HEARTBEAT_SECONDS", 10.0)
        if not run_id or not path or interval <= 0:
            raise NotConfigured
        ext = cls(crawler, path, run_id, interval)
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def engine_started(self) -> None:
        self.task = create_looping_call(self.beat)
        self.task.start(self.interval, now=False)

    def beat(self) -> None:
        import json
        import sqlite3

        stats = self.crawler.stats.get_stats() if self.crawler.stats is not None else {}
        prefix = "downloader/response_status_count/"
        http = {k[len(prefix) :]: v for k, v in stats.items() if k.startswith(prefix)}
        try:
            # A short-lived connection with a short wait: a heartbeat is worth less than the crawl's time.
            conn = sqlite3.connect(self.path, timeout=1.0, isolation_level=None)
            try:
                conn.execute(
                    "UPDATE crawl_runs SET pages_fetched = ?, errors = ?, http_status = ? "
                    "WHERE id = ? AND status = 'running'",
                    (
                        int(stats.get("downloader/response_count", 0)),
                        int(stats.get("log_count/ERROR", 0)),
                        json.dumps(dict(sorted(http.items()))),
                        self.run_id,
                    ),
                )
            finally:
                conn.close()
        except sqlite3.Error as exc:  # the next beat will try again
            import logging

            logging.getLogger(__name__).debug("Heartbeat not written: %s", exc)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
