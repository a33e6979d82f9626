"""suara.com (and its regional ``*.suara.com`` sites).

Two layouts, chosen by what the page contains (:class:`Suara2024`, :class:`Suara2015`; a page with no
2015 marker is read by the newest):
* ``suara/2015`` (real saved page): ``h1[itemprop=headline]``, ``.dateDetail2`` with ``<author>`` and
  ``time`` "19 Jun 2015 | 13:06" (no zone), body ``#contentImageCaption`` inside ``.contentDetail``.
* ``suara/2024``, current (notes, [CODE news-watch] + [FILTER], and DonnyRZ/egi-media-crawl's 2026 adapter):
  JSON-LD first (headline, ``author[]``, dates); ``h1``; section = dataLayer ``articleSubcategory``; body
  ``div.article-content`` / ``article.detail-content``; "Baca Juga" in ``.article-read``,
  ``p[class*=baca-juga]`` and ``.item--baca-juga-inner``; noise ``.ten-second`` ("Baca 10 detik"),
  ``[id*=div-ad]``, ``.adds-top``, ``.placeholder_*``, ``.google-pref``, ``[id^=berita-terkait-]``,
  ``#recWidgetRecommendation``; tags ``.article-tags a``; pages ``?page=N`` and ``?page=all`` for all.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from scraper.cleaning import DEFAULT_RULES
from scraper.dates import parse_date
from scraper.sites.base import Discovery, Site
from scraper.sites.common import (
    Page,
    breadcrumb_names,
    check_page_kind,
    find_body,
    is_article_meta,
    jsonld_names,
    link_texts,
    pagination,
    query_pages,
    require,
    script_field,
    split_names,
)
from scraper.sites.parser import NO_DATELINE, Parser, Selectors, attribute
from scraper.text import block_text

NAME = "suara"
# /{kanal}/YYYY/MM/DD/{hhmmss}/{slug}; regional sites use /read/YYYY/MM/DD/{hhmmss}/{slug}.
ARTICLE_URL = re.compile(r"^https?://(?:[\w-]+\.)?suara\.com/[\w-]+/\d{4}/\d{2}/\d{2}/\d{6}/[^/]+/?$")

RULES = DEFAULT_RULES.extend(
    related_block_tokens=(r"^article-read$",),
    drop_tokens=(r"^adds?-", r"^berita-terkait-", r"^recwidget", r"^placeholder_", r"^ten-second$", r"div-ad",
                 r"^google-pref$", r"^next-article$", r"^wrap-pagination$", r"^article-tags$"),
    drop_selectors=("div[id^=berita-terkait-]",),
)


def _listed_section(page: Page) -> str | None:
    """The dataLayer (sub)category, else the last breadcrumb item, else the metadata section."""
    subcategory = script_field(page, "articleSubcategory") or script_field(page, "articleCategory")
    if subcategory:
        return subcategory
    crumbs = page.texts("ul.breadcrumb li a") or breadcrumb_names(page.meta)
    crumbs = [c for c in crumbs if c.lower() not in ("home", "beranda")]
    return crumbs[-1] if crumbs else page.meta.section


class Suara2015(Parser):
    """``h1[itemprop=headline]``, ``.dateDetail2`` (``<author>``, ``time``), ``#contentImageCaption`` body."""

    name = "suara/2015"
    rules = RULES
    title_selectors: ClassVar[Selectors] = ("h1[itemprop=headline]", "h1")
    body_selectors: ClassVar[Selectors] = ("#contentImageCaption", "div.contentDetail[itemprop=articleBody]")
    #: One group selector: the tags of every list, in page order.
    tag_selector: ClassVar[str] = ".tag-detail a, .tagDetailList h4"
    dateline_pattern = NO_DATELINE  # Suara's first paragraphs open with "Suara.com -", no place
    machine_dates_in_site_zone = False

    @classmethod
    def detect(cls, page: Page) -> bool:
        # Several independent signs, so that one renamed id does not flip the version.
        return (page.first(*Suara2015.body_selectors, ".dateDetail2", ".breadcrumbs-menu") is not None
                or (page.first("author") is not None and not page.meta.article))

    def reject(self) -> None:
        check_page_kind(self.page, self.site)

    def body(self) -> Any:
        body = self.page.first(*self.body_selectors)
        if body is None:  # the ids moved: the densest block
            body = find_body(self.page.tree, ())[0]
        require(body is not None, "not_article_page", "no article body")
        return body

    @attribute
    def title(self) -> str | None:
        return super().title() or ""

    @attribute
    def authors(self) -> list[str]:
        return split_names(self.page.text(".dateDetail2 author", "author", "span author"))

    @attribute
    def published(self) -> str | None:
        # "19 Jun 2015 | 13:06": no zone on the page, so the site's clock (WIB). Issue 12 §3: never a naive
        # timestamp in the archive (the saved snapshot's naive value is read in the site's zone, tests/snapshots.py).
        return parse_date(self.page.text(".dateDetail2 time", "time[itemprop=datePublished]"), self.site.default_offset)

    @attribute
    def section(self) -> str | None:
        """The current item of the channel menu (the one that is not a link), else the listed section."""
        current = [t for li in self.page.select(".breadcrumbs-menu li") if li.find(".//a") is None
                   for t in [block_text(li)] if t]
        return current[0] if current else _listed_section(self.page)

    @attribute
    def tags(self) -> list[str]:
        return link_texts(self.page.tree, (self.tag_selector,)) or self.page.meta.keywords

    @attribute
    def pagination(self) -> dict[str, Any] | None:
        pages, current, show_all = query_pages(self.page)
        return pagination(self.page.url, pages, current, show_all or self.site.show_all_url(self.page.url))


class Suara2024(Suara2015):
    """JSON-LD first; ``div.article-content`` / ``article.detail-content`` bodies, the dataLayer section,
    ``.article-tags``. Also the version of pages no version detects: the text-density body finder is
    its fallback (an article's head must vouch for it)."""

    name = "suara/2024"
    body_selectors = ("div.article-content", "article.detail-content", "div.detail-content",
                      "[itemprop=articleBody]")
    tag_selector = ".article-tags a, .tag-detail a, .tagDetailList h4"

    @classmethod
    def detect(cls, page: Page) -> bool:
        return page.first("div.article-content", "article.detail-content") is not None

    def body(self) -> Any:
        body = find_body(self.page.tree, self.body_selectors)[0]
        require(body is not None and is_article_meta(self.page.meta), "not_article_page", "no article body")
        return body

    @attribute
    def authors(self) -> list[str]:
        meta = self.page.meta
        return (jsonld_names(meta, "author") or split_names(meta.get("author"))
                or split_names(self.page.text("a.author-trigger")))

    @attribute
    def editors(self) -> list[str]:
        return jsonld_names(self.page.meta, "editor")

    @attribute
    def published(self) -> str | None:
        page = self.page
        visible = next((t for t in page.texts("span[class*=date], div[class*=date], span.mt-10") if "WIB" in t), None)
        return parse_date(page.meta.date_published) or parse_date(visible)

    @attribute
    def section(self) -> str | None:
        return _listed_section(self.page)


SITE = Site(
    name=NAME,
    domains=("suara.com",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=("https://www.suara.com/sitemap.xml",),
        news_sitemap_markers=("news",),
        feeds=("https://www.suara.com/rss",),
    ),
    multipage="show_all",
    show_all_params={"page": "all"},
    parsers=(Suara2024, Suara2015),
)
