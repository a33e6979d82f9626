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

from scraper.cleaning import DEFAULT_RULES
from scraper.dates import parse_date
from scraper.model import Article
from scraper.sites.common import (
    Page, absolute_urls, breadcrumb_names, build_article, canonical_url, clean_content, dateline, is_article_meta,
    jsonld_names, load_page, modified_after, page_body, pagination, short_text, split_names,
)
from scraper.sites.base import Discovery, Site

NAME = "sindonews"
# https://{kanal}.sindonews.com/read/{id}/{subId}/{slug}-{unixtime}[/{page offset}]
ARTICLE_URL = re.compile(r"^https?://(?:[\w-]+\.)?sindonews\.com/read/\d+/\d+/[^/]+(?:/\d{1,3})?/?$")
PAGE_SUFFIX = re.compile(r"(/read/\d+/\d+/[^/?#]+)/\d{1,3}/?(?=$|[?#])")
CHANNELS = ("nasional", "metro", "daerah", "ekbis", "international", "sports", "tekno", "edukasi", "kalam")

BODY = (".detail-desc", "#detail-desc", "[itemprop=articleBody]")
DATELINE = r"^(?P<place>[A-Z][A-Z .'/()-]{1,40}?)\s+[-–—]+\s"
RULES = DEFAULT_RULES.extend(
    related_block_tokens=(r"^lihat-juga",),
    drop_tokens=(r"^editor$", r"^v-", r"^paging-"),
)
DAY = r"(?:Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu)"
VISIBLE_DATE = DAY + r",\s+\d{1,2}\s+\w+\s+\d{4}"


def _authors(page: Page) -> list[str]:
    # news-watch cuts the writer block's text at the day name: it can hold the date too.
    visible = page.text(".detail-nama-redaksi a[rel=author]", ".warp-nama-redaksi", ".detail-nama-redaksi",
                        "a[rel=author]")
    visible = re.split(DAY + r"\b", visible or "", maxsplit=1)[0]
    return split_names(visible) or jsonld_names(page.meta, "author") or split_names(page.meta.get("author"))


def _section(page: Page) -> str | None:
    crumbs = [c for c in breadcrumb_names(page.meta) if c.lower() not in ("home", "beranda")]
    if not crumbs:
        crumbs = [c for c in page.texts(".breadcrumb a, .breadcrumbs a") if c.lower() not in ("home", "beranda")]
    return crumbs[-1] if crumbs else page.meta.section


def _pages(page: Page, canonical: str) -> tuple[list[str], int, str | None]:
    """Page URLs from ``.paging-artikel`` (page 1 = the bare URL), the current page, the show-all link."""
    links = absolute_urls(page.url, [a.get("href") for a in page.select(".paging-artikel a[href]")])
    pages = [canonical] + [u for u in links if u.split("?")[0].rstrip("/") != canonical.rstrip("/")]
    here = page.url.split("?")[0].rstrip("/")
    current = next((i + 1 for i, u in enumerate(pages) if u.rstrip("/") == here), 1)
    show_all = page.first(".paging-all a[href*='showpage=all']", "a[href*='showpage=all']")
    return pages, current, absolute_urls(page.url, [show_all.get("href")])[0] if show_all is not None else None


def parse(url: str, html: str | bytes) -> Article:
    """Parse a SINDOnews article page (page N, or the ``?showpage=all`` view)."""
    page = load_page(url, html)
    # The show-all view has no NewsArticle JSON-LD: its own title/date markup vouches for it instead.
    vouched = is_article_meta(page.meta) or page.first("h1.detail-title", ".detail-date-artikel") is not None
    body = page_body(page, SITE, BODY, vouched)
    title = page.text("h1.detail-title", "h1") or page.meta.headline or ""
    cleaned = clean_content(body, RULES, url, title)
    visible_date = page.text(".detail-date-artikel") or short_text(page, VISIBLE_DATE, 60)
    published = parse_date(page.meta.date_published) or parse_date((visible_date or "").replace("'", ""))
    # Page N and the show-all view are the same article: its identity is the URL without "/N".
    canonical = PAGE_SUFFIX.sub(r"\1", canonical_url(page.meta, url))
    pages, current, show_all = _pages(page, canonical)
    return build_article(
        url, page.meta, SITE, cleaned,
        canonical_url=canonical,
        title=title,
        dateline=dateline(cleaned.paragraphs, DATELINE),
        authors=_authors(page),
        editors=jsonld_names(page.meta, "editor"),
        published=published,
        modified=modified_after(published, page.meta),
        section=_section(page),
        tags=page.meta.keywords or page.texts(".detail-tag a"),
        pagination=None if "showpage=all" in url else pagination(url, pages, current, show_all),
        parser="sindonews/2024",
    )


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
    parse=parse,
    index_links=index_links,
)
