"""tempo.co profile (Indonesian and English editions): saved pages, the Nuxt-era fixture, URLs."""

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

FIXTURES = Path(__file__).parent / "fixtures" / "tempo"
SITE = get_site("tempo")
CURRENT = FIXTURES / "tempo-2025.html"
EXPECTED = json.loads((FIXTURES / "tempo-2025.expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", snapshot_cases(PAGES / "tempo", FIXTURES))
def test_snapshot(case):
    check_snapshot(case)


@pytest.mark.parametrize(
    "name, url",
    [("anpandu_tempo-mainpage.html", "http://www.tempo.co/engine"), ("anpandu_tempoen-mainpage.html", "http://en.tempo.co/")],
)
def test_home_pages_are_rejected(name, url):
    with pytest.raises(NotAnArticle):
        extract_article(url, (PAGES / "tempo" / name).read_bytes())


@pytest.mark.parametrize(
    "url, is_article",
    [
        ("http://gaya.tempo.co/read/news/2015/11/05/060716092/ini-7-alasan-mengapa-orang-malas-bergerak", True),
        ("http://en.tempo.co/read/news/2015/11/04/055715684,uk.html/Indonesia-can-Learn-from-Finlands-Peatland-Fire-Case-Pratikno", True),
        ("https://nasional.tempo.co/read/1701234/judul-berita", True),
        ("https://en.tempo.co/read/1801234/indonesia-news-title", True),
        ("https://www.tempo.co/ekonomi/pemerintah-perpanjang-insentif-pajak-1230001", True),
        ("https://www.tempo.co/ekonomi", False),
        ("https://www.tempo.co/topik/kendaraan-listrik", False),
    ],
)
def test_article_urls(url, is_article):
    assert SITE.is_article_url(url) is is_article


def test_english_edition_is_recorded_as_english():
    url = "http://en.tempo.co/read/news/2015/11/04/055715684,uk.html/Indonesia-can-Learn-from-Finlands-Peatland-Fire-Case-Pratikno"
    article = SITE.parse(url, (PAGES / "tempo" / "anpandu_tempoen-singlepage.html").read_bytes())
    assert article.language == "en"
    assert article.authors == []  # the closing "ANTARA" line is a wire credit, not a writer


def test_current_layout_survives_without_itemprop_and_class():
    swap = ('id="content-wrapper" class="detail-content text-neutral-1200" itemprop="articleBody"', 'class="prose"')
    check_variant(SITE, CURRENT, EXPECTED, swap, related_by="title")


def test_baca_juga_spelled_differently():
    check_variant(SITE, CURRENT, EXPECTED, ("<p><strong>Baca juga:</strong> <a", "<p>BACA JUGA: <a"))
