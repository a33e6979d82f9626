"""The generic path: an article from a page of a site without a profile.

Metadata comes from JSON-LD and meta tags (``scraper.metadata``); the body from trafilatura (a
well-kept generic extractor); then Warta's Indonesian cleaning: "Baca juga"-type lines and lists are
taken out of the body and kept as related links, credit lines and "Artikel ini telah tayang" trailers
are dropped. Measured choices (``benchmarks/extraction.py``, scrapinghub set and Indonesian pages):

* trafilatura with ``favor_precision`` and comments off: reader comments and link lists are the
  main noise on news pages; precision costs little recall.
* tables kept: older pages lay the whole article out in a table (F1 0.00 -> 0.99 on such pages).
* links off in the extraction: trafilatura's link mode selects different, shorter text (recall
  0.99 -> 0.51 on a CNN page), so related links are read from the page itself instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
import trafilatura

from scraper.cleaning import DEFAULT_RULES, CleanRules, find_dateline
from scraper.credits import ORG_NAMES, labelled_values, split_names
from scraper.dates import aware, local_offset, parse_date, stated_offset, to_offset
from scraper.html import parse_tree
from scraper.metadata import read_metadata
from scraper.model import Article, NotAnArticle, Related
from scraper.text import block_text, normalize_ws
from scraper.urls import canonicalize

__all__ = ["extract_generic", "body_lines", "related_in_page", "clean_lines", "is_indonesian"]

# trafilatura's XML blocks that are paragraphs of their own.
_LINE_TAGS = frozenset({"p", "head", "item", "quote", "row", "code"})
# Containers of those blocks, walked into.
_CONTAINERS = frozenset({"main", "doc", "list", "table", "div", "quote"})
# Blocks of the page that hold one "Baca juga" line (or one item of a related list).
_BLOCKS = frozenset({"p", "li", "div", "h2", "h3", "h4", "h5", "h6", "dd", "td", "section", "article"})
#: Label lines ("Baca juga:", "Berita Terkait") that announce a list of links.
_HEADER_MAX_CHARS = 40
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
#: The wording of an in-body "read also" label, as opposed to a "Berita Terkait" box title.
_READ_ALSO = re.compile(r"^\W*(?:baca|simak|lihat|cek)\s+(?:juga|pula)\b", re.I)
#: A photo caption: a line ending in a "Name/Outlet" credit ("(KOMPAS.com/DIMAS ARYA)",
#: "(Bagus Kurniawan/detikcom)", "(ANTARA FOTO/...)"). The outlet word keeps "(fyk/ash)" trailers.
_CAPTION_CREDIT = re.compile(
    r"\((?=[^()]*/)[^()]*?(?:\.com|detikcom|\bfoto\b|\bdok\b|istimewa|antara|reuters|\bafp\b|getty|"
    r"shutterstock|tribun|kompas|tempo|liputan6|\bist\b)[^()]*\)?\s*$",
    re.I,
)
#: A short line in capitals only: a promo heading or a reporter's name trailer on Indonesian pages
#: (English pages use capitals for sub-headings, so the rule is applied to Indonesian text only).
_SHOUT = re.compile(r"^[^a-z0-9]{3,40}$")
#: A line that is only a date and time ("Kamis, 05/11/2015 09:25 WIB", "Selasa 16 Jun 2015, 14:05 WIB"):
#: the date of the page or of a teaser in a list, never body text.
_DATE_LINE = re.compile(
    r"^(?:(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu)\s*,?\s*)?\d{1,2}\s*[/ -]\s*(?:\d{1,2}|[a-z]{3,9})\s*[/ -]"
    r"\s*\d{2,4}\s*[,|-]?\s*(?:pukul\s*)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:wib|wita|wit)?$",
    re.I,
)
#: A line with no letter at all: list numbers ("01", "02"), separators, counters. Indonesian pages
#: only: on the English benchmark pages such lines are scores and figures the reader keeps.
_NO_LETTER = re.compile(r"^[^\w]*[\d\W_]*$")
#: Indonesian function words: their share of the body's words tells Indonesian text apart (pages
#: often declare lang="en" in their template while every word is Indonesian).
_ID_WORDS = frozenset("yang dan di dengan untuk dari ini itu dalam tidak akan pada juga ke karena tersebut "
                      "adalah oleh sudah telah bahwa saat atau bisa kata para mereka kami kita".split())
_WORD = re.compile(r"[a-z]+")

# --- before trafilatura: embeds out, loose lead text into paragraphs (issue 12 §1) -------------------------

#: Social and video embeds: the blockquote fallbacks of tweets, Instagram and TikTok posts, and player iframes.
_EMBED_CLASS = re.compile(r"\b(?:twitter-tweet|twitter-video|instagram-media|tiktok-embed|fb-post|fb-video)\b")
_EMBED_SRC = re.compile(r"(?:youtube(?:-nocookie)?\.com|youtu\.be|twitter\.com|x\.com|instagram\.com|tiktok\.com|"
                        r"facebook\.com|vidio\.com|dailymotion\.com)/", re.I)
#: A wrapper that holds the embed and nothing of the article: a figure, or a box named for the embed.
_EMBED_WRAPPER = re.compile(r"embed|video|sosmed|social|twitter|instagram|tiktok|youtube", re.I)
_CAPTION_CLASS = re.compile(r"caption|keterangan", re.I)
#: Text of its own a wrapper may hold beside the embed (a caption) and still be the embed's box.
_WRAPPER_MAX_CHARS = 300
_INLINE_TAGS = frozenset({"a", "b", "strong", "em", "i", "span", "font", "small", "u", "sup", "sub", "abbr", "mark"})
#: Loose text before a container's first paragraph is a lead (not a label or a dateline alone) from this long.
_LEAD_MIN_CHARS = 40


def _drop(el: Any) -> None:
    """Remove an element, keeping its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _is_embed(el: Any) -> bool:
    if el.tag == "iframe":
        return bool(_EMBED_SRC.search(el.get("src") or el.get("data-src") or ""))
    return el.tag in ("blockquote", "div") and bool(_EMBED_CLASS.search(el.get("class") or ""))


