"""sindonews.com (and its channel sites ``nasional.``, ``daerah.``, ``sports.``...): no real page was found.

Current layout from the notes (§13, [CODE news-watch]): ``h1``, body ``.detail-desc`` (loose text split
by ``<br>``), date ``.detail-date-artikel`` ("Kamis, 14 November 2024 - 10:30 WIB"), writer
``.warp-nama-redaksi``, channel = last ``.breadcrumb a``; "Baca juga" boxes ``div[class^=baca-juga]``,
"Lihat juga" ``[class^=lihat-juga]``, ad slots. Discovery: RSS ``/feed`` and per-channel news sitemaps.
"""

from __future__ import annotations

import re

from scraper.cleaning import DEFAULT_RULES, clean_body
from scraper.dates import parse_date
from scraper.model import Article
from scraper.sites._pagekit import (
    Page, check_page_kind, find_body, is_article_meta, jsonld_names, load_page, require, short_text, split_names,
)
from scraper.sites.base import Discovery, Site
from scraper.urls import canonicalize

NAME = "sindonews"
# https://{kanal}.sindonews.com/read/{id}/{kanalId}/{slug}-{unixtime}
ARTICLE_URL = re.compile(r"^https?://(?:[\w-]+\.)?sindonews\.com/read/\d+/\d+/[^/]+/?$")
CHANNELS = ("nasional", "metro", "daerah", "ekbis", "international", "sports", "tekno", "edukasi", "kalam")

BODY = (".detail-desc", "#detail-desc", "[itemprop=articleBody]", "article .content")
RULES = DEFAULT_RULES.extend(
    related_block_tokens=(r"^lihat-juga",),
    drop_tokens=(r"^editor$",),
)
DAY = r"(?:Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu)"
VISIBLE_DATE = DAY + r",\s+\d{1,2}\s+\w+\s+\d{4}"


def _authors(page: Page) -> list[str]:
    # news-watch cuts this element's text at the day name: it can hold the date too.
    visible = page.text(".warp-nama-redaksi", ".detail-nama-redaksi")
    visible = re.split(DAY + r"\b", visible or "", maxsplit=1)[0]
    return split_names(visible) or jsonld_names(page.meta, "author") or split_names(page.meta.get("author"))


def _section(page: Page) -> str | None:
    crumbs = [c for c in page.texts(".breadcrumb a, .breadcrumbs a") if c.lower() not in ("home", "beranda")]
    return crumbs[-1] if crumbs else page.meta.section


def parse(url: str, html: str | bytes) -> Article:
    """Parse a SINDOnews article page."""
    page = load_page(url, html)
    check_page_kind(page, SITE)
    body = find_body(page, BODY)
    require(body is not None and is_article_meta(page.meta), "not_article_page", "no article body")
    title = page.text("h1") or page.meta.headline or ""
    require(title, "no_title")
    cleaned = clean_body(body, RULES, base_url=url)
    require(cleaned.paragraphs, "no_body")
    visible_date = page.text(".detail-date-artikel") or short_text(page, VISIBLE_DATE, 60)
    published = parse_date(page.meta.date_published) or parse_date((visible_date or "").replace("'", ""))
    modified = parse_date(page.meta.date_modified)
    return Article(
        url=url,
        canonical_url=canonicalize(page.meta.canonical or url, base=url),
        site=NAME,
        title=title,
        paragraphs=cleaned.paragraphs,
        description=page.meta.description,
        authors=_authors(page),
        editors=jsonld_names(page.meta, "editor"),
        published=published,
        modified=modified if modified != published else None,
        section=_section(page),
        tags=page.texts(".detail-tag a") or page.meta.keywords,
        lead_image=page.meta.image,
        language="id",
        related=cleaned.related,
        parser="sindonews/2024",
    )


SITE = Site(
    name=NAME,
    domains=("sindonews.com",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=tuple(f"https://{c}.sindonews.com/sitemap-news.xml" for c in CHANNELS),
        feeds=("https://www.sindonews.com/feed",),
    ),
    multipage="none",
    parse=parse,
)
