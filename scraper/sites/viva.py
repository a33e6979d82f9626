"""viva.co.id: the generic path with VIVA's ``main-content-*`` blocks; split articles whole with ``?page=all``.

Rests on [CODE okkymabruri/news-watch ``scrapers/viva.py``, 2026]: article URLs ``/{kanal}/.../{id}-{slug}``
(``https://www\\.viva\\.co\\.id/.*/\\d+-``), fetched as ``{url}?page=all`` (also [CODE antisplitpage]),
``h1.main-content-title``, ``div.main-content-date``, ``div.main-content-author``, body
``div.main-content-detail`` without ``div.recommended-article`` / ``div.widget-other-article``, the section
``a.breadcrumb-step.content_center``; the index ``/indeks?page=N`` lists ``.article-list-row a`` (undated).
Discovery: robots.txt ``Sitemap:`` lines. The 2016 date "Selasa, 16 Februari 2016 | 13:01 WIB" [SEEN, notes §16].
"""

from __future__ import annotations

import re
from typing import ClassVar

from scraper.cleaning import DEFAULT_RULES
from scraper.sites.base import Site
from scraper.sites.parser import GenericParser, Selectors

ARTICLE_URL = re.compile(r"^https?://(?:www\.|m\.)?viva\.co\.id/(?:[\w-]+/)+\d+-[\w-]+/?$")


class Viva2024(GenericParser):
    """``div.main-content-detail`` bodies under ``h1.main-content-title``."""

    name = "viva/2024"
    rules = DEFAULT_RULES.extend(drop_selectors=("div.recommended-article", "div.widget-other-article"))
    title_selectors: ClassVar[Selectors] = ("h1.main-content-title", "h1")
    body_selectors: ClassVar[Selectors] = ("div.main-content-detail",)
    byline_selectors: ClassVar[Selectors] = ("div.main-content-author",)
    date_selectors: ClassVar[Selectors] = ("div.main-content-date",)
    section_selectors: ClassVar[Selectors] = ("a.breadcrumb-step.content_center",)
    title_suffixes: ClassVar[Selectors] = (r"\s*[|-]\s*VIVA(?:\.co\.id)?\s*$",)
    publisher_names: ClassVar[Selectors] = (r"viva(?:\.co\.id)?",)


SITE = Site(name="viva", domains=("viva.co.id",), article_url=ARTICLE_URL, multipage="show_all",
            show_all_params={"page": "all"}, parsers=(Viva2024,))
