"""antaranews.com (the national wire; regional editions share the layout).

Layouts, chosen by what the page contains (:class:`Antaranews2018`, :class:`Antaranews2015`; a page in
neither is read by the newest):
- ``antaranews/2018`` (current): ``.wrap__article-detail-title`` h1, body
  ``.wrap__article-detail-content.post-content`` with text split by ``<br><br>``, "Baca juga" as
  ``span/p.baca-juga``, date in the last ``.list-inline-item`` ("Kamis, 14 November 2024 18:43 WIB"),
  "Pewarta: X / Editor: Y" lines (notes §7).
- ``antaranews/2015``: ``h1.title``, ``#content_news[itemprop=articleBody]``, ``time[itemprop=datePublished]``,
  ``div.byline`` "Pewarta: ..." and "Editor: ..." below the body (saved 2015-16 pages).
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import urlsplit

from scraper.cleaning import DEFAULT_RULES
from scraper.sites import common
from scraper.sites.base import Discovery, Site
from scraper.sites.parser import Page, Parser, Selectors, attribute

# /berita/{id}/{slug} on the Indonesian sites, /news/{id}/{slug} on en.antaranews.com [INFERRED for en].
ARTICLE_URL = re.compile(r"^https?://(?:[\w-]+\.)*antaranews\.com/(?:amp/)?(?:[\w-]+/)*(?:berita|news)/\d+/[\w-]+/?$")

RULES = DEFAULT_RULES.extend(
    drop_tokens=(r"^adsbygoogle", r"^tag-wrapper", r"^text-muted$"),
    boilerplate_lines=(r"^\(?\s*antara\s*\)?$", r"^dilarang keras mengambil konten"),
)

_DATELINE = re.compile(r"^(?P<place>[A-Z][\w .,'/]{1,40}?)\s*\((?:ANTARA|Antara)[^)]*\)\s*(?:-{1,2}|–|—)")
_VIEWS = re.compile(r"\|\s*[\d.]+\s*views?.*$", re.I)


class Antaranews2015(Parser):
    """``h1.title``, ``#content_news[itemprop=articleBody]``, ``time[itemprop=datePublished]``, the byline."""

    name = "antaranews/2015"
    rules = RULES
    title_selectors: ClassVar[Selectors] = ("h1.title", "h1[itemprop=headline]", "h1")
    body_selectors: ClassVar[Selectors] = ("#content_news", "[itemprop=articleBody]")
    dateline_pattern = _DATELINE
    date_selectors: ClassVar[Selectors] = ("time[itemprop=datePublished]", "div.date time")
    section_selectors: ClassVar[Selectors] = ("div.menu_bg a.active",)
    tag_selectors: ClassVar[Selectors] = ("a.tag", ".tags a")

    @classmethod
    def detect(cls, page: Page) -> bool:
        return page.first("#content_news") is not None

    @attribute
    def published(self) -> str | None:
        """The machine value when it agrees with the visible one (core dates)."""
        el = self.page.first(*self.date_selectors)
        visible = _VIEWS.sub("", self.page.text(*self.date_selectors) or "") or None
        machine = self.page.meta.date_published or (el.get("datetime") if el is not None else None)
        return common.choose_published(machine, visible)

    def people(self, labels: tuple[str, ...]) -> list[str]:
        """Names of the credit lines with one of ``labels`` ("Pewarta: A dan B"), found by their wording."""
        return [n for v in common.labelled_values(self.page.tree, labels) for n in common.split_names(v)]

    @attribute
    def authors(self) -> list[str]:
        return self.people(("pewarta", "penulis", "reporter")) or self.page.meta.authors

    @attribute
    def editors(self) -> list[str]:
        return self.people(("editor",))

    @attribute
    def section(self) -> str | None:
        """The last breadcrumb item."""
        crumbs = common.breadcrumb(self.page.tree, self.section_selectors)
        return crumbs[-1] if crumbs else None

    @attribute
    def language(self) -> str | None:
        return "en" if (urlsplit(self.page.url).hostname or "").startswith("en.") else "id"


class Antaranews2018(Antaranews2015):
    """``.wrap__article-detail-*``: title, ``.post-content`` body, the last ``.list-inline-item`` date.

    Also the version of pages no version detects (a renamed class): the text-density body finder,
    the credit lines found by their wording and the plain ``h1`` stay as its fallbacks."""

    name = "antaranews/2018"
    title_selectors = (".wrap__article-detail-title h1", "h1.wrap__article-detail-title", "h1")
    body_selectors = (".wrap__article-detail-content", ".post-content", "[itemprop=articleBody]")
    date_selectors = (".wrap__article-detail-info .list-inline-item:last-child", ".list-inline-item.mr-2:last-child")
    section_selectors = ("ul.breadcrumbs .breadcrumbs__item a", ".breadcrumbs__item a")
    tag_selectors = (".tag-wrapper a", "a.tag")

    @classmethod
    def detect(cls, page: Page) -> bool:
        return page.first(".wrap__article-detail-content", ".post-content") is not None


SITE = Site(
    name="antaranews",
    domains=("antaranews.com",),
    article_url=ARTICLE_URL,
    # RSS per channel (notes §7; the saved 2015 "mainpage" is the terkini feed).
    discovery=Discovery(
        feeds=(
            "https://www.antaranews.com/rss/terkini.xml",
            "https://www.antaranews.com/rss/nasional.xml",
            "https://www.antaranews.com/rss/ekonomi.xml",
        ),
    ),
    parsers=(Antaranews2018, Antaranews2015),
)
