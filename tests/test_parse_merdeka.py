"""merdeka.com profile: the real 2015 page, the current-layout fixture, homepages, a renamed body class."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.model import NotAnArticle
from scraper.sites import get_site
from tests.conftest import PAGES, saved_page
from tests.site_variants import (
    check_article_url, check_body_when_class_moves, check_list_pages_rejected_under, check_real_page_when_ids_move,
    load_expected,
)
from tests.snapshots import SnapshotCase, check_snapshot, snapshot_cases

SITE = get_site("merdeka")
FIXTURES = Path(__file__).parent / "fixtures" / "merdeka"
CASES = snapshot_cases(PAGES / "merdeka", FIXTURES)


@pytest.mark.parametrize("case", CASES)
def test_snapshot(case: SnapshotCase) -> None:
    check_snapshot(case)


@pytest.mark.parametrize(
    ("name", "url"),
    [("georgemarche_2020_merdeka-home.html", "https://www.merdeka.com/"),
     ("novalufian_2021_m-merdeka-home.html", "https://m.merdeka.com/")],
)
def test_homepages_are_rejected(name: str, url: str) -> None:
    # The 2021 mobile home declares og:type "article": the root URL and canonical give it away.
    with pytest.raises(NotAnArticle) as info:
        SITE.parse(url, saved_page("merdeka", name).read_bytes())
    assert info.value.reason == "not_article_page"


def test_body_found_when_its_class_moves() -> None:
    check_body_when_class_moves(SITE, FIXTURES, ('<div class="articles-content__body">', '<div class="dtl-content">'))


def test_all_pages_in_one_response() -> None:
    # The 2023 layout inlines every page of a multi-page article, split by div.page-break markers.
    expected = load_expected(FIXTURES, "article")
    article = SITE.parse(expected["url"], (FIXTURES / "article.html").read_bytes())
    assert SITE.multipage == "single_response" and article.pagination is None
    assert article.paragraphs[3].startswith("Tahun ini produksi garam")  # the first paragraph of page 2


def test_layout_versions() -> None:
    by_name = {c.values[0].html.name: c.values[0] for c in CASES}
    old, new = by_name["slasherrb_2015_merdeka.html"], by_name["article.html"]
    assert SITE.parse(old.url, old.html.read_bytes()).parser == "merdeka/2015"
    assert SITE.parse(new.url, new.html.read_bytes()).parser == "merdeka/2023"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.merdeka.com/peristiwa/kisah-penjaga-penjara-guantanamo-yang-beralih-memeluk-islam.html", True),
        ("https://www.merdeka.com/peristiwa/read/8253998/perintah-dirjen-imigrasi-soal-event-lari", True),
        ("https://www.merdeka.com/foto/read/8253682/galeri-foto", False),
        ("https://www.merdeka.com/", False),
        ("https://www.merdeka.com/peristiwa/", False),
        ("https://www.merdeka.com/company/kontak-kami.html", False),
        ("https://www.merdeka.com/tag/w/wisma-atlet-kemayoran/", False),
    ],
)
def test_article_urls(url: str, expected: bool) -> None:
    check_article_url(SITE, url, expected)


def test_real_2015_page_when_its_body_ids_move() -> None:
    case = next(c.values[0] for c in CASES if c.values[0].html.stem == "slasherrb_2015_merdeka")
    check_real_page_when_ids_move(SITE, case, ('id="mdk-body-newsarea"', 'id="isi-berita"'))


def test_related_box_with_a_loose_label_and_a_list() -> None:
    # A "Baca Juga" box whatever its class: a bare label followed by a list of links.
    expected = load_expected(FIXTURES, "article")
    html = (FIXTURES / "article.html").read_text(encoding="utf-8")
    box = html[html.index('<div class="bg-primary-50'):]
    box = box[: box.index("</div>") + len("</div>")]
    first = expected["related"][0]
    variant = (f'<div class="rekomendasi-x"><span>Baca Juga</span><ul><li><a href="{first["url"]}">{first["title"]}</a></li>'
               '<li><a href="https://www.merdeka.com/uang/read/8250000/stok-garam-aman">Stok Garam Aman</a></li></ul></div>')
    article = SITE.parse(expected["url"], html.replace(box, variant))
    assert article.paragraphs == expected["paragraphs"]
    assert [r.url for r in article.related][:2] == [first["url"], "https://www.merdeka.com/uang/read/8250000/stok-garam-aman"]


def test_list_pages_under_an_article_url_are_rejected() -> None:
    check_list_pages_rejected_under(SITE, "https://www.merdeka.com/peristiwa/read/8253999/judul-berita")
