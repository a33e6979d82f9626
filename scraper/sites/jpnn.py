"""jpnn.com: the generic path with JPNN's ``h1.judul``, ``articleBody`` and its own metas.

Rests on [CODE okkymabruri/news-watch ``scrapers/jpnn.py``, 2026]: article URLs ``/news/{slug}``, title
``h1.judul`` (else og:title), the writer in meta ``jpnncom_news_author`` (else meta ``author``, ``.author``),
the publication in meta ``jpnncom_news_pubdate`` ("24 April 2026 20:05", WIB wall time) else
``span.date-publish``, body ``div[itemprop=articleBody]`` else ``div.article-content``. Discovery: robots.txt
``Sitemap:`` lines (the scraper reads tag pages ``/tag/{keyword}?page=N``; no sitemap URL is evidenced).
"""

from __future__ import annotations

import re
from typing import ClassVar

from scraper.sites import common
from scraper.sites.base import Site
from scraper.sites.parser import GenericParser, Selectors, attribute

ARTICLE_URL = re.compile(r"^https?://(?:www\.|m\.)?jpnn\.com/news/[\w-]+/?$")


class Jpnn2024(GenericParser):
    """``div[itemprop=articleBody]`` bodies, the ``jpnncom_news_*`` metas."""

    name = "jpnn/2024"
    title_selectors: ClassVar[Selectors] = ("h1.judul", "h1")
    body_selectors: ClassVar[Selectors] = ("div[itemprop=articleBody]", "div.article-content")
    byline_selectors: ClassVar[Selectors] = (".author",)
    title_suffixes: ClassVar[Selectors] = (r"\s*[|-]\s*JPNN(?:\.com)?\s*$",)
    publisher_names: ClassVar[Selectors] = (r"jpnn(?:\.com)?",)

    @attribute
    def authors(self) -> list[str]:
        named = common.split_names(self.page.meta.get("jpnncom_news_author"))
        return self.people(named) or super().authors()

    @attribute
    def published(self) -> str | None:
        visible = self.page.meta.get("jpnncom_news_pubdate") or self.page.text("span.date-publish")
        return common.choose_published(self.page.meta.date_published, visible)


SITE = Site(name="jpnn", domains=("jpnn.com",), article_url=ARTICLE_URL, parsers=(Jpnn2024,))
