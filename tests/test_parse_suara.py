"""suara.com profile: the real 2015 page, the current-layout fixtures, a renamed body class, list pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.model import NotAnArticle
from scraper.sites import get_site
from tests.conftest import PAGES
from tests.site_variants import (
    LABEL_VARIANTS, assert_same_body, check_article_url, check_list_pages_rejected_under,
    check_real_page_when_ids_move, check_related_spelling, load_expected,
)
from tests.snapshots import SnapshotCase, check_snapshot, snapshot_cases

SITE = get_site("suara")
FIXTURES = Path(__file__).parent / "fixtures" / "suara"
CASES = snapshot_cases(PAGES / "suara", FIXTURES)


@pytest.mark.parametrize("case", CASES)
def test_snapshot(case: SnapshotCase) -> None:
    check_snapshot(case)


def test_layout_versions() -> None:
    by_name = {c.values[0].html.name: c.values[0] for c in CASES}
    old, new = by_name["slasherrb_2015_suara.html"], by_name["article.html"]
    assert SITE.parse(old.url, old.html.read_bytes()).parser == "suara/2015"
    assert SITE.parse(new.url, new.html.read_bytes()).parser == "suara/2024"


def test_body_found_when_its_classes_move() -> None:
    html = (FIXTURES / "article.html").read_text(encoding="utf-8")
    renamed = html.replace('<div class="article-content">', '<div class="isi-berita">').replace(
        '<article class="detail-content">', '<article class="konten">')
    assert "article-content" not in renamed and "detail-content" not in renamed
    expected = load_expected(FIXTURES, "article")
    article = SITE.parse(expected["url"], renamed)
    assert_same_body(article, expected)


def test_show_all_url() -> None:
    url = "https://www.suara.com/news/2024/11/14/103000/warga-bantul?utm_source=x"
    assert SITE.show_all_url(url) == "https://www.suara.com/news/2024/11/14/103000/warga-bantul?utm_source=x&page=all"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.suara.com/news/2015/06/19/130605/polda-bali-kumpulkan-4-alat-bukti-pembunuhan-angeline", True),
        ("https://www.suara.com/bisnis/2024/11/14/103000/harga-emas-naik", True),
        ("https://jogja.suara.com/read/2024/11/13/140000/warga-sleman-tanam-seribu-pohon", True),
        ("https://www.suara.com/news", False),
        ("https://www.suara.com/tag/bantul", False),
        ("https://www.suara.com/indeks/news", False),
    ],
)
def test_article_urls(url: str, expected: bool) -> None:
    check_article_url(SITE, url, expected)


@pytest.mark.parametrize(
    "url", ["https://www.suara.com/news", "https://www.suara.com/news/2024/11/14/103000/url-shaped-like-an-article"]
)
def test_channel_page_is_not_an_article(url: str) -> None:
    html = """<html><head><meta property="og:type" content="website"><title>Berita Terkini - Suara.com</title></head>
    <body><h1>News</h1><div class="list-item"><h3><a href="/news/2024/11/14/103000/a">A</a></h3>
    <p>Ringkasan berita pertama yang cukup panjang untuk terlihat seperti paragraf di halaman daftar.</p></div>
    </body></html>"""
    with pytest.raises(NotAnArticle) as info:
        SITE.parse(url, html)
    assert info.value.reason in ("not_article_page", "not_article_url")


@pytest.mark.parametrize("label", LABEL_VARIANTS)
def test_related_line_spellings(label: str) -> None:
    check_related_spelling(SITE, FIXTURES, "article", "BACA JUGA:", label)


def test_real_2015_page_when_its_body_ids_move() -> None:
    case = next(c.values[0] for c in CASES if c.values[0].html.stem == "slasherrb_2015_suara")
    check_real_page_when_ids_move(
        SITE, case, ('id="contentImageCaption"', 'id="isi"'), ('class="contentDetail"', 'class="konten"')
    )


def test_page_two_pagination() -> None:
    # Seen from page 2 the pager links page 1 as the bare URL and page 2 is not a link.
    expected = load_expected(FIXTURES, "article-p1")
    url = expected["url"]
    html = (FIXTURES / "article-p1.html").read_text(encoding="utf-8")
    pager = f'<span class="active">1</span> <a href="{url}?page=2">2</a> <a href="{url}?page=2">Selanjutnya</a>'
    assert pager in html
    html = html.replace(pager, f'<a href="{url}">1</a> <span class="active">2</span>')
    pagination = SITE.parse(url + "?page=2", html).pagination
    assert pagination == {"page": 2, "pages": [url, url + "?page=2"], "next": None, "prev": url,
                          "show_all": url + "?page=all"}


def test_list_pages_under_an_article_url_are_rejected() -> None:
    check_list_pages_rejected_under(SITE, "https://www.suara.com/news/2024/11/14/103000/judul-berita")
