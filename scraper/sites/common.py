"""The one layout kit every site profile uses: load a page, find its body, read credits, dates and pagers.

Every helper works on the lxml tree of ``scraper.html.parse_tree`` (pages are parsed once); only the
body fragment, copied and pruned in lxml, goes to BeautifulSoup for the core cleaning. Site selectors
are fast paths tried in order, compiled once; where a class name can move, a structural fallback (text
density, text prefixes such as "Penulis:") keeps the parser working. Text rules, dates and cleaning
are the core's (``scraper.text``, ``scraper.dates``, ``scraper.cleaning``): nothing here re-implements them.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol
from urllib.parse import parse_qs, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from scraper.cleaning import Cleaned, CleanRules, clean_body, drop_keep_tail, prune_lxml
from scraper.credits import ORG_NAMES, labelled_values, split_names  # noqa: F401 (re-exported)
from scraper.dates import choose_published, in_zone, later_modified, local_offset, offset_delta, parse_date  # noqa: F401
from scraper.fast import ClassBuckets, first, first_text, select, split_drop_selectors, to_soup
from scraper.html import parse_tree
from scraper.metadata import PageMeta, read_metadata
from scraper.model import NotAnArticle
from scraper.text import INVISIBLE_TAGS, block_text, normalize_ws

# Re-exported: the profiles take every helper from here (the selector helpers live in scraper.fast).
__all__ = ["first", "first_text", "later_modified", "select", "to_soup"]

#: Elements whose text is never body text, skipped (with their subtree) by the density fallback.
_NOT_BODY = frozenset({"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "select"})
#: Class/id words of page furniture the density fallback must not pick as the body (nor look inside).
_FURNITURE_WORDS = (
    r"comment|sidebar|footer|header|menu|navbar|related|terkait|popular|populer|widget|recommend|rekomendasi"
)
_FURNITURE = re.compile(_FURNITURE_WORDS, re.I)
# The same test on lower-cased ASCII marks: a case-insensitive alternation costs ~5x more per search, and
# the density fallback runs it on every element of the page.
_FURNITURE_LOWER = re.compile(_FURNITURE_WORDS)
_PROSE = frozenset({"p", "h2", "h3", "blockquote"})
_CANDIDATES = frozenset({"div", "article", "section", "td", "main"})
_MIN_BODY_CHARS = 200


# --- the page ---------------------------------------------------------------------------------------

@dataclass
class Page:
    """One fetched page, parsed once with lxml: its URL, head metadata and tree."""

    url: str
    meta: PageMeta
    tree: Any
    _buckets: dict[tuple[str, ...], ClassBuckets] = field(default_factory=dict, repr=False, compare=False)

    def buckets(self, keys: tuple[str, ...]) -> ClassBuckets:
        """The page's classed elements filed under ``keys`` (class substrings), built once per key set."""
        found = self._buckets.get(keys)
        if found is None:
            found = self._buckets[keys] = ClassBuckets(self.tree, keys)
        return found

    def select(self, selector: str) -> list[Any]:
        """Every element matching ``selector`` in page order."""
        return select(self.tree, selector)

    def first(self, *selectors: str) -> Any | None:
        """The first element matching any selector, tried in order."""
        return first(self.tree, selectors)

    def text(self, *selectors: str) -> str | None:
        """Normalised text of the first non-empty match among ``selectors``."""
        return first_text(self.tree, selectors)

    def texts(self, selector: str) -> list[str]:
        """Normalised non-empty texts of every match, in page order."""
        return [t for t in (block_text(el) for el in select(self.tree, selector)) if t]


def load_page(url: str, html: str | bytes) -> Page:
    """Decode and parse a page; NotAnArticle("not_html"/"parse_error") when it is not HTML."""
    tree = parse_tree(html)
    return Page(url=url, meta=read_metadata(tree), tree=tree)


# --- the body container -------------------------------------------------------------------------------

def _own_text_len(el: Any) -> int:
    """Characters of prose directly under ``el``: its ``p`` children and loose text between ``<br>``s."""
    total = len((el.text or "").strip())
    for child in el:
        if child.tag in _PROSE:
            total += len(block_text(child))
        total += len((child.tail or "").strip())
    return total


