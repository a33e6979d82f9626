"""The one layout kit every site profile uses (scraper/sites/common.py); its speed tricks are in test_fast.py."""

from __future__ import annotations


import lxml.html
import pytest

from scraper.sites import common


@pytest.mark.parametrize(
    "machine, visible, expected",
    [
        # UTC JSON-LD shown in the page's zone (Liputan6 2016).
        ("2016-02-16T02:10:56Z", "on 16 Feb 2016 at 09:10 WIB", "2016-02-16T09:10:56+07:00"),
        # A zoneless machine value takes the visible zone (Okezone 2017).
        ("2017-02-17 13:30:08", "Jum'at, 17 Februari 2017 - 13:30 wib", "2017-02-17T13:30:08+07:00"),
        # The visible time has no zone, the machine value has one (Tribun 2020).
        ("2020-10-09T13:52:50+07:00", "Jumat, 9 Oktober 2020 13:52", "2020-10-09T13:52:50+07:00"),
        # Disagreeing by more than a minute: the visible time wins (detik 2016 upload time in the meta).
        ("2016-02-23 16:00:20", "Selasa, 23/02/2016 15:32 WIB", "2016-02-23T15:32:00+07:00"),
        # WITA on a regional page.
        (None, "Kamis, 14 November 2024 09:15 WITA", "2024-11-14T09:15:00+08:00"),
        # Neither names a zone: the site's zone (issue 12: never a naive timestamp; was naive).
        ("2020-10-09 13:52:50", "Jumat, 9 Oktober 2020 13:52", "2020-10-09T13:52:50+07:00"),
        ("2020-10-09 13:52:50", None, "2020-10-09T13:52:50+07:00"),
        (None, "Jumat, 9 Oktober 2020 13:52", "2020-10-09T13:52:00+07:00"),
        # Only a machine value: shown in WIB.
        ("2024-11-14T05:00:00Z", None, "2024-11-14T12:00:00+07:00"),
        (None, None, None),
    ],
)
def test_choose_published(machine, visible, expected):
    assert common.choose_published(machine, visible) == expected


def test_modified_is_dropped_when_it_is_the_published_instant_or_earlier():
    assert common.later_modified("2024-11-14T12:00:00+07:00", "2024-11-14T05:00:00+00:00") is None
    assert common.later_modified("2024-11-14T12:00:00+07:00", "2024-11-14T16:40:00+07:00") == "2024-11-14T16:40:00+07:00"
    assert common.later_modified("2024-11-14T12:00:00+07:00", None) is None
    # Media Indonesia writes a dateModified before datePublished: not a modification.
    assert common.later_modified("2026-01-08T10:21:00+07:00", "2026-01-08T10:20:00+07:00") is None
    # Naive against zoned cannot be compared: kept.
    assert common.later_modified("2026-01-08T10:21:00", "2026-01-08T10:20:00+07:00") == "2026-01-08T10:20:00+07:00"


def test_credit_lines_are_found_by_their_label_whatever_holds_them():
    tree = lxml.html.fromstring(
        "<html><body><div><div>Penulis: Glery Lazuardi </div><div> Editor: Willy Widianto</div></div>"
        "<p class='x'>Pewarta: Ahmad<br>Editor: Budi<br>COPYRIGHT ANTARA</p>"
        "<div class='byline'>Pewarta: <span>A dan B</span></div>"
        "<p>Penulis: this line is part of a very long paragraph of body text that goes on and on well past any "
        "plausible credit line, so it must not be read as a byline at all, whatever its first word says.</p>"
        "</body></html>"
    )
    assert common.labelled_values(tree, ("penulis", "pewarta")) == ["Glery Lazuardi", "Ahmad", "A dan B"]
    assert common.labelled_values(tree, ("editor",)) == ["Willy Widianto", "Budi"]
    assert common.split_names("Budisantoso Budiman dan Agus S") == ["Budisantoso Budiman", "Agus S"]
    one_line = lxml.html.fromstring("<html><body><h6>Penulis: <a>Rina Ayu</a> | Editor: <a>Dodi Hasanuddin</a></h6></body></html>")
    assert common.labelled_values(one_line, ("penulis",)) == ["Rina Ayu"]
    assert common.labelled_values(one_line, ("editor",)) == ["Dodi Hasanuddin"]


def test_body_falls_back_to_the_densest_block_when_the_class_moved():
    prose = "<p>" + "Kalimat berita yang cukup panjang untuk dihitung. " * 8 + "</p>"
    tree = lxml.html.fromstring(
        f"<html><body><div class='tags side-article'>Klaten</div><div class='menu'>{prose}</div>"
        f"<div class='isi-v2'>{prose}{prose}</div></body></html>"
    )
    body, fast = common.find_body(tree, ("div.side-article",))
    assert body.get("class") == "isi-v2" and fast is False


@pytest.mark.parametrize(
    "url, pages, expected",
    [
        ("https://x.okezone.com/read/a", {1: "a", 2: "a?page=2"}, {"page": 1, "pages": 2, "next": "a?page=2", "show_all": None}),
        ("https://x.okezone.com/read/a?page=2", {1: "a", 2: "a?page=2"}, {"page": 2, "pages": 2, "next": None, "show_all": None}),
        ("https://x.okezone.com/read/a", {}, None),
        ("https://x.tribunnews.com/2020/a?page=all", {1: "a", 2: "a?page=2"}, None),
    ],
)
def test_pagination_info(url, pages, expected):
    assert common.pagination_info(url, pages, show_all=None) == expected


# --- the Page helpers of the declarative profiles (merged from the former _pagekit) -------------------

