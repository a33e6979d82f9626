"""Canonical URL identity (scraper.urls.canonicalize)."""

from __future__ import annotations

import pytest

from scraper.urls import canonicalize, same_site

SEED = "https://www.kompas.com/global/read/2024/11/14/083000170/rangkuman-hari-ke-995-serangan-rusia-ke-ukraina--ukraina-dapat-gambaran"
MEGA = "https://megapolitan.kompas.com/read/2024/11/14/13000061/hadapi-puncak-musim-hujan"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (SEED, SEED),
        (SEED.replace("https://", "http://"), SEED),
        (SEED.replace("www.kompas.com", "WWW.Kompas.COM"), SEED),
        # the seed's amphtml (evidence for amp. -> www.)
        (SEED.replace("www.kompas.com", "amp.kompas.com"), SEED),
        (SEED + "/", SEED),
        (SEED + "#comment", SEED),
        (SEED + "?page=all", SEED),
        (SEED + "?page=2#page2", SEED),
        (SEED + "?utm_source=wp&utm_medium=box&utm_campaign=khlwp", SEED),
        (SEED + "?source=related", SEED),
        (SEED + "?jxrecoid=abc&engine=x&fbclid=1&gclid=2", SEED),
        (MEGA + "?page=all", MEGA),
        # /amp/ path forms and m. hosts seen on other sites
        ("https://m.detik.com/news/berita/d-123/judul", "https://www.detik.com/news/berita/d-123/judul"),
        ("https://www.suara.com/amp/news/2024/11/14/1/judul", "https://www.suara.com/news/2024/11/14/1/judul"),
        ("https://www.tribunnews.com/news/2024/11/14/judul/amp", "https://www.tribunnews.com/news/2024/11/14/judul"),
        # remaining parameters are kept, sorted
        ("https://example.com/a?b=2&a=1&utm_term=x", "https://example.com/a?a=1&b=2"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8080/a/", "https://example.com:8080/a"),
        ("https://example.com", "https://example.com/"),
    ],
)
def test_canonicalize(url: str, expected: str) -> None:
    assert canonicalize(url) == expected


def test_relative_with_base() -> None:
    assert canonicalize("/read/2024/11/14/1/x?page=2", base=MEGA) == "https://megapolitan.kompas.com/read/2024/11/14/1/x"


def test_idempotent() -> None:
    once = canonicalize(SEED.replace("www.", "amp.") + "/?utm_source=x&page=all#top")
    assert canonicalize(once) == once == SEED


def test_short_hosts_are_not_folded() -> None:
    # "m.com"-style registrable domains must not become "www.com".
    assert canonicalize("https://m.id/x") == "https://m.id/x"


def test_non_http_left_alone() -> None:
    assert canonicalize("mailto:redaksi@kompas.com") == "mailto:redaksi@kompas.com"


def test_same_site() -> None:
    assert same_site(MEGA, ("kompas.com",))
    assert not same_site("https://notkompas.com/x", ("kompas.com",))
