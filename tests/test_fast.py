"""The speed tricks of scraper.fast, each against the plain path (lxml's CSSSelector, a bs4 re-parse)."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest

from scraper import fast
from scraper.html import parse_tree


def test_selector_index_does_not_keep_pages_alive() -> None:
    import gc

    gc.collect()
    before = len(fast._INDEX)  # pages other tests still hold
    for _ in range(3):
        tree = lxml.html.fromstring("<html lang='id'><body><div id='a' class='b'><p>x</p></div></body></html>")
        # "html" matches the root itself, the weak key of the page's index.
        assert [len(fast.select(tree, s)) for s in ("html", "div.b p", "#a", "div.nowhere")] == [1, 1, 1, 0]
    del tree
    gc.collect()
    assert len(fast._INDEX) == before


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

    tree = parse_tree(ID_PAGE)
    assert fast.select(tree, selector) == CSSSelector(selector)(tree)
    assert (fast._select_by_id(tree, fast._doc_index(tree), selector) is not None) is shortcut


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
    assert _soup_signature(fast.to_soup(el)) == _soup_signature(fast._reparsed_soup(el))


def test_to_soup_on_saved_bodies_is_the_reparsed_tree() -> None:
    from pathlib import Path

    pages = sorted(Path(__file__).parent.joinpath("fixtures").glob("*/*.html"))[:12]
    assert pages
    for path in pages:
        tree = parse_tree(path.read_bytes())
        for el in tree.iter("article", "div"):
            if len(el) > 3:
                assert _soup_signature(fast.to_soup(el)) == _soup_signature(fast._reparsed_soup(el)), path
                break


@pytest.mark.parametrize("selector", [
    ".tags a, .nowhere a, .tag-detail a", ".nowhere a, .tag-detail a", ".tag-detail a, .tags a", ".nowhere, #nada",
    "div.tags > a, p.nowhere, #t a",
])
def test_selector_groups_without_their_impossible_alternatives_agree_with_a_full_scan(selector: str) -> None:
    from lxml.cssselect import CSSSelector

    tree = parse_tree("<html><body><div class='tag-detail' id='t'><a>1</a><div class='tags'><a>2</a></div></div>"
                      "<div class='tags'><a>3</a></div><a>4</a></body></html>")
    assert fast.select(tree, selector) == CSSSelector(selector)(tree)


CLASS_PAGE = """<html class="top x"><body class="b"><div class="a x"><div class="a"><p class="x">1 <span class="s">y</span></p>
</div><h1 class="a">h</h1></div><div class="a\tx\n"><h1>2</h1></div><div class="a\u00a0x"><h1>3</h1></div>
<p class="A">4</p><section class="a"><div><h1>5</h1></div></section></body></html>"""


def test_select_on_a_tree_being_pruned_sees_it_as_it_is_now() -> None:
    """clean() prunes a copy selector by selector: each one must see the removals of the one before."""
    import copy

    from lxml.cssselect import CSSSelector

    fragment = copy.deepcopy(parse_tree(CLASS_PAGE).find("body"))
    assert len(fast.select(fragment, ".a", changing=True)) == 5
    for el in fast.select(fragment, "h1.a", changing=True):
        el.getparent().remove(el)
    for selector in (".a h1", "h1", ".a", "div.a"):
        assert fast.select(fragment, selector, changing=True) == CSSSelector(selector)(fragment)
        assert all(el.get("class") != "a" or el.tag != "h1" for el in fast.select(fragment, selector, changing=True))


@pytest.mark.parametrize("selector, class_led", [
    (".a", True), (".a.x", True), (".x", True), (".top", True), (".a h1", True), (".a p span.s", True), (".a .s", True),
    (".A", True), (".a div", True), (".nope", True), (".x h1", True), (".a p > span", True), (".b div.a", True),
    (".a > h1", False), (".a:not(p)", False), (".a h1, .x", False), ("div.a", False),
])
def test_class_led_selectors_reach_the_same_elements_through_class_attributes(selector: str, class_led: bool) -> None:
    """Nested boxes, the root's own class, tab/newline separators (NBSP is not one), case."""
    from lxml.cssselect import CSSSelector

    tree = parse_tree(CLASS_PAGE)
    assert (fast._class_led_xpath(selector) is not None) is class_led
    assert fast._compiled(selector)[0](tree) == CSSSelector(selector)(tree)
    assert fast._compiled(selector)[0](tree.find("body")) == CSSSelector(selector)(tree.find("body"))


BUCKET_PAGE = """<html><body><div class="read__content x"><p class="read__title">a</p></div>
<span class="read__content-v2">b</span><i>c</i><b class="other">d</b></body></html>"""


def test_class_buckets_hold_what_a_substring_test_of_every_element_finds() -> None:
    keys = ("read__content", "read__title", "other", "missing")
    tree = parse_tree(BUCKET_PAGE)
    buckets = fast.ClassBuckets(tree, keys)
    for key in keys:
        plain = [el for el in tree.find("body").iter() if key in (el.get("class") or "")]
        assert buckets.all(key) == plain
    assert buckets.first("missing", "read__title") is buckets.all("read__title")[0]
    assert buckets.first("missing") is None