PAGE_HTML = """<html><head><title>t</title><link rel="canonical" href="https://www.suara.com/news/2024/11/14/101500/judul">
</head><body><div class="head"><span class="date">Kamis, 14 November 2024 | 10:15 WIB</span></div>
<div class="wrap"><div class="byline">Reporter: <b>Rina Ayu</b> | Suara.com</div></div>
<div class="pager"><a href="/news/2024/11/14/101500/judul?page=2">2</a><a href="?page=3">3</a>
<a href="/news/2024/11/14/101500/judul?page=all">Semua</a><a href="/news/2024/11/14/101500/judul">1</a>
<a href="/lain/2024/11/14/101501/lain?page=2">lain</a></div>
<script>dataLayer = [{'articleSubcategory': 'Nasional'}]</script></body></html>"""
PAGE_URL = "https://www.suara.com/news/2024/11/14/101500/judul?page=2"


def page() -> common.Page:
    return common.load_page(PAGE_URL, PAGE_HTML)


def test_page_selectors_in_page_order_and_by_token() -> None:
    p = page()
    assert p.text("h1", ".byline b") == "Rina Ayu"
    assert p.texts(".date, .byline b") == ["Kamis, 14 November 2024 | 10:15 WIB", "Rina Ayu"]
    # Selectors naming a class or id the page lacks are answered without a scan, the others as usual.
    assert p.select("div.nowhere a") == [] and p.select("#nowhere, .pager a")[0].text == "2"
    assert [a.text for a in p.select(".pager a:not(.x)")][:2] == ["2", "3"]
    assert p.first(".missing", "div.wrap > div.byline") is not None
    assert common.script_field(p, "articleSubcategory") == "Nasional"


def test_query_pages_from_the_pager_of_the_same_path() -> None:
    pages, current, show_all = common.query_pages(page())
    base = "https://www.suara.com/news/2024/11/14/101500/judul"
    assert pages == [base, f"{base}?page=2", f"{base}?page=3"] and current == 2
    assert show_all == f"{base}?page=all"
    assert common.pagination(PAGE_URL, pages, current, show_all) == {
        "page": 2, "pages": pages, "next": f"{base}?page=3", "prev": base, "show_all": show_all}


def test_short_text_is_the_innermost_match() -> None:
    assert common.short_text(page(), r"\|\s*Suara\.com$") == "Reporter: Rina Ayu | Suara.com"
    assert common.short_text(page(), r"^Kamis,") == "Kamis, 14 November 2024 | 10:15 WIB"
    assert common.short_text(page(), r"tidak ada") is None


def test_split_names_strips_site_suffixes_and_drops_outlets() -> None:
    assert common.split_names("Reporter: Rina Ayu | Suara.com", strip=(r"^Reporter:\s*", r"\|\s*Suara\.com$")) == ["Rina Ayu"]
    assert common.split_names("Tim Redaksi, Budi dan Ani, Budi") == ["Budi", "Ani"]
    assert common.split_names("Dani Prasetya") == ["Dani Prasetya"]  # "dan" inside a name is not a separator


def test_home_page_is_rejected_before_any_body_is_looked_for() -> None:
    from scraper.sites.detik import SITE
    from scraper.sites.parser import Parser

    def article_body(url: str, tree: object, meta: object, site: object, selectors: tuple[str, ...]) -> object:
        """The base parser's body(): the one page-kind and body sequence of a parser without ``head_vouches``."""
        version = type("Version", (Parser,), {"body_selectors": selectors})
        return version(site, common.Page(url=url, meta=meta, tree=tree)).body()

    prose = "<p>" + "Kalimat berita yang cukup panjang untuk dihitung. " * 8 + "</p>"
    tree = lxml.html.fromstring(f"<html><body><div class='teasers'>{prose}{prose}</div></body></html>")
    meta = common.read_metadata(tree)
    # No selector matches and neither the URL nor JSON-LD says article: no density fallback, rejected.
    assert common.find_body(tree, ("div.detail__body-text",), fallback=False) == (None, False)
    with pytest.raises(common.NotAnArticle) as err:
        article_body("https://www.detik.com/", tree, meta, SITE, ("div.detail__body-text",))
    assert err.value.reason == "not_article_page"
    # Under an article URL the densest block is the body.
    body = article_body("https://news.detik.com/berita/d-7634567/judul", tree, meta, SITE,
                        ("div.detail__body-text",))
    assert body.get("class") == "teasers"
    # Nothing with prose at all under an article URL: no_body.
    empty = lxml.html.fromstring("<html><body><div>menu</div></body></html>")
    with pytest.raises(common.NotAnArticle) as err:
        article_body("https://news.detik.com/berita/d-7634567/judul", empty, meta, SITE, ("div.x",))
    assert err.value.reason == "no_body"


@pytest.mark.parametrize("cls, ident", [
    (None, None), ("", None), (" ", ""), ("Sidebar", None), (None, "SIDEBAR-x"), ("x-ReLaTeD", "main"), ("col-md-8", "content"),
    ("\u017fidebar", None),  # long s: re.I folds it to "s", lower() does not
    ("Footer\u00a0x", None), ("menü", "HEADER"), ("article-content-body", None),
])
def test_furniture_marks_are_matched_without_regard_to_case(cls: str | None, ident: str | None) -> None:
    import re

    el = lxml.html.Element("div")
    for name, value in (("class", cls), ("id", ident)):
        if value is not None:
            el.set(name, value)
    marks = f"{el.get('class', '')} {el.get('id', '')}"
    assert common._is_furniture(el) is (marks != " " and re.search(common._FURNITURE_WORDS, marks, re.I) is not None)
