"""sindonews.com (channel sites ``nasional.``, ``daerah.``, ``ekbis.``...): no real page was saved.

Layout from the notes (§13, [CODE news-watch]) and DonnyRZ/egi-media-crawl's adapter that checked the live site
in 2026: ``h1.detail-title``; body ``.detail-desc`` = loose text and inline links split by ``<br>`` (no
``<p>``), with "Baca Juga" lines inline (with or without a colon), ``[class^=v-]`` video wrappers and a
``div.editor`` initials line; writer ``.detail-nama-redaksi a[rel=author]``; date ``.detail-date-artikel``
("Jum'at, 24 Juli 2026 - 13:39 WIB"); section = the JSON-LD breadcrumb's last item (its name is nested
in ``item``); tags = meta keywords. Multi-page: page 2 is the URL + "/5" (or "/10"), and ``?showpage=all``
renders the whole body; that view has *no* NewsArticle JSON-LD, so the visible markup must suffice.
Discovery: ``/indeks/{cid}/{offset}?t=YYYY-MM-DD`` (offset +20 per page), RSS ``/feed``, news sitemaps.
"""

from __future__ import annotations

import re
from typing import Any

from scraper.cleaning import DEFAULT_RULES
from scraper.dates import parse_date
from scraper.sites import common
from scraper.sites.base import Discovery, Site
from scraper.sites.common import absolute_urls, load_page
from scraper.sites.parser import Parser, attribute

NAME = "sindonews"
# https://{kanal}.sindonews.com/read/{id}/{subId}/{slug}-{unixtime}[/{page offset}]
ARTICLE_URL = re.compile(r"^https?://(?:[\w-]+\.)?sindonews\.com/read/\d+/\d+/[^/]+(?:/\d{1,3})?/?$")
PAGE_SUFFIX = re.compile(r"(/read/\d+/\d+/[^/?#]+)/\d{1,3}/?(?=$|[?#])")
CHANNELS = ("nasional", "metro", "daerah", "ekbis", "international", "sports", "tekno", "edukasi", "kalam")

RULES = DEFAULT_RULES.extend(
    related_block_tokens=(r"^lihat-juga",),
    drop_tokens=(r"^editor$", r"^v-", r"^paging-"),
)
DAY = r"(?:Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu)"
VISIBLE_DATE = DAY + r",\s+\d{1,2}\s+\w+\s+\d{4}"
NOT_CRUMBS = ("home", "beranda")


class Sindonews2024(Parser):
    """The current layout (the only one known): page N, or the ``?showpage=all`` view without NewsArticle JSON-LD."""

    name = "sindonews/2024"
    rules = RULES
    title_selectors = ("h1.detail-title", "h1")
    body_selectors = (".detail-desc", "#detail-desc", "[itemprop=articleBody]")
    head_vouches = True
    machine_dates_in_site_zone = False
    dateline_pattern = re.compile(r"^(?P<place>[A-Z][A-Z .'/()-]{1,40}?)\s+[-–—]+\s")

    def vouched(self) -> bool:
        # The show-all view has no NewsArticle JSON-LD: its own title/date markup vouches for it instead.
        page = self.page
        return common.is_article_meta(page.meta) or page.first("h1.detail-title", ".detail-date-artikel") is not None

    @attribute
    def canonical_url(self) -> str:
        # Page N and the show-all view are the same article: its identity is the URL without "/N".
        return PAGE_SUFFIX.sub(r"\1", common.canonical_url(self.page.meta, self.page.url))

    @attribute
    def authors(self) -> list[str]:
        page = self.page
        # news-watch cuts the writer block's text at the day name: it can hold the date too.
        visible = page.text(".detail-nama-redaksi a[rel=author]", ".warp-nama-redaksi", ".detail-nama-redaksi",
                            "a[rel=author]")
        visible = re.split(DAY + r"\b", visible or "", maxsplit=1)[0]
        names = common.split_names(visible) or common.jsonld_names(page.meta, "author")
        return names or common.split_names(page.meta.get("author"))

    @attribute
    def editors(self) -> list[str]:
        return common.jsonld_names(self.page.meta, "editor")

    @attribute
    def published(self) -> str | None:
        visible = self.page.text(".detail-date-artikel") or common.short_text(self.page, VISIBLE_DATE, 60)
        return parse_date(self.page.meta.date_published) or parse_date((visible or "").replace("'", ""))

    @attribute
    def section(self) -> str | None:
        page = self.page
        crumbs = [c for c in common.breadcrumb_names(page.meta) if c.lower() not in NOT_CRUMBS]
        if not crumbs:
            crumbs = [c for c in page.texts(".breadcrumb a, .breadcrumbs a") if c.lower() not in NOT_CRUMBS]
        return crumbs[-1] if crumbs else page.meta.section

    @attribute
    def tags(self) -> list[str]:
        return self.page.meta.keywords or self.page.texts(".detail-tag a")

    @attribute
    def pagination(self) -> dict[str, Any] | None:
        """Pages from ``.paging-artikel`` (page 1 = the bare URL) with the show-all link; None in the show-all view."""
        page, url, canonical = self.page, self.page.url, self.canonical_url()
        if "showpage=all" in url:
            return None
        links = absolute_urls(url, [a.get("href") for a in page.select(".paging-artikel a[href]")])
        pages = [canonical] + [u for u in links if u.split("?")[0].rstrip("/") != canonical.rstrip("/")]
        here = url.split("?")[0].rstrip("/")
        current = next((i + 1 for i, u in enumerate(pages) if u.rstrip("/") == here), 1)
        link = page.first(".paging-all a[href*='showpage=all']", "a[href*='showpage=all']")
        show_all = absolute_urls(url, [link.get("href")])[0] if link is not None else None
        return common.pagination(url, pages, current, show_all)


def index_links(url: str, html: str | bytes) -> tuple[list[str], str | None]:
    """Article links of an ``/indeks/{cid}/{offset}`` page and the next page (offset + 20)."""
    page = load_page(url, html)
    anchors = page.select(".warp-article .title-article a[href]") or page.select("a[href*='/read/']")
    links = [u for u in absolute_urls(url, [a.get("href") for a in anchors]) if SITE.is_article_url(u)]
    m = re.search(r"/indeks/(\d+)/(\d+)", url)
    nxt = None
    if m and links:
        offset = int(m.group(2)) + 20
        wanted = f"/indeks/{m.group(1)}/{offset}"
        found = [a.get("href") for a in page.select(f"a[href*='{wanted}']")]
        nxt = absolute_urls(url, found)[0] if found else None
    return links, nxt


SITE = Site(
    name=NAME,
    domains=("sindonews.com",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=tuple(f"https://{c}.sindonews.com/sitemap-news.xml" for c in CHANNELS),
        feeds=("https://www.sindonews.com/feed",),
        # offset 0 of the all-channel index for one day; index_links follows the +20 pages.
        daily_index="https://www.sindonews.com/indeks/0/0?t={date:%Y-%m-%d}",
    ),
    multipage="show_all",
    show_all_params={"showpage": "all"},
    parsers=(Sindonews2024,),
    index_links=index_links,
)
