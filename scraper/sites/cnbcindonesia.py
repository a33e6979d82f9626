"""cnbcindonesia.com: no real page was found; the current layout from the notes (§12, [CODE news-watch]).

JSON-LD first. Visible: ``h1`` (``h1.mb-4.text-32.font-extrabold``), channel ``a.text-xs.font-semibold``,
byline = the second ``div.mb-1.text-base.font-semibold`` ("Name, CNBC Indonesia", also found by that
suffix), date ``div.text-cm.text-gray``, body ``div.detail-text``. Related/embeds: ``table/div[class^=sisip_]``,
``[class^=link_sisip]`` ("Baca:" lines). Multi-page articles list their pages in ``div.dropdown_menu a``;
there is no show-all view, so the spider follows ``pagination["next"]`` and merges ("follow_pages").
"""

from __future__ import annotations

import re

from scraper.cleaning import DEFAULT_RULES
from scraper.dates import parse_date
from scraper.model import Article
from scraper.sites.common import (
    Page, absolute_urls, build_article, canonical_url, clean_content, dateline, jsonld_names, load_page,
    modified_after, page_body, pagination, short_text, split_names,
)
from scraper.sites.base import Discovery, Site

NAME = "cnbcindonesia"
# /{kanal}/{YYYYMMDDhhmmss}-{kanalId}-{id}/{slug}[/{page}]
ARTICLE_URL = re.compile(r"^https?://(?:www\.)?cnbcindonesia\.com/[\w-]+/\d{8,14}-\d+-\d+/[^/]+(?:/\d{1,2})?/?$")
PAGE_SUFFIX = re.compile(r"(/\d{8,14}-\d+-\d+/[^/?#]+)/\d{1,2}/?(?=$|[?#])")

BODY = ("div.detail-text", "div.detail_text", "[itemprop=articleBody]")
DATELINE = r"^(?P<place>[A-Z][\w .'/()-]{1,40}?),\s*CNBC Indonesia\s*[-–—]"
RULES = DEFAULT_RULES.extend(
    related_block_tokens=(r"^link_sisip",),
    related_labels=(r"baca",),  # CNBC writes a bare "Baca:" before its related links
    drop_tokens=(r"^dropdown_menu$", r"^media-institusi$"),
)
BYLINE = r",\s*CNBC Indonesia\s*$"


def _authors(page: Page) -> list[str]:
    bylines = page.texts("div.mb-1.text-base.font-semibold")
    visible = next((b for b in bylines if re.search(BYLINE, b)), None) or short_text(page, BYLINE, 80)
    return split_names(visible, strip=(BYLINE,)) or jsonld_names(page.meta, "author")


def _pages(page: Page) -> tuple[list[str], int]:
    """The page URLs of a multi-page article (``div.dropdown_menu``) and the current page number."""
    links = absolute_urls(page.url, [a.get("href") for a in page.select("div.dropdown_menu a[href]")])
    here = page.url.rstrip("/")
    current = next((i + 1 for i, link in enumerate(links) if link.rstrip("/") == here), 1)
    return links, current


def parse(url: str, html: str | bytes) -> Article:
    """Parse one page of a CNBC Indonesia article."""
    page = load_page(url, html)
    body = page_body(page, SITE, BODY)
    title = page.text("h1") or page.meta.headline or ""
    cleaned = clean_content(body, RULES, url, title)
    published = parse_date(page.meta.date_published) or parse_date(page.text("div.text-cm.text-gray"))
    pages, current = _pages(page)
    # Page N of an article is the same article: its identity is the URL without the "/N" suffix.
    canonical = PAGE_SUFFIX.sub(r"\1", canonical_url(page.meta, url))
    return build_article(
        url, page.meta, SITE, cleaned,
        canonical_url=canonical,
        title=title,
        dateline=dateline(cleaned.paragraphs, DATELINE),
        authors=_authors(page),
        editors=jsonld_names(page.meta, "editor"),
        published=published,
        modified=modified_after(published, page.meta),
        section=page.text("a.text-xs.font-semibold[href='#']") or page.meta.section,
        tags=page.meta.keywords or page.texts(".tag-list a"),
        pagination=pagination(url, pages, current),
        parser="cnbcindonesia/2023",
    )


SITE = Site(
    name=NAME,
    domains=("cnbcindonesia.com",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=("https://www.cnbcindonesia.com/sitemap.xml",),
        feeds=("https://www.cnbcindonesia.com/rss",),
    ),
    multipage="follow_pages",
    parse=parse,
)
