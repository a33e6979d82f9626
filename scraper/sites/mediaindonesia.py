"""mediaindonesia.com: real 2025-26 pages (fundus fixtures) are the reference layout.

Head: JSON-LD NewsArticle with ``datePublished`` in +07:00 (its ``author`` is the *editor*), og:type
"website" even on articles. Visible: ``h1`` (JSON-LD/og headline drop ":" and "?", so the h1 wins),
``.info .author-2`` the reporter (or the organisation), ``.info span.datetime`` "08/1/2026 20:19",
body ``div.article`` (direct ``p`` and ``h2``), "Baca juga :" in ``p.related-news``, the editor in
``div.info-author``, tags ``ul.related-tags``. Discovery: sitemap and the ``/indeks`` list.
"""

from __future__ import annotations

import re

from scraper.cleaning import DEFAULT_RULES
from scraper.dates import parse_date
from scraper.model import Article
from scraper.sites.common import (
    Page, absolute_urls, breadcrumb_names, build_article, clean_content, labelled, load_page,
    modified_after, page_body, split_names, strip_hash,
)
from scraper.sites.base import Discovery, Site

NAME = "mediaindonesia"
ARTICLE_URL = re.compile(r"^https?://(?:www\.|m\.)?mediaindonesia\.com/(?!author/|tag/)[a-z0-9-]+/\d+/[^/]+/?$")

BODY = ("div.article", "div.post-content div.article", "[itemprop=articleBody]")
RULES = DEFAULT_RULES.extend(
    related_block_tokens=(r"^related-news$",),  # "Baca juga :" paragraphs (the core drops "related*")
    drop_tokens=(r"^ext-channel$", r"^info-author$", r"flying-carpet", r"^foot-article$"),
    boilerplate_lines=(r"^cek berita dan artikel (?:yg|yang) lain\b",),
)


def _title(page: Page) -> str:
    return page.text(".post-header h1", "h1") or page.meta.headline or ""


def _authors(page: Page) -> list[str]:
    # The visible reporter; "Media Indonesia" there is the organisation, not a writer.
    return split_names(page.text(".info .author-2", ".info .author"))


def _editors(page: Page) -> list[str]:
    line = page.text("div.info-author")
    name = labelled(line, "editor") if line else None
    return [name] if name else split_names(page.text("div.info-author a.author"))


def _section(page: Page) -> str | None:
    crumbs = [c for c in page.texts("ul.mi-breadcrumb li a") if c.lower() != "home"]
    if crumbs:
        return crumbs[-1]
    names = breadcrumb_names(page.meta)[1:-1]  # drop "Media Indonesia" and the article itself
    return names[-1] if names else page.meta.section


def _published(page: Page) -> str | None:
    # JSON-LD carries the zone; the visible "08/1/2026 20:19" is naive and rounded to the minute.
    return parse_date(page.meta.date_published) or parse_date(page.text(".info span.datetime", ".datetime"), None)


def parse(url: str, html: str | bytes) -> Article:
    """Parse a Media Indonesia article page."""
    page = load_page(url, html)
    body = page_body(page, SITE, BODY, vouched=page.meta.article or page.first(".post-header h1") is not None)
    title = _title(page)
    cleaned = clean_content(body, RULES, url, title)
    published = _published(page)
    return build_article(
        url, page.meta, SITE, cleaned,
        title=title,
        authors=_authors(page),
        editors=_editors(page),
        published=published,
        modified=modified_after(published, page.meta),
        section=_section(page),
        tags=strip_hash(page.texts("ul.related-tags a")) or page.meta.keywords,
        parser="mediaindonesia/2025",
    )


def index_links(url: str, html: str | bytes) -> tuple[list[str], str | None]:
    """Article links of an ``/indeks`` page (``ul.list-3 ... a``) and its next page."""
    page = load_page(url, html)
    hrefs = [a.get("href") for a in page.select("ul.list-3 div.text a[href], ul.list-3 h3 a[href]")]
    links = [u for u in absolute_urls(url, hrefs) if SITE.is_article_url(u)]
    nxt = page.first("a[rel=next]", "ul.pagination a.next", ".pagination a[aria-label=Next]")
    return links, (absolute_urls(url, [nxt.get("href")]) or [None])[0] if nxt is not None else None


SITE = Site(
    name=NAME,
    domains=("mediaindonesia.com",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=("https://mediaindonesia.com/sitemap.xml",),
        news_sitemap_markers=("news",),
    ),
    multipage="none",
    parse=parse,
    index_links=index_links,
)
