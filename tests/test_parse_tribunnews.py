"""tribunnews.com profile (national and regional sites): saved pages, current fixture, pages, URLs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.extract import extract_article
from scraper.model import NotAnArticle
from scraper.sites import get_site, site_for_url
from tests.conftest import PAGES, saved_page
from tests.site_variants import check_variant
from tests.snapshots import check_snapshot, snapshot_cases

FIXTURES = Path(__file__).parent / "fixtures" / "tribunnews"
SITE = get_site("tribunnews")
CURRENT = FIXTURES / "tribunnews-2024.html"
EXPECTED = json.loads((FIXTURES / "tribunnews-2024.expected.json").read_text(encoding="utf-8"))
SOLO_2020 = "georgemarche_2020_solo-tribunnews-article.html"  # may not be copied: read from ../shared


@pytest.mark.parametrize("case", snapshot_cases(PAGES / "tribunnews", FIXTURES))
def test_snapshot(case):
    check_snapshot(case)


@pytest.mark.parametrize(
    "url, is_article",
    [
        ("https://www.tribunnews.com/nasional/2024/11/14/dpr-gelar-rapat-paripurna", True),
        ("https://solo.tribunnews.com/2020/10/09/protokol-kesehatan-3m-adalah-vaksin-terbaik", True),
        ("https://makassar.tribunnews.com/2024/11/14/banjir-rob-di-pesisir", True),
        ("https://www.tribunnews.com/amp/nasional/2024/11/14/dpr-gelar-rapat-paripurna", True),
        ("https://www.tribunnews.com/topic/musim-hujan", False),
        ("https://www.tribunnews.com/tag/klaten", False),
        ("https://www.tribunnews.com/", False),
    ],
)
def test_article_urls(url, is_article):
    assert SITE.is_article_url(url) is is_article


def test_home_page_is_rejected():
    with pytest.raises(NotAnArticle):
        extract_article("https://www.tribunnews.com/", saved_page("detik", "nufatID_2022_www-detik-com-home.html").read_bytes())


def test_regional_sites_use_the_same_profile_and_page_all():
    assert site_for_url("https://jateng.tribunnews.com/2024/11/14/x") is SITE
    assert SITE.show_all_url(EXPECTED["canonical_url"]) == EXPECTED["url"]


def test_page_one_of_two_points_at_the_next_page_and_the_show_all_view():
    url = "https://solo.tribunnews.com/2020/10/09/protokol-kesehatan-3m-adalah-vaksin-terbaik-cegah-covid-19-simak-penjelasan-dokter"
    article = SITE.parse(url, saved_page("tribunnews", SOLO_2020).read_bytes())
    assert article.pagination == {"page": 1, "pages": 2, "next": url + "?page=2", "show_all": url + "?page=all"}
    # The ?page=all rendering is whole: nothing left to fetch.
    assert SITE.parse(EXPECTED["url"], CURRENT.read_bytes()).pagination is None


def test_current_layout_survives_renamed_body_class_and_credit_ids():
    article = check_variant(
        SITE, CURRENT, EXPECTED,
        ('class="side-article txt-article multi-fontsize"', 'class="content-article-body"'),
        ('id="penulis"', 'class="credit-writer"'),
        ('id="editor"', 'class="credit-editor"'),
        related_by="title",
    )
    assert article.authors == EXPECTED["authors"] and article.editors == EXPECTED["editors"]


def test_report_line_opening_the_body_is_the_byline():
    html = (
        CURRENT.read_text(encoding="utf-8")
        .replace('<div id="penulis">Penulis: <a href="https://solo.tribunnews.com/penulis/dimas-arya">Dimas Arya Wicaksana</a></div>', "")
        .replace(
            '<p><strong>TRIBUNSOLO.COM, KLATEN</strong>',
            '<p><strong>Laporan Wartawan TribunSolo.com, Dimas Arya Wicaksana</strong></p>\n    <p><strong>TRIBUNSOLO.COM, KLATEN</strong>',
        )
    )
    article = SITE.parse(EXPECTED["url"], html)
    assert article.authors == ["Dimas Arya Wicaksana"]
    assert article.paragraphs == EXPECTED["paragraphs"]
    assert article.dateline == "KLATEN"


def test_baca_juga_spelled_differently_without_its_class():
    check_variant(SITE, CURRENT, EXPECTED, ('<p class="baca">Baca juga: <a', "<p>Baca Juga : <a"))
