"""cnbcindonesia.com profile: current-layout fixtures (a two-page article), a renamed body class, list pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.sites import get_site
from tests.site_variants import (
    check_article_url, check_body_when_class_moves, check_list_page_is_not_an_article,
    check_list_pages_rejected_under,
)
from tests.snapshots import SnapshotCase, check_snapshot, snapshot_cases

SITE = get_site("cnbcindonesia")
FIXTURES = Path(__file__).parent / "fixtures" / "cnbcindonesia"
CASES = snapshot_cases(FIXTURES)


@pytest.mark.parametrize("case", CASES)
def test_snapshot(case: SnapshotCase) -> None:
    check_snapshot(case)


def test_body_found_when_its_class_moves() -> None:
    check_body_when_class_moves(SITE, FIXTURES, ('<div class="detail-text">', '<div class="konten-berita">'))


def test_pages_follow_in_order_and_share_one_identity() -> None:
    p1, p2 = (json.loads((FIXTURES / f).read_text(encoding="utf-8"))
              for f in ("article.expected.json", "article-p2.expected.json"))
    first = SITE.parse(p1["url"], (FIXTURES / "article.html").read_bytes())
    second = SITE.parse(first.pagination["next"], (FIXTURES / "article-p2.html").read_bytes())
    assert first.canonical_url == second.canonical_url
    assert second.pagination["next"] is None
    assert SITE.multipage == "follow_pages"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.cnbcindonesia.com/news/20241114103000-4-588210/harga-cabai-rawit-naik", True),
        ("https://www.cnbcindonesia.com/news/20241114103000-4-588210/harga-cabai-rawit-naik/2", True),
        ("https://www.cnbcindonesia.com/market/20240101-17-401234/ihsg-dibuka", True),
        ("https://www.cnbcindonesia.com/news", False),
        ("https://www.cnbcindonesia.com/tag/harga-cabai", False),
    ],
)
def test_article_urls(url: str, expected: bool) -> None:
    check_article_url(SITE, url, expected)


@pytest.mark.parametrize("url", ["https://www.cnbcindonesia.com/news", "https://www.cnbcindonesia.com/news/20241114103000-4-1/judul"])
def test_list_page_is_not_an_article(url: str) -> None:
    check_list_page_is_not_an_article(SITE, url, "https://www.cnbcindonesia.com/news/20241114103000-4-1/judul")


def test_list_pages_under_an_article_url_are_rejected() -> None:
    check_list_pages_rejected_under(SITE, "https://www.cnbcindonesia.com/news/20241114103000-4-588299/judul-berita")