def drop_embeds(tree: Any) -> None:
    """Remove social and video embeds with the box and caption that come with them (never body text)."""
    embeds = [el for el in tree.iter("blockquote", "iframe", "div") if _is_embed(el)]
    for el in embeds:
        if el.getparent() is None:
            continue
        target = el
        parent = el.getparent()
        if parent is not None and parent.tag in ("figure", "div", "center"):
            named = _EMBED_WRAPPER.search(f"{parent.get('class', '')} {parent.get('id', '')}")
            extra = len(block_text(parent)) - len(block_text(el))  # the box's own text: a caption at most
            if parent.tag == "figure" or (named and extra <= _WRAPPER_MAX_CHARS):
                target = parent
        # A caption right after the embed (or its box) belongs to it.
        nxt = target.getnext()
        if nxt is not None and isinstance(nxt.tag, str) and (
            nxt.tag == "figcaption" or _CAPTION_CLASS.search(nxt.get("class") or "")
        ):
            _drop(nxt)
        _drop(target)


def wrap_lead_text(tree: Any) -> None:
    """Put the text a container holds before its first ``<p>`` into a ``<p>`` of its own.

    trafilatura drops text that sits directly in the body container before the first paragraph: many
    sites write the lead ("JAKARTA - ...") there, followed by ``<br>`` and then the paragraphs.
    """
    for first_p in list(tree.iterfind(".//body//p")):
        parent = first_p.getparent()
        if parent is None or parent.tag not in ("div", "article", "section", "td", "main"):
            continue
        siblings = list(parent)
        index = siblings.index(first_p)
        before = siblings[:index]
        if any(isinstance(c.tag, str) and c.tag not in _INLINE_TAGS and c.tag != "br" for c in before):
            continue
        if index and any(c.tag == "p" for c in before):
            continue
        text = normalize_ws((parent.text or "") + "".join(
            (block_text(c) if isinstance(c.tag, str) and c.tag != "br" else "") + " " + (c.tail or "") for c in before
        ))
        if len(text) < _LEAD_MIN_CHARS:
            continue
        lead = lxml.etree.Element("p")
        lead.text, parent.text = parent.text, None
        for c in before:  # inline elements and line breaks move with their tails; a <br> stays a line break
            lead.append(c)
        parent.insert(0, lead)



