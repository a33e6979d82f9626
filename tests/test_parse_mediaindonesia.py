"""mediaindonesia.com profile: the real 2026 pages and their fundus ground truth, a renamed body class."""

from __future__ import annotations

import json

import pytest

from scraper.model import NotAnArticle
from scraper.sites import get_site
from tests.conftest import PAGES
from tests.site_variants import assert_same_body, check_article_url, check_list_pages_rejected_under, renamed
from tests.snapshots import SnapshotCase, check_snapshot, paragraph_f1, snapshot_cases

SITE = get_site("mediaindonesia")
CASES = snapshot_cases(PAGES / "mediaindonesia")


@pytest.mark.parametrize("case", CASES)
def test_snapshot(case: SnapshotCase) -> None:
    check_snapshot(case)


@pytest.mark.parametrize("case", CASES)
def test_body_found_when_its_class_moves(case: SnapshotCase) -> None:
    html = renamed(case.html.read_text(encoding="utf-8"), ('<div class="article">', '<div class="story-body-v2">'))
    assert_same_body(SITE.parse(case.url, html), case.expected)


FUNDUS = {
    "MediaIndonesia_2026_01_08": "MediaIndonesia.415a805b98237a3b7b32df45558c687edb7d633e.json",
    "MediaIndonesia_2026_01_20": "MediaIndonesia.f595c7a0b74c49afe48736e854b6c96769422369.json",
}


@pytest.mark.parametrize("stem", sorted(FUNDUS))
def test_agrees_with_fundus_ground_truth(stem: str) -> None:
    # fundus's own expected output (an independent parser's reviewed snapshot) for the same page.
    record = json.loads((PAGES / "mediaindonesia" / FUNDUS[stem]).read_text(encoding="utf-8"))["V1"]
    case = next(c.values[0] for c in CASES if c.values[0].html.stem == stem)
    article = SITE.parse(case.url, case.html.read_bytes())
    theirs = [p for section in record["body"]["sections"] for p in section["headline"] + section["paragraphs"]]
    assert paragraph_f1(theirs, article.paragraphs) > 0.97
    assert article.published is not None and article.published[:16] == record["publishing_date"][:16].replace(" ", "T")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://mediaindonesia.com/ekonomi/848034/ihsg-hari-ini-sempat-tembus-9000", True),
        ("https://mediaindonesia.com/ekonomi", False),
        ("https://mediaindonesia.com/tag/ihsg-hari-ini", False),
        ("https://mediaindonesia.com/author/175/indriyani-astuti", False),
    ],
)
def test_article_urls(url: str, expected: bool) -> None:
    check_article_url(SITE, url, expected)


def test_list_page_is_not_an_article() -> None:
    html = """<html><head><meta property="og:type" content="website"><title>Indeks Berita</title></head>
    <body><h1>Indeks</h1><ul class="list-3"><li><div class="text"><h3><a href="/ekonomi/1/a">A</a></h3></div></li>
    </ul></body></html>"""
    with pytest.raises(NotAnArticle) as info:
        SITE.parse("https://mediaindonesia.com/indeks", html)
    assert info.value.reason in ("not_article_page", "not_article_url")


def test_index_links_read_the_list_3_items() -> None:
    # The article page's "Berita Lainnya" block uses the same ul.list-3 markup as /indeks [CODE news-watch].
    page = PAGES / "mediaindonesia" / "MediaIndonesia_2026_01_08.html"
    links, next_url = SITE.index_links("https://mediaindonesia.com/indeks", page.read_bytes())
    assert len(links) >= 5 and len(set(links)) == len(links)
    assert all(SITE.is_article_url(u) for u in links)
    assert "https://mediaindonesia.com/ekonomi/847913/ihsg-cetak-sejarah-tembus-9000-menkeu-purbaya-tren-bullish-berlanjut" in links
    assert next_url is None


def test_a_modified_time_before_the_publication_is_not_an_update() -> None:
    # 2026-01-08: JSON-LD dateModified 20:19:00 precedes datePublished 20:19:38 (the notes, §14).
    case = next(c.values[0] for c in CASES if c.values[0].html.stem == "MediaIndonesia_2026_01_08")
    article = SITE.parse(case.url, case.html.read_bytes())
    assert article.published == "2026-01-08T20:19:38+07:00" and article.modified is None


def test_list_pages_under_an_article_url_are_rejected() -> None:
    check_list_pages_rejected_under(SITE, "https://mediaindonesia.com/ekonomi/848099/judul-berita")
