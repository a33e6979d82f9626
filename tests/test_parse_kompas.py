"""kompas.com parser: snapshots of the fixtures and the real legacy pages, markup variants, non-article
pages, the daily index and the site declaration."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scraper.extract import extract_article
from scraper.model import SKIP_REASONS, NotAnArticle
from scraper.sites import get_site, site_for_url
from scraper.sites.kompas import SITE, clean_title, index_links, parse
from tests.conftest import KOMPAS_FIXTURES, PAGES, saved_page

LEGACY = PAGES / "kompas"
ARTICLE_FIXTURES = ("seed-article", "multipage-p1", "multipage-p2", "multipage-all", "updated-article")

#: Expected-JSON keys compared with the Article field of the same name.
COMPARED = ("url", "canonical_url", "title", "authors", "editors", "published", "modified", "section", "tags",
            "dateline", "lead_image", "paragraphs", "related", "description", "language")
#: Expected-JSON keys that are not Article fields, and why they are not compared one to one.
NOT_ARTICLE_FIELDS = {
    "file": "the page's own path",
    "must_not_contain": "checked below against the body",
    "pagination": "compared below (absent in the JSON means the page has no pager)",
    # The conventions count \w+ tokens; Article.word_count counts whitespace-separated words (model
    # contract). Compared below as \w+ tokens of the body, which the paragraphs already pin down.
    "word_count": "compared below as \\w+ tokens",
    # Boxes beside or below the body ("Terkait", "Berita Terkait") are not "Baca juga" links of the
    # body; the Article has no field for them and the archive does not store them.
    "related_box": "not an Article field (sidebar box, not in-body related links)",
    "section_path": "the whole breadcrumb; the Article keeps its last item as section",
    "published_visible": "the raw visible date string; its parsed value is `published`",
    "url_source": "a note on where the URL came from",
    "kind": "page kind note", "usable": "all Kompas pages are usable", "under_500_words": "length note",
    "notes": "judgement-call notes", "note": "provenance note",
}


def _cases() -> list[Any]:
    cases = []
    for name in ARTICLE_FIXTURES:
        cases.append(pytest.param(KOMPAS_FIXTURES / f"{name}.html", KOMPAS_FIXTURES / "expected" / f"{name}.json",
                                  id=f"fixture/{name}"))
    for path in sorted(LEGACY.glob("*.expected.json")):
        cases.append(pytest.param(LEGACY / path.name.replace(".expected.json", ".html"), path, id=f"page/{path.stem}"))
    return cases


def _load(html: Path, expected_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    article = extract_article(expected["url"], html.read_bytes())
    return expected, article.to_dict()


@pytest.mark.parametrize(("html", "expected_path"), _cases())
def test_snapshot(html: Path, expected_path: Path) -> None:
    expected, got = _load(html, expected_path)
    unknown = set(expected) - set(COMPARED) - set(NOT_ARTICLE_FIELDS)
    assert not unknown, f"expected JSON has fields this test does not know: {unknown}"
    mismatches = {k: (expected[k], got[k]) for k in COMPARED if k in expected and expected[k] != got[k]}
    assert not mismatches, json.dumps(mismatches, ensure_ascii=False, indent=1)
    assert got["pagination"] == expected.get("pagination")
    for needle in expected.get("must_not_contain", []):
        assert needle not in got["body"], needle
    if "word_count" in expected:
        assert len(re.findall(r"\w+", got["body"])) == expected["word_count"]
    assert got["site"] == "kompas"
    assert got["parser"] == ("kompas/2015" if html.parent == LEGACY else "kompas/2024")


def test_pages_of_a_multipage_article_add_up_to_the_whole() -> None:
    url = json.loads((KOMPAS_FIXTURES / "expected" / "multipage-all.json").read_text())["url"]
    p1, p2, whole = (extract_article(url, (KOMPAS_FIXTURES / f"multipage-{n}.html").read_bytes())
                     for n in ("p1", "p2", "all"))
    assert p1.paragraphs + p2.paragraphs == whole.paragraphs
    assert p1.related + p2.related == whole.related
    assert p1.canonical_url == p2.canonical_url == whole.canonical_url
    assert (p1.dateline, p2.dateline, whole.dateline) == ("BOGOR", None, "BOGOR")
    assert SITE.show_all_url(p1.url) == url and p1.pagination["show_all"].startswith(url)


# --- markup variants built from the seed page ---------------------------------------------------------

SEED_HTML = (KOMPAS_FIXTURES / "seed-article.html").read_text(encoding="utf-8")
SEED = json.loads((KOMPAS_FIXTURES / "expected" / "seed-article.json").read_text(encoding="utf-8"))
UPDATED_HTML = (KOMPAS_FIXTURES / "updated-article.html").read_text(encoding="utf-8")
UPDATED = json.loads((KOMPAS_FIXTURES / "expected" / "updated-article.json").read_text(encoding="utf-8"))
# The seed's inline line: <p><strong>Baca juga: <a href=".." class="inner-link-baca-juga" ..>Title</a></strong></p>
BACA = re.compile(r'<p><strong>Baca juga: (<a href="[^"]+") class="inner-link-baca-juga" target="_self">([^<]+)</a></strong></p>')


def _variant(html: str, pattern: re.Pattern[str] | str, repl: str, count_at_least: int = 1) -> str:
    """Apply one edit and make sure it happened (a fixture change must not make the variant a no-op)."""
    new, n = (pattern.subn(repl, html) if isinstance(pattern, re.Pattern) else (html.replace(pattern, repl), html.count(pattern)))
    assert n >= count_at_least, f"variant edit did not apply: {pattern}"
    return new


SEED_VARIANTS = {
    "link outside strong": (BACA, r"<p><strong>Baca juga:</strong> \1>\2</a></p>"),
    "no strong, no class": (BACA, r"<p>Baca juga: \1>\2</a></p>"),
    "Baca Juga : with NBSP": (BACA, r"<p><strong>Baca Juga&nbsp;:&nbsp;</strong>\1>\2</a></p>"),
    "BACA JUGA: in b": (BACA, r"<p><b>BACA JUGA:</b> \1>\2</a></p>"),
    "baca juga without colon": (BACA, r"<p>baca juga \1>\2</a></p>"),
    "dash and bullet": (BACA, r"<p>&bull; Baca juga &ndash; \1>\2</a></p>"),
    "em instead of strong": (BACA, r'<p><em>Baca juga: \1 class="inner-link-baca-juga">\2</a></em></p>'),
    "line in a div, br around": (BACA, r"<div><br>Baca juga: \1>\2</a><br></div>"),
    "read__content renamed": ('class="read__content"', 'class="article-body-v2"'),
    "every read__ class renamed": ("read__", "artikel-"),
    "extra wrapper divs": ('<div class="clearfix">', '<div class="clearfix"><div class="x-wrap"><section>'),
    "no EndOfArticle marker": ('<div id="EndOfArticle"></div>', ""),
    "zero-width and NBSP in text": ("kini memiliki gambaran", "kini\u200b memiliki&nbsp;gambaran"),
}


@pytest.mark.parametrize("name", list(SEED_VARIANTS))
def test_seed_variants(name: str) -> None:
    pattern, repl = SEED_VARIANTS[name]
    html = _variant(SEED_HTML, pattern, repl)
    article = parse(SEED["url"], html)
    assert article.paragraphs == SEED["paragraphs"]
    assert [{"url": r.url, "title": r.title} for r in article.related] == SEED["related"]
    for needle in SEED["must_not_contain"]:
        assert needle not in article.body


UPDATED_VARIANTS = {
    "inject-baca-juga renamed": ('class="inject-baca-juga"', 'class="inject-baca-juga-2"'),
    "inject block as span list": ('<div class="inject-baca-juga" data-position="3">', '<div class="inject-baca-juga-box">'),
    "Diperbarui in lower case": ("Diperbarui 14/11/2024", "diperbarui 14/11/2024"),
}


@pytest.mark.parametrize("name", list(UPDATED_VARIANTS))
def test_updated_variants(name: str) -> None:
    pattern, repl = UPDATED_VARIANTS[name]
    article = parse(UPDATED["url"], _variant(UPDATED_HTML, pattern, repl))
    assert article.paragraphs == UPDATED["paragraphs"]
    assert [{"url": r.url, "title": r.title} for r in article.related] == UPDATED["related"]
    assert (article.published, article.modified) == (UPDATED["published"], UPDATED["modified"])


def test_visible_diperbarui_is_modified_when_metadata_is_missing() -> None:
    # Without JSON-LD and meta dates, the visible "Diperbarui" time is the modified time, never published.
    html = re.sub(r'<script type="application/ld\+json">.*?</script>', "", UPDATED_HTML, flags=re.S)
    html = _variant(html, re.compile(r'<meta (?:property|name)="(?:article:published_time|content_PublishedDate)"[^>]*>'), "")
    article = parse(UPDATED["url"], html)
    assert article.published is None
    assert article.modified == "2024-11-14T16:40:00+07:00"


def test_authors_fall_back_to_meta_without_the_modal() -> None:
    html = _variant(SEED_HTML, re.compile(r'<div id="creditModal".*?<div class="credit-source">', re.S), '<div class="credit-source">')
    article = parse(SEED["url"], html)
    assert (article.authors, article.editors) == (SEED["authors"], SEED["editors"])
    assert "Kompas Cyber Media" not in article.authors


def test_2018_credit_lines_when_modal_and_meta_are_missing() -> None:
    html = _variant(SEED_HTML, re.compile(r'<div id="creditModal".*?<div class="credit-source">', re.S),
                    '<div class="read__credit"><div class="read__credit__item">Penulis : Nadia Kusumaningrum</div>'
                    '<div class="read__credit__item">Editor : Hendra Wicaksono</div></div><div class="credit-source">')
    html = _variant(html, re.compile(r'<meta name="content_(?:author|editor)" content="[^"]*" />'), "", 2)
    html = re.sub(r'"author": \{.*?\},', "", html, flags=re.S)
    article = parse(SEED["url"], html)
    assert (article.authors, article.editors) == (SEED["authors"], SEED["editors"])
    assert article.paragraphs == SEED["paragraphs"]


def test_title_suffixes() -> None:
    assert clean_title("Judul Halaman all") == "Judul"
    assert clean_title("Judul Halaman 2 - Kompas.com") == "Judul"
    assert clean_title("Judul - Kompas.com Regional") == "Judul"
    assert clean_title("Halaman Depan Kota") == "Halaman Depan Kota"


# --- non-article pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "url"),
    [
        (KOMPAS_FIXTURES / "indeks.html", "https://indeks.kompas.com/?site=all&date=2024-11-14"),
        (LEGACY / "anpandu_kompas-mainpage.html", "http://indeks.kompas.com/"),
        (LEGACY / "ramdanriawan_2017_www-kompas-com-home.html", "http://www.kompas.com/"),
        # Even under an article-looking URL a list page is not an article.
        (KOMPAS_FIXTURES / "indeks.html", "https://www.kompas.com/global/read/2024/11/14/083000170/x"),
    ],
)
def test_non_article_pages(path: Path, url: str) -> None:
    if not path.exists():
        path = saved_page("kompas", path.name)  # may not be copied: skipped in a plain clone
    with pytest.raises(NotAnArticle) as err:
        extract_article(url, path.read_bytes())
    assert err.value.reason == "not_article_page"


def test_video_page_is_not_an_article() -> None:
    html = SEED_HTML.replace('<meta property="og:type" content="article" />', '<meta property="og:type" content="video.other" />')
    with pytest.raises(NotAnArticle) as err:
        parse(SEED["url"], html)
    assert err.value.reason == "not_article_page"
    with pytest.raises(NotAnArticle) as err:
        extract_article("https://video.kompas.com/watch/1560317/suasana", SEED_HTML)
    assert err.value.reason in SKIP_REASONS


def test_article_without_body_is_no_body() -> None:
    html = re.sub(r'<div class="read__content">.*?<div class="tag__article', '<div class="tag__article', SEED_HTML, flags=re.S)
    with pytest.raises(NotAnArticle) as err:
        parse(SEED["url"], html)
    assert err.value.reason == "no_body"


# --- daily index ---------------------------------------------------------------------------------------


def test_index_links_current_layout() -> None:
    expected = json.loads((KOMPAS_FIXTURES / "expected" / "indeks.json").read_text())
    urls, next_url = index_links(expected["url"], (KOMPAS_FIXTURES / "indeks.html").read_bytes())
    assert urls == [a["url"] for a in expected["articles"]]
    assert next_url == expected["next_page_url"]
    assert not set(urls) & set(expected["skipped_non_article"])


def test_index_links_legacy_2016() -> None:
    urls, next_url = index_links("http://indeks.kompas.com/", (LEGACY / "anpandu_kompas-mainpage.html").read_bytes())
    assert len(urls) == 10 and next_url is None
    assert urls[0] == "http://bisniskeuangan.kompas.com/read/2016/02/23/145448826/OJK.Pelemahan.Saham.Perbankan.Hanya.Temporer"
    assert all("/read/xml/" not in u and SITE.is_article_url(u) for u in urls)


def test_index_links_last_page_has_no_next() -> None:
    html = (KOMPAS_FIXTURES / "indeks.html").read_text(encoding="utf-8")
    html = _variant(html, re.compile(r'<div class="paging__item"><a class="paging__link paging__link--next".*?</div>'), "")
    html = re.sub(r'<link rel="next"[^>]*>', "", html)  # the head's rel=next goes too on the last page
    assert index_links("https://indeks.kompas.com/?site=all&date=2024-11-14&page=14", html)[1] is None


# --- site declaration ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "is_article"),
    [
        (SEED["url"], True),
        ("https://megapolitan.kompas.com/read/2024/11/14/13000061/hadapi-puncak-musim-hujan?page=all", True),
        ("http://regional.kompas.com/read/2015/11/04/21040031/Polres.Lhokseumawe.Serahkan", True),
        ("https://amp.kompas.com/global/read/2024/11/14/083000170/rangkuman", True),
        ("https://video.kompas.com/watch/1560317/suasana-latihan", False),
        ("https://www.kompas.com/tag/rusia", False),
        ("https://indeks.kompas.com/?site=all&date=2024-11-14", False),
        ("https://www.kompas.id/read/2024/11/14/1/x", False),
        ("https://notkompas.com/read/2024/11/14/1/x", False),
    ],
)
def test_article_urls(url: str, is_article: bool) -> None:
    assert SITE.is_article_url(url) is is_article


def test_site_declaration() -> None:
    assert get_site("kompas") is SITE
    assert site_for_url("https://nasional.kompas.com/read/2024/11/14/1/x") is SITE
    assert SITE.discovery.sitemaps == ("https://www.kompas.com/sitemap.xml",)
    assert SITE.daily_index_url(date(2024, 11, 14), 2) == "https://indeks.kompas.com/?site=all&date=2024-11-14&page=2"
    assert SITE.show_all_url(SEED["url"] + "?page=2") == SEED["url"] + "?page=all"