def body_lines(tree: Any, url: str) -> list[str]:
    """The main text of the page as trafilatura finds it, one string per block, in order."""
    xml = trafilatura.extract(
        tree, url=url, output_format="xml", include_comments=False, include_tables=True,
        include_images=False, include_links=False, favor_precision=True,
    )
    if not xml:
        return []
    root = lxml.etree.fromstring(xml.encode("utf-8"), lxml.etree.XMLParser(recover=True))
    main = root.find("main")
    lines: list[str] = []
    _walk(main if main is not None else root, lines)
    return [line for line in (normalize_ws(x) for x in lines) if line]


def _walk(node: Any, lines: list[str]) -> None:
    """Collect block texts; ``<lb/>`` splits a block, table cells of a row join on one line."""
    for child in node:
        tag = child.tag if isinstance(child.tag, str) else ""
        nested = tag in ("item", "quote") and any(c.tag in _CONTAINERS | _LINE_TAGS for c in child)
        if tag in _LINE_TAGS and not nested:
            lines.extend(_split_lb(child))
        elif tag in _CONTAINERS or tag in ("item", "quote"):
            if child.text and child.text.strip():
                lines.append(child.text)
            _walk(child, lines)
        elif tag:
            lines.extend(_split_lb(child))
        if child.tail and child.tail.strip() and node.tag != "row":
            lines.append(child.tail)


def _split_lb(el: Any) -> list[str]:
    """The text of one block, split where trafilatura kept a line break."""
    parts, current = [], [el.text or ""]
    for sub in el.iter():
        if sub is el:
            continue
        if sub.tag == "lb":
            parts.append("".join(current))
            current = [sub.tail or ""]
        else:
            if sub.tag == "cell":
                current.append(" ")  # cells of a row are separate words
            current.append(sub.text or "")
            current.append(sub.tail or "")
    parts.append("".join(current))
    return parts


def _label_holders(tree: Any, rules: CleanRules) -> Iterator[Any]:
    """Elements of the body with a text (or tail) that starts with a "Baca juga"-type label.

    A label line starts with its label, and so does the text node that holds it; testing the
    start of each text node is a few milliseconds per page, where computing the text of every
    block is quadratic on deeply nested pages (and an XPath with translate() was slower still).
    """
    body = tree.find("body")
    match = rules._related_loose.match
    for el in (body if body is not None else tree).iter():
        if not isinstance(el.tag, str):
            continue
        if el.text and match(el.text.lstrip()):
            yield el
        if el.tail and match(el.tail.lstrip()):
            parent = el.getparent()
            if parent is not None:
                yield parent


