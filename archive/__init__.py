"""Warta's archive: Article records -> SQLite -> Datasette, and the ``warta`` application.

The layers (``scraper/`` turns pages into ``Article`` records and imports nothing from here; this
package may import ``scraper/``):

- ``archive.db``: open, save and read the archive (``open_archive``, ``save_articles``,
  ``add_aliases``, ``last_seen``, ``start_run``/``finish_run``); ``archive.stories``: near-duplicate
  grouping; ``archive.common``: what those two share.
- ``archive.crawling``: the Scrapy add-on (pipeline, "already archived" filter, run heartbeat);
  ``archive.scrapy_settings``: the settings module of ``scrapy crawl`` (scrapy.cfg).
- ``archive.runner``: the one crawl runner; ``archive.cron``: the lock, logs and the one verdict.
- ``archive.search``, ``archive.export``, ``archive.serve``, ``archive.plugins``: the outputs.
- ``archive.cli``: every ``warta`` command (imported by nothing but the entry point).

The names below are the front door; they are imported on first use, so importing a submodule
(Scrapy loading ``archive.crawling``) does not load the rest.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> the module that defines it.
_EXPORTS = {
    "ArchiveError": "archive.db",
    "SaveResult": "archive.db",
    "open_archive": "archive.db",
    "save_articles": "archive.db",
    "add_aliases": "archive.db",
    "last_seen": "archive.db",
    "article_by_url": "archive.db",
    "start_run": "archive.db",
    "finish_run": "archive.db",
    "regroup_stories": "archive.stories",
    "largest_stories": "archive.stories",
    "export_csv": "archive.export",
    "ExportError": "archive.export",
    "make_datasette": "archive.serve",
    "ArchiveAddon": "archive.crawling",
    "CrawlJob": "archive.runner",
    "CrawlResult": "archive.runner",
    "run_crawl": "archive.runner",
    "verdict": "archive.cron",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """``archive.open_archive`` and the other front-door names, imported when first used."""
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'archive' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
