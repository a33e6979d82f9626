"""okezone.com profile: saved pages, the current two-page fixture (no show-all: follow ?page=N), URLs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.extract import extract_article
from scraper.model import NotAnArticle
from scraper.sites import get_site
from scraper.spiders.base import merge_pages
from tests.conftest import PAGES
from tests.site_variants import check_variant
from tests.snapshots import check_snapshot, snapshot_cases

FIXTURES = Path(__file__).parent / "fixtures" / "okezone"
SITE = get_site("okezone")
P1, P2 = FIXTURES / "okezone-2024-p1.html", FIXTURES / "okezone-2024-p2.html"
EXP1 = json.loads((FIXTURES / "okezone-2024-p1.expected.json").read_text(encoding="utf-8"))
EXP2 = json.loads((FIXTURES / "okezone-2024-p2.expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", snapshot_cases(PAGES / "okezone", FIXTURES))
def test_snapshot(case):
    check_snapshot(case)


def test_home_page_is_rejected():
    with pytest.raises(NotAnArticle):
        extract_article("http://www.okezone.com/", (PAGES / "okezone" / "anpandu_okezone-mainpage.html").read_bytes())


@pytest.mark.parametrize(
    "url, is_article",
    [
        ("https://otomotif.okezone.com/read/2024/11/14/53/3080001/tips-merawat-sepeda-motor", True),
        ("http://celebrity.okezone.com/read/2017/02/17/33/1620900/cara-indra-birowo", True),
        ("https://news.okezone.com/amp/read/2024/11/14/337/3080002/judul", True),
        ("https://www.okezone.com/tag/banjir", False),
        ("https://otomotif.okezone.com/motor", False),
    ],
)
def test_article_urls(url, is_article):
    assert SITE.is_article_url(url) is is_article


def test_pages_merge_once_in_order():
    assert SITE.multipage == "follow_pages" and SITE.show_all_url(EXP1["url"]) == EXP1["url"]
    first = SITE.parse(EXP1["url"], P1.read_bytes())
    assert first.pagination is not None and first.pagination["next"] == EXP2["url"]
    second = SITE.parse(EXP2["url"], P2.read_bytes())
    assert second.pagination is not None and second.pagination["next"] is None
    whole = merge_pages([first, second])
    assert whole.paragraphs == EXP1["paragraphs"] + EXP2["paragraphs"]
    assert [r.url for r in whole.related] == [r["url"] for r in EXP1["related"] + EXP2["related"]]
    assert whole.dateline == "JAKARTA"


def test_a_single_page_article_has_no_pagination():
    url = "http://celebrity.okezone.com/read/2017/02/17/33/1620900/cara-indra-birowo-jaga-keromantisan-dengan-istri"
    assert SITE.parse(url, (PAGES / "okezone" / "anpandu_okezone-singlepage2.html").read_bytes()).pagination is None


def test_current_layout_survives_renamed_body_class_and_itemprop():
    html = P1.read_text(encoding="utf-8").replace(
        '<div class="c-detail read" id="contentx" itemprop="articleBody">', '<div class="detail-body-v2">'
    )
    article = SITE.parse(EXP1["url"], html)
    assert article.paragraphs == EXP1["paragraphs"]
    assert article.pagination == EXP1["pagination"]


def test_baca_juga_spelled_differently():
    check_variant(SITE, P2, EXP2, ("<p>Baca juga: <a", "<p><strong>Baca Juga :</strong> <a"))
