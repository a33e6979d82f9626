"""suara.com (and its regional ``*.suara.com`` sites).

Two layouts, chosen by what the page contains:
* 2015 (real saved page): ``h1[itemprop=headline]``, ``.dateDetail2`` with ``<author>`` and
  ``time`` "19 Jun 2015 | 13:06" (no zone), body ``#contentImageCaption`` inside ``.contentDetail``.
* current (notes, [CODE news-watch] + [FILTER], and DonnyRZ/egi-media-crawl's 2026 adapter): JSON-LD first
  (headline, ``author[]``, dates); ``h1``; section = dataLayer ``articleSubcategory``; body
  ``div.article-content`` / ``article.detail-content``; "Baca Juga" in ``.article-read``,
  ``p[class*=baca-juga]`` and ``.item--baca-juga-inner``; noise ``.ten-second`` ("Baca 10 detik"),
  ``[id*=div-ad]``, ``.adds-top``, ``.placeholder_*``, ``.google-pref``, ``[id^=berita-terkait-]``,
  ``#recWidgetRecommendation``; tags ``.article-tags a``; pages ``?page=N`` and ``?page=all`` for all.
"""

from __future__ import annotations

import re

from scraper.cleaning import DEFAULT_RULES
from scraper.dates import parse_date
from scraper.model import Article
from scraper.sites.common import (
    Page, breadcrumb_names, build_article, check_page_kind, clean_content, find_body, is_article_meta,
    jsonld_names, load_page, modified_after, pagination, query_pages, require, script_field, split_names, strip_hash,
)
from scraper.sites.base import Discovery, Site
from scraper.text import block_text

NAME = "suara"
# /{kanal}/YYYY/MM/DD/{hhmmss}/{slug}; regional sites use /read/YYYY/MM/DD/{hhmmss}/{slug}.
ARTICLE_URL = re.compile(r"^https?://(?:[\w-]+\.)?suara\.com/[\w-]+/\d{4}/\d{2}/\d{2}/\d{6}/[^/]+/?$")

BODY_2015 = ("#contentImageCaption", "div.contentDetail[itemprop=articleBody]")
BODY = ("div.article-content", "article.detail-content", "div.detail-content", "[itemprop=articleBody]")
RULES = DEFAULT_RULES.extend(
    related_block_tokens=(r"^article-read$",),
    drop_tokens=(r"^adds?-", r"^berita-terkait-", r"^recwidget", r"^placeholder_", r"^ten-second$", r"div-ad",
                 r"^google-pref$", r"^next-article$", r"^wrap-pagination$", r"^article-tags$"),
    drop_selectors=("div[id^=berita-terkait-]",),
)


def _is_2015(page: Page) -> bool:
    # Several independent signs, so that one renamed id does not flip the version.
    return (page.first(*BODY_2015, ".dateDetail2", ".breadcrumbs-menu") is not None
            or (page.first("author") is not None and not page.meta.article))


def _authors(page: Page) -> list[str]:
    if _is_2015(page):
        return split_names(page.text(".dateDetail2 author", "author", "span author"))
    return (jsonld_names(page.meta, "author") or split_names(page.meta.get("author"))
            or split_names(page.text("a.author-trigger")))


def _published(page: Page) -> str | None:
    if _is_2015(page):
        # "19 Jun 2015 | 13:06": no zone on the page, so it stays naive.
        return parse_date(page.text(".dateDetail2 time", "time[itemprop=datePublished]"), None)
    visible = next((t for t in page.texts("span[class*=date], div[class*=date], span.mt-10") if "WIB" in t), None)
    return parse_date(page.meta.date_published) or parse_date(visible)


def _section(page: Page) -> str | None:
    if _is_2015(page):
        # The 2015 channel menu marks the current category as the one item that is not a link.
        current = [t for li in page.select(".breadcrumbs-menu li") if li.find(".//a") is None
                   for t in [block_text(li)] if t]
        if current:
            return current[0]
    subcategory = script_field(page, "articleSubcategory") or script_field(page, "articleCategory")
    if subcategory:
        return subcategory
    crumbs = page.texts("ul.breadcrumb li a") or breadcrumb_names(page.meta)
    crumbs = [c for c in crumbs if c.lower() not in ("home", "beranda")]
    return crumbs[-1] if crumbs else page.meta.section


def parse(url: str, html: str | bytes) -> Article:
    """Parse a Suara.com article page (2015 or current layout)."""
    page = load_page(url, html)
    check_page_kind(page, SITE)
    legacy = _is_2015(page)
    body = page.first(*BODY_2015) if legacy else find_body(page.tree, BODY)[0]
    if legacy and body is None:
        body = find_body(page.tree, ())[0]
    require(body is not None and (legacy or is_article_meta(page.meta)), "not_article_page", "no article body")
    title = page.text("h1[itemprop=headline]", "h1") or page.meta.headline or ""
    cleaned = clean_content(body, RULES, url, title)
    published = _published(page)
    pages, current, show_all = query_pages(page)
    return build_article(
        url, page.meta, SITE, cleaned,
        title=title,
        authors=_authors(page),
        editors=[] if legacy else jsonld_names(page.meta, "editor"),
        published=published,
        modified=modified_after(published, page.meta),
        section=_section(page),
        tags=strip_hash(page.texts(".article-tags a, .tag-detail a, .tagDetailList h4")) or page.meta.keywords,
        pagination=pagination(url, pages, current, show_all or SITE.show_all_url(url)),
        parser="suara/2015" if legacy else "suara/2024",
    )


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
    parse=parse,
)
