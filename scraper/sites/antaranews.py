"""antaranews.com (the national wire; regional editions share the layout).

Layouts, chosen by what the page contains:
- ``antaranews/2018`` (current): ``.wrap__article-detail-title`` h1, body
  ``.wrap__article-detail-content.post-content`` with text split by ``<br><br>``, "Baca juga" as
  ``span/p.baca-juga``, date in the last ``.list-inline-item`` ("Kamis, 14 November 2024 18:43 WIB"),
  "Pewarta: X / Editor: Y" lines (notes §7).
- ``antaranews/2015``: ``h1.title``, ``#content_news[itemprop=articleBody]``, ``time[itemprop=datePublished]``,
  ``div.byline`` "Pewarta: ..." and "Editor: ..." below the body (saved 2015-16 pages).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from scraper.cleaning import DEFAULT_RULES
from scraper.html import parse_tree
from scraper.metadata import PageMeta, read_metadata
from scraper.model import Article
from scraper.sites import common
from scraper.sites.base import Discovery, Site

# /berita/{id}/{slug} on the Indonesian sites, /news/{id}/{slug} on en.antaranews.com [INFERRED for en].
ARTICLE_URL = re.compile(r"^https?://(?:[\w-]+\.)*antaranews\.com/(?:amp/)?(?:[\w-]+/)*(?:berita|news)/\d+/[\w-]+/?$")

TITLE = (".wrap__article-detail-title h1", "h1.wrap__article-detail-title", "h1.title", "h1[itemprop=headline]", "h1")
BODY = (".wrap__article-detail-content", ".post-content", "#content_news", "[itemprop=articleBody]")
DATE = (".wrap__article-detail-info .list-inline-item:last-child", "time[itemprop=datePublished]", "div.date time",
        ".list-inline-item.mr-2:last-child")
SECTION = ("ul.breadcrumbs .breadcrumbs__item a", ".breadcrumbs__item a", "div.menu_bg a.active")
TAGS = (".tag-wrapper a", "a.tag", ".tags a")

RULES = DEFAULT_RULES.extend(
    drop_tokens=(r"^adsbygoogle", r"^tag-wrapper", r"^text-muted$"),
    boilerplate_lines=(r"^\(?\s*antara\s*\)?$", r"^dilarang keras mengambil konten"),
)

_DATELINE = re.compile(r"^(?P<place>[A-Z][\w .,'/]{1,40}?)\s*\((?:ANTARA|Antara)[^)]*\)\s*(?:-{1,2}|–|—)")
_VIEWS = re.compile(r"\|\s*[\d.]+\s*views?.*$", re.I)


def published(tree: Any, meta: PageMeta) -> str | None:
    """The publication time: the machine value when it agrees with the visible one (core dates)."""
    el = common.first(tree, DATE)
    visible = _VIEWS.sub("", common.first_text(tree, DATE) or "") or None
    machine = meta.date_published or (el.get("datetime") if el is not None else None)
    return common.choose_published(machine, visible)


def people(tree: Any, labels: tuple[str, ...]) -> list[str]:
    """Names of the credit lines with one of ``labels`` ("Pewarta: A dan B")."""
    return [n for v in common.labelled_values(tree, labels) for n in common.split_names(v)]


def section(tree: Any, meta: PageMeta) -> str | None:
    """The last breadcrumb item, else the metadata section."""
    crumbs = common.breadcrumb(tree, SECTION)
    return crumbs[-1] if crumbs else None


def parse(url: str, html: str | bytes) -> Article:
    """Parse an ANTARA article page (raises NotAnArticle for feeds, index and home pages)."""
    tree = parse_tree(html)
    meta = read_metadata(tree)
    body = common.article_body(url, tree, meta, SITE, BODY)
    title = common.first_text(tree, TITLE) or meta.headline
    cleaned = common.clean_content(body, RULES, url, title)
    pub = published(tree, meta)
    dateline = common.dateline_place(_DATELINE, cleaned.paragraphs)
    writers = people(tree, ("pewarta", "penulis", "reporter")) or meta.authors
    return common.build_article(
        url, meta, SITE, cleaned,
        title=title or "",
        authors=writers,
        editors=people(tree, ("editor",)),
        published=pub,
        modified=common.modified_after(pub, meta, common.in_zone),
        section=section(tree, meta),
        tags=common.link_texts(tree, TAGS) or common.real_tags(meta.keywords),
        dateline=dateline,
        language="en" if (urlsplit(url).hostname or "").startswith("en.") else "id",
        parser="antaranews/2018" if common.first(tree, BODY[:2]) is not None else "antaranews/2015",
    )


SITE = Site(
    name="antaranews",
    domains=("antaranews.com",),
    article_url=ARTICLE_URL,
    # RSS per channel (notes §7; the saved 2015 "mainpage" is the terkini feed).
    discovery=Discovery(
        feeds=(
            "https://www.antaranews.com/rss/terkini.xml",
            "https://www.antaranews.com/rss/nasional.xml",
            "https://www.antaranews.com/rss/ekonomi.xml",
        ),
    ),
    parse=parse,
)
