"""tempo.co and en.tempo.co (English edition).

Layouts, chosen by what the page contains:
- ``tempo/2024`` (current, Nuxt/Tailwind): utility classes and ``data-v-*`` hashes only, so the body
  is found by ``[itemprop=articleBody]`` / ``.detail-content`` and the dates and writer come from
  ``article:published_time`` and meta ``author`` (notes §6).
- ``tempo/2015``: ``div.artikel`` (Indonesian) / ``div.tubuh-berita`` (English) with "Kamis, 05 November
  2015 | 11:13 WIB" dates and the reporter's name in capitals as the last line (saved pages).
"""

from __future__ import annotations

import re
from typing import Any

import lxml.etree

from scraper.cleaning import DEFAULT_RULES
from scraper.html import parse_tree
from scraper.metadata import PageMeta, read_metadata
from scraper.model import Article
from scraper.sites import common
from scraper.sites.base import Discovery, Site

ARTICLE_URL = re.compile(
    r"^https?://(?:[\w-]+\.)*tempo\.co/(?:"
    r"read/(?:news/\d{4}/\d{2}/\d{2}/)?\d+(?:,\w+\.html)?/[\w-]+"  # /read/news/2015/11/05/060716092/slug, /read/1701234/slug
    r"|(?:[\w-]+/)+[\w-]+-\d{6,}"  # 2024: /ekonomi/judul-berita-1230001
    r")/?$"
)

TITLE = ("article h1", "div.artikel h1", "h1")
# #content-wrapper: [CODE: a public 2025 scraper reads "#content-wrapper p" on tempo.co].
BODY = ("[itemprop=articleBody]", "#content-wrapper", ".detail-content", "div.tubuh-berita", "div.artikel")
DATE = ("div.block-tanggal", "#blok-sitemap + div.tanggal", "article time", "article span", "time")
SECTION = ("ul.block-kanal-map li a", "#blok-sitemap a", "nav a")
TAGS = ("article a[href*='/topik/']", "a[href*='/tag/']")

RULES = DEFAULT_RULES.extend(
    drop_selectors=("ul.block-kanal-map", "h1", ".block-tanggal", ".block-display", ".share-konten"),
    drop_tokens=(r"^ads-container", r"^bagikan"),
    related_labels=(r"pilihan\s+editor", r"baca\s+berita\s+lainnya"),
    boilerplate_lines=(r"^scroll ke bawah untuk melanjutkan", r"^berlangganan tempo\b"),
)

_DATELINE = re.compile(r"^TEMPO\.CO\s*,\s*(?P<place>[A-Z][\w .'/()]{1,40}?)\s*(?:-{1,2}|–|—)\s")
_CAPS_LINE = re.compile(r"^[A-Z][A-Z .'|,/-]{2,60}$")
#: Trailing capital lines that name a source, not the reporter.
_AGENCIES = frozenset({"ANTARA", "ANTARANEWS", "REUTERS", "AFP", "AP", "BBC", "XINHUA", "BISNIS", "TEMPO"})
_TITLE_SUFFIX = re.compile(r"\s*\|\s*(?:tempo\.co|[^|]*\|\s*Tempo\.Co\b).*$", re.I)


def split_trailer(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Remove the closing capitals line (reporter names, or a wire credit); the names it gives."""
    if len(paragraphs) < 2 or not _CAPS_LINE.match(paragraphs[-1]) or len(paragraphs[-1].split()) > 8:
        return paragraphs, []
    names = [n for n in common.split_names(paragraphs[-1].replace("|", ",")) if n.upper() not in _AGENCIES]
    return paragraphs[:-1], [n.title() for n in names]


def published(tree: Any, meta: PageMeta) -> str | None:
    """The publication time: the machine value when it agrees with the visible one (core dates)."""
    return common.choose_published(meta.date_published, common.first_date_text(tree, DATE))


def section(tree: Any, meta: PageMeta) -> str | None:
    """The last breadcrumb item, else the metadata section."""
    crumbs = common.breadcrumb(tree, SECTION, skip=("home", "beranda", "index", "tempo.co"))
    return meta.section or (crumbs[-1] if crumbs else None)


_ARTICLE_TAGS = lxml.etree.XPath("//meta[@property='article:tag']/@content")


def tags(tree: Any) -> list[str]:
    """Every ``article:tag`` meta (the core's meta map keeps only the first), else the topic links."""
    values = [common.normalize_ws(v) for v in _ARTICLE_TAGS(tree)]
    return list(dict.fromkeys(v for v in values if v)) or common.link_texts(tree, TAGS)


def parse(url: str, html: str | bytes) -> Article:
    """Parse a Tempo article page (raises NotAnArticle for index and home pages)."""
    tree = parse_tree(html)
    meta = read_metadata(tree)
    body = common.article_body(url, tree, meta, SITE, BODY)
    title = common.first_text(tree, TITLE) or meta.headline
    cleaned = common.clean(body, RULES, url)
    paragraphs, trailer_names = split_trailer(cleaned.paragraphs)
    common.require_content(title, paragraphs)
    pub = published(tree, meta)
    dateline = common.dateline_place(_DATELINE, paragraphs)
    writers = common.split_names(meta.get("author")) if meta.get("author") else []
    english = (tree.get("lang") or "").startswith("en") or (url.split("/")[2].startswith("en."))
    return common.build_article(
        url, meta, SITE, cleaned,
        title=_TITLE_SUFFIX.sub("", title or ""),
        paragraphs=paragraphs,
        authors=writers or trailer_names or meta.authors,
        published=pub,
        modified=common.modified_after(pub, meta, common.in_zone),
        section=section(tree, meta),
        tags=tags(tree),
        dateline=dateline,
        language="en" if english else "id",
        parser="tempo/2024" if common.first(tree, BODY[:2]) is not None else "tempo/2015",
    )


SITE = Site(
    name="tempo",
    domains=("tempo.co",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=("https://www.tempo.co/sitemap.xml",),
        feeds=("https://rss.tempo.co/nasional", "https://rss.tempo.co/bisnis", "https://rss.tempo.co/dunia"),
    ),
    parse=parse,
)