def _is_furniture(el: Any) -> bool:
    """True when the element's class or id names page furniture (comments, sidebar, related box...)."""
    cls, ident = el.get("class"), el.get("id")
    if not cls and not ident:
        return False
    marks = f"{cls or ''} {ident or ''}"
    if marks.isascii():  # re.I also folds a few non-ASCII letters (long s, Kelvin sign): those take the slow way
        return _FURNITURE_LOWER.search(marks.lower()) is not None
    return _FURNITURE.search(marks) is not None


def densest_block(tree: Any, min_chars: int = _MIN_BODY_CHARS) -> Any | None:
    """The element holding the most paragraph text directly: the body when no selector matched.

    One top-down walk: navigation, asides and furniture-classed boxes are skipped with everything
    inside them, so a "related" list never wins over the article.
    """
    best, best_len = None, min_chars - 1
    stack = [tree.find("body") if tree.find("body") is not None else tree]
    while stack:
        el = stack.pop()
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _NOT_BODY or tag in INVISIBLE_TAGS or _is_furniture(child):
                continue
            if tag in _CANDIDATES:
                size = _own_text_len(child)
                if size > best_len:
                    best, best_len = child, size
            if len(child):
                stack.append(child)
    return best


def find_body(tree: Any, selectors: Sequence[str], fallback: bool = True) -> tuple[Any | None, bool]:
    """The body container: ``(element, True)`` from a selector, else ``(densest block, False)``.

    ``fallback=False`` skips the density scan when no selector matches (``(None, False)``): a page
    that only a selector could vouch for is rejected without reading the whole tree.
    """
    el = empty = None
    for selector in selectors:
        matches = select(tree, selector)
        # The first match that holds any text: an empty placeholder with the body's class is skipped.
        el = next((m for m in matches if _own_text_len(m) or block_text(m)), None)
        if el is not None:
            break
        empty = empty if empty is not None or not matches else matches[0]
    if el is None:
        dense = densest_block(tree) if fallback else None
        # No prose anywhere: the empty container still says "article layout" (a photo gallery).
        return (dense, False) if dense is not None or empty is None else (empty, True)
    own = _own_text_len(el)
    if own < _MIN_BODY_CHARS:
        # A loose fast path may hit the wrong box when the real body's class moved: prefer a block
        # with clearly more prose, unless it sits inside the match (pages wrapped in sub-blocks).
        alt = densest_block(tree)
        if alt is not None and alt is not el and el not in alt.iterancestors() and _own_text_len(alt) > 2 * own + 100:
            return alt, False
    return el, True


def clean(el: Any, rules: CleanRules, base_url: str) -> Cleaned:
    """Clean a body element with the core rules plus the site's.

    The element is copied (the page tree stays whole for bylines and tags read later) and pruned in
    lxml of what the walk drops anyway, the site's drop selectors included, so BeautifulSoup only
    sees the body's text-bearing markup.
    """
    fragment = copy.deepcopy(el)
    fragment.tail = None
    in_lxml, bs4_rules = split_drop_selectors(rules)
    for selector in in_lxml:
        for found in select(fragment, selector, changing=True):
            parent = found.getparent()
            # Like BeautifulSoup's select on the fragment: descendants only, the text after them stays.
            if found is not fragment and parent is not None:
                drop_keep_tail(found, parent)
    return clean_body(to_soup(prune_lxml(fragment, rules)), bs4_rules, base_url=base_url)


def dateline(pattern: re.Pattern[str], paragraphs: list[str]) -> str | None:
    """The place of a dateline opening the first paragraph (group ``place`` of ``pattern``), which stays in the text."""
    m = pattern.match(paragraphs[0]) if paragraphs else None
    return m.group("place").strip() if m else None


def merge_dateline(paragraphs: list[str], dateline_only: str) -> list[str]:
    """Fold a site-specific dateline standing alone before the first paragraph ("Jakarta, CNN Indonesia --")
    into it, as the shared convention wants (the core merges the common shapes itself)."""
    if len(paragraphs) >= 2 and re.fullmatch(dateline_only, paragraphs[0], re.I):
        return [f"{paragraphs[0]} {paragraphs[1]}", *paragraphs[2:]]
    return paragraphs


# --- names and credit lines -------------------------------------------------------------------------

# Moved to the core (scraper/credits.py) so that the generic path reads credits without importing a
# site module; re-exported here for the profiles.
_ORG_NAMES = ORG_NAMES


