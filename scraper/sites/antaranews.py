"""antaranews.com (the national wire; regional editions share the layout).

Layouts, chosen by what the page contains (:class:`Antaranews2018`, :class:`Antaranews2015`):
- ``antaranews/2018`` (current): ``.wrap__article-detail-title`` h1, body
  ``.wrap__article-detail-content.post-content`` with text split by ``<br><br>``, "Baca juga" as
  ``span/p.baca-juga``, date in the last ``.list-inline-item`` ("Kamis, 14 November 2024 18:43 WIB"),
  "Pewarta: X / Editor: Y" lines (notes §7).
- ``antaranews/2015``: ``h1.title``, ``#content_news[itemprop=articleBody]``, ``time[itemprop=datePublished]``,
  ``div.byline`` "Pewarta: ..." and "Editor: ..." below the body (saved 2015-16 pages).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scraper.cleaning import DEFAULT_RULES
from scraper.sites import common
from scraper.sites.base import Discovery, Site
from scraper.sites.parser import Page, Parser, attribute

# /berita/{id}/{slug} on the Indonesian sites, /news/{id}/{slug} on en.antaranews.com [INFERRED for en].
ARTICLE_URL = re.compile(r"^https?://(?:[\w-]+\.)*antaranews\.com/(?:amp/)?(?:[\w-]+/)*(?:berita|news)/\d+/[\w-]+/?$")

TITLE = (".wrap__article-detail-title h1", "h1.wrap__article-detail-title", "h1.title", "h1[itemprop=headline]", "h1")
BODY = (".wrap__article-detail-content", ".post-content", "#content_news", "[itemprop=articleBody]")
DATE = (".wrap__article-detail-info .list-inline-item:last-child", "time[itemprop=datePublished]", "div.date time",
        ".list-inline-item.mr-2:last-child")
SECTION = ("ul.breadcrumbs .breadcrumbs__item a", ".breadcrumbs__item a", "div.menu_bg a.active")
TAGS = (".tag-wrapper a", "a.tag", ".tags a")

RULES = DEFAULT_RULES.extend(
    drop_tokens=(r"^adsbygoogle", r"^tag-wrapper", r"^text-muted$"),
    boilerplate_lines=(r"^\(?\s*antara\s*\)?$", r"^dilarang keras mengambil konten"),
)

_DATELINE = re.compile(r"^(?P<place>[A-Z][\w .,'/]{1,40}?)\s*\((?:ANTARA|Antara)[^)]*\)\s*(?:-{1,2}|–|—)")
_VIEWS = re.compile(r"\|\s*[\d.]+\s*views?.*$", re.I)


class Antaranews2015(Parser):
    """``#content_news`` bodies. Both versions share the selectors: a 2018 page whose body class was
    renamed is detected as 2015 and must still be read (tests pin it)."""

    name = "antaranews/2015"
    rules = RULES
    title_selectors = TITLE
    body_selectors = BODY
    dateline_pattern = _DATELINE

    @attribute
    def published(self) -> str | None:
        """The machine value when it agrees with the visible one (core dates)."""
        el = self.page.first(*DATE)
        visible = _VIEWS.sub("", self.page.text(*DATE) or "") or None
        machine = self.page.meta.date_published or (el.get("datetime") if el is not None else None)
        return common.choose_published(machine, visible)

    def people(self, labels: tuple[str, ...]) -> list[str]:
        """Names of the credit lines with one of ``labels`` ("Pewarta: A dan B")."""
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
        crumbs = common.breadcrumb(self.page.tree, SECTION)
        return crumbs[-1] if crumbs else None

    @attribute
    def tags(self) -> list[str]:
        return common.link_texts(self.page.tree, TAGS) or common.real_tags(self.page.meta.keywords)

    @attribute
    def language(self) -> str | None:
        return "en" if (urlsplit(self.page.url).hostname or "").startswith("en.") else "id"


class Antaranews2018(Antaranews2015):
    """``.wrap__article-detail-content.post-content`` bodies."""

    name = "antaranews/2018"

    @classmethod
    def detect(cls, page: Page) -> bool:
        return page.first(*BODY[:2]) is not None


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
