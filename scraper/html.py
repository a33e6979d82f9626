"""Reading a page once: the sanity checks on a response body and the one lxml parse every parser shares.

``parse_tree`` is the only place a page is parsed; its tree is read-only from then on (see
``scraper.fast``). ``scraper.extract``, ``scraper.generic`` and the site profiles all import from here.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.etree
import lxml.html

from scraper.fast import CLASS_LOOKUP
from scraper.model import NotAnArticle
from scraper.text import decode_html

__all__ = ["MAX_BYTES", "XML_ROOTS", "check_html", "check_not_xml", "parse_tree"]

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
    parser.set_element_class_lookup(CLASS_LOOKUP)  # see scraper.fast
    try:
        tree = lxml.html.document_fromstring(data, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise NotAnArticle("parse_error", str(exc)) from None
    if tree is None:
        raise NotAnArticle("parse_error", "empty document")
    return tree
