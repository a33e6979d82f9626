"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds, as the same entries as sitemaps."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from lxml import etree

from scraper.dates import parse_date
from scraper.sitemaps import SitemapEntry, SitemapError, _root, _text


def _rfc822_to_iso(value: str | None) -> str | None:
    """RSS dates are RFC 822 (``Thu, 14 Nov 2024 08:30:00 +0700``); ISO 8601 when they parse."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None and parsed.tzinfo is not None:
        return parsed.isoformat()
    # "... 08:30:00 WIB" (a zone email.utils does not know: it would come out naive) or an
    # Indonesian date: the core parser keeps the zone the feed states.
    return parse_date(value, default_offset=None) or value  # keep what the feed said rather than lose it


def _atom_link(entry: etree._Element) -> str | None:
    """The entry's ``rel=alternate`` (or rel-less) link."""
    for link in entry.iterfind("{*}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href").strip()
    return None


def parse_feed(body: bytes | str) -> list[SitemapEntry]:
    """Items of an RSS or Atom feed in document order; SitemapError when the body is not a feed."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    root = _root(body)
    tag = etree.QName(root).localname.lower()
    entries: list[SitemapEntry] = []
    if tag == "feed":
        for entry in root.iterfind("{*}entry"):
            url = _atom_link(entry)
            if url:
                categories = [c.get("term") for c in entry.iterfind("{*}category") if c.get("term")]
                entries.append(
                    SitemapEntry(
                        url=url,
                        lastmod=_text(entry, "{*}updated"),
                        title=_text(entry, "{*}title"),
                        publication_date=_text(entry, "{*}published") or _text(entry, "{*}updated"),
                        keywords=", ".join(categories) or None,
                    )
                )
        return entries
    if tag not in ("rss", "rdf"):
        raise SitemapError(f"root element is <{tag}>, not a feed")
    for item in root.iter("{*}item"):
        url = _text(item, "{*}link") or _text(item, "{*}guid")
        if not url:
            continue
        categories = [" ".join(c.text.split()) for c in item.iterfind("{*}category") if c.text]
        date = _rfc822_to_iso(_text(item, "{*}pubDate")) or _text(item, "{*}date")  # dc:date in RSS 1.0
        entries.append(
            SitemapEntry(
                url=url,
                lastmod=date,
                title=_text(item, "{*}title"),
                publication_date=date,
                keywords=", ".join(categories) or None,
            )
        )
    return entries
