"""Issue 11 §5: modified times in the zone the page states (WIB/WITA/WIT), and unlabelled windows-1252 pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scraper.extract import extract_article
from scraper.metadata import PageMeta
from scraper.sites import common
from scraper.text import decode_html

ZONES = Path(__file__).parent / "fixtures" / "zones"
TRIBUN_SLUG = "2024/11/14/petani-klaten-mulai-tanam-padi-lebih-awal-jelang-musim-hujan"
ANTARA_SLUG = "berita/4470001/bmkg-imbau-warga-pesisir-selatan-jawa-waspada-gelombang-tinggi"
GENERIC_SLUG = "read/2024/11/14/083000170/rangkuman-hari-ke-995-serangan-rusia-ke-ukraina--ukraina-dapat-gambaran"


# --- zones ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page, url, published, modified",
    [
        # Makassar: visible WITA, JSON-LD datePublished +08:00, dateModified in UTC.
        ("tribunnews-wita", f"https://makassar.tribunnews.com/{TRIBUN_SLUG}",
         "2024-11-14T08:30:40+08:00", "2024-11-14T09:40:00+08:00"),
        # Jayapura: visible WIT, both machine values in UTC.
        ("tribunnews-wit", f"https://papua.tribunnews.com/{TRIBUN_SLUG}",
         "2024-11-14T09:30:40+09:00", "2024-11-14T10:40:00+09:00"),
        # Solo: visible WIB, both machine values in UTC: unchanged, WIB.
        ("tribunnews-wib", f"https://solo.tribunnews.com/{TRIBUN_SLUG}",
         "2024-11-14T09:15:40+07:00", "2024-11-14T11:02:00+07:00"),
        # Bali: visible WITA, a naive dateModified is WITA wall time, not WIB.
        ("antaranews-wita", f"https://bali.antaranews.com/{ANTARA_SLUG}",
         "2024-11-14T08:30:00+08:00", "2024-11-14T09:40:00+08:00"),
        ("antaranews-wit", f"https://papua.antaranews.com/{ANTARA_SLUG}",
         "2024-11-14T09:30:00+09:00", "2024-11-14T10:40:00+09:00"),
        # Generic path, visible WITA, machine values in UTC: both shown in WITA.
        ("generic-wita", f"https://www.beritamakassar.example/{GENERIC_SLUG}",
         "2024-11-14T08:30:00+08:00", "2024-11-14T09:40:00+08:00"),
        # Generic path, datePublished +09:00 (the page's zone), dateModified in UTC.
        ("generic-wit", f"https://www.beritajayapura.example/{GENERIC_SLUG}",
         "2024-11-14T09:30:00+09:00", "2024-11-14T10:40:00+09:00"),
        ("generic-wib", f"https://www.beritajakarta.example/{GENERIC_SLUG}",
         "2024-11-14T08:30:00+07:00", "2024-11-14T10:40:00+07:00"),
    ],
)
def test_modified_is_shown_in_the_zone_the_page_states(page: str, url: str, published: str, modified: str) -> None:
    article = extract_article(url, (ZONES / f"{page}.html").read_bytes())
    assert (article.published, article.modified) == (published, modified)


def test_generic_page_with_a_visible_wita_time_and_naive_machine_dates_is_never_naive_or_wib() -> None:
    html = (ZONES / "generic-wita.html").read_text(encoding="utf-8")
    html = html.replace('"2024-11-14T00:30:00Z"', '"2024-11-14 08:30:00"').replace(
        '"2024-11-14T01:40:00Z"', '"2024-11-14 09:40:00"')
    article = extract_article(f"https://www.beritamakassar.example/{GENERIC_SLUG}", html.encode("utf-8"))
    assert (article.published, article.modified) == ("2024-11-14T08:30:00+08:00", "2024-11-14T09:40:00+08:00")


def _meta(modified: str | None) -> PageMeta:
    return PageMeta(article={"dateModified": modified} if modified else {})


@pytest.mark.parametrize(
    "published, modified, expected",
    [
        ("2024-11-14T08:30:00+08:00", "2024-11-14T01:40:00Z", "2024-11-14T09:40:00+08:00"),
        ("2024-11-14T08:30:00+08:00", "2024-11-14 09:40:00", "2024-11-14T09:40:00+08:00"),
        ("2024-11-14T09:30:00+09:00", "2024-11-14T01:40:00Z", "2024-11-14T10:40:00+09:00"),
        ("2024-11-14T08:30:00+07:00", "2024-11-14T01:40:00Z", "2024-11-14T08:40:00+07:00"),
        # A naive publication (neither page value names a zone): the site's default, as before.
        ("2024-11-14T08:30:00", "2024-11-14T01:40:00Z", "2024-11-14T08:40:00+07:00"),
        # A publication in UTC names no Indonesian zone: the site's default.
        ("2024-11-14T00:30:00+00:00", "2024-11-14T01:40:00Z", "2024-11-14T08:40:00+07:00"),
        (None, "2024-11-14T01:40:00Z", "2024-11-14T08:40:00+07:00"),
    ],
)
def test_modified_after_in_zone_takes_the_zone_of_the_publication(
    published: str | None, modified: str, expected: str
) -> None:
    assert common.modified_after(published, _meta(modified), common.in_zone) == expected


def test_modified_after_falls_back_to_the_given_site_default() -> None:
    meta = _meta("2024-11-14T01:40:00Z")
    assert common.modified_after(None, meta, common.in_zone, default_offset="+08:00") == "2024-11-14T09:40:00+08:00"


def test_modified_after_with_parse_date_gives_a_naive_value_the_page_zone() -> None:
    meta = _meta("2024-11-14 09:40:00")
    assert common.modified_after("2024-11-14T08:30:00+08:00", meta) == "2024-11-14T09:40:00+08:00"
    # An aware value keeps the offset it was written with (the reader's choice, unchanged).
    aware = _meta("2024-11-14T01:40:00Z")
    assert common.modified_after("2024-11-14T08:30:00+08:00", aware) == "2024-11-14T01:40:00+00:00"


# --- charsets -------------------------------------------------------------------------------------

TRIBUN_URL = f"https://makassar.tribunnews.com/{TRIBUN_SLUG}"
#: A quote, a dash and letters that windows-1250 reads differently (0xE0 à -> ŕ, 0xE8 è -> č, 0xFB û -> ű).
WESTERN = ("\u201cBiasanya kami menunggu sampai pertengahan November, tetapi air sudah cukup,\u201d kata Sutrisno "
           "\u2014 petani setempat yang juga membuka kafe \u00e0 la carte dengan menu cr\u00e8me br\u00fbl\u00e9e "
           "dan caf\u00e9 au lait.")


def _cp1252_page() -> bytes:
    """The Tribun fixture with no ``<meta charset>``, Western punctuation and letters, in windows-1252."""
    html = (Path(__file__).parent / "fixtures" / "tribunnews" / "tribunnews-2024.html").read_text(encoding="utf-8")
    html = html.replace('<meta charset="utf-8">\n', "").replace(
        '"Biasanya kami menunggu sampai pertengahan November, tetapi air sudah cukup," kata Sutrisno, petani setempat.',
        WESTERN,
    )
    assert WESTERN in html and "charset" not in html
    data = html.encode("cp1252")
    data.decode("cp1250")  # the bytes are valid windows-1250 too: only a wrong guess tells them apart
    return data


def _response(data: bytes, content_type: bytes = b"text/html") -> Any:
    from scrapy.http import HtmlResponse, Request

    return HtmlResponse(url=TRIBUN_URL, body=data, headers={b"Content-Type": content_type}, request=Request(TRIBUN_URL))


def test_an_unlabelled_cp1252_page_decodes_as_cp1252() -> None:
    text = decode_html(_cp1252_page())
    assert WESTERN in text


def test_scrapys_guess_for_an_unlabelled_page_is_no_label_but_labels_are_scrapys() -> None:
    """Scrapy's ``response.encoding`` is a charset_normalizer guess here (cp1250): not the page's label."""
    from scraper.text import declared_charset

    data = _cp1252_page()
    response = _response(data)
    assert response.encoding == "cp1250"  # what the crawler used to pass to extract_article
    assert declared_charset(response.headers.get(b"Content-Type"), data) is None
    # Labels resolve as Scrapy resolves them, so labelled pages decode as they did.
    labels = [
        (b"text/html; charset=windows-1250", data), ('text/html; Charset="UTF-8"', data),
        (b"text/html; charset=ISO-8859-1", data), (b"text/html", b'<meta charset="latin1">' + data),
        (None, b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1250">'),
    ]
    for content_type, body in labels:
        labelled = _response(body, content_type) if content_type else _response(body, b"")
        assert declared_charset(content_type, body) == labelled.encoding
    assert declared_charset(b"text/html; charset=no-such-charset", data) is None
    assert declared_charset(None) is None


def test_the_crawler_extracts_an_unlabelled_cp1252_page_as_cp1252() -> None:
    import asyncio

    from scraper.spiders.base import NewsSpider
    from scraper.workers import ExtractPool

    spider = NewsSpider(site="tribunnews")
    spider._extract_pool = ExtractPool(0)  # inline: no settings, no worker processes
    article, _extras = asyncio.run(spider.extract(_response(_cp1252_page())))
    assert WESTERN in article.paragraphs
    assert extract_article(TRIBUN_URL, _cp1252_page()).paragraphs == article.paragraphs


def test_a_header_label_still_wins() -> None:
    """A page the server labels windows-1250 is read as windows-1250 (a label is not a guess)."""
    from scraper.text import declared_charset

    data = _cp1252_page()
    response = _response(data, b"text/html; charset=windows-1250")
    article = extract_article(TRIBUN_URL, data, encoding=declared_charset(response.headers.get(b"Content-Type"), data))
    assert data.decode("cp1250").count("cr\u010dme") == 1
    assert any("cr\u010dme" in p for p in article.paragraphs)


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16"])
def test_the_crawler_reads_unlabelled_utf8_and_bom_pages_unchanged(codec: str) -> None:
    import asyncio

    from scraper.spiders.base import NewsSpider
    from scraper.workers import ExtractPool

    html = _cp1252_page().decode("cp1252")
    data = html.encode(codec)
    spider = NewsSpider(site="tribunnews")
    spider._extract_pool = ExtractPool(0)
    article, _extras = asyncio.run(spider.extract(_response(data)))
    assert WESTERN in article.paragraphs
    assert article.paragraphs == extract_article(TRIBUN_URL, html).paragraphs
