"""Article extraction in worker processes, so a fast crawl uses more than one core.

Scrapy runs every callback on one thread: parsing and cleaning a page there blocks downloads and
leaves the machine's other cores idle. With ``WARTA_EXTRACT_PROCESSES = N`` (``warta crawl
--processes N``) the spider hands ``(url, body, encoding)`` to a pool of N processes and awaits the
``Article``; with 0 (the default) it extracts inline, which is all a polite crawl needs.

A worker can also run ``WARTA_EXTRACT_EXTRAS`` (an import path) on the article: a callable
``(Article) -> dict`` whose fields the spider adds to the article's item. The archive's add-on names
one that computes the story fingerprint there, off the crawl's main thread; this module does not
know what it computes.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scraper.extract import extract_article
from scraper.model import Article

#: What extraction returns: the article and the extra item fields of WARTA_EXTRACT_EXTRAS.
Extracted = tuple[Article, dict[str, Any]]


def _worker_init() -> None:
    """Workers ignore Ctrl-C: the terminal sends it to the whole process group, and the crawl
    process, not its workers, decides how to stop (finish the batch, record the run)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@functools.lru_cache(maxsize=8)
def _load(path: str) -> Callable[[Article], dict[str, Any]]:
    """The extras callable named by ``path`` (``package.module.name``), imported once per process."""
    from scrapy.utils.misc import load_object

    return load_object(path)


def extract_with_extras(url: str, body: bytes, encoding: str | None, extras: str | None) -> Extracted:
    """Run in a worker: the article, plus the fields the ``extras`` callable adds to its item."""
    article = extract_article(url, body, encoding=encoding)
    return article, (_load(extras)(article) if extras else {})


def _ready() -> None:
    """A no-op job: running it means the worker has started and imported the parsers."""


class ExtractPool:
    """A process pool running ``extract_article``; falls back to inline extraction if it breaks."""

    def __init__(self, processes: int, extras: str | None = None) -> None:
        self.processes = processes
        self.extras = extras or None
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

    async def extract(self, url: str, body: bytes, encoding: str | None) -> Extracted:
        """``extract_article(url, body, encoding=...)`` and its extras, in a worker when the pool is up.

        Inline there are no extras: whatever they compute, the archive then computes when it stores
        the article, on the same thread either way.
        """
        if self._pool is not None:
            try:
                future = self._pool.submit(extract_with_extras, url, body, encoding, self.extras)
                return await asyncio.wrap_future(future)
            except BrokenProcessPool:  # a worker was killed: go on in this process
                logging.getLogger(__name__).warning("Extraction worker died; extracting in the crawl process")
                self._pool = None
        return extract_article(url, body, encoding=encoding), {}

    def close(self) -> None:
        """Stop the workers without waiting for queued pages (the crawl is over)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
