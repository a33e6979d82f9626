"""kumparan.com: the generic path with kumparan's container and ad markers (:class:`GenericParser`).

Rests on [CODE okkymabruri/news-watch ``scrapers/kumparan.py``, 2026]: title og:title / ``h1``, body
``div.article-content`` (else ``article``), meta ``article:published_time`` / JSON-LD NewsArticle dates,
meta ``author``; discovery through the sitemap index ``/sitemap.xml`` (children named "sitemap") and the
RSS feed ``https://lapi.kumparan.com/v2.0/rss/``. Inline ads ``[data-qa-id^=desktop-article-page-inline-]``
and "ADVERTISEMENT" labels (notes §15, [FILTER]). Article URLs ``/{account}/{slug}-{id}`` ([INFERRED]
from the ``kumparan.com/`` links of the feed). Single-page articles.
"""

from __future__ import annotations

import re
from typing import ClassVar

from scraper.cleaning import DEFAULT_RULES
from scraper.sites.base import Discovery, Site
from scraper.sites.parser import GenericParser, Selectors

ARTICLE_URL = re.compile(r"^https?://(?:www\.|m\.)?kumparan\.com/(?!tag/|topic/|search)[\w.-]+/[\w-]+-(?=\w*\d)\w{6,}/?$")


class Kumparan2024(GenericParser):
    """``div.article-content`` bodies; the hashed styled-components classes are left to the generic path."""

    name = "kumparan/2024"
    rules = DEFAULT_RULES.extend(drop_selectors=("[data-qa-id^=desktop-article-page-inline-]",),
                                 boilerplate_lines=(r"^advertisement$",))
    body_selectors: ClassVar[Selectors] = ("div.article-content", "article")
    title_suffixes: ClassVar[Selectors] = (r"\s*[|-]\s*kumparan(?:\.com)?\s*$",)
    publisher_names: ClassVar[Selectors] = (r"kumparan\w*",)


SITE = Site(
    name="kumparan",
    domains=("kumparan.com",),
    article_url=ARTICLE_URL,
    discovery=Discovery(sitemaps=("https://kumparan.com/sitemap.xml",), news_sitemap_markers=("news", "sitemap"),
                        feeds=("https://lapi.kumparan.com/v2.0/rss/",)),
    parsers=(Kumparan2024,),
)