def related_in_page(tree: Any, base_url: str, rules: CleanRules = DEFAULT_RULES) -> list[Related]:
    """"Baca juga"-type links of the page: links in a labelled line, or under a bare label line.

    Only the blocks around text that starts with a label are looked at, not every block of the page.
    """
    out: list[Related] = []
    seen: set[str] = set()
    done: set[Any] = set()

    def add(a: Any) -> None:
        href = (a.get("href") or "").strip()
        title = block_text(a)
        if not href or not title or href.startswith(("javascript:", "#", "mailto:")):
            return
        full = urljoin(base_url, href)
        if full not in seen:
            seen.add(full)
            out.append(Related(url=full, title=title))

    def links_of(el: Any) -> list[Any]:
        return [a for a in el.iter("a") if a.get("href")]

    def link_only(el: Any) -> bool:
        links = links_of(el)
        text = block_text(el)
        return bool(links) and len(normalize_ws(" ".join(block_text(a) for a in links))) >= len(text) - 2

    def scan_after(start: Any) -> bool:
        """Links of the link-only items and lists after a bare label; True when any was found."""
        found = False
        for sibling in list(start.itersiblings())[:12]:
            if not isinstance(sibling.tag, str):
                continue
            if sibling.tag in ("ul", "ol"):
                items = [li for li in sibling.iter("li") if link_only(li)]
                for li in items:
                    for a in links_of(li):
                        add(a)
                if items:
                    found = True
                    continue
                break
            card = sibling.tag == "a" and bool(sibling.get("href"))  # a card is one link around image and title
            if card or (sibling.tag in ("p", "li", "div") and link_only(sibling)):
                for a in [sibling] if card else links_of(sibling):
                    add(a)
                found = True
                continue
            break
        return found

    for el in list(_label_holders(tree, rules)):
        # A "Baca juga" card box: the label in an element of its own (<span>BACA JUGA</span>, <h4>Baca
        # Juga</h4>) followed by the cards. A heading is such a label only with a "baca/simak/lihat juga"
        # wording: "Berita Terkait" headings title boxes beside the article, which are not its related links.
        own = block_text(el)
        bare = rules.related_label(own) or rules.loose_related_label(own)
        if (bare is not None and not normalize_ws(own[bare.end():]) and len(own) <= _HEADER_MAX_CHARS
                and (el.tag not in _HEADINGS or _READ_ALSO.match(own)) and el not in done):
            done.add(el)
            if scan_after(el):
                continue
        block = el
        while block is not None and block.tag not in _BLOCKS:
            block = block.getparent()
        if block is None or block in done:
            continue
        done.add(block)
        text = block_text(block)
        if not text or len(text) > 400:
            continue
        label = rules.related_label(text) or rules.loose_related_label(text)
        if label is None:
            continue
        rest = normalize_ws(text[label.end():])
        links = links_of(block)
        if rest:
            link_text = normalize_ws(" ".join(block_text(a) for a in links))
            # strict label ("Baca juga: ...") or label followed only by link text
            if links and (label.re is rules._related_line or rest.replace(" ", "") == link_text.replace(" ", "")):
                for a in links:
                    add(a)
            continue
        # "Baca juga:" alone announces a list; a heading "Berita Terkait" titles a box beside the article
        if len(text) > _HEADER_MAX_CHARS or block.tag in _HEADINGS or next(block.iter(*_HEADINGS), None) is not None:
            continue
        scan_after(block)
    return out


def is_indonesian(lines: list[str]) -> bool:
    """True when at least 12% of the words are Indonesian function words (English text: ~0%)."""
    words = _WORD.findall(" ".join(lines[:40]).lower())
    return len(words) >= 20 and sum(w in _ID_WORDS for w in words) >= 0.12 * len(words)


def clean_lines(
    lines: list[str], related: list[Related], rules: CleanRules = DEFAULT_RULES, indonesian: bool = True
) -> list[str]:
    """Drop related-link lines, lists under a bare label, credit lines and trailers from the body."""
    titles = {normalize_ws(r.title).casefold() for r in related}
    out: list[str] = []
    in_list = False
    for line in lines:
        key = line.casefold().strip(" •·-–—»>*")
        label = rules.related_label(line)
        if label is not None:
            in_list = not normalize_ws(line[label.end():])  # a bare label announces a list
            continue
        loose = rules.loose_related_label(line)
        if loose is not None and normalize_ws(line[loose.end():]).casefold() in titles:
            continue
        if key in titles:
            continue
        if in_list and len(line) <= 200 and not line.endswith((".", "!", "?", '"', "”")):
            continue  # an item of the list under "Baca juga:" whose link was not found
        in_list = False
        if (rules.is_boilerplate(line) or _CAPTION_CREDIT.search(line) or _DATE_LINE.match(line)
                or (indonesian and (_NO_LETTER.match(line) or _SHOUT.match(line)))):
            continue
        out.append(line)
    return out


#: How much of a page's visible text is searched for its dated "WITA"/"WIT" stamp (it sits near the top).
_STAMP_SEARCH_CHARS = 200_000
# Visible text nodes in document order, without the scripts and styles (JSON-LD, templates).
_VISIBLE_TEXT = lxml.etree.XPath("//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]")


