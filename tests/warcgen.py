"""WARC files built from saved pages, for the import tests and the import benchmark.

``saved_pages()`` gives real pages (the Kompas fixtures and the saved pages of tests/fixtures/pages
with their URLs) and ``write_warc`` writes them as WARC/1.1 response records (gzip per record, or
plain), with request, warcinfo, metadata and non-HTML records beside them, the way crawlers do.
``damage`` cuts or corrupts a built file in the ways the importer must survive.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import FIXTURES, KOMPAS_FIXTURES

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)


@dataclass
class Page:
    """One HTTP response to write."""

    url: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"
    date: str = "2024-11-14T03:00:00Z"
    rec_type: str = "response"  # or "resource", "metadata"...


def saved_pages() -> list[Page]:
    """The saved article pages whose URL is known, plus the Kompas fixtures (articles and an index)."""
    pages = [
        Page("https://www.kompas.com/global/read/2024/11/14/083000170/rangkuman-hari-ke-995-serangan-rusia-ke-ukraina"
             "--ukraina-dapat-gambaran", (KOMPAS_FIXTURES / "seed-article.html").read_bytes()),
        Page("https://indeks.kompas.com/?site=all&date=2024-11-14", (KOMPAS_FIXTURES / "indeks.html").read_bytes()),
    ]
    for expected in sorted((FIXTURES / "pages").glob("*/*.expected.json")):
        html = expected.with_name(expected.name.replace(".expected.json", ".html"))
        meta = json.loads(expected.read_text(encoding="utf-8"))
        url = meta.get("url") or meta.get("canonical_url")
        if url and html.is_file() and meta.get("usable", True):
            pages.append(Page(url, html.read_bytes()))
    return pages


def other_records() -> list[Page]:
    """Responses that are not articles: robots.txt, an image, a 404 page, a redirect, another host."""
    return [
        Page("https://www.kompas.com/robots.txt", (KOMPAS_FIXTURES / "robots.txt").read_bytes(), "text/plain"),
        Page("https://asset.kompas.com/logo.png", PNG, "image/png"),
        Page("https://www.kompas.com/tren/read/2024/11/14/999/hilang", b"<html><body>Not found</body></html>",
             status="404 Not Found"),
        Page("https://kompas.com/", b"", status="301 Moved Permanently"),
        Page("https://blog.example.org/2024/11/14/tulisan", b"<html><head><title>Tulisan</title></head><body><article>"
             + b"<h1>Tulisan</h1>" + b"<p>Kalimat panjang tentang sesuatu yang terjadi di kota kecil.</p>" * 12
             + b"</article></body></html>"),
    ]


def write_warc(path: Path, pages: Iterable[Page], *, gz: bool = True, requests: bool = True) -> list[int]:
    """Write ``pages`` as a WARC (warcinfo first, a request before each response); returns the
    offset of each response record in order."""
    offsets: list[int] = []
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gz, warc_version="WARC/1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests/warcgen.py"}))
        for page in pages:
            if requests and page.rec_type == "response":
                req = StatusAndHeaders(f"GET {page.url} HTTP/1.1", [("Host", "x")], is_http_request=True)
                writer.write_record(writer.create_warc_record(
                    page.url, "request", payload=io.BytesIO(b""), length=0, http_headers=req,
                    warc_headers_dict={"WARC-Date": page.date}))
            headers = None
            if page.rec_type == "response":
                headers = StatusAndHeaders(page.status, [("Content-Type", page.content_type),
                                                         ("Content-Length", str(len(page.body)))], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                page.url, page.rec_type, payload=io.BytesIO(page.body), length=len(page.body), http_headers=headers,
                warc_content_type=None if page.rec_type == "response" else page.content_type,
                warc_headers_dict={"WARC-Date": page.date},
            )
            out.flush()
            offsets.append(out.tell())
            writer.write_record(record)
    return offsets


def not_http_record(url: str = "https://www.kompas.com/rusak", date: str = "2024-11-14T03:00:00Z") -> bytes:
    """A gzipped WARC response record whose block is not an HTTP message (written by hand: warcio refuses)."""
    block = b"this is not an HTTP response\r\nat all\r\n\r\n<html></html>"
    head = (
        f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
        f"WARC-Date: {date}\r\nWARC-Target-URI: {url}\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    ).encode()
    return gzip.compress(head + block + b"\r\n\r\n")
