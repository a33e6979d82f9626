"""Sitemaps, sitemap indexes, Google News sitemaps (snapshot: expected/sitemaps.json), gzip, feeds."""

from __future__ import annotations

import gzip
import json

import pytest

from scraper.feeds import parse_feed
from scraper.sitemaps import SitemapError, is_news_sitemap, parse_sitemap, robots_sitemaps
from tests.conftest import KOMPAS_FIXTURES

EXPECTED = json.loads((KOMPAS_FIXTURES / "expected" / "sitemaps.json").read_text(encoding="utf-8"))


def test_sitemap_index_children_and_news_children() -> None:
    sitemap = parse_sitemap((KOMPAS_FIXTURES / "sitemap.xml").read_bytes())
    assert sitemap.kind == "index"
    assert sitemap.urls == EXPECTED["sitemap_index"]["children"]
    assert all(e.lastmod for e in sitemap.entries)
    # Kompas's markers: the site profile says which children are Google News sitemaps; the video
    # news sitemap holds no articles, so "news" alone is not the marker.
    news = [u for u in sitemap.urls if is_news_sitemap(u, ("sitemap-news.xml",))]
    assert news == EXPECTED["sitemap_index"]["google_news_children"]


def test_news_sitemap_snapshot() -> None:
    sitemap = parse_sitemap((KOMPAS_FIXTURES / "sitemap-news.xml").read_bytes())
    assert sitemap.kind == "urlset"
    got = [
        {"url": e.url, "title": e.title, "publication_date": e.publication_date, "keywords": e.keywords}
        for e in sitemap.entries
    ]
    assert got == EXPECTED["sitemap_news"]["entries"]
    assert {e.language for e in sitemap.entries} == {"id"}


def test_gzipped_sitemap_reads_the_same() -> None:
    raw = (KOMPAS_FIXTURES / "sitemap-news.xml").read_bytes()
    assert parse_sitemap(gzip.compress(raw)).entries == parse_sitemap(raw).entries


def test_old_namespace_and_no_namespace() -> None:
    old = b'<urlset xmlns="http://www.google.com/schemas/sitemap/0.84"><url><loc> https://a.id/x </loc></url></urlset>'
    bare = b"<urlset><url><loc>https://a.id/y</loc><lastmod>2024-11-14</lastmod></url></urlset>"
    assert parse_sitemap(old).urls == ["https://a.id/x"]
    assert parse_sitemap(bare).entries[0].lastmod == "2024-11-14"


@pytest.mark.parametrize(
    "body",
    [b"", b"<html><body>Not found</body></html>", b"\x1f\x8b\x08\x00broken gzip", b"<rss></rss>"],
    ids=["empty", "html", "bad-gzip", "rss"],
)
def test_not_a_sitemap_is_a_clear_error(body: bytes) -> None:
    with pytest.raises(SitemapError):
        parse_sitemap(body)


def test_xml_entities_are_not_expanded() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<urlset><url><loc>https://a.id/&b;</loc></url></urlset>"
    )
    urls = parse_sitemap(bomb).urls
    assert "aaaa" not in "".join(urls)


def test_robots_sitemap_lines() -> None:
    assert robots_sitemaps((KOMPAS_FIXTURES / "robots.txt").read_bytes()) == ["https://www.kompas.com/sitemap.xml"]


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Berita</title>
<item><title>Banjir di Bogor</title><link>https://www.kompas.com/read/2024/11/14/1/banjir</link>
<pubDate>Thu, 14 Nov 2024 08:30:00 +0700</pubDate><category>Megapolitan</category></item>
<item><title>Tanpa tautan</title></item>
<item><title>Guid saja</title><guid>https://www.kompas.com/read/2024/11/14/2/guid</guid></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Berita</title>
<entry><title>Satu</title><link rel="self" href="https://a.id/self"/><link href="https://a.id/satu"/>
<updated>2024-11-14T10:00:00+07:00</updated><published>2024-11-14T09:00:00+07:00</published>
<category term="nasional"/></entry>
</feed>"""


def test_rss_items() -> None:
    entries = parse_feed(RSS)
    assert [e.url for e in entries] == [
        "https://www.kompas.com/read/2024/11/14/1/banjir",
        "https://www.kompas.com/read/2024/11/14/2/guid",
    ]
    assert entries[0].publication_date == "2024-11-14T08:30:00+07:00"
    assert entries[0].title == "Banjir di Bogor"
    assert entries[0].keywords == "Megapolitan"


def test_atom_entries_use_the_alternate_link() -> None:
    (entry,) = parse_feed(ATOM)
    assert entry.url == "https://a.id/satu"
    assert entry.publication_date == "2024-11-14T09:00:00+07:00"
    assert entry.lastmod == "2024-11-14T10:00:00+07:00"
    assert entry.keywords == "nasional"


def test_a_sitemap_is_not_a_feed() -> None:
    with pytest.raises(SitemapError):
        parse_feed((KOMPAS_FIXTURES / "sitemap.xml").read_bytes())
