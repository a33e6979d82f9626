"""detik.com profile: the real saved pages, the current-layout fixture, list pages, URLs, index, pages."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from scraper.extract import extract_article
from scraper.model import NotAnArticle
from scraper.sites import get_site, site_for_url
from tests.conftest import PAGES, saved_page
from tests.site_variants import check_variant
from tests.snapshots import check_snapshot, snapshot_cases

FIXTURES = Path(__file__).parent / "fixtures" / "detik"
SITE = get_site("detik")
CURRENT = FIXTURES / "detik-2024.html"
EXPECTED = json.loads((FIXTURES / "detik-2024.expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", snapshot_cases(PAGES / "detik", FIXTURES))
def test_snapshot(case):
    check_snapshot(case)


@pytest.mark.parametrize(
    "name, url",
    [
        ("anpandu_detik-mainpage.html", "http://news.detik.com/"),  # an RSS feed
        ("nathanaelfd10_2024_news-detik-indeks.html", "https://news.detik.com/indeks"),
        ("nufatID_2022_www-detik-com-home.html", "https://www.detik.com"),
        ("ramdanriawan_2017_www-detik-com-home.html", "https://www.detik.com"),
    ],
)
def test_list_and_home_pages_are_rejected(name, url):
    with pytest.raises(NotAnArticle) as err:
        extract_article(url, saved_page("detik", name).read_bytes())
    assert err.value.reason in ("not_article_page", "not_article_url", "no_body", "not_html")


@pytest.mark.parametrize(
    "url, is_article",
    [
        ("https://news.detik.com/berita/d-7572645/siswa-berkebutuhan-khusus-diduga-dibully", True),
        ("https://www.detik.com/jatim/berita/d-7572001/banjir-di-sidoarjo", True),
        ("https://finance.detik.com/berita-ekonomi-bisnis/d-7570000/harga-emas-naik", True),
        ("http://news.detik.com/berita/2943745/mahasiswa-ugm-kembangkan-robot-terapi-pascastroke", True),
        ("http://inet.detik.com/read/2015/11/05/100026/3062623/323/google-umbar-kelemahan-galaxy-s6-edge", True),
        ("https://news.detik.com/indeks", False),
        ("https://news.detik.com/indeks/2", False),
        ("https://www.detik.com/tag/banjir", False),
        ("https://20.detik.com/detikupdate/20241004-241004100/video-pd-tak-masalah", False),
        ("https://www.kompas.com/read/2024/11/14/083000170/x", False),
        ("http://finance.detik.com/readfoto/2016/02/23/153201/3149106/461/1/gardu-induk-milenium-pln", False),
        ("https://news.detik.com/foto-news/d-7650002/galeri-banjir", False),
    ],
)
def test_article_urls(url, is_article):
    assert SITE.is_article_url(url) is is_article


def test_photo_galleries_are_skipped():
    url = "http://finance.detik.com/readfoto/2016/02/23/153201/3149106/461/1/gardu-induk-milenium-pln-resmi-beroperasi"
    with pytest.raises(NotAnArticle) as err:
        SITE.parse(url, (PAGES / "detik" / "anpandu_detik-singlepage2.html").read_bytes())
    assert err.value.reason == "not_article_page"


def test_profile_owns_every_detik_host_and_shows_all_pages():
    assert site_for_url("https://hot.detik.com/celeb/d-1/x") is SITE
    assert SITE.multipage == "show_all"
    assert SITE.show_all_url(EXPECTED["url"]) == EXPECTED["url"] + "?single=1"
    assert SITE.daily_index_url(date(2024, 10, 4), 2) == "https://news.detik.com/indeks?page=2&date=10%2F04%2F2024"


def test_current_layout_survives_a_renamed_body_class():
    check_variant(SITE, CURRENT, EXPECTED,
                  ('class="detail__body-text itp_bodycontent"', 'class="detail__content-text-v2"'))


def test_baca_juga_spelled_differently_is_still_lifted():
    html = CURRENT.read_text(encoding="utf-8").replace("<p>Baca juga: <a", "<p>BACA JUGA - <a")
    article = SITE.parse(EXPECTED["url"], html)
    assert article.paragraphs == EXPECTED["paragraphs"]
    assert len(article.related) == 2


def test_split_article_reports_its_pages():
    nav = (
        '<div class="detail__long-nav"><a href="?page=1" class="detail__anchor-numb">1</a>'
        '<a href="?page=2" class="detail__anchor-numb">2</a><a href="?page=3">3</a></div></article>'
    )
    html = CURRENT.read_text(encoding="utf-8").replace("</article>", nav, 1)
    article = SITE.parse(EXPECTED["url"], html)
    assert article.pagination == {
        "page": 1,
        "pages": 3,
        "next": EXPECTED["url"] + "?page=2",
        "show_all": EXPECTED["url"] + "?single=1",
    }
    assert "1 2 3" not in article.body
    assert SITE.parse(EXPECTED["url"], CURRENT.read_bytes()).pagination is None


def test_index_page_links_in_order_without_videos_and_galleries():
    page = saved_page("detik", "nathanaelfd10_2024_news-detik-indeks.html")
    links, next_url = SITE.index_links("https://news.detik.com/indeks", page.read_bytes())
    assert len(links) == 15  # 20 items: 4 are 20.detik.com videos, 1 a foto-news gallery
    assert links[0] == "https://news.detik.com/berita/d-7572645/siswa-berkebutuhan-khusus-diduga-dibully-pihak-sekolah-minta-maaf"
    assert all(SITE.is_article_url(u) for u in links)
    assert next_url == "https://news.detik.com/indeks/2"


def test_show_all_view_without_canonical_link_names_the_article():
    html = CURRENT.read_text(encoding="utf-8")
    html = html.replace('<link rel="canonical"', '<link rel="x-canonical"').replace('property="og:url"', 'property="x-og-url"')
    article = SITE.parse(EXPECTED["url"] + "?single=1", html)
    assert article.canonical_url == EXPECTED["canonical_url"]


# Issue 12 §4: current-layout bylines name the channel ("Nama – detikNews", "Tim detikcom", one channel per
# writer); the authors are the people only. Each variant puts the byline in the visible credit and in the meta.
_BYLINE = '<div class="detail__author">Wisma Putra - detikNews</div>'


@pytest.mark.parametrize(
    ("byline", "people"),
    [
        ("Wisma Putra – detikNews", ["Wisma Putra"]),
        ("Wisma Putra — detikNews", ["Wisma Putra"]),
        ("Wisma Putra&nbsp;-&nbsp;detikNews", ["Wisma Putra"]),
        ("Wisma Putra -detikNews", ["Wisma Putra"]),
        ("Wisma Putra | detikFinance", ["Wisma Putra"]),
        ("Wisma Putra - <span>detikNews</span>", ["Wisma Putra"]),
        ("Tim detikcom", []),
        ("Tim detikNews - detikNews", []),
        ("detikNews", []),
        ("Wisma Putra - detikSport, Rahel Narda - detikSport", ["Wisma Putra", "Rahel Narda"]),
        ("Wisma Putra – detikNews, Rahel Narda — detikFinance", ["Wisma Putra", "Rahel Narda"]),
        ("Wisma Putra, Rahel Narda - detikHealth", ["Wisma Putra", "Rahel Narda"]),
        ("Wisma Putra dan Rahel Narda – detikJabar", ["Wisma Putra", "Rahel Narda"]),
        ("Wisma Putra & Tim detikcom - detikNews", ["Wisma Putra"]),
        ("Penulis: Wisma Putra - detikNews", ["Wisma Putra"]),
        ("Timothy Sembiring - detikNews", ["Timothy Sembiring"]),
    ],
)
def test_current_bylines_give_the_people_never_the_channel(byline: str, people: list[str]) -> None:
    html = CURRENT.read_text(encoding="utf-8")
    assert _BYLINE in html
    plain = re.sub(r"<[^>]+>", "", byline).replace("&nbsp;", "\u00a0")
    html = html.replace(_BYLINE, f'<div class="detail__author">{byline}</div>')
    html = html.replace('content="Wisma Putra"', f'content="{plain}"')
    html = html.replace('"name":"Wisma Putra"', f'"name":"{plain}"')
    assert SITE.parse(EXPECTED["url"], html).authors == people
