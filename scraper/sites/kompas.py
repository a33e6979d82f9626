"""kompas.com: discovery, the article parser (two layout versions) and the daily index.

Versions (a layout change adds a version, the old one keeps its pages passing):

* :class:`Kompas2015`, ``kompas/2015``: the legacy ``kcm-read`` layout of 2015-2016 (``../shared/pages/kompas``).
* :class:`Kompas2024`, ``kompas/2024``: the current layout (2018-2026): ``h1.read__title``, ``div.read__time``,
  ``div.read__content``, the credit modal. Fixtures: ``../shared/fixtures/kompas``.

The version is picked by what the page contains, not by its date. Metadata (JSON-LD, meta)
comes first, visible markup second; every rule follows ``fixtures/kompas/README.md``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import lxml.etree

from scraper.cleaning import DEFAULT_RULES
from scraper.dates import choose_published, in_zone, is_update_label, later_modified, parse_date, stated_offset
from scraper.fast import ClassBuckets
from scraper.html import parse_tree
from scraper.metadata import PageMeta
from scraper.model import Article, NotAnArticle
from scraper.sites.base import Discovery, Site
from scraper.sites.common import require
from scraper.sites.parser import Page, Parser, attribute
from scraper.text import block_text, normalize_ws

ARTICLE_URL = re.compile(
    r"^https?://(?:[a-z0-9-]+\.)*kompas\.com/(?:[a-z0-9-]+/)?read/\d{4}/\d{2}/\d{2}/\d+/[^/?#]+/?$", re.I
)
# Legacy index links point at /read/xml/...; the same article lives at /read/...
_LEGACY_XML = re.compile(r"/read/xml/(?=\d{4}/)")
_TITLE_SUFFIX = re.compile(r"\s+Halaman\s+(?:all|\d+)\s*$|\s*[-|–—]\s*Kompas\.?com\b.*$", re.I)
# Meta author is the publisher on every page; JSON-LD may name the publisher too.
_NOT_PEOPLE = frozenset({"kompas cyber media", "kompas.com", "kompas", "tim redaksi", "redaksi", "kcm"})
_HALAMAN = re.compile(r"\s+Halaman\s+(?:all|\d+)\s*$", re.I)  # ?page=all/N pages add it to og:title/description
_KONTRIBUTOR = re.compile(r"^kontributor\s+[^,]+,\s*", re.I)
_LEGACY_DATE = re.compile(r"\d{4}\s*\|\s*\d{1,2}[:.]\d{2}")
_HAS_TIME = re.compile(r"\d{1,2}[:.]\d{2}")

RULES_2024 = DEFAULT_RULES.extend(end_markers=("EndOfArticle",))
RULES_2015 = DEFAULT_RULES.extend(
    drop_tokens=(r"^kcm-read-(?:copy|bottom|terkait|paging|topic)", r"^penulis-editor$", r"^photo$",
                 r"^berita-terkait", r"^bread", r"^kcm-date$"),
)


#: Class-name substrings the parser looks for, filed in one pass (``scraper.fast.ClassBuckets``).
#: Substrings, not tokens, so that a renamed variant ("read__content-v2") still hits.
_KEYS = (
    "read__content", "read__title", "read__time", "read__paging", "paging--article", "credit-author-name",
    "credit-author-position", "tag__article", "tagsCloud", "tagList", "breadcrumb", "breadcrump", "bread-c",
    "kcm-read", "kcmread", "div-read", "kcm-date", "penulis-editor", "content-text", "main-artikel-paragraf",
    "baca-content", "articleItem", "article__list", "paging__link--next", "read__credit", "opinion__link",
)


# --- shared field helpers ------------------------------------------------------------------------


def clean_title(title: str | None) -> str:
    """Headline without " Halaman all" / " Halaman N" / " - Kompas.com ..." suffixes."""
    title = normalize_ws(title)
    previous = None
    while title and title != previous:
        previous, title = title, _TITLE_SUFFIX.sub("", title).strip()
    return title


def _split_names(value: str | None) -> list[str]:
    """'A, B dan C' -> ['A', 'B', 'C'] (Kompas meta lists writers comma-separated)."""
    if not value:
        return []
    value = _KONTRIBUTOR.sub("", normalize_ws(value).lstrip(":").strip())
    parts = re.split(r"\s*,\s*|\s+dan\s+|\s*&\s*", value)
    return [p for p in (normalize_ws(x).strip(",") for x in parts) if p and p.lower() not in _NOT_PEOPLE]


def _dedupe(items: list[str]) -> list[str]:
    """The items without repeats, first occurrences in order."""
    return list(dict.fromkeys(items))


def _tags(meta: PageMeta, page: ClassBuckets) -> list[str]:
    """content_tags split on ", ", else the visible tag list, else JSON-LD/meta keywords."""
    raw = meta.get("content_tags")
    if raw:
        return _dedupe([t for t in (normalize_ws(x) for x in raw.split(",")) if t])
    box = page.first("tag__article", "tagsCloud", "tagList")
    visible = [block_text(a) for a in box.iter("a")] if box is not None else []
    return _dedupe([t for t in visible if t]) or meta.keywords


def _published_modified(
    meta: PageMeta, visible: str | None, default_offset: str = "+07:00"
) -> tuple[str | None, str | None]:
    """Publication from JSON-LD/meta, the visible "Diperbarui" time as the modified one, both in the page's zone.

    Issue 12 §3: a current page's JSON-LD may be in UTC while the page states WIB (or WITA); the machine value
    keeps its instant but is shown in the zone of the visible stamp (or the site's), never ``+00:00`` or naive.
    """
    jsonld = meta.article.get("datePublished")
    candidates = (jsonld if isinstance(jsonld, str) else None, meta.get("article:published_time"),
                  meta.get("content_PublishedDate"))
    machine = next((c for c in candidates if parse_date(c, None)), None)
    is_update = bool(visible and is_update_label(visible))
    zone = stated_offset(visible) or default_offset
    if visible and not is_update:
        published = choose_published(machine, visible, zone)
    else:
        published = in_zone(machine, zone)
    updated_visible = parse_date(visible, zone) if is_update else None
    modified = in_zone(meta.date_modified, zone) if parse_date(meta.date_modified, None) else updated_visible
    return published, later_modified(published, modified)


_BAR_TEXTS = lxml.etree.XPath(".//text()[contains(., '|')]")
_PARAS = lxml.etree.XPath("//body//p[not(ancestor::header or ancestor::footer or ancestor::nav)]")


def _densest_container(tree: Any) -> Any | None:
    """The element holding the most substantial direct ``<p>`` children (when class names moved)."""
    counts: dict[Any, int] = {}
    for p in _PARAS(tree):
        if len(block_text(p)) >= 60:
            parent = p.getparent()
            counts[parent] = counts.get(parent, 0) + 1
    if not counts:
        return None
    best, n = max(counts.items(), key=lambda kv: kv[1])
    return best if n >= 2 else None


def _looks_like_article(url: str, meta: PageMeta) -> bool:
    return bool(ARTICLE_URL.match(url.split("?", 1)[0].split("#", 1)[0])) or bool(meta.article)


def _breadcrumb_section(page: ClassBuckets, second: bool) -> str | None:
    """Section from the breadcrumb: the second item (current layout) or the last (legacy)."""
    crumbs = page.first("breadcrumb", "breadcrump", "bread-c")
    if crumbs is None:
        return None
    names = [t for t in (block_text(a) for a in crumbs.iter("a")) if t]
    if not names:
        return None
    return names[1] if second and len(names) > 1 else names[-1]


# --- version 2015 ---------------------------------------------------------------------------------


class Kompas2015(Parser):
    """The legacy ``kcm-read`` layout; also the fallback, which rejects pages in no known layout."""

    name = "kompas/2015"
    rules = RULES_2015

    @classmethod
    def detect(cls, page: Page) -> bool:
        return cls.kcm_body(page.buckets(_KEYS)) is not None

    @staticmethod
    def kcm_body(by: ClassBuckets) -> Any | None:
        for el in by.all("kcm-read"):
            if "kcm-read-text" in el.get("class", "").split():
                return el
        for el in by.all("kcmread"):
            if el.get("class", "").startswith("kcmread"):
                return el
        found = by.first("div-read")
        return found if found is not None else by.first("content-text")

    @property
    def by(self) -> ClassBuckets:
        return self.page.buckets(_KEYS)

    def reject(self) -> None:
        meta = self.page.meta
        if (meta.get("og:type") or "").startswith("video") or urlsplit(self.page.url).hostname == "video.kompas.com":
            raise NotAnArticle("not_article_page", "video page")
        # Run on a page no version detects, this fallback says so.
        require(self.detect(self.page), "not_article_page", "no article body (index, home, tag or other page)")
        # Kompas pages without a headline are rejected before their body is looked for.
        require(self.title(), "no_title")

    def body(self) -> Any:
        body = self.kcm_body(self.by)
        require(body is not None, "no_body", "no kcm-read-text")
        return body

    @attribute
    def title(self) -> str:
        title = clean_title(self.page.meta.get("og:title"))
        if title:
            return title
        for el in self.by.all("kcm-read"):
            for h in el.iter("h2"):
                return clean_title(block_text(h))
        box = self.by.first("baca-content")
        h1 = box.find(".//h1") if box is not None else None
        return clean_title(block_text(h1)) if h1 is not None else ""

    @attribute
    def credits(self) -> tuple[list[str], list[str]]:
        """(writers, editors) from the credit table: rows "Penulis | : X" and "Editor | : Y"."""
        writers: list[str] = []
        editors: list[str] = []
        by = self.by
        tables = [el for el in by.all("kcm-read") if "kcm-read-copy" in el.get("class", "")] + by.all("penulis-editor")
        for table in tables:
            for row in table.iter("tr"):
                cells = [block_text(td) for td in row.findall("td")]
                if len(cells) < 2:
                    continue
                label = cells[0].lower()
                if label.startswith("penulis"):
                    writers.extend(_split_names(cells[1]))
                elif label.startswith("editor"):
                    editors.extend(_split_names(cells[1]))
        return _dedupe(writers), _dedupe(editors)

    def authors(self) -> list[str]:
        return self.credits()[0]

    def editors(self) -> list[str]:
        return self.credits()[1]

    def visible_date(self) -> str | None:
        """The "Rabu, 4 November 2015 | 21:04 WIB" line."""
        # The site header also has a kcm-date (today's date, no time): take one with a time.
        for el in self.by.all("kcm-date"):
            text = block_text(el)
            if _LEGACY_DATE.search(text) or (_HAS_TIME.search(text) and parse_date(text)):
                return text
        scope = self.by.first("kcm-read")
        for text in _BAR_TEXTS(scope if scope is not None else self.page.tree):
            if _LEGACY_DATE.search(text):
                return normalize_ws(text)
        return None

    @attribute
    def dates(self) -> tuple[str | None, str | None]:
        return _published_modified(self.page.meta, self.visible_date(), self.site.default_offset)

    def published(self) -> str | None:
        return self.dates()[0]

    def modified(self) -> str | None:
        return self.dates()[1]

    def section(self) -> str | None:
        return _breadcrumb_section(self.by, second=False)

    def tags(self) -> list[str]:
        return _tags(self.page.meta, self.by)

    # language stays "id": the 2015 templates declare <html lang="en"> on Indonesian pages (not evidence).


# --- version 2024 ---------------------------------------------------------------------------------

_ARTICLE_BODY = lxml.etree.XPath("//*[@itemprop='articleBody']")
_CREDIT_LINE = re.compile(r"^(penulis|editor|kontributor)\s*:\s*(.+)$", re.I)


class Kompas2024(Kompas2015):
    """The current layout: ``read__*`` classes, the credit modal, the article pager."""

    name = "kompas/2024"
    rules = RULES_2024

    @classmethod
    def detect(cls, page: Page) -> bool:
        by = page.buckets(_KEYS)
        if by.first("read__content", "read__title", "read__time") is not None:
            return True
        # The current layout with its class names changed (a legacy page keeps its own version).
        return (Kompas2015.kcm_body(by) is None and _looks_like_article(page.url, page.meta)
                and _densest_container(page.tree) is not None)

    def body(self) -> Any:
        body = self.read_body()
        require(body is not None, "no_body", "no read__content")
        return body

    def read_body(self) -> Any | None:
        for el in self.by.all("read__content"):
            if el.tag in ("div", "article", "section"):
                return el
        found = self.by.first("main-artikel-paragraf")
        if found is not None:
            return found
        found_list = _ARTICLE_BODY(self.page.tree)
        return found_list[0] if found_list else _densest_container(self.page.tree)

    @attribute
    def title(self) -> str:
        meta = self.page.meta
        h1 = self.by.first("read__title")
        # Without the headline class, metadata beats "the first h1" (a logo may be the first h1).
        title = clean_title(block_text(h1)) or clean_title(meta.headline) or clean_title(meta.title_tag)
        if not title:
            h1s = self.page.tree.findall(".//h1")
            title = clean_title(block_text(h1s[0])) if h1s else ""
        return title

    @attribute
    def credits(self) -> tuple[list[str], list[str]]:
        """(writers, editors): the credit modal, else the 2018-2022 credit lines, else the metadata."""
        meta = self.page.meta
        writers, editors = self.credit_modal()
        if not writers or not editors:
            old_writers, old_editors = self.credit_lines()
            writers, editors = writers or old_writers, editors or old_editors
        if not writers:
            people = [n for n in meta.authors if n.lower() not in _NOT_PEOPLE]
            writers = _split_names(meta.get("content_author")) or people
        if not editors:
            editors = _split_names(meta.get("content_editor"))
        return writers, editors

    def credit_modal(self) -> tuple[list[str], list[str]]:
        """(writers, editors) from the credit modal: each name paired with its position in page order."""
        writers: list[str] = []
        editors: list[str] = []
        for name_el, role_el in zip(self.by.all("credit-author-name"), self.by.all("credit-author-position"),
                                    strict=False):
            name = block_text(name_el).rstrip(",").strip()
            role = block_text(role_el).lower()
            if not name:
                continue
            if role.startswith(("penulis", "kontributor", "reporter", "writer")):
                writers.append(name)
            elif role.startswith("editor"):
                editors.append(name)
        return _dedupe(writers), _dedupe(editors)

    def credit_lines(self) -> tuple[list[str], list[str]]:
        """(writers, editors) from the 2018-2022 credit lines ("Penulis : X", "Editor : Y") or an opinion byline."""
        writers: list[str] = []
        editors: list[str] = []
        found = self.by.all("read__credit")
        # The items, not the wrapper that holds all of them.
        wrappers = {el.getparent() for el in found}
        for el in found:
            m = _CREDIT_LINE.match(block_text(el))
            if m and el not in wrappers:
                (editors if m.group(1).lower() == "editor" else writers).extend(_split_names(m.group(2)))
        writers += [block_text(a) for a in self.by.all("opinion__link") if block_text(a)]
        return _dedupe(writers), _dedupe(editors)

    def visible_date(self) -> str | None:
        time_el = self.by.first("read__time")
        return block_text(time_el) if time_el is not None else None

    def description(self) -> str | None:
        return _HALAMAN.sub("", self.page.meta.description or "") or None

    def section(self) -> str | None:
        meta = self.page.meta
        return meta.get("content_category") or _breadcrumb_section(self.by, second=True) or meta.section

    def language(self) -> str | None:
        return self.page.meta.get("language") or self.page.meta.lang or "id"

    @attribute
    def pagination(self) -> dict[str, Any] | None:
        """{"page", "pages", "next"/"prev", "show_all"} from the article pager, None for a single page."""
        url = self.page.url
        pager = self.by.first("read__paging", "paging--article")
        if pager is None:
            return None
        pages: list[str] = []
        info: dict[str, Any] = {}
        current: int | None = None
        for a in pager.iter("a"):
            if not a.get("href"):
                continue
            href = urljoin(url, a.get("href"))
            cls = a.get("class") or ""
            text = block_text(a)
            low = text.lower()
            if "--show" in cls or low in ("show all", "tampilkan semua", "lihat semua", "semua"):
                info["show_all"] = href
            elif "--next" in cls or a.get("rel") == "next" or low in ("next", "selanjutnya", "berikutnya", "»", "›"):
                info["next"] = href
            elif "--prev" in cls or a.get("rel") == "prev" or low in ("prev", "sebelumnya", "«", "‹"):
                info["prev"] = href
            elif text.isdigit():
                if href not in pages:
                    pages.append(href)
                if "active" in cls:
                    current = int(text)
        if not pages:
            return None
        if current is None:
            query = dict(parse_qsl(urlsplit(url).query))
            current = int(query["page"]) if query.get("page", "").isdigit() else 1
        return {"page": current, "pages": pages, **info}


# --- entry points ---------------------------------------------------------------------------------


def parse(url: str, html: str | bytes) -> Article:
    """Parse a kompas.com article page; NotAnArticle for index, home, video or tag pages."""
    return SITE.parse(url, html)


_NEXT = lxml.etree.XPath("//a[@rel='next']/@href | //link[@rel='next']/@href")


def index_links(url: str, html: str | bytes) -> tuple[list[str], str | None]:
    """Article URLs of a daily index page in page order, and the next index page URL."""
    tree = parse_tree(html)
    page = ClassBuckets(tree, _KEYS)
    boxes = page.all("articleItem", "article__list")
    anchors = [a for box in boxes for a in box.iter("a")] if boxes else list(tree.iter("a"))
    urls: list[str] = []
    seen: set[str] = set()
    for a in anchors:
        href = (a.get("href") or "").strip()
        if not href:
            continue
        # Legacy index links point at /read/xml/...; the same article lives at /read/...
        full = _LEGACY_XML.sub("/read/", urljoin(url, href)).split("#", 1)[0]
        if full not in seen and ARTICLE_URL.match(full.split("?", 1)[0]):
            seen.add(full)
            urls.append(full)
    nxt = [a.get("href") for a in page.all("paging__link--next") if a.get("href")] or _NEXT(tree)
    return urls, (urljoin(url, nxt[0]) if nxt else None)


SITE = Site(
    name="kompas",
    domains=("kompas.com",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=("https://www.kompas.com/sitemap.xml",),
        daily_index="https://indeks.kompas.com/?site=all&date={date:%Y-%m-%d}&page={page}",
    ),
    multipage="show_all",
    show_all_params={"page": "all"},
    parsers=(Kompas2024, Kompas2015),
    index_links=index_links,
)
