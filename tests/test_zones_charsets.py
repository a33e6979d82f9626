"""Issue 11 §5: modified times in the zone the page states (WIB/WITA/WIT), and unlabelled windows-1252 pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.extract import extract_article
from scraper.metadata import PageMeta
from scraper.sites import common

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
    assert common.modified_after("2024-11-14T08:30:00+08:00", _meta("2024-11-14T01:40:00Z")) == "2024-11-14T01:40:00+00:00"
