"""The one layout kit every site profile uses (scraper/sites/common.py)."""

from __future__ import annotations

from typing import Any

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
        # Neither names a zone: naive, as the pages' convention wants.
        ("2020-10-09 13:52:50", "Jumat, 9 Oktober 2020 13:52", "2020-10-09T13:52:50"),
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

    prose = "<p>" + "Kalimat berita yang cukup panjang untuk dihitung. " * 8 + "</p>"
    tree = lxml.html.fromstring(f"<html><body><div class='teasers'>{prose}{prose}</div></body></html>")
    meta = common.read_metadata(tree)
    # No selector matches and neither the URL nor JSON-LD says article: no density fallback, rejected.
    assert common.find_body(tree, ("div.detail__body-text",), fallback=False) == (None, False)
    with pytest.raises(common.NotAnArticle) as err:
        common.article_body("https://www.detik.com/", tree, meta, SITE, ("div.detail__body-text",))
    assert err.value.reason == "not_article_page"
    # Under an article URL the densest block is the body.
    body = common.article_body("https://news.detik.com/berita/d-7634567/judul", tree, meta, SITE,
                               ("div.detail__body-text",))
    assert body.get("class") == "teasers"
    # Nothing with prose at all under an article URL: no_body.
    empty = lxml.html.fromstring("<html><body><div>menu</div></body></html>")
    with pytest.raises(common.NotAnArticle) as err:
        common.article_body("https://news.detik.com/berita/d-7634567/judul", empty, meta, SITE, ("div.x",))
    assert err.value.reason == "no_body"


def test_selector_index_does_not_keep_pages_alive() -> None:
    import gc

    gc.collect()
    before = len(common._INDEX)  # pages other tests still hold
    for _ in range(3):
        tree = lxml.html.fromstring("<html lang='id'><body><div id='a' class='b'><p>x</p></div></body></html>")
        # "html" matches the root itself, the weak key of the page's index.
        assert [len(common.select(tree, s)) for s in ("html", "div.b p", "#a", "div.nowhere")] == [1, 1, 1, 0]
    del tree
    gc.collect()
    assert len(common._INDEX) == before


ID_PAGE = """<html><body><div id="a"><p id="p1">x <span class="s">y</span></p><div id="dup">1</div>
<div id="dup">2</div><section id="b"><time>t</time><div><time>u</time></div></section></div>
<time>outside</time></body></html>"""


@pytest.mark.parametrize("selector, shortcut", [
    ("#a", True), ("#b time", True), ("#a p > span.s", True), ("#a span", True),
    ("#dup", False),  # two elements hold it: the id table names one of them only
    ("#b > time", False), ("#b time, #a", False), ("#nowhere", False), ("div#a", False),
])
def test_id_selectors_agree_with_a_full_scan(selector: str, shortcut: bool) -> None:
    from lxml.cssselect import CSSSelector

    from scraper.extract import parse_tree

    tree = parse_tree(ID_PAGE)
    assert common.select(tree, selector) == CSSSelector(selector)(tree)
    assert (common._select_by_id(tree, common._doc_index(tree), selector) is not None) is shortcut


def _soup_signature(tag: Any) -> list[tuple[Any, ...]]:
    """Every node under ``tag`` in document order: type, name or text, attributes, and its links."""
    from bs4 import Tag

    return [
        (type(d).__name__, d.name, sorted(d.attrs.items()), d.parent is not None, d.next_sibling is not None)
        if isinstance(d, Tag) else (type(d).__name__, str(d), d.next_sibling is not None)
        for d in tag.descendants
    ]


