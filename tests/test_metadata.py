"""Head metadata read once from an lxml tree (scraper.metadata)."""

from __future__ import annotations

import lxml.html

from scraper.metadata import read_metadata
from tests.conftest import KOMPAS_FIXTURES


def meta_of(html: str):
    return read_metadata(lxml.html.document_fromstring(html))


def test_seed_head() -> None:
    tree = lxml.html.document_fromstring((KOMPAS_FIXTURES / "seed-article.html").read_bytes())
    pm = read_metadata(tree)
    assert pm.article["@type"] == "NewsArticle"
    assert pm.headline.startswith("Rangkuman Hari Ke-995 Serangan Rusia ke Ukraina")
    assert pm.date_published == "2024-11-14T08:30:00+07:00"
    assert pm.canonical == "https://www.kompas.com/global/read/2024/11/14/083000170/rangkuman-hari-ke-995-serangan-rusia-ke-ukraina--ukraina-dapat-gambaran"
    assert pm.amphtml.startswith("https://amp.kompas.com/global/read/")
    assert pm.get("content_PublishedDate") == "2024-11-14 08:30:00"  # case-insensitive names
    assert pm.get("CONTENT_AUTHOR") == "Nadia Kusumaningrum"
    assert pm.get("content_tags").split(", ")[0] == "Rusia"
    assert pm.image.endswith("67354e89d75fd.jpg")
    assert pm.language == "id"
    assert pm.title_tag.endswith(" - Kompas.com")


def test_graph_lists_and_types() -> None:
    pm = meta_of("""<html><head>
      <script type="application/ld+json">[{"@type": "WebSite"}, {"@graph": [
        {"@type": "BreadcrumbList"},
        {"@type": ["ReportageNews"], "headline": "Judul", "datePublished": "2024-01-02T03:04:05+07:00",
         "author": [{"@type": "Person", "name": "A"}, {"name": ["B"]}, "C"], "keywords": ["x", " y "],
         "image": [{"url": "https://img/1.jpg"}], "articleSection": ["Nasional"], "inLanguage": "id_ID"}]}]</script>
      </head><body></body></html>""")
    assert pm.headline == "Judul"
    assert pm.authors == ["A", "B", "C"]
    assert pm.keywords == ["x", "y"]
    assert pm.image == "https://img/1.jpg"
    assert pm.section == "Nasional"
    assert pm.language == "id-id"


def test_broken_jsonld_is_ignored_or_repaired() -> None:
    pm = meta_of("""<html><head>
      <script type="application/ld+json">{ this is not json </script>
      <script type="application/ld+json">{"@type": "NewsArticle", "headline": "Baris
satu", "author": {"name": "A"},}</script>
      <meta property="og:title" content="OG">
      </head></html>""")
    assert pm.headline == "Baris satu"  # raw newline and trailing comma forgiven
    assert pm.authors == ["A"]


def test_meta_fallbacks_when_no_jsonld() -> None:
    pm = meta_of("""<html lang="en"><head><title> T </title>
      <meta property="og:title" content="OG title"><meta name="description" content="D">
      <meta property="article:published_time" content="2016-02-16T13:01:52+0700">
      <meta property="og:url" content="https://x.id/a"><meta name="keywords" content="a, b,,c">
      <meta name="empty" content="  "></head></html>""")
    assert pm.article == {}
    assert pm.headline == "OG title"
    assert pm.description == "D"
    assert pm.date_published == "2016-02-16T13:01:52+0700"
    assert pm.canonical == "https://x.id/a"  # og:url when there is no link rel=canonical
    assert pm.keywords == ["a", "b", "c"]
    assert pm.get("empty") is None
    assert pm.language == "en"
    assert pm.authors == []


def test_first_meta_wins() -> None:
    pm = meta_of('<html><head><meta name="author" content="A"><meta name="author" content="B"></head></html>')
    assert pm.get("author") == "A"
