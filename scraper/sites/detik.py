"""detik.com (all channels and the regional ``www.detik.com/<region>/`` sections).

Layouts, chosen by what the page contains (:class:`Detik2016`, :class:`Detik2015`; a page in neither is
read by the newest):
- ``detik/2016`` (2016 onwards): ``article.detail`` with ``h1.detail__title``, ``div.detail__author``,
  ``div.detail__date`` ("Kamis, 14 Nov 2024 10:30 WIB") and ``div.detail__body-text``; "Baca juga" as
  ``table.linksisip`` boxes and "Baca juga:" paragraphs; ads between paragraphs (reference notes §2).
- ``detik/2015``: ``div.text_detail`` / ``div.detail_text`` bodies of text split by ``<br><br>``,
  ``div.author`` "Name - detikinet", ``div.date`` "Kamis, 05/11/2015 10:08 WIB" (saved pages).
Multi-page articles render whole with ``?single=1``.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar
from urllib.parse import parse_qsl, quote, urlsplit

from scraper.cleaning import DEFAULT_RULES
from scraper.model import NotAnArticle
from scraper.sites import common
from scraper.sites.base import Discovery, Site
from scraper.sites.parser import Page, Parser, Selectors, attribute
from scraper.text import normalize_ws
from scraper.urls import canonicalize

ARTICLE_URL = re.compile(
    r"^https?://(?!20\.)(?:[\w-]+\.)*detik\.com/(?:"  # 20.detik.com is video
    r"(?:(?!foto-|detiktv)[\w-]+/)*d-\d+/[\w-]+"  # 2016+: /berita/d-7572645/slug, /jatim/berita/d-1/slug
    r"|(?:[\w-]+/)?\d{6,}/[\w-]+"  # 2015: /berita/2943745/slug
    r"|read/\d{4}/\d{2}/\d{2}/\d+/\d+/\d+/[\w-]+"  # legacy /read/2015/11/05/100026/3062623/323/slug
    r")/?$"
)
#: Photo galleries (``/readfoto/``, ``/foto-news/``...): skipped as not articles (almost no prose).
GALLERY_URL = re.compile(r"^https?://[^/]+/(?:readfoto/|(?:[\w-]+/)?foto-[\w-]+/)")

RULES = DEFAULT_RULES.extend(
    drop_selectors=(".sisip_video_ds", ".sisip_embed_sosmed", ".pic_artikel_sisip_table", ".detail__long-nav"),
    drop_tokens=(r"^pic_artikel", r"^detail__body-tag", r"^detail__anchor", r"^itp_body_ads", r"^paradetail",
                 r"^newstag", r"skybanner", r"^detail__media", r"^lihatjg_video"),
    boilerplate_lines=(r"^simak (?:juga )?video\b", r"^\[gambas", r"^scroll to (?:continue|resume)"),
)

# The channel after a writer ("Nama - detikNews", "Nama – detikNews", "Nama | detikFinance"): current bylines
# repeat it after each writer ("A - detikSport, B - detikSport"). The last one also ends the credit (anything
# after it, such as a date on old pages, is not a name).
_CHANNEL = r"\s*[-–—|]\s*detik\w*"
_AUTHOR_TAIL = re.compile(_CHANNEL + r"(?!.*" + _CHANNEL + r").*$", re.I)
_AUTHOR_CHANNEL = re.compile(_CHANNEL + r"\b", re.I)
_AUTHOR_LABEL = re.compile(r"^(?:penulis|fotografer|tim)\b\s*:?\s*", re.I)  # \b: "Timothy" is a name
_DATELINE = re.compile(r"^(?P<place>[A-Z][\w .'/()]{1,40}?)\s*(?:-{1,2}|–|—)\s")
# detik's own pubdate metas hold local (WIB) time, sometimes with a bogus "Z" or "T14-05-11".
_LOCAL_META = re.compile(r"^(\d{4})[-/](\d{2})[-/](\d{2})\s*T?\s*(\d{2})[:-](\d{2})(?:[:-](\d{2}))?Z?$")


def _local_meta(value: str | None) -> str | None:
    """``2015-06-16T14-05-11Z`` / ``2024/11/14 10:30:12`` -> ``2015-06-16 14:05:11`` (local time)."""
    m = _LOCAL_META.match((value or "").strip())
    if not m:
        return value
    y, mo, d, hh, mi, ss = m.groups()
    return f"{y}-{mo}-{d} {hh}:{mi}:{ss or '00'}"


def _people(byline: str | None) -> list[str]:
    """The writers of a byline, without the channel after each one or a "Tim detikcom" team credit."""
    text = normalize_ws(byline)
    text = _AUTHOR_CHANNEL.sub("", _AUTHOR_TAIL.sub("", text))
    return common.split_names(_AUTHOR_LABEL.sub("", text))


class Detik2015(Parser):
    """``div.text_detail`` / ``div.detail_text`` bodies under ``div.jdl h1``, ``div.author``, ``div.date``."""

    name = "detik/2015"
    rules = RULES
    title_selectors: ClassVar[Selectors] = ("div.jdl h1", "div.content_detail h1", "h1")
    body_selectors: ClassVar[Selectors] = ("div.detail_text", "div.text_detail", "#detikdetailtext")
    dateline_pattern = _DATELINE
    author_selectors: ClassVar[Selectors] = ("div.author", "span.author")
    date_selectors: ClassVar[Selectors] = ("div.date", "span.date")
    section_selectors: ClassVar[Selectors] = ("ul.breadcrumb li a", "div.breadcrumb a")
    tag_selectors: ClassVar[Selectors] = ("div.detail_tag a",)

    @classmethod
    def detect(cls, page: Page) -> bool:
        return page.first(*Detik2015.body_selectors) is not None

    def reject(self) -> None:
        # Both eras' gallery markers: a gallery no version detects is read by the newest, which must skip it.
        if GALLERY_URL.match(self.page.url) or self.page.first("div.text_gal", "div.detail__gallery") is not None:
            raise NotAnArticle("not_article_page", "photo gallery")

    @attribute
    def published(self) -> str | None:
        """The machine value when it agrees with the visible one (core dates)."""
        meta = self.page.meta
        visible = common.first_date_text(self.page.tree, self.date_selectors)
        machine = meta.article.get("datePublished") if isinstance(meta.article.get("datePublished"), str) else None
        if not machine:
            machine = _local_meta(meta.get("publishdate", "dtk:publishdate", "pubdate")) or meta.get(
                "article:published_time"
            )
        return common.choose_published(machine, visible)

    @attribute
    def authors(self) -> list[str]:
        """The writers named on the page, else in the metadata."""
        text = self.page.text(*self.author_selectors)
        if text:
            names = _people(text)
            if names:
                return names
        meta = self.page.meta
        return _people(meta.get("dtk:author", "author")) or [n for a in meta.authors for n in _people(a)]

    @attribute
    def tags(self) -> list[str]:
        """The visible tag links, else the keywords metas."""
        visible = common.link_texts(self.page.tree, self.tag_selectors)
        if visible:
            return visible
        keywords = self.page.meta.get("dtk:keywords")
        listed = [k.strip() for k in keywords.split(",")] if keywords else self.page.meta.keywords
        return common.real_tags(k for k in listed if k)


class Detik2016(Detik2015):
    """``article.detail``: ``h1.detail__title``, ``div.detail__body-text``, the split-article pager.

    Also the version of pages no version detects (a renamed class): the text-density body finder
    and the plain ``h1`` stay as its fallbacks."""

    name = "detik/2016"
    title_selectors = ("h1.detail__title", "article.detail h1", "h1")
    body_selectors = ("div.detail__body-text", "div.itp_bodycontent")
    author_selectors = ("div.detail__author",)
    date_selectors = ("div.detail__date",)
    section_selectors = ("div.detail__category a", "div.page__breadcrumb a", "a.breadcrumb__link")
    tag_selectors = ("div.detail__body-tag a", "div.nav.detail__body-tag a")

    @classmethod
    def detect(cls, page: Page) -> bool:
        return page.first(*Detik2016.body_selectors) is not None

    @attribute
    def pagination(self) -> dict[str, Any] | None:
        """Page numbers of a split article (``div.detail__long-nav``); None for a one-page article."""
        url = self.page.url
        pages = common.page_links(self.page.tree, url, ("div.detail__long-nav a", "div.detail__anchor-numb a"))
        return common.pagination_info(url, pages, self.site.show_all_url(canonicalize(url)))


INDEX_ITEMS = ("article.list-content__item h3.media__title a", "article h3 a", ".media__title a")


def index_links(url: str, html: str | bytes) -> tuple[list[str], str | None]:
    """Article links of an ``/indeks`` page in order (videos are not articles), and the next page.

    The pager links to ``/indeks/N`` without the day (SEEN 2024), which is today's index: for a
    dated index the next page keeps the day, as ``?page=N&date=MM%2FDD%2FYYYY``.
    """
    links, next_url = common.index_page_links(url, html, SITE.is_article_url, INDEX_ITEMS)
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if next_url and query.get("date"):
        page = int(query["page"]) + 1 if query.get("page", "").isdigit() else 2
        next_url = f"{parts.scheme}://{parts.netloc}{parts.path}?page={page}&date={quote(query['date'], safe='')}"
    return links, next_url


SITE = Site(
    name="detik",
    domains=("detik.com",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=("https://news.detik.com/berita/sitemap_news.xml", "https://finance.detik.com/sitemap_news.xml"),
        news_sitemap_markers=("news",),
        feeds=("https://news.detik.com/berita/rss", "https://finance.detik.com/rss"),
        # The date must be URL-encoded (%2F), else the server ignores the page parameter (notes §2).
        daily_index="https://news.detik.com/indeks?page={page}&date={date:%m}%2F{date:%d}%2F{date:%Y}",
    ),
    multipage="show_all",
    show_all_params={"single": "1"},
    parsers=(Detik2016, Detik2015),
    index_links=index_links,
)