@pytest.mark.parametrize("html", [
    "<div class='a  b' id=x> lead <p>one<b>two</b> tail</p>\n  <br> loose &amp; <pre>  kept  </pre>"
    "<ul><li>i<li>ii</ul><script>var a = '<p>';</script><style>p{}</style><span>\u00a0</span>\n</div>",
    "<article><h2>T</h2><p>a<br>b<br/></p><table><tr><td>c</td></tr></table><img src=x.jpg> z</article>",
])
def test_to_soup_builds_the_tree_bs4_parses_from_the_fragment(html: str) -> None:
    el = lxml.html.fragment_fromstring(html)
    assert _soup_signature(common.to_soup(el)) == _soup_signature(common._reparsed_soup(el))


def test_to_soup_on_saved_bodies_is_the_reparsed_tree() -> None:
    from pathlib import Path

    from scraper.extract import parse_tree

    pages = sorted(Path(__file__).parent.joinpath("fixtures").glob("*/*.html"))[:12]
    assert pages
    for path in pages:
        tree = parse_tree(path.read_bytes())
        for el in tree.iter("article", "div"):
            if len(el) > 3:
                assert _soup_signature(common.to_soup(el)) == _soup_signature(common._reparsed_soup(el)), path
                break


@pytest.mark.parametrize("selector", [
    ".tags a, .nowhere a, .tag-detail a", ".nowhere a, .tag-detail a", ".tag-detail a, .tags a", ".nowhere, #nada",
    "div.tags > a, p.nowhere, #t a",
])
def test_selector_groups_without_their_impossible_alternatives_agree_with_a_full_scan(selector: str) -> None:
    from lxml.cssselect import CSSSelector

    from scraper.extract import parse_tree

    tree = parse_tree("<html><body><div class='tag-detail' id='t'><a>1</a><div class='tags'><a>2</a></div></div>"
                      "<div class='tags'><a>3</a></div><a>4</a></body></html>")
    assert common.select(tree, selector) == CSSSelector(selector)(tree)


CLASS_PAGE = """<html class="top x"><body class="b"><div class="a x"><div class="a"><p class="x">1 <span class="s">y</span></p>
</div><h1 class="a">h</h1></div><div class="a\tx\n"><h1>2</h1></div><div class="a\u00a0x"><h1>3</h1></div>
<p class="A">4</p><section class="a"><div><h1>5</h1></div></section></body></html>"""


def test_select_on_a_tree_being_pruned_sees_it_as_it_is_now() -> None:
    """clean() prunes a copy selector by selector: each one must see the removals of the one before."""
    import copy

    from lxml.cssselect import CSSSelector

    from scraper.extract import parse_tree

    fragment = copy.deepcopy(parse_tree(CLASS_PAGE).find("body"))
    assert len(common.select(fragment, ".a", changing=True)) == 5
    for el in common.select(fragment, "h1.a", changing=True):
        el.getparent().remove(el)
    for selector in (".a h1", "h1", ".a", "div.a"):
        assert common.select(fragment, selector, changing=True) == CSSSelector(selector)(fragment)
        assert all(el.get("class") != "a" or el.tag != "h1" for el in common.select(fragment, selector, changing=True))


@pytest.mark.parametrize("selector, class_led", [
    (".a", True), (".a.x", True), (".x", True), (".top", True), (".a h1", True), (".a p span.s", True), (".a .s", True),
    (".A", True), (".a div", True), (".nope", True), (".x h1", True), (".a p > span", True), (".b div.a", True),
    (".a > h1", False), (".a:not(p)", False), (".a h1, .x", False), ("div.a", False),
])
def test_class_led_selectors_reach_the_same_elements_through_class_attributes(selector: str, class_led: bool) -> None:
    """Nested boxes, the root's own class, tab/newline separators (NBSP is not one), case."""
    from lxml.cssselect import CSSSelector

    from scraper.extract import parse_tree

    tree = parse_tree(CLASS_PAGE)
    assert (common._class_led_xpath(selector) is not None) is class_led
    assert common._compiled(selector)[0](tree) == CSSSelector(selector)(tree)
    assert common._compiled(selector)[0](tree.find("body")) == CSSSelector(selector)(tree.find("body"))


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
