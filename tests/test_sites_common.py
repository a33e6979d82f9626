"""The one layout kit every site profile uses (scraper/sites/common.py)."""

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
