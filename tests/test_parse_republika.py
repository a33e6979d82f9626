"""republika.co.id profile: current-layout fixtures (an empty h1, a Rep/Red credit line), a renamed body class, list pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.model import NotAnArticle
from scraper.sites import get_site, site_for_url
from tests.conftest import PAGES
from tests.snapshots import SnapshotCase, check_snapshot, snapshot_cases

SITE = get_site("republika")
FIXTURES = Path(__file__).parent / "fixtures" / "republika"
CASES = snapshot_cases(FIXTURES)


@pytest.mark.parametrize("case", CASES)
def test_snapshot(case: SnapshotCase) -> None:
    check_snapshot(case)


def test_body_found_when_its_class_moves() -> None:
    html = (FIXTURES / "article.html").read_text(encoding="utf-8")
    renamed = html.replace('<div class="article-content">', '<div class="isi-artikel">')
    assert renamed != html
    expected = json.loads((FIXTURES / "article.expected.json").read_text(encoding="utf-8"))
    article = SITE.parse(expected["url"], renamed)
    assert article.paragraphs == expected["paragraphs"]
    assert [r.url for r in article.related] == [r["url"] for r in expected["related"]]


def test_credit_line_found_by_its_wording_when_classes_move() -> None:
    html = (FIXTURES / "article.html").read_text(encoding="utf-8").replace('class="date-author"', 'class="meta-x"')
    expected = json.loads((FIXTURES / "article.expected.json").read_text(encoding="utf-8"))
    article = SITE.parse(expected["url"], html)
    assert (article.authors, article.editors) == (["Andika Pratama"], ["Nur Aini"])


def test_legacy_visible_date_with_english_month() -> None:
    # 2017 pages: "Jumat , 17 February 2017, 13:16 WIB" and no published_time meta [SEEN in the notes].
    html = (FIXTURES / "article.html").read_text(encoding="utf-8")
    html = html.replace('<meta property="article:published_time" content="2024-11-14T10:30:00+07:00">', "")
    html = html.replace('"datePublished":"2024-11-14T10:30:00+07:00",', "")
    html = html.replace("Kamis 14 Nov 2024 10:30 WIB", "Jumat , 17 February 2017, 13:16 WIB")
    url = json.loads((FIXTURES / "article.expected.json").read_text(encoding="utf-8"))["url"]
    assert SITE.parse(url, html).published == "2017-02-17T13:16:00+07:00"


def test_jsonld_author_is_the_editor_without_a_credit_line() -> None:
    html = (FIXTURES / "article.html").read_text(encoding="utf-8").replace("Rep: Andika Pratama / Red: Nur Aini", "")
    url = json.loads((FIXTURES / "article.expected.json").read_text(encoding="utf-8"))["url"]
    article = SITE.parse(url, html)
    assert (article.authors, article.editors) == ([], ["Nur Aini"])


def test_daily_index_links() -> None:
    day_url = SITE.daily_index_url(__import__("datetime").date(2024, 11, 14))
    assert day_url == "https://republika.co.id/index/0/2024/11/14"
    html = """<html><body><ul class="wrap-latest"><li class="list-group-item conten1">
    <a href="https://news.republika.co.id/berita/sn4k2x330/bmkg-prakirakan-hujan">BMKG</a></li>
    <li class="list-group-item conten1"><a href="https://republika.co.id/berita//tio14w368/slug">X</a></li>
    <li><a href="https://www.republika.co.id/kanal/news">News</a></li></ul></body></html>"""
    links, nxt = SITE.index_links(day_url, html)
    assert links == ["https://news.republika.co.id/berita/sn4k2x330/bmkg-prakirakan-hujan",
                     "https://republika.co.id/berita//tio14w368/slug"]
    assert nxt == "https://republika.co.id/index/50/2024/11/14"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.republika.co.id/berita/sn4k2x330/bmkg-prakirakan-hujan-lebat", True),
        ("https://www.republika.co.id/berita/sn4k2x330/bmkg-prakirakan-hujan-lebat", True),
        ("http://www.republika.co.id/berita/nasional/umum/17/02/17/olj0ab-judul-berita", True),
        ("https://republika.co.id/berita//tio14w368/slug-dengan-garis-miring-ganda", True),
        ("https://rejabar.republika.co.id/berita/tio9zt472/gunhar-apresiasi", True),
        ("https://www.republika.co.id/berita/", False),
        ("https://news.republika.co.id/nasional", False),
        ("https://www.republika.co.id/tag/bmkg", False),
    ],
)
def test_article_urls(url: str, expected: bool) -> None:
    assert SITE.is_article_url(url) is expected
    assert site_for_url(url) is SITE


@pytest.mark.parametrize("url", ["https://news.republika.co.id/nasional", "https://news.republika.co.id/berita/sn1/judul"])
def test_list_page_is_not_an_article(url: str) -> None:
    html = """<html><head><meta property="og:type" content="website"><title>Indeks Berita</title></head>
    <body><h1>Berita Terkini</h1><ul><li><h3><a href="https://news.republika.co.id/berita/sn1/judul">Judul berita</a></h3>
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
            SITE.parse("https://news.republika.co.id/berita/sn4k2x399/judul-berita", page.read_bytes())
