"""Layout helpers the site parsers share: find the body, read credit lines and breadcrumbs, pick dates.

Every helper takes the lxml tree of ``scraper.extract.parse_tree`` and the site's selectors, tried as
fast paths in order; where a class name can move, a structural fallback (text density, text
prefixes such as "Penulis:") keeps the parser working. Text rules, dates and cleaning are the core's
(``scraper.text``, ``scraper.dates``, ``scraper.cleaning``): nothing here re-implements them.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Iterable, Sequence
from urllib.parse import parse_qs, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html
from bs4 import Tag
from lxml.cssselect import CSSSelector

from scraper.cleaning import Cleaned, CleanRules, clean_body
from scraper.dates import parse_date
from scraper.metadata import PageMeta
from scraper.model import NotAnArticle
from scraper.text import block_text, normalize_ws, soup_fragment

#: Elements whose text is never body text, skipped by the density fallback.
_NOT_BODY = frozenset({"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "select"})
#: Class/id words of page furniture the density fallback must not pick as the body.
_FURNITURE = re.compile(r"comment|sidebar|footer|header|menu|navbar|related|terkait|popular|populer|widget", re.I)
#: Byline labels and the separators between several names.
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\s+dan\s+|\s+and\s+)\s*", re.I)


@lru_cache(maxsize=512)
def _compiled(selector: str) -> CSSSelector:
    return CSSSelector(selector)


def select(tree: Any, selector: str) -> list[Any]:
    """Elements matching a CSS selector (compiled once per selector)."""
    return _compiled(selector)(tree)


def first(tree: Any, selectors: Iterable[str]) -> Any | None:
    """The first element matched by the first selector that matches anything."""
    for selector in selectors:
        found = select(tree, selector)
        if found:
            return found[0]
    return None


def first_text(tree: Any, selectors: Iterable[str]) -> str | None:
    """Normalised text of the first matching element that has text."""
    for selector in selectors:
        for el in select(tree, selector):
            text = block_text(el)
            if text:
                return text
    return None


def _own_text_len(el: Any) -> int:
    """Characters of prose directly under ``el``: its ``p`` children and loose text between ``<br>``s."""
    total = len((el.text or "").strip())
    for child in el:
        if isinstance(child.tag, str) and child.tag in ("p", "h2", "h3", "blockquote"):
            total += len(block_text(child))
        total += len((child.tail or "").strip())
    return total


def densest_block(tree: Any, min_chars: int = 200) -> Any | None:
    """The element holding the most paragraph text directly: the body when no selector matched."""
    best, best_len = None, min_chars - 1
    for el in tree.iter("div", "article", "section", "td", "main"):
        if any(a.tag in _NOT_BODY for a in el.iterancestors()):
            continue
        marks = f"{el.get('class', '')} {el.get('id', '')}"
        if _FURNITURE.search(marks):
            continue
        size = _own_text_len(el)
        if size > best_len:
            best, best_len = el, size
    return best


def find_body(tree: Any, selectors: Sequence[str]) -> tuple[Any | None, bool]:
    """The body container: ``(element, True)`` from a selector, else ``(densest block, False)``."""
    el = first(tree, selectors)
    if el is None:
        return densest_block(tree), False
    own = _own_text_len(el)
    if own < 200:
        # A loose fast path may hit the wrong box when the real body's class moved: prefer a block
        # with clearly more prose, unless it sits inside the match (pages wrapped in sub-blocks).
        alt = densest_block(tree)
        if alt is not None and alt is not el and el not in alt.iterancestors() and _own_text_len(alt) > 2 * own + 100:
            return alt, False
    return el, True


def to_soup(el: Any) -> Tag:
    """A bs4 copy of an lxml element, for the core cleaning (which works on bs4)."""
    html = lxml.html.tostring(el, encoding="unicode", with_tail=False)
    soup = soup_fragment(html)
    root = soup.body.find(recursive=False) if soup.body is not None else None
    return root if isinstance(root, Tag) else soup


def clean(el: Any, rules: CleanRules, base_url: str) -> Cleaned:
    """Clean a body element with the core rules plus the site's (bs4 copy of the lxml element)."""
    cleaned = clean_body(to_soup(el), rules, base_url=base_url)
    cleaned.paragraphs = merge_lone_dateline(cleaned.paragraphs)
    return cleaned


