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
from scraper.sites import common
from scraper.sites.base import Discovery, Site
from scraper.sites.common import absolute_urls, load_page
from scraper.sites.parser import NO_DATELINE, Parser, attribute

NAME = "mediaindonesia"
ARTICLE_URL = re.compile(r"^https?://(?:www\.|m\.)?mediaindonesia\.com/(?!author/|tag/)[a-z0-9-]+/\d+/[^/]+/?$")

RULES = DEFAULT_RULES.extend(
    related_block_tokens=(r"^related-news$",),  # "Baca juga :" paragraphs (the core drops "related*")
    drop_tokens=(r"^ext-channel$", r"^info-author$", r"flying-carpet", r"^foot-article$"),
    boilerplate_lines=(r"^cek berita dan artikel (?:yg|yang) lain\b",),
)


class MediaIndonesia2025(Parser):
    """The 2025-26 layout (the only one known)."""

    name = "mediaindonesia/2025"
    rules = RULES
    # JSON-LD/og headlines drop ":" and "?", so the h1 wins.
    title_selectors = (".post-header h1", "h1")
    body_selectors = ("div.article", "div.post-content div.article", "[itemprop=articleBody]")
    head_vouches = True
    machine_dates_in_site_zone = False
    dateline_pattern = NO_DATELINE  # the profile reads no dateline on this site

    def vouched(self) -> bool:
        # og:type is "website" even on articles: JSON-LD or the headline markup vouches for the page.
        page = self.page
        return bool(page.meta.article) or page.first(".post-header h1") is not None

    @attribute
    def authors(self) -> list[str]:
        # The visible reporter; "Media Indonesia" there is the organisation, not a writer.
        return common.split_names(self.page.text(".info .author-2", ".info .author"))

    @attribute
    def editors(self) -> list[str]:
        line = self.page.text("div.info-author")
        name = common.labelled(line, "editor") if line else None
        return [name] if name else common.split_names(self.page.text("div.info-author a.author"))

    @attribute
    def published(self) -> str | None:
        # JSON-LD carries the zone; the visible "08/1/2026 20:19" states none and is rounded to the minute: it is
        # the site's clock (WIB), never naive (issue 12 §3).
        visible = self.page.text(".info span.datetime", ".datetime")
        zone = self.site.default_offset
        return parse_date(self.page.meta.date_published, zone) or parse_date(visible, zone)

    @attribute
    def section(self) -> str | None:
        crumbs = [c for c in self.page.texts("ul.mi-breadcrumb li a") if c.lower() != "home"]
        if crumbs:
            return crumbs[-1]
        names = common.breadcrumb_names(self.page.meta)[1:-1]  # drop "Media Indonesia" and the article itself
        return names[-1] if names else self.page.meta.section

    @attribute
    def tags(self) -> list[str]:
        return common.link_texts(self.page.tree, ("ul.related-tags a",)) or self.page.meta.keywords


def index_links(url: str, html: str | bytes) -> tuple[list[str], str | None]:
    """Article links of an ``/indeks`` page (``ul.list-3 ... a``) and its next page."""
    page = load_page(url, html)
    hrefs = [a.get("href") for a in page.select("ul.list-3 div.text a[href], ul.list-3 h3 a[href]")]
    links = [u for u in absolute_urls(url, hrefs) if SITE.is_article_url(u)]
    nxt = page.first("a[rel=next]", "ul.pagination a.next", ".pagination a[aria-label=Next]")
    found = absolute_urls(url, [nxt.get("href")]) if nxt is not None else []
    return links, found[0] if found else None


SITE = Site(
    name=NAME,
    domains=("mediaindonesia.com",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=("https://mediaindonesia.com/sitemap.xml",),
        news_sitemap_markers=("news",),
    ),
    multipage="none",
    parsers=(MediaIndonesia2025,),
    index_links=index_links,
)
