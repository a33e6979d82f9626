"""katadata.co.id: the generic path with Katadata's ``detail-*`` blocks.

Rests on [CODE okkymabruri/news-watch ``scrapers/katadata.py``, 2026]: article URLs holding ``/berita/`` and
``/read/``, the section ``.section-breadcrumb``, ``.detail-title``, the writer ``.detail-author-name``
("Oleh ..."), the date ``.detail-date.text-gray`` else meta ``article:published_time``, body
``.detail-main`` (else ``article``) without ``widget-baca-juga*`` and ``ai-summary`` blocks; the index
``/berita/indeks?page=N`` (undated). Discovery: robots.txt ``Sitemap:`` lines.
"""

from __future__ import annotations

import re
from typing import ClassVar

from scraper.cleaning import DEFAULT_RULES
from scraper.sites.base import Site
from scraper.sites.parser import GenericParser, Selectors

ARTICLE_URL = re.compile(r"^https?://(?:www\.)?katadata\.co\.id/(?:[\w-]+/)*berita/(?:[\w-]+/)*read/[\w/-]+$")


class Katadata2024(GenericParser):
    """``.detail-main`` bodies, "Oleh" bylines."""

    name = "katadata/2024"
    rules = DEFAULT_RULES.extend(drop_tokens=(r"^widget-baca-juga", r"ai-summary"))
    title_selectors: ClassVar[Selectors] = (".detail-title", "h1")
    body_selectors: ClassVar[Selectors] = (".detail-main", "article")
    byline_selectors: ClassVar[Selectors] = (".detail-author-name",)
    date_selectors: ClassVar[Selectors] = (".detail-date",)
    section_selectors: ClassVar[Selectors] = (".section-breadcrumb a", ".section-breadcrumb")
    title_suffixes: ClassVar[Selectors] = (r"\s*[|-]\s*(?:katadata\.co\.id|Katadata)\s*$",)
    publisher_names: ClassVar[Selectors] = (r"katadata(?:\.co\.id)?", r"katadata indonesia")


SITE = Site(name="katadata", domains=("katadata.co.id",), article_url=ARTICLE_URL, parsers=(Katadata2024,))
