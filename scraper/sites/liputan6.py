"""liputan6.com (all channels).

Layouts, chosen by what the page contains (:class:`Liputan62019`, :class:`Liputan62016`; a page in
neither is read by the newest):
- ``liputan6/2019`` (current): ``h1.read-page--header--title``, ``time.read-page--header--author__datetime``
  ("Diterbitkan 28 Mei 2026, 12:00 WIB"), body ``div.article-content-body`` made of
  ``div.article-content-body__item-page[data-page]`` blocks: **every page of a split article is in
  the one response** (later pages hidden by CSS), merged here in ``data-page`` order (notes §5).
- ``liputan6/2020``: the KLY network's shared 2020-2024 read page (:class:`scraper.sites.kly.Kly2020`:
  the same body plus the ``window.kly`` page state): photo widgets, sub-page counters and continue-reading
  prompts out, inline "BACA JUGA:" links taken, the publisher's own name never an author.
- ``liputan6/2016``: ``div.read-page__content-body`` / ``div.text-detail`` with ``<br><br>`` text,
  a "Baca Juga" paragraph followed by ``div.baca-juga`` list, a credits list naming Author and
  Editor roles (saved 2015-16 pages).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import lxml.etree

from scraper.cleaning import DEFAULT_RULES, Cleaned
from scraper.sites import common
from scraper.sites.base import Discovery, Site
from scraper.sites.common import require
from scraper.sites.kly import Kly2020, has_state, merged_pages  # the KLY read page's page blocks
from scraper.sites.parser import Page, Parser, Selectors, attribute
from scraper.text import block_text

ARTICLE_URL = re.compile(r"^https?://(?:[\w-]+\.)*liputan6\.com/(?:[\w-]+/)*read/\d+/[\w-]+/?$")

PAGE_BLOCK = "div.article-content-body__item-page"
GALLERY = "[class*=photo-gallery--item]"
CREDIT_ROLES = ("li[id^=credits_]", "li.role", "li[class*=credits__role]")

RULES = DEFAULT_RULES.extend(
    drop_tokens=(r"^read-page--photo", r"^read-page--top-media", r"^article-content-body__item-media",
                 r"^read-page--thumbs", r"^read-page--credits", r"^read-page--social", r"^vidio"),
    boilerplate_lines=(r"^jangan sampai ketinggalan berita terkini", r"^rate artikel ini",
                       r"^(?:saksikan|simak) (?:juga )?video (?:pilihan|berikut)",
                       r"^simak berita liputan6\.com lainnya"),  # [CODE: a public Liputan6 scraper]
)

_DATELINE = re.compile(r"^Liputan6\.com\s*,\s*(?P<place>[A-Z][\w .'/()]{1,40}?)\s*(?:-{1,2}|–|—)\s")
_DATE_LABEL = re.compile(r"^\s*(?:diterbitkan|diperbarui|on)\s+", re.I)


_PAGE_BLOCKS_WITH_TEXT = lxml.etree.XPath("//div[@data-page][.//p]")


class Liputan62016(Parser):
    """``div.read-page__content-body`` / ``div.text-detail`` (2015) bodies, ``h1.entry-title``, the credits list."""

    name = "liputan6/2016"
    rules = RULES
    title_selectors: ClassVar[Selectors] = ("h1.read-page--header__title", "h1.entry-title", "article h1", "h1")
    body_selectors: ClassVar[Selectors] = ("div.read-page__content-body", "div.text-detail",
                                                 "div[itemprop=articleBody]")
    dateline_pattern = _DATELINE
    date_selectors: ClassVar[Selectors] = ("time.read-page--header__datetime", "[itemprop=datePublished]",
                                                 "header time")
    byline_selectors: ClassVar[Selectors] = (".read-page--header__author [itemprop=author]",
                                                   "[itemprop=author]")
    section_selectors: ClassVar[Selectors] = ("ul.read-page--breadcrumb li a", "ul.breadcrumb li a",
                                                    "[itemprop=breadcrumb] a")
    tag_selectors: ClassVar[Selectors] = (".read-page--tags a", ".tag-links a", "ul.tags a")

    @classmethod
    def detect(cls, page: Page) -> bool:
        return page.first("div.read-page__content-body", "div.text-detail") is not None

    def body(self) -> Any:
        body = super().body()
        # A photo gallery without prose is no article: said before a missing title is (the old order).
        if self.page.first(GALLERY) is not None:
            self.cleaned = self.clean(body)
            require(self.cleaned.paragraphs, "not_article_page", "photo gallery without prose")
        return body

    def clean(self, body: Any) -> Cleaned:
        if self.cleaned.paragraphs:  # cleaned early by body()
            return self.cleaned
        return super().clean(self.whole(body))

    def whole(self, body: Any) -> Any:
        """The body to clean: this layout splits no article."""
        return body

    @attribute
    def published(self) -> str | None:
        """The machine value when it agrees with the visible one (core dates)."""
        meta = self.page.meta
        el = self.page.first(*self.date_selectors)
        visible = block_text(el) if el is not None else None
        machine = meta.article.get("datePublished") if isinstance(meta.article.get("datePublished"), str) else None
        machine = machine or (el.get("datetime") if el is not None else None) or meta.get("article:published_time")
        return common.choose_published(machine, _DATE_LABEL.sub("", visible) if visible else None)

    @attribute
    def credits(self) -> dict[str, list[str]]:
        """The credits list: names under an "Author"/"Penulis" role item and under an "Editor" one."""
        roles: dict[str, list[str]] = {"author": [], "editor": []}
        marker = self.page.first(*CREDIT_ROLES)
        if marker is None or marker.getparent() is None:
            return roles
        role: str | None = None
        for li in marker.getparent():
            if not isinstance(li.tag, str):
                continue
            text = block_text(li)
            ident = f"{li.get('id', '')} {li.get('class', '')}"
            if "role" in ident or ident.startswith("credits_"):
                low = text.lower()
                role = "editor" if "editor" in low else "author" if low in ("author", "penulis", "reporter") else None
            elif role and text and text not in roles[role]:
                roles[role].append(text)
        return roles

    @attribute
    def authors(self) -> list[str]:
        """The credited writers, else the byline, else the metadata."""
        if self.credits()["author"]:
            return self.credits()["author"]
        byline = self.page.text(*self.byline_selectors)
        return common.split_names(byline) if byline else self.page.meta.authors

    @attribute
    def editors(self) -> list[str]:
        return self.credits()["editor"]


class Liputan62019(Liputan62016):
    """``div.article-content-body`` of ``data-page`` blocks, every page of a split article in one response.

    Also the version of pages no version detects (a renamed class): the ``data-page`` holder and the
    text-density body finder are its fallbacks."""

    name = "liputan6/2019"
    title_selectors = ("h1.read-page--header--title", "h1")
    body_selectors = ("div.article-content-body",)
    date_selectors = ("time.read-page--header--author__datetime", "[itemprop=datePublished]", "header time")
    byline_selectors = ("span.read-page--header--author__name", "[itemprop=author]", ".read-page-box__author__name")
    section_selectors = ("li[itemtype*=ListItem] [itemprop=name]", "ul.read-page--breadcrumb li a")
    tag_selectors = (".tags--snippet__name", ".read-page--tags a")

    @classmethod
    def detect(cls, page: Page) -> bool:
        return page.first(PAGE_BLOCK) is not None and not has_state(page)  # with the state: liputan6/2020

    def find_body(self, tree: Any, fallback: bool = True) -> tuple[Any | None, bool]:
        """By class; else the holder of the ``data-page`` blocks (classes renamed); else density."""
        if self.page.first(*self.body_selectors) is None:
            blocks = _PAGE_BLOCKS_WITH_TEXT(tree)
            if blocks:
                return blocks[0].getparent(), False
        return common.find_body(tree, self.body_selectors, fallback)

    def whole(self, body: Any) -> Any:
        return merged_pages(body)

    @attribute
    def pagination(self) -> dict[str, Any] | None:
        """Already whole: the pages were merged, nothing is left to fetch."""
        pages = len(self.page.select(PAGE_BLOCK))
        return {"page": 1, "pages": pages, "next": None, "show_all": None} if pages > 1 else None


class Liputan62020(Kly2020):
    """The KLY 2020-2024 read page on liputan6.com (``Liputan6.com, Jakarta -`` datelines)."""

    name = "liputan6/2020"

    @classmethod
    def detect(cls, page: Page) -> bool:
        return Kly2020.detect(page)


INDEX_ITEMS = (".articles--rows--item__title a", "article h4 a", "article h3 a")


def index_links(url: str, html: str | bytes) -> tuple[list[str], str | None]:
    """Article links of an ``/indeks`` page and its next page."""
    return common.index_page_links(url, html, SITE.is_article_url, INDEX_ITEMS)


SITE = Site(
    name="liputan6",
    domains=("liputan6.com",),
    article_url=ARTICLE_URL,
    # No sitemap or feed URL is evidenced (notes §5): robots.txt sitemaps, else the daily index
    # /indeks/YYYY/MM/DD (seen on the 2016 index page, with ?page=N pagination).
    discovery=Discovery(daily_index="https://www.liputan6.com/indeks/{date:%Y/%m/%d}?page={page}"),
    multipage="single_response",
    parsers=(Liputan62019, Liputan62020, Liputan62016),
    index_links=index_links,
)
