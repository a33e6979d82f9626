"""antaranews.com profile: saved 2015-16 pages, the current-layout fixture, feeds, URLs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.extract import extract_article
from scraper.model import NotAnArticle
from scraper.sites import get_site
from tests.conftest import PAGES
from tests.site_variants import check_variant
from tests.snapshots import check_snapshot, snapshot_cases

FIXTURES = Path(__file__).parent / "fixtures" / "antaranews"
SITE = get_site("antaranews")
CURRENT = FIXTURES / "antaranews-2024.html"
EXPECTED = json.loads((FIXTURES / "antaranews-2024.expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", snapshot_cases(PAGES / "antara", FIXTURES))
def test_snapshot(case):
    check_snapshot(case)


def test_the_saved_feed_is_not_an_article():
    with pytest.raises(NotAnArticle):
        extract_article("http://www.antaranews.com", (PAGES / "antara" / "anpandu_antara-mainpage.html").read_bytes())


@pytest.mark.parametrize(
    "url, is_article",
    [
        ("https://www.antaranews.com/berita/4470001/bmkg-imbau-warga-pesisir", True),
        ("http://www.antaranews.com/berita/527615/29-penerbangan-bandara-internasional-lombok-dibatalkan", True),
        ("https://m.antaranews.com/amp/berita/4470001/bmkg-imbau-warga-pesisir", True),
        ("https://en.antaranews.com/news/330001/indonesia-to-host-summit", True),
        ("https://www.antaranews.com/foto/4470002/gelombang-tinggi", False),
        ("https://www.antaranews.com/humaniora", False),
    ],
)
def test_article_urls(url, is_article):
    assert SITE.is_article_url(url) is is_article


def test_two_reporters_in_one_byline():
    url = "http://www.antaranews.com/berita/546643/prostitusi-ditenggarai-sudah-merambah-ke-pelajar-lampung"
    article = SITE.parse(url, (PAGES / "antara" / "anpandu_antara-singlepage2.html").read_bytes())
    assert article.authors == ["Budisantoso Budiman", "Agus S"]
    assert article.dateline == "Bandarlampung, Lampung"


def test_current_layout_survives_a_renamed_body_class():
    swap = ('class="wrap__article-detail-content post-content"', 'class="article-body-v2"')
    article = check_variant(SITE, CURRENT, EXPECTED, swap)
    assert article.authors == EXPECTED["authors"] and article.editors == EXPECTED["editors"]


def test_baca_juga_spelled_differently_without_its_class():
    check_variant(SITE, CURRENT, EXPECTED, ('<p class="baca-juga">Baca juga: <a', "<p>BACA JUGA: <a"))
