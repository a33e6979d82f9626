"""The bad-input corpus, generated: what a crawl meets besides articles. One entry per case: its URL
(an article-shaped Kompas URL, so the crawl fetches it), its body bytes, the Content-Type header it
is served with, and what must happen (``skip`` with a reason, or ``store`` best-effort).
See tests/fixtures/bad_input/README.md.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from tests.sitegen import article_html, article_url

CP1252_TEXT = "Harga cabai naik jadi Rp 80.000 \u2013 \u201cmahal sekali\u201d, kata Bu Siti di pasar Kramat Jati."


@dataclass
class BadInput:
    name: str
    number: int  # the generated article number its URL uses
    body: bytes
    content_type: str
    expect: str  # "skip:<reason>" / "skip" (any listed reason) / "store"

    @property
    def url(self) -> str:
        return article_url(self.number)


def png_bytes() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" + b"0" * 2000 + b"\n%%EOF\n"


def with_paragraphs(n: int, paragraphs: list[str], *, jsonld_date: str = "2024-11-14T10:30:00+07:00") -> str:
    html = article_html(n, paragraphs=paragraphs)
    return html.replace("2024-11-14T10:", "X").replace(
        f'"datePublished": "X{n % 60:02d}:00+07:00"', f'"datePublished": "{jsonld_date}"'
    )


def cp1252_page(n: int, declared: str | None) -> bytes:
    html = article_html(
        n,
        paragraphs=[
            CP1252_TEXT,
            *[f"Paragraf tambahan {j} dari artikel {n} tentang harga pangan di Jakarta." for j in range(3)],
        ],
    )
    html = html.replace('<meta charset="utf-8">', f'<meta charset="{declared}">' if declared else "")
    return html.encode("cp1252")


def listing_page(kind: str) -> str:
    links = "".join(f'<li><a href="{article_url(900 + j)}">Berita {j} tentang {kind}</a></li>' for j in range(20))
    return (
        f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{kind.title()} - Kompas.com</title>"
        f"<meta property='og:type' content='website'></head><body><h1>{kind.title()}</h1><ul>{links}</ul></body></html>"
    )


def video_page() -> str:
    return (
        "<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>Video: Banjir di Jakarta - Kompas.com</title>"
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"VideoObject",'
        '"name":"Banjir di Jakarta","uploadDate":"2024-11-14T10:30:00+07:00"}</script>'
        "<meta property='og:type' content='video.other'></head><body><h1>Banjir di Jakarta</h1>"
        "<video src='https://video.kompas.com/banjir.mp4'></video></body></html>"
    )


def corpus() -> list[BadInput]:
    """Every case, numbered from 500 so their URLs never meet the generated articles'."""
    html = "text/html; charset=utf-8"

    def big_page(n: int, items: int) -> bytes:
        # An inline data blob (as Next.js-style pages carry) after a long article.
        blob = (
            '<script>window.__DATA__ = {"items": ['
            + ",".join(f'{{"id": {j}, "t": "{"x" * 90}"}}' for j in range(items))
            + "]}</script>"
        )
        page = article_html(n, paragraphs=[f"Paragraf panjang nomor {j}: " + "kata " * 60 for j in range(300)])
        return page.replace("</body>", blob + "</body>").encode()

    good = article_html(507)
    cases = [
        BadInput("empty body", 500, b"", html, "skip:not_html"),
        BadInput("10 MB page, over the parser's limit", 501, big_page(501, 95_000), html, "skip:too_large"),
        BadInput("10 MB page, under the limit", 517, big_page(517, 88_000), html, "store"),
        BadInput("PNG served as text/html", 502, png_bytes(), "text/html", "skip:not_html"),
        BadInput("PDF served as text/html", 503, pdf_bytes(), "text/html", "skip:not_html"),
        BadInput("windows-1252, no declaration", 504, cp1252_page(504, None), "text/html", "store"),
        BadInput("windows-1252 declared utf-8", 505, cp1252_page(505, "utf-8"), html, "store"),
        BadInput(
            "unclosed tags",
            506,
            article_html(506).replace("</p>", "").replace("</div>", "").replace("</body></html>", "").encode(),
            html,
            "store",
        ),
        BadInput(
            "truncated inside a tag",
            507,
            good[: good.index("</p>", good.index("read__content")) + 2].replace("</p", "<p clas").encode(),
            html,
            "store",
        ),
        BadInput("tag page", 508, listing_page("tag banjir").encode(), html, "skip"),
        BadInput("video page", 509, video_page().encode(), html, "skip"),
        BadInput("index page", 511, listing_page("indeks berita").encode(), html, "skip"),
        BadInput(
            "broken JSON-LD",
            512,
            article_html(512)
            .replace('"author": {"@type": "Person", "name": "Penulis Uji"}}', '"author": {"@type": ')
            .encode(),
            html,
            "store",
        ),
        BadInput(
            "date year 0001", 513, with_paragraphs(513, [], jsonld_date="0001-01-01T00:00:00").encode(), html, "store"
        ),
        BadInput(
            "date year 9999",
            514,
            with_paragraphs(514, [], jsonld_date="9999-12-31T23:59:59+07:00").encode(),
            html,
            "store",
        ),
        BadInput("date 32/13/2024", 515, with_paragraphs(515, [], jsonld_date="32/13/2024").encode(), html, "store"),
        BadInput(
            "only markup, no text",
            516,
            b"<html><head><title></title></head><body><div><span></span></div></body></html>",
            html,
            "skip",
        ),
    ]
    return cases