def page_zone(tree: Any, published: str | None) -> str | None:
    """The zone the page states (WIB/WITA/WIT offset), or None when it states none.

    A machine publication time in an Indonesian zone is the page's clock; a naive or UTC one says
    nothing about it, so the first dated visible stamp naming a zone decides. A foreign offset
    (an English page at -05:00) is that page's own clock: no Indonesian zone is forced on it.
    """
    try:
        utcoffset = datetime.fromisoformat(published).utcoffset() if published else None
    except ValueError:
        utcoffset = None
    if utcoffset:  # neither naive nor UTC: the machine value names the page's clock
        return local_offset(published)
    pieces: list[str] = []
    size = 0
    for piece in _VISIBLE_TEXT(tree):
        pieces.append(piece)
        size += len(piece)
        if size >= _STAMP_SEARCH_CHARS:
            break
    # Joined with spaces: a stamp's "WITA" followed by the next node's text must stay a word of its own.
    return stated_offset(normalize_ws(" ".join(pieces)))

# --- metadata from the visible page (issue 12: what the profiles read, for every site) ---------------

#: Meta names of the publication time besides JSON-LD and article:published_time (lower-cased).
_DATE_META = ("og:article:published_time", "article.published", "datepublished", "publishdate", "pubdate",
              "dtk:publishdate", "content_publisheddate", "date", "dc.date", "dc.date.issued",
              "parsely-pub-date", "sailthru.date")
#: A short visible stamp with a date and a time (month name or numbers), the page's own clock.
_STAMP_TAGS = ("time", "span", "div", "p", "small", "li", "td", "strong", "em", "abbr", "font")
_HAS_TIME = re.compile(r"\d{1,2}[:.]\d{2}")
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
#: Credit labels: writers and editors ("Redaktur & Reporter: X" names both).
_AUTHOR_LABELS = (r"penulis", r"reporter", r"pewarta", r"wartawan", r"jurnalis", r"kontributor", r"writer",
                  r"author", r"redaktur\s*(?:&|dan)\s*reporter", r"laporan wartawan")
_EDITOR_LABELS = (r"editor", r"penyunting", r"redaktur(?!\s*(?:&|dan))", r"redaktur\s*(?:&|dan)\s*reporter")
#: A byline of its own: "Oleh Nama Penulis", "By Jane Doe" (capitalised words, short).
_OLEH = re.compile(r"^(?i:oleh|by)\s*:?\s+(?P<names>[A-Z][\w.'’-]*(?:[\s,]+(?:dan\s+|and\s+)?[A-Z][\w.'’-]*){0,7})\s*$")
_OLEH_TEXTS = lxml.etree.XPath(
    "//body//text()[starts-with(normalize-space(.), 'Oleh') or starts-with(normalize-space(.), 'By ')]"
)
#: Class tokens of a visible byline element.
_BYLINE_CLASS = re.compile(r"^(?:author|byline|reporter|penulis|writer|nmreporter)(?:[-_]\w+)?$", re.I)
#: The channel or outlet after a byline: "Fino Yurio Kristo - detikinet", "Andi | CNN Indonesia".
_BYLINE_TAIL = re.compile(r"\s+[-–—|/]\s+\S.*$")
#: Not a person's name: a photo credit ("KOMPAS.com/X"), a handle, a link, a date.
_NOT_A_NAME = re.compile(r"[/@\d]|https?:|\.com\b", re.I)
#: A role word after the name in a byline box ("Dewi Kania Jurnalis").
_ROLE_WORD = re.compile(r"\s+(?:jurnalis|wartawan|reporter|penulis|kontributor|editor)\s*$", re.I)
_TITLE_SEPARATORS = re.compile(r"\s+[-–—|:·•»]\s+|\s*\|\s*")


def site_title(title: str, meta: Any, host: str, headings: list[str]) -> str:
    """The headline without the site's suffix: the visible h1 when it is the title, else the title cut
    at the separator before the part naming the site (og:site_name or the host's name)."""
    key = _alnum(title)
    for h in headings:  # the h1 keeps the punctuation a <title> drops ("IHSG Hari Ini: ...")
        head = _alnum(h)
        if head and (key == head or (key.startswith(head) and len(head) >= 0.5 * len(key))):
            return h
    host_name = host.split(".")[-2] if host.count(".") >= 1 else host
    names = {n for n in (_alnum(meta.get("og:site_name") or ""), _alnum(host_name)) if n}
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) > 1:
        # "Judul - Kompas.com Regional", "merdeka.com | Judul"
        if len(parts[-1]) <= 40 and any(n in _alnum(parts[-1]) for n in names):
            return normalize_ws(title[: title.rindex(parts[-1])]).rstrip(" -–—|:·•»")
        if len(parts[0]) <= 40 and any(n in _alnum(parts[0]) for n in names):
            return normalize_ws(title[len(parts[0]):]).lstrip(" -–—|:·•»")
    return title


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def machine_published(meta: Any) -> str | None:
    """The publication time of JSON-LD, article:published_time or another known meta name."""
    return meta.date_published or meta.get(*_DATE_META)


