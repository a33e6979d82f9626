"""sindonews.com profile: current-layout fixtures (a body of loose text split by <br>), a renamed body class, list pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.sites import get_site
from tests.site_variants import (
    LABEL_VARIANTS, assert_same_body, check_article_url, check_body_when_class_moves,
    check_list_page_is_not_an_article, check_list_pages_rejected_under, check_related_spelling, load_expected,
)
from tests.snapshots import SnapshotCase, check_snapshot, snapshot_cases

SITE = get_site("sindonews")
FIXTURES = Path(__file__).parent / "fixtures" / "sindonews"
CASES = snapshot_cases(FIXTURES)


@pytest.mark.parametrize("case", CASES)
def test_snapshot(case: SnapshotCase) -> None:
    check_snapshot(case)


def test_body_found_when_its_class_moves() -> None:
    check_body_when_class_moves(
        SITE, FIXTURES, ('<div class="detail-desc" id="detail-desc">', '<div class="isi-berita">')
    )


def test_show_all_view_needs_no_article_jsonld() -> None:
    # ?showpage=all carries only BreadcrumbList JSON-LD: title, writer and date come from the page.
    page1, whole = (json.loads((FIXTURES / f).read_text(encoding="utf-8"))
                    for f in ("article.expected.json", "article-all.expected.json"))
    assert SITE.show_all_url(page1["url"]) == whole["url"]
    assert page1["pagination"]["show_all"] == whole["url"]
    article = SITE.parse(whole["url"], (FIXTURES / "article-all.html").read_bytes())
    assert article.canonical_url == page1["url"] and article.pagination is None
    assert article.paragraphs[: len(page1["paragraphs"])] == page1["paragraphs"]


def test_page_two_has_the_same_identity() -> None:
    url = load_expected(FIXTURES, "article")["url"]
    html = (FIXTURES / "article.html").read_text(encoding="utf-8").replace(f'href="{url}"', f'href="{url}/5"', 1)
    assert SITE.parse(url + "/5", html).canonical_url == url


def test_daily_index_links() -> None:
    day_url = SITE.daily_index_url(__import__("datetime").date(2024, 11, 14))
    assert day_url == "https://www.sindonews.com/indeks/0/0?t=2024-11-14"
    html = """<html><body><div class="warp-article"><div class="title-article">
    <a href="https://nasional.sindonews.com/read/1478523/12/kpu-mulai-1731555000">KPU</a></div></div>
    <div class="warp-article"><div class="title-article">
    <a href="https://ekbis.sindonews.com/read/1478524/178/ihsg-1731555100">IHSG</a></div></div>
    <a href="https://www.sindonews.com/tag/kpu">kpu</a>
    <div class="pagination"><a href="https://www.sindonews.com/indeks/0/20?t=2024-11-14">2</a></div></body></html>"""
    links, nxt = SITE.index_links(day_url, html)
    assert links == ["https://nasional.sindonews.com/read/1478523/12/kpu-mulai-1731555000",
                     "https://ekbis.sindonews.com/read/1478524/178/ihsg-1731555100"]
    assert nxt == "https://www.sindonews.com/indeks/0/20?t=2024-11-14"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://nasional.sindonews.com/read/1478523/12/kpu-mulai-distribusikan-logistik-1731555000", True),
        ("https://www.sindonews.com/read/1478523/12/kpu-mulai-1731555000", True),
        ("https://ekbis.sindonews.com/read/1731775/178/ihsg-sesi-siang-1784873276/5", True),
        ("https://nasional.sindonews.com/more/12", False),
        ("https://www.sindonews.com/feed", False),
        ("https://tag.sindonews.com/tag/1/kpu", False),
    ],
)
def test_article_urls(url: str, expected: bool) -> None:
    check_article_url(SITE, url, expected)


@pytest.mark.parametrize("url", ["https://nasional.sindonews.com/more/12", "https://nasional.sindonews.com/read/1/12/judul-1731555000"])
def test_list_page_is_not_an_article(url: str) -> None:
    check_list_page_is_not_an_article(SITE, url, "https://nasional.sindonews.com/read/1/12/judul-1731555000")


@pytest.mark.parametrize("label", LABEL_VARIANTS)
def test_related_line_spellings(label: str) -> None:
    check_related_spelling(SITE, FIXTURES, "article-all", "Baca Juga ", label + " ")


def test_related_link_with_a_break_inside_it() -> None:
    # "<strong>Baca Juga:</strong> <a>Judul<br></a> <br>" keeps the link whole (seen on the live site).
    expected = load_expected(FIXTURES, "article-all")
    html = (FIXTURES / "article-all.html").read_text(encoding="utf-8")
    old = "Kapal Perintis Angkut Kotak Suara ke Pulau Terluar</a><br><br>"
    assert old in html
    html = html.replace(old, "Kapal Perintis Angkut Kotak Suara ke Pulau Terluar<br></a> <br>").replace(
        "Baca Juga <a", "<strong>Baca Juga:</strong> <a")
    article = SITE.parse(expected["url"], html)
    assert_same_body(article, expected)


def test_list_pages_under_an_article_url_are_rejected() -> None:
    check_list_pages_rejected_under(SITE, "https://nasional.sindonews.com/read/1478599/12/judul-berita-1731555000")