def breadcrumb(
    tree: Any, selectors: Sequence[str], skip: Sequence[str] = ("home", "beranda", "index", "prev", "next")
) -> list[str]:
    """Breadcrumb item texts (without Home and placeholder items such as ``Detail Berita``)."""
    for selector in selectors:
        items = []
        for el in select(tree, selector):
            text = block_text(el)
            if not text or text.lower() in skip or text.lower().startswith("detail "):
                continue
            if text not in items:
                items.append(text)
        if items:
            return items
    return []


def link_texts(tree: Any, selectors: Sequence[str]) -> list[str]:
    """Texts of the links matched by the first selector that matches (visible tag lists)."""
    for selector in selectors:
        texts = [t for t in (block_text(a).lstrip("#").strip() for a in select(tree, selector)) if t]
        if texts:
            return list(dict.fromkeys(texts))
    return []


def real_tags(keywords: Iterable[str]) -> list[str]:
    """Keywords without the pseudo-tags some sites put in JSON-LD ("Editor:Iskandar", "News:")."""
    return [k for k in keywords if ":" not in k]


# choose_published and in_zone live in scraper.dates (the core), re-exported above.


def absolute(url: str | None, base: str) -> str | None:
    """``url`` resolved against ``base``; None for a missing or blank href."""
    return urljoin(base, url.strip()) if url and url.strip() else None


_NEXT_TEXT = re.compile(r"^(?:next|selanjutnya|berikutnya|lanjut|›|»|>|→)$", re.I)


def index_page_links(
    url: str,
    html: str | bytes,
    is_article: Any,
    item_selectors: Sequence[str] = (),
    next_selectors: Sequence[str] = ("a[rel=next]", "link[rel=next]", "a[class*=next]", "a[id=next]"),
) -> tuple[list[str], str | None]:
    """Article links of a list page in order, and its next page.

    The site's item selectors are the fast path; without a match every article-shaped link outside
    the page's navigation, header, footer and sidebars is taken (the list is the page's main content).
    The next page is a ``rel=next`` / "next"-classed link, or a pager link labelled "Next"/"Selanjutnya".
    """
    tree = parse_tree(html)
    links: list[str] = []

    def add(anchors: Iterable[Any]) -> None:
        for a in anchors:
            href = absolute(a.get("href"), url)
            if href and is_article(href) and href not in links:
                links.append(href)

    for selector in item_selectors:
        add(select(tree, selector))
        if links:
            break
    if not links:
        add(a for a in tree.iter("a") if not any(
            p.tag in ("nav", "header", "footer", "aside")
            or _FURNITURE.search(f"{p.get('class', '')} {p.get('id', '')}")
            for p in a.iterancestors()
        ))
    next_url = None
    for selector in next_selectors:
        for a in select(tree, selector):
            if a.get("href") and absolute(a.get("href"), url) != url:
                next_url = absolute(a.get("href"), url)
                break
        if next_url:
            break
    if next_url is None:
        for a in tree.iter("a"):
            if a.get("href") and _NEXT_TEXT.match(block_text(a)):
                next_url = absolute(a.get("href"), url)
                break
    return links, next_url


def first_date_text(tree: Any, selectors: Sequence[str]) -> str | None:
    """Text of the first matched element that holds a date the core can read (skips name spans)."""
    for selector in selectors:
        for el in select(tree, selector):
            text = block_text(el)
            if text and parse_date(text, default_offset=None):
                return text
    return None


def canonical_url(meta: PageMeta, url: str, drop_params: Iterable[str] = ()) -> str:
    """The page's canonical URL (link or og:url, else the URL itself) through the core's canonicalize,
    without the site's show-all parameters (``?single=1``), which name the same article."""
    from scraper.urls import canonicalize

    canonical = canonicalize(meta.canonical or url, base=url)
    drop = {p.lower() for p in drop_params}
    if not drop:
        return canonical
    parts = urlsplit(canonical)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in drop]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


# --- dates, credits, sections and titles on a Page ----------------------------------------------------


class DateReader(Protocol):
    """A machine-date reader taking the zone to show (or give a naive value): ``parse_date``, ``in_zone``."""

    def __call__(self, value: str | None, default_offset: str, /) -> str | None: ...


