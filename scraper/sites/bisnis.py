"""bisnis.com (all subdomains): the generic path with Bisnis' ``detailsContent`` body and author line.

Rests on [CODE okkymabruri/news-watch ``scrapers/bisnis.py``, 2026]: article URLs with ``/read/`` on the
channel subdomains (``epaper``, ``foto``, ``video``, ``infografis`` are other templates), the section =
``.breadcrumb .breadcrumbItem .breadcrumbLink`` without Home, ``h1.detailsTitleCaption``, the date
``.detailsAttributeDates`` else ``.authorTime`` (``Jum'at``-style day names), the writer ``.authorName``
"Name - Bisnis.com" (cut at the dash), body ``article.detailsContent`` (premium: ``.paywall``) without
``baca-juga-box`` blocks. Discovery: robots.txt ``Sitemap:`` lines; ``/indeks`` is undated.
"""

from __future__ import annotations

import re
from typing import ClassVar

from scraper.cleaning import DEFAULT_RULES
from scraper.sites.base import Site
from scraper.sites.parser import GenericParser, Selectors

ARTICLE_URL = re.compile(
    r"^https?://(?!(?:epaper|foto|video|infografis)\.)(?:[\w-]+\.)*bisnis\.com/read/\d+/\d+/\d+/[\w-]+/?$"
)


class Bisnis2024(GenericParser):
    """``article.detailsContent`` bodies, ``.authorName`` "Name - Bisnis.com"."""

    name = "bisnis/2024"
    rules = DEFAULT_RULES.extend(drop_tokens=(r"^baca-juga-box",))
    title_selectors: ClassVar[Selectors] = ("h1.detailsTitleCaption", "h1")
    body_selectors: ClassVar[Selectors] = ("article.detailsContent", ".detailsContent", ".paywall")
    byline_selectors: ClassVar[Selectors] = (".authorName", ".authorNames")
    byline_strip: ClassVar[Selectors] = (r"\s+-\s+.*$",)
    date_selectors: ClassVar[Selectors] = (".detailsAttributeDates", ".authorTime")
    section_selectors: ClassVar[Selectors] = (".breadcrumb .breadcrumbItem .breadcrumbLink",)
    title_suffixes: ClassVar[Selectors] = (r"\s*[|-]\s*(?:[\w ]+\s)?Bisnis\.com\s*$",)
    publisher_names: ClassVar[Selectors] = (r"bisnis(?:\.com)?",)


SITE = Site(name="bisnis", domains=("bisnis.com",), article_url=ARTICLE_URL, parsers=(Bisnis2024,))