def visible_stamp(tree: Any, after: Any = None) -> str | None:
    """The first short visible text with a date and a time, from the headline on (the page's own stamp)."""
    start = False if after is not None else True
    seen = 0
    for el in tree.iter(*_STAMP_TAGS, "h1"):
        if el is after:
            start = True
            continue
        if not start or el.tag == "h1":
            continue
        if el.tag == "time" and el.get("datetime") and parse_date(el.get("datetime"), None):
            text = normalize_ws(el.text_content())
            return text if text and _HAS_TIME.search(text) and parse_date(text, None) else el.get("datetime")
        text = el.text_content()
        if len(text) > 160 or not _HAS_TIME.search(text) or not _HAS_YEAR.search(text):
            continue
        seen += 1
        if seen > 60:
            break
        text = normalize_ws(text)
        if parse_date(text, None):
            return text
    return None


def shown(value: str | None, zone: str | None) -> str | None:
    """A parsed time in the zone the page states: an aware one converted, a naive one given it (WIB when the
    page states none). A foreign offset on a page that states no Indonesian zone is that page's own clock."""
    if not value:
        return None
    return to_offset(value, zone) if zone else aware(value, "+07:00")


def pick_published(machine: str | None, visible: str | None, zone: str | None) -> str | None:
    """The machine time in the page's zone; the visible stamp's zone when both show the same wall clock
    (a CMS that labels WIB wall time as UTC); the visible stamp alone when there is no machine value."""
    seen = shown(parse_date(visible, default_offset=None), zone) if visible else None
    if not machine:
        return seen
    wall = parse_date(machine, default_offset=None)
    if wall and seen and wall[:16] == seen[:16]:
        return wall[:19] + seen[19:]
    return shown(wall, zone)


def htmldate_day(html_tree: Any, url: str) -> str | None:
    """htmldate's publication day (about 1 ms on a page without JSON-LD): a fallback, the day only."""
    import copy

    from htmldate import find_date

    try:
        day = find_date(copy.deepcopy(html_tree), url=url, original_date=True, extensive_search=False)
    except Exception:  # htmldate is a heuristic: a page it cannot read has no date rather than no article
        return None
    return f"{day}T00:00:00" if day else None


def credits(tree: Any, meta: Any, site_name: str | None) -> tuple[list[str], list[str]]:
    """Writers and editors: credit lines, bylines, meta author, JSON-LD author (outlets dropped)."""
    org = {_alnum(site_name or "")} - {""}

    def names(values: list[str]) -> list[str]:
        out: list[str] = []
        for v in values:
            for n in split_names(_BYLINE_TAIL.sub("", v)):
                if (_alnum(n) not in org and not ORG_NAMES.match(n) and len(n) <= 60 and n not in out
                        and not _NOT_A_NAME.search(n)):
                    out.append(n)
        return out

    meta_editor = meta.get("content_editor")
    editors = names(labelled_values(tree, _EDITOR_LABELS) + ([meta_editor] if meta_editor else []))
    authors = names(labelled_values(tree, _AUTHOR_LABELS))
    if not authors:
        authors = names([meta.get("article:author", "og:article:author", "content_author", "dtk:author") or ""])
    if not authors:
        # JSON-LD names kept whole ("By A, AP Auto Writer"); dropped when they are the editor or the outlet
        authors = [n for n in meta.authors if n not in editors and _alnum(n) not in org and not ORG_NAMES.match(n)]
    if not authors:
        visible = [normalize_ws(el.text_content()) for el in tree.iterfind(".//body//*[@itemprop='author']")
                   if el.tag != "meta"]
        visible += [normalize_ws(el.text_content()) for el in tree.iterfind(".//body//*[@class]")
                    if any(_BYLINE_CLASS.match(t) for t in (el.get("class") or "").split())
                    and 0 < len(el.text_content()) <= 80]
        authors = names([_ROLE_WORD.sub("", _OLEH.sub(r"\g<names>", v)) for v in visible
                         if v and not _NOT_A_NAME.search(v)])
    if not authors:
        for text in _OLEH_TEXTS(tree)[:20]:
            m = _OLEH.match(normalize_ws(text))
            if m:
                authors = names([m.group("names")])
                break
    return authors, editors



