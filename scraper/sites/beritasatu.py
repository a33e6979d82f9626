"""beritasatu.com: the generic path with BeritaSatu's ``.article-content`` body (metadata fields).

Rests on [CODE okkymabruri/news-watch ``scrapers/beritasatu.py``, 2026]: article URLs
``/{kanal}/{id}/{slug}``, og:title, meta ``author`` / ``article:author`` / JSON-LD author, meta
``article:section``, meta ``article:published_time`` / JSON-LD / ``time``, body ``.article-content``
(else ``.post-content``, ``.entry-content``, ``article``) without related, popular, share, tag, widget and
banner blocks. Discovery: robots.txt ``Sitemap:`` lines (the scraper reads ``/search/{keyword}``).
"""

from __future__ import annotations

import re
from typing import ClassVar

from scraper.cleaning import DEFAULT_RULES
from scraper.sites.base import Site
from scraper.sites.parser import GenericParser, Selectors

ARTICLE_URL = re.compile(r"^https?://(?:www\.)?beritasatu\.com/[a-z-]+/\d+/[\w-]+/?$")


class Beritasatu2024(GenericParser):
    """``.article-content`` bodies (metadata fields)."""

    name = "beritasatu/2024"
    rules = DEFAULT_RULES.extend(drop_tokens=(r"popular", r"^trending", r"subscribe", r"^tag-"))
    body_selectors: ClassVar[Selectors] = (".article-content", ".post-content", ".entry-content", "article")
    title_suffixes: ClassVar[Selectors] = (r"\s*[|-]\s*(?:beritasatu\.com|BeritaSatu)\s*$",)
    publisher_names: ClassVar[Selectors] = (r"berita ?satu(?:\.com)?",)


SITE = Site(name="beritasatu", domains=("beritasatu.com",), article_url=ARTICLE_URL, parsers=(Beritasatu2024,))
