"""The offline demo: a small Kompas-like site served on 127.0.0.1 and crawled by the real spider.

:class:`MirrorServer` serves a *mirror tree*: ``GET /<host>/<path>?<query>`` answers with the page that
``https://<host>/<path>?<query>`` would give. Pages come from ``routes.json`` (URL -> file, query
aware: ``?page=all`` and ``?page=2`` are distinct pages) or, for URLs without a query, from the host
folder (``<tree>/<host>/<path>``, ``index.html`` for a folder). Anything else is a 404. The crawl
reaches it through ``--root`` (see scraper.middlewares), so the archive holds the real URLs.
The tests' fault-injecting server (tests/httpserver.py) builds on this one.
"""

from __future__ import annotations

import json
import mimetypes
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

if TYPE_CHECKING:
    from archive.runner import Outcome

DEMO_SITE = Path(__file__).resolve().parent / "demo_site"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".gz": "application/x-gzip",
}


def route_key(url: str) -> str:
    """Host, path and the *sorted* query of a URL: the key of a route (scheme and order ignored)."""
    parts = urlsplit(url)
    query = "&".join(f"{k}={v}" for k, v in sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return f"{(parts.hostname or '').lower()}{parts.path or '/'}" + (f"?{query}" if query else "")


def load_routes(tree: Path) -> dict[str, Path]:
    """``routes.json`` of a tree ({url: file relative to the tree}) keyed by :func:`route_key`."""
    path = tree / "routes.json"
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {route_key(url): tree / rel for url, rel in raw.items() if not url.startswith("_")}


@dataclass
class Hit:
    """One request the server answered (for tests: what was fetched, and how it ended)."""

    key: str  # route key: host/path?sorted-query
    status: int


@dataclass
class MirrorSite:
    """What a mirror server serves: a host-folder tree, explicit routes, a robots.txt for any host."""

    tree: Path | None = None
    routes: dict[str, Path] = field(default_factory=dict)
    default_robots: Path | None = None

    def resolve(self, host: str, path: str, query: str) -> Path | None:
        """The file for ``https://host/path?query``, or None (404)."""
        key = route_key(f"https://{host}{path}" + (f"?{query}" if query else ""))
        if key in self.routes:
            return self.routes[key]
        if not query and self.tree is not None:
            candidate = (self.tree / host / path.lstrip("/")).resolve()
            if self.tree.resolve() in candidate.parents:  # never serve outside the tree
                if candidate.is_dir():
                    candidate = candidate / "index.html"
                if candidate.is_file():
                    return candidate
        if path == "/robots.txt" and self.default_robots is not None:
            return self.default_robots
        return None


class MirrorHandler(BaseHTTPRequestHandler):
    """Answers ``/<host>/<path>?<query>`` from the server's :class:`MirrorSite`."""

    server: MirrorServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        host, path, query = self.split_target()
        self.serve(host, path, query)

    def split_target(self) -> tuple[str, str, str]:
        parts = urlsplit(self.path)
        host, _, rest = parts.path.lstrip("/").partition("/")
        return host.lower(), "/" + rest, parts.query

    def serve(self, host: str, path: str, query: str) -> None:
        file = self.server.site.resolve(host, path, query)
        if file is None:
            self.send_body(404, b"not found\n", "text/plain; charset=utf-8", host, path, query)
            return
        ctype = CONTENT_TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "text/html; charset=utf-8"
        self.send_body(200, file.read_bytes(), ctype, host, path, query)

    def send_body(self, status: int, body: bytes, ctype: str, host: str, path: str, query: str) -> None:
        self.server.record(Hit(route_key(f"https://{host}{path}" + (f"?{query}" if query else "")), status))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
        """Quiet: the hits are recorded on the server instead."""


class MirrorServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer on 127.0.0.1 (port 0 = a free port) serving a :class:`MirrorSite`."""

    daemon_threads = True
    # socketserver's default listen backlog is 5: a crawl with 32 requests in flight on a busy machine
    # then gets connections refused, which burn its retries before a request reaches the site.
    request_queue_size = 128

    def __init__(self, site: MirrorSite, port: int = 0, handler: type[MirrorHandler] = MirrorHandler) -> None:
        super().__init__(("127.0.0.1", port), handler)
        self.site = site
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def root(self) -> str:
        """The ``--root`` URL that points a crawl at this server."""
        return f"http://127.0.0.1:{self.server_address[1]}"

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def requested(self) -> list[str]:
        """Route keys of every request so far, in order."""
        with self._lock:
            return [h.key for h in self.hits]

    def start(self) -> MirrorServer:
        self._thread = threading.Thread(target=self.serve_forever, name="mirror-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


#: The day the demo site's daily index covers.
DEMO_DAY = "2024-11-14"


def demo_site() -> MirrorSite:
    """The demo tree: host folders, routes.json, and www.kompas.com's robots.txt for every host."""
    return MirrorSite(
        tree=DEMO_SITE, routes=load_routes(DEMO_SITE), default_robots=DEMO_SITE / "www.kompas.com" / "robots.txt"
    )


def demo_server(port: int = 0) -> MirrorServer:
    """The demo site's server (not started)."""
    return MirrorServer(demo_site(), port=port)


def run_demo(db_path: Path, site_port: int = 0) -> Outcome:
    """Serve the demo site and crawl it with the real kompas spider into ``db_path``: a recorded run
    of ``archive.runner`` (the archive's lock, a crawl_runs row, the one verdict), as ``warta crawl``.

    The crawl reads the sitemaps *and* walks the daily index, and fetches everything again
    (``refresh``) so that a second run shows the archive's "unchanged" dedupe at work.
    Raises ``archive.cron.CrawlExit`` when the archive is locked or unusable.
    """
    from datetime import date

    from archive.cron import RunOptions
    from archive.runner import CrawlJob, run

    with demo_server(site_port) as server:
        job = CrawlJob(
            sites=["kompas"],
            root=server.root,
            day=date.fromisoformat(DEMO_DAY),
            refresh=True,
            fast=True,
            spider_args={"sitemaps": "1"},
        )
        # Scrapy's WARNING lines on stderr, as a fast crawl prints them; no progress line.
        options = RunOptions(quiet=False, progress=False)
        return run(db_path, job, options, what="warta demo", record_args={"demo": True, "root": server.root})