#: A link with this much text is a headline (a teaser of another article), not a menu item.
_HEADLINE_CHARS = 25
#: Home, channel, tag and search pages: many headline links and little text of their own. An article
#: has at least this many characters of its own text per headline link on the page (measured: the
#: saved articles >= 9, the saved home and index pages <= 3).
_OWN_CHARS_PER_HEADLINE = 5
_MIN_OWN_CHARS_UNDATED = 400


def reject_listing(lines: list[str], headline_links: int, dated: bool) -> None:
    """Raise NotAnArticle("not_article_page") for a home, channel, tag or search page."""
    own = sum(len(x) for x in lines)
    if headline_links >= 10 and own < _OWN_CHARS_PER_HEADLINE * headline_links:
        raise NotAnArticle("not_article_page", f"listing: {headline_links} headline links, {own} characters of its own")
    if not dated and headline_links >= 10 and own < _MIN_OWN_CHARS_UNDATED:
        raise NotAnArticle("not_article_page", f"no article date, {headline_links} headline links, {own} characters")


def extract_generic(url: str, html: str | bytes, *, encoding: str | None = None) -> Article:
    """Extract an article from any news page (no site profile); NotAnArticle when there is none."""
    tree = parse_tree(html, encoding)
    meta = read_metadata(tree)
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    title = normalize_ws(meta.headline or meta.title_tag or "")
    if not title:
        raise NotAnArticle("no_title")
    h1s = [normalize_ws(h.text_content()) for h in tree.iterfind(".//body//h1")][:3]
    title = site_title(title, meta, host, h1s)
    related = related_in_page(tree, url)  # before trafilatura, which prunes the tree it is given
    authors, editors = credits(tree, meta, meta.get("og:site_name"))
    machine = machine_published(meta)
    visible = visible_stamp(tree)
    # Read with no default zone first: on a page that states one, a naive value is that zone's wall
    # time and a UTC one is shown in it, never in WIB (also before trafilatura prunes the tree).
    zone = page_zone(tree, parse_date(machine, default_offset=None))
    published = pick_published(machine, visible, zone)
    if published is None:  # htmldate as the last resort: the day from the URL or the page, no time
        published = shown(htmldate_day(tree, url), zone)
    modified = shown(parse_date(meta.date_modified, default_offset=None), zone)
    # trafilatura keeps the headline as the first block; the title is not body text
    headline_links = sum(1 for a in tree.iter("a") if len(normalize_ws(a.text_content())) >= _HEADLINE_CHARS)
    drop_embeds(tree)
    wrap_lead_text(tree)
    lines = [x for x in body_lines(tree, url) if x.casefold() != title.casefold()]
    reject_listing(lines, headline_links, bool(machine or visible))
    indonesian = is_indonesian(lines)
    paragraphs = clean_lines(lines, related, indonesian=indonesian)
    if not paragraphs:
        raise NotAnArticle("no_body")
    body_titles = {p.casefold() for p in paragraphs}
    return Article(
        url=url,
        canonical_url=canonicalize(meta.canonical or url, base=url),
        site=host,
        title=title,
        paragraphs=paragraphs,
        description=meta.description,
        authors=authors,
        editors=editors,
        published=published,
        modified=modified if modified != published else None,
        section=meta.section,
        tags=meta.keywords,
        lead_image=meta.image,
        language="id" if indonesian else meta.language,
        dateline=find_dateline(paragraphs[0]),
        related=[r for r in related if r.title.casefold() not in body_titles],
        parser="generic/trafilatura",
    )
