"""tirto.id: the generic path with tirto's ``article`` / ``.detail-content`` body and "Penulis:" credits.

Rests on [CODE okkymabruri/news-watch ``scrapers/tirto.py``, 2026]: article URLs
``https://tirto.id/{slug}-{code}`` (``^https?://tirto\\.id/[a-z][a-z0-9-]+-[a-z0-9]+$``), ``h1``, body
``article`` else ``.detail-content``, the writer in a "Penulis: ..." line, a visible "14 November 2024"
date; the site's index ``/indeks`` (undated: not a daily index). Discovery: robots.txt ``Sitemap:`` lines.
"""

from __future__ import annotations

import re
from typing import ClassVar

from scraper.sites.base import Site
from scraper.sites.parser import GenericParser, Selectors

ARTICLE_URL = re.compile(r"^https?://(?:www\.)?tirto\.id/(?!indeks$|search$|q/)[a-z][a-z0-9-]+-[a-z0-9]+/?$")


class Tirto2024(GenericParser):
    """``article`` / ``.detail-content`` bodies, credits found by their wording ("Penulis:", "Editor:")."""

    name = "tirto/2024"
    body_selectors: ClassVar[Selectors] = (".detail-content", "article")
    title_suffixes: ClassVar[Selectors] = (r"\s*[|-]\s*tirto\.id\s*$",)
    publisher_names: ClassVar[Selectors] = (r"tirto(?:\.id)?",)


SITE = Site(name="tirto", domains=("tirto.id",), article_url=ARTICLE_URL, parsers=(Tirto2024,))