def modified_after(
    published: str | None, meta: PageMeta, read: DateReader = parse_date, default_offset: str = "+07:00"
) -> str | None:
    """The metadata's dateModified, read by ``read`` in the page's zone, when later than ``published``.

    The page's zone is the one its publication time is shown in (WIB/WITA/WIT), else the site's
    ``default_offset``: a UTC or naive dateModified on a WITA page is WITA time, not WIB.
    """
    zone = local_offset(published) or default_offset
    return later_modified(published, read(meta.date_modified, zone))

_SHORT_TAGS = ("div", "span", "p", "a", "li", "time", "address", "small", "strong")


def short_text(page: Page, pattern: str, max_len: int = 120, within: Any | None = None) -> str | None:
    """Text of the innermost short element whose text matches ``pattern`` (a byline or date found by
    its wording when its class name has moved)."""
    regex = re.compile(pattern, re.I)
    root = within if within is not None else page.tree.find("body")
    if root is None:
        return None
    for el in root.iter(*_SHORT_TAGS):
        # Cheap rejections on the raw text first: most elements are long containers or do not match.
        raw = el.text_content()
        if len(raw) > max_len and len(normalize_ws(raw)) > max_len:
            continue
        text = block_text(el)
        if not text or len(text) > max_len or not regex.search(text):
            continue
        if any(regex.search(block_text(child)) for child in el.iterdescendants() if isinstance(child.tag, str)):
            continue  # a descendant holds the match: take the innermost element
        if any(a.tag in ("script", "style", "head") for a in el.iterancestors()):
            continue
        return text
    return None


def script_field(page: Page, key: str) -> str | None:
    """A string value pushed by an inline script (``dataLayer = [{'key': 'value'}]``, ``"key": "value"``)."""
    pattern = _script_key(key)
    for script in page.tree.iter("script"):
        m = pattern.search(script.text or "")
        if m:
            return normalize_ws(m.group(1) if m.group(1) is not None else m.group(2)) or None
    return None


@lru_cache(maxsize=64)
def _script_key(key: str) -> re.Pattern[str]:
    return re.compile(rf"""['"]{re.escape(key)}['"]\s*:\s*(?:'([^']*)'|"([^"]*)")""")


def jsonld_names(meta: PageMeta, key: str) -> list[str]:
    """Names of a JSON-LD person-like property of the article object (``author``, ``editor``...)."""
    value = meta.article.get(key)
    items = value if isinstance(value, list) else [value]
    names = [normalize_ws(i.get("name") if isinstance(i, dict) else i) for i in items if i]
    return [n for n in names if n and not _ORG_NAMES.match(n)]


def labelled(text: str | None, label: str) -> str | None:
    """The value after ``label:`` in one credit line ("Rep: A/ Red: B", "Editor : C")."""
    m = re.search(rf"\b{label}\s*:\s*(?P<v>[^/|:]+?)\s*(?:/|\||$|\b\w+\s*:)", normalize_ws(text), re.I)
    return normalize_ws(m.group("v")) or None if m else None


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


def strip_title(title: str | None, suffixes: Iterable[str]) -> str:
    """A title without site suffixes such as " | merdeka.com"."""
    title = normalize_ws(title)
    for pattern in suffixes:
        title = normalize_ws(re.sub(pattern, "", title, flags=re.I))
    return title


# --- page kind -----------------------------------------------------------------------------------------

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


def channel_from_url(url: str) -> str | None:
    """The channel named by the URL's first path segment ("/gaya-hidup/..." -> "Gaya Hidup")."""
    first = urlsplit(url).path.strip("/").split("/")[0]
    return first.replace("-", " ").title() if first else None


def require(condition: Any, reason: str, detail: str = "") -> None:
    """Raise NotAnArticle(reason) unless ``condition`` holds."""
    if not condition:
        raise NotAnArticle(reason, detail)


# --- pagination ------------------------------------------------------------------------------------------
#
# Two shapes of ``Article.pagination``, kept apart on purpose: both carry ``page``, ``next`` and
# ``show_all`` (all the spider follows), but they differ in what the pager tells.
#
# * :func:`pagination`: the pager lists every page's URL (a dropdown, ``?page=N`` links to each page), so
#   ``pages`` is that list and ``prev`` is known.
# * :func:`pagination_info`: a numbered pager shows a window of page numbers (``1 2 3 ... 12``), not
#   every URL, so ``pages`` is the page *count* (the highest number seen) and only ``next`` is linked.
#
# One function with a shape parameter would only hide that the two read different pagers, and turning
# one shape into the other would change what the sites extract.

