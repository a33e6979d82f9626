"""okezone.com (news., lifestyle., celebrity., otomotif., ... subdomains).

Layouts, chosen by what the page contains:
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
from typing import Any

from scraper.cleaning import DEFAULT_RULES
from scraper.html import parse_tree
from scraper.metadata import PageMeta, read_metadata
from scraper.model import Article
from scraper.sites import common
from scraper.sites.base import Discovery, Site
from scraper.text import normalize_ws

ARTICLE_URL = re.compile(r"^https?://(?:[\w-]+\.)*okezone\.com/(?:amp/)?read/\d{4}/\d{2}/\d{2}/\d+/\d+/[\w-]+/?$")

TITLE = (".title-article h1", ".title-detail h1", ".titles h1", "h1")
BODY = ("div.c-detail.read", "div[itemprop=articleBody]", "#contentx", "div.ctn-desc", "div.dtlnews", "div.read")
AUTHOR = (".journalist a[title]", ".journalist a", ".title-detail > span > b", ".nmreporter > div", ".reporter a")
DATE = (".journalist span", ".journalist", ".title-detail > span", "time.tgl", ".meta-post time", "time")
SECTION = ("div.breadcrumb a", "ul.breadcrumb li a", ".breadcrumb a")
TAGS = (".detail-tag a", ".tag-article a", ".tags a")
PAGER = (".paging a", ".newsPaging a", ".pagination a")

RULES = DEFAULT_RULES.extend(
    drop_tokens=(r"^rctiplus", r"box-gnews", r"^detads", r"^detail-tag", r"^video-wrap", r"iframe-banner",
                 r"^caption-img", r"^banner-belt", r"^dtl_banner", r"^tbkomentar", r"^imgnews", r"^ctn-images",
                 r"^AdAsia$"),
    related_block_tokens=(r"^inject-",),
    boilerplate_lines=(r"^follow\b.*\b(?:whatsapp|google news|channel|instagram)", r"^telusuri berita\b",
                       r"^link successfully copied", r"^berikan komentar anda"),
)

_DATELINE = re.compile(r"^(?P<place>[A-Z][A-Z .'/()]{1,40}?)\s*(?:-{1,2}|–|—)\s")


def authors(tree: Any, meta: PageMeta) -> list[str]:
    """The writers named on the page."""
    for selector in AUTHOR:
        for el in common.select(tree, selector):
            name = normalize_ws(el.get("title") or el.text_content())
            if name and not re.search(r"\d", name):
                return common.split_names(name.removeprefix("Jurnalis-").strip())
    return meta.authors


def published(tree: Any, meta: PageMeta) -> str | None:
    """The publication time: the machine value when it agrees with the visible one (core dates)."""
    visible = common.first_date_text(tree, DATE)
    return common.choose_published(meta.date_published, visible.replace("'", "") if visible else None)


def section(tree: Any, meta: PageMeta) -> str | None:
    """The last breadcrumb item, else the metadata section."""
    crumbs = common.breadcrumb(tree, SECTION)
    return crumbs[-1] if crumbs else meta.section


def pagination(url: str, tree: Any) -> dict[str, Any] | None:
    """``?page=N`` pager of a split article: the spider follows ``next`` and merges the pages."""
    return common.pagination_info(url, common.page_links(tree, url, PAGER), show_all=None)


def parse(url: str, html: str | bytes) -> Article:
    """Parse one page of an Okezone article (raises NotAnArticle for index and home pages)."""
    tree = parse_tree(html)
    meta = read_metadata(tree)
    body = common.article_body(url, tree, meta, SITE, BODY)
    title = common.first_text(tree, TITLE) or meta.headline
    cleaned = common.clean_content(body, RULES, url, title)
    pub = published(tree, meta)
    pages = pagination(url, tree)
    first_page = pages is None or pages["page"] == 1
    dateline = common.dateline_place(_DATELINE, cleaned.paragraphs) if first_page else None
    version = "okezone/2019" if common.first(tree, BODY[:2]) is not None else (
        "okezone/2017" if common.first(tree, (".title-detail",)) is not None else "okezone/2015"
    )
    return common.build_article(
        url, meta, SITE, cleaned,
        title=title or "",
        authors=authors(tree, meta),
        published=pub,
        modified=common.modified_after(pub, meta, common.in_zone),
        section=section(tree, meta),
        tags=common.link_texts(tree, TAGS) or common.real_tags(meta.keywords),
        dateline=dateline,
        pagination=pages,
        parser=version,
    )


SITE = Site(
    name="okezone",
    domains=("okezone.com",),
    article_url=ARTICLE_URL,
    # No sitemap, feed or daily index is evidenced in the notes (§8: only a search API); the
    # spider reads the Sitemap lines of robots.txt.
    discovery=Discovery(),
    multipage="follow_pages",
    parse=parse,
)
