"""republika.co.id profile: current-layout fixtures (an empty h1, a Rep/Red credit line), a renamed body class, list pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.sites import get_site
from tests.site_variants import (
    check_article_url, check_body_when_class_moves, check_list_page_is_not_an_article,
    check_list_pages_rejected_under, load_expected,
)
from tests.snapshots import SnapshotCase, check_snapshot, snapshot_cases

SITE = get_site("republika")
FIXTURES = Path(__file__).parent / "fixtures" / "republika"
CASES = snapshot_cases(FIXTURES)


@pytest.mark.parametrize("case", CASES)
def test_snapshot(case: SnapshotCase) -> None:
    check_snapshot(case)


def test_body_found_when_its_class_moves() -> None:
    check_body_when_class_moves(SITE, FIXTURES, ('<div class="article-content">', '<div class="isi-artikel">'))


def test_credit_line_found_by_its_wording_when_classes_move() -> None:
    html = (FIXTURES / "article.html").read_text(encoding="utf-8").replace('class="date-author"', 'class="meta-x"')
    expected = load_expected(FIXTURES, "article")
    article = SITE.parse(expected["url"], html)
    assert (article.authors, article.editors) == (["Andika Pratama"], ["Nur Aini"])


def test_legacy_visible_date_with_english_month() -> None:
    # 2017 pages: "Jumat , 17 February 2017, 13:16 WIB" and no published_time meta [SEEN in the notes].
    html = (FIXTURES / "article.html").read_text(encoding="utf-8")
    html = html.replace('<meta property="article:published_time" content="2024-11-14T10:30:00+07:00">', "")
    html = html.replace('"datePublished":"2024-11-14T10:30:00+07:00",', "")
    html = html.replace("Kamis 14 Nov 2024 10:30 WIB", "Jumat , 17 February 2017, 13:16 WIB")
    url = load_expected(FIXTURES, "article")["url"]
    assert SITE.parse(url, html).published == "2017-02-17T13:16:00+07:00"


def test_jsonld_author_is_the_editor_without_a_credit_line() -> None:
    html = (FIXTURES / "article.html").read_text(encoding="utf-8").replace("Rep: Andika Pratama / Red: Nur Aini", "")
    url = load_expected(FIXTURES, "article")["url"]
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
    check_article_url(SITE, url, expected)


@pytest.mark.parametrize("url", ["https://news.republika.co.id/nasional", "https://news.republika.co.id/berita/sn1/judul"])
def test_list_page_is_not_an_article(url: str) -> None:
    check_list_page_is_not_an_article(SITE, url, "https://news.republika.co.id/berita/sn1/judul")


def test_list_pages_under_an_article_url_are_rejected() -> None:
    check_list_pages_rejected_under(SITE, "https://news.republika.co.id/berita/sn4k2x399/judul-berita")
