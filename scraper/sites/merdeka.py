"""merdeka.com (KLY network).

Layouts, chosen by what the page contains:
* 2015 (real saved page): body ``#mdk-body-newsarea`` with paragraphs split by ``<br><br>``,
  reporter in ``#mdk-body-news-reporter``, "Baca juga:" as ``<p><strong>Baca juga:</strong><br><a>…``,
  initials ``#mdk-body-newsinit`` ("[ian]"), ``og:article:published_time`` with offset *and* "Z".
* current (notes: h1, meta author, ``article:published_time``; the rest INFERRED, see the fixture
  README): JSON-LD first, body found by class fast paths or by structure.
Discovery: the RSS feed (news-watch) and the Atom feed linked from the 2020 homepage.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scraper.cleaning import DEFAULT_RULES, clean_body
from scraper.dates import parse_date
from scraper.model import Article
from scraper.sites._pagekit import (
    check_page_kind, Page, find_body, is_article_meta, jsonld_names, load_page, require, split_names, strip_hash, strip_title,
)
from scraper.sites.base import Discovery, Site
from scraper.urls import canonicalize

NAME = "merdeka"
# /{kanal}/{slug}.html (2015) and /{kanal}/{slug}-{id}-mvk.html; company and workstation pages are not news.
ARTICLE_URL = re.compile(
    r"^https?://(?:www\.|m\.)?merdeka\.com/(?!company/|workstation/|tag/|reporter/)[\w-]+/(?:[\w-]+/)*[\w-]+\.html$"
)

BODY_2015 = "#mdk-body-newsarea"
BODY = ("div.article-body", "div.article-content", "[itemprop=articleBody]", BODY_2015)
RULES = DEFAULT_RULES.extend(
    drop_tokens=(r"newsinit", r"^box_shortcut$", r"^prev_next_news$", r"prevnext"),
)
TITLE_SUFFIXES = (r"\s*\|\s*merdeka\.com\s*$",)


def _is_2015(page: Page) -> bool:
    return page.first(BODY_2015) is not None


def _authors(page: Page) -> list[str]:
    visible = page.text("#mdk-body-news-reporter a[href*='/reporter/']", ".article-author a[href*='/reporter/']")
    return jsonld_names(page.meta, "author") or split_names(visible) or split_names(page.meta.get("author"))


def _section(page: Page, url: str) -> str | None:
    if page.meta.section:
        return page.meta.section
    # The 2015 page has no breadcrumb: the channel is the first path segment ("/peristiwa/...").
    first = urlsplit(url).path.strip("/").split("/")[0]
    return first.replace("-", " ").title() if first else None


def parse(url: str, html: str | bytes) -> Article:
    """Parse a merdeka.com article page (2015 or current layout)."""
    page = load_page(url, html)
    check_page_kind(page, SITE)
    legacy = _is_2015(page)
    body = page.first(BODY_2015) if legacy else find_body(page, BODY)
    require(body is not None and (legacy or is_article_meta(page.meta)), "not_article_page", "no article body")
    title = page.text("h1") or strip_title(page.meta.headline, TITLE_SUFFIXES)
    require(title, "no_title")
    cleaned = clean_body(body, RULES, base_url=url)
    require(cleaned.paragraphs, "no_body")
    published = parse_date(page.meta.date_published or page.meta.get("og:article:published_time", "pub_date"))
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
        tags=strip_hash(page.texts(".article-tags a")) or ([] if legacy else page.meta.keywords),
        lead_image=page.meta.image,
        language="id",
        related=cleaned.related,
        parser="merdeka/2015" if legacy else "merdeka/2023",
    )


SITE = Site(
    name=NAME,
    domains=("merdeka.com",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=("https://www.merdeka.com/sitemap.xml",),
        feeds=("https://www.merdeka.com/rss/", "https://www.merdeka.com/feed/"),
    ),
    multipage="none",
    parse=parse,
)