#: A dateline alone before the first paragraph that the core's merge does not cover: one with a
#: date and a double hyphen, as wire releases write it ("ISTANBUL, 23 Februari 2016 (Antara/PRNewswire) --").
_LONE_DATELINE = re.compile(r"^[A-Z][\w .,'’/]{1,50}\([\w ./]+\)\s*(?:-{1,2}|–|—)$")


def merge_lone_dateline(paragraphs: list[str]) -> list[str]:
    """Join such a dateline to the paragraph after it (the pages' convention)."""
    if len(paragraphs) >= 2 and len(paragraphs[0]) <= 80 and _LONE_DATELINE.match(paragraphs[0]):
        return [f"{paragraphs[0]} {paragraphs[1]}", *paragraphs[2:]]
    return paragraphs


def split_names(text: str | None) -> list[str]:
    """``"A, B dan C"`` -> ``["A", "B", "C"]`` (empty parts dropped, order kept, no duplicates)."""
    names: list[str] = []
    for part in _NAME_SPLIT.split(normalize_ws(text)):
        part = part.strip(" .,:-|")
        if part and part not in names:
            names.append(part)
    return names


_NEXT_CREDIT = re.compile(
    r"\s+[|/]\s+|\s*\b(?:penulis|editor|pewarta|reporter|penyunting|fotografer|sumber)\s*:", re.I
)
_INLINE = frozenset({"a", "b", "strong", "em", "i", "span", "font", "small", "u"})


def labelled_values(tree: Any, labels: Sequence[str]) -> list[str]:
    """Values of short credit lines such as ``Editor: Ade Marboen`` anywhere on the page, in order.

    A line is found by its text prefix, so the credit is read whatever element or class holds it;
    a block with several labelled lines (``Pewarta: X<br>Editor: Y``) is split on its line breaks.
    """
    alternatives = "|".join(labels)
    # At the start of a line, or after a bar between two credits ("Penulis: A | Editor: B").
    start_re = re.compile(rf"^[\s|/•·]*(?:{alternatives})\s*:", re.I)
    label_re = re.compile(rf"(?:^|\s[|/•·]\s*)(?:{alternatives})\s*:\s*(?P<value>.+)$", re.I)
    values: list[str] = []
    seen: set[Any] = set()
    for node in tree.xpath("//body//text()"):
        if not start_re.match(node):
            continue
        holder = node.getparent()
        if getattr(node, "is_tail", False) and holder is not None:
            holder = holder.getparent()
        while holder is not None and holder.tag in _INLINE and holder.getparent() is not None:
            holder = holder.getparent()
        if holder is None or holder in seen or holder.tag in ("script", "style", "title"):
            continue
        seen.add(holder)
        for line in _lines(holder):
            m = label_re.search(line)
            if m and len(line) <= 150:
                # "Penulis: A | Editor: B" on one line: the value ends at the bar or the next label.
                value = normalize_ws(_NEXT_CREDIT.split(m.group("value"))[0])
                if value and value not in values:
                    values.append(value)
    return values


_BLOCKS = frozenset({"div", "p", "ul", "ol", "li", "table", "section", "article", "h1", "h2", "h3", "h4"})


def _lines(el: Any) -> list[str]:
    """The text of a leaf block split at its ``<br>`` children (one line per credit); [] for containers."""
    if any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el.iterdescendants()):
        return []
    pieces: list[str] = [el.text or ""]
    for child in el:
        if child.tag == "br":
            pieces.append(child.tail or "")
        else:
            pieces[-1] += (block_text(child) if isinstance(child.tag, str) else "") + (child.tail or "")
    return [t for t in (normalize_ws(p) for p in pieces) if t]


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


