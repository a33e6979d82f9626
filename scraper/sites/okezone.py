"""okezone.com (news., lifestyle., celebrity., otomotif., ... subdomains).

Layouts, chosen by what the page contains (:class:`Okezone2019`, :class:`Okezone2017`, :class:`Okezone2015`;
a page in none is read by the newest):
- ``okezone/2019`` (current): ``.title-article h1``, ``.journalist`` (writer link + "Jum'at, 17 Februari
  2017 - 13:30 wib"), body ``div.c-detail.read`` / ``[itemprop=articleBody]``, "Baca juga" as ``#bacajuga``,
  ``[class^=inject-]`` blocks and "Baca juga:" lines, ``.paging`` pager (notes §8).
- ``okezone/2017``: ``.title-detail`` (h1 + "<b>Name</b> | date" span), body ``div.ctn-desc``.
- ``okezone/2015``: ``.titles h1``, ``time.tgl``, ``.nmreporter``, body ``#contentx.dtlnews``.
Okezone has no show-all view: each page carries ``pagination.next`` and the spider fetches
``?page=N`` while a next page exists, merging the pages once.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from scraper.cleaning import DEFAULT_RULES
from scraper.sites import common
from scraper.sites.base import Discovery, Site
from scraper.sites.parser import Page, Parser, Selectors, attribute
from scraper.text import normalize_ws

ARTICLE_URL = re.compile(r"^https?://(?:[\w-]+\.)*okezone\.com/(?:amp/)?read/\d{4}/\d{2}/\d{2}/\d+/\d+/[\w-]+/?$")

RULES = DEFAULT_RULES.extend(
    drop_tokens=(r"^rctiplus", r"box-gnews", r"^detads", r"^detail-tag", r"^video-wrap", r"iframe-banner",
                 r"^caption-img", r"^banner-belt", r"^dtl_banner", r"^tbkomentar", r"^imgnews", r"^ctn-images",
                 r"^AdAsia$"),
    related_block_tokens=(r"^inject-",),
    boilerplate_lines=(r"^follow\b.*\b(?:whatsapp|google news|channel|instagram)", r"^telusuri berita\b",
                       r"^link successfully copied", r"^berikan komentar anda"),
)

_DATELINE = re.compile(r"^(?P<place>[A-Z][A-Z .'/()]{1,40}?)\s*(?:-{1,2}|–|—)\s")


class Okezone2015(Parser):
    """``.titles h1``, ``time.tgl``, ``.nmreporter``, body ``#contentx.dtlnews``."""

    name = "okezone/2015"
    rules = RULES
    title_selectors: ClassVar[Selectors] = (".titles h1", "h1")
    body_selectors: ClassVar[Selectors] = ("#contentx", "div.dtlnews")
    dateline_pattern = _DATELINE
    author_selectors: ClassVar[Selectors] = (".nmreporter > div", ".reporter a")
    date_selectors: ClassVar[Selectors] = ("time.tgl", ".meta-post time", "time")
    section_selectors: ClassVar[Selectors] = ("div.breadcrumb a", "ul.breadcrumb li a", ".breadcrumb a")
    tag_selectors: ClassVar[Selectors] = (".tags a",)
    pager_selectors: ClassVar[Selectors] = (".pagination a",)

    @classmethod
    def detect(cls, page: Page) -> bool:
        return page.first("div.dtlnews") is not None

    @attribute
    def authors(self) -> list[str]:
        """The writers named on the page (a name with digits is a date)."""
        for selector in self.author_selectors:
            for el in self.page.select(selector):
                name = normalize_ws(el.get("title") or el.text_content())
                if name and not re.search(r"\d", name):
                    return common.split_names(name.removeprefix("Jurnalis-").strip())
        return self.page.meta.authors

    @attribute
    def published(self) -> str | None:
        """The machine value when it agrees with the visible one (core dates)."""
        visible = common.first_date_text(self.page.tree, self.date_selectors)
        return common.choose_published(self.page.meta.date_published, visible.replace("'", "") if visible else None)

    @attribute
    def dateline(self) -> str | None:
        """The dateline of the first page only (later pages of a split article carry none)."""
        pages = self.pagination()
        return super().dateline() if pages is None or pages["page"] == 1 else None

    @attribute
    def pagination(self) -> dict[str, Any] | None:
        """``?page=N`` pager of a split article: the spider follows ``next`` and merges the pages."""
        url = self.page.url
        return common.pagination_info(url, common.page_links(self.page.tree, url, self.pager_selectors), show_all=None)


class Okezone2017(Okezone2015):
    """``.title-detail`` (h1 + "<b>Name</b> | date" span), body ``div.ctn-desc``."""

    name = "okezone/2017"
    title_selectors: ClassVar[Selectors] = (".title-detail h1", "h1")
    body_selectors: ClassVar[Selectors] = ("div.ctn-desc",)
    author_selectors: ClassVar[Selectors] = (".title-detail > span > b",)
    date_selectors: ClassVar[Selectors] = (".title-detail > span",)
    tag_selectors: ClassVar[Selectors] = (".tag-article a", ".tags a")

    @classmethod
    def detect(cls, page: Page) -> bool:
        return page.first(".title-detail") is not None


class Okezone2019(Okezone2017):
    """``.title-article h1``, ``.journalist``, ``div.c-detail.read`` bodies, ``.detail-tag``, the ``.paging``
    pager. Also the version of pages no version detects (a renamed class): the text-density body finder
    and the plain ``h1`` and ``<time>`` stay as its fallbacks."""

    name = "okezone/2019"
    title_selectors = (".title-article h1", "h1")
    body_selectors = ("div.c-detail.read", "div[itemprop=articleBody]", "#contentx", "div.read")
    author_selectors = (".journalist a[title]", ".journalist a")
    date_selectors = (".journalist span", ".journalist", "time")
    tag_selectors = (".detail-tag a", ".tag-article a", ".tags a")
    pager_selectors = (".paging a", ".newsPaging a", ".pagination a")

    @classmethod
    def detect(cls, page: Page) -> bool:
        return page.first("div.c-detail.read", "div[itemprop=articleBody]") is not None


SITE = Site(
    name="okezone",
    domains=("okezone.com",),
    article_url=ARTICLE_URL,
    # No sitemap, feed or daily index is evidenced in the notes (§8: only a search API); the
    # spider reads the Sitemap lines of robots.txt.
    discovery=Discovery(),
    multipage="follow_pages",
    parsers=(Okezone2019, Okezone2017, Okezone2015),
)
