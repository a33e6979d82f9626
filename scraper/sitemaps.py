"""Sitemaps, sitemap indexes and Google News sitemaps, read with namespaced XPath.

Scrapy's SitemapSpider drops ``<news:publication_date>`` and the other nested news fields, so Warta
parses sitemaps itself. Namespaces are matched by local name *within* the sitemap and news
namespaces' families (``{*}``), because real sites publish the 0.84 and 0.9 namespaces and
sometimes none at all.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from lxml import etree

#: Cap on a decompressed sitemap (the protocol's own limit is 50 MB uncompressed).
MAX_SITEMAP_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class SitemapEntry:
    """One ``<url>`` of a urlset, one child of a sitemap index, or one item of a feed."""

    url: str
    lastmod: str | None = None
    title: str | None = None  # news:title (or the feed item's title)
    publication_date: str | None = None  # news:publication_date (or the feed item's date)
    keywords: str | None = None  # news:keywords (or the feed item's categories)
    language: str | None = None  # news:publication/news:language

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class Sitemap:
    """A parsed sitemap: ``index`` (entries are child sitemaps) or ``urlset`` (entries are pages)."""

    kind: Literal["index", "urlset"]
    entries: list[SitemapEntry] = field(default_factory=list)

    @property
    def urls(self) -> list[str]:
        return [e.url for e in self.entries]


class SitemapError(ValueError):
    """The body is not a sitemap (HTML error page, truncated gzip, garbage)."""


def decompress(body: bytes, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    """Gunzip a ``.xml.gz`` body (Scrapy only undoes Content-Encoding); other bodies pass through."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        out = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, limit)
    except zlib.error as exc:
        raise SitemapError(f"bad gzip body: {exc}") from None
    if len(out) >= limit:
        raise SitemapError("sitemap larger than the size limit")
    return out


def _root(body: bytes) -> etree._Element:
    """Parse XML safely: no entities, no network, recover from small breakage."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(decompress(body).strip(), parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise SitemapError(f"not XML: {exc}") from None
    if root is None:
        raise SitemapError("empty or unparsable XML")
    return root


def _text(el: etree._Element, path: str) -> str | None:
    found = el.find(path)
    if found is None or found.text is None:
        return None
    text = " ".join(found.text.split())
    return text or None


def parse_sitemap(body: bytes | str) -> Sitemap:
    """Parse a sitemap index or a urlset (plain or Google News); raise SitemapError otherwise."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    root = _root(body)
    tag = etree.QName(root).localname
    if tag == "sitemapindex":
        children = [
            SitemapEntry(url=loc, lastmod=_text(sm, "{*}lastmod"))
            for sm in root.iterfind("{*}sitemap")
            if (loc := _text(sm, "{*}loc"))
        ]
        return Sitemap("index", children)
    if tag != "urlset":
        raise SitemapError(f"root element is <{tag}>, not a sitemap")
    entries = []
    for url in root.iterfind("{*}url"):
        loc = _text(url, "{*}loc")
        if not loc:
            continue
        news = url.find("{*}news")
        entries.append(
            SitemapEntry(
                url=loc,
                lastmod=_text(url, "{*}lastmod"),
                title=_text(news, "{*}title") if news is not None else None,
                publication_date=_text(news, "{*}publication_date") if news is not None else None,
                keywords=_text(news, "{*}keywords") if news is not None else None,
                language=_text(news, "{*}publication/{*}language") if news is not None else None,
            )
        )
    return Sitemap("urlset", entries)


def is_news_sitemap(url: str, markers: Iterable[str]) -> bool:
    """True when a sitemap-index child is a Google News sitemap by the site's URL markers."""
    lowered = url.lower()
    return any(m.lower() in lowered for m in markers)


def robots_sitemaps(robots_txt: bytes | str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt, read with Protego (the parser Scrapy obeys)."""
    from protego import Protego

    if isinstance(robots_txt, bytes):
        robots_txt = robots_txt.decode("utf-8", errors="replace")
    return list(Protego.parse(robots_txt).sitemaps)
