"""A local HTTP server for crawl tests: the shared fixtures as a mirror of kompas.com, with faults.

Built on archive.demo.MirrorServer (``GET /<host>/<path>?<query>``; a crawl reaches it with
``--root``). Faults are injected per URL (route key prefix): a status code, a delay, a truncated
body, a connection reset, a redirect loop, optionally only for the first N requests, so that the
cron/fault tests can reuse it.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from archive.demo import MirrorHandler, MirrorServer, MirrorSite, route_key
from tests.conftest import KOMPAS_FIXTURES


@dataclass
class Fault:
    """What to do instead of (or on top of) serving a URL."""

    status: int | None = None  # answer this status with a short body
    delay: float = 0.0  # seconds to wait before answering
    truncate: int | None = None  # send only this many body bytes, announcing the full length
    reset: bool = False  # close the connection without an answer (RST)
    redirect_loop: bool = False  # 302 to itself, forever
    redirect_to: str | None = None  # 301 to this real URL (sent as a mirror path, as a mirror would)
    times: int | None = None  # only the first N matching requests (None: always)
    cut: float | None = None  # no Content-Length, this share of the body, then close (an early close)
    chunked_cut: float | None = None  # chunked, this share of the body, then close without the last chunk
    body: bytes | None = None  # answer 200 with this body (a challenge page...) instead of the file
    encoding: str | None = None  # Content-Encoding header sent with ``body`` (a gzip bomb)


class FaultHandler(MirrorHandler):
    server: "FaultServer"

    def serve(self, host: str, path: str, query: str) -> None:
        key = route_key(f"https://{host}{path}" + (f"?{query}" if query else ""))
        fault = self.server.fault_for(key)
        if fault is None:
            super().serve(host, path, query)
            return
        if fault.delay:
            time.sleep(fault.delay)
        if fault.reset:
            self.server.record_key(key, 0)
            # SO_LINGER 0 makes close() send a RST instead of a FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        if fault.redirect_loop:
            self.server.record_key(key, 302)
            self.send_response(302)
            self.send_header("Location", f"/{host}{path}" + (f"?{query}" if query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if fault.redirect_to:
            self.server.record_key(key, 301)
            target = urlsplit(fault.redirect_to)
            self.send_response(301)
            self.send_header("Location", f"/{target.netloc}{target.path}" + (f"?{target.query}" if target.query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if fault.status is not None:
            body, ctype = (fault.body, "text/html; charset=utf-8") if fault.body else (f"fault {fault.status}\n".encode(), "text/plain")
            self.send_body(fault.status, body, ctype, host, path, query)
            return
        if fault.body is not None:
            self.server.record_key(key, 200)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if fault.encoding:
                self.send_header("Content-Encoding", fault.encoding)
            self.send_header("Content-Length", str(len(fault.body)))
            self.end_headers()
            self.wfile.write(fault.body)
            return
        if fault.cut is not None or fault.chunked_cut is not None:
            # Raw bytes on the socket: headers without a length, part of the page, then close, as a
            # server (or a proxy) that dies mid-page does. Nothing tells the client the page is short.
            file = self.server.site.resolve(host, path, query)
            body = file.read_bytes() if file else b""
            self.server.record_key(key, 200)
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            if fault.cut is not None:
                sent = body[: int(len(body) * fault.cut)]
                self.wfile.write(head + b"Connection: close\r\n\r\n" + sent)
            else:
                sent = body[: int(len(body) * (fault.chunked_cut or 0))]
                self.wfile.write(head + b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % len(sent) + sent + b"\r\n")
            self.wfile.flush()
            self.close_connection = True
            return
        if fault.truncate is not None:
            file = self.server.site.resolve(host, path, query)
            body = file.read_bytes() if file else b""
            self.server.record_key(key, 200)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: fault.truncate])
            self.close_connection = True
            return
        super().serve(host, path, query)


class FaultServer(MirrorServer):
    """MirrorServer with per-URL faults: ``server.faults["www.kompas.com/sitemap"] = Fault(status=503)``."""

    def __init__(self, site: MirrorSite, port: int = 0) -> None:
        super().__init__(site, port=port, handler=FaultHandler)
        self.faults: dict[str, Fault] = {}
        self._fault_counts: dict[str, int] = {}
        self._fault_lock = threading.Lock()

    def fault_for(self, key: str) -> Fault | None:
        """The fault of the longest matching prefix, while its ``times`` lasts."""
        with self._fault_lock:
            matches = [p for p in self.faults if key.startswith(p)]
            if not matches:
                return None
            prefix = max(matches, key=len)
            fault = self.faults[prefix]
            used = self._fault_counts.get(prefix, 0)
            if fault.times is not None and used >= fault.times:
                return None
            self._fault_counts[prefix] = used + 1
            return fault

    def record_key(self, key: str, status: int) -> None:
        from archive.demo import Hit

        self.record(Hit(key, status))


def _expected(name: str) -> dict:
    return json.loads((KOMPAS_FIXTURES / "expected" / f"{name}.json").read_text(encoding="utf-8"))


SEED_URL = _expected("seed-article")["url"]
MULTIPAGE_URL = _expected("multipage-p1")["url"]
UPDATED_URL = _expected("updated-article")["url"]
INDEKS_URL = _expected("indeks")["url"]
ARTICLE_URLS = (SEED_URL, MULTIPAGE_URL, UPDATED_URL)


def kompas_routes(fixtures: Path = KOMPAS_FIXTURES) -> dict[str, Path]:
    """Route keys of the real URLs each shared fixture was served from (per its expected JSON)."""
    urls = {
        SEED_URL: "seed-article.html",
        SEED_URL + "?page=all": "seed-article.html",
        MULTIPAGE_URL: "multipage-p1.html",
        MULTIPAGE_URL + "?page=1": "multipage-p1.html",
        MULTIPAGE_URL + "?page=2": "multipage-p2.html",
        MULTIPAGE_URL + "?page=all": "multipage-all.html",
        UPDATED_URL: "updated-article.html",
        UPDATED_URL + "?page=all": "updated-article.html",
        INDEKS_URL: "indeks.html",
        INDEKS_URL + "&page=1": "indeks.html",
        "https://www.kompas.com/sitemap.xml": "sitemap.xml",
        "https://www.kompas.com/sitemap-news.xml": "sitemap-news.xml",
    }
    return {route_key(url): fixtures / name for url, name in urls.items()}


def kompas_server(
    extra_routes: dict[str, Path] | None = None, robots: Path | None = None
) -> FaultServer:
    """A (not started) server mirroring the shared Kompas fixtures; every host gets ``robots``."""
    routes = kompas_routes()
    for url, file in (extra_routes or {}).items():
        routes[route_key(url)] = file
    site = MirrorSite(routes=routes, default_robots=robots or KOMPAS_FIXTURES / "robots.txt")
    return FaultServer(site)
