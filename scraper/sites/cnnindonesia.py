"""cnnindonesia.com: no real page was found; the current (Tailwind, ≈2022-) layout from the notes (§4).

JSON-LD and meta first (its JSON-LD ``author`` is the organisation). Visible: ``h1``, the byline
"Name | CNN Indonesia" (``div.text-cnn_black_light3``, also found by its " | CNN Indonesia" suffix),
the date "Kamis, 14 Nov 2024 10:30 WIB" (``div.text-cnn_grey``), body ``div.detail-text`` (pre-2022
``div.detail_text``). Related: ``table.linksisip``; noise ``.paradetail`` ad slot, "ADVERTISEMENT SCROLL
TO CONTINUE WITH CONTENT", ``[Gambas:...]`` embeds, ``(abc/def)`` initials. Single-page articles.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scraper.cleaning import DEFAULT_RULES, clean_body
from scraper.dates import parse_date
from scraper.model import Article
from scraper.sites._pagekit import (
    Page, check_page_kind, find_body, is_article_meta, jsonld_names, load_page, require, short_text, split_names,
)
from scraper.sites.base import Discovery, Site
from scraper.urls import canonicalize

NAME = "cnnindonesia"
# /{kanal}/{YYYYMMDDhhmmss}-{kanalId}-{id}/{slug}
ARTICLE_URL = re.compile(r"^https?://(?:www\.|m\.)?cnnindonesia\.com/[\w-]+/\d{14}-\d+-\d+/[^/]+/?$")
CHANNELS = ("nasional", "internasional", "ekonomi", "olahraga", "teknologi", "hiburan", "gaya-hidup")

BODY = ("div.detail-text", "div.detail_text", "div.detail-wrap", "[itemprop=articleBody]")
RULES = DEFAULT_RULES.extend(drop_tokens=(r"^paradetail$", r"^detail_ads", r"^para_caption$"))
BYLINE = r"[|,]\s*CNN Indonesia\s*$"
VISIBLE_DATE = r"^(?:Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu),\s+\d{1,2}\s+\w+\s+\d{4}\s+\d{1,2}:\d{2}"


def _authors(page: Page) -> list[str]:
    visible = page.text("div.text-cnn_black_light3") or short_text(page, BYLINE, 80)
    return split_names(visible, strip=(BYLINE,)) or jsonld_names(page.meta, "author")


def _section(page: Page, url: str) -> str | None:
    section = page.meta.section
    if section:
        return section
    channel = urlsplit(url).path.strip("/").split("/")[0]
    return channel.replace("-", " ").title() if channel else None


def parse(url: str, html: str | bytes) -> Article:
    """Parse a CNN Indonesia article page."""
    page = load_page(url, html)
    check_page_kind(page, SITE)
    body = find_body(page, BODY)
    require(body is not None and is_article_meta(page.meta), "not_article_page", "no article body")
    title = page.text("h1") or page.meta.headline or ""
    require(title, "no_title")
    cleaned = clean_body(body, RULES, base_url=url)
    require(cleaned.paragraphs, "no_body")
    visible_date = page.text("div.text-cnn_grey") or short_text(page, VISIBLE_DATE, 60)
    published = (parse_date(page.meta.date_published) or parse_date(page.meta.get("publishdate", "pubdate"))
                 or parse_date(visible_date))
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
        section=_section(page, url),
        tags=page.meta.keywords,
        lead_image=page.meta.image,
        language="id",
        related=cleaned.related,
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
