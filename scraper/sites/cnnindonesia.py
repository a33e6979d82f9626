"""cnnindonesia.com: no real page was saved; the current (Tailwind, ≈2022-) layout from the notes (§4) and DonnyRZ/egi-media-crawl's adapter that checked the live site in 2026 (the detik CMS template).

JSON-LD: a WebPage block, a NewsArticle block whose ``author.name`` is often empty, a BreadcrumbList.
Visible: ``h1``; byline ``.text-cnn_black_light3 span`` ("Name | CNN Indonesia", often just the brand;
also found by its suffix); date "Kamis, 14 Nov 2024 10:30 WIB" (``div.text-cnn_grey``); section
``a.gtm_breadcrumb_kanal``; tags in the "TOPIK TERKAIT" aside; body ``div.detail-text`` (pre-2022
``div.detail_text``) opening with a bare ``<strong>`` dateline before the first ``<p>``. Related:
``table.linksisip``; noise ``.paradetail`` ad slot, "ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT",
``[Gambas:...]`` embeds, ``(abc/def)`` initials, ``.newstag``, ``.end-of-article``, the "Add as a
preferred source on Google" link. Single-page articles.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from scraper.cleaning import DEFAULT_RULES
from scraper.dates import parse_date
from scraper.model import Article
from scraper.sites.common import (
    Page, build_article, clean, dateline, jsonld_names, load_page, merge_dateline, modified_after,
    page_body, require, select, short_text, split_names,
)
from scraper.sites.base import Discovery, Site
from scraper.text import block_text

NAME = "cnnindonesia"
# /{kanal}/{YYYYMMDDhhmmss}-{kanalId}-{id}/{slug}
ARTICLE_URL = re.compile(r"^https?://(?:www\.|m\.)?cnnindonesia\.com/[\w-]+/\d{14}-\d+-\d+/[^/]+/?$")
CHANNELS = ("nasional", "internasional", "ekonomi", "olahraga", "teknologi", "hiburan", "gaya-hidup")

BODY = ("div.detail-text", "div.detail_text", "div.detail-wrap", "[itemprop=articleBody]")
DATELINE = r"^(?P<place>[A-Z][\w .'/()-]{1,40}?),\s*CNN Indonesia\s*[-–—]"
RULES = DEFAULT_RULES.extend(
    drop_tokens=(r"^paradetail$", r"^detail_ads", r"^para_caption$", r"^newstag$", r"^end-of-article$"),
    boilerplate_lines=(r"^add as a preferred source\b", r"^baca artikel cnn indonesia lainnya\b"),
    # The "preferred source" link sits inline right after the closing desk code: remove it as an element.
    drop_selectors=('a:-soup-contains("preferred source")', 'a[href*="/outboundlinks"]'),
)
DATELINE_ONLY = r"[A-Za-z .'/()-]{2,40},\s*CNN Indonesia\s*(?:-{1,2}|–|—)?"
BYLINE = r"[|,]\s*CNN Indonesia\s*$"
VISIBLE_DATE = r"^(?:Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu),\s+\d{1,2}\s+\w+\s+\d{4}\s+\d{1,2}:\d{2}"


def _authors(page: Page) -> list[str]:
    visible = page.text(".text-cnn_black_light3 span", "div.text-cnn_black_light3") or short_text(page, BYLINE, 80)
    return split_names(visible, strip=(BYLINE,)) or jsonld_names(page.meta, "author")


def _section(page: Page, url: str) -> str | None:
    section = page.text("a.gtm_breadcrumb_kanal") or page.meta.section
    if section:
        return section
    channel = urlsplit(url).path.strip("/").split("/")[0]
    return channel.replace("-", " ").title() if channel else None


def _tags(page: Page) -> list[str]:
    """The "TOPIK TERKAIT" list (not the inline /tag/ links of the body), else meta keywords."""
    # The first box (in page order) whose first ".title-box" reads "Topik terkait", found from the titles up.
    first_title: dict[Any, Any] = {}
    for title in page.select(".title-box"):
        for box in title.iterancestors("aside", "div"):
            first_title.setdefault(box, title)
    for box in page.tree.iter("aside", "div"):
        title = first_title.get(box)
        if title is not None and "topik terkait" in block_text(title).lower():
            tags = [block_text(a) for a in select(box, "a[href*='/tag/']")]
            if tags:
                return [t for t in tags if t]
    return page.meta.keywords


def parse(url: str, html: str | bytes) -> Article:
    """Parse a CNN Indonesia article page."""
    page = load_page(url, html)
    body = page_body(page, SITE, BODY)
    title = page.text("h1") or page.meta.headline or ""
    require(title, "no_title")
    cleaned = clean(body, RULES, url)
    paragraphs = merge_dateline(cleaned.paragraphs, DATELINE_ONLY)
    require(paragraphs, "no_body")
    visible_date = page.text("div.text-cnn_grey") or short_text(page, VISIBLE_DATE, 60)
    published = (parse_date(page.meta.date_published) or parse_date(page.meta.get("publishdate", "pubdate"))
                 or parse_date(visible_date))
    return build_article(
        url, page.meta, SITE, cleaned,
        title=title,
        paragraphs=paragraphs,
        dateline=dateline(paragraphs, DATELINE),
        authors=_authors(page),
        editors=jsonld_names(page.meta, "editor"),
        published=published,
        modified=modified_after(published, page.meta),
        section=_section(page, url),
        tags=_tags(page),
        parser="cnnindonesia/2022",
    )


SITE = Site(
    name=NAME,
    domains=("cnnindonesia.com",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=("https://www.cnnindonesia.com/sitemap.xml",),
        feeds=("https://www.cnnindonesia.com/rss",) + tuple(f"https://www.cnnindonesia.com/{c}/rss" for c in CHANNELS),
    ),
    multipage="none",
    parse=parse,
)
