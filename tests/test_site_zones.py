"""Issue 12 §3: every date a site module returns keeps the zone the page states; never a naive timestamp.

Variants of the saved Kompas fixtures with their machine dates (JSON-LD, article:published_time) in UTC, the
visible "read__time" stamp in WIB or WITA; Suara and Media Indonesia pages whose only date has no zone.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from scraper.sites import get_site
from tests.conftest import KOMPAS_FIXTURES, PAGES
from tests.site_variants import renamed

SEED_URL = "https://nasional.kompas.com/read/2024/11/14/08300001/seed"


def _kompas(name: str, *swaps: tuple[str, str]) -> dict[str, str | None]:
    html = renamed((KOMPAS_FIXTURES / f"{name}.html").read_text(encoding="utf-8"), *swaps)
    article = get_site("kompas").parse(SEED_URL, html)
    return {"published": article.published, "modified": article.modified}


def _utc(*pairs: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    """Swaps that turn each +07:00 machine value into the same instant in UTC (``Z``)."""
    return tuple((f'"{wib}"', f'"{utc}"') for wib, utc in pairs)


SEED_UTC = _utc(("2024-11-14T08:30:00+07:00", "2024-11-14T01:30:00Z"))
UPDATED_UTC = _utc(("2024-11-14T09:15:00+07:00", "2024-11-14T02:15:00Z"),
                   ("2024-11-14T16:40:00+07:00", "2024-11-14T09:40:00Z"))


@pytest.mark.parametrize(
    ("name", "swaps", "published", "modified"),
    [
        # "A current Kompas page that states WIB came out +00:00": the visible WIB stamp names the zone.
        pytest.param("seed-article", SEED_UTC, "2024-11-14T08:30:00+07:00", None, id="wib-utc-jsonld"),
        pytest.param("seed-article", (*SEED_UTC, ("08:30 WIB", "09:30 WITA")),
                     "2024-11-14T09:30:00+08:00", None, id="wita-utc-jsonld"),
        # "Diperbarui 14/11/2024, 16:40 WIB" is the update: its zone shows both the publication and the update.
        pytest.param("updated-article", UPDATED_UTC, "2024-11-14T09:15:00+07:00", "2024-11-14T16:40:00+07:00",
                     id="updated-wib-utc-jsonld"),
        pytest.param("updated-article", (*UPDATED_UTC, ("16:40 WIB", "17:40 WITA")),
                     "2024-11-14T10:15:00+08:00", "2024-11-14T17:40:00+08:00", id="updated-wita-utc-jsonld"),
    ],
)
def test_kompas_machine_dates_in_utc_are_shown_in_the_zone_the_page_states(
    name: str, swaps: tuple[tuple[str, str], ...], published: str, modified: str | None
) -> None:
    assert _kompas(name, *swaps) == {"published": published, "modified": modified}


def test_kompas_utc_machine_date_without_a_visible_stamp_is_shown_in_the_sites_zone() -> None:
    dates = _kompas("seed-article", *SEED_UTC, ('class="read__time"', 'class="read-stamp-moved"'))
    assert dates["published"] == "2024-11-14T08:30:00+07:00"


def _is_aware(value: str | None) -> bool:
    return value is not None and datetime.fromisoformat(value).tzinfo is not None


def test_suara_visible_date_without_a_zone_gets_the_sites_zone() -> None:
    page = PAGES / "suara" / "slasherrb_2015_suara.html"
    url = "http://www.suara.com/news/2015/06/19/130605/polda-bali-kumpulkan-4-alat-bukti-pembunuhan-angeline"
    article = get_site("suara").parse(url, page.read_bytes())
    assert article.published == "2015-06-19T13:06:00+07:00"


def test_mediaindonesia_visible_date_alone_is_not_naive() -> None:
    page = PAGES / "mediaindonesia" / "MediaIndonesia_2026_01_08.html"
    html = renamed(page.read_text(encoding="utf-8"), ('"datePublished"', '"dateCreatedMoved"'))
    url = ("https://mediaindonesia.com/ekonomi/848034/"
           "ihsg-hari-ini-sempat-tembus-9000-indeks-berbalik-melemah-akibat-profit-taking")
    article = get_site("mediaindonesia").parse(url, html)
    assert article.published == "2026-01-08T20:19:00+07:00"
    assert _is_aware(article.modified) or article.modified is None


def test_site_parse_never_returns_a_naive_time_even_from_a_profile_that_forgets() -> None:
    """The catch-all in ``Site.parse``: a naive value from any version is given the site's zone."""
    from scraper.model import Article
    from scraper.sites.base import Site

    class Forgetful:
        def __init__(self, site: Site, page: object) -> None:
            self.site = site

        @classmethod
        def detect(cls, page: object) -> bool:
            return True

        def parse(self) -> Article:
            return Article(url="https://x.example/a", canonical_url="https://x.example/a", site="forgetful",
                           title="T", paragraphs=["p"],
                           published="2020-01-02T03:04:05", modified="2020-01-03T03:04:05")

    import re

    site = Site(name="forgetful", domains=("x.example",), article_url=re.compile(".*"), parsers=(Forgetful,),
                default_offset="+08:00")
    article = site.parse("https://x.example/a", "<html><body><p>p</p></body></html>")
    assert (article.published, article.modified) == ("2020-01-02T03:04:05+08:00", "2020-01-03T03:04:05+08:00")
