"""merdeka.com (KLY network).

Layouts, chosen by what the page contains:
* 2015 (real saved page): body ``#mdk-body-newsarea`` with paragraphs split by ``<br><br>``,
  reporter in ``#mdk-body-news-reporter``, "Baca juga:" as ``<p><strong>Baca juga:</strong><br><a>…``,
  initials ``#mdk-body-newsinit`` ("[ian]"), ``og:article:published_time`` with offset *and* "Z".
* 2023- (DonnyRZ/egi-media-crawl's adapter, live-checked 2026): URL ``/{section}/read/{id}/{slug}``; title
  ``h1.articles-content__title``; JSON-LD NewsArticle whose ``author`` name is null, so the writer is
  meta ``author`` / ``[data-tracking=author_name]``; section = last item of
  ``nav.breadcrumb-navigation`` (the JSON-LD breadcrumb ends with the headline); body
  ``.articles-content__body`` holding *every* page of a multi-page article, split by
  ``div.page-break[data-page]`` ("single_response"); tags ``.tags-articles__list a``.
Discovery: ``/sitemap.xml`` is an index of per-section Google News sitemaps (``/{section}/sitemap.xml``);
the RSS feed (news-watch) and the Atom feed linked from the 2020 homepage.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scraper.cleaning import DEFAULT_RULES
from scraper.dates import parse_date
from scraper.model import Article
from scraper.sites.common import (
    Page, build_article, check_page_kind, clean_content, find_body, is_article_meta, jsonld_names,
    load_page, modified_after, require, script_field, split_names, strip_hash, strip_title,
)
from scraper.sites.base import Discovery, Site

NAME = "merdeka"
# /{section}/read/{id}/{slug} (2023-) and /{kanal}/{slug}.html (2015); company, workstation, tag and
# reporter pages are not news, foto/video/slideshow are galleries.
ARTICLE_URL = re.compile(
    r"^https?://(?:www\.|m\.)?merdeka\.com/(?!company/|workstation/|tag/|reporter/|foto/|video/|slideshow/)"
    r"(?:[\w-]+/read/\d+/[\w-]+/?|[\w-]+/(?:[\w-]+/)*[\w-]+\.html)$"
)

BODY_2015 = "#mdk-body-newsarea"
BODY = (".articles-content__body", "div.article-body", "div.article-content", "[itemprop=articleBody]", BODY_2015)
RULES = DEFAULT_RULES.extend(
    # "Baca Juga" boxes of the 2023 layout are utility-class divs (bg-primary-50): found by their label.
    drop_tokens=(r"newsinit", r"^box_shortcut$", r"^prev_next_news$", r"prevnext", r"^page-break$",
                 r"^articles-content__sinopsis$"),
)
TITLE_SUFFIXES = (r"\s*\|\s*merdeka\.com\s*$",)


def _is_2015(page: Page) -> bool:
    return page.first(BODY_2015) is not None


def _authors(page: Page) -> list[str]:
    # JSON-LD author names are null on the 2023 layout; meta author holds the reporter.
    visible = page.text("[data-tracking=author_name]", "#mdk-body-news-reporter a[href*='/reporter/']",
                        "a[href*='/reporter/']")
    return jsonld_names(page.meta, "author") or split_names(page.meta.get("author")) or split_names(visible)


def _section(page: Page, url: str) -> str | None:
    crumbs = [c for c in page.texts("nav.breadcrumb-navigation li") if c.lower() != "home"]
    if crumbs:
        return crumbs[-1]
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
    body = page.first(BODY_2015) if legacy else find_body(page.tree, BODY)[0]
    require(body is not None and (legacy or is_article_meta(page.meta)), "not_article_page", "no article body")
    title = page.text("h1.articles-content__title", "h1") or strip_title(page.meta.headline, TITLE_SUFFIXES)
    cleaned = clean_content(body, RULES, url, title)
    published = parse_date(page.meta.date_published or page.meta.get("og:article:published_time", "pub_date"))
    return build_article(
        url, page.meta, SITE, cleaned,
        title=title,
        authors=_authors(page),
        # The 2023 layout names the editor only in its window.kly state ("editors": "...").
        editors=jsonld_names(page.meta, "editor") or split_names(script_field(page, "editors")),
        published=published,
        modified=modified_after(published, page.meta),
        section=_section(page, url),
        tags=strip_hash(page.texts(".tags-articles__list a, .article-tags a")) or ([] if legacy else page.meta.keywords),
        parser="merdeka/2015" if legacy else "merdeka/2023",
    )


SITE = Site(
    name=NAME,
    domains=("merdeka.com",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=("https://www.merdeka.com/sitemap.xml",),
        # The index's children are per-section Google News sitemaps: /{section}/sitemap.xml.
        news_sitemap_markers=("news", "/sitemap.xml"),
        feeds=("https://www.merdeka.com/rss/", "https://www.merdeka.com/feed/"),
    ),
    multipage="single_response",  # every page is in the first response, split by div.page-break
    parse=parse,
)
