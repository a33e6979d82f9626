"""cnnindonesia.com profile: current-layout fixtures, a renamed body class, list pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.model import NotAnArticle
from scraper.sites import get_site, site_for_url
from tests.conftest import PAGES
from tests.snapshots import SnapshotCase, check_snapshot, snapshot_cases

SITE = get_site("cnnindonesia")
FIXTURES = Path(__file__).parent / "fixtures" / "cnnindonesia"
CASES = snapshot_cases(FIXTURES)


@pytest.mark.parametrize("case", CASES)
def test_snapshot(case: SnapshotCase) -> None:
    check_snapshot(case)


def test_body_found_when_its_class_moves() -> None:
    html = (FIXTURES / "article.html").read_text(encoding="utf-8")
    renamed = html.replace('class="detail-text text-cnn_black text-sm grow min-w-0"', 'class="isi-artikel"').replace(
        'class="detail-wrap flex gap-4 relative"', 'class="flex gap-4"')
    assert renamed != html
    expected = json.loads((FIXTURES / "article.expected.json").read_text(encoding="utf-8"))
    article = SITE.parse(expected["url"], renamed)
    assert article.paragraphs == expected["paragraphs"]
    assert [r.url for r in article.related] == [r["url"] for r in expected["related"]]


def test_byline_found_by_its_suffix_when_classes_move() -> None:
    html = (FIXTURES / "article.html").read_text(encoding="utf-8").replace("text-cnn_black_light3", "byline-x")
    url = json.loads((FIXTURES / "article.expected.json").read_text(encoding="utf-8"))["url"]
    assert SITE.parse(url, html).authors == ["Yohanes Purba"]


def test_brand_only_byline_gives_no_author() -> None:
    # The usual byline is just "CNN Indonesia" and the JSON-LD author name is empty: no person to record.
    html = (FIXTURES / "article.html").read_text(encoding="utf-8").replace("Yohanes Purba | CNN Indonesia", "CNN Indonesia")
    url = json.loads((FIXTURES / "article.expected.json").read_text(encoding="utf-8"))["url"]
    assert SITE.parse(url, html).authors == []


def test_dateline_in_its_own_element_is_merged_into_the_first_paragraph() -> None:
    url = json.loads((FIXTURES / "article.expected.json").read_text(encoding="utf-8"))["url"]
    article = SITE.parse(url, (FIXTURES / "article.html").read_bytes())
    assert article.paragraphs[0].startswith("Jakarta, CNN Indonesia -- Pemerintah Provinsi")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.cnnindonesia.com/nasional/20241114103000-20-1166021/pemprov-dki-uji-coba-bus-listrik", True),
        ("https://www.cnnindonesia.com/ekonomi/20200624185815-78-517083/pnm-minta-suntikan-rp15-t", True),
        ("https://www.cnnindonesia.com/nasional", False),
        ("https://www.cnnindonesia.com/nasional/rss", False),
        ("https://www.cnnindonesia.com/tag/bus-listrik", False),
    ],
)
def test_article_urls(url: str, expected: bool) -> None:
    assert SITE.is_article_url(url) is expected
    assert site_for_url(url) is SITE


@pytest.mark.parametrize("url", ["https://www.cnnindonesia.com/nasional", "https://www.cnnindonesia.com/nasional/20241114103000-20-1/judul"])
def test_list_page_is_not_an_article(url: str) -> None:
    html = """<html><head><meta property="og:type" content="website"><title>Indeks Berita</title></head>
    <body><h1>Berita Terkini</h1><ul><li><h3><a href="https://www.cnnindonesia.com/nasional/20241114103000-20-1/judul">Judul berita</a></h3>
    <p>Ringkasan berita pertama yang cukup panjang untuk terlihat seperti paragraf di halaman daftar.</p></li>
    </ul></body></html>"""
    with pytest.raises(NotAnArticle) as info:
        SITE.parse(url, html)
    assert info.value.reason in ("not_article_page", "not_article_url")


LABEL_VARIANTS = ["Baca juga:", "BACA JUGA :", "Baca Juga -", "Simak juga:", "Lihat Juga:", "Baca juga", "» Baca juga:",
                  "Jangan lewatkan:", "Baca pula:", "Berita terkait:"]


@pytest.mark.parametrize("label", LABEL_VARIANTS)
def test_related_line_spellings(label: str) -> None:
    expected = json.loads((FIXTURES / "article.expected.json").read_text(encoding="utf-8"))
    html = (FIXTURES / "article.html").read_text(encoding="utf-8")
    assert "Baca juga:" in html
    article = SITE.parse(expected["url"], html.replace("Baca juga:", label, 1))
    assert article.paragraphs == expected["paragraphs"]
    assert [r.url for r in article.related] == [r["url"] for r in expected["related"]]


def test_list_pages_under_an_article_url_are_rejected() -> None:
    # Every saved home/index page of ../shared, even when served from an article-shaped URL.
    pages = [p for p in sorted(PAGES.glob("*/*.html")) if any(k in p.name for k in ("mainpage", "home", "indeks"))]
    assert len(pages) >= 10
    for page in pages:
        with pytest.raises(NotAnArticle):
            SITE.parse("https://www.cnnindonesia.com/nasional/20241114103000-20-1166099/judul-berita", page.read_bytes())
