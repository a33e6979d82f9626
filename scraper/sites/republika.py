"""republika.co.id (and its channel and regional hosts ``news.``, ``ekonomi.``, ``rejabar.``...): no real page saved.

Current layout (notes §11, [CODE news-watch], and DonnyRZ/egi-media-crawl's adapter that checked the live site in
2026): JSON-LD NewsArticle (its ``author`` is the *editor*, the "Red:" of the credit line); title from the
headline, ``.max-card__title h1`` or og:title (news-watch saw an empty h1); the credit line
"Rep: X / Red: Y" gives reporter and editor; section = last ``.breadcrumb a``; tags = meta keywords; body
``.article-content article`` whose paragraphs sit in malformed ``<p class="b2"><p>…</p></p>`` pairs;
"Baca Juga" lists in ``.picked-article``. Legacy pages (2017) write the visible date with English month
names ("Jumat , 17 February 2017, 13:16 WIB"), which the core date parser reads.
Discovery: RSS ``/rss``, the sitemap named in robots.txt, the daily ``/index/{offset}/YYYY/MM/DD`` list.
"""

from __future__ import annotations

import re

from scraper.cleaning import DEFAULT_RULES
from scraper.dates import parse_date
from scraper.model import Article
from scraper.sites.common import (
    Page, absolute_urls, breadcrumb_names, build_article, clean_content, dateline, jsonld_names,
    labelled, load_page, modified_after, page_body, short_text, split_names, strip_title,
)
from scraper.sites.base import Discovery, Site

NAME = "republika"
# /berita/{code}/{slug} (current; a template bug sometimes doubles the slash after "berita") and
# /berita/{kanal}/{sub}/YY/MM/DD/{code}-{slug} (legacy), on any host.
ARTICLE_URL = re.compile(r"^https?://(?:[\w-]+\.)?republika\.co\.id/(?:[\w-]+/)?berita/+[\w-]+/[\w./-]+$")

BODY = (".article-content article", "div.article-content", "div.article-body", "[itemprop=articleBody]")
DATELINE = r"^REPUBLIKA\.CO\.ID\s*,\s*(?P<place>[A-Z][A-Z .'/()-]{1,40}?)\s*[-–—]"
RULES = DEFAULT_RULES.extend(
    related_block_tokens=(r"^picked-article",),
    drop_tokens=(r"^bn_", r"^footnote-wrap$", r"^next-article$"),
)
TITLE_SUFFIXES = (r"\s*\|\s*Republika Online\s*$", r"\s*-\s*Republika\s*$")
CREDIT = r"\bRep\s*:"
VISIBLE_DATE = r"(?:Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu)\s*,?\s+\d{1,2}\s+\w+\s+\d{4}"


def _credit(page: Page) -> str | None:
    """The "Rep: X/ Red: Y" line, by class or by its wording."""
    return page.text(".date-author .author") or short_text(page, CREDIT, 100)


def _section(page: Page) -> str | None:
    crumbs = [c for c in page.texts(".breadcrumb a") or breadcrumb_names(page.meta) if c.lower() != "home"]
    return crumbs[-1] if crumbs else page.meta.section


def parse(url: str, html: str | bytes) -> Article:
    """Parse a Republika article page."""
    page = load_page(url, html)
    body = page_body(page, SITE, BODY)
    title = page.text(".max-card__title h1", "h1") or strip_title(page.meta.headline or page.meta.title_tag, TITLE_SUFFIXES)
    cleaned = clean_content(body, RULES, url, title)
    credit = _credit(page)
    reporter, editor = labelled(credit, "rep"), labelled(credit, "red")
    visible_date = page.text(".date-author .date") or short_text(page, VISIBLE_DATE, 60)
    published = parse_date(page.meta.date_published) or parse_date(visible_date)
    return build_article(
        url, page.meta, SITE, cleaned,
        title=title,
        dateline=dateline(cleaned.paragraphs, DATELINE),
        # JSON-LD "author" is the editor on this site (it equals the credit line's "Red:").
        authors=split_names(reporter),
        editors=split_names(editor) or jsonld_names(page.meta, "author"),
        published=published,
        modified=modified_after(published, page.meta),
        section=_section(page),
        tags=page.meta.keywords or page.texts(".tag-list a"),
        parser="republika/2023",
    )


def index_links(url: str, html: str | bytes) -> tuple[list[str], str | None]:
    """Article links of an ``/index/{offset}[/YYYY/MM/DD]`` list and the next one (offset + 50)."""
    page = load_page(url, html)
    anchors = page.select("ul.wrap-latest li a[href]") or page.select("a[href*='/berita/']")
    links = [u for u in absolute_urls(url, [a.get("href") for a in anchors]) if SITE.is_article_url(u)]
    m = re.search(r"/index/(\d+)((?:/\d+){3})?/?$", url.split("?")[0])
    nxt = f"https://republika.co.id/index/{int(m.group(1)) + 50}{m.group(2) or ''}" if m and links else None
    return links, nxt


SITE = Site(
    name=NAME,
    domains=("republika.co.id",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=("https://republika.co.id/files/xml/sitemap.xml",),
        feeds=("https://www.republika.co.id/rss",),
        daily_index="https://republika.co.id/index/0/{date:%Y/%m/%d}",
    ),
    multipage="none",
    parse=parse,
    index_links=index_links,
)
