"""Markup-variant checks shared by the per-site parser tests (renamed body class, "Baca juga" spellings, list pages).

Each site test keeps its own test functions (their names and ids say which site and which variant), and each
calls one of these helpers with what differs: the site, the saved page, the strings to swap, an article-shaped URL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scraper.model import Article, NotAnArticle
from scraper.sites import site_for_url
from scraper.sites.base import Site
from tests.conftest import HAVE_SHARED, PAGES
from tests.snapshots import expected_date

#: "Baca juga" line spellings seen across the sites; a parser must lift every one of them out of the body.
LABEL_VARIANTS = ["Baca juga:", "BACA JUGA :", "Baca Juga -", "Simak juga:", "Lihat Juga:", "Baca juga", "» Baca juga:",
                  "Jangan lewatkan:", "Baca pula:", "Berita terkait:"]

#: Reasons a page that is not an article may be skipped with when it is served from a list or article URL.
LIST_PAGE_REASONS = ("not_article_page", "not_article_url")


def load_expected(folder: Path, stem: str) -> dict[str, Any]:
    """The ``<stem>.expected.json`` beside a saved page."""
    return json.loads((folder / f"{stem}.expected.json").read_text(encoding="utf-8"))


def renamed(html: str, *swaps: tuple[str, str]) -> str:
    """The page with each (old, new) swapped in turn; fails if nothing changed (the markup moved under the test)."""
    out = html
    for old, new in swaps:
        out = out.replace(old, new)
    assert out != html
    return out


def assert_same_body(article: Article, expected: dict[str, Any], related_by: str = "url") -> None:
    """Paragraphs equal the expected ones, and the related links match by ``url`` or ``title``."""
    assert article.paragraphs == expected["paragraphs"]
    assert [getattr(r, related_by) for r in article.related] == [r[related_by] for r in expected["related"]]



def check_variant(site: Site, page: Path, expected: dict[str, Any], *swaps: tuple[str, str],
                  related_by: str = "url") -> Article:
    """Parse ``page`` with each (old, new) swapped in: same paragraphs and related links as ``expected``."""
    html = page.read_text(encoding="utf-8")
    for old, new in swaps:
        html = html.replace(old, new)
    article = site.parse(expected["url"], html)
    assert_same_body(article, expected, related_by)
    return article

def check_body_when_class_moves(site: Site, folder: Path, *swaps: tuple[str, str], stem: str = "article") -> Article:
    """Parse ``<stem>.html`` with its body classes swapped: same paragraphs and related links as expected."""
    html = renamed((folder / f"{stem}.html").read_text(encoding="utf-8"), *swaps)
    expected = load_expected(folder, stem)
    article = site.parse(expected["url"], html)
    assert_same_body(article, expected)
    return article


def check_related_spelling(site: Site, folder: Path, stem: str, original: str, label: str) -> None:
    """Parse ``<stem>.html`` with its first "Baca juga" label ``original`` spelled ``label``: the body is unchanged."""
    expected = load_expected(folder, stem)
    html = (folder / f"{stem}.html").read_text(encoding="utf-8")
    assert original in html
    assert_same_body(site.parse(expected["url"], html.replace(original, label, 1)), expected)


def check_article_url(site: Site, url: str, expected: bool) -> None:
    """The profile tells article URLs from the rest, and owns the URL either way."""
    assert site.is_article_url(url) is expected
    assert site_for_url(url) is site


def check_list_page_is_not_an_article(site: Site, url: str, item_url: str) -> None:
    """A small "Indeks Berita" page linking ``item_url`` is skipped as not an article, whatever URL serves it."""
    html = f"""<html><head><meta property="og:type" content="website"><title>Indeks Berita</title></head>
    <body><h1>Berita Terkini</h1><ul><li><h3><a href="{item_url}">Judul berita</a></h3>
    <p>Ringkasan berita pertama yang cukup panjang untuk terlihat seperti paragraf di halaman daftar.</p></li>
    </ul></body></html>"""
    with pytest.raises(NotAnArticle) as info:
        site.parse(url, html)
    assert info.value.reason in LIST_PAGE_REASONS


def check_list_pages_rejected_under(site: Site, article_url: str) -> None:
    """Every saved home/index page of ../shared is rejected, even when served from an article-shaped URL."""
    pages = [p for p in sorted(PAGES.glob("*/*.html")) if any(k in p.name for k in ("mainpage", "home", "indeks"))]
    assert len(pages) >= (10 if HAVE_SHARED else 7)  # a plain clone carries the 7 MIT-licensed list pages
    for page in pages:
        with pytest.raises(NotAnArticle):
            site.parse(article_url, page.read_bytes())


def check_real_page_when_ids_move(site: Site, case: Any, *swaps: tuple[str, str]) -> None:
    """A saved real page with its body ids/classes swapped (each must be there) keeps body, related and metadata."""
    html = case.html.read_text(encoding="utf-8")
    for old, new in swaps:
        assert old in html
        html = html.replace(old, new)
    article = site.parse(case.url, html)
    expected = case.expected
    assert_same_body(article, expected)
    assert (article.title, article.published, article.authors, article.section) == (
        expected["title"], expected_date(expected["published"], case.url), expected["authors"], expected["section"])
