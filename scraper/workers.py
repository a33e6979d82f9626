"""Article extraction in worker processes, so a fast crawl uses more than one core.

Scrapy runs every callback on one thread: parsing and cleaning a page there blocks downloads and
leaves the machine's other cores idle. With ``WARTA_EXTRACT_PROCESSES = N`` (``warta crawl
--processes N``) the spider hands ``(url, body, encoding)`` to a pool of N processes and awaits the
``Article``; with 0 (the default) it extracts inline, which is all a polite crawl needs. A worker
also computes the article's story fingerprint (``archive.stories``), which the archive would
otherwise compute on the main thread when it stores the article.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from archive.db import precompute_fingerprint
from archive.stories import PackedFingerprint, remember
from scraper.extract import extract_article
from scraper.model import Article


def _worker_init() -> None:
    """Workers ignore Ctrl-C: the terminal sends it to the whole process group, and the crawl
    process, not its workers, decides how to stop (finish the batch, record the run)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def extract_for_archive(
    url: str, body: bytes, encoding: str | None
) -> tuple[Article, str, PackedFingerprint]:
    """Run in a worker: the article, plus the body_hash and story fingerprint the archive would
    otherwise compute on the crawl's main thread (the costliest part of storing an article)."""
    article = extract_article(url, body, encoding=encoding)
    return (article, *precompute_fingerprint(article.body))


def _ready() -> None:
    """A no-op job: running it means the worker has started and imported the parsers."""


class ExtractPool:
    """A process pool running ``extract_article``; falls back to inline extraction if it breaks."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        if processes > 0:
            # spawn, not fork: a forked child would inherit the running reactor, its threads and the
            # archive's SQLite connection.
            self._pool = ProcessPoolExecutor(
                max_workers=processes, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_init
            )
            # Start every worker now: a spawned worker takes a second or two to import the parsers,
            # which the crawl spends on robots.txt and sitemaps instead of on its first articles.
            for _ in range(processes):
                self._pool.submit(_ready)

    async def extract(self, url: str, body: bytes, encoding: str | None) -> Article:
        """``extract_article(url, body, encoding=...)``, in a worker when the pool is up."""
        if self._pool is not None:
            try:
                future = self._pool.submit(extract_for_archive, url, body, encoding)
                article, key, packed = await asyncio.wrap_future(future)
                remember(key, packed)  # the archive's grouping then skips fingerprinting this body
                return article
            except BrokenProcessPool:  # a worker was killed: go on in this process
                logging.getLogger(__name__).warning("Extraction worker died; extracting in the crawl process")
                self._pool = None
        return extract_article(url, body, encoding=encoding)

    def close(self) -> None:
        """Stop the workers without waiting for queued pages (the crawl is over)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
