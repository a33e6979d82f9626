"""liputan6.com profile: saved pages, the current layout with all pages in one response, index pages."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from scraper.extract import extract_article
from scraper.model import NotAnArticle
from scraper.sites import get_site
from tests.conftest import PAGES, saved_page
from tests.site_variants import check_variant
from tests.snapshots import check_snapshot, snapshot_cases

FIXTURES = Path(__file__).parent / "fixtures" / "liputan6"
SITE = get_site("liputan6")
CURRENT = FIXTURES / "liputan6-2026.html"
EXPECTED = json.loads((FIXTURES / "liputan6-2026.expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", snapshot_cases(PAGES / "liputan6", FIXTURES))
def test_snapshot(case):
    check_snapshot(case)


@pytest.mark.parametrize(
    "name, url",
    [
        ("anpandu_liputan6-mainpage.html", "http://www.liputan6.com/indeks"),
        ("novalufian_2021_m-liputan6-home.html", "https://www.liputan6.com"),
    ],
)
def test_list_and_home_pages_are_rejected(name, url):
    with pytest.raises(NotAnArticle):
        extract_article(url, saved_page("liputan6", name).read_bytes())


@pytest.mark.parametrize(
    "url, is_article",
    [
        ("https://www.liputan6.com/tekno/read/6020001/5-cara-menghemat-kuota", True),
        ("http://tekno.liputan6.com/read/2436773/tri-indonesia-broadband", True),
        ("https://www.liputan6.com/indeks/2026/05/28", False),
        ("https://www.liputan6.com/tag/android", False),
        ("http://photo.liputan6.com/musik/hadiri-grammy-awards-2016-2437247", False),  # a gallery
    ],
)
def test_article_urls(url, is_article):
    assert SITE.is_article_url(url) is is_article


def test_every_page_of_a_split_article_comes_from_one_response_in_page_order():
    assert SITE.multipage == "single_response"
    html = CURRENT.read_text(encoding="utf-8")
    # Serve the two data-page blocks in reverse document order: the merge follows data-page.
    one_start = html.index('<div class="article-content-body__item-page" data-page="1"')
    two_start = html.index('<div class="article-content-body__item-page article-content-body__item-page_hidden"')
    two_end = html.index("</div>\n </div>\n <div class=\"read-page--tags\"")
    swapped = html[:one_start] + html[two_start:two_end] + html[one_start:two_start] + html[two_end:]
    article = SITE.parse(EXPECTED["url"], swapped)
    assert article.paragraphs == EXPECTED["paragraphs"]
    assert article.pagination == {"page": 1, "pages": 2, "next": None, "show_all": None}


def test_current_layout_survives_renamed_body_classes():
    check_variant(SITE, CURRENT, EXPECTED, ("article-content-body", "artikel-konten-v2"))


def test_credits_give_writers_and_editors_by_role():
    url = "http://news.liputan6.com/read/2254252/wapres-jk-dan-ahok-blusukan-dari-udara"
    article = SITE.parse(url, (PAGES / "liputan6" / "slasherrb_2015_liputan6.html").read_bytes())
    assert article.authors == ["Silvanus Alvin", "Hanz Jimenez Salim"]
    assert article.editors == ["Mevi Linawati"]


def test_daily_index_walk():
    assert SITE.daily_index_url(date(2026, 5, 28), 1) == "https://www.liputan6.com/indeks/2026/05/28?page=1"
    links, next_url = SITE.index_links(
        "https://www.liputan6.com/indeks/2026/05/28?page=1", (FIXTURES / "indeks-p1.html").read_bytes()
    )
    assert links == [
        "https://www.liputan6.com/tekno/read/6020001/5-cara-menghemat-kuota-internet-di-ponsel-android",
        "https://www.liputan6.com/showbiz/read/6020002/artikel-yang-tidak-ada-di-mirror",
    ]  # the navigation menu's headline is not an index item
    assert next_url == "https://www.liputan6.com/indeks/2026/05/28?page=2"
    saved = (PAGES / "liputan6" / "anpandu_liputan6-mainpage.html").read_bytes()
    links, next_url = SITE.index_links("http://www.liputan6.com/indeks", saved)
    assert len(links) == 15 and next_url == "http://www.liputan6.com/indeks?page=2"


def test_baca_juga_spelled_differently():
    check_variant(SITE, CURRENT, EXPECTED, ("<p><strong>Baca juga:</strong> <a", "<p>Baca Juga - <a"))


def test_photo_gallery_without_prose_is_not_an_article():
    url = "http://photo.liputan6.com/musik/hadiri-grammy-awards-2016-taylor-swift-dan-selena-gomez-peluk-pelukan-2437247"
    with pytest.raises(NotAnArticle) as err:
        SITE.parse(url, (PAGES / "liputan6" / "anpandu_liputan6-singlepage3.html").read_bytes())
    assert err.value.reason == "not_article_page"
