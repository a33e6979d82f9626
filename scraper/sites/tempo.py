"""tempo.co and en.tempo.co (English edition).

Layouts, chosen by what the page contains (:class:`Tempo2024`, :class:`Tempo2015`; a page in neither is
read by the newest):
- ``tempo/2024`` (current, Nuxt/Tailwind): utility classes and ``data-v-*`` hashes only, so the body
  is found by ``[itemprop=articleBody]`` / ``.detail-content`` and the dates and writer come from
  ``article:published_time`` and meta ``author`` (notes §6).
- ``tempo/2015``: ``div.artikel`` (Indonesian) / ``div.tubuh-berita`` (English) with "Kamis, 05 November
  2015 | 11:13 WIB" dates and the reporter's name in capitals as the last line (saved pages).
"""

from __future__ import annotations

import re
from typing import ClassVar

import lxml.etree

from scraper.cleaning import DEFAULT_RULES
from scraper.sites import common
from scraper.sites.base import Discovery, Site
from scraper.sites.parser import Page, Parser, Selectors, attribute

ARTICLE_URL = re.compile(
    r"^https?://(?:[\w-]+\.)*tempo\.co/(?:"
    # /read/news/2015/11/05/060716092/slug, /read/1701234/slug
    r"read/(?:news/\d{4}/\d{2}/\d{2}/)?\d+(?:,\w+\.html)?/[\w-]+"
    r"|(?:[\w-]+/)+[\w-]+-\d{6,}"  # 2024: /ekonomi/judul-berita-1230001
    r")/?$"
)

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


_ARTICLE_TAGS = lxml.etree.XPath("//meta[@property='article:tag']/@content")


class Tempo2015(Parser):
    """``div.artikel`` (Indonesian) / ``div.tubuh-berita`` (English), ``div.block-tanggal``, the capitals trailer."""

    name = "tempo/2015"
    rules = RULES
    title_selectors: ClassVar[Selectors] = ("div.artikel h1", "h1")
    body_selectors: ClassVar[Selectors] = ("div.tubuh-berita", "div.artikel")
    dateline_pattern = _DATELINE
    date_selectors: ClassVar[Selectors] = ("div.block-tanggal", "#blok-sitemap + div.tanggal")
    section_selectors: ClassVar[Selectors] = ("ul.block-kanal-map li a", "#blok-sitemap a")
    tag_selectors: ClassVar[Selectors] = ("a[href*='/tag/']",)

    @classmethod
    def detect(cls, page: Page) -> bool:
        # The 2015 site chrome (main menu box) too: a 2015 page of another kind is read as 2015.
        return page.first("div.tubuh-berita", "div.artikel", "div.block-mainmenu") is not None

    @attribute
    def title(self) -> str | None:
        return _TITLE_SUFFIX.sub("", super().title() or "")

    @attribute
    def trailer(self) -> tuple[list[str], list[str]]:
        """The paragraphs without the closing capitals line, and the names it gives."""
        return split_trailer(self.cleaned.paragraphs)

    def paragraphs(self) -> list[str]:
        return self.trailer()[0]

    @attribute
    def authors(self) -> list[str]:
        """Meta ``author``, else the names of the capitals trailer, else the metadata's."""
        author = self.page.meta.get("author")
        writers = common.split_names(author) if author else []
        return writers or self.trailer()[1] or self.page.meta.authors

    @attribute
    def section(self) -> str | None:
        """The metadata section, else the last breadcrumb item."""
        skip = ("home", "beranda", "index", "tempo.co")
        crumbs = common.breadcrumb(self.page.tree, self.section_selectors, skip=skip)
        return self.page.meta.section or (crumbs[-1] if crumbs else None)

    @attribute
    def tags(self) -> list[str]:
        """Every ``article:tag`` meta (the core's meta map keeps only the first), else the topic links."""
        values = [common.normalize_ws(v) for v in _ARTICLE_TAGS(self.page.tree)]
        return list(dict.fromkeys(v for v in values if v)) or common.link_texts(self.page.tree, self.tag_selectors)

    @attribute
    def language(self) -> str | None:
        english = (self.page.tree.get("lang") or "").startswith("en") or self.page.url.split("/")[2].startswith("en.")
        return "en" if english else "id"


class Tempo2024(Tempo2015):
    """Nuxt/Tailwind: ``[itemprop=articleBody]`` / ``#content-wrapper`` bodies, ``article time``, ``/topik/``
    links. Also the version of pages no version detects (a renamed class): the text-density body finder
    and the plain ``h1``, ``<time>`` and ``nav`` links stay as its fallbacks."""

    name = "tempo/2024"
    title_selectors = ("article h1", "h1")
    # #content-wrapper: [CODE: a public 2025 scraper reads "#content-wrapper p" on tempo.co].
    body_selectors = ("[itemprop=articleBody]", "#content-wrapper", ".detail-content")
    date_selectors = ("article time", "article span", "time")
    section_selectors = ("nav a",)
    tag_selectors = ("article a[href*='/topik/']", "a[href*='/tag/']")

    @classmethod
    def detect(cls, page: Page) -> bool:
        return page.first("[itemprop=articleBody]", "#content-wrapper") is not None


SITE = Site(
    name="tempo",
    domains=("tempo.co",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=("https://www.tempo.co/sitemap.xml",),
        feeds=("https://rss.tempo.co/nasional", "https://rss.tempo.co/bisnis", "https://rss.tempo.co/dunia"),
    ),
    parsers=(Tempo2024, Tempo2015),
)
