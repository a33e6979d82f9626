"""tribunnews.com and the regional Tribun sites (solo., jateng., makassar.tribunnews.com ...).

Layouts, chosen by what the page contains (:class:`Tribunnews2020`, :class:`Tribunnews2015`; a page in
neither is read by the newest):
- ``tribunnews/2020`` (2016 onwards): ``h1#arttitle``, ``div.side-article.txt-article`` (``multi-fontsize``
  since 2023), ``<time>`` without a zone, ``#penulis`` / ``#editor`` credit lines, related links as
  ``p.baca`` bullets or "Baca juga:" paragraphs, pager ``div.paging`` (saved 2020 page, notes §3).
- ``tribunnews/2015``: the same ids with an ``h3`` date "Jumat, 19 Juni 2015 12:58 WIB" and
  "Penulis:/Editor:" lines below the body (saved 2015 page).
Multi-page articles render whole with ``?page=all``.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from scraper.cleaning import DEFAULT_RULES
from scraper.sites import common
from scraper.sites.base import Discovery, Site
from scraper.sites.parser import Page, Parser, Selectors, attribute
from scraper.text import block_text
from scraper.urls import canonicalize

ARTICLE_URL = re.compile(
    r"^https?://(?:[\w-]+\.)*tribunnews\.com/(?:amp/)?(?:[\w-]+/)*\d{4}/\d{2}/\d{2}/[\w-]+/?$"
)

RULES = DEFAULT_RULES.extend(
    drop_tokens=(r"belanja", r"banner", r"^tapp", r"^reserved_box"),
    related_block_tokens=(r"^baca$",),  # p.baca bullet links (2020)
    boilerplate_lines=(
        r"^\(\s*tribun[\w.]*\s*/[^)]*\)$",  # "(TribunSolo.com/Dimas Arya Wicaksana)" credit line
        r"^\(\s*tribun[\w.]*\s*\)$",
        r"^halaman (?:selanjutnya|berikutnya)",
        r"^ikuti kami di\b",
        r"^simak berita terbaru\b.*\bgoogle news",  # [CODE: public Tribun scrapers' skip lists]
        r"^lihat artikel asli",
        r"^laporan (?:wartawan|reporter|koresponden|kontributor)\b[^,]{0,50},",  # the byline, read below
    ),
)

_DATELINE = re.compile(r"^TRIBUN[\w.]*\s*,\s*(?P<place>[A-Z][A-Z .'/()]{1,40}?)\s*(?:-{1,2}|–|—)")
# "Laporan Wartawan TribunSolo.com, Dimas Arya" opening the body [INFERRED: Tribun's usual byline line].
_REPORT_LINE = re.compile(
    r"^laporan (?:wartawan|reporter|koresponden|kontributor)\b[^,]{0,50},\s*"
    r"(?P<names>[^,]{2,80}(?:,[^,]{2,80})*)$", re.I,
)
_SITE_SUFFIX = re.compile(r"\s+-\s+Tribun[\w.]*$", re.I)


class Tribunnews2015(Parser):
    """``h1#arttitle``, ``div.side-article.txt-article``, the ``h3`` date, the ``div.p1020.bsht`` section link."""

    name = "tribunnews/2015"
    rules = RULES
    title_selectors: ClassVar[Selectors] = ("h1#arttitle", "#article h1", "h1")
    body_selectors: ClassVar[Selectors] = ("div.side-article.txt-article", "div.txt-article",
                                                 "#article_con .side-article")
    dateline_pattern = _DATELINE
    date_selectors: ClassVar[Selectors] = ("div.grey.bdr3",)
    section_selectors: ClassVar[Selectors] = ("div.p1020.bsht > a",)
    tag_selectors: ClassVar[Selectors] = ()

    @classmethod
    def detect(cls, page: Page) -> bool:
        return page.first("div.grey.bdr3 > h3") is not None

    def body(self) -> Any:
        self.container = super().body()  # the byline may open it (authors)
        return self.container

    @attribute
    def title(self) -> str | None:
        """The headline without the site suffix."""
        text = super().title()
        return _SITE_SUFFIX.sub("", text) if text else None

    @attribute
    def section(self) -> str | None:
        """The last breadcrumb item, else the metadata section."""
        crumbs = common.breadcrumb(self.page.tree, self.section_selectors,
                                   skip=("home", "beranda", "tribunnews.com", "halaman depan", "prev", "next"))
        return crumbs[-1] if crumbs else self.page.meta.section

    @attribute
    def authors(self) -> list[str]:
        """Writers from ``#penulis`` / "Penulis:", else the body's "Laporan Wartawan ..." line.

        Never JSON-LD ``author``: on Tribun pages it is the editor.
        """
        tree = self.page.tree
        names = [n for v in common.labelled_values(tree, ("penulis", "reporter")) for n in common.split_names(v)]
        if names:
            return names
        for p in list(self.container.iter("p"))[:3]:
            m = _REPORT_LINE.match(block_text(p))
            if m:
                return common.split_names(m.group("names"))
        return []

    @attribute
    def editors(self) -> list[str]:
        """The editors named by "Editor:" credit lines."""
        return [n for v in common.labelled_values(self.page.tree, ("editor",)) for n in common.split_names(v)]


class Tribunnews2020(Tribunnews2015):
    """``<time>`` dates, the schema.org breadcrumb, ``.tagcloud3`` tags, the ``div.paging`` pager and the
    ``multi-fontsize`` body (2023). Also the version of pages no version detects (a renamed class): the
    text-density body finder and the credit lines found by their wording are its fallbacks."""

    name = "tribunnews/2020"
    body_selectors = ("div.side-article.txt-article", "div.txt-article", "div.multi-fontsize",
                      "#article_con .side-article")
    date_selectors = ("#article time", "div.grey.bdr3", "time")
    section_selectors = ("ul.breadcrumb li [itemprop=name]", "ul.breadcrumb li a", "div.breadcrumb a")
    tag_selectors = ("h5.tagcloud3 a", ".tagcloud3 a", "div.tags a")

    @classmethod
    def detect(cls, page: Page) -> bool:
        return page.first("time") is not None

    @attribute
    def pagination(self) -> dict[str, Any] | None:
        url = self.page.url
        pages = common.page_links(self.page.tree, url, ("div.paging a", "div.pagination a"))
        return common.pagination_info(url, pages, self.site.show_all_url(canonicalize(url)))


SITE = Site(
    name="tribunnews",
    domains=("tribunnews.com",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=("https://www.tribunnews.com/sitemap-news.xml",),
        news_sitemap_markers=("news",),
        feeds=("https://www.tribunnews.com/rss",),
    ),
    multipage="show_all",
    show_all_params={"page": "all"},
    parsers=(Tribunnews2020, Tribunnews2015),
)
