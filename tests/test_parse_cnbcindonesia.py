"""cnbcindonesia.com profile: current-layout fixtures (a two-page article), a renamed body class, list pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.model import NotAnArticle
from scraper.sites import get_site, site_for_url
from tests.conftest import PAGES
from tests.snapshots import SnapshotCase, check_snapshot, snapshot_cases

SITE = get_site("cnbcindonesia")
FIXTURES = Path(__file__).parent / "fixtures" / "cnbcindonesia"
CASES = snapshot_cases(FIXTURES)


@pytest.mark.parametrize("case", CASES)
def test_snapshot(case: SnapshotCase) -> None:
    check_snapshot(case)


def test_body_found_when_its_class_moves() -> None:
    html = (FIXTURES / "article.html").read_text(encoding="utf-8")
    renamed = html.replace('<div class="detail-text">', '<div class="konten-berita">')
    assert renamed != html
    expected = json.loads((FIXTURES / "article.expected.json").read_text(encoding="utf-8"))
    article = SITE.parse(expected["url"], renamed)
    assert article.paragraphs == expected["paragraphs"]
    assert [r.url for r in article.related] == [r["url"] for r in expected["related"]]


def test_pages_follow_in_order_and_share_one_identity() -> None:
    p1, p2 = (json.loads((FIXTURES / f).read_text(encoding="utf-8"))
              for f in ("article.expected.json", "article-p2.expected.json"))
    first = SITE.parse(p1["url"], (FIXTURES / "article.html").read_bytes())
    second = SITE.parse(first.pagination["next"], (FIXTURES / "article-p2.html").read_bytes())
    assert first.canonical_url == second.canonical_url
    assert second.pagination["next"] is None
    assert SITE.multipage == "follow_pages"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.cnbcindonesia.com/news/20241114103000-4-588210/harga-cabai-rawit-naik", True),
        ("https://www.cnbcindonesia.com/news/20241114103000-4-588210/harga-cabai-rawit-naik/2", True),
        ("https://www.cnbcindonesia.com/market/20240101-17-401234/ihsg-dibuka", True),
        ("https://www.cnbcindonesia.com/news", False),
        ("https://www.cnbcindonesia.com/tag/harga-cabai", False),
    ],
)
def test_article_urls(url: str, expected: bool) -> None:
    assert SITE.is_article_url(url) is expected
    assert site_for_url(url) is SITE


@pytest.mark.parametrize("url", ["https://www.cnbcindonesia.com/news", "https://www.cnbcindonesia.com/news/20241114103000-4-1/judul"])
def test_list_page_is_not_an_article(url: str) -> None:
    html = """<html><head><meta property="og:type" content="website"><title>Indeks Berita</title></head>
    <body><h1>Berita Terkini</h1><ul><li><h3><a href="https://www.cnbcindonesia.com/news/20241114103000-4-1/judul">Judul berita</a></h3>
    <p>Ringkasan berita pertama yang cukup panjang untuk terlihat seperti paragraf di halaman daftar.</p></li>
    </ul></body></html>"""
    with pytest.raises(NotAnArticle) as info:
        SITE.parse(url, html)
    assert info.value.reason in ("not_article_page", "not_article_url")


def test_list_pages_under_an_article_url_are_rejected() -> None:
    # Every saved home/index page of ../shared, even when served from an article-shaped URL.
    pages = [p for p in sorted(PAGES.glob("*/*.html")) if any(k in p.name for k in ("mainpage", "home", "indeks"))]
    assert len(pages) >= 10
    for page in pages:
        with pytest.raises(NotAnArticle):
            SITE.parse("https://www.cnbcindonesia.com/news/20241114103000-4-588299/judul-berita", page.read_bytes())
