"""liputan6.com (all channels).

Layouts, chosen by what the page contains:
- ``liputan6/2019`` (current): ``h1.read-page--header--title``, ``time.read-page--header--author__datetime``
  ("Diterbitkan 28 Mei 2026, 12:00 WIB"), body ``div.article-content-body`` made of
  ``div.article-content-body__item-page[data-page]`` blocks: **every page of a split article is in
  the one response** (later pages hidden by CSS), merged here in ``data-page`` order (notes §5).
- ``liputan6/2016``: ``div.read-page__content-body`` / ``div.text-detail`` with ``<br><br>`` text,
  a "Baca Juga" paragraph followed by ``div.baca-juga`` list, a credits list naming Author and
  Editor roles (saved 2015-16 pages).
"""

from __future__ import annotations

import copy
import re
from typing import Any

import lxml.etree

from scraper.cleaning import DEFAULT_RULES, drop_keep_tail
from scraper.html import parse_tree
from scraper.metadata import PageMeta, read_metadata
from scraper.model import Article, NotAnArticle
from scraper.sites import common
from scraper.sites.base import Discovery, Site
from scraper.text import block_text

ARTICLE_URL = re.compile(r"^https?://(?:[\w-]+\.)*liputan6\.com/(?:[\w-]+/)*read/\d+/[\w-]+/?$")

TITLE = ("h1.read-page--header--title", "h1.read-page--header__title", "h1.entry-title", "article h1", "h1")
BODY = (
    "div.article-content-body",
    "div.read-page__content-body",
    "div.text-detail",
    "div[itemprop=articleBody]",
)
PAGE_BLOCK = "div.article-content-body__item-page"
GALLERY = "[class*=photo-gallery--item]"
DATE = (
    "time.read-page--header--author__datetime",
    "time.read-page--header__datetime",
    "[itemprop=datePublished]",
    "header time",
)
BYLINE = (
    "span.read-page--header--author__name",
    ".read-page--header__author [itemprop=author]",
    "[itemprop=author]",
    ".read-page-box__author__name",
)
SECTION = (
    "li[itemtype*=ListItem] [itemprop=name]",
    "ul.read-page--breadcrumb li a",
    "ul.breadcrumb li a",
    "[itemprop=breadcrumb] a",
)
TAGS = (".tags--snippet__name", ".read-page--tags a", ".tag-links a", "ul.tags a")
CREDIT_ROLES = ("li[id^=credits_]", "li.role", "li[class*=credits__role]")

RULES = DEFAULT_RULES.extend(
    drop_tokens=(r"^read-page--photo", r"^read-page--top-media", r"^article-content-body__item-media",
                 r"^read-page--thumbs", r"^read-page--credits", r"^read-page--social", r"^vidio"),
    boilerplate_lines=(r"^jangan sampai ketinggalan berita terkini", r"^rate artikel ini",
                       r"^(?:saksikan|simak) (?:juga )?video (?:pilihan|berikut)",
                       r"^simak berita liputan6\.com lainnya"),  # [CODE: a public Liputan6 scraper]
)

_DATELINE = re.compile(r"^Liputan6\.com\s*,\s*(?P<place>[A-Z][\w .'/()]{1,40}?)\s*(?:-{1,2}|–|—)\s")
_DATE_LABEL = re.compile(r"^\s*(?:diterbitkan|diperbarui|on)\s+", re.I)


def published(tree: Any, meta: PageMeta) -> str | None:
    """The publication time: the machine value when it agrees with the visible one (core dates)."""
    el = common.first(tree, DATE)
    visible = block_text(el) if el is not None else None
    machine = meta.article.get("datePublished") if isinstance(meta.article.get("datePublished"), str) else None
    machine = machine or (el.get("datetime") if el is not None else None) or meta.get("article:published_time")
    return common.choose_published(machine, _DATE_LABEL.sub("", visible) if visible else None)


def credits(tree: Any) -> dict[str, list[str]]:
    """The credits list: names under an "Author"/"Penulis" role item and under an "Editor" one."""
    roles: dict[str, list[str]] = {"author": [], "editor": []}
    marker = common.first(tree, CREDIT_ROLES)
    if marker is None or marker.getparent() is None:
        return roles
    role: str | None = None
    for li in marker.getparent():
        if not isinstance(li.tag, str):
            continue
        text = block_text(li)
        ident = f"{li.get('id', '')} {li.get('class', '')}"
        if "role" in ident or ident.startswith("credits_"):
            low = text.lower()
            role = "editor" if "editor" in low else "author" if low in ("author", "penulis", "reporter") else None
        elif role and text and text not in roles[role]:
            roles[role].append(text)
    return roles


