"""The KLY 2020-2024 read page (``scraper.sites.kly.Kly2020``) on every KLY host's fixture: what the older
liputan6 version kept (the publisher as the author, the photo widget, the page counters, the
continue-reading prompt) is out, and the inline "BACA JUGA:" link is taken as related."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.sites import get_site
from scraper.sites.common import load_page
from scraper.sites.liputan6 import Liputan62019

FIXTURES = Path(__file__).parent / "fixtures"
HOSTS = ["fimela", "bola", "dream", "kapanlagi", "liputan6", "merdeka"]
LEAKS = ("Perbesar", "Halaman 1 dari 2", "Halaman 2 dari 2", "Lanjutkan Membaca", "Bus sekolah melintas")


def page_of(site: str) -> tuple[str, bytes]:
    expected = json.loads((FIXTURES / site / f"{site}-kly2020.expected.json").read_text(encoding="utf-8"))
    return expected["url"], (FIXTURES / site / f"{site}-kly2020.html").read_bytes()


@pytest.mark.parametrize("site", HOSTS)
def test_the_kly_read_page_keeps_widgets_out_and_names_the_writer(site: str) -> None:
    url, html = page_of(site)
    article = get_site(site).parse(url, html)
    assert article.parser == f"{site}/2020"
    body = "\n".join(article.paragraphs)
    assert not [leak for leak in LEAKS if leak in body]
    assert article.authors and not any(".com" in a or ".co.id" in a for a in article.authors)
    assert [r.title for r in article.related] == ["Jalan Desa Rusak Dikeluhkan Warga"]
    assert article.pagination == {"page": 1, "pages": 2, "next": None, "show_all": None}


def test_the_widgets_stay_out_under_the_2019_version_too() -> None:
    """liputan6/2019 kept the widgets and counters when the 2020 version was written; the shared
    cleaning's boilerplate families (scraper.cleaning) now take them out under either version."""
    url, html = page_of("liputan6")
    old = Liputan62019(get_site("liputan6"), load_page(url, html)).parse()
    assert not [leak for leak in LEAKS if leak in "\n".join(old.paragraphs)]
