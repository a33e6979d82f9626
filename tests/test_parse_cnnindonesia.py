"""cnnindonesia.com profile: current-layout fixtures, a renamed body class, list pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.sites import get_site
from tests.site_variants import (
    LABEL_VARIANTS, check_article_url, check_body_when_class_moves, check_list_page_is_not_an_article,
    check_list_pages_rejected_under, check_related_spelling, load_expected,
)
from tests.snapshots import SnapshotCase, check_snapshot, snapshot_cases

SITE = get_site("cnnindonesia")
FIXTURES = Path(__file__).parent / "fixtures" / "cnnindonesia"
CASES = snapshot_cases(FIXTURES)


@pytest.mark.parametrize("case", CASES)
def test_snapshot(case: SnapshotCase) -> None:
    check_snapshot(case)


def test_body_found_when_its_class_moves() -> None:
    check_body_when_class_moves(
        SITE, FIXTURES, ('class="detail-text text-cnn_black text-sm grow min-w-0"', 'class="isi-artikel"'),
        ('class="detail-wrap flex gap-4 relative"', 'class="flex gap-4"')
    )


def test_byline_found_by_its_suffix_when_classes_move() -> None:
    html = (FIXTURES / "article.html").read_text(encoding="utf-8").replace("text-cnn_black_light3", "byline-x")
    url = load_expected(FIXTURES, "article")["url"]
    assert SITE.parse(url, html).authors == ["Yohanes Purba"]


def test_brand_only_byline_gives_no_author() -> None:
    # The usual byline is just "CNN Indonesia" and the JSON-LD author name is empty: no person to record.
    html = (FIXTURES / "article.html").read_text(encoding="utf-8").replace("Yohanes Purba | CNN Indonesia", "CNN Indonesia")
    url = load_expected(FIXTURES, "article")["url"]
    assert SITE.parse(url, html).authors == []


def test_dateline_in_its_own_element_is_merged_into_the_first_paragraph() -> None:
    url = load_expected(FIXTURES, "article")["url"]
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
    check_article_url(SITE, url, expected)


@pytest.mark.parametrize("url", ["https://www.cnnindonesia.com/nasional", "https://www.cnnindonesia.com/nasional/20241114103000-20-1/judul"])
def test_list_page_is_not_an_article(url: str) -> None:
    check_list_page_is_not_an_article(SITE, url, "https://www.cnnindonesia.com/nasional/20241114103000-20-1/judul")


@pytest.mark.parametrize("label", LABEL_VARIANTS)
def test_related_line_spellings(label: str) -> None:
    check_related_spelling(SITE, FIXTURES, "article", "Baca juga:", label)


def test_list_pages_under_an_article_url_are_rejected() -> None:
    check_list_pages_rejected_under(
        SITE, "https://www.cnnindonesia.com/nasional/20241114103000-20-1166099/judul-berita"
    )