def authors(tree: Any, meta: PageMeta, listed: list[str]) -> list[str]:
    """The writers named on the page."""
    if listed:
        return listed
    byline = common.first_text(tree, BYLINE)
    return common.split_names(byline) if byline else meta.authors


def section(tree: Any, meta: PageMeta) -> str | None:
    """The last breadcrumb item, else the metadata section."""
    crumbs = common.breadcrumb(tree, SECTION)
    return crumbs[-1] if crumbs else meta.section


_PAGE_BLOCKS_WITH_TEXT = lxml.etree.XPath("//div[@data-page][.//p]")
_PAGE_BLOCKS = lxml.etree.XPath(".//div[@data-page]")


def find_body(tree: Any, fallback: bool = True) -> tuple[Any | None, bool]:
    """The body: by class; else the holder of the ``data-page`` blocks (classes renamed); else density."""
    el = common.first(tree, BODY)
    if el is None:
        blocks = _PAGE_BLOCKS_WITH_TEXT(tree)
        if blocks:
            return blocks[0].getparent(), False
    return common.find_body(tree, BODY, fallback)


def merged_pages(body: Any) -> Any:
    """A copy of the body with its ``data-page`` blocks in page order (all pages come in one response)."""
    merged = copy.deepcopy(body)
    merged.tail = None
    blocks = _PAGE_BLOCKS(merged)
    if len(blocks) > 1:
        def number(block: Any) -> int:
            value = block.get("data-page") or ""
            return int(value) if value.isdigit() else 0

        holder = merged.makeelement("div", {})
        for block in sorted(blocks, key=number):
            drop_keep_tail(block, block.getparent())  # the text after a block stays where it was
            block.tail = None
            holder.append(block)
        merged.append(holder)
    return merged


def parse(url: str, html: str | bytes) -> Article:
    """Parse a Liputan6 article page, every page of a split article at once."""
    tree = parse_tree(html)
    meta = read_metadata(tree)
    body = common.article_body(url, tree, meta, SITE, BODY, finder=find_body)
    title = common.first_text(tree, TITLE) or meta.headline
    cleaned = common.clean(merged_pages(body), RULES, url)
    paragraphs = cleaned.paragraphs
    if not paragraphs and common.first(tree, (GALLERY,)) is not None:
        raise NotAnArticle("not_article_page", "photo gallery without prose")
    common.require_content(title, paragraphs)
    pub = published(tree, meta)
    people = credits(tree)
    dateline = common.dateline_place(_DATELINE, paragraphs)
    pages = len(common.select(tree, PAGE_BLOCK))
    return common.build_article(
        url, meta, SITE, cleaned,
        title=title or "",
        paragraphs=paragraphs,
        authors=authors(tree, meta, people["author"]),
        editors=people["editor"],
        published=pub,
        modified=common.modified_after(pub, meta, common.in_zone),
        section=section(tree, meta),
        tags=common.link_texts(tree, TAGS) or common.real_tags(meta.keywords),
        dateline=dateline,
        # Already whole: the pages were merged above, nothing is left to fetch.
        pagination={"page": 1, "pages": pages, "next": None, "show_all": None} if pages > 1 else None,
        parser="liputan6/2019" if common.first(tree, (PAGE_BLOCK,)) is not None else "liputan6/2016",
    )


INDEX_ITEMS = (".articles--rows--item__title a", "article h4 a", "article h3 a")


def index_links(url: str, html: str | bytes) -> tuple[list[str], str | None]:
    """Article links of an ``/indeks`` page and its next page."""
    return common.index_page_links(url, html, SITE.is_article_url, INDEX_ITEMS)


SITE = Site(
    name="liputan6",
    domains=("liputan6.com",),
    article_url=ARTICLE_URL,
    # No sitemap or feed URL is evidenced (notes §5): robots.txt sitemaps, else the daily index
    # /indeks/YYYY/MM/DD (seen on the 2016 index page, with ?page=N pagination).
    discovery=Discovery(daily_index="https://www.liputan6.com/indeks/{date:%Y/%m/%d}?page={page}"),
    multipage="single_response",
    parse=parse,
    index_links=index_links,
)
