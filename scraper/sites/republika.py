"""republika.co.id (and its channel hosts ``news.``, ``ekonomi.``, ``internasional.``...): no real page found.

Current layout (notes §11, [CODE news-watch]): the ``h1`` is empty, so the title comes from og:title;
date from ``article:published_time``; body ``div.article-content``. The credit line "Rep: X/ Red: Y"
gives the reporter and the editor (Red = redaktur). Legacy pages (2017) write the visible date with
English month names ("Jumat , 17 February 2017, 13:16 WIB"), which the core date parser reads.
"""

from __future__ import annotations

import re

from scraper.cleaning import DEFAULT_RULES, clean_body
from scraper.dates import parse_date
from scraper.model import Article
from scraper.sites._pagekit import (
    Page, breadcrumb_names, check_page_kind, find_body, is_article_meta, jsonld_names, labelled, load_page,
    require, short_text, split_names, strip_title,
)
from scraper.sites.base import Discovery, Site
from scraper.urls import canonicalize

NAME = "republika"
# /berita/{code}/{slug} (current) and /berita/{kanal}/{sub}/YY/MM/DD/{code}-{slug} (legacy), on any host.
ARTICLE_URL = re.compile(r"^https?://(?:[\w-]+\.)?republika\.co\.id/(?:[\w-]+/)?berita/[\w-]+/[\w./-]+$")

BODY = ("div.article-content", "div.article-body", "[itemprop=articleBody]")
RULES = DEFAULT_RULES.extend(related_block_tokens=(r"^picked-article",))
TITLE_SUFFIXES = (r"\s*\|\s*Republika Online\s*$", r"\s*-\s*Republika\s*$")
CREDIT = r"\bRep\s*:"
VISIBLE_DATE = r"(?:Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu)\s*,?\s+\d{1,2}\s+\w+\s+\d{4}"


def _credit(page: Page) -> str | None:
    """The "Rep: X/ Red: Y" line, by class or by its wording."""
    return page.text(".date-author .author") or short_text(page, CREDIT, 100)


def _section(page: Page) -> str | None:
    if page.meta.section:
        return page.meta.section
    crumbs = [c for c in page.texts("ul.breadcrumb li a") or breadcrumb_names(page.meta) if c.lower() != "home"]
    return crumbs[-1] if crumbs else None


def parse(url: str, html: str | bytes) -> Article:
    """Parse a Republika article page."""
    page = load_page(url, html)
    check_page_kind(page, SITE)
    body = find_body(page, BODY)
    require(body is not None and is_article_meta(page.meta), "not_article_page", "no article body")
    title = page.text("h1") or strip_title(page.meta.headline or page.meta.title_tag, TITLE_SUFFIXES)
    require(title, "no_title")
    cleaned = clean_body(body, RULES, base_url=url)
    require(cleaned.paragraphs, "no_body")
    credit = _credit(page)
    reporter, editor = labelled(credit, "rep"), labelled(credit, "red")
    visible_date = page.text(".date-author .date") or short_text(page, VISIBLE_DATE, 60)
    published = parse_date(page.meta.date_published) or parse_date(visible_date)
    modified = parse_date(page.meta.date_modified)
    return Article(
        url=url,
        canonical_url=canonicalize(page.meta.canonical or url, base=url),
        site=NAME,
        title=title,
        paragraphs=cleaned.paragraphs,
        description=page.meta.description,
        authors=split_names(reporter) or jsonld_names(page.meta, "author"),
        editors=split_names(editor) or jsonld_names(page.meta, "editor"),
        published=published,
        modified=modified if modified != published else None,
        section=_section(page),
        tags=page.meta.keywords or page.texts(".tag-list a"),
        lead_image=page.meta.image,
        language="id",
        related=cleaned.related,
        parser="republika/2023",
    )


SITE = Site(
    name=NAME,
    domains=("republika.co.id",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=("https://www.republika.co.id/sitemap.xml",),
        feeds=("https://www.republika.co.id/rss",),
    ),
    multipage="none",
    parse=parse,
)
