"""sindonews.com profile: current-layout fixtures (a body of loose text split by <br>), a renamed body class, list pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.model import NotAnArticle
from scraper.sites import get_site, site_for_url
from tests.snapshots import SnapshotCase, check_snapshot, snapshot_cases

SITE = get_site("sindonews")
FIXTURES = Path(__file__).parent / "fixtures" / "sindonews"
CASES = snapshot_cases(FIXTURES)


@pytest.mark.parametrize("case", CASES)
def test_snapshot(case: SnapshotCase) -> None:
    check_snapshot(case)


def test_body_found_when_its_class_moves() -> None:
    html = (FIXTURES / "article.html").read_text(encoding="utf-8")
    renamed = html.replace('<div class="detail-desc">', '<div class="isi-berita">')
    assert renamed != html
    expected = json.loads((FIXTURES / "article.expected.json").read_text(encoding="utf-8"))
    article = SITE.parse(expected["url"], renamed)
    assert article.paragraphs == expected["paragraphs"]
    assert [r.url for r in article.related] == [r["url"] for r in expected["related"]]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://nasional.sindonews.com/read/1478523/12/kpu-mulai-distribusikan-logistik-1731555000", True),
        ("https://www.sindonews.com/read/1478523/12/kpu-mulai-1731555000", True),
        ("https://nasional.sindonews.com/more/12", False),
        ("https://www.sindonews.com/feed", False),
        ("https://tag.sindonews.com/tag/1/kpu", False),
    ],
)
def test_article_urls(url: str, expected: bool) -> None:
    assert SITE.is_article_url(url) is expected
    assert site_for_url(url) is SITE


@pytest.mark.parametrize("url", ["https://nasional.sindonews.com/more/12", "https://nasional.sindonews.com/read/1/12/judul-1731555000"])
def test_list_page_is_not_an_article(url: str) -> None:
    html = """<html><head><meta property="og:type" content="website"><title>Indeks Berita</title></head>
    <body><h1>Berita Terkini</h1><ul><li><h3><a href="https://nasional.sindonews.com/read/1/12/judul-1731555000">Judul berita</a></h3>
    <p>Ringkasan berita pertama yang cukup panjang untuk terlihat seperti paragraf di halaman daftar.</p></li>
    </ul></body></html>"""
    with pytest.raises(NotAnArticle) as info:
        SITE.parse(url, html)
    assert info.value.reason in ("not_article_page", "not_article_url")
