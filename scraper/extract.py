"""The one entry point from (url, html) to an :class:`Article`: decode, sanity-check, dispatch.

Pages go to the site profile that owns the URL (``scraper.sites.site_for_url``) and otherwise
to the generic extractor. Nothing here raises anything but :class:`NotAnArticle`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from scraper.model import Article, NotAnArticle
from scraper.text import decode_html
from scraper.urls import canonicalize, registrable_domain

if TYPE_CHECKING:
    from scraper.sites import Site

MAX_BYTES = 10 * 1024 * 1024

# Magic numbers of the binary bodies a crawler meets in place of HTML.
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"RIFF", b"\x1f\x8b",
                 b"BM", b"OggS", b"ID3", b"\x00\x00\x01\x00", b"wOFF", b"wOF2", b"{\\rtf")
_HTML_SIGN = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|meta|title|p|div|article|main)\b", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# The root element of a document, after any XML declaration, processing instructions, comments and doctype.
_ROOT_TAG = re.compile(r"^\ufeff?\s*(?:<\?[^>]*\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<\s*([\w:.-]+)", re.S | re.I)
#: Roots of XML documents a crawler meets at article-like URLs: feeds, sitemaps, outlines.
XML_ROOTS = frozenset({"rss", "feed", "rdf:rdf", "rdf", "urlset", "sitemapindex", "opml", "channel"})


def check_not_xml(text: str) -> None:
    """Raise NotAnArticle("not_article_page") for an RSS/Atom feed, a sitemap or another XML document.

    They parse as HTML "pages" (lxml wraps them in a body) and would come out as one-paragraph
    articles; an XML declaration before an ``<html>`` root (XHTML) is still a page.
    """
    m = _ROOT_TAG.match(text[:4096])
    if m is None:
        return
    root = m.group(1).lower()
    if root in XML_ROOTS or (root != "html" and _XML_DECL.match(text) and not _HTML_SIGN.match("<" + root)):
        raise NotAnArticle("not_article_page", f"XML document (<{root}>), not an HTML page")


def check_html(data: str | bytes) -> None:
    """Raise NotAnArticle("too_large" / "not_html") for bodies that cannot be an HTML article."""
    # A str of n characters is at most 4n UTF-8 bytes: encode (a copy of the page) only near the limit.
    size = len(data) if isinstance(data, bytes) or 4 * len(data) <= MAX_BYTES else len(
        data.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise NotAnArticle("too_large", f"{size} bytes")
    head = data[:1024] if isinstance(data, bytes) else data[:1024].encode("utf-8", "replace")
    if not head.strip():
        raise NotAnArticle("not_html", "empty body")
    if head.lstrip().startswith(_BINARY_MAGIC) or b"\x00" in head.replace(b"\x00\x00\x01\x00", b""):
        if not head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 HTML has NULs and is fine
            raise NotAnArticle("not_html", "binary body")


#: Every element an ``HtmlElement`` (text_content, drop_tree... all there), chosen in C: lxml.html's
#: default lookup is a Python method run for each element proxy created (every iteration step, every
#: XPath result) and costs about as much as the iteration itself; what it adds (FormElement,
#: InputElement... for form fields) no parser here uses.
_CLASS_LOOKUP = lxml.etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


def parse_tree(html: str | bytes, encoding: str | None = None) -> Any:
    """Decode and parse a page once with lxml; NotAnArticle("not_html"/"parse_error") on failure."""
    check_html(html)
    text = decode_html(html, encoding)
    if not _HTML_SIGN.search(text[:65536]):
        raise NotAnArticle("not_html", "no HTML markup")
    # lxml refuses str input with an XML declaration; strip it and feed UTF-8 bytes.
    data = _XML_DECL.sub("", text, count=1).encode("utf-8", "surrogatepass")
    # Comments are never text; dropping them at parse time spares every later pass.
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    parser.set_element_class_lookup(_CLASS_LOOKUP)
    try:
        tree = lxml.html.document_fromstring(data, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise NotAnArticle("parse_error", str(exc)) from None
    if tree is None:
        raise NotAnArticle("parse_error", "empty document")
    return tree


def extract_article(url: str, html: str | bytes, *, encoding: str | None = None) -> Article:
    """Extract the article of one page.

    Args:
        url: the URL the page was fetched from (selects the site profile).
        html: the response body, bytes (decoded best-effort) or text.
        encoding: the charset from the HTTP headers, when known.

    Raises:
        NotAnArticle: with a reason from ``scraper.model.SKIP_REASONS``.
    """
    from scraper.sites import site_for_url  # late: site modules import this module

    check_html(html)
    if isinstance(html, bytes):
        html = decode_html(html, encoding)
    check_not_xml(html)
    site = site_for_url(url)
    try:
        if site is not None and site.parse is not None:
            return check_identity(site.parse(url, html), url, site)
        from scraper.generic import extract_generic

        return check_identity(extract_generic(url, html), url, None)
    except NotAnArticle:
        raise
    except RecursionError:
        raise NotAnArticle("parse_error", "markup nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - a parser bug on odd markup must skip the page, not stop a crawl
        raise NotAnArticle("parse_error", f"{type(exc).__name__}: {exc}") from exc


# Path shapes of the pages that are not one article on a site without a profile: the home page, tag,
# topic, category, search, index, archive, author and feed pages (first path segment).
_NOT_ARTICLE_PATH = re.compile(
    r"^/(?:index\.(?:html?|php))?$|^/(?:tags?|topics?|topik|kategori|category|categories|labels?|search|cari"
    r"|pencarian|indeks|index|arsip|archives?|authors?|penulis|feed|rss)(?:[/.]|$)",
    re.I,
)


def canonical_problem(canonical: str, url: str, site: Site | None) -> str | None:
    """Why the page's declared canonical cannot be its identity (None: it can).

    It must be an http(s) URL of the site the page was fetched from, and an article URL of it: by
    the profile's own article pattern, or (no profile) of the same registrable host and not the
    home page or a tag/category/search/index page.
    """
    parts = urlsplit(canonical)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "not an http(s) URL"
    if site is not None:
        if not site.owns(canonical):
            return "another site"
        return None if site.is_article_url(canonical) else "not an article URL of the site"
    if registrable_domain(parts.hostname) != registrable_domain(urlsplit(url).hostname or ""):
        return "another site"
    if _NOT_ARTICLE_PATH.search(parts.path or "/"):
        return "not an article URL (home, tag, category, search or index page)"
    return None


def check_identity(article: Article, url: str, site: Site | None) -> Article:
    """The one decision of an article's identity: its canonical when acceptable, else the fetched URL.

    A refused canonical (another site: a syndicated copy; the home page; a tag page; ``javascript:``)
    would make another page's identity this article's, so the canonicalised fetched URL is the
    identity and the refused value is kept in ``rejected_canonical``. Whether an accepted canonical
    collides with another archived article is the archive's decision (``archive.db.save_articles``).
    """
    declared = article.canonical_url
    fetched = canonicalize(url)
    if declared == fetched or not fetched.startswith(("https://", "http://")):
        return article  # the fetched URL itself (or a file:// page of `warta extract`): nothing to decide
    if canonical_problem(declared, url, site) is not None:
        article.rejected_canonical = declared
        article.canonical_url = fetched
    return article
