"""The extract entry point on bad input: clear skip reasons, never a crash (scraper.extract)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.extract import MAX_BYTES, extract_article, parse_tree
from scraper.model import SKIP_REASONS, NotAnArticle
from scraper.text import decode_html

PAGE = """<html><head><meta charset="{charset}"><title>Judul Berita - Contoh</title>
<meta property="og:title" content="Judul Berita"></head><body><article><h1>Judul Berita</h1>
<p>Paragraf pertama berita tentang kafe di Bandung yang ramai dikunjungi warga setiap akhir pekan.</p>
<p>Paragraf kedua menjelaskan bahwa pemilik kafe menyiapkan menu baru untuk musim hujan tahun ini.</p>
<p>Baca juga: <a href="https://contoh.id/read/1">Kafe Lain</a></p>
<p>Paragraf ketiga menutup berita dengan harapan pemilik agar usaha kecil di kota itu terus tumbuh.</p>
</article></body></html>"""


@pytest.mark.parametrize(
    "body",
    [b"", b"   \n ", b"%PDF-1.7\n%\xe2\xe3", b"\x89PNG\r\n\x1a\n\x00\x00", b"\xff\xd8\xff\xe0\x00\x10JFIF",
     b"GIF89a\x01\x00", b"PK\x03\x04zip", b"\x1f\x8b\x08\x00gzip", b"just some plain text, no markup at all"],
)
def test_not_html(body: bytes) -> None:
    with pytest.raises(NotAnArticle) as err:
        extract_article("https://contoh.id/a", body)
    assert err.value.reason == "not_html"
    assert err.value.reason in SKIP_REASONS


def test_too_large() -> None:
    with pytest.raises(NotAnArticle) as err:
        extract_article("https://contoh.id/a", b"<html>" + b" " * MAX_BYTES)
    assert err.value.reason == "too_large"


def test_wrong_charset_declared_does_not_crash() -> None:
    # cp1252 bytes (0x93/0x94 curly quotes) declared as utf-8: decoded best-effort, text kept.
    data = PAGE.format(charset="utf-8").replace("Paragraf kedua", "\u201cParagraf\u201d kedua").encode("cp1252")
    article = extract_article("https://contoh.id/a", data)
    assert any("\u201cParagraf\u201d kedua" in p for p in article.paragraphs)


def test_utf8_served_with_latin1_declaration() -> None:
    data = PAGE.format(charset="iso-8859-1").replace("Paragraf pertama", "Paragraf pertama \u2013 café").encode("utf-8")
    assert "Paragraf pertama \u2013 café" in decode_html(data)


def test_decode_bom_and_explicit_encoding() -> None:
    assert decode_html("\ufeffabc".encode("utf-8")) == "abc"
    assert decode_html("abc".encode("utf-16-le").join([b"\xff\xfe", b""])) == "abc"
    assert decode_html("é".encode("cp1252"), encoding="cp1252") == "é"
    assert decode_html("é".encode("cp1252"), encoding="no-such-codec") == "é"


def test_xml_declaration_and_str_input() -> None:
    tree = parse_tree('<?xml version="1.0" encoding="utf-8"?>\n' + PAGE.format(charset="utf-8"))
    assert tree.findtext(".//title").startswith("Judul Berita")


def test_broken_markup_parsed_best_effort() -> None:
    broken = PAGE.format(charset="utf-8").replace("</p>", "").replace("</article>", "<div><span><b>")
    article = extract_article("https://contoh.id/a", broken)
    assert article.title == "Judul Berita"
    assert any(p.startswith("Paragraf pertama") for p in article.paragraphs)


def test_generic_path_for_unknown_site() -> None:
    article = extract_article("https://contoh.id/a", PAGE.format(charset="utf-8").encode())
    assert article.parser.startswith("generic/")
    assert article.site == "contoh.id"
    assert article.title == "Judul Berita"
    assert not any("Baca juga" in p or "Kafe Lain" in p for p in article.paragraphs)


def test_page_without_title_or_body() -> None:
    with pytest.raises(NotAnArticle) as err:
        extract_article("https://contoh.id/a", "<html><body><div>menu</div></body></html>")
    assert err.value.reason in ("no_title", "no_body")


FIXTURES = Path(__file__).parent / "fixtures"
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<!-- generated -->
<feed xmlns="http://www.w3.org/2005/Atom"><title>Berita</title>
<entry><title>Judul satu</title><link href="https://contoh.id/read/1"/><summary>Ringkasan berita yang cukup
panjang untuk menjadi satu paragraf bila dibaca sebagai halaman HTML.</summary></entry></feed>"""


@pytest.mark.parametrize(
    "body, url",
    [
        ((FIXTURES / "republika" / "feed.xml").read_bytes(), "https://contoh.id/feed"),  # generic path
        ((FIXTURES / "merdeka" / "feed.xml").read_bytes(), "https://www.merdeka.com/peristiwa/read/1/judul"),
        ((FIXTURES / "detik" / "sitemap_news.xml").read_bytes(), "https://news.detik.com/berita/d-1/judul"),
        (ATOM, "https://contoh.id/atom"),
        (ATOM.encode("utf-8"), "https://www.kompas.com/read/2024/01/01/1/judul"),
    ],
)
def test_feeds_and_sitemaps_are_not_articles(body: str | bytes, url: str) -> None:
    # lxml would wrap a feed in <html><body> and the generic path return it as a one-paragraph article.
    with pytest.raises(NotAnArticle) as err:
        extract_article(url, body)
    assert err.value.reason == "not_article_page" and "XML document" in err.value.detail


def test_xhtml_with_xml_declaration_is_still_a_page() -> None:
    article = extract_article("https://contoh.id/a", '<?xml version="1.0"?>\n' + PAGE.format(charset="utf-8"))
    assert article.title == "Judul Berita"