def page_links(tree: Any, url: str, selectors: Sequence[str]) -> dict[int, str]:
    """Numbered page links of a split article's pager: ``{2: ".../?page=2", ...}``."""
    pages: dict[int, str] = {}
    for selector in selectors:
        for a in select(tree, selector):
            label = block_text(a)
            href = absolute(a.get("href"), url)
            if label.isdigit() and href:
                pages.setdefault(int(label), href)
    return pages


def _current_page(url: str, param: str = "page") -> int | None:
    """The page number a URL asks for (1 without the parameter); None for a show-all URL."""
    values = parse_qs(urlsplit(url).query).get(param)
    if not values:
        return 1
    return int(values[0]) if values[0].isdigit() else None


def pagination_info(
    url: str, pages: dict[int, str], show_all: str | None, param: str = "page"
) -> dict[str, Any] | None:
    """``{"page", "pages": count, "next", "show_all"}`` from a numbered pager's links (:func:`page_links`),
    None for a single page."""
    current = _current_page(url, param)
    if current is None or len(pages) < 2 and current == 1:
        return None
    last = max([current, *pages])
    return {"page": current, "pages": last, "next": pages.get(current + 1), "show_all": show_all}


def pagination(url: str, pages: list[str], current: int, show_all: str | None = None) -> dict[str, Any] | None:
    """``{"page", "pages": [URL...], "next", "prev", "show_all"}`` from every page URL in order (None for one page)."""
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
    own_path = base.path.rstrip("/")
    slug = own_path.rsplit("/", 1)[-1]
    for a in page.tree.iter("a"):
        raw = a.get("href")
        # A link to this path names its last segment, or is a bare query/empty: skip the rest unparsed.
        if raw is None or (slug and slug not in raw and raw.strip() and not raw.lstrip().startswith("?")):
            continue
        href = urljoin(page.url, raw)
        link = urlsplit(href)
        if link.path.rstrip("/") != own_path or link.netloc != base.netloc:
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


def absolute_urls(base: str, hrefs: Iterable[str | None]) -> list[str]:
    """Absolute URLs of hrefs, empty, fragment-only and duplicate ones dropped, order kept."""
    out: list[str] = []
    for href in hrefs:
        full = absolute(href, base) if href and not href.startswith(("#", "javascript:")) else None
        if full and full not in out:
            out.append(full)
    return out


# --- the generic path under a profile (``scraper.sites.parser.GenericParser``) ----------------------------

def generic_body(page: Page, rules: CleanRules, title: str = "") -> Cleaned:
    """The page's body as the generic path reads a page of an unknown site, cleaned with a profile's rules.

    trafilatura's main text (on a copy: it prunes the tree it is given, and the page tree is read
    later for bylines and tags), "Baca juga" lines and lists lifted into ``related`` (read on the
    whole page first), the headline line dropped, then the generic line cleaning with ``rules``.
    """
    from scraper.generic import body_lines, clean_lines, related_in_page  # late: trafilatura is heavy

    related = related_in_page(page.tree, page.url, rules)
    key = normalize_ws(title).casefold()
    lines = [line for line in body_lines(copy.deepcopy(page.tree), page.url) if line.casefold() != key]
    paragraphs = clean_lines(lines, related, rules)
    body_titles = {p.casefold() for p in paragraphs}
    return Cleaned(paragraphs=paragraphs, related=[r for r in related if r.title.casefold() not in body_titles])


def without_publisher(names: Iterable[str], publishers: Iterable[str]) -> list[str]:
    """Names that are not the publisher's own (whole-name patterns, case-insensitive; "Tim"/"Redaksi" forms too)."""
    alternatives = "|".join(f"(?:{p})" for p in publishers if p)
    if not alternatives:
        return list(names)
    own = re.compile(rf"^(?:tim\s+|redaksi\s+)?(?:{alternatives})(?:\.com|\.co\.id|\.id)?(?:\s+network)?$", re.I)
    return [n for n in names if not own.match(normalize_ws(n))]
