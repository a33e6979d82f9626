"""The generic path reads what the profiles read (issue 12 item 1): title without the site's suffix,
visible dates in the zone they state, htmldate as the fallback, credit lines and bylines, the dateline."""

from __future__ import annotations

import pytest

from scraper.generic import extract_generic

BODY = " ".join(["Warga desa itu mengatakan bahwa banjir sudah surut sejak pagi dan mereka kembali ke rumah."] * 4)


def page(head: str = "", top: str = "", body: str = f"<p>{BODY}</p><p>{BODY}</p>", title: str = "Banjir Surut - Warta Contoh") -> str:
    return (f"<html lang='id'><head><title>{title}</title>{head}</head><body><div class='content'>"
            f"<h1>Banjir Surut</h1>{top}<article>{body}</article></div></body></html>")


@pytest.mark.parametrize(
    ("title", "head"),
    [("Banjir Surut - Warta Contoh", ""), ("Banjir Surut | contoh.id", ""),
     ("Banjir Surut – Contoh Regional", "<meta property='og:site_name' content='Contoh'>")],
)
def test_title_loses_the_site_suffix(title: str, head: str) -> None:
    assert extract_generic("https://contoh.id/read/1/banjir", page(head=head, title=title)).title == "Banjir Surut"


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [("Kamis, 5 Nopember 2015 | 10:08 WIB", "2015-11-05T10:08:00+07:00"),
     ("Senin, 12 Agu 2024 07.30 WITA", "2024-08-12T07:30:00+08:00"),
     ("2015/11/05 10:08 WIT", "2015-11-05T10:08:00+09:00"),
     ("Jumat, 9 Oktober 2020 13:52", "2020-10-09T13:52:00+07:00")],  # no zone stated: the site's, never naive
)
def test_visible_date_without_json_ld(stamp: str, expected: str) -> None:
    art = extract_generic("https://contoh.id/read/1/banjir", page(top=f"<div class='tgl'>{stamp}</div>"))
    assert art.published == expected


def test_utc_machine_date_is_shown_in_the_zone_the_page_states() -> None:
    head = "<meta property='article:published_time' content='2024-11-14T01:30:00Z'>"
    art = extract_generic("https://contoh.id/read/1/banjir", page(head=head, top="<span>14/11/2024, 09:30 WITA</span>"))
    assert art.published == "2024-11-14T09:30:00+08:00"


def test_htmldate_is_the_fallback_when_nothing_else_dates_the_page() -> None:
    art = extract_generic("https://contoh.id/2015/11/05/banjir-surut", page())
    assert art.published == "2015-11-05T00:00:00+07:00"  # the day only, in the site's zone


@pytest.mark.parametrize(
    ("credit", "authors", "editors"),
    [("<div>Penulis: Andi Wijaya</div><div>Editor: Budi Santoso</div>", ["Andi Wijaya"], ["Budi Santoso"]),
     ("<p>Reporter : Citra Lestari dan Dewi Anggraini<br>Editor : Eko</p>", ["Citra Lestari", "Dewi Anggraini"], ["Eko"]),
     ("<div>Redaktur &amp; Reporter: Fajar Nugroho</div>", ["Fajar Nugroho"], ["Fajar Nugroho"]),
     ("<div>Oleh Gita Permata</div>", ["Gita Permata"], []),
     ("<div class='author'><strong>Hadi Susanto</strong> - detikNews</div>", ["Hadi Susanto"], [])],
)
def test_bylines_and_editors(credit: str, authors: list[str], editors: list[str]) -> None:
    art = extract_generic("https://contoh.id/read/1/banjir", page(top=credit))
    assert (art.authors, art.editors) == (authors, editors)


def test_dateline_is_read() -> None:
    body = f"<p>BOGOR, Contoh.id - {BODY}</p><p>{BODY}</p>"
    assert extract_generic("https://contoh.id/read/1/banjir", page(body=body)).dateline == "BOGOR"


def test_home_and_channel_pages_are_rejected_with_a_reason() -> None:
    from scraper.model import NotAnArticle

    teasers = "".join(f"<li><a href='/read/{i}'>Judul berita nomor {i} yang cukup panjang untuk teaser</a></li>"
                      for i in range(40))
    html = f"<html><head><title>Warta Contoh - Berita Terkini</title></head><body><h1>Berita Terkini</h1><ul>{teasers}</ul><p>Berita hari ini.</p></body></html>"
    with pytest.raises(NotAnArticle) as err:
        extract_generic("https://contoh.id/", html)
    assert err.value.reason == "not_article_page" and "headline links" in err.value.detail
