"""Warta's scraper: saved or fetched pages of Indonesian news sites -> :class:`Article` records.

The front door::

    from scraper import extract_article, NotAnArticle

    article = extract_article(url, html)   # or NotAnArticle with a reason from SKIP_REASONS

Layers (each imports only those above it): ``model``, ``text``, ``dates``, ``urls`` (core types and
rules); ``fast`` (the speed tricks), ``html`` (parsing a page once), ``metadata``; ``cleaning``;
``sites`` (``Site`` declarations and their ``Parser`` versions); ``generic`` (pages of other sites);
``extract`` (dispatch). ``spiders`` and the Scrapy plumbing sit on top.

The names below are loaded on first use, so that ``import scraper.settings`` (Scrapy) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scraper.extract import extract_article
    from scraper.model import SKIP_REASONS, Article, NotAnArticle, Related
    from scraper.sites import SITES, Site, get_site, site_for_url

__all__ = ["SKIP_REASONS", "SITES", "Article", "NotAnArticle", "Related", "Site", "extract_article", "get_site",
           "site_for_url"]

_HOMES = {
    "extract_article": "scraper.extract",
    "Article": "scraper.model", "NotAnArticle": "scraper.model", "Related": "scraper.model",
    "SKIP_REASONS": "scraper.model",
    "SITES": "scraper.sites", "Site": "scraper.sites", "get_site": "scraper.sites", "site_for_url": "scraper.sites",
}


def __getattr__(name: str) -> Any:
    """Import a front-door name from its module on first use (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'scraper' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
