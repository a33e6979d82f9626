"""tribunnews.com and the regional Tribun sites (solo., jateng., makassar.tribunnews.com ...).

Layouts, chosen by what the page contains:
- ``tribunnews/2020`` (2016 onwards): ``h1#arttitle``, ``div.side-article.txt-article`` (``multi-fontsize``
  since 2023), ``<time>`` without a zone, ``#penulis`` / ``#editor`` credit lines, related links as
  ``p.baca`` bullets or "Baca juga:" paragraphs, pager ``div.paging`` (saved 2020 page, notes §3).
- ``tribunnews/2015``: the same ids with an ``h3`` date "Jumat, 19 Juni 2015 12:58 WIB" and
  "Penulis:/Editor:" lines below the body (saved 2015 page).
Multi-page articles render whole with ``?page=all``.
"""

from __future__ import annotations

import re
from typing import Any

from scraper.cleaning import DEFAULT_RULES
from scraper.html import parse_tree
from scraper.metadata import PageMeta, read_metadata
from scraper.model import Article
from scraper.sites import common
from scraper.sites.base import Discovery, Site
from scraper.text import block_text
from scraper.urls import canonicalize

ARTICLE_URL = re.compile(
    r"^https?://(?:[\w-]+\.)*tribunnews\.com/(?:amp/)?(?:[\w-]+/)*\d{4}/\d{2}/\d{2}/[\w-]+/?$"
)

TITLE = ("h1#arttitle", "#article h1", "h1")
BODY = ("div.side-article.txt-article", "div.txt-article", "div.multi-fontsize", "#article_con .side-article")
DATE = ("#article time", "div.grey.bdr3", "time")
SECTION = ("ul.breadcrumb li [itemprop=name]", "div.p1020.bsht > a", "ul.breadcrumb li a", "div.breadcrumb a")
TAGS = ("h5.tagcloud3 a", ".tagcloud3 a", "div.tags a")
PAGER = ("div.paging a", "div.pagination a")

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
    r"^laporan (?:wartawan|reporter|koresponden|kontributor)\b[^,]{0,50},\s*(?P<names>[^,]{2,80}(?:,[^,]{2,80})*)$", re.I
)
_SITE_SUFFIX = re.compile(r"\s+-\s+Tribun[\w.]*$", re.I)


def title(tree: Any, meta: PageMeta) -> str | None:
    """The headline without the site suffix."""
    text = common.first_text(tree, TITLE) or meta.headline
    return _SITE_SUFFIX.sub("", text) if text else None


def published(tree: Any, meta: PageMeta) -> str | None:
    """The publication time: the machine value when it agrees with the visible one (core dates)."""
    return common.choose_published(meta.date_published, common.first_date_text(tree, DATE))


def section(tree: Any, meta: PageMeta) -> str | None:
    """The last breadcrumb item, else the metadata section."""
    crumbs = common.breadcrumb(tree, SECTION, skip=("home", "beranda", "tribunnews.com", "halaman depan", "prev", "next"))
    return crumbs[-1] if crumbs else meta.section


def authors(tree: Any, body: Any) -> list[str]:
    """Writers from ``#penulis`` / "Penulis:", else the body's "Laporan Wartawan ..." line.

    Never JSON-LD ``author``: on Tribun pages it is the editor.
    """
    names = [n for v in common.labelled_values(tree, ("penulis", "reporter")) for n in common.split_names(v)]
    if names:
        return names
    for p in list(body.iter("p"))[:3]:
        m = _REPORT_LINE.match(block_text(p))
        if m:
            return common.split_names(m.group("names"))
    return []


def editors(tree: Any) -> list[str]:
    """The editors named by "Editor:" credit lines."""
    return [n for v in common.labelled_values(tree, ("editor",)) for n in common.split_names(v)]


def pagination(url: str, tree: Any) -> dict[str, Any] | None:
    return common.pagination_info(url, common.page_links(tree, url, PAGER), SITE.show_all_url(canonicalize(url)))


def parse(url: str, html: str | bytes) -> Article:
    """Parse a Tribun article page (raises NotAnArticle for index and home pages)."""
    tree = parse_tree(html)
    meta = read_metadata(tree)
    body = common.article_body(url, tree, meta, SITE, BODY)
    headline = title(tree, meta)
    cleaned = common.clean_content(body, RULES, url, headline)
    pub = published(tree, meta)
    dateline = common.dateline_place(_DATELINE, cleaned.paragraphs)
    return common.build_article(
        url, meta, SITE, cleaned,
        title=headline or "",
        authors=authors(tree, body),
        editors=editors(tree),
        published=pub,
        modified=common.modified_after(pub, meta, common.in_zone),
        section=section(tree, meta),
        tags=common.link_texts(tree, TAGS) or common.real_tags(meta.keywords),
        dateline=dateline,
        pagination=pagination(url, tree),
        parser="tribunnews/2020" if common.first(tree, ("time",)) is not None else "tribunnews/2015",
    )


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
    parse=parse,
)
