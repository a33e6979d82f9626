"""cnnindonesia.com: no real page was saved; the current (Tailwind, ≈2022-) layout (:class:`CnnIndonesia2022`).

From the notes (§4) and DonnyRZ/egi-media-crawl's adapter that checked the live site in 2026 (the detik CMS template).

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

from scraper.cleaning import DEFAULT_RULES
from scraper.dates import parse_date
from scraper.sites import common
from scraper.sites.base import Discovery, Site
from scraper.sites.parser import Parser, attribute
from scraper.text import block_text

NAME = "cnnindonesia"
# /{kanal}/{YYYYMMDDhhmmss}-{kanalId}-{id}/{slug}
ARTICLE_URL = re.compile(r"^https?://(?:www\.|m\.)?cnnindonesia\.com/[\w-]+/\d{14}-\d+-\d+/[^/]+/?$")
CHANNELS = ("nasional", "internasional", "ekonomi", "olahraga", "teknologi", "hiburan", "gaya-hidup")

RULES = DEFAULT_RULES.extend(
    drop_tokens=(r"^paradetail$", r"^detail_ads", r"^para_caption$", r"^newstag$", r"^end-of-article$"),
    boilerplate_lines=(r"^add as a preferred source\b", r"^baca artikel cnn indonesia lainnya\b"),
    # The "preferred source" link sits inline right after the closing desk code: remove it as an element.
    drop_selectors=('a:-soup-contains("preferred source")', 'a[href*="/outboundlinks"]'),
)
DATELINE_ONLY = r"[A-Za-z .'/()-]{2,40},\s*CNN Indonesia\s*(?:-{1,2}|–|—)?"
BYLINE = r"[|,]\s*CNN Indonesia\s*$"
VISIBLE_DATE = r"^(?:Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu),\s+\d{1,2}\s+\w+\s+\d{4}\s+\d{1,2}:\d{2}"


class CnnIndonesia2022(Parser):
    """The Tailwind layout (the only one known); ``div.detail_text`` bodies of before 2022 are read alike."""

    name = "cnnindonesia/2022"
    rules = RULES
    body_selectors = ("div.detail-text", "div.detail_text", "div.detail-wrap", "[itemprop=articleBody]")
    head_vouches = True
    machine_dates_in_site_zone = False
    dateline_pattern = re.compile(r"^(?P<place>[A-Z][\w .'/()-]{1,40}?),\s*CNN Indonesia\s*[-–—]")

    @attribute
    def paragraphs(self) -> list[str]:
        # The bare <strong> dateline before the first <p> joins the first paragraph.
        return common.merge_dateline(self.cleaned.paragraphs, DATELINE_ONLY)

    @attribute
    def authors(self) -> list[str]:
        page = self.page
        visible = page.text(".text-cnn_black_light3 span", "div.text-cnn_black_light3") or common.short_text(
            page, BYLINE, 80)
        return common.split_names(visible, strip=(BYLINE,)) or common.jsonld_names(page.meta, "author")

    @attribute
    def editors(self) -> list[str]:
        return common.jsonld_names(self.page.meta, "editor")

    @attribute
    def published(self) -> str | None:
        meta = self.page.meta
        visible = self.page.text("div.text-cnn_grey") or common.short_text(self.page, VISIBLE_DATE, 60)
        return parse_date(meta.date_published) or parse_date(meta.get("publishdate", "pubdate")) or parse_date(visible)

    @attribute
    def section(self) -> str | None:
        page = self.page
        return page.text("a.gtm_breadcrumb_kanal") or page.meta.section or common.channel_from_url(page.url)

    @attribute
    def tags(self) -> list[str]:
        """The "TOPIK TERKAIT" list (not the inline /tag/ links of the body), else meta keywords."""
        page = self.page
        # The first box (in page order) whose first ".title-box" reads "Topik terkait", found from the titles up.
        first_title: dict[Any, Any] = {}
        for title in page.select(".title-box"):
            for box in title.iterancestors("aside", "div"):
                first_title.setdefault(box, title)
        for box in page.tree.iter("aside", "div"):
            title = first_title.get(box)
            if title is not None and "topik terkait" in block_text(title).lower():
                tags = [block_text(a) for a in common.select(box, "a[href*='/tag/']")]
                if tags:
                    return [t for t in tags if t]
        return page.meta.keywords


SITE = Site(
    name=NAME,
    domains=("cnnindonesia.com",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=("https://www.cnnindonesia.com/sitemap.xml",),
        feeds=("https://www.cnnindonesia.com/rss",) + tuple(f"https://www.cnnindonesia.com/{c}/rss" for c in CHANNELS),
    ),
    multipage="none",
    parsers=(CnnIndonesia2022,),
)
