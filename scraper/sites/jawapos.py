"""jawapos.com: the article of the Next.js ``__NEXT_DATA__`` payload, else the generic path.

Rests on [CODE okkymabruri/news-watch ``scrapers/jawapos.py``, 2026]: article URLs
``/{category}/{article_id}/{slug}``; ``script#__NEXT_DATA__`` JSON whose ``props.pageProps.article`` holds
``title``, ``content`` (the body's HTML), ``published_at``, ``authors[].name`` and ``category.name``; legacy
markup ``h1.read__title``, ``.read__content.clearfix``, ``.read__info__date``, ``.read__info__author``,
``strong[class^=read__others]`` "Baca Juga" links (taken as related).
``?page=all`` for split legacy articles (notes §15 [CODE]).
Discovery: robots.txt ``Sitemap:`` lines.
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

import lxml.html

from scraper.sites.base import Site
from scraper.sites.parser import GenericParser, Selectors, attribute
from scraper.text import normalize_ws

ARTICLE_URL = re.compile(r"^https?://(?:[\w-]+\.)*jawapos\.com/[\w-]+/\d+/[\w-]+/?$")


class Jawapos2023(GenericParser):
    """The ``__NEXT_DATA__`` article (its ``content`` HTML cleaned like a body), else the legacy selectors."""

    name = "jawapos/2023"
    title_selectors: ClassVar[Selectors] = ("h1.read__title", "h1")
    body_selectors: ClassVar[Selectors] = (".read__content",)
    byline_selectors: ClassVar[Selectors] = (".read__info__author",)
    date_selectors: ClassVar[Selectors] = (".read__info__date",)
    title_suffixes: ClassVar[Selectors] = (r"\s*[|-]\s*JawaPos(?:\.com)?\s*$",)
    publisher_names: ClassVar[Selectors] = (r"jawa ?pos(?:\.com)?",)

    @attribute
    def data(self) -> dict[str, Any]:
        """``props.pageProps.article`` of the Next.js payload ({} without one)."""
        script = self.page.first("script#__NEXT_DATA__")
        try:
            article = json.loads(script.text or "")["props"]["pageProps"]["article"] if script is not None else {}
        except (ValueError, KeyError, TypeError):
            return {}
        return article if isinstance(article, dict) else {}

    def body(self) -> Any:
        content = self.data().get("content")
        if isinstance(content, str) and content.strip():
            return lxml.html.fragment_fromstring(content, create_parent="div")
        return super().body()

    @attribute
    def title(self) -> str | None:
        return normalize_ws(self.data().get("title")) or super().title()

    @attribute
    def authors(self) -> list[str]:
        named = [a.get("name") for a in self.data().get("authors") or [] if isinstance(a, dict)]
        return self.people([normalize_ws(n) for n in named if n]) or super().authors()

    @attribute
    def published(self) -> str | None:
        value = self.data().get("published_at")
        return self.machine_date(value) if isinstance(value, str) else super().published()

    @attribute
    def section(self) -> str | None:
        category = self.data().get("category")
        name = category.get("name") if isinstance(category, dict) else None
        return normalize_ws(name) or super().section()


SITE = Site(name="jawapos", domains=("jawapos.com",), article_url=ARTICLE_URL, multipage="show_all",
            show_all_params={"page": "all"}, parsers=(Jawapos2023,))