def _aware(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def _offset_of(dt: datetime) -> timezone | None:
    return dt.tzinfo if isinstance(dt.tzinfo, timezone) else None


def choose_published(machine: str | None, visible: str | None, default_offset: str = "+07:00") -> str | None:
    """The publication time: the machine value (it has seconds) when it agrees with the visible one.

    Both are parsed by the core's ``parse_date``. A machine value in another zone (UTC ``Z``) is
    shown in the visible zone (or WIB); a naive one takes the visible zone. When the two disagree
    by more than a minute the page's visible time wins (some sites fill the meta with the
    update or upload time). With no visible time the machine value is used, in WIB.
    """
    vis = _aware(parse_date(visible, default_offset=None)) if visible else None
    mac = _aware(parse_date(machine, default_offset=None)) if machine else None
    zone = (vis and _offset_of(vis)) or timezone(_delta(default_offset))
    mac_zoned = mac is not None and mac.tzinfo is not None
    if mac is not None:
        mac = mac.astimezone(zone) if mac.tzinfo else mac.replace(tzinfo=zone)
    if vis is None:
        return mac.isoformat() if mac else None
    if mac is not None:
        wall = vis if vis.tzinfo else vis.replace(tzinfo=zone)
        if mac.replace(second=0, microsecond=0) == wall.replace(second=0, microsecond=0):
            # Naive only when neither value names a zone (the pages' convention).
            return mac.isoformat() if (vis.tzinfo or mac_zoned) else mac.replace(tzinfo=None).isoformat()
    return vis.isoformat()


def _delta(offset: str) -> timedelta:
    sign = -1 if offset.startswith("-") else 1
    hh, mm = offset[1:].split(":")
    return sign * timedelta(hours=int(hh), minutes=int(mm))


def in_zone(value: str | None, default_offset: str = "+07:00") -> str | None:
    """A machine date parsed by the core, shown in WIB (UTC values converted, naive ones given WIB)."""
    return choose_published(value, None, default_offset)


def modified_or_none(modified: str | None, published: str | None) -> str | None:
    """The modified time, or None when it is missing or the same instant as the published time."""
    if not modified:
        return None
    a, b = _aware(modified), _aware(published)
    if a is not None and b is not None and (a.tzinfo is None) == (b.tzinfo is None) and a == b:
        return None
    return modified


def absolute(url: str | None, base: str) -> str | None:
    return urljoin(base, url.strip()) if url and url.strip() else None


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


def current_page(url: str, param: str = "page") -> int | None:
    """The page number a URL asks for (1 without the parameter); None for a show-all URL."""
    values = parse_qs(urlsplit(url).query).get(param)
    if not values:
        return 1
    return int(values[0]) if values[0].isdigit() else None


def pagination_info(url: str, pages: dict[int, str], show_all: str | None, param: str = "page") -> dict[str, Any] | None:
    """``{"page", "pages", "next", "show_all"}`` for a page of a split article, None otherwise."""
    current = current_page(url, param)
    if current is None or len(pages) < 2 and current == 1:
        return None
    last = max([current, *pages])
    return {"page": current, "pages": last, "next": pages.get(current + 1), "show_all": show_all}


def require_article(url: str, meta: PageMeta, site_url_ok: bool, body_found: bool) -> None:
    """Reject home, index and list pages: NotAnArticle unless URL, JSON-LD or layout says article."""
    if site_url_ok or meta.article or body_found:
        return
    raise NotAnArticle("not_article_page", f"no article URL, JSON-LD or body container: {url}")


def require_content(title: str | None, paragraphs: list[str]) -> None:
    """An article needs a title and some body text."""
    if not title:
        raise NotAnArticle("no_title")
    if not paragraphs:
        raise NotAnArticle("no_body")


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
    from scraper.extract import parse_tree  # late: scraper.extract imports the site registry lazily

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
            p.tag in ("nav", "header", "footer", "aside") or _FURNITURE.search(f"{p.get('class', '')} {p.get('id', '')}")
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
