"""cnbcindonesia.com: no real page was found; the current layout from the notes (§12, [CODE news-watch]).

JSON-LD first. Visible: ``h1`` (``h1.mb-4.text-32.font-extrabold``), channel ``a.text-xs.font-semibold``,
byline = the second ``div.mb-1.text-base.font-semibold`` ("Name, CNBC Indonesia", also found by that
suffix), date ``div.text-cm.text-gray``, body ``div.detail-text``. Related/embeds: ``table/div[class^=sisip_]``,
``[class^=link_sisip]`` ("Baca:" lines). Multi-page articles list their pages in ``div.dropdown_menu a``;
there is no show-all view, so the spider follows ``pagination["next"]`` and merges ("follow_pages").
"""

from __future__ import annotations

import re
from typing import Any

from scraper.cleaning import DEFAULT_RULES
from scraper.dates import parse_date
from scraper.sites import common
from scraper.sites.base import Discovery, Site
from scraper.sites.parser import Parser, attribute

NAME = "cnbcindonesia"
# /{kanal}/{YYYYMMDDhhmmss}-{kanalId}-{id}/{slug}[/{page}]
ARTICLE_URL = re.compile(r"^https?://(?:www\.)?cnbcindonesia\.com/[\w-]+/\d{8,14}-\d+-\d+/[^/]+(?:/\d{1,2})?/?$")
PAGE_SUFFIX = re.compile(r"(/\d{8,14}-\d+-\d+/[^/?#]+)/\d{1,2}/?(?=$|[?#])")

RULES = DEFAULT_RULES.extend(
    related_block_tokens=(r"^link_sisip",),
    related_labels=(r"baca",),  # CNBC writes a bare "Baca:" before its related links
    drop_tokens=(r"^dropdown_menu$", r"^media-institusi$"),
)
BYLINE = r",\s*CNBC Indonesia\s*$"


class CnbcIndonesia2023(Parser):
    """The current layout (the only one known); the byline also found by its ", CNBC Indonesia" suffix."""

    name = "cnbcindonesia/2023"
    rules = RULES
    body_selectors = ("div.detail-text", "div.detail_text", "[itemprop=articleBody]")
    head_vouches = True
    machine_dates_in_site_zone = False
    dateline_pattern = re.compile(r"^(?P<place>[A-Z][\w .'/()-]{1,40}?),\s*CNBC Indonesia\s*[-–—]")

    @attribute
    def canonical_url(self) -> str:
        # Page N of an article is the same article: its identity is the URL without the "/N" suffix.
        return PAGE_SUFFIX.sub(r"\1", super().canonical_url())

    @attribute
    def authors(self) -> list[str]:
        bylines = self.page.texts("div.mb-1.text-base.font-semibold")
        visible = next((b for b in bylines if re.search(BYLINE, b)), None) or common.short_text(self.page, BYLINE, 80)
        return common.split_names(visible, strip=(BYLINE,)) or common.jsonld_names(self.page.meta, "author")

    @attribute
    def editors(self) -> list[str]:
        return common.jsonld_names(self.page.meta, "editor")

    @attribute
    def published(self) -> str | None:
        return parse_date(self.page.meta.date_published) or parse_date(self.page.text("div.text-cm.text-gray"))

    @attribute
    def section(self) -> str | None:
        return self.page.text("a.text-xs.font-semibold[href='#']") or self.page.meta.section

    @attribute
    def tags(self) -> list[str]:
        return self.page.meta.keywords or self.page.texts(".tag-list a")

    @attribute
    def pagination(self) -> dict[str, Any] | None:
        """The pages of a multi-page article (``div.dropdown_menu``); None for a single page."""
        url = self.page.url
        links = common.absolute_urls(url, [a.get("href") for a in self.page.select("div.dropdown_menu a[href]")])
        here = url.rstrip("/")
        current = next((i + 1 for i, link in enumerate(links) if link.rstrip("/") == here), 1)
        return common.pagination(url, links, current)


SITE = Site(
    name=NAME,
    domains=("cnbcindonesia.com",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=("https://www.cnbcindonesia.com/sitemap.xml",),
        feeds=("https://www.cnbcindonesia.com/rss",),
    ),
    multipage="follow_pages",
    parsers=(CnbcIndonesia2023,),
)
