"""Small helpers the declarative site profiles share: load a page once, find its body, read bylines.

Everything textual goes through the core (``scraper.text``, ``scraper.dates``, ``scraper.cleaning``,
``scraper.metadata``); this module only holds the page-shape logic several profiles repeat:
a body container found by class fast paths *or* by structure when a class name moves, names split
out of "Rep: X/ Red: Y"-style credit lines, JSON-LD breadcrumbs, and the pagination dict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable
from urllib.parse import parse_qsl, urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag

from scraper.cleaning import Cleaned, CleanRules, clean_body
from scraper.extract import parse_tree
from scraper.metadata import PageMeta, read_metadata
from scraper.model import NotAnArticle
from scraper.text import block_text, decode_html, normalize_ws


@dataclass
class Page:
    """One fetched page, parsed once for metadata (lxml) and once for the body walk (bs4)."""

    url: str
    meta: PageMeta
    soup: BeautifulSoup

    def first(self, *selectors: str) -> Tag | None:
        """The first element matching any selector, tried in order."""
        for selector in selectors:
            found = self.soup.select_one(selector)
            if found is not None:
                return found
        return None

    def text(self, *selectors: str) -> str | None:
        """Normalised text of the first non-empty match among ``selectors``."""
        for selector in selectors:
            for el in self.soup.select(selector):
                text = block_text(el)
                if text:
                    return text
        return None

    def texts(self, selector: str) -> list[str]:
        """Normalised non-empty texts of every match, in page order."""
        return [t for t in (block_text(el) for el in self.soup.select(selector)) if t]


def load_page(url: str, html: str | bytes) -> Page:
    """Decode and parse a page; NotAnArticle("not_html"/"parse_error") when it is not HTML."""
    tree = parse_tree(html)
    text = decode_html(html)
    return Page(url=url, meta=read_metadata(tree), soup=BeautifulSoup(text, "lxml"))


# --- the body container ---------------------------------------------------------------------------

# Containers never holding the article text, whatever their density.
_NOT_BODY = re.compile(r"comment|footer|sidebar|related|terkait|popular|populer|recommend|rekomendasi|nav|menu", re.I)
_MIN_BODY_CHARS = 200


def _own_text_chars(el: Tag) -> int:
    """Characters of paragraph text directly inside ``el``: its ``p`` children and loose text runs."""
    total = 0
    for child in el.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:
                total += len(child.strip())
        elif isinstance(child, Tag) and child.name in ("p", "h2", "h3", "blockquote", "li"):
            total += len(block_text(child))
    return total


def _excluded(el: Tag) -> bool:
    tokens = list(el.get("class") or []) + [el.get("id") or ""]
    return any(_NOT_BODY.search(t) for t in tokens if t)


def densest_block(soup: BeautifulSoup | Tag) -> Tag | None:
    """The element holding the most paragraph text as direct children (the structural fallback)."""
    best, best_chars = None, 0
    for el in soup.find_all(["div", "article", "section", "main", "td"]):
        if _excluded(el) or any(_excluded(p) for p in el.parents if isinstance(p, Tag) and p.name != "[document]"):
            continue
        chars = _own_text_chars(el)
        if chars > best_chars:
            best, best_chars = el, chars
    return best if best_chars >= _MIN_BODY_CHARS else None


def find_body(page: Page, selectors: Iterable[str]) -> Tag | None:
    """The body container: the first selector that matches with text, else the densest block."""
    for selector in selectors:
        for el in page.soup.select(selector):
            if _own_text_chars(el) or block_text(el):
                return el
    return densest_block(page.soup)


def short_text(page: Page, pattern: str, max_len: int = 120, within: Tag | None = None) -> str | None:
    """Text of the innermost short element whose text matches ``pattern`` (a byline or date found by
    its wording when its class name has moved)."""
    regex = re.compile(pattern, re.I)
    root = within if within is not None else page.soup
    for el in root.find_all(["div", "span", "p", "a", "li", "time", "address", "small", "strong"]):
        if el.find_parent(["script", "style", "head"]) is not None:
            continue
        text = block_text(el)
        if not text or len(text) > max_len or not regex.search(text):
            continue
        if any(regex.search(block_text(child)) for child in el.find_all(True)):
            continue  # a descendant holds the match: take the innermost element
        return text
    return None


def merge_dateline(paragraphs: list[str], dateline_only: str) -> list[str]:
    """Fold a dateline standing alone before the first paragraph ("Jakarta, CNN Indonesia --") into it,
    as the shared convention wants (the text stays as the reader sees it)."""
    if len(paragraphs) >= 2 and re.fullmatch(dateline_only, paragraphs[0], re.I):
        return [f"{paragraphs[0]} {paragraphs[1]}", *paragraphs[2:]]
    return paragraphs


def script_field(page: Page, key: str) -> str | None:
    """A string value pushed by an inline script (``dataLayer = [{'key': 'value'}]``, ``"key": "value"``)."""
    pattern = re.compile(rf"""['"]{re.escape(key)}['"]\s*:\s*(?:'([^']*)'|"([^"]*)")""")
    for script in page.soup.find_all("script"):
        m = pattern.search(script.string or "")
        if m:
            return normalize_ws(m.group(1) if m.group(1) is not None else m.group(2)) or None
    return None


_RELATED_BOX = "baca-juga"  # a class token the core's RELATED_BLOCK_TOKENS recognise


def _text_outside_links(el: Tag) -> str:
    """The visible text of ``el`` that is not inside one of its links, with a space between pieces."""
    pieces = []
    for node in el.find_all(string=True):
        if type(node) is NavigableString and node.find_parent("a") is None and node.parent.name not in (
            "script", "style"
        ):
            pieces.append(str(node))
    return normalize_ws(" ".join(pieces))


def tag_related_boxes(body: Tag, rules: CleanRules) -> None:
    """Mark boxes that hold only a "Baca juga"-type label and links (``<span>Baca Juga</span><ul>…``) as
    related blocks, whatever their class: the core walk lifts a label *line* followed by links, but not a
    loose label followed by a list."""
    for el in body.find_all(["div", "section", "aside", "table"]):
        links = el.find_all("a", href=True)
        if not links or len(block_text(el)) > 800:
            continue
        label_text = _text_outside_links(el)
        label = rules.related_label(label_text)
        if label is not None and not normalize_ws(label_text[label.end():]).strip(":-|»•"):
            el["class"] = [*(el.get("class") or []), _RELATED_BOX]


def _lift_breaks_out_of_links(body: Tag) -> None:
    """``<a>Judul<br></a>`` (seen on SINDOnews "Baca Juga" lines): move the break after the link, so
    that the link stays whole on its line instead of being split from its label."""
    for br in body.select("a br"):
        link = br.find_parent("a")
        if link is not None and not normalize_ws(
            "".join(str(s) for s in br.find_all_next(string=True) if link in s.parents)
        ):
            link.insert_after(br.extract())


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _drop_hidden(body: Tag) -> None:
    """Remove elements the reader never sees (``style="display:none"``, ``hidden``): loaders, templates."""
    for el in body.find_all(True):
        if el.decomposed:
            continue
        if el.has_attr("hidden") or _HIDDEN_STYLE.search(str(el.get("style") or "")):
            el.decompose()


def clean(body: Tag, rules: CleanRules, url: str) -> Cleaned:
    """The core's body cleaning, after hidden elements were removed and related boxes were marked."""
    _drop_hidden(body)
    _lift_breaks_out_of_links(body)
    tag_related_boxes(body, rules)
    return clean_body(body, rules, base_url=url)


def dateline(paragraphs: list[str], pattern: str) -> str | None:
    """The place of the first paragraph's dateline (group ``place`` of ``pattern``), which stays in the text."""
    m = re.match(pattern, paragraphs[0]) if paragraphs else None
    return normalize_ws(m.group("place")) or None if m else None


# --- names and credit lines ------------------------------------------------------------------------

_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\bdan\b|\band\b)\s*", re.I)
_ORG_NAMES = re.compile(
    r"^(?:tim\s+)?(?:redaksi|media indonesia|suara\.com|merdeka\.com|republika|cnn indonesia|cnbc indonesia|"
    r"sindonews(?:\.com)?|okezone|antara|detik\w*|kompas\.com|tempo)$",
    re.I,
)


def split_names(text: str | None, strip: Iterable[str] = ()) -> list[str]:
    """Person names from a byline: site suffixes removed, split on commas/"dan", organisations dropped."""
    text = normalize_ws(text)
    for pattern in strip:
        text = normalize_ws(re.sub(pattern, "", text, flags=re.I))
    names = []
    for part in _NAME_SPLIT.split(text):
        part = normalize_ws(part).strip(" .,-|:")
        if part and not _ORG_NAMES.match(part) and part not in names:
            names.append(part)
    return names


def jsonld_names(meta: PageMeta, key: str) -> list[str]:
    """Names of a JSON-LD person-like property of the article object (``author``, ``editor``...)."""
    value = meta.article.get(key)
    items = value if isinstance(value, list) else [value]
    names = [normalize_ws(i.get("name") if isinstance(i, dict) else i) for i in items if i]
    return [n for n in names if n and not _ORG_NAMES.match(n)]


def labelled(text: str | None, label: str) -> str | None:
    """The value after ``label:`` in a credit line ("Rep: A/ Red: B", "Editor : C")."""
    m = re.search(rf"\b{label}\s*:\s*(?P<v>[^/|:]+?)\s*(?:/|\||$|\b\w+\s*:)", normalize_ws(text), re.I)
    return normalize_ws(m.group("v")) or None if m else None


# --- section, tags, titles -------------------------------------------------------------------------

def _item_name(item: dict[str, Any]) -> str | None:
    """A ListItem's name: on the item itself or, on some sites (SINDOnews), on its nested ``item``."""
    nested = item.get("item")
    name = item.get("name") or (nested.get("name") if isinstance(nested, dict) else None)
    return normalize_ws(str(name)) or None if name else None


def _position(item: dict[str, Any]) -> int:
    try:
        return int(item.get("position") or 0)
    except (TypeError, ValueError):
        return 0


def breadcrumb_names(meta: PageMeta) -> list[str]:
    """The names of the JSON-LD BreadcrumbList items in position order."""
    for obj in meta.jsonld:
        types = obj.get("@type")
        if "BreadcrumbList" in (types if isinstance(types, list) else [types]):
            items = sorted((i for i in obj.get("itemListElement") or [] if isinstance(i, dict)), key=_position)
            return [n for n in (_item_name(i) for i in items) if n]
    return []


def strip_hash(tags: Iterable[str]) -> list[str]:
    """Visible tag labels without the "#" marker, deduplicated in order."""
    out: list[str] = []
    for tag in tags:
        tag = normalize_ws(tag.lstrip("#"))
        if tag and tag not in out:
            out.append(tag)
    return out


def strip_title(title: str | None, suffixes: Iterable[str]) -> str:
    """A title without site suffixes such as " | merdeka.com"."""
    title = normalize_ws(title)
    for pattern in suffixes:
        title = normalize_ws(re.sub(pattern, "", title, flags=re.I))
    return title


def is_article_meta(meta: PageMeta) -> bool:
    """True when the head declares an article (JSON-LD article type or og:type article)."""
    return bool(meta.article) or (meta.get("og:type") or "").lower() == "article"


def is_front_page(url: str, meta: PageMeta) -> bool:
    """True for a site's home page: its URL or its canonical is the root path."""
    return any(u and urlsplit(urljoin(url, u)).path in ("", "/") for u in (url, meta.canonical))


def check_page_kind(page: Page, site: Any) -> None:
    """NotAnArticle for home, channel and index pages, before any body is looked for.

    A home page is rejected by its root URL (some carry og:type "article"); any other URL that is not
    an article URL of the site must at least declare an article in JSON-LD to be parsed as one.
    """
    require(not is_front_page(page.url, page.meta), "not_article_page", "home page")
    canonical = page.meta.canonical
    if not site.is_article_url(page.url) and not (canonical and site.is_article_url(urljoin(page.url, canonical))):
        require(page.meta.article, "not_article_url", "neither the URL nor the canonical is an article URL")


def require(condition: Any, reason: str, detail: str = "") -> None:
    """Raise NotAnArticle(reason) unless ``condition`` holds."""
    if not condition:
        raise NotAnArticle(reason, detail)


def later_modified(published: str | None, modified: str | None) -> str | None:
    """The modified time only when it is a real later update: CMSs repeat the publication time, and
    Media Indonesia even writes a dateModified *before* datePublished (rounded to the minute)."""
    if not modified or modified == published:
        return None
    if published:
        try:
            before = datetime.fromisoformat(published)
            after = datetime.fromisoformat(modified)
            if (before.tzinfo is None) == (after.tzinfo is None) and after <= before:
                return None
        except ValueError:
            return modified
    return modified


# --- pagination ------------------------------------------------------------------------------------

def pagination(url: str, pages: list[str], current: int, show_all: str | None = None) -> dict[str, Any] | None:
    """The ``Article.pagination`` dict from the page URLs in order (None for a single page)."""
    if len(pages) < 2:
        return None
    page = min(max(current, 1), len(pages))
    return {
        "page": page,
        "pages": pages,
        "next": pages[page] if page < len(pages) else None,
        "prev": pages[page - 2] if page > 1 else None,
        "show_all": show_all,
    }


def query_pages(page: Page, param: str = "page") -> tuple[list[str], int, str | None]:
    """Pager links of the article's own path as ``?page=N``: (page URLs in order, current page, show-all URL)."""
    base = urlsplit(page.url)
    numbered: dict[int, str] = {}
    bare: str | None = None  # a link to the article without the parameter: page 1 seen from page N
    show_all = None
    for a in page.soup.find_all("a", href=True):
        href = urljoin(page.url, a["href"])
        link = urlsplit(href)
        if link.path.rstrip("/") != base.path.rstrip("/") or link.netloc != base.netloc:
            continue
        value = dict(parse_qsl(link.query)).get(param, "")
        if value.isdigit():
            numbered.setdefault(int(value), href)
        elif value.lower() == "all":
            show_all = show_all or href
        elif not value and not link.fragment:
            bare = bare or href
    current = dict(parse_qsl(base.query)).get(param, "1")
    if current.lower() == "all":
        return [], 1, show_all
    if current.isdigit():
        numbered.setdefault(int(current), page.url)  # the current page is often not a link
    if bare is not None:
        numbered.setdefault(1, bare)
    if len(numbered) < 2:
        return [], 1, show_all
    pages = [numbered[n] for n in sorted(numbered)]
    return pages, int(current) if current.isdigit() else 1, show_all


def absolute(base: str, hrefs: Iterable[str | None]) -> list[str]:
    """Absolute URLs of hrefs, empty and duplicate ones dropped, order kept."""
    out: list[str] = []
    for href in hrefs:
        if href and href.strip() and not href.startswith(("#", "javascript:")):
            full = urljoin(base, href.strip())
            if full not in out:
                out.append(full)
    return out
